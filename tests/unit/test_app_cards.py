"""Card renderers and helpers of the web chat (ui/web.py, ui/users.py): pure functions."""

from __future__ import annotations

import pytest

from tools.errors import InvalidInputError
from ui import web
from ui.users import check_password, hash_password, validate_login

ANALYSIS = {
    "kind": "analysis",
    "job": {"job_id": "sample-0-00007", "ref": 7, "title": "Backend Engineer", "company": "Acme",
            "location": "Berlin", "remote": "hybrid", "salary": "€70,000-80,000 a year",
            "score": 74, "grade": "B"},
    "score": 74, "grade": "B", "label": "Good match",
    "breakdown": {"skills": 81, "experience": 90, "location": 100, "salary": None, "semantic": 38},
    "unknown_factors": ["salary"], "confidence": 0.83,
    "matched_required": ["python", "postgresql"], "missing_required": ["kubernetes"],
    "matched_preferred": ["docker"], "missing_preferred": ["terraform"],
    "reasons": ["4 of 5 required skills"],
    "top_gaps": [{"type": "missing_skill", "severity": "high", "target": "kubernetes",
                  "message": "Kubernetes is required", "impact": 6},
                 {"type": "ats_keyword", "severity": "low", "target": "ci/cd",
                  "message": "Mention CI/CD", "impact": 1},
                 {"type": "weak_wording", "severity": "low", "target": "x", "message": "m",
                  "impact": 0},
                 {"type": "weak_wording", "severity": "low", "target": "y", "message": "n",
                  "impact": 0}],
}


@pytest.mark.parametrize(("score", "band"), [
    (100, "green"), (80, "green"), (79, "blue"), (60, "blue"), (59.9, "amber"), (40, "amber"),
    (39, "red"), (0, "red"), (None, "grey")])
def test_band_thresholds(score: float | None, band: str) -> None:
    assert web.band(score) == band


def test_score_card_props_has_five_bars_and_unknown() -> None:
    props = web.score_card_props(ANALYSIS)
    assert props["score"] == 74 and props["grade"] == "B" and props["band"] == "blue"
    assert [b["key"] for b in props["bars"]] == ["skills", "experience", "location", "salary",
                                                 "semantic"]
    salary = next(b for b in props["bars"] if b["key"] == "salary")
    assert salary["value"] is None and salary["band"] == "grey"
    assert next(b for b in props["bars"] if b["key"] == "semantic")["band"] == "red"
    assert props["matched"] == ["python", "postgresql"]
    assert props["missing"] == ["kubernetes"]
    assert len(props["gaps"]) == 3 and props["gaps"][0]["impact"] == 6
    assert props["confidence"] == 83
    assert props["unknown"] == ["Salary"]
    assert props["job"]["ref"] == 7 and props["job"]["company"] == "Acme"


def test_job_list_props_titles_and_rows() -> None:
    result = {"kind": "job_list", "source": "matches", "jobs": [
        {**ANALYSIS["job"], "position": 1}, {"job_id": "x", "ref": 9, "position": 2}]}
    props = web.job_list_props(result)
    assert props["title"] == "Your best matches"
    assert props["jobs"][0]["band"] == "blue" and props["jobs"][0]["position"] == 1
    assert props["jobs"][1]["title"] == "Untitled job" and props["jobs"][1]["band"] == "grey"
    search = web.job_list_props({"kind": "job_list", "source": "search", "query": "rust",
                                 "jobs": []})
    assert "rust" in search["title"] and search["jobs"] == []


def test_tailor_options_and_gaps_props() -> None:
    opts = web.tailor_options_props({"kind": "tailoring_options", "job": ANALYSIS["job"],
                                     "options": [{"id": "o1", "label": "Lead with Python",
                                                  "impact": 3, "action": "reorder",
                                                  "detail": "", "default": False,
                                                  "measured": "ATS-profile score 70 → 74"}]})
    assert opts["options"][0] == {"id": "o1", "label": "Lead with Python", "impact": 3,
                                  "action": "reorder", "detail": "", "default": False,
                                  "measured": "ATS-profile score 70 → 74"}
    gaps = web.gaps_props({"kind": "gaps", "job": ANALYSIS["job"], "score": 35,
                           "gaps": [{"message": "m", "impact": 4, "severity": "high"}],
                           "strengths": ["python"]})
    assert gaps["band"] == "red" and gaps["gaps"][0]["impact"] == 4


def test_markdown_renderers() -> None:
    table = web.comparison_markdown({"kind": "comparison", "mode": "jobs", "rows": [
        {"job": ANALYSIS["job"], "cv_id": None, "score": 74, "grade": "B",
         "breakdown": ANALYSIS["breakdown"], "missing_required": ["kubernetes"]}]})
    assert "Backend Engineer — Acme" in table and "unknown" in table and "kubernetes" in table
    cv = web.cv_summary_markdown({"file_name": "cv.pdf", "version": 2, "name": "Ana",
                                  "total_years": 6.5, "top_skills": ["python", "sql"],
                                  "skills_count": 12, "warnings": ["no dates"]})
    assert "6.5 years" in cv and "10 more" in cv and "no dates" in cv
    head = web.tailored_markdown({"job": ANALYSIS["job"], "before": 61, "after": 72,
                                  "reverted": [{"line": "x", "reason": "new skill"}]})
    assert "61 → 72" in head and "(+11)" in head and "new skill" in head


def test_short_summary_never_contains_text() -> None:
    assert web.short_summary({"kind": "cv_saved", "cv": {"name": "Secret"}}) == "CV saved"
    assert web.short_summary({"kind": "job_list", "jobs": [{}, {}]}) == "2 jobs"
    assert web.short_summary({"kind": "error", "message": "No CV yet."}) == "error: No CV yet."


def test_password_hash_roundtrip() -> None:
    stored = hash_password("correct horse")
    assert stored.startswith("scrypt$") and "correct horse" not in stored
    assert check_password("correct horse", stored)
    assert not check_password("correct hors", stored)
    assert not check_password("correct horse", "garbage")
    assert hash_password("same") != hash_password("same")  # salted


@pytest.mark.parametrize("name", ["", " ", "a b", "-x", "x" * 65, "ana:1"])
def test_bad_login_names(name: str) -> None:
    with pytest.raises(InvalidInputError):
        validate_login(name)
