"""Repositories: the only code that reads and writes the tables.

- ``JobRepo`` / ``BatchRepo``: the shared job collection and import bookkeeping.
- ``UserRepo`` / ``CVRepo`` / ``MatchRepo``: user data. Every read takes ``owner_id`` and
  filters by it here, so a guessed id of another user's CV or match returns nothing.

Each public method runs in its own transaction (``session_scope``) and returns detached
records (usable after the call, not lazily reloaded). Nothing here logs CV text, e-mail
addresses or phone numbers: logs carry ids and counts only.
"""

from __future__ import annotations

import builtins
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from datetime import date, datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz
from sqlalchemy import Engine, and_, delete, func, or_, update
from sqlmodel import col, select

from store.cache import content_hash
from store.db import session_scope
from store.tables import (
    AnalysisRecord,
    ApplicationRecord,
    BatchStatus,
    CVRecord,
    DigestRecord,
    FeedbackRecord,
    ImportBatchRecord,
    JobRecord,
    JobStatus,
    LoginRecord,
    MatchRecord,
    MatchStatus,
    UserRecord,
    WebSessionRecord,
    to_utc,
    utcnow,
)
from tools.errors import InvalidInputError, JobfitError
from tools.schemas import CandidateProfile, JobPosting, RemotePreference

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


# --------------------------------------------------------------------------- users


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


# --------------------------------------------------------------------------- CVs


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
        return CandidateProfile.model_validate(record.parsed)


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
        status = MatchStatus(status)
        now = utcnow()
        with session_scope(self.engine) as session:
            cv = session.exec(
                select(CVRecord.id).where(CVRecord.id == cv_id, CVRecord.owner_id == owner_id)
            ).first()
            if cv is None:
                raise NotFoundError("CV not found.")
            rec = session.exec(
                select(MatchRecord).where(
                    MatchRecord.owner_id == owner_id, MatchRecord.cv_id == cv_id,
                    MatchRecord.job_id == job_id,
                )
            ).first()
            if rec is None:
                rec = MatchRecord(
                    owner_id=owner_id, cv_id=cv_id, job_id=job_id, score=int(score),
                    sub_scores=dict(sub_scores), status=status.value, created=now, updated=now,
                )
            else:
                rec.score = int(score)
                rec.sub_scores = dict(sub_scores)
                if rec.status == MatchStatus.SUGGESTED.value:
                    rec.status = status.value
                rec.updated = now
            session.add(rec)
        return rec

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
