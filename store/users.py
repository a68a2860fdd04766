"""Users and web accounts: the ``UserRecord`` (with its preferences), password logins and web
sessions, and the one "forget me" delete of everything a user owns.

Each public method runs in its own transaction (``session_scope``) and returns detached records.
Nothing here logs e-mail addresses or login names: logs carry ids and counts only.
"""

from __future__ import annotations

import builtins
import logging
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine, delete, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from store.db import session_scope
from store.repo import NotFoundError, _chunks
from store.tables import (
    AnalysisRecord,
    ApplicationRecord,
    CVRecord,
    DigestRecord,
    FeedbackRecord,
    LoginRecord,
    MatchRecord,
    UserRecord,
    WebSessionRecord,
    to_utc,
    utcnow,
)
from tools.schemas import RemotePreference

logger = logging.getLogger(__name__)


class UserPreferences(BaseModel):
    """What a user wants; stored as JSON on ``UserRecord.preferences``."""

    model_config = ConfigDict(extra="forbid")

    desired_roles: list[str] = Field(default_factory=list)
    locations: list[str] = Field(default_factory=list)
    remote: RemotePreference | None = None
    salary_floor: float | None = Field(default=None, ge=0)
    salary_currency: str | None = None
    blocked_companies: list[str] = Field(default_factory=list)
    digest_schedule: str | None = None  # e.g. "daily 08:00", "weekly mon 08:00"; None = off
    timezone: str = "UTC"  # IANA name: digest times are local to it
    digest_email: str | None = Field(default=None, max_length=320)  # personal data
    #: where digests go: "in_app", "email", "slack", "teams" (email: needs digest_email)
    digest_channels: list[str] = Field(default_factory=lambda: ["in_app", "email"])
    digest_min_score: int = Field(default=60, ge=0, le=100)
    digest_when_empty: Literal["short", "none"] = "short"  # a quiet period: short note or none
    digest_started: str | None = None  # ISO time the schedule was set: no digest for slots before


class UserRepo:
    """Users. A user is addressed by their own id; channels map to it via ``by_external``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(
        self,
        display_name: str,
        *,
        external_ids: dict[str, str] | None = None,
        preferences: UserPreferences | None = None,
        user_id: str | None = None,
    ) -> UserRecord:
        prefs = (preferences or UserPreferences()).model_dump(mode="json")
        rec = UserRecord(
            display_name=display_name, external_ids=dict(external_ids or {}), preferences=prefs
        )
        if user_id:
            rec.id = user_id
        with session_scope(self.engine) as session:
            session.add(rec)
        return rec

    def ensure(self, owner_id: str, display_name: str | None = None) -> bool:
        """Create the user ``owner_id`` if missing; True when this call created it (a row
        created meanwhile by another thread or process counts as there)."""
        if self.get(owner_id) is not None:
            return False
        try:
            self.create(display_name or owner_id, user_id=owner_id)
        except IntegrityError:
            logger.debug("user created concurrently")
            return False
        return True

    def get(self, owner_id: str) -> UserRecord | None:
        with session_scope(self.engine) as session:
            return session.get(UserRecord, owner_id)

    def by_external(self, channel: str, external_id: str) -> UserRecord | None:
        """The user whose ``external_ids[channel]`` is ``external_id`` (e.g. slack, U123)."""
        with session_scope(self.engine) as session:
            stmt = select(UserRecord).where(
                col(UserRecord.external_ids)[channel].as_string() == external_id
            )
            return session.exec(stmt).first()

    def get_or_create_external(
        self, channel: str, external_id: str, display_name: str = ""
    ) -> UserRecord:
        found = self.by_external(channel, external_id)
        if found is not None:
            return found
        return self.create(display_name or external_id, external_ids={channel: external_id})

    def link_external(self, owner_id: str, channel: str, external_id: str) -> None:
        with session_scope(self.engine) as session:
            rec = session.get(UserRecord, owner_id)
            if rec is None:
                raise NotFoundError("User not found.")
            rec.external_ids = {**rec.external_ids, channel: external_id}
            session.add(rec)

    def preferences(self, owner_id: str) -> UserPreferences:
        rec = self.get(owner_id)
        if rec is None:
            raise NotFoundError("User not found.")
        return UserPreferences.model_validate(rec.preferences or {})

    def set_preferences(self, owner_id: str, preferences: UserPreferences) -> None:
        with session_scope(self.engine) as session:
            rec = session.get(UserRecord, owner_id)
            if rec is None:
                raise NotFoundError("User not found.")
            rec.preferences = preferences.model_dump(mode="json")
            session.add(rec)

    def delete_all(self, owner_id: str, *, keep_user: bool = False) -> dict[str, int]:
        """Delete everything personal of a user: feedback, matches, CVs, the cached analyses
        of their CVs (unless another user holds the same CV), and the user (unless
        ``keep_user``). Returns counts per kind. One transaction.
        """
        counts: dict[str, int] = {}
        with session_scope(self.engine) as session:
            hashes = set(
                session.exec(select(CVRecord.content_hash).where(CVRecord.owner_id == owner_id))
            )
            shared = set(
                session.exec(
                    select(CVRecord.content_hash).where(
                        CVRecord.owner_id != owner_id, col(CVRecord.content_hash).in_(hashes)
                    )
                )
            ) if hashes else set()

            def _delete(stmt: Any) -> int:
                return int(session.exec(stmt).rowcount or 0)

            counts["feedback"] = _delete(
                delete(FeedbackRecord).where(col(FeedbackRecord.owner_id) == owner_id)
            )
            counts["applications"] = _delete(
                delete(ApplicationRecord).where(col(ApplicationRecord.owner_id) == owner_id)
            )
            counts["digests"] = _delete(
                delete(DigestRecord).where(col(DigestRecord.owner_id) == owner_id)
            )
            counts["matches"] = _delete(
                delete(MatchRecord).where(col(MatchRecord.owner_id) == owner_id)
            )
            counts["cvs"] = _delete(delete(CVRecord).where(col(CVRecord.owner_id) == owner_id))
            counts["candidates"] = _delete_pool(session, owner_id)
            private = sorted(hashes - shared)
            counts["analyses"] = 0
            for part in _chunks(private):
                counts["analyses"] += _delete(
                    delete(AnalysisRecord).where(col(AnalysisRecord.cv_hash).in_(part))
                )
            if keep_user:
                counts["users"] = 0
            else:
                counts["users"] = _delete(delete(UserRecord).where(col(UserRecord.id) == owner_id))
        logger.info("deleted user data: %s", counts)
        return counts


def _delete_pool(session: Any, owner_id: str) -> int:
    """A recruiter's candidate pool and decisions (store/candidates.py), for "forget me"."""
    from store.tables import CandidateRecord, CandidateStatusRecord

    session.exec(delete(CandidateStatusRecord).where(
        col(CandidateStatusRecord.owner_id) == owner_id))
    return int(session.exec(delete(CandidateRecord).where(
        col(CandidateRecord.owner_id) == owner_id)).rowcount or 0)


class LoginRepo:
    """Web chat accounts: login name -> (user id, password hash). Hashing lives in ui/users.py."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, login: str) -> LoginRecord | None:
        with session_scope(self.engine) as session:
            return session.get(LoginRecord, login)

    def set(self, login: str, owner_id: str, password_hash: str) -> LoginRecord:
        """Create the account, or replace its password hash (the owner never changes)."""
        with session_scope(self.engine) as session:
            rec = session.get(LoginRecord, login)
            if rec is None:
                rec = LoginRecord(login=login, owner_id=owner_id, password_hash=password_hash)
            else:
                rec.password_hash = password_hash
                rec.updated = utcnow()
            session.add(rec)
        return rec

    def logins(self) -> builtins.list[str]:
        with session_scope(self.engine) as session:
            return builtins.list(session.exec(select(LoginRecord.login).order_by(
                col(LoginRecord.login))))


class WebSessionRepo:
    """Web chat login sessions: created at login, checked on every request, revoked on logout
    and on a password reset (all sessions of the login)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, login: str, session_id: str, expires: datetime) -> WebSessionRecord:
        with session_scope(self.engine) as session:
            rec = WebSessionRecord(id=session_id, login=login, expires=expires)
            session.add(rec)
        return rec

    def is_active(self, session_id: str, login: str, now: datetime) -> bool:
        """True when the session exists for this login, is not revoked and has not expired."""
        with session_scope(self.engine) as session:
            rec = session.get(WebSessionRecord, session_id)
            return (rec is not None and rec.login == login and rec.revoked is None
                    and to_utc(rec.expires) > now)

    def revoke(self, session_id: str) -> bool:
        """End one session; True when it was active."""
        with session_scope(self.engine) as session:
            result = session.exec(
                update(WebSessionRecord)
                .where(col(WebSessionRecord.id) == session_id,
                       col(WebSessionRecord.revoked).is_(None))
                .values(revoked=utcnow()))
            return bool(result.rowcount)

    def revoke_all(self, login: str) -> int:
        """End every session of a login (password reset); returns how many were active."""
        with session_scope(self.engine) as session:
            result = session.exec(
                update(WebSessionRecord)
                .where(col(WebSessionRecord.login) == login,
                       col(WebSessionRecord.revoked).is_(None),
                       col(WebSessionRecord.expires) > utcnow())
                .values(revoked=utcnow()))
            return int(result.rowcount or 0)

    def purge(self, now: datetime) -> int:
        """Delete expired sessions (and revoked ones past their expiry); returns how many."""
        with session_scope(self.engine) as session:
            result = session.exec(
                delete(WebSessionRecord).where(col(WebSessionRecord.expires) <= now))
            return int(result.rowcount or 0)
