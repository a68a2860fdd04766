"""Stage-1 indexes from the database: built in one pass, kept in a snapshot between processes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from sqlalchemy import Engine

from store.jobsource import build_job_indexes, load_job_indexes, stage1_fingerprint
from store.repo import JobRepo, JobUpsert
from store.samples.generate import generate_jobs, posting_text
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.preparation import prepare_job, prepare_profile
from tools.schemas import JobPosting
from tools.scoring import score_many


def _rows(start: int, n: int, salt: str = "") -> list[JobUpsert]:
    out = []
    for i, raw in enumerate(generate_jobs(n, seed=start), start=start):
        job = parse_job(posting_text(raw) + salt)
        out.append(JobUpsert(source="t", external_id=str(i), title=job.title or "",
                             company=raw.get("company"), parsed=job.model_dump(mode="json"),
                             content_hash=f"h{i}{salt}", keywords=job.keywords))
    return out


def test_indexes_score_like_the_engine_and_survive_in_a_snapshot(engine: Engine,
                                                                   tmp_path: Path) -> None:
    repo = JobRepo(engine)
    repo.upsert_many(_rows(0, 40))
    snap = tmp_path / "stage1.pkl"
    first = load_job_indexes(engine, snap)
    assert snap.exists() and len(first.screening) == 40 == len(first.keywords)
    # the screening columns read from the database give the engine's scores
    profile = prepare_profile(parse_cv(
        "Jane Roe\nSenior Python developer\n\nExperience\nBackend Engineer, Acme, 2016 - 2024\n"
        "- Built Django and PostgreSQL services on AWS\n\nSkills\nPython, Django, Docker"))
    postings = {str(r.id): JobPosting.model_validate(r.parsed) for r in repo.iter_active()}
    ref = score_many(profile, [prepare_job(postings[i]) for i in first.screening.ids])
    got = first.screening.screen(profile, semantic=False).lower
    assert np.allclose(got, ref, atol=1e-9)
    # same database: the snapshot is read back, not rebuilt
    stamp = snap.stat().st_mtime_ns
    again = load_job_indexes(engine, snap)
    assert snap.stat().st_mtime_ns == stamp and again.screening.ids == first.screening.ids
    # any change to the active jobs invalidates it
    before = stage1_fingerprint(engine)
    repo.upsert_many(_rows(40, 5))
    repo.set_status(int(first.screening.ids[0]), "EXPIRED")
    assert stage1_fingerprint(engine) != before
    fresh = load_job_indexes(engine, snap)
    assert len(fresh.screening) == 44 and first.screening.ids[0] not in fresh.screening.row
    assert fresh.screening.ids == build_job_indexes(engine).screening.ids


def test_a_damaged_snapshot_is_rebuilt(engine: Engine, tmp_path: Path) -> None:
    JobRepo(engine).upsert_many(_rows(0, 5))
    snap = tmp_path / "stage1.pkl"
    snap.write_bytes(b"not a pickle")
    built = load_job_indexes(engine, snap)
    assert len(built.screening) == 5
    assert load_job_indexes(engine, snap).screening.ids == built.screening.ids

