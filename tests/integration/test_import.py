"""Job import end to end: real SQLite file, real embedded Chroma, the static embedder.

Includes a real kill -9 of an import process half-way, then a re-run that must leave every job
exactly once in the database and in the index.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from store.db import init_db, make_engine
from store.ingest.expiry import expire_jobs
from store.ingest.pipeline import import_jobs
from store.repo import BatchRepo, JobRepo
from store.samples.generate import generate_jobs
from store.static_embeddings import StaticEmbedder
from store.vectors import ChromaJobIndex

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "store" / "samples" / "jobs.json"
FIX = ROOT / "tests" / "fixtures" / "imports"


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    emb = StaticEmbedder()
    emb.load()
    return emb


class Store:
    def __init__(self, data_dir: Path, embedder: StaticEmbedder) -> None:
        self.dir = data_dir
        self.engine: Engine = make_engine(None, data_dir)
        init_db(self.engine)
        self.embedder = embedder
        self.index = ChromaJobIndex.persistent(data_dir, embedder_name=embedder.name,
                                               dim=embedder.dim)

    def run(self, source: str | Path, **kwargs: Any) -> dict[str, Any]:
        summary = import_jobs(source, engine=self.engine, index=self.index,
                              embedder=self.embedder, **kwargs)
        return summary.model_dump()

    def jobs(self) -> list[tuple[int, str, str, str, str, int | None]]:
        with self.engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(  # type: ignore[misc]
                "SELECT id, source, external_id, content_hash, status, duplicate_of FROM jobs"))]

    def assert_consistent(self) -> None:
        """Every job once; the index holds exactly the active jobs, with their hashes."""
        jobs = self.jobs()
        keys = [(j[1], j[2]) for j in jobs]
        assert len(keys) == len(set(keys))
        active = {str(j[0]): j[3] for j in jobs if j[4] == "ACTIVE"}
        assert self.index.hashes() == active
        assert self.index.count() == len(active)


@pytest.fixture
def store(tmp_path: Path, embedder: StaticEmbedder) -> Iterator[Store]:
    s = Store(tmp_path / "data", embedder)
    yield s
    s.engine.dispose()


def counts(summary: dict[str, Any]) -> tuple[int, int, int, int, int]:
    return (summary["total"], summary["new"], summary["updated"], summary["unchanged"],
            summary["failed"])


# --------------------------------------------------------------------------- the bundled sample


def test_sample_import_reimport_and_one_change(store: Store, tmp_path: Path) -> None:
    seen: list[tuple[int, int | None]] = []
    first = store.run(SAMPLE, progress=lambda done, total: seen.append((done, total)))
    assert counts(first) == (320, 320, 0, 0, 0) and first["errors"] == []
    assert seen[-1][0] == 320 and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert JobRepo(store.engine).count_by_source() == {"sample": 320}
    store.assert_consistent()
    batch = BatchRepo(store.engine).get(first["batch_id"])
    assert batch is not None and batch.status == "DONE" and batch.new == 320

    again = store.run(SAMPLE, workers=1)
    assert counts(again) == (320, 0, 0, 320, 0)
    assert again["batch_id"] != first["batch_id"]
    store.assert_consistent()

    jobs = json.loads(SAMPLE.read_text(encoding="utf-8"))
    jobs[7]["description"] += "\nYou will also mentor two junior colleagues."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(jobs), encoding="utf-8")
    before = {j[2]: j[3] for j in store.jobs()}
    third = store.run(changed)
    assert counts(third) == (320, 0, 1, 319, 0)
    after = {j[2]: j[3] for j in store.jobs()}
    assert [k for k in after if after[k] != before[k]] == [jobs[7]["external_id"]]
    store.assert_consistent()


def test_bad_rows_are_recorded_and_the_import_goes_on(store: Store) -> None:
    summary = store.run(FIX / "jobs.jsonl", default_source="fixture")
    assert counts(summary) == (5, 2, 0, 0, 3)
    rows = {e["row"]: e["reason"] for e in summary["errors"]}
    assert set(rows) == {2, 3, 5}
    assert rows[2].startswith("invalid JSON") and rows[5] == "no title and no description"
    assert JobRepo(store.engine).count_by_source() == {"feedy": 1, "fixture": 1}
    batch = BatchRepo(store.engine).get(summary["batch_id"])
    assert batch is not None and batch.failed == 3 and len(batch.errors) == 3
    store.assert_consistent()


def test_importing_again_after_an_engine_upgrade_reparses(store: Store,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Postings stored by an older engine lack what the new parser reads; importing the same
    file again re-parses them (and keeps the index consistent)."""
    assert counts(store.run(FIX / "board_export.csv")) == (3, 2, 0, 0, 1)
    with store.engine.begin() as conn:  # what an older parser stored: no requirement terms
        conn.execute(text("UPDATE jobs SET parsed = json_remove(parsed, '$.terms')"))
    assert store.run(FIX / "board_export.csv", workers=1)["unchanged"] == 2  # same engine
    import tools.scoring

    monkeypatch.setattr(tools.scoring, "ENGINE_VERSION", "99.0.0")
    assert counts(store.run(FIX / "board_export.csv", workers=1)) == (3, 0, 2, 0, 1)
    with store.engine.connect() as conn:
        parsed = [json.loads(p) for (p,) in conn.execute(text("SELECT parsed FROM jobs"))]
    assert all("terms" in p for p in parsed)
    store.assert_consistent()


def test_csv_import_without_ids_is_stable(store: Store) -> None:
    first = store.run(FIX / "board_export.csv")
    assert counts(first) == (3, 2, 0, 0, 1)
    assert store.run(FIX / "board_export.csv")["unchanged"] == 2
    store.assert_consistent()


def test_missing_and_stale_index_entries_are_repaired(store: Store) -> None:
    store.run(SAMPLE)
    ids = sorted(store.index.hashes())
    store.index.delete(ids[:25])  # as if the process died between commit and indexing
    summary = store.run(SAMPLE, workers=1)
    assert counts(summary) == (320, 0, 0, 320, 0)
    store.assert_consistent()


def test_unreadable_file_marks_the_batch_failed(store: Store, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"jobs": [', encoding="utf-8")
    with pytest.raises(Exception, match="invalid JSON"):
        store.run(bad)
    [batch] = BatchRepo(store.engine).recent(1)
    assert batch.status == "FAILED"


def test_expire_removes_jobs_from_the_index(store: Store) -> None:
    store.run(SAMPLE, workers=1)
    assert expire_jobs(store.engine, store.index, now=datetime.now() + timedelta(days=400)) == 320
    assert store.index.count() == 0
    assert JobRepo(store.engine).count_by_status()["expired"] == 320
    # re-importing the same postings leaves them expired and out of the index
    assert store.run(SAMPLE, workers=1)["unchanged"] == 320
    store.assert_consistent()


# --------------------------------------------------------------------------- near-duplicates


def test_cross_source_near_duplicates_are_linked(store: Store, tmp_path: Path) -> None:
    base = {"title": "Senior Backend Engineer", "company": "Northstar Freight, Inc.",
            "location": "Chicago, IL", "description": "Build Go services on PostgreSQL.",
            "posted_date": "2025-05-01"}
    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps({**base, "id": "a-1", "source": "boarda"}) + "\n" +
                 json.dumps({"title": "Accountant", "company": "Northstar Freight",
                             "location": "Chicago, IL", "description": "Ledgers.",
                             "id": "a-2", "source": "boarda"}) + "\n", encoding="utf-8")
    b = tmp_path / "b.jsonl"
    b.write_text(json.dumps({**base, "title": "Senior Backend Engineer (Go)",
                             "company": "Northstar Freight",
                             "posted_date": "2025-05-03", "description": "Go + Postgres.",
                             "id": "b-9", "source": "boardb"}) + "\n", encoding="utf-8")
    assert store.run(a)["new"] == 2
    assert store.run(b)["new"] == 1
    jobs = {(j[1], j[2]): j for j in store.jobs()}
    original = jobs[("boarda", "a-1")]
    assert jobs[("boardb", "b-9")][5] == original[0]
    assert original[5] is None and jobs[("boarda", "a-2")][5] is None
    # the original changes later: it must not be linked back to its own duplicate
    changed = tmp_path / "a2.jsonl"
    changed.write_text(json.dumps({**base, "description": "Now also Kafka.", "id": "a-1",
                                   "source": "boarda"}) + "\n", encoding="utf-8")
    assert store.run(changed)["updated"] == 1
    jobs = {(j[1], j[2]): j for j in store.jobs()}
    assert jobs[("boarda", "a-1")][5] is None
    assert jobs[("boardb", "b-9")][5] == original[0]
    store.assert_consistent()


# --------------------------------------------------------------------------- RSS over HTTP


@pytest.fixture
def feed_server() -> Iterator[str]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(FIX))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_rss_feed_over_http(store: Store, feed_server: str) -> None:
    summary = store.run(f"{feed_server}/feed.xml")
    assert counts(summary) == (3, 2, 0, 0, 1)
    assert summary["errors"] == [{"row": 3, "reason": "no title and no description"}]
    assert JobRepo(store.engine).count_by_source() == {"127.0.0.1": 2}
    sre = JobRepo(store.engine).by_external("127.0.0.1", "orbit-sre-1")
    assert sre is not None and sre.company == "Orbit Labs"
    assert store.run(f"{feed_server}/feed.xml", default_source="orbit")["new"] == 2
    store.assert_consistent()


def test_unreachable_or_missing_feed_is_a_clear_error(store: Store, feed_server: str) -> None:
    with pytest.raises(Exception, match="The feed could not be read: HTTP 404"):
        store.run(f"{feed_server}/nope.xml")
    with pytest.raises(Exception, match="The feed could not be read"):
        store.run(f"{feed_server}/not_a_feed.xml", is_feed=True)


# --------------------------------------------------------------------------- a real kill

_CHILD = """
import sys
from pathlib import Path
from store.db import init_db, make_engine
from store.ingest.pipeline import import_jobs
from store.static_embeddings import StaticEmbedder
from store.vectors import ChromaJobIndex
data = Path(sys.argv[1])
engine = make_engine(None, data)
init_db(engine)
emb = StaticEmbedder()
emb.load()
index = ChromaJobIndex.persistent(data, embedder_name=emb.name, dim=emb.dim)
import_jobs(sys.argv[2], engine=engine, index=index, embedder=emb, chunk_size=int(sys.argv[3]))
"""


def _db_count(engine: Engine) -> int:
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM jobs")).scalar_one())
    except Exception:  # the child has not created the schema yet
        return 0


@pytest.mark.slow
def test_killed_import_rerun_leaves_every_job_exactly_once(tmp_path: Path,
                                                           embedder: StaticEmbedder) -> None:
    n, chunk = 2000, 50
    path = tmp_path / "jobs.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for job in generate_jobs(n, seed=11):
            fh.write(json.dumps(job) + "\n")
    data = tmp_path / "data"
    data.mkdir()
    probe = make_engine(None, data)

    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(data), str(path), str(chunk)],
                             cwd=ROOT, start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while _db_count(probe) < 6 * chunk:
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            assert time.monotonic() < deadline, "the import made no progress"
            time.sleep(0.05)
        os.killpg(child.pid, signal.SIGKILL)  # the import and its parsing workers
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == -signal.SIGKILL
    committed = _db_count(probe)
    assert 0 < committed < n, "kill the import half-way"
    assert committed % chunk == 0, "a chunk is committed whole or not at all"
    probe.dispose()

    store = Store(data, embedder)
    [killed] = BatchRepo(store.engine).recent(1)
    assert killed.status == "RUNNING"  # it never finished
    indexed_at_kill = store.index.count()
    summary = store.run(path, chunk_size=chunk)
    print(f"killed with {committed} jobs committed, {indexed_at_kill} indexed; re-run: "
          f"{counts(summary)}")
    assert counts(summary) == (n, n - committed, 0, committed, 0)
    jobs = store.jobs()
    assert len(jobs) == n
    assert len({j[2] for j in jobs}) == n
    store.assert_consistent()
    store.engine.dispose()
