"""Gaps: typed, with severity, and an impact measured by re-scoring a counterfactual CV."""

from __future__ import annotations

from tests.unit.test_scoring import cskill, jskill, make_job, make_profile
from tools.gaps import find_gaps
from tools.schemas import ExperienceEntry, Location, Qualifications, SalaryRange
from tools.scoring import score_match


def test_missing_required_skill_gap_has_measured_impact() -> None:
    profile, job = make_profile(), make_job()
    report = find_gaps(profile, job)
    gap = next(g for g in report.gaps if g.type == "missing_skill" and g.target == "Kubernetes")
    assert gap.severity == "high"
    assert gap.section == "skills"
    closed = make_profile(skills=[*profile.skills, cskill("Kubernetes")])
    assert gap.score_if_closed == score_match(closed, job).score
    assert gap.impact == gap.score_if_closed - report.score
    assert gap.impact > 0


def test_gaps_sorted_by_impact_and_preferred_is_medium() -> None:
    report = find_gaps(make_profile(), make_job())
    impacts = [g.impact for g in report.gaps]
    assert impacts == sorted(impacts, reverse=True)
    pref = next(g for g in report.gaps if g.target == "Terraform")
    assert pref.severity == "medium"
    req = next(g for g in report.gaps if g.target == "Kubernetes")
    assert req.impact > pref.impact


def test_experience_gap() -> None:
    report = find_gaps(make_profile(total_years=2.0), make_job(experience_min=5.0))
    gap = next(g for g in report.gaps if g.type == "experience_gap")
    assert gap.severity == "high"
    assert gap.impact > 0


def test_weak_evidence_gap_for_listed_only_skill() -> None:
    profile = make_profile(skills=[cskill("Python", evidenced=False), cskill("PostgreSQL"),
                                   cskill("Kubernetes")])
    report = find_gaps(profile, make_job())
    gap = next(g for g in report.findings() if g.type == "weak_evidence")
    assert gap.target == "Python"
    assert gap.section == "experience"
    # worth points -> a gap; worth none -> a wording note, never both
    assert (gap in report.notes) == (gap.impact == 0)
    assert (gap in report.gaps) == (gap.impact > 0)


def test_zero_point_wording_findings_are_notes_not_gaps() -> None:
    profile = make_profile(experience=[ExperienceEntry(title="Engineer", bullets=[
        "Responsible for various tasks", "Reduced costs by 30%"])])
    report = find_gaps(profile, make_job())
    assert report.notes, "the posting's unused terms are reported"
    assert all(n.impact == 0 for n in report.notes)
    assert all(g.impact > 0 or g.type not in ("ats_keyword", "weak_wording", "weak_evidence")
               for g in report.gaps)
    assert any(n.type == "weak_wording" for n in report.notes)  # wording earns no points


def test_location_and_salary_gaps() -> None:
    profile = make_profile(location=Location(raw="London", city="London", country="GB"),
                           salary_expectation=SalaryRange(min=150000, currency="EUR"))
    report = find_gaps(profile, make_job(work_mode="onsite"))
    types = {g.type for g in report.gaps}
    assert {"location_mismatch", "salary_mismatch"} <= types
    assert all(g.impact > 0 for g in report.gaps
               if g.type in ("location_mismatch", "salary_mismatch"))


def test_missing_degree_and_keywords_and_wording() -> None:
    profile = make_profile(education=[],
                           experience=[ExperienceEntry(title="Engineer", bullets=[
                               "Responsible for various tasks", "Reduced costs by 30%"])])
    job = make_job(qualifications=Qualifications(degree_level="master", fields=["Physics"]))
    report = find_gaps(profile, job)
    types = {g.type for g in report.findings()}
    assert {"missing_qualification", "ats_keyword", "weak_wording"} <= types
    assert "missing_qualification" in {g.type for g in report.gaps}
    wording = [g for g in report.findings() if g.type == "weak_wording"]
    assert len(wording) == 1 and "Responsible" in wording[0].target
    assert "microservices" in {g.target for g in report.gaps if g.type == "ats_keyword"}


def test_report_lists_matches_and_strengths() -> None:
    report = find_gaps(make_profile(), make_job())
    assert "Python" in report.matched_required
    assert "Kubernetes" in report.missing_required
    assert "bachelor degree" in report.matched_qualifications
    assert report.strengths and report.recommendations


def test_perfect_match_has_no_skill_gaps() -> None:
    profile = make_profile(skills=[cskill("Python"), cskill("PostgreSQL"), cskill("Kubernetes"),
                                   cskill("Terraform")])
    report = find_gaps(profile, make_job(required_skills=[jskill("Python")]))
    assert not [g for g in report.gaps if g.type == "missing_skill"]


def test_gaps_are_deterministic() -> None:
    a = find_gaps(make_profile(), make_job()).model_dump_json()
    b = find_gaps(make_profile(), make_job()).model_dump_json()
    assert a == b
