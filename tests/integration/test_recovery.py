"""Crash recovery: an import killed with SIGKILL half-way is marked INTERRUPTED when jobfit
starts again (``agent.bootstrap.build_engine``), a live one is left alone; the web chat's stale
"Importing…" messages and orphaned upload files are cleaned at start (``ui.recovery``)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, text

from agent.bootstrap import build_engine
from agent.settings import Settings
from store.db import init_db, make_engine, session_scope
from store.recovery import INTERRUPTED_REASON, recover_batches
from store.repo import BatchRepo
from store.samples.generate import generate_jobs
from store.tables import ImportBatchRecord, utcnow
from ui.recovery import delete_orphan_uploads, interrupted_text, mark_interrupted_imports

ROOT = Path(__file__).resolve().parents[2]

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
import_jobs(sys.argv[2], engine=engine, index=index, embedder=emb, chunk_size=50, workers=1)
"""


def _jobs(engine: Engine) -> int:
    try:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM jobs")).scalar_one())
    except Exception:  # the child has not created the schema yet
        return 0


def test_a_killed_import_is_marked_interrupted_on_start(tmp_path: Path) -> None:
    path = tmp_path / "jobs.jsonl"
    path.write_text("".join(json.dumps(j) + "\n" for j in generate_jobs(1500, seed=5)))
    data = tmp_path / "data"
    data.mkdir()
    probe = make_engine(None, data)
    child = subprocess.Popen([sys.executable, "-c", _CHILD, str(data), str(path)], cwd=ROOT,
                             start_new_session=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 240
        while _jobs(probe) < 150:
            assert child.poll() is None, child.stderr.read().decode() if child.stderr else ""
            assert time.monotonic() < deadline, "the import made no progress"
            time.sleep(0.05)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()
    assert child.returncode == -signal.SIGKILL
    probe.dispose()

    # the batch of the dead process is still RUNNING ... until jobfit starts again
    engine = make_engine(None, data)
    [killed] = BatchRepo(engine).recent(1)
    assert killed.status == "RUNNING" and killed.runner.endswith(f":{child.pid}")
    # a RUNNING batch of a live process (this one) is left alone
    live = BatchRepo(engine).start("import", "live.json")
    engine.dispose()

    engine = build_engine(Settings(data_dir=data))  # what every jobfit command does first
    killed_after = BatchRepo(engine).get(killed.id or 0)
    assert killed_after is not None and killed_after.status == "INTERRUPTED"
    assert killed_after.finished is not None
    assert killed_after.errors[-1] == {"row": 0, "reason": INTERRUPTED_REASON}
    live_after = BatchRepo(engine).get(live)
    assert live_after is not None and live_after.status == "RUNNING"
    assert recover_batches(engine) == []  # idempotent
    engine.dispose()


def test_stale_heartbeats_from_other_hosts(tmp_path: Path) -> None:
    engine = make_engine(None, tmp_path)
    init_db(engine)
    now = utcnow()
    with session_scope(engine) as s:
        fresh = ImportBatchRecord(source="a", runner="elsewhere:1", heartbeat=now)
        stale = ImportBatchRecord(source="b", runner="elsewhere:2",
                                  heartbeat=now - timedelta(hours=1))
        legacy = ImportBatchRecord(source="c", runner="", heartbeat=None,
                                   started=now - timedelta(days=1))
        done = ImportBatchRecord(source="d", runner=f"{socket.gethostname()}:999999999",
                                 status="DONE")
        s.add_all([fresh, stale, legacy, done])
        s.flush()
        ids = [fresh.id, stale.id, legacy.id, done.id]
    assert sorted(recover_batches(engine, now=now)) == sorted([ids[1], ids[2]])
    statuses = [BatchRepo(engine).get(i or 0).status for i in ids]  # type: ignore[union-attr]
    assert statuses == ["RUNNING", "INTERRUPTED", "INTERRUPTED", "DONE"]
    engine.dispose()


def test_web_chat_leftovers_are_cleaned(tmp_path: Path) -> None:
    from ui.chat_history import chat_engine, create_chat_tables

    url = f"sqlite:///{tmp_path / 'jobfit.db'}"
    create_chat_tables(url)
    engine = chat_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO threads (id, name) VALUES ('t1', 'Files')"))
        for i, output in enumerate([
                "⏳ Importing jobs from board.csv: 1,200 / 5,000 rows…",
                "⏳ Importing jobs from feed.json…",
                "✅ Imported ok.json: 3 rows — 3 new, 0 updated, 0 unchanged."]):
            conn.execute(text('INSERT INTO steps (id, name, type, "threadId", streaming, '
                              'output) VALUES (:i, \'x\', \'assistant_message\', \'t1\', 0, :o)'),
                         {"i": f"s{i}", "o": output})
    assert mark_interrupted_imports(url) == 2
    with engine.connect() as conn:
        outputs = [r[0] for r in conn.execute(text('SELECT output FROM steps ORDER BY id'))]
    assert outputs[0] == interrupted_text("⏳ Importing jobs from board.csv: 1,200 / 5,000 rows…")
    assert "board.csv was interrupted" in outputs[0] and "feed.json was interrupted" in outputs[1]
    assert outputs[2].startswith("✅")
    assert mark_interrupted_imports(url) == 0
    engine.dispose()

    uploads = tmp_path / "uploads"
    (uploads / "dead-session").mkdir(parents=True)
    (uploads / "dead-session" / "cv.pdf").write_bytes(b"%PDF")
    (uploads / "dead-session" / "jobs.json").write_text("[]")
    start = time.time() + 1
    newer = uploads / "new-session" / "tailored.docx"
    newer.parent.mkdir()
    newer.write_bytes(b"x")
    os.utime(newer, (start + 5, start + 5))
    assert delete_orphan_uploads(uploads, before=start) == 2
    assert not (uploads / "dead-session").exists() and newer.exists()
