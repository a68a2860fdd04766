"""Expiry: jobs older than 30 days marked EXPIRED and removed from the index."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tools.search import JobIndex


def expire_jobs(engine: Engine, index: JobIndex, now: datetime | None = None) -> int:
    """Mark jobs older than 30 days EXPIRED and remove them from the index; how many."""
    from store.repo import JobRepo

    ids = JobRepo(engine).expire(now or datetime.now(UTC))
    if ids:
        index.delete([str(i) for i in ids])
    return len(ids)
