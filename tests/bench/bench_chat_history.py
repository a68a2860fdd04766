"""Moving an old web chat history (``cl_*`` tables in jobfit.db) to its own tables at start.

    python -m tests.bench.bench_chat_history [--threads 1000] [--steps 20]

Writes a history in the layout of earlier versions into a temporary SQLite ``jobfit.db``
(``--threads`` threads of ``--steps`` messages of ~400 characters, one card each), then times
``create_chat_tables`` (``ui/chat_history.py``): copy into ``jobfit-chat.db``, drop the old
tables, empty the WAL. Prints the time and the files' sizes. A figure, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from tests.integration.test_chat_history import _legacy_ddl
from ui import chat_history


def write_legacy(url: str, threads: int, steps: int) -> None:
    engine = create_engine(url)
    body = "I have eight years of Python and PostgreSQL; what am I missing for this role? " * 5
    with engine.begin() as conn:
        for stmt in _legacy_ddl("sqlite"):
            conn.execute(text(stmt))
        user = str(uuid.uuid4())
        conn.execute(text("INSERT INTO cl_users (id, identifier, metadata) VALUES (:i, 'u', '{}')"),
                     {"i": user})
        for t in range(threads):
            tid = str(uuid.uuid4())
            conn.execute(text('INSERT INTO cl_threads (id, name, "userId", "userIdentifier", '
                              'metadata) VALUES (:i, :n, :u, \'u\', \'{}\')'),
                         {"i": tid, "n": f"chat {t}", "u": user})
            rows = [{"i": str(uuid.uuid4()), "t": tid, "o": body} for _ in range(steps)]
            conn.execute(text('INSERT INTO cl_steps (id, name, type, "threadId", streaming, '
                              "output) VALUES (:i, 'jobfit', 'assistant_message', :t, 0, :o)"),
                         rows)
            conn.execute(text('INSERT INTO cl_elements (id, "threadId", type, name, "forId", '
                              "props) VALUES (:i, :t, 'custom', 'ScoreCard', :f, :p)"),
                         {"i": str(uuid.uuid4()), "t": tid, "f": rows[-1]["i"],
                          "p": json.dumps({"score": 74, "bars": list(range(5))})})
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jobfit-bench-chat-") as tmp:
        db = Path(tmp) / "jobfit.db"
        url = f"sqlite:///{db}"
        write_legacy(url, args.threads, args.steps)
        before = db.stat().st_size
        started = time.perf_counter()
        moved = chat_history.create_chat_tables(url)
        took = time.perf_counter() - started
        chat = Path(tmp) / "jobfit-chat.db"
        print(f"moved {moved:,} threads ({moved * args.steps:,} messages) in {took:.2f} s; "
              f"jobfit.db {before / 1e6:.1f} MB before, chat file {chat.stat().st_size / 1e6:.1f}"
              " MB")
        started = time.perf_counter()
        chat_history.create_chat_tables(url)
        print(f"next start (nothing to move): {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
