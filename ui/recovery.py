"""What a crashed web chat leaves behind, cleaned when ``jobfit ui`` starts.

* **"⏳ Importing jobs from …" messages** in the chat history (``steps``): the progress
  message of an import the server never finished. It is rewritten to say the import was
  interrupted and how to complete it (the batch itself is marked INTERRUPTED by
  ``store.recovery``).
* **orphaned upload files** under ``<data_dir>/uploads``: Chainlit keeps a session's uploads
  and downloads in ``uploads/<session id>/`` until the session ends; a crash leaves them. At
  start no session is alive, so every file older than this start is an orphan and is deleted
  (with its emptied session folders).
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

logger = logging.getLogger(__name__)

#: The progress message ``ui.webchat.uploads.import_jobs_file`` shows while an import runs.
IMPORTING_PREFIX = "⏳ Importing jobs from "
_NAME = re.compile(r"^⏳ Importing jobs from (.+?)(?:: [\d,]+(?: / [\d,]+)? rows)?…\s*$",
                   re.DOTALL)


def interrupted_text(progress: str) -> str:
    """The history text replacing a stale import progress message."""
    m = _NAME.match(progress.strip())
    name = m.group(1) if m else "your file"
    return (f"⚠️ The import of {name} was interrupted (jobfit stopped). Jobs imported before "
            "that are kept; drop the file again to complete the import.")


def mark_interrupted_imports(database_url: str) -> int:
    """Rewrite stale "Importing jobs" messages in the web chat history; how many."""
    from sqlalchemy import text

    from ui.chat_history import chat_engine

    engine = chat_engine(database_url)
    try:
        with engine.begin() as conn:
            rows = list(conn.execute(text(
                'SELECT "id", "output" FROM steps WHERE "output" LIKE :p'),
                {"p": IMPORTING_PREFIX + "%"}))
            for step_id, output in rows:
                conn.execute(text('UPDATE steps SET "output" = :o WHERE "id" = :i'),
                             {"o": interrupted_text(str(output)), "i": step_id})
        return len(rows)
    except Exception:  # no chat tables yet, or another back end's quirk: nothing to fix
        logger.debug("chat history not checked for interrupted imports", exc_info=True)
        return 0
    finally:
        engine.dispose()


def delete_orphan_uploads(uploads: Path, *, before: float | None = None) -> int:
    """Delete files under ``uploads`` last modified before ``before`` (default: now) and
    the session folders left empty; how many files."""
    before = time.time() if before is None else before
    if not uploads.is_dir():
        return 0
    n = 0
    for file in sorted(p for p in uploads.rglob("*") if p.is_file() or p.is_symlink()):
        try:
            if file.lstat().st_mtime < before:
                file.unlink()
                n += 1
        except FileNotFoundError:
            continue
    for folder in sorted((p for p in uploads.rglob("*") if p.is_dir()), reverse=True):
        try:
            folder.rmdir()  # only when empty
        except OSError:
            continue
    if n:
        logger.warning("deleted %d orphaned upload files", n)
    return n
