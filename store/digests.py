"""Repositories of digests and registered feeds, and the job facts a digest run reads.

Exactly once per (user, period): :meth:`DigestRepo.claim` inserts the ``(owner_id, period)``
row — the unique constraint makes the insert succeed in one process only, on SQLite and
PostgreSQL alike. The row carries a lease (``claimed_by``, ``claimed_at``); a run that died
(kill -9, power loss) leaves its row ``composing``/``delivering``, and once the lease is stale
another run takes it over with a compare-and-set ``UPDATE`` (one winner again) and carries on
where it stopped: the stored content is reused, channels already ``sent`` are not sent again,
and a channel caught ``sending`` is not retried (it may have gone out) but marked failed.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, func, update
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from store.db import session_scope
from store.tables import (
    DigestRecord,
    FeedRecord,
    JobRecord,
    JobStatus,
    MatchRecord,
    UserRecord,
    to_utc,
    utcnow,
)
from tools.errors import InvalidInputError

logger = logging.getLogger(__name__)

#: Digest statuses. ``composing`` and ``delivering`` are in progress (leased).
IN_PROGRESS = ("composing", "delivering")
DONE = ("sent", "empty", "failed")
_JOBS = JobRecord.__table__  # type: ignore[attr-defined]
_MATCHES = MatchRecord.__table__  # type: ignore[attr-defined]


class DigestRepo:
    """Digests (personal data): every read takes the owner's id and filters by it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def claim(self, owner_id: str, period: str, worker: str, *, lease_s: float = 600,
              now: datetime | None = None) -> DigestRecord | None:
        """The digest row of (owner, period) for this worker to work on, or None when another
        run holds it (lease still fresh) or it is finished."""
        now = to_utc(now or utcnow())
        try:
            with session_scope(self.engine) as session:
                rec = DigestRecord(owner_id=owner_id, period=period, claimed_by=worker,
                                   claimed_at=now, created=now)
                session.add(rec)
            return rec
        except IntegrityError:
            pass
        with session_scope(self.engine) as session:
            found = session.exec(select(DigestRecord).where(
                DigestRecord.owner_id == owner_id, DigestRecord.period == period)).first()
        if found is None or found.status not in IN_PROGRESS:
            return None
        if to_utc(found.claimed_at) > now - timedelta(seconds=lease_s):
            return None  # someone is (or may still be) working on it
        with session_scope(self.engine) as session:
            taken = session.exec(
                update(DigestRecord)
                .where(col(DigestRecord.id) == found.id,
                       col(DigestRecord.claimed_by) == found.claimed_by,
                       col(DigestRecord.claimed_at) == found.claimed_at)
                .values(claimed_by=worker, claimed_at=now)).rowcount
        if taken != 1:
            return None
        logger.info("digest %s: took over a stale run", found.id)
        return self.get(owner_id, int(found.id or 0))

    def renew(self, digest_id: int, worker: str) -> bool:
        """Extend the lease (still ours?)."""
        with session_scope(self.engine) as session:
            n = session.exec(
                update(DigestRecord)
                .where(col(DigestRecord.id) == digest_id, col(DigestRecord.claimed_by) == worker)
                .values(claimed_at=utcnow())).rowcount
        return bool(n)

    def store_content(self, digest_id: int, content: dict[str, Any],
                      job_ids: list[int]) -> None:
        with session_scope(self.engine) as session:
            rec = session.get(DigestRecord, digest_id)
            if rec is None:
                return
            rec.content = content
            rec.job_ids = list(job_ids)
            rec.status = "delivering"
            session.add(rec)

    def set_channel(self, digest_id: int, channel: str, status: str, reason: str = "",
                    attempts: int = 0) -> None:
        with session_scope(self.engine) as session:
            rec = session.get(DigestRecord, digest_id)
            if rec is None:
                return
            rec.channels = {**rec.channels, channel: {
                "status": status, "reason": reason[:300], "attempts": attempts,
                "at": utcnow().isoformat()}}
            session.add(rec)

    def finish(self, digest_id: int, status: str) -> None:
        with session_scope(self.engine) as session:
            rec = session.get(DigestRecord, digest_id)
            if rec is None:
                return
            rec.status = status
            rec.finished = utcnow()
            session.add(rec)

    def get(self, owner_id: str, digest_id: int) -> DigestRecord | None:
        with session_scope(self.engine) as session:
            return session.exec(select(DigestRecord).where(
                DigestRecord.id == digest_id, DigestRecord.owner_id == owner_id)).first()

    def by_period(self, owner_id: str, period: str) -> DigestRecord | None:
        with session_scope(self.engine) as session:
            return session.exec(select(DigestRecord).where(
                DigestRecord.owner_id == owner_id, DigestRecord.period == period)).first()

    def list(self, owner_id: str, *, limit: int = 20) -> builtins.list[DigestRecord]:
        """The owner's digests, newest first."""
        with session_scope(self.engine) as session:
            return builtins.list(session.exec(
                select(DigestRecord).where(DigestRecord.owner_id == owner_id)
                .order_by(col(DigestRecord.created).desc(), col(DigestRecord.id).desc())
                .limit(limit)))

    def last_done(self, owner_id: str) -> DigestRecord | None:
        """The newest digest that was produced (sent, empty or failed delivery)."""
        with session_scope(self.engine) as session:
            return session.exec(
                select(DigestRecord).where(DigestRecord.owner_id == owner_id,
                                           col(DigestRecord.status).in_(DONE))
                .order_by(col(DigestRecord.created).desc(), col(DigestRecord.id).desc())
                .limit(1)).first()

    def shown_job_ids(self, owner_id: str) -> set[int]:
        """Every job listed in one of the owner's earlier digests."""
        with session_scope(self.engine) as session:
            rows = session.exec(select(DigestRecord.job_ids).where(
                DigestRecord.owner_id == owner_id))
            return {int(j) for ids in rows for j in (ids or [])}

    def latest_unseen(self, owner_id: str) -> DigestRecord | None:
        """The newest digest delivered in the app, if not viewed yet (an older unseen one is
        superseded by a newer one the user has seen)."""
        for rec in self.list(owner_id, limit=10):
            app = (rec.channels or {}).get("in_app") or {}
            if app.get("status") == "sent":
                return rec if rec.viewed_at is None else None
        return None

    def mark_viewed(self, owner_id: str, digest_id: int) -> bool:
        with session_scope(self.engine) as session:
            n = session.exec(
                update(DigestRecord)
                .where(col(DigestRecord.id) == digest_id, col(DigestRecord.owner_id) == owner_id,
                       col(DigestRecord.viewed_at).is_(None))
                .values(viewed_at=utcnow())).rowcount
        return bool(n)

    def count_by_status(self) -> dict[str, int]:
        with session_scope(self.engine) as session:
            rows = session.exec(select(DigestRecord.status, func.count())
                                .group_by(DigestRecord.status))
            return {str(s): int(n) for s, n in rows}


# --------------------------------------------------------------------------- job facts


@dataclass(frozen=True)
class JobFacts:
    """What a digest run reads about every active job, once per run."""

    imported: dict[str, datetime]  # job id (str) -> first import time
    group: dict[str, int]  # job id -> duplicate group (duplicate_of or its own id)
    skills: dict[str, list[str]]  # job id -> canonical skill ids


def job_facts(engine: Engine) -> JobFacts:
    """Import time, duplicate group and skills of every ACTIVE job (one pass, Core rows)."""
    imported: dict[str, datetime] = {}
    group: dict[str, int] = {}
    skills: dict[str, list[str]] = {}
    last = 0
    while True:
        stmt = (select(_JOBS.c.id, _JOBS.c.imported, _JOBS.c.duplicate_of, _JOBS.c.skills)
                .where(_JOBS.c.status == JobStatus.ACTIVE.value, _JOBS.c.id > last)
                .order_by(_JOBS.c.id).limit(5000))
        with engine.connect() as conn:
            page = list(conn.execute(stmt))
        for job_id, when, dup, sk in page:
            key = str(job_id)
            imported[key] = to_utc(when)
            group[key] = int(dup) if dup is not None else int(job_id)
            skills[key] = list(sk or [])
        if len(page) < 5000:
            break
        last = int(page[-1][0])
    return JobFacts(imported, group, skills)


@dataclass(frozen=True)
class TrackedJob:
    """One of the user's matches with its job's state (for "what changed")."""

    match_id: int
    job_id: int
    cv_id: int
    status: str  # match status
    score: int
    match_updated: datetime
    job_status: str
    job_updated: datetime
    external_id: str
    title: str
    company: str | None
    group: int


def tracked_jobs(engine: Engine, owner_id: str, *, limit: int = 5000) -> list[TrackedJob]:
    """The owner's matches (every status) joined with their jobs."""
    stmt = (core_select(_MATCHES.c.id, _MATCHES.c.job_id, _MATCHES.c.cv_id, _MATCHES.c.status,
                   _MATCHES.c.score, _MATCHES.c.updated, _JOBS.c.status, _JOBS.c.updated,
                   _JOBS.c.external_id, _JOBS.c.title, _JOBS.c.company, _JOBS.c.duplicate_of)
            .join(_JOBS, _JOBS.c.id == _MATCHES.c.job_id)
            .where(_MATCHES.c.owner_id == owner_id)
            .order_by(_MATCHES.c.id).limit(limit))
    with engine.connect() as conn:
        rows = list(conn.execute(stmt))
    return [TrackedJob(int(r[0]), int(r[1]), int(r[2]), str(r[3]), int(r[4]), to_utc(r[5]),
                       str(r[6]), to_utc(r[7]), str(r[8]), str(r[9] or ""), r[10],
                       int(r[11]) if r[11] is not None else int(r[1])) for r in rows]


def users_with_schedule(engine: Engine) -> builtins.list[tuple[str, dict[str, Any]]]:
    """(user id, preferences) of every user whose digest schedule is set."""
    out = []
    with session_scope(engine) as session:
        for uid, prefs in session.exec(select(UserRecord.id, UserRecord.preferences)):
            if (prefs or {}).get("digest_schedule"):
                out.append((str(uid), dict(prefs)))
    return sorted(out)


# --------------------------------------------------------------------------- feeds


class FeedRepo:
    """Registered feeds (shared, not personal)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, url: str, every_s: int) -> FeedRecord:
        url = url.strip()
        if not url.lower().startswith(("http://", "https://", "file://")) or len(url) > 2000:
            raise InvalidInputError("A feed is an http(s) URL.")
        if every_s < 60:
            raise InvalidInputError("A feed is refreshed at most once a minute (--every 1m).")
        with session_scope(self.engine) as session:
            rec = session.exec(select(FeedRecord).where(FeedRecord.url == url)).first()
            if rec is None:
                rec = FeedRecord(url=url, every_s=int(every_s))
            else:
                rec.every_s = int(every_s)
            session.add(rec)
        return rec

    def list(self) -> builtins.list[FeedRecord]:
        with session_scope(self.engine) as session:
            return builtins.list(session.exec(select(FeedRecord).order_by(col(FeedRecord.id))))

    def get(self, feed_id: int) -> FeedRecord | None:
        with session_scope(self.engine) as session:
            return session.get(FeedRecord, feed_id)

    def remove(self, ref: str) -> bool:
        """Remove by id or URL."""
        with session_scope(self.engine) as session:
            stmt = select(FeedRecord).where(
                FeedRecord.id == int(ref) if ref.strip().isdigit() else FeedRecord.url == ref)
            rec = session.exec(stmt).first()
            if rec is None:
                return False
            session.delete(rec)
            return True

    def due(self, now: datetime | None = None) -> builtins.list[FeedRecord]:
        now = to_utc(now or utcnow())
        return [f for f in self.list()
                if f.last_run is None or to_utc(f.last_run) + timedelta(seconds=f.every_s) <= now]

    def record(self, feed_id: int, *, ok: bool, new: int = 0, error: str = "") -> None:
        with session_scope(self.engine) as session:
            rec = session.get(FeedRecord, feed_id)
            if rec is None:
                return
            rec.last_run = utcnow()
            rec.last_status = "ok" if ok else "failed"
            rec.last_error = error[:500]
            rec.last_new = int(new)
            session.add(rec)


def claimed_periods(engine: Engine, owner_ids: Iterable[str], period: str) -> set[str]:
    """Which of these owners already have a row for ``period`` (any status)."""
    ids = list(owner_ids)
    if not ids:
        return set()
    with session_scope(engine) as session:
        rows = session.exec(select(DigestRecord.owner_id).where(
            and_(col(DigestRecord.period) == period, col(DigestRecord.owner_id).in_(ids))))
        return {str(r) for r in rows}
