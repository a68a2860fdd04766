"""Repositories of the job collection: the only code that reads and writes the job tables.

- ``JobRepo`` / ``BatchRepo``: the shared job collection and import bookkeeping, and the look-ups
  the service needs (a job reference to its id, groups of duplicate postings).
- Users, logins and web sessions: ``store/users.py``; a user's CVs, matches and feedback:
  ``store/userdata.py`` (every read there takes ``owner_id`` and filters by it).
- ``NotFoundError`` and the chunking of long ``IN (...)`` lists are shared by all of them.

Each public method runs in its own transaction (``session_scope``) and returns detached
records (usable after the call, not lazily reloaded). Nothing here logs CV text, e-mail
addresses or phone numbers: logs carry ids and counts only.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz
from sqlalchemy import Engine, and_, case, delete, func, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from store.db import session_scope
from store.tables import (
    BatchStatus,
    FeedbackRecord,
    ImportBatchRecord,
    JobRecord,
    JobStatus,
    MatchRecord,
    to_utc,
    utcnow,
)
from tools.errors import JobfitError
from tools.schemas import JobPosting

logger = logging.getLogger(__name__)

UpsertOutcome = Literal["new", "updated", "unchanged"]

_IN_CHUNK = 500  # ids per IN (...) list: well under SQLite's bound-parameter limit


class NotFoundError(JobfitError):
    """The record does not exist (or is not yours)."""


def _chunks(items: list[Any], size: int = _IN_CHUNK) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


# --------------------------------------------------------------------------- normalisation

_COMPANY_SUFFIXES = {
    "inc", "incorporated", "llc", "ltd", "limited", "plc", "gmbh", "ag", "sa", "sas", "sarl",
    "bv", "nv", "corp", "corporation", "co", "company", "pty", "srl", "spa", "ab", "oy", "as",
    "kg", "group", "holdings",
}
_NON_WORD = re.compile(r"[^\w]+")


def _fold(value: str | None) -> str:
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", value)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", text.casefold()).strip()


def normalise_company(company: str | None) -> str:
    """'Acme, Inc.' → 'acme'; 'The Northstar Freight Co' → 'northstar freight'."""
    words = _fold((company or "").replace(".", "").replace("&", " and ")).split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


def normalise_location(location: str | None) -> str:
    return " ".join(_fold(location).split())


# --------------------------------------------------------------------------- jobs


class JobUpsert(BaseModel):
    """One job as the importer hands it over (already parsed)."""

    model_config = ConfigDict(extra="forbid")

    source: str
    external_id: str
    url: str | None = None
    title: str = ""
    company: str | None = None
    location: str | None = None
    remote: str | None = None  # work mode: "remote" | "hybrid" | "onsite" | None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    experience_min: float | None = None
    experience_max: float | None = None
    skills: list[str] = Field(default_factory=list)  # canonical skill ids
    keywords: list[str] = Field(default_factory=list)
    parsed: dict[str, Any] = Field(default_factory=dict)  # JobPosting.model_dump(mode="json")
    text: str = ""
    content_hash: str
    posted: date | None = None
    duplicate_of: int | None = None
    # provenance (store.provenance): the private owner (None = shared), who imported it, batch
    owner_id: str | None = None
    created_by: str = ""
    batch_id: int | None = None


_UPSERT_FIELDS = tuple(f for f in JobUpsert.model_fields
                       if f not in ("source", "external_id", "owner_id", "created_by"))


def parsed_job(record: JobRecord) -> JobPosting:
    """The stored ``JobPosting`` of a job record."""
    return JobPosting.model_validate(record.parsed)


class JobRepo:
    """The job collection (shared, not owned by a user)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def upsert_many(self, rows: list[JobUpsert]) -> list[str]:
        """Insert or update jobs on (source, external_id), all in ONE transaction.

        Returns one outcome per row, in order: "new", "updated" (content hash changed: fields
        replaced, status reset to ACTIVE, ``updated`` set) or "unchanged" (same content hash:
        nothing written). ``imported`` keeps the first import's time. A row repeating an
        earlier row's key in the same call is compared with that earlier row.
        """
        if not rows:
            return []
        now = utcnow()
        outcomes: list[str] = []
        with session_scope(self.engine) as session:
            existing: dict[tuple[str, str], JobRecord] = {}
            by_source: dict[str, set[str]] = {}
            for row in rows:
                by_source.setdefault(row.source, set()).add(row.external_id)
            for source, ids in by_source.items():
                for part in _chunks(sorted(ids)):
                    stmt = select(JobRecord).where(
                        JobRecord.source == source, col(JobRecord.external_id).in_(part)
                    )
                    for found in session.exec(stmt):
                        existing[(found.source, found.external_id)] = found
            for row in rows:
                key = (row.source, row.external_id)
                rec = existing.get(key)
                if rec is None:
                    rec = JobRecord(
                        **row.model_dump(),
                        company_key=normalise_company(row.company),
                        status=JobStatus.ACTIVE.value,
                        imported=now,
                        updated=now,
                    )
                    session.add(rec)
                    existing[key] = rec
                    outcomes.append("new")
                elif rec.content_hash == row.content_hash:
                    outcomes.append("unchanged")
                else:
                    for name in _UPSERT_FIELDS:
                        setattr(rec, name, getattr(row, name))
                    rec.company_key = normalise_company(row.company)
                    rec.status = JobStatus.ACTIVE.value
                    rec.updated = now
                    session.add(rec)
                    outcomes.append("updated")
        logger.debug(
            "upsert_many: %d rows, %d new, %d updated", len(rows), outcomes.count("new"),
            outcomes.count("updated"),
        )
        return outcomes

    def get(self, job_id: int) -> JobRecord | None:
        with session_scope(self.engine) as session:
            return session.get(JobRecord, job_id)

    def get_many(self, ids: list[int]) -> list[JobRecord]:
        """Jobs in the order of ``ids``; unknown ids are left out."""
        found: dict[int, JobRecord] = {}
        with session_scope(self.engine) as session:
            for part in _chunks(list(dict.fromkeys(ids))):
                for rec in session.exec(select(JobRecord).where(col(JobRecord.id).in_(part))):
                    assert rec.id is not None
                    found[rec.id] = rec
        return [found[i] for i in ids if i in found]

    def by_external(self, source: str, external_id: str) -> JobRecord | None:
        with session_scope(self.engine) as session:
            stmt = select(JobRecord).where(
                JobRecord.source == source, JobRecord.external_id == external_id
            )
            return session.exec(stmt).first()

    def iter_active(self, batch: int = 1000) -> Iterator[JobRecord]:
        """Every ACTIVE job by id, read ``batch`` at a time (keyset pages, short sessions)."""
        last = 0
        while True:
            with session_scope(self.engine) as session:
                stmt = (
                    select(JobRecord)
                    .where(JobRecord.status == JobStatus.ACTIVE.value, col(JobRecord.id) > last)
                    .order_by(col(JobRecord.id))
                    .limit(batch)
                )
                page = list(session.exec(stmt))
            if not page:
                return
            yield from page
            last = page[-1].id or last
            if len(page) < batch:
                return

    def count_by_status(self) -> dict[str, int]:
        """{"active": N, "expired": N, "filled": N, "closed": N} (every status, zeros too)."""
        counts = {s.value.lower(): 0 for s in JobStatus}
        with session_scope(self.engine) as session:
            stmt = select(JobRecord.status, func.count()).group_by(JobRecord.status)
            for status, n in session.exec(stmt):
                counts[str(status).lower()] = int(n)
        return counts

    def fingerprint(self) -> tuple[str, ...]:
        """What changes whenever any job (shared or private, any status) is added, updated or
        deleted: the number of jobs, the highest id and the latest ``updated``."""
        table = JobRecord.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            row = conn.execute(sa_select(func.count(), func.max(table.c.id),
                                         func.max(table.c.updated))).one()
        return tuple(str(v) for v in row)

    def count_by_source(self) -> dict[str, int]:
        """Jobs per source (every status)."""
        with session_scope(self.engine) as session:
            stmt = select(JobRecord.source, func.count()).group_by(JobRecord.source)
            return {str(source): int(n) for source, n in session.exec(stmt)}

    def expire(self, now: datetime, days: int = 30) -> list[int]:
        """Mark ACTIVE jobs EXPIRED once min(posted + days, imported + days) < now.

        ``posted`` is a date, taken as midnight UTC. Returns the ids expired (for the index).
        """
        now = to_utc(now)
        cutoff = now - timedelta(days=days)
        # posted(00:00) + days < now  <=>  posted(00:00) < cutoff
        posted_old = (
            col(JobRecord.posted) <= cutoff.date()
            if cutoff.time() != datetime.min.time()
            else col(JobRecord.posted) < cutoff.date()
        )
        condition = and_(
            col(JobRecord.status) == JobStatus.ACTIVE.value,
            or_(col(JobRecord.imported) < cutoff, and_(col(JobRecord.posted).isnot(None),
                                                       posted_old)),
        )
        with session_scope(self.engine) as session:
            ids = [int(i) for i in session.exec(select(JobRecord.id).where(condition)) if i]
            for part in _chunks(ids):
                session.exec(
                    update(JobRecord)
                    .where(col(JobRecord.id).in_(part))
                    .values(status=JobStatus.EXPIRED.value, updated=now)
                )
        if ids:
            logger.info("expired %d jobs", len(ids))
        return ids

    def set_status(self, job_id: int, status: JobStatus | str) -> bool:
        status = JobStatus(status)
        with session_scope(self.engine) as session:
            rec = session.get(JobRecord, job_id)
            if rec is None:
                return False
            rec.status = status.value
            rec.updated = utcnow()
            session.add(rec)
            return True

    def delete(self, job_id: int) -> bool:
        """Delete one job (its matches and feedback go with it; duplicates are unlinked)."""
        with session_scope(self.engine) as session:
            rec = session.get(JobRecord, job_id)
            if rec is None:
                return False
            # Explicit rather than relying on ON DELETE alone (clear for both back ends).
            session.exec(
                update(JobRecord).where(col(JobRecord.duplicate_of) == job_id)
                .values(duplicate_of=None)
            )
            session.exec(delete(FeedbackRecord).where(col(FeedbackRecord.job_id) == job_id))
            session.exec(delete(MatchRecord).where(col(MatchRecord.job_id) == job_id))
            session.delete(rec)
            return True

    def find_near_duplicate(
        self,
        company: str | None,
        title: str | None,
        location: str | None,
        posted: date | None,
        exclude_source: str | None,
        *,
        days: int = 3,
        min_similarity: float = 90.0,
    ) -> JobRecord | None:
        """An ACTIVE job from another source that is the same posting, or None.

        Same: normalised company equal, ``fuzz.token_sort_ratio`` of the titles ≥ 90,
        normalised location equal (both unknown counts as equal), posted within ``days`` (a
        missing posted date falls back to the import date / today). Returns the original of
        the best candidate (follows ``duplicate_of``) so chains do not form.
        """
        key = normalise_company(company)
        if not key or not title:
            return None
        ref_day = posted or utcnow().date()
        loc = normalise_location(location)
        stmt = select(JobRecord).where(
            JobRecord.company_key == key, JobRecord.status == JobStatus.ACTIVE.value
        )
        if exclude_source is not None:
            stmt = stmt.where(JobRecord.source != exclude_source)
        stmt = stmt.where(col(JobRecord.owner_id).is_(None))  # never a user's private job
        best: tuple[float, JobRecord] | None = None
        with session_scope(self.engine) as session:
            for rec in session.exec(stmt):
                day = rec.posted or rec.imported.date()
                if abs((day - ref_day).days) > days:
                    continue
                if normalise_location(rec.location) != loc:
                    continue
                sim = fuzz.token_sort_ratio(_fold(title), _fold(rec.title))
                if sim >= min_similarity and (best is None or sim > best[0]):
                    best = (sim, rec)
            if best is None:
                return None
            found = best[1]
            if found.duplicate_of is not None:
                original = session.get(JobRecord, found.duplicate_of)
                if original is not None:
                    return original
            return found


    def resolve_ref(self, kind: str, value: str, viewer: str | None = None) -> int | None:
        """The id of the job a reference points at among the jobs ``viewer`` may see (shared
        ones plus their private ones), or None. ``kind`` is "url" (matched as given, then in
        its canonical form) or "external" (the source's external id); an ACTIVE job wins
        over an expired copy, then the lowest id."""
        from store.jobaccess import visible_clause

        table = JobRecord.__table__  # type: ignore[attr-defined]
        column = table.c.url if kind == "url" else table.c.external_id
        stmt = (sa_select(table.c.id).where(column == value, visible_clause(viewer))
                .order_by(case((table.c.status == JobStatus.ACTIVE.value, 0), else_=1),
                          table.c.id).limit(1))
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
            if row is None and kind == "url":
                from store.ingest.identity import canonical_url

                row = conn.execute(sa_select(table.c.id).where(
                    table.c.url == canonical_url(value), visible_clause(viewer))
                    .limit(1)).first()
        return None if row is None else int(row[0])

    def duplicate_groups(self, job_ids: Iterable[int]) -> dict[int, tuple[int, list[str]]]:
        """For jobs linked as duplicates (``duplicate_of``): job id -> (the group's original
        id, the sources of the other copies). Jobs without copies are left out."""
        ids = list(dict.fromkeys(int(j) for j in job_ids))
        if not ids:
            return {}
        table = JobRecord.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            heads: dict[int, Any] = {}
            for part in _chunks(ids):
                heads.update((int(r[0]), r[1]) for r in conn.execute(
                    sa_select(table.c.id, table.c.duplicate_of).where(table.c.id.in_(part))))
            roots = {j: int(d) if d is not None else j for j, d in heads.items()}
            rows: list[Any] = []
            for part in _chunks(sorted(set(roots.values()))):
                rows += conn.execute(
                    sa_select(table.c.id, table.c.source, table.c.duplicate_of).where(
                        or_(table.c.id.in_(part), table.c.duplicate_of.in_(part)))).all()
        members: dict[int, list[tuple[int, str]]] = {}
        for rid, source, dup in dict.fromkeys(tuple(r) for r in rows):
            root = int(dup) if dup is not None else int(rid)
            members.setdefault(root, []).append((int(rid), str(source or "")))
        out: dict[int, tuple[int, list[str]]] = {}
        for j, root in roots.items():
            group = members.get(root) or []
            if len(group) < 2:
                continue
            out[j] = (root, sorted({src for rid, src in group if rid != j and src}))
        return out


# --------------------------------------------------------------------------- import batches


class BatchRepo:
    """Import batches: one row per ``jobfit import`` run."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def start(self, source: str, file_name: str, *, actor: str = "",
              owner_id: str | None = None) -> int:
        from store.recovery import runner_id

        with session_scope(self.engine) as session:
            rec = ImportBatchRecord(source=source, file_name=file_name, actor=actor,
                                    owner_id=owner_id, runner=runner_id(),
                                    heartbeat=utcnow())
            session.add(rec)
            session.flush()
            assert rec.id is not None
            return rec.id

    def finish(
        self,
        batch_id: int,
        counts: dict[str, int],
        errors: list[dict[str, Any]],
        status: BatchStatus | str = BatchStatus.DONE,
    ) -> None:
        """Store the final counts (keys total/new/updated/unchanged/failed) and row errors."""
        status = BatchStatus(status)
        with session_scope(self.engine) as session:
            rec = session.get(ImportBatchRecord, batch_id)
            if rec is None:
                raise NotFoundError(f"Import batch {batch_id} not found.")
            for name in ("total", "new", "updated", "unchanged", "failed"):
                setattr(rec, name, int(counts.get(name, 0)))
            rec.errors = [dict(e) for e in errors]
            rec.status = status.value
            rec.finished = utcnow()
            session.add(rec)

    def get(self, batch_id: int) -> ImportBatchRecord | None:
        with session_scope(self.engine) as session:
            return session.get(ImportBatchRecord, batch_id)

    def recent(self, limit: int = 20) -> list[ImportBatchRecord]:
        with session_scope(self.engine) as session:
            stmt = select(ImportBatchRecord).order_by(col(ImportBatchRecord.id).desc()).limit(limit)
            return list(session.exec(stmt))
