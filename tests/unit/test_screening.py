"""Screening: the engine's arithmetic over every job at once, its bounds, and exact stage 1."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pytest

from store.samples.generate import generate_cvs, generate_jobs, posting_text
from tests.fakes import BagOfWordsEmbedder, InMemoryJobIndex, InMemoryJobSource
from tools.matching import HardFilters, StoredJob, match_cv, passes_hard_filters
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.preparation import prepare_job, prepare_profile
from tools.schemas import JobPosting, Weights
from tools.scoring import cv_embedding_text, job_embedding_text, score_many
from tools.screening import ScreeningIndex
from tools.search import IndexedJob, JobFilters, job_metadata, matches_filters

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CAL = (0.0, 1.0)


@pytest.fixture(scope="module")
def world() -> dict:  # type: ignore[type-arg]
    jobs = [parse_job(posting_text(r)) for r in generate_jobs(400, seed=7)]
    for path in sorted((FIXTURES / "jobs").glob("*.txt")):  # real-shaped postings
        jobs.append(parse_job(path.read_text(encoding="utf-8")))
    jobs.append(JobPosting())  # nothing known at all
    jobs.append(JobPosting(title="Barista", keywords=["latte art", "espresso"]))  # keywords only
    emb = BagOfWordsEmbedder()
    vectors = emb.embed([job_embedding_text(j) or "empty" for j in jobs])
    screening = ScreeningIndex()
    for i, job in enumerate(jobs):
        screening.add_posting(str(i), job)
    screening.freeze()
    cvs = [parse_cv(c["text"]) for c in generate_cvs(8, seed=2)]
    cvs += [parse_cv(p.read_text(encoding="utf-8"))
            for p in sorted((FIXTURES / "cvs").glob("*.txt"))[:4]]
    return {"jobs": jobs, "vectors": vectors, "screening": screening, "cvs": cvs, "emb": emb}


def _reference(world: dict, profile, weights=None, with_vectors=True):  # type: ignore[no-untyped-def,type-arg]
    prep = prepare_profile(profile)
    cv_vec = world["emb"].embed([cv_embedding_text(profile) or "empty"])[0]
    values = score_many(prep, [prepare_job(j) for j in world["jobs"]], weights=weights,
                        cv_vector=cv_vec if with_vectors else None,
                        job_vectors=world["vectors"] if with_vectors else None,
                        calibration=CAL)
    return prep, cv_vec, np.array(values)


@pytest.mark.parametrize("weights", [None, Weights(skills=0.2, experience=0.2, location=0.2,
                                                   salary=0.2, semantic=0.2)])
def test_screen_equals_the_engine_for_every_job(world: dict, weights) -> None:  # type: ignore[no-untyped-def,type-arg]
    for profile in world["cvs"]:
        prep, cv_vec, ref = _reference(world, profile, weights)
        cosines = {str(i): float(c) for i, c in enumerate(world["vectors"] @ cv_vec)}
        screened = world["screening"].screen(prep, weights=weights, cosines=cosines,
                                             calibration=CAL)
        assert np.allclose(screened.lower, ref, atol=1e-9)
        assert np.array_equal(screened.lower, screened.upper)
        _, _, ref0 = _reference(world, profile, weights, with_vectors=False)
        plain = world["screening"].screen(prep, weights=weights, semantic=False)
        assert np.allclose(plain.lower, ref0, atol=1e-9)


def test_bounds_hold_and_the_shortlist_keeps_the_true_top(world: dict) -> None:  # type: ignore[type-arg]
    for profile in world["cvs"]:
        prep, cv_vec, ref = _reference(world, profile)
        cos = world["vectors"] @ cv_vec
        near = np.argsort(-cos, kind="stable")[:40]
        cosines = {str(i): float(cos[i]) for i in near}
        screened = world["screening"].screen(prep, cosines=cosines,
                                             cos_ceiling=float(cos[near].min()),
                                             calibration=CAL)
        assert np.all(screened.lower <= ref + 1e-9) and np.all(ref <= screened.upper + 1e-9)
        rows = set(screened.shortlist(10).tolist())
        true_top = np.argsort(-ref, kind="stable")[:10]
        assert set(true_top.tolist()) <= rows
        assert len(rows) < len(world["jobs"])  # it does prune


def test_filter_mask_means_what_the_index_filters_mean(world: dict) -> None:  # type: ignore[type-arg]
    today = date(2026, 11, 1)
    screening = ScreeningIndex()
    posted = [today - timedelta(days=i % 40) for i in range(len(world["jobs"]))]
    for i, job in enumerate(world["jobs"]):
        screening.add_posting(str(i), job.model_copy(update={"posted_date": posted[i]}))
    screening.freeze()
    companies = sorted({j.company for j in world["jobs"] if j.company})[:3]
    cases = [JobFilters(remote_only=True), JobFilters(min_salary=90_000),
             JobFilters(posted_within_days=10), JobFilters(exclude_companies=companies),
             JobFilters(location="Germany"), JobFilters(location="London"),
             JobFilters(location="California", remote_only=False, min_salary=50_000)]
    for filters in cases:
        mask = screening.filter_mask(filters, now=today)
        expected = [matches_filters(job_metadata(j.model_copy(update={"posted_date": posted[i]})),
                                    filters, now=today)
                    for i, j in enumerate(world["jobs"])]
        assert mask.tolist() == expected, filters
        assert 0 < sum(expected) < len(expected), filters  # the case filters something


def test_match_cv_with_screening_is_the_exhaustive_top(world: dict) -> None:  # type: ignore[type-arg]
    stored = [StoredJob(id=str(i), content_hash=f"h{i}", posting=j)
              for i, j in enumerate(world["jobs"])]
    index = InMemoryJobIndex()
    index.upsert([IndexedJob(id=s.id, vector=v, content_hash=s.content_hash,
                             metadata=job_metadata(s.posting))
                  for s, v in zip(stored, world["vectors"], strict=True)])
    source = InMemoryJobSource(stored)
    for profile in world["cvs"]:
        vec = world["emb"].embed([cv_embedding_text(profile) or "empty"])[0]
        common = dict(jobs=source, cv_vector=vec, index=index, vectors=index.vectors,
                      calibration=CAL, k=15, min_score=0)
        full = match_cv(profile, exhaustive=True, **common)  # type: ignore[arg-type]
        fast = match_cv(profile, screening=world["screening"], candidates=20,  # type: ignore[arg-type]
                        **common)
        assert [(m.job_id, m.result) for m in fast] == [(m.job_id, m.result) for m in full]
        hard = HardFilters(salary=True, location=True, experience=True)
        full_h = match_cv(profile, exhaustive=True, hard=hard, **common)  # type: ignore[arg-type]
        fast_h = match_cv(profile, screening=world["screening"], candidates=20, hard=hard,  # type: ignore[arg-type]
                          **common)
        assert [m.job_id for m in fast_h] == [m.job_id for m in full_h]
        assert all(passes_hard_filters(profile, m.posting, hard) for m in fast_h)


def test_vectors_in_memory_make_every_job_exact(world: dict) -> None:  # type: ignore[type-arg]
    screening = ScreeningIndex()
    for i, job in enumerate(world["jobs"]):
        screening.add_posting(str(i), job)
    screening.freeze()
    lookup = {str(i): v for i, v in enumerate(world["vectors"]) if i % 50}  # some have none
    screening.attach_vectors(lambda ids: {i: lookup[i] for i in ids if i in lookup},
                             world["vectors"].shape[1], page=64)
    stored = [StoredJob(id=str(i), content_hash=f"h{i}", posting=j)
              for i, j in enumerate(world["jobs"])]
    index = InMemoryJobIndex()
    index.upsert([IndexedJob(id=s.id, vector=v, content_hash=s.content_hash,
                             metadata=job_metadata(s.posting))
                  for s, v in zip(stored, world["vectors"], strict=True)])
    source = InMemoryJobSource(stored)
    for profile in world["cvs"][:6]:
        prep, cv_vec, ref = _reference(world, profile)
        screened = screening.screen(prep, cv_vector=cv_vec, calibration=CAL)
        exact = screened.exact
        assert exact.sum() == len(lookup)
        assert np.allclose(screened.lower[exact], ref[exact], atol=1e-4)
        common = dict(jobs=source, cv_vector=cv_vec, index=index, vectors=index.vectors,
                      calibration=CAL, k=12, min_score=0)
        full = match_cv(profile, exhaustive=True, **common)  # type: ignore[arg-type]
        fast = match_cv(profile, screening=screening, **common)  # type: ignore[arg-type]
        assert [(m.job_id, m.result.score) for m in fast] == \
            [(m.job_id, m.result.score) for m in full]


def test_pruning_skips_only_jobs_that_cannot_reach_the_top(world: dict) -> None:  # type: ignore[type-arg]
    screening = world["screening"]
    pruned_any = False
    for profile in world["cvs"]:
        prep, cv_vec, ref = _reference(world, profile)
        cosines = {str(i): float(c) for i, c in enumerate(world["vectors"] @ cv_vec)}
        full = screening.screen(prep, cosines=cosines, calibration=CAL)
        for k in (1, 5, 20):
            part = screening.screen(prep, cosines=cosines, calibration=CAL, top_k=k)
            if part.dead is None:
                continue
            pruned_any = True
            alive = ~part.dead
            assert np.array_equal(part.lower[alive], full.lower[alive])
            assert np.all(ref[part.dead] <= np.sort(ref)[::-1][k - 1] + 1e-9)
            kth = np.sort(ref)[::-1][k - 1]
            assert set(np.flatnonzero(ref >= kth)) <= set(np.flatnonzero(alive))
            assert set(part.shortlist(k).tolist()) >= set(np.argsort(-ref, kind="stable")[:k])
    assert pruned_any
