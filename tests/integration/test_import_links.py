"""A changed link alone updates the stored job on import (real SQLite file, Chroma, the static
embedder): the content hash leaves the URL out, so this is checked apart from it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from store.db import init_db, make_engine
from store.ingest.pipeline import import_jobs
from store.jobaccess import private_source
from store.repo import JobRepo, parsed_job
from store.static_embeddings import StaticEmbedder
from store.vectors import ChromaJobIndex


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    emb = StaticEmbedder()
    emb.load()
    return emb


class Store:
    def __init__(self, data: Path, embedder: StaticEmbedder) -> None:
        self.data = data
        self.engine: Engine = make_engine(None, data)
        init_db(self.engine)
        self.embedder = embedder
        self.index = ChromaJobIndex.persistent(data, embedder_name=embedder.name,
                                               dim=embedder.dim)
        self.stages: dict[str, float] = {}
        self._files = 0

    def run(self, rows: list[dict[str, Any]], **kwargs: Any) -> dict[str, Any]:
        self._files += 1
        path = self.data.parent / f"jobs{self._files}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
        self.stages = {}
        summary = import_jobs(path, engine=self.engine, index=self.index,
                              embedder=self.embedder, workers=1, timings=self.stages, **kwargs)
        return summary.model_dump()

    def link(self, external_id: str, source: str = "board") -> tuple[str | None, str | None]:
        """The stored URL column and the stored posting's URL."""
        rec = JobRepo(self.engine).by_external(source, external_id)
        assert rec is not None
        return rec.url, parsed_job(rec).url


@pytest.fixture
def store(tmp_path: Path, embedder: StaticEmbedder) -> Iterator[Store]:
    s = Store(tmp_path / "data", embedder)
    yield s
    s.engine.dispose()


def job(ext: str, url: str | None = None, **extra: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": ext, "source": "board", "title": f"Data Engineer {ext}", "company": "Acme",
        "location": "Berlin", "description": "Build pipelines in Python and SQL on AWS.",
    }
    if url is not None:
        row["url"] = url
    return row | extra


def counts(summary: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (summary["total"], summary["new"], summary["updated"], summary["unchanged"],
            summary["failed"])


def test_a_changed_link_alone_updates_the_stored_job(store: Store) -> None:
    first = store.run([job("a", "https://jobs.example/a"), job("b", "https://jobs.example/b"),
                       job("c", "https://jobs.example/c")])
    assert counts(first) == (3, 3, 0, 0, 0)
    hashes = store.index.hashes()
    repo = JobRepo(store.engine)
    a_before = repo.by_external("board", "a")
    assert a_before is not None

    second = store.run([job("a", "https://jobs.example/a-moved"),
                        job("b", "https://jobs.example/b"),
                        job("c")])  # no link this time: the stored one is kept
    assert counts(second) == (3, 0, 1, 2, 0)
    assert store.link("a") == ("https://jobs.example/a-moved",) * 2
    assert store.link("b") == ("https://jobs.example/b",) * 2
    assert store.link("c") == ("https://jobs.example/c",) * 2
    a_after = repo.by_external("board", "a")
    assert a_after is not None
    assert a_after.batch_id == second["batch_id"] and a_after.updated > a_before.updated
    assert a_after.content_hash == a_before.content_hash and a_after.status == "ACTIVE"
    assert store.index.hashes() == hashes and store.stages["embed"] == 0  # nothing re-embedded

    assert counts(store.run([job("a", "https://jobs.example/a-moved")])) == (1, 0, 0, 1, 0)


def test_a_repeated_key_in_one_chunk_ends_with_its_last_link(store: Store) -> None:
    store.run([job("a", "https://jobs.example/1")])
    summary = store.run([job("a", "https://jobs.example/2"), job("x", "https://jobs.example/x"),
                         job("a", "https://jobs.example/3")])
    assert counts(summary) == (3, 1, 2, 0, 0)
    assert store.link("a") == ("https://jobs.example/3",) * 2
    # content and link change together: the upsert writes both, the link pass leaves it
    changed = store.run([job("a", "https://jobs.example/4", description="Now in Go."),
                         job("a", "https://jobs.example/5", description="Now in Go.")])
    assert counts(changed) == (2, 0, 2, 0, 0)
    assert store.link("a") == ("https://jobs.example/5",) * 2


def test_a_private_import_never_relinks_a_shared_job(store: Store) -> None:
    store.run([job("a", "https://jobs.example/a")])
    mine = store.run([job("a", "https://evil.example/a")], owner_id="alice", actor="user:alice")
    assert counts(mine) == (1, 1, 0, 0, 0)  # the user's own copy, in their private source
    assert store.link("a") == ("https://jobs.example/a",) * 2
    assert store.link("a", private_source("alice")) == ("https://evil.example/a",) * 2

    again = store.run([job("a", "https://mine.example/a")], owner_id="alice",
                      actor="user:alice")
    assert counts(again) == (1, 0, 1, 0, 0)  # their own job: its link follows
    assert store.link("a", private_source("alice")) == ("https://mine.example/a",) * 2
    assert store.link("a") == ("https://jobs.example/a",) * 2


def test_an_import_that_dies_before_the_links_are_written_is_completed_by_a_rerun(
        store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    import store.ingest.writer as writer
    from store.repo import BatchRepo

    store.run([job("a", "https://jobs.example/a"), job("b", "https://jobs.example/b")])
    rows = [job("a", "https://jobs.example/a2"), job("b", "https://jobs.example/b"),
            job("n", "https://jobs.example/n")]

    def die(*args: Any) -> None:
        raise RuntimeError("killed")

    monkeypatch.setattr(writer, "_write_urls", die)
    with pytest.raises(RuntimeError):
        store.run(rows)
    [failed] = BatchRepo(store.engine).recent(1)
    assert failed.status == "FAILED"
    assert store.link("a") == ("https://jobs.example/a",) * 2  # the chunk's upsert committed,
    assert store.link("n") == ("https://jobs.example/n",) * 2  # the link pass did not run
    monkeypatch.undo()

    assert counts(store.run(rows)) == (3, 0, 1, 2, 0)
    assert store.link("a") == ("https://jobs.example/a2",) * 2


def test_a_running_service_shows_the_new_link_after_a_reimport(tmp_path: Path) -> None:
    """The service keeps parsed postings in memory by content hash; a link-only change must
    not be served stale from there (a card's link, and finding the job by its new link)."""
    from tests.integration.agent_store import build_store, sample_jobs

    service = build_store(tmp_path / "svc", n_jobs=3)
    try:
        first = sample_jobs(3)[0]
        old_url = str(first["url"])
        card = service.job_card(old_url)
        assert card.url == old_url
        assert service.job_card(str(card.ref)).url == old_url  # now memoised

        moved = dict(first, url=old_url + "-reposted")
        path = tmp_path / "moved.json"
        path.write_text(json.dumps([moved]), encoding="utf-8")
        summary = service.import_jobs(path)
        assert (summary.updated, summary.unchanged) == (1, 0)

        assert service.job_card(str(card.ref)).url == moved["url"]
        assert service.job_card(str(moved["url"])).ref == card.ref
    finally:
        service.engine.dispose()
