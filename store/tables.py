"""SQL tables (SQLModel). Every table class ends in ``Record``.

Conventions:

- Timestamps are aware UTC datetimes (``utcnow()``). SQLModel's ``UTCDateTime`` column type
  stores them as UTC (``timestamptz`` on PostgreSQL, offset-less UTC text on SQLite) and reads
  them back aware, so both back ends behave the same. ``to_utc`` takes a naive datetime as UTC.
- Statuses are plain strings (the ``StrEnum`` values below), not database enums, so adding a
  status is a code change, not a migration.
- JSON columns use ``JSON`` (``JSONB`` on PostgreSQL).
- User data (CVs, matches, feedback) carries ``owner_id``; ``store/userdata.py`` filters every read
  of it by owner.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel

JSONType = JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """Now, aware, in UTC (the storage convention)."""
    return datetime.now(UTC)


def to_utc(value: datetime) -> datetime:
    """An aware datetime converted to UTC; a naive one is taken to be UTC already."""
    if value.utcoffset() is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def _json_list() -> Any:
    return Field(default_factory=list, sa_column=Column(JSONType, nullable=False))


def _json_dict() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))


class JobStatus(StrEnum):
    ACTIVE = "ACTIVE"
    EXPIRED = "EXPIRED"
    FILLED = "FILLED"
    CLOSED = "CLOSED"


class MatchStatus(StrEnum):
    SUGGESTED = "SUGGESTED"
    VIEWED = "VIEWED"
    INTERESTED = "INTERESTED"
    APPLIED = "APPLIED"
    DISMISSED = "DISMISSED"
    SHORTLISTED = "SHORTLISTED"


class BatchStatus(StrEnum):
    RUNNING = "RUNNING"
    DONE = "DONE"
    FAILED = "FAILED"
    #: The process running the import died (found RUNNING by a later start; see
    #: ``store.recovery``). Re-running the import completes it.
    INTERRUPTED = "INTERRUPTED"


# --------------------------------------------------------------------------- bookkeeping


class SchemaVersionRecord(SQLModel, table=True):
    """One row (id 1): the schema version the database is at. See ``store.db.init_db``."""

    __tablename__ = "schema_version"

    id: int = Field(default=1, primary_key=True)
    version: int
    updated: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------------- users


class UserRecord(SQLModel, table=True):
    """A person. ``external_ids`` maps a channel to its id there: {"slack": "U123", "cli": "ana"}.

    ``preferences`` is ``UserPreferences.model_dump(mode="json")`` (see store/users.py).
    """

    __tablename__ = "users"

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, primary_key=True, max_length=64)
    display_name: str = ""
    external_ids: dict[str, str] = _json_dict()
    preferences: dict[str, Any] = _json_dict()
    created: datetime = Field(default_factory=utcnow)


class LoginRecord(SQLModel, table=True):
    """A web chat account (``JOBFIT_AUTH=password``): login name -> user, scrypt password hash.

    No foreign key on purpose: "forget me" deletes a user's data (and user row) but keeps the
    account, so the person can still log in (the user row is re-created on first contact).
    ``password_hash`` is ``scrypt$n$r$p$<salt b64>$<hash b64>`` (see ``ui/users.py``).
    """

    __tablename__ = "logins"

    login: str = Field(primary_key=True, max_length=128)
    owner_id: str = Field(index=True, unique=True, max_length=64)
    password_hash: str = Field(max_length=512)
    created: datetime = Field(default_factory=utcnow)
    updated: datetime = Field(default_factory=utcnow)


class WebSessionRecord(SQLModel, table=True):
    """One web chat login session (``JOBFIT_AUTH=password``); its id rides in the session token.

    Every request checks that the session is neither revoked nor expired, so logging out or
    resetting the password (``jobfit users add NAME``) ends it at once, not when the token
    expires. Holds no personal data beyond the login name.
    """

    __tablename__ = "web_sessions"

    id: str = Field(primary_key=True, max_length=64)
    login: str = Field(index=True, max_length=128)
    created: datetime = Field(default_factory=utcnow)
    expires: datetime
    revoked: datetime | None = None


class CVRecord(SQLModel, table=True):
    """One uploaded CV (personal data). ``version`` counts up per owner from 1."""

    __tablename__ = "cvs"
    __table_args__ = (UniqueConstraint("owner_id", "version", name="uq_cvs_owner_version"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=64)
    file_name: str = ""
    text: str = ""
    parsed: dict[str, Any] = _json_dict()  # CandidateProfile.model_dump(mode="json")
    content_hash: str = Field(index=True, max_length=64)
    version: int = 1
    created: datetime = Field(default_factory=utcnow)

    def __repr__(self) -> str:  # never print CV text by accident
        return f"CVRecord(id={self.id}, owner_id={self.owner_id!r}, version={self.version})"

    __str__ = __repr__


# --------------------------------------------------------------------------- jobs


class JobRecord(SQLModel, table=True):
    """One job posting from one source. ``(source, external_id)`` is unique.

    ``company_key`` is the normalised company name (see ``store.repo.normalise_company``),
    indexed for near-duplicate lookups; the repository fills it in.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_jobs_source_external"),
        Index("ix_jobs_status_posted", "status", "posted"),
    )

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=100)
    external_id: str = Field(max_length=500)
    url: str | None = None
    title: str = ""
    company: str | None = Field(default=None, index=True)
    company_key: str = Field(default="", index=True)
    location: str | None = None
    remote: str | None = Field(default=None, max_length=16)  # work mode: remote/hybrid/onsite
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = Field(default=None, max_length=8)
    experience_min: float | None = None
    experience_max: float | None = None
    skills: list[str] = _json_list()  # canonical skill ids
    keywords: list[str] = _json_list()
    parsed: dict[str, Any] = _json_dict()  # JobPosting.model_dump(mode="json")
    text: str = ""
    content_hash: str = Field(index=True, max_length=64)
    status: str = Field(default=JobStatus.ACTIVE.value, index=True, max_length=16)
    posted: date | None = None
    imported: datetime = Field(default_factory=utcnow)
    updated: datetime = Field(default_factory=utcnow)
    duplicate_of: int | None = Field(
        default=None, foreign_key="jobs.id", ondelete="SET NULL", index=True
    )
    # provenance (schema 2, see store.provenance): None = the shared store; else the only user
    # who sees the job (its source is then ``user:<owner_id>``)
    owner_id: str | None = Field(default=None, index=True, max_length=64)
    created_by: str = Field(default="", max_length=100)  # who first imported it
    batch_id: int | None = Field(default=None, index=True)  # the import that last wrote it

    def __repr__(self) -> str:
        return f"JobRecord(id={self.id}, source={self.source!r}, external_id={self.external_id!r})"

    __str__ = __repr__


# --------------------------------------------------------------------------- analyses


class AnalysisRecord(SQLModel, table=True):
    """A cached ``MatchResult``, content-addressed by the four hashes (unique together)."""

    __tablename__ = "analyses"
    __table_args__ = (
        UniqueConstraint(
            "cv_hash", "job_hash", "weights_hash", "engine_version", name="uq_analyses_key"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    cv_hash: str = Field(max_length=64)
    job_hash: str = Field(max_length=64)
    weights_hash: str = Field(max_length=64)
    engine_version: str = Field(max_length=32)
    result: dict[str, Any] = _json_dict()  # MatchResult.model_dump(mode="json")
    created: datetime = Field(default_factory=utcnow)
    expires: datetime = Field(index=True)


# --------------------------------------------------------------------------- matches


class MatchRecord(SQLModel, table=True):
    """A job suggested to a user for one of their CVs, and what they did with it."""

    __tablename__ = "matches"
    __table_args__ = (
        UniqueConstraint("owner_id", "cv_id", "job_id", name="uq_matches_owner_cv_job"),
        Index("ix_matches_owner_status", "owner_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=64)
    cv_id: int = Field(foreign_key="cvs.id", ondelete="CASCADE", index=True)
    job_id: int = Field(foreign_key="jobs.id", ondelete="CASCADE", index=True)
    score: int
    sub_scores: dict[str, Any] = _json_dict()  # MatchResult.breakdown()
    status: str = Field(default=MatchStatus.SUGGESTED.value, max_length=16)
    created: datetime = Field(default_factory=utcnow)
    updated: datetime = Field(default_factory=utcnow)


class FeedbackRecord(SQLModel, table=True):
    """One feedback event ("like", "dislike", "applied", "hide_company", …)."""

    __tablename__ = "feedback"

    id: int | None = Field(default=None, primary_key=True)
    owner_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=64)
    job_id: int | None = Field(default=None, foreign_key="jobs.id", ondelete="CASCADE")
    match_id: int | None = Field(default=None, foreign_key="matches.id", ondelete="SET NULL")
    kind: str = Field(max_length=32)
    created: datetime = Field(default_factory=utcnow)


class ApplicationRecord(SQLModel, table=True):
    """Where a user stands with one job: saved, applied, interviewing, offer, rejected or
    withdrawn, with the date of each step (``history``) and an optional note."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("owner_id", "job_id", name="uq_application_owner_job"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=64)
    job_id: int = Field(foreign_key="jobs.id", ondelete="CASCADE", index=True)
    status: str = Field(max_length=16)
    note: str | None = Field(default=None, max_length=500)
    history: list[dict[str, Any]] = _json_list()  # [{"status", "at" (ISO), "note"}], oldest first
    created: datetime = Field(default_factory=utcnow)
    updated: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------------- imports


class ImportBatchRecord(SQLModel, table=True):
    """One run of ``jobfit import``: counts and per-row errors ``[{"row", "reason"}]``."""

    __tablename__ = "import_batches"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(default="", max_length=100)
    file_name: str = ""
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[dict[str, Any]] = _json_list()
    status: str = Field(default=BatchStatus.RUNNING.value, max_length=16)
    started: datetime = Field(default_factory=utcnow)
    finished: datetime | None = None
    # schema 2: who ran it ("operator", "user:<id>") and, for a private import, the owner
    actor: str = Field(default="", max_length=100)
    owner_id: str | None = Field(default=None, max_length=64)
    # the process running it ("host:pid") and when it last reported progress (store.recovery)
    runner: str = Field(default="", max_length=200)
    heartbeat: datetime | None = None


# --------------------------------------------------------------------------- recruiters


class CandidateStatus(StrEnum):
    SHORTLISTED = "SHORTLISTED"
    REJECTED = "REJECTED"
    INTERVIEW = "INTERVIEW"


class CandidateRecord(SQLModel, table=True):
    """A CV in a recruiter's candidate pool (personal data), unique per owner by content.

    ``parsed`` is the profile of the CV's neutral text (``tools.blind``: what is scored and
    shown while blind); ``name`` comes from the text as written and is shown only once
    ``opened``. ``features`` and ``vector`` are the job-independent scoring parts
    (``tools.candidates.candidate_features``, the embedding of the neutral profile).
    """

    __tablename__ = "candidates"
    __table_args__ = (
        UniqueConstraint("owner_id", "content_hash", name="uq_candidates_owner_hash"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=64)
    label: str = Field(max_length=32)
    file_name: str = ""
    name: str | None = None
    text: str = ""
    parsed: dict[str, Any] = _json_dict()
    features: dict[str, Any] = _json_dict()
    vector: list[float] = _json_list()
    content_hash: str = Field(max_length=64)
    opened: datetime | None = None
    created: datetime = Field(default_factory=utcnow)

    def __repr__(self) -> str:  # never print CV text or names by accident
        return f"CandidateRecord(id={self.id}, owner_id={self.owner_id!r}, label={self.label!r})"

    __str__ = __repr__


class CandidateStatusRecord(SQLModel, table=True):
    """A recruiter's decision on a candidate for one job (shortlist / reject / interview)."""

    __tablename__ = "candidate_statuses"
    __table_args__ = (
        UniqueConstraint("owner_id", "candidate_id", "job_key", name="uq_candidate_status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=64)
    candidate_id: int = Field(foreign_key="candidates.id", ondelete="CASCADE", index=True)
    job_key: str = Field(max_length=128)  # a stored job's id, or "posting:<content hash>"
    status: str = Field(max_length=16)
    note: str = ""
    created: datetime = Field(default_factory=utcnow)
    updated: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------------- digests


class DigestRecord(SQLModel, table=True):
    """One digest of one user for one period ("2026-12-07", "2026-W50", "now-..."): unique
    together, so two scheduler processes can never both produce (and send) it.

    ``status``: composing -> delivering -> sent | empty | failed. ``claimed_by``/``claimed_at``
    is the lease of the process working on it (a crashed run is taken over once it is stale).
    ``content`` is ``tools.digest.Digest.model_dump(mode="json")`` (personal data);
    ``channels`` maps a channel to ``{"status": sent|failed|skipped|sending, "reason", "at",
    "attempts"}``.
    """

    __tablename__ = "digests"
    __table_args__ = (UniqueConstraint("owner_id", "period", name="uq_digests_owner_period"),)

    id: int | None = Field(default=None, primary_key=True)
    owner_id: str = Field(foreign_key="users.id", ondelete="CASCADE", index=True, max_length=64)
    period: str = Field(max_length=40)
    status: str = Field(default="composing", max_length=16)
    content: dict[str, Any] = _json_dict()
    job_ids: list[int] = _json_list()  # the jobs it lists (never listed again)
    channels: dict[str, Any] = _json_dict()
    claimed_by: str = Field(default="", max_length=100)
    claimed_at: datetime = Field(default_factory=utcnow)
    created: datetime = Field(default_factory=utcnow)
    finished: datetime | None = None
    viewed_at: datetime | None = None


class FeedRecord(SQLModel, table=True):
    """A registered RSS/Atom feed the scheduler re-imports every ``every_s`` seconds."""

    __tablename__ = "feeds"

    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, max_length=2000)
    every_s: int = 3600
    last_run: datetime | None = None
    last_status: str = Field(default="", max_length=16)  # ok | failed
    last_error: str = ""
    last_new: int = 0
    created: datetime = Field(default_factory=utcnow)


ALL_TABLES = (
    SchemaVersionRecord, UserRecord, CVRecord, JobRecord, AnalysisRecord, MatchRecord,
    FeedbackRecord, ImportBatchRecord, CandidateRecord, CandidateStatusRecord, DigestRecord,
    FeedRecord,
)


# --------------------------------------------------------------------------- chat channels


class ChannelLinkRecord(SQLModel, table=True):
    """A chat identity (Slack team + user, Teams tenant + user) -> the jobfit user it acts as.

    ``conversation`` is where the bot reaches the person proactively (digests): Slack
    ``{"channel": "D123"}``, Teams a conversation reference. Deleted by "forget me".
    See ``store/channels.py``.
    """

    __tablename__ = "channel_links"
    __table_args__ = (UniqueConstraint("channel", "workspace", "external_user",
                                       name="uq_channel_links_identity"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str = Field(max_length=16)  # slack | teams
    workspace: str = Field(max_length=128)  # Slack team id / Teams tenant id
    external_user: str = Field(max_length=256)
    owner_id: str = Field(index=True, max_length=64)
    conversation: dict[str, Any] = _json_dict()
    created: datetime = Field(default_factory=utcnow)
    updated: datetime = Field(default_factory=utcnow)


class LinkCodeRecord(SQLModel, table=True):
    """A one-time code (stored hashed) that links a chat identity to a web account."""

    __tablename__ = "link_codes"

    code_hash: str = Field(primary_key=True, max_length=64)
    owner_id: str = Field(index=True, max_length=64)
    expires: datetime


class ChannelEventRecord(SQLModel, table=True):
    """A chat platform event id already taken (retries of it are not processed again)."""

    __tablename__ = "channel_events"

    event_id: str = Field(primary_key=True, max_length=128)
    seen: datetime = Field(default_factory=utcnow, index=True)
