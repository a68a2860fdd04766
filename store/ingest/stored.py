"""What the database already holds for a chunk's keys (one light query per chunk, not per row)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from store.repo import JobUpsert


@dataclass(frozen=True, slots=True)
class StoredJob:
    """What the pipeline needs of a stored job (one light query per chunk, not per row)."""

    id: int
    content_hash: str
    status: str
    duplicate_of: int | None
    company: str | None
    imported: datetime | None
    url: str | None = None


def lookup_stored(engine: Engine,
                  keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], StoredJob]:
    """The stored jobs among ``(source, external_id)`` keys, by key (absent: not stored)."""
    from sqlalchemy import select

    from store.db import session_scope
    from store.tables import JobRecord

    t = JobRecord.__table__.c  # type: ignore[attr-defined]
    by_source: dict[str, list[str]] = {}
    for source, ext in dict.fromkeys(keys):
        by_source.setdefault(source, []).append(ext)
    out: dict[tuple[str, str], StoredJob] = {}
    if not by_source:
        return out
    with session_scope(engine) as session:
        for source, ids in by_source.items():
            for start in range(0, len(ids), 500):
                stmt = select(
                    t.id, t.external_id, t.content_hash, t.status, t.duplicate_of, t.company,
                    t.imported, t.url,
                ).where(t.source == source, t.external_id.in_(ids[start:start + 500]))
                for job_id, ext, chash, status, dup, company, imported, url in \
                        session.execute(stmt):
                    out[(source, ext)] = StoredJob(int(job_id), chash, str(status), dup,
                                                   company, imported, url)
    return out


def companies_elsewhere(engine: Engine, rows: Sequence[JobUpsert]) -> set[tuple[str, str]]:
    """(company_key, source) pairs of ACTIVE jobs at a company one of ``rows`` names."""
    from sqlalchemy import select

    from store.db import session_scope
    from store.repo import normalise_company
    from store.tables import JobRecord, JobStatus

    t = JobRecord.__table__.c  # type: ignore[attr-defined]
    keys = sorted({k for r in rows if (k := normalise_company(r.company))})
    out: set[tuple[str, str]] = set()
    if not keys:
        return out
    with session_scope(engine) as session:
        for start in range(0, len(keys), 500):
            stmt = select(t.company_key, t.source).distinct().where(
                t.status == JobStatus.ACTIVE.value, t.company_key.in_(keys[start:start + 500]))
            out.update((str(k), str(s)) for k, s in session.execute(stmt))
    return out
