"""A small real store for the agent tests: SQLite file + embedded Chroma + the static embedder,
with the first 60 bundled sample jobs imported. Built once per test module (a few seconds)."""

from __future__ import annotations

import json
from pathlib import Path

from agent.service import JobfitService
from store.db import init_db, make_engine
from store.ingest.pipeline import import_jobs
from store.static_embeddings import StaticEmbedder
from store.vectors import ChromaJobIndex

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_JOBS = ROOT / "store" / "samples" / "jobs.json"
SAMPLE_CVS = ROOT / "store" / "samples" / "cvs"
BACKEND_CV = (SAMPLE_CVS / "backend_engineer_senior.txt").read_text(encoding="utf-8")
NURSE_CV = (SAMPLE_CVS / "registered_nurse.txt").read_text(encoding="utf-8")
N_JOBS = 60

_EMBEDDER: StaticEmbedder | None = None


def embedder() -> StaticEmbedder:
    global _EMBEDDER
    if _EMBEDDER is None:
        _EMBEDDER = StaticEmbedder()
        _EMBEDDER.load()
    return _EMBEDDER


def sample_jobs(n: int = N_JOBS) -> list[dict[str, object]]:
    return list(json.loads(SAMPLE_JOBS.read_text(encoding="utf-8"))[:n])


def build_store(data_dir: Path, n_jobs: int = N_JOBS) -> JobfitService:
    """A service over a fresh store in ``data_dir`` holding the first ``n_jobs`` samples."""
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(None, data_dir)
    init_db(engine)
    emb = embedder()
    index = ChromaJobIndex.persistent(data_dir, embedder_name=emb.name, dim=emb.dim)
    jobs_file = data_dir / "jobs.json"
    jobs_file.write_text(json.dumps(sample_jobs(n_jobs)), encoding="utf-8")
    import_jobs(jobs_file, engine=engine, index=index, embedder=emb, workers=1)
    return JobfitService(engine=engine, embedder=emb, index=index)
