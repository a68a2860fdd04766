"""Skill impacts equal the engine's own gap impacts; skill trends count and compare periods."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tools.gaps import find_gaps
from tools.insights import ImpactJob, falling_skills, skill_impacts, skill_trends
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.schemas import CandidateProfile, JobPosting

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def profile() -> CandidateProfile:
    return parse_cv((ROOT / "store/samples/cvs/backend_engineer_senior.txt").read_text("utf-8"))


@pytest.fixture(scope="module")
def postings() -> list[JobPosting]:
    rows = json.loads((ROOT / "store/samples/jobs.json").read_text("utf-8"))
    wanted = [r for r in rows if any(w in r["title"].lower() for w in (
        "engineer", "developer", "data"))][:12]
    jobs = [parse_job(f"{r['title']}\n{r['company']}\n{r['location']}\n{r['description']}")
            for r in wanted]
    jobs.append(parse_job((ROOT / "tests/fixtures/jobs/backend_engineer_sections.txt")
                          .read_text("utf-8")))
    return jobs


def _gap_impacts(profile: CandidateProfile, job: JobPosting, **kw: object) -> dict[str, int]:
    report = find_gaps(profile, job, **kw)  # type: ignore[arg-type]
    return {g.target: g.impact for g in report.gaps
            if g.type in ("missing_skill", "weak_evidence")}


def test_each_per_job_impact_equals_find_gaps(profile: CandidateProfile,
                                              postings: list[JobPosting]) -> None:
    jobs = [ImpactJob(str(i), p) for i, p in enumerate(postings)]
    found = skill_impacts(profile, jobs, limit=100, max_skills=1000)
    assert found, "the sample CV lacks skills these jobs ask for"
    checked = 0
    for impact in found:
        for job_id, points in impact.per_job.items():
            expected = _gap_impacts(profile, postings[int(job_id)])
            assert expected[impact.skill] == points, (impact.skill, job_id)
            checked += 1
        assert impact.jobs == len(impact.per_job) and impact.of == len(jobs)
        assert impact.total == sum(impact.per_job.values())
        assert impact.impact == round(impact.total / impact.jobs, 1)
    # and every positive gap impact of every job is reported under its skill
    for i, posting in enumerate(postings):
        for target, points in _gap_impacts(profile, posting).items():
            if points > 0:
                assert any(s.skill == target and s.per_job.get(str(i)) == points for s in found)
    assert checked > 3


def test_impacts_with_vectors_equal_find_gaps(profile: CandidateProfile,
                                              postings: list[JobPosting]) -> None:
    rng = np.random.default_rng(7)
    cv_vec = rng.normal(size=16).astype(np.float32)
    cv_vec /= np.linalg.norm(cv_vec)
    jobs = []
    for i, p in enumerate(postings[:6]):
        v = rng.normal(size=16).astype(np.float32)
        jobs.append(ImpactJob(str(i), p, (v / np.linalg.norm(v)).astype(np.float32)))
    found = skill_impacts(profile, jobs, cv_vector=cv_vec, limit=100, max_skills=1000)
    for impact in found:
        for job_id, points in impact.per_job.items():
            job = jobs[int(job_id)]
            assert _gap_impacts(profile, job.posting, cv_vector=cv_vec,
                                job_vector=job.vector)[impact.skill] == points


def test_show_versus_learn_and_order(profile: CandidateProfile,
                                     postings: list[JobPosting]) -> None:
    jobs = [ImpactJob(str(i), p) for i, p in enumerate(postings)]
    found = skill_impacts(profile, jobs, limit=100, max_skills=1000)
    have = profile.skill_ids
    for s in found:
        if s.listed:
            assert s.kind == "show" and s.skill_id in have
        elif s.kind == "learn":
            assert s.related is None and s.skill_id not in have
        else:
            assert s.related is not None
    keys = [(-s.total, -s.impact, s.skill_id) for s in found]
    assert keys == sorted(keys)
    assert skill_impacts(profile, jobs, limit=100, max_skills=1000) == found  # deterministic
    assert len(skill_impacts(profile, jobs, limit=2)) <= 2
    assert skill_impacts(profile, []) == []


def test_skill_trends_counts_and_directions() -> None:
    now = [["python", "kubernetes"], ["python", "python"], ["go", "kubernetes"], ["rust"]]
    before = [["python"], ["kubernetes"], ["go"], ["go"], ["go"]]
    trends = {t.skill_id: t for t in skill_trends(now, before)}
    assert (trends["python"].count, trends["python"].previous) == (2, 1)  # once per job
    assert trends["python"].direction == "rising"
    assert trends["kubernetes"].direction == "rising" and trends["kubernetes"].change == 1
    assert trends["go"].direction == "falling" and trends["go"].change == -2
    assert trends["rust"].direction == "new"
    assert [t.skill_id for t in skill_trends(now, before)][:2] == ["kubernetes", "python"]
    assert [t.skill_id for t in falling_skills(now, before)] == ["go"]
