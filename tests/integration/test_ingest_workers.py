"""The import's parsing workers: entry points importable by path, and a multi-process import
that stores and indexes exactly what a single-process one does (real SQLite, Chroma, fork)."""

from __future__ import annotations

import importlib
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from store.db import init_db, make_engine
from store.ingest import workers
from store.ingest.pipeline import import_jobs
from store.samples.generate import generate_jobs
from store.static_embeddings import StaticEmbedder
from store.vectors import ChromaJobIndex


def test_worker_entry_points_pickle_by_import_path() -> None:
    for fn in (workers.init_worker, workers.prepare_in_worker):
        assert fn.__module__ == "store.ingest.workers"
        assert getattr(importlib.import_module(fn.__module__), fn.__qualname__) is fn
        assert pickle.loads(pickle.dumps(fn)) is fn


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    emb = StaticEmbedder()
    emb.load()
    return emb


def _import(data: Path, path: Path, embedder: StaticEmbedder, n_workers: int
            ) -> tuple[dict[str, Any], dict[str, float], Engine, ChromaJobIndex]:
    engine = make_engine(None, data)
    init_db(engine)
    index = ChromaJobIndex.persistent(data, embedder_name=embedder.name, dim=embedder.dim)
    stages: dict[str, float] = {}
    summary = import_jobs(path, engine=engine, index=index, embedder=embedder, chunk_size=40,
                          workers=n_workers, timings=stages)
    return summary.model_dump(), stages, engine, index


def _stored(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT id, source, external_id, content_hash, status, title, skills, parsed "
            "FROM jobs ORDER BY id"))]


@pytest.mark.skipif(not workers.can_fork(), reason="parsing workers fork (Linux)")
def test_multi_process_import_matches_a_single_process_one(tmp_path: Path,
                                                            embedder: StaticEmbedder) -> None:
    path = tmp_path / "jobs.jsonl"
    rows = generate_jobs(200, seed=5)
    rows[7] = {"title": ""}  # one bad row: its error must come back from the worker
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    one, one_stages, one_engine, one_index = _import(tmp_path / "one", path, embedder, 1)
    two, two_stages, two_engine, two_index = _import(tmp_path / "two", path, embedder, 2)

    assert one["failed"] == 1 and one["errors"] == [
        {"row": 8, "reason": "no title and no description"}]
    assert {k: v for k, v in two.items() if k != "batch_id"} == \
        {k: v for k, v in one.items() if k != "batch_id"}
    assert one_stages["parse"] > 0 and one_stages["wait"] == 0  # parsed here
    assert two_stages["parse"] == 0 and two_stages["wait"] > 0  # parsed by the workers
    assert workers._FORK_STATE == {}  # the pool is gone, and with it what it inherited
    assert _stored(two_engine) == _stored(one_engine)
    assert two_index.hashes() == one_index.hashes()
    assert len(one_index.hashes()) == 199
    for engine in (one_engine, two_engine):
        engine.dispose()
