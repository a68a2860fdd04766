"""A user's CVs, matches and feedback (personal data): every method takes the owner's id and
filters by it here, so a guessed id of another user's CV or match returns nothing.

Each public method runs in its own transaction (``session_scope``) and returns detached records.
Nothing here logs CV text: logs carry ids and counts only.
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Engine, delete, func
from sqlalchemy import select as sa_select
from sqlmodel import col, select

from store.cache import content_hash
from store.db import session_scope
from store.repo import NotFoundError
from store.tables import CVRecord, FeedbackRecord, MatchRecord, MatchStatus, UserRecord, utcnow
from tools.errors import InvalidInputError
from tools.schemas import CandidateProfile

logger = logging.getLogger(__name__)


class CVRepo:
    """CVs (personal data): every method takes the owner's id and filters by it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(
        self,
        owner_id: str,
        file_name: str,
        text: str,
        parsed: CandidateProfile | dict[str, Any],
    ) -> CVRecord:
        """Store a CV as the owner's next version; the same text again returns the stored one.

        ``content_hash`` is ``store.cache.content_hash(text)``, the CV hash the analysis cache
        is keyed by.
        """
        digest = content_hash(text)
        data = parsed.model_dump(mode="json") if isinstance(parsed, BaseModel) else dict(parsed)
        with session_scope(self.engine) as session:
            if session.get(UserRecord, owner_id) is None:
                raise NotFoundError("User not found.")
            same = session.exec(
                select(CVRecord).where(
                    CVRecord.owner_id == owner_id, CVRecord.content_hash == digest
                )
            ).first()
            if same is not None:
                return same
            last = session.exec(
                select(func.max(CVRecord.version)).where(CVRecord.owner_id == owner_id)
            ).one()
            rec = CVRecord(
                owner_id=owner_id, file_name=file_name, text=text, parsed=data,
                content_hash=digest, version=int(last or 0) + 1,
            )
            session.add(rec)
        logger.info("stored CV id=%s version=%d", rec.id, rec.version)
        return rec

    def get(self, owner_id: str, cv_id: int) -> CVRecord | None:
        with session_scope(self.engine) as session:
            stmt = select(CVRecord).where(CVRecord.id == cv_id, CVRecord.owner_id == owner_id)
            return session.exec(stmt).first()

    def latest(self, owner_id: str) -> CVRecord | None:
        with session_scope(self.engine) as session:
            stmt = (
                select(CVRecord).where(CVRecord.owner_id == owner_id)
                .order_by(col(CVRecord.version).desc()).limit(1)
            )
            return session.exec(stmt).first()

    def latest_head(self, owner_id: str) -> tuple[int, str] | None:
        """(id, content hash) of the owner's latest CV, or None: one indexed row, no text."""
        table = CVRecord.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            head = conn.execute(
                sa_select(table.c.id, table.c.content_hash).where(table.c.owner_id == owner_id)
                .order_by(table.c.version.desc()).limit(1)).first()
        return None if head is None else (int(head[0]), str(head[1]))

    def list(self, owner_id: str) -> list[CVRecord]:
        with session_scope(self.engine) as session:
            stmt = (
                select(CVRecord).where(CVRecord.owner_id == owner_id)
                .order_by(col(CVRecord.version))
            )
            return list(session.exec(stmt))

    def delete(self, owner_id: str, cv_id: int) -> bool:
        with session_scope(self.engine) as session:
            rec = session.exec(
                select(CVRecord).where(CVRecord.id == cv_id, CVRecord.owner_id == owner_id)
            ).first()
            if rec is None:
                return False
            session.exec(delete(MatchRecord).where(col(MatchRecord.cv_id) == cv_id))
            session.delete(rec)
            return True

    @staticmethod
    def profile(record: CVRecord) -> CandidateProfile:
        from tools.parsing.cv import restore_profile

        return restore_profile(record.parsed, record.text)


# --------------------------------------------------------------------------- matches


class MatchRepo:
    """Matches and feedback (personal data): every method takes and filters by owner."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def save(
        self,
        owner_id: str,
        cv_id: int,
        job_id: int,
        score: int,
        sub_scores: dict[str, Any],
        status: MatchStatus | str = MatchStatus.SUGGESTED,
    ) -> MatchRecord:
        """Insert or refresh the match of (owner, cv, job); the CV must be the owner's.

        Refreshing keeps a status the user set (anything past SUGGESTED).
        """
        return self.save_many(owner_id, cv_id, [(job_id, score, sub_scores)], status)[0]

    def save_many(
        self,
        owner_id: str,
        cv_id: int,
        matches: Sequence[tuple[int, int, dict[str, Any]]],
        status: MatchStatus | str = MatchStatus.SUGGESTED,
    ) -> list[MatchRecord]:
        """:meth:`save` of several ``(job id, score, sub-scores)`` in one transaction (a list
        of best matches: one transaction instead of three statements and a commit each)."""
        status = MatchStatus(status)
        now = utcnow()
        with session_scope(self.engine) as session:
            cv = session.exec(
                select(CVRecord.id).where(CVRecord.id == cv_id, CVRecord.owner_id == owner_id)
            ).first()
            if cv is None:
                raise NotFoundError("CV not found.")
            ids = [int(job_id) for job_id, _, _ in matches]
            existing = {rec.job_id: rec for rec in session.exec(
                select(MatchRecord).where(
                    MatchRecord.owner_id == owner_id, MatchRecord.cv_id == cv_id,
                    col(MatchRecord.job_id).in_(ids),
                )
            )}
            saved = []
            for job_id, score, sub_scores in matches:
                rec = existing.get(int(job_id))
                if rec is None:
                    rec = MatchRecord(
                        owner_id=owner_id, cv_id=cv_id, job_id=int(job_id), score=int(score),
                        sub_scores=dict(sub_scores), status=status.value, created=now,
                        updated=now,
                    )
                    existing[int(job_id)] = rec
                else:
                    rec.score = int(score)
                    rec.sub_scores = dict(sub_scores)
                    if rec.status == MatchStatus.SUGGESTED.value:
                        rec.status = status.value
                    rec.updated = now
                session.add(rec)
                saved.append(rec)
        return saved

    def get(self, owner_id: str, match_id: int) -> MatchRecord | None:
        with session_scope(self.engine) as session:
            stmt = select(MatchRecord).where(
                MatchRecord.id == match_id, MatchRecord.owner_id == owner_id
            )
            return session.exec(stmt).first()

    def list(
        self,
        owner_id: str,
        *,
        cv_id: int | None = None,
        statuses: Iterable[MatchStatus | str] | None = None,
        limit: int = 50,
    ) -> list[MatchRecord]:
        """The owner's matches, best score first."""
        stmt = select(MatchRecord).where(MatchRecord.owner_id == owner_id)
        if cv_id is not None:
            stmt = stmt.where(MatchRecord.cv_id == cv_id)
        if statuses is not None:
            stmt = stmt.where(col(MatchRecord.status).in_([MatchStatus(s).value for s in statuses]))
        stmt = stmt.order_by(col(MatchRecord.score).desc(), col(MatchRecord.id)).limit(limit)
        with session_scope(self.engine) as session:
            return list(session.exec(stmt))

    def set_status(self, owner_id: str, match_id: int, status: MatchStatus | str) -> bool:
        status = MatchStatus(status)
        with session_scope(self.engine) as session:
            rec = session.exec(
                select(MatchRecord).where(
                    MatchRecord.id == match_id, MatchRecord.owner_id == owner_id
                )
            ).first()
            if rec is None:
                return False
            rec.status = status.value
            rec.updated = utcnow()
            session.add(rec)
            return True

    def add_feedback(
        self, owner_id: str, kind: str, *, job_id: int | None = None, match_id: int | None = None
    ) -> FeedbackRecord:
        """Record a feedback event; a ``match_id`` must be one of the owner's matches."""
        if not kind:
            raise InvalidInputError("Feedback needs a kind.")
        with session_scope(self.engine) as session:
            if match_id is not None:
                match = session.exec(
                    select(MatchRecord).where(
                        MatchRecord.id == match_id, MatchRecord.owner_id == owner_id
                    )
                ).first()
                if match is None:
                    raise NotFoundError("Match not found.")
                job_id = job_id if job_id is not None else match.job_id
            rec = FeedbackRecord(owner_id=owner_id, job_id=job_id, match_id=match_id, kind=kind)
            session.add(rec)
        return rec

    def feedback(self, owner_id: str, *, limit: int = 100) -> builtins.list[FeedbackRecord]:
        with session_scope(self.engine) as session:
            stmt = (
                select(FeedbackRecord).where(FeedbackRecord.owner_id == owner_id)
                .order_by(col(FeedbackRecord.id).desc()).limit(limit)
            )
            return list(session.exec(stmt))
