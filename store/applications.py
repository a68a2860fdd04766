"""The application pipeline's repository: one row per (user, job), its status and its history.

Every read and write takes ``owner_id`` and filters by it. Notes are the user's own words: they
are never logged (logs carry ids and statuses only).
"""

from __future__ import annotations

import builtins
import logging
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from store.db import session_scope
from store.tables import ApplicationRecord, JobRecord, MatchRecord, to_utc, utcnow
from tools.errors import InvalidInputError

logger = logging.getLogger(__name__)

#: The pipeline, in order.
STATUSES = ("saved", "applied", "interviewing", "offer", "rejected", "withdrawn")
#: Statuses of an application still under way (reminders look at these).
OPEN_STATUSES = ("saved", "applied", "interviewing", "offer")
MAX_NOTE = 500


class ApplicationRepo:
    """Applications of users to jobs."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, owner_id: str, job_id: int) -> ApplicationRecord | None:
        with session_scope(self.engine) as session:
            return session.exec(select(ApplicationRecord).where(
                ApplicationRecord.owner_id == owner_id,
                ApplicationRecord.job_id == job_id)).first()

    def set_status(self, owner_id: str, job_id: int, status: str, *, note: str | None = None,
                   when: datetime | None = None) -> ApplicationRecord:
        """Move the user's application for a job to ``status`` (creating it), dated ``when``."""
        status = status.strip().lower()
        if status not in STATUSES:
            raise InvalidInputError("An application is saved, applied, interviewing, offer, "
                                    "rejected or withdrawn.")
        note = (note or "").strip()[:MAX_NOTE] or None
        at = to_utc(when) if when is not None else utcnow()
        with session_scope(self.engine) as session:
            rec = session.exec(select(ApplicationRecord).where(
                ApplicationRecord.owner_id == owner_id,
                ApplicationRecord.job_id == job_id)).first()
            step = {"status": status, "at": at.isoformat(), "note": note}
            if rec is None:
                rec = ApplicationRecord(owner_id=owner_id, job_id=job_id, status=status,
                                        note=note, history=[step], created=at, updated=at)
            else:
                rec.history = [*rec.history, step]
                rec.status = status
                rec.updated = at
                if note:
                    rec.note = note
            session.add(rec)
            session.flush()
            session.refresh(rec)
            logger.info("application %s of job %s: %s", rec.id, job_id, status)
            return rec

    def list(self, owner_id: str, *, statuses: tuple[str, ...] | None = None,
             older_than_days: int | None = None,
             now: datetime | None = None) -> list[ApplicationRecord]:
        """The user's applications, most recently changed first."""
        stmt = select(ApplicationRecord).where(ApplicationRecord.owner_id == owner_id)
        if statuses:
            stmt = stmt.where(col(ApplicationRecord.status).in_(statuses))
        if older_than_days is not None:
            cutoff = (to_utc(now) if now is not None else utcnow()) - timedelta(
                days=older_than_days)
            stmt = stmt.where(col(ApplicationRecord.updated) <= cutoff)
        stmt = stmt.order_by(col(ApplicationRecord.updated).desc(),
                             col(ApplicationRecord.id).desc())
        with session_scope(self.engine) as session:
            return list(session.exec(stmt).all())

    def jobs_of_company(self, owner_id: str, company_key: str) -> builtins.list[int]:
        """Ids of jobs at a company (normalised name) the user has dealt with: their
        applications first, then their matches, most recent first."""
        with session_scope(self.engine) as session:
            applied = session.exec(
                select(ApplicationRecord.job_id).join(
                    JobRecord, col(JobRecord.id) == col(ApplicationRecord.job_id))
                .where(ApplicationRecord.owner_id == owner_id,
                       JobRecord.company_key == company_key)
                .order_by(col(ApplicationRecord.updated).desc())).all()
            matched = session.exec(
                select(MatchRecord.job_id).join(
                    JobRecord, col(JobRecord.id) == col(MatchRecord.job_id))
                .where(MatchRecord.owner_id == owner_id, JobRecord.company_key == company_key)
                .order_by(col(MatchRecord.updated).desc())).all()
            stored = session.exec(
                select(JobRecord.id).where(JobRecord.company_key == company_key)
                .order_by(col(JobRecord.status) != "ACTIVE", col(JobRecord.id))).all()
        out: builtins.list[int] = []
        for j in [*applied, *matched, *stored]:
            if j is not None and int(j) not in out:
                out.append(int(j))
        return out
