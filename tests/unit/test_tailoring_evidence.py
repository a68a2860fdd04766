"""The user's own evidence in tailoring: asked for, placed verbatim in the named role only,
re-measured, accepted by the no-invention check because its source is the user."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.errors import InvalidInputError
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.schemas import CandidateProfile, JobPosting
from tools.scoring import score_match
from tools.tailoring import check_invention, tailor_cv, tailoring_options
from tools.tailoring.evidence import (
    evidence_requests,
    find_role,
    normalise_sentence,
    parse_addition,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tailoring"
LINE = "Acme: Cut deploy time 40% by moving the billing services to Kubernetes"


@pytest.fixture(scope="module")
def cv() -> CandidateProfile:
    return parse_cv((FIXTURES / "evidence_cv.txt").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def job() -> JobPosting:
    return parse_job((FIXTURES / "evidence_job.txt").read_text(encoding="utf-8"))


def test_asks_for_required_skills_mentioned_but_not_shown_with_a_result(cv, job) -> None:  # type: ignore[no-untyped-def]
    reqs = {r.skill: r for r in evidence_requests(cv, job)}
    assert set(reqs) == {"Kubernetes", "PostgreSQL"}  # Python is shown with "2 million"
    assert reqs["Kubernetes"].where == "listed only"
    assert reqs["PostgreSQL"].where == "in a role, without a result"
    assert reqs["Kubernetes"].roles == ["Backend Developer at Acme Corp",
                                        "Junior Developer at Beta Labs"]


def test_checklist_offers_the_request_never_by_default(cv, job) -> None:  # type: ignore[no-untyped-def]
    assert not [o for o in tailoring_options(cv, job) if o.action == "show_in_role"]
    asks = [o for o in tailoring_options(cv, job, evidence=True) if o.action == "show_in_role"]
    assert [o.id for o in asks] == ["show_in_role:kubernetes", "show_in_role:postgresql"]
    assert asks[0].label == ("Show Kubernetes in a role: tell me where you used it and what "
                             "came of it")
    assert not any(o.default for o in asks)
    assert "add to" in asks[0].detail


def test_places_the_sentence_in_the_named_role_and_moves_the_metric(cv, job) -> None:  # type: ignore[no-untyped-def]
    base = tailor_cv(cv, job, [])
    out = tailor_cv(cv, job, [], additions=[LINE])
    added = "- Cut deploy time 40% by moving the billing services to Kubernetes"
    lines = out.markdown.split("\n")
    assert added in lines
    i = lines.index(added)
    acme = next(k for k, ln in enumerate(lines) if "Acme Corp" in ln)
    beta = next(k for k, ln in enumerate(lines) if "Beta Labs" in ln)
    assert acme < i < beta  # last bullet of the Acme role, nowhere else
    assert lines[i - 1] == "- Maintained PostgreSQL schemas for the billing team."
    assert [ln for ln in lines if ln != added] == base.markdown.split("\n")  # nothing else moved
    assert out.effect is not None
    b, a = out.effect.before, out.effect.after
    assert "Kubernetes" not in b.required_shown and "Kubernetes" in a.required_shown
    assert len(a.required_shown) == len(b.required_shown) + 1
    assert any(m.startswith("Required skills shown in a role with a result: 1/3 → 2/3")
               for m in out.measured)
    # a listed-only skill now backed by a role gets full credit in the skills factor
    skills_before = score_match(cv, job).factors["skills"].score
    skills_after = score_match(parse_cv(out.markdown), job).factors["skills"].score
    assert skills_before is not None and skills_after is not None
    assert skills_after > skills_before
    assert out.after >= out.before
    assert out.added[0].role == "Backend Developer at Acme Corp"
    assert out.added[0].skills == ["Kubernetes"] and out.added[0].with_result
    assert out.violations == []


def test_no_invention_check_accepts_the_users_line_only(cv, job) -> None:  # type: ignore[no-untyped-def]
    out = tailor_cv(cv, job, [], additions=[LINE])
    assert [v.term for v in check_invention(cv.text, out.markdown)] == ["40%"]
    assert check_invention(cv.text, out.markdown, [a.text for a in out.added]) == []
    assert check_invention(cv.text, out.markdown + "\n- Cut costs 55%",
                           [a.text for a in out.added])  # another number is still caught


def test_other_options_still_apply_with_an_addition(cv, job) -> None:  # type: ignore[no-untyped-def]
    out = tailor_cv(cv, job, ["all", "show_in_role:kubernetes"], additions=[LINE])
    assert "- Cut deploy time 40% by moving the billing services to Kubernetes" in out.markdown
    assert "show_in_role:kubernetes" not in out.applied
    alone = tailor_cv(cv, job, ["show_in_role:kubernetes"])  # no line given: nothing added
    assert alone.added == [] and "needs your own line" in alone.notes[0]


@pytest.mark.parametrize("addition, message", [
    ("Gamma Inc: Cut deploy time 40% with Kubernetes", "No role in your CV matches"),
    ("Developer: Cut deploy time 40% with Kubernetes", "matches 2 roles"),
    ("Acme: Cut deploy time 40% with Kubernetes and Terraform", "doesn't state Terraform"),
    ("Acme: Cut deploy time 40% with Kubernetes at Google", "not in your CV"),
    ("Acme Cut deploy time 40% with Kubernetes", "a colon"),
    ("Acme:   - ", "empty"),
])
def test_refuses(cv, job, addition, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InvalidInputError, match=message):
        tailor_cv(cv, job, [], additions=[addition])


def test_a_line_without_a_result_is_added_but_not_counted(cv, job) -> None:  # type: ignore[no-untyped-def]
    out = tailor_cv(cv, job, [], additions=["Beta Labs: ran Kubernetes clusters for the release"])
    assert "- Ran Kubernetes clusters for the release" in out.markdown.split("\n")
    assert out.effect is not None
    assert out.effect.after.required_shown == out.effect.before.required_shown
    assert "no measurable result" in out.notes[0]


def test_parsing_and_light_normalisation() -> None:
    assert parse_addition("add to Acme Corp: cut it 40%") == ("Acme Corp", " cut it 40%")
    assert parse_addition("“Beta Labs”: x") == ("Beta Labs", " x")
    assert normalise_sentence('  - "cut deploy   time 40%  with k8s."  ') == \
        "Cut deploy time 40% with k8s."
    assert normalise_sentence("• iOS app shipped to 2M users") == "IOS app shipped to 2M users"


def test_find_role_by_title_company_or_both(cv) -> None:  # type: ignore[no-untyped-def]
    assert find_role(cv.experience, "acme corp") == 0
    assert find_role(cv.experience, "Junior Developer") == 1
    assert find_role(cv.experience, "Backend Developer at Acme Corp") == 0
    assert find_role(cv.experience, "Backend Developer, Acme") == 0


def test_several_lines_keep_their_order_and_roles(cv, job) -> None:  # type: ignore[no-untyped-def]
    out = tailor_cv(cv, job, [], additions=[
        LINE, "Beta Labs: Cut release prep from 2 days to 3 hours with PostgreSQL snapshots",
        "Acme Corp: Sped up nightly PostgreSQL jobs 3x"])
    lines = out.markdown.split("\n")
    at = {t: lines.index(f"- {t}") for t in (a.text for a in out.added)}
    acme = next(k for k, ln in enumerate(lines) if "Acme Corp" in ln)
    beta = next(k for k, ln in enumerate(lines) if "Beta Labs" in ln)
    first, second, third = (a.text for a in out.added)
    assert acme < at[first] < at[third] < beta < at[second]
    assert [a.role for a in out.added] == ["Backend Developer at Acme Corp",
                                           "Junior Developer at Beta Labs",
                                           "Backend Developer at Acme Corp"]
    assert out.effect is not None
    assert out.effect.after.required_shown == ["Python", "Kubernetes", "PostgreSQL"]


@pytest.mark.parametrize("addition, message", [
    ("Acme: Senior Developer | Acme Corp | Jan 2024 - Present", "title"),  # a new role's header
    ("Acme: Jan 2021 - Mar 2022", "changes how your CV reads"),  # dates that re-cut the roles
])
def test_a_line_that_reads_as_a_role_header_is_refused(cv, job, addition,  # type: ignore[no-untyped-def]
                                                       message) -> None:
    with pytest.raises(InvalidInputError, match=message):
        tailor_cv(cv, job, [], additions=[addition])
