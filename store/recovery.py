"""Crash recovery of import batches.

Every import batch records the process running it (``runner`` = ``host:pid``) and a
``heartbeat`` it refreshes as chunks are stored (at most every :data:`BEAT_S` seconds). When a
process dies mid-import (killed, out of memory, power cut), its batch stays RUNNING. On start
(``agent.bootstrap.build_engine``), :func:`recover_batches` marks such batches INTERRUPTED with
a clear reason, finished now:

* a batch whose runner is on this host and whose process no longer exists;
* any RUNNING batch (another host, or a batch from before schema 2 without a runner) whose
  heartbeat is older than ``stale_after`` (default 15 minutes: a live import beats every few
  seconds).

Nothing else changes: chunks committed before the crash stay committed, and running the same
import again completes it (see ``store.ingest``: every job ends up stored exactly once).
"""

from __future__ import annotations

import logging
import os
import socket
import time
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select, update

from store.tables import BatchStatus, ImportBatchRecord, to_utc, utcnow

if TYPE_CHECKING:
    from sqlalchemy import Engine

logger = logging.getLogger(__name__)

#: Seconds between two heartbeats of a running import.
BEAT_S = 5.0
#: A RUNNING batch without a heartbeat for this long is taken to be dead.
STALE_AFTER = timedelta(minutes=15)
INTERRUPTED_REASON = ("interrupted: the importing process stopped before the end; rows "
                      "imported until then are kept, run the import again to complete it")

_BATCHES = ImportBatchRecord.__table__  # type: ignore[attr-defined]
_last_beat: dict[int, float] = {}


def runner_id() -> str:
    """This process: ``host:pid``."""
    return f"{socket.gethostname()}:{os.getpid()}"[:200]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except OSError:
        return False
    return True


def _dead_here(runner: str) -> bool:
    """Whether ``runner`` names a process of this host that no longer runs."""
    host, _, pid = runner.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    return int(pid) != os.getpid() and not _alive(int(pid))


def beat(engine: Engine, batch_id: int, *, force: bool = False) -> None:
    """Refresh a running batch's heartbeat (at most every :data:`BEAT_S` seconds)."""
    now = time.monotonic()
    if not force and now - _last_beat.get(batch_id, 0.0) < BEAT_S:
        return
    _last_beat[batch_id] = now
    try:
        with engine.begin() as conn:
            conn.execute(update(_BATCHES).where(_BATCHES.c.id == batch_id)
                         .values(heartbeat=utcnow()))
    except Exception:  # bookkeeping must never stop an import
        logger.warning("could not record the import heartbeat", exc_info=True)


def recover_batches(engine: Engine, *, now: datetime | None = None,
                    stale_after: timedelta = STALE_AFTER) -> list[int]:
    """Mark RUNNING batches of dead processes INTERRUPTED; returns their ids."""
    now = now or utcnow()
    with engine.connect() as conn:
        running = list(conn.execute(
            select(_BATCHES.c.id, _BATCHES.c.runner, _BATCHES.c.heartbeat, _BATCHES.c.started,
                   _BATCHES.c.errors)
            .where(_BATCHES.c.status == BatchStatus.RUNNING.value)))
    dead: list[tuple[int, list[dict[str, object]]]] = []
    for batch_id, runner, heartbeat, started, errors in running:
        last = heartbeat or started
        stale = last is not None and to_utc(last) < now - stale_after
        if _dead_here(runner or "") or stale:
            dead.append((int(batch_id), list(errors or [])))
    if not dead:
        return []
    with engine.begin() as conn:
        for batch_id, errors in dead:
            conn.execute(
                update(_BATCHES)
                .where(_BATCHES.c.id == batch_id,
                       _BATCHES.c.status == BatchStatus.RUNNING.value)
                .values(status=BatchStatus.INTERRUPTED.value, finished=now,
                        errors=[*errors, {"row": 0, "reason": INTERRUPTED_REASON}]))
    ids = [b for b, _ in dead]
    logger.warning("import batches interrupted by a stopped process: %s", ids)
    return ids
