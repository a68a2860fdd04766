"""Tailoring never harms the CV: every fact before is there after (issue 13).

Over every CV in tests/fixtures/cvs and the bundled sample CVs, against several postings, with
"all" and each option that keeps content: roles in the same (reverse-chronological) order with
the same titles, employers and dates; every bullet kept (words added only beside the CV's own);
every skill still read; the same contact details and education; no skill, employer, title,
degree, date or number the CV does not state (compared with the CV's text).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.parsing.text import extract_text
from tools.schemas import CandidateProfile, JobPosting
from tools.tailoring import check_invention, tailor_cv, tailoring_options

ROOT = Path(__file__).resolve().parents[2]
CVS = sorted((ROOT / "tests" / "fixtures" / "cvs").glob("*.txt")) + [
    ROOT / "store" / "samples" / "cvs" / "backend_engineer_senior.txt",
    ROOT / "store" / "samples" / "cvs" / "accountant.pdf",
]
JOBS = sorted((ROOT / "tests" / "fixtures" / "jobs").glob("*.txt"))
#: Each CV against its own field's posting and two others.
PAIRS = [(cv, job) for i, cv in enumerate(CVS) for job in (JOBS[i % len(JOBS)],
                                                          JOBS[(i + 3) % len(JOBS)])]
KEEPING = (["all"], ["emphasise_skills"], ["reorder_experience"], ["add_keywords"],
           ["emphasise_skills", "reorder_experience", "add_keywords", "quantify_bullets"])


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _within(small: list[str], big: list[str]) -> bool:
    """`small` is a subsequence of `big` (words may be added, none removed or reordered)."""
    it = iter(big)
    return all(w in it for w in small)


def _roles(p: CandidateProfile) -> list[tuple[str | None, ...]]:
    return [(e.title, e.company, e.start, e.end) for e in p.experience]


def _assert_kept(before: CandidateProfile, after: CandidateProfile, label: str) -> None:
    assert _roles(after) == _roles(before), f"{label}: roles changed or moved"
    for old, new in zip(before.experience, after.experience, strict=True):
        new_words = [_words(b) for b in new.bullets]
        for bullet in old.bullets:
            assert any(_within(_words(bullet), nw) for nw in new_words), (
                f"{label}: bullet dropped or reworded: {bullet!r}")
        assert len(new.bullets) == len(old.bullets), f"{label}: bullet count changed"
    missing = {s.skill_id for s in before.skills} - {s.skill_id for s in after.skills}
    assert not missing, f"{label}: skills no longer read: {sorted(missing)}"
    assert [e.model_dump() for e in after.education] == [e.model_dump()
                                                         for e in before.education]
    assert (after.personal.name, after.personal.email, after.personal.phone) == (
        before.personal.name, before.personal.email, before.personal.phone)


@pytest.mark.parametrize(("cv_path", "job_path"), PAIRS,
                         ids=[f"{c.stem}-{j.stem}" for c, j in PAIRS])
def test_every_fact_survives_tailoring(cv_path: Path, job_path: Path) -> None:
    text = extract_text(cv_path)
    before = parse_cv(text)
    job: JobPosting = parse_job(job_path.read_text())
    for chosen in KEEPING:
        result = tailor_cv(before, job, chosen)
        label = f"{cv_path.name} x {job_path.name} {chosen}"
        assert "drop_irrelevant" not in result.applied
        _assert_kept(before, parse_cv(result.markdown), label)
        assert check_invention(text, result.markdown) == [], label
        assert result.effect is not None
        assert result.effect.before.keywords_total == result.effect.after.keywords_total


@pytest.mark.parametrize(("cv_path", "job_path"), PAIRS[::3],
                         ids=[f"{c.stem}-{j.stem}" for c, j in PAIRS[::3]])
def test_options_offered_move_a_measure_and_worsen_none(cv_path: Path,
                                                         job_path: Path) -> None:
    before = parse_cv(extract_text(cv_path))
    job = parse_job(job_path.read_text())
    for o in tailoring_options(before, job):
        assert o.effect is not None and o.effect.changed, o.id
        # no option offered makes a measure worse
        b, a = o.effect.before, o.effect.after
        assert len(a.keywords_found) >= len(b.keywords_found) and a.ats >= b.ats
        assert len(a.required_shown) >= len(b.required_shown)
        assert a.balanced >= b.balanced, o.id


def test_dropping_needs_its_own_choice() -> None:
    text = (ROOT / "tests" / "fixtures" / "tailoring" / "platform_engineer_cv.txt").read_text()
    job = parse_job((ROOT / "tests" / "fixtures" / "tailoring" /
                     "platform_engineer_job.txt").read_text())
    before = parse_cv(text)
    kept = parse_cv(tailor_cv(before, job, ["all"]).markdown)
    _assert_kept(before, kept, "all")
    dropped = parse_cv(tailor_cv(before, job, ["drop_irrelevant"]).markdown)
    assert sum(len(e.bullets) for e in dropped.experience) < sum(
        len(e.bullets) for e in before.experience)
    assert _roles(dropped) == _roles(before)  # roles are never dropped nor moved
    # the check bites: moving roles (only when asked) or dropping content is caught
    moved = parse_cv(tailor_cv(before, job, ["reorder_experience"],
                               keep_role_order=False).markdown)
    with pytest.raises(AssertionError, match="roles changed or moved"):
        _assert_kept(before, moved, "asked to move roles")
    with pytest.raises(AssertionError, match="bullet"):
        _assert_kept(before, dropped, "drop")
