"""The application service: every user-facing operation, scoped by owner, over tools/ and store/.

The chat tools (``agent/registry.py``), the web UI's buttons (``ui/app.py``) and the CLI chat all
go through one :class:`JobfitService`, built once per process by ``agent.bootstrap``. Every
method that touches personal data takes the owner's id as its first argument (it comes from the
run's context, never from a model); numbers come from the deterministic engine only.

Job references (``job_ref``) accept the source's external id (``"sample-0-00042"``) or the
database id with or without a hash (``"42"``, ``"#42"``), or the job's URL. Positions in the last
list ("the second one") are resolved by the caller (the registry keeps the last list in graph
state).

The service keeps its heavy objects alive between calls (the keyword index, the job source's
memo of parsed postings, job vectors, each owner's parsed current CV and its embedding, recent
analyses), so a repeated question costs a few milliseconds. It is safe to share between threads.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from tools.errors import FileTooLargeError, InvalidInputError, JobfitError
from tools.schemas import GapReport, MatchResult, Weights
from tools.search import JobFilters

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from agent.applications import Application
    from agent.digests import DigestCenter
    from store.importers import ImportSummary
    from store.users import UserPreferences
    from tools.insights import SkillImpact
    from tools.matching import JobPlace, StoredJob
    from tools.ports import Embedder
    from tools.preferences import JobPreferences
    from tools.schemas import CandidateProfile, JobPosting
    from tools.scoring import ScoringProfile
    from tools.screening import ScreeningIndex
    from tools.search import JobIndex, KeywordIndex
    from tools.tailoring import Rewriter, TailoredCV, TailoringOption

logger = logging.getLogger(__name__)

FeedbackStatus = Literal["interested", "applied", "dismissed", "shortlisted", "viewed"]
FEEDBACK_STATUSES: tuple[str, ...] = ("interested", "applied", "dismissed", "shortlisted",
                                      "viewed")
STRICT_FILTERS: tuple[str, ...] = ("salary", "location", "experience")
#: How often (seconds) the service checks whether jobs were imported by another process.
JOBS_CHECK_S = 30.0
#: A pasted posting shorter than this is not a job description.
MIN_JOB_TEXT = 40
#: Longest pasted CV or posting accepted as text (characters).
MAX_TEXT_CHARS = 200_000
#: The job id of a pasted posting (not stored); its card says job_id "pasted", ref 0.
PASTED_ID = "0"
#: Where between the calibration floor and ceiling a vector neighbour counts as related enough
#: to pad search results (floor = 10th, ceiling = 99th percentile of real pairs: ~ the median).
SEARCH_FLOOR_SHARE = 0.4


class NoCVError(JobfitError):
    """The user has no CV yet."""


class JobCard(BaseModel):
    """A job as lists show it: who, where, pay, and (when a CV is known) the fit score."""

    model_config = ConfigDict(extra="forbid")

    job_id: str  # the source's external id
    ref: int  # database id (stable handle for buttons)
    title: str | None = None
    company: str | None = None
    location: str | None = None
    remote: str | None = None  # remote | hybrid | onsite | None (unknown)
    salary: str | None = None  # human text, e.g. "$90,000-110,000 a year"
    posted: date | None = None
    url: str | None = None
    score: int | None = None
    grade: str | None = None
    label: str | None = None
    also_on: list[str] = Field(default_factory=list)  # other sources of the same job


class CVSummary(BaseModel):
    """What jobfit understood from a CV (no contact details)."""

    model_config = ConfigDict(extra="forbid")

    cv_id: int
    version: int
    file_name: str
    name: str | None = None
    headline: str | None = None
    total_years: float | None = None
    seniority: str | None = None
    location: str | None = None
    remote_preference: str | None = None
    salary_expectation: str | None = None
    top_skills: list[str] = Field(default_factory=list)
    skills_count: int = 0
    recent_roles: list[str] = Field(default_factory=list)  # "Title, Company (2019-2024)"
    education: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # e.g. "no dates found in experience"


class Analysis(BaseModel):
    """One CV against one job: the score with evidence, and the gaps with their impact."""

    model_config = ConfigDict(extra="forbid")

    job: JobCard
    result: MatchResult
    gaps: GapReport
    cv_id: int | None = None
    cached: bool = False


# --------------------------------------------------------------------------- helpers

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
T = TypeVar("T")


class _LRU(Generic[K, V]):
    """A small thread-safe LRU map."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def drop(self, match: Callable[[K], bool]) -> None:
        with self._lock:
            for key in [k for k in self._data if match(k)]:
                del self._data[key]


@dataclass(frozen=True)
class _CurrentCV:
    """An owner's current CV as scoring needs it (parsed once, embedded once)."""

    cv_id: int
    cv_hash: str
    profile: CandidateProfile
    vector: np.ndarray | None
    #: the owner's expectations (preferences) folded into the profile: part of the cache keys
    #: (with the weights), while cv_hash stays the CV's own so forgetting it finds its analyses
    expectations: str = ""


def _money(value: float, currency: str | None) -> str:
    symbol = {"USD": "$", "GBP": "£", "EUR": "€"}.get(currency or "", "")
    text = f"{value:,.0f}"
    return f"{symbol}{text}" if symbol else (f"{text} {currency}" if currency else text)


def salary_text(posting: JobPosting) -> str | None:
    """A job's pay as people write it (the posting's own words when it has them)."""
    sal = posting.salary
    if sal is None:
        return None
    if sal.raw.strip():
        return sal.raw.strip()
    if sal.min is not None and sal.max is not None and sal.min != sal.max:
        return f"{_money(sal.min, sal.currency)}-{_money(sal.max, sal.currency)} a year"
    value = sal.min if sal.min is not None else sal.max
    return None if value is None else f"{_money(value, sal.currency)} a year"


def _range_text(start: str | None, end: str | None) -> str:
    def year(v: str | None) -> str:
        if not v:
            return "?"
        return "present" if v == "present" else v[:4]

    if not start and not end:
        return ""
    return f" ({year(start)}-{year(end)})"


def summarise_profile(profile: CandidateProfile, *, cv_id: int, version: int,
                      file_name: str) -> CVSummary:
    """What was understood from a CV, without contact details."""
    skills = sorted(profile.skills, key=lambda s: (not s.evidenced, -len(s.mentions)))
    roles = []
    for e in profile.experience[:3]:
        who = ", ".join(p for p in (e.title, e.company) if p)
        if who:
            roles.append(who + _range_text(e.start, e.end))
    education = []
    for ed in profile.education[:3]:
        what = ed.degree or (ed.degree_level or "").replace("_", " ")
        text = ", ".join(p for p in (what, ed.institution) if p)
        if text:
            education.append(text + (f" ({ed.year})" if ed.year else ""))
    warnings: list[str] = []
    if not profile.skills:
        warnings.append("no known skills found")
    if not profile.experience:
        warnings.append("no work experience found")
    elif profile.total_years is None:
        warnings.append("no dates found in experience")
    if profile.location is None:
        warnings.append("no location found")
    from agent.offline.languages import detect_language

    language = detect_language(profile.text)
    if language is not None:
        warnings.insert(0, f"this CV seems to be in {language}: jobfit reads English CVs only "
                           "for now, so skills and scores may be missing; upload an English "
                           "version")
    expect = None
    if profile.salary_expectation is not None:
        expect = profile.salary_expectation.raw.strip() or None
        if expect is None:
            value = profile.salary_expectation.min or profile.salary_expectation.max
            if value:
                expect = _money(value, profile.salary_expectation.currency) + " a year"
    return CVSummary(
        cv_id=cv_id, version=version, file_name=file_name,
        name=profile.personal.name, headline=profile.headline,
        total_years=profile.total_years, seniority=profile.seniority,
        location=profile.location.raw or None if profile.location else None,
        remote_preference=profile.remote_preference, salary_expectation=expect,
        top_skills=[s.name for s in skills[:10]], skills_count=len(profile.skills),
        recent_roles=roles, education=education, warnings=warnings,
    )


def parse_job_ref(job_ref: str) -> tuple[str, str]:
    """("id", "42") for "42" / "#42"; ("url", ...) for links; ("external", ...) otherwise."""
    ref = (job_ref or "").strip()
    if not ref:
        raise InvalidInputError("Which job? Give its id, its position in the list, or paste it.")
    if len(ref) > 2000:
        raise InvalidInputError("That job reference is too long.")
    bare = ref[1:] if ref.startswith("#") else ref
    if bare.isdigit():
        return "id", bare
    if ref.lower().startswith(("http://", "https://")):
        return "url", ref
    return "external", ref


class _LockedSource:
    """The job source with its memo guarded by a lock (calls from several threads)."""

    def __init__(self, inner: Any, lock: threading.RLock) -> None:
        self.inner = inner
        self.lock = lock

    def get_jobs(self, ids: Sequence[str], viewer: str | None = None) -> list[StoredJob]:
        with self.lock:
            return list(self.inner.get_jobs(ids, viewer=viewer))

    def for_viewer(self, viewer: str | None) -> Any:
        """The jobs one user sees (shared ones plus their private ones)."""
        from store.jobsource import ViewerJobSource

        return ViewerJobSource(self, viewer)

    def iter_active(self, batch: int = 1000,
                    viewer: str | None = None) -> Iterator[list[StoredJob]]:
        pages = self.inner.iter_active(batch, viewer=viewer)
        while True:
            with self.lock:
                page = next(pages, None)
            if page is None:
                return
            yield page


class _LockedKeywords:
    """The keyword index with queries guarded by a lock (they fill caches)."""

    def __init__(self, inner: KeywordIndex, lock: threading.RLock) -> None:
        self.inner = inner
        self.lock = lock

    def __len__(self) -> int:
        return len(self.inner)

    def query(self, skill_ids: Any, keywords: Any = (), k: int = 200,
              allowed: set[str] | None = None) -> list[tuple[str, float]]:
        with self.lock:
            return self.inner.query(skill_ids, keywords, k, allowed)


# --------------------------------------------------------------------------- the service


class JobfitService:
    """Every operation the channels offer, over the store and the engine.

    Args:
        engine: the database (schema already migrated).
        embedder: text embedder for the semantic factor and search (None: semantic unknown,
            search by keywords only).
        index: the job vector index.
        weights: scoring weights (default balanced).
        calibration: the embedder's cosine calibration.
        analysis_ttl_days: lifetime of cached analyses.
        max_upload_bytes: largest CV file accepted.
        snapshot: file that keeps the stage-1 indexes between processes (None: rebuilt by
            every process; building reads every active job, ~1 min per 100,000 jobs).
    """

    def __init__(
        self,
        *,
        engine: Engine,
        embedder: Embedder | None,
        index: JobIndex,
        weights: Weights | None = None,
        calibration: tuple[float, float] | None = None,
        analysis_ttl_days: float = 7.0,
        max_upload_bytes: int = 10 * 1024 * 1024,
        snapshot: Path | None = None,
    ) -> None:
        from store.cache import AnalysisCache, weights_hash
        from store.jobsource import DbJobSource
        from store.repo import JobRepo
        from store.userdata import CVRepo, MatchRepo
        from store.users import UserRepo
        from tools.scoring import DEFAULT_CALIBRATION

        self.engine = engine
        self.embedder = embedder
        self.index = index
        self.weights = weights
        self.calibration: tuple[float, float] = calibration or (
            embedder.calibration if embedder is not None else DEFAULT_CALIBRATION)
        # search pads keyword hits with vector neighbours only from about the median cosine of
        # real CV/posting pairs up (the calibration floor is their 10th percentile)
        floor, ceil = self.calibration
        self.search_floor = floor + SEARCH_FLOOR_SHARE * (ceil - floor)
        self.max_upload_bytes = int(max_upload_bytes)
        self.users = UserRepo(engine)
        self.cvs = CVRepo(engine)
        self.matches = MatchRepo(engine)
        self.jobs = JobRepo(engine)
        self.cache = AnalysisCache(engine, ttl_days=analysis_ttl_days)
        from store.channels import ChannelRepo

        self.channels = ChannelRepo(engine)
        # the cache key covers what changes a result: weights, embedder and its calibration
        self.weights_hash = weights_hash({
            "weights": (weights or Weights()).as_dict(),
            "embedder": embedder.name if embedder is not None else "none",
            "calibration": list(self.calibration),
        })
        #: Conversation store whose threads ``forget`` deletes (set by bootstrap / the caller).
        self.checkpointer: Any = None
        self._jobs_lock = threading.RLock()  # the job source memo and keyword index
        self.source = _LockedSource(DbJobSource(engine), self._jobs_lock)
        self._keywords: _LockedKeywords | None = None
        self._places: dict[str, JobPlace] = {}
        self._screening: ScreeningIndex | None = None
        self.snapshot = snapshot
        self._signature: tuple[Any, ...] = ()
        self._checked = 0.0
        self._known_users: set[str] = set()
        self._users_lock = threading.Lock()
        self._current: _LRU[str, _CurrentCV] = _LRU(256)
        self._vectors: _LRU[tuple[str, str], np.ndarray] = _LRU(4096)
        self._analyses: _LRU[tuple[str, int, str, str], Analysis] = _LRU(512)

    # -- warm-up ------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load what the first question would otherwise wait for (index, embedder)."""
        self._keyword_index()
        if self.embedder is not None:
            self.embedder.embed(["warm up"])

    def _jobs_signature(self) -> tuple[Any, ...]:
        """Changes when jobs are imported, updated, expired or deleted (any process)."""
        from store.jobsource import stage1_fingerprint

        return stage1_fingerprint(self.engine)

    def _keyword_index(self) -> tuple[_LockedKeywords, dict[str, JobPlace]]:
        """The keyword index, rebuilt when the jobs changed (checked every
        ``JOBS_CHECK_S`` seconds: another process may have imported jobs)."""
        from store.jobsource import load_job_indexes

        with self._jobs_lock:
            now = time.monotonic()
            if self._keywords is not None and now - self._checked > JOBS_CHECK_S:
                self._checked = now
                if self._jobs_signature() != self._signature:
                    self._keywords = None
            if self._keywords is None:
                signature = self._jobs_signature()
                lookup = getattr(self.index, "vectors", None)
                built = load_job_indexes(
                    self.engine, self.snapshot, vectors=lookup if self.embedder else None,
                    dim=self.embedder.dim if self.embedder is not None else None)
                self._keywords = _LockedKeywords(built.keywords, self._jobs_lock)
                self._places, self._signature, self._checked = built.places, signature, now
                self._screening = built.screening
                logger.info("stage-1 indexes ready: %d jobs", len(built.screening))
            return self._keywords, self._places

    def refresh_jobs(self) -> None:
        """Rebuild the in-memory keyword index (after jobs were imported or expired)."""
        with self._jobs_lock:
            self._keywords = None
        self._keyword_index()

    # -- users and CVs ------------------------------------------------------------------
    def ensure_user(self, owner_id: str, display_name: str | None = None) -> None:
        """Create the user row if missing (channels call this on first contact)."""
        from sqlalchemy.exc import IntegrityError

        self._check_owner(owner_id)
        if owner_id in self._known_users:
            return
        with self._users_lock:
            if self.users.get(owner_id) is None:
                try:
                    self.users.create(display_name or owner_id, user_id=owner_id)
                except IntegrityError:  # created meanwhile by another thread or process
                    logger.debug("user created concurrently")
            self._known_users.add(owner_id)

    def _as_user(self, owner_id: str, fn: Callable[[], T]) -> T:
        """Run ``fn`` for an existing user row (created first; again if it was deleted
        meanwhile, e.g. forgotten in another process)."""
        from store.repo import NotFoundError

        self.ensure_user(owner_id)
        try:
            return fn()
        except NotFoundError:
            with self._users_lock:
                self._known_users.discard(owner_id)
            self.ensure_user(owner_id)
            return fn()

    @staticmethod
    def _check_owner(owner_id: str) -> None:
        if not isinstance(owner_id, str) or not owner_id.strip() or len(owner_id) > 64:
            raise InvalidInputError("A user id is 1 to 64 characters.")
        if ":" in owner_id:
            raise InvalidInputError("A user id cannot contain ':'.")

    def save_cv(self, owner_id: str, *, text: str | None = None, data: bytes | None = None,
                file_name: str = "cv.txt") -> CVSummary:
        """Parse and store a CV (text, or file bytes of a PDF/DOCX/TXT/MD) as the current CV.

        Raises InvalidInputError/UnsupportedFileError/EmptyDocumentError with a user-safe message.
        """
        from tools.errors import EmptyDocumentError
        from tools.parsing.cv import parse_cv
        from tools.parsing.text import extract_text_from_bytes

        if (text is None) == (data is None):
            raise InvalidInputError("Give the CV as text or as a file.")
        if data is not None:
            raw = extract_text_from_bytes(data, file_name, max_bytes=self.max_upload_bytes)
        else:
            assert text is not None
            if len(text.encode("utf-8", "replace")) > self.max_upload_bytes:
                raise FileTooLargeError("That CV is larger than the upload limit.")
            raw = text
        if not raw.strip():
            raise EmptyDocumentError("The CV is empty.")
        profile = parse_cv(raw)
        if not (profile.skills or profile.experience or profile.education):
            raise InvalidInputError(
                "That does not look like a CV: no skills, experience or education found.")
        safe_name = Path(file_name or "cv.txt").name[:200] or "cv.txt"
        record = self._as_user(owner_id, lambda: self.cvs.add(owner_id, safe_name, raw, profile))
        assert record.id is not None
        self._current.drop(lambda k: k == owner_id)
        self._analyses.drop(lambda k: k[0] == owner_id)
        return summarise_profile(profile, cv_id=record.id, version=record.version,
                                 file_name=record.file_name)

    def _current_cv(self, owner_id: str) -> _CurrentCV:
        """The owner's latest CV, parsed and embedded (memoised by CV id)."""
        from sqlalchemy import select

        from store.tables import CVRecord

        table = CVRecord.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            head = conn.execute(
                select(table.c.id, table.c.content_hash).where(table.c.owner_id == owner_id)
                .order_by(table.c.version.desc()).limit(1)).first()
        if head is None:
            raise NoCVError("You have no CV yet: paste it or upload a file (PDF, DOCX, TXT).")
        cv_id, digest = int(head[0]), str(head[1])
        found = self._current.get(owner_id)
        if found is not None and found.cv_id == cv_id:
            return self._with_expectations(owner_id, found)
        record = self.cvs.get(owner_id, cv_id)
        if record is None:  # deleted meanwhile
            raise NoCVError("You have no CV yet: paste it or upload a file (PDF, DOCX, TXT).")
        return self._with_expectations(
            owner_id, self._remember_cv(owner_id, cv_id, digest, self.cvs.profile(record)))

    def job_preferences(self, owner_id: str) -> JobPreferences:
        """The owner's preferences that filter lists and inform scores (tools.preferences)."""
        from tools.preferences import JobPreferences

        try:
            p = self.preferences(owner_id)
        except JobfitError:
            return JobPreferences()
        return JobPreferences.of(remote=p.remote, locations=p.locations,
                                 salary_floor=p.salary_floor, salary_currency=p.salary_currency,
                                 blocked_companies=p.blocked_companies)

    def _with_expectations(self, owner_id: str, current: _CurrentCV) -> _CurrentCV:
        """The current CV with the owner's preferences as its expectations (work mode, place,
        salary floor); its hash changes with them, so cached scores stay right."""
        from tools.preferences import expectations_key, with_expectations

        prefs = self.job_preferences(owner_id)
        key = expectations_key(prefs)
        if not key:
            return current
        from store.cache import content_hash

        return _CurrentCV(current.cv_id, current.cv_hash,
                          with_expectations(current.profile, prefs), current.vector,
                          expectations=content_hash(f"{self.weights_hash}|{key}"))

    def _weights_key(self, current: _CurrentCV) -> str:
        """The weights' hash, or the hash of weights and expectations when preferences apply."""
        return current.expectations or self.weights_hash

    def preference_filter(self, owner_id: str, postings: Sequence[T],
                          posting: Callable[[T], JobPosting]) -> tuple[list[T], dict[str, int]]:
        """The one preference filter of every list (matches, search, digests): the items kept,
        and how many the owner's preferences hid per reason (work_mode, location, salary...)."""
        from tools.preferences import apply_preferences

        return apply_preferences(postings, self.job_preferences(owner_id), posting)

    def _remember_cv(self, owner_id: str, cv_id: int, digest: str,
                     profile: CandidateProfile) -> _CurrentCV:
        from tools.scoring import cv_embedding_text

        vector = None
        text = cv_embedding_text(profile)
        if self.embedder is not None and text:
            vector = self.embedder.embed([text])[0]
        current = _CurrentCV(cv_id, digest, profile, vector)
        self._current.put(owner_id, current)
        return current

    def profile(self, owner_id: str) -> CandidateProfile:
        """The owner's current (latest) CV, parsed. Raises NoCVError."""
        return self._current_cv(owner_id).profile

    def has_cv(self, owner_id: str) -> bool:
        return self.cvs.latest(owner_id) is not None

    def cv_summary(self, owner_id: str) -> CVSummary:
        """What was understood from the owner's current CV. Raises NoCVError."""
        record = self.cvs.latest(owner_id)
        if record is None or record.id is None:
            raise NoCVError("You have no CV yet: paste it or upload a file (PDF, DOCX, TXT).")
        return summarise_profile(self.cvs.profile(record), cv_id=record.id,
                                 version=record.version, file_name=record.file_name)

    def list_cvs(self, owner_id: str) -> list[CVSummary]:
        """Every CV the owner stored, oldest first."""
        return [summarise_profile(self.cvs.profile(r), cv_id=r.id, version=r.version,
                                  file_name=r.file_name)
                for r in self.cvs.list(owner_id) if r.id is not None]

    def preferences(self, owner_id: str) -> UserPreferences:
        """The owner's stored preferences (defaults when the user is new)."""
        from store.users import UserPreferences

        if self.users.get(owner_id) is None:
            return UserPreferences()
        return self.users.preferences(owner_id)

    def update_preferences(self, owner_id: str, **changes: Any) -> UserPreferences:
        """Merge the given fields (UserPreferences names) into the stored preferences."""
        from store.users import UserPreferences

        unknown = sorted(set(changes) - set(UserPreferences.model_fields))
        if unknown:
            raise InvalidInputError(f"Unknown preference: {', '.join(unknown)}.")
        current = self._as_user(owner_id, lambda: self.users.preferences(owner_id))
        try:
            merged = UserPreferences.model_validate(
                {**current.model_dump(mode="json"), **changes})
        except ValidationError as exc:
            fields = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")})
            raise InvalidInputError(
                f"Invalid value for {', '.join(fields) or 'a preference'}.") from None
        self.users.set_preferences(owner_id, merged)
        return merged

    # -- jobs -----------------------------------------------------------------------------
    def _resolve_id(self, job_ref: str, owner_id: str | None = None) -> int:
        """The database id a reference points at, among the jobs ``owner_id`` may see (shared
        ones and their own private ones). Raises NotFoundError."""
        from sqlalchemy import case, select

        from store.jobaccess import visible_clause
        from store.repo import NotFoundError
        from store.tables import JobRecord

        kind, value = parse_job_ref(job_ref)
        if kind == "id":
            return int(value)
        table = JobRecord.__table__  # type: ignore[attr-defined]
        column = table.c.url if kind == "url" else table.c.external_id
        stmt = (select(table.c.id).where(column == value, visible_clause(owner_id))
                .order_by(case((table.c.status == "ACTIVE", 0), else_=1), table.c.id).limit(1))
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        if row is None and kind == "url":
            from store.importers import canonical_url

            with self.engine.connect() as conn:
                row = conn.execute(select(table.c.id).where(
                    table.c.url == canonical_url(value), visible_clause(owner_id))
                    .limit(1)).first()
        if row is None:
            raise NotFoundError(f"No job {job_ref.strip()[:80]!r} in the collection.")
        return int(row[0])

    def _stored(self, job_ref: str, owner_id: str | None = None) -> StoredJob:
        """A stored job ``owner_id`` may see (active ones from the memo, others from the
        table)."""
        from store.jobaccess import is_visible
        from store.repo import NotFoundError, parsed_job
        from tools.matching import StoredJob

        job_id = self._resolve_id(job_ref, owner_id)
        found = self.source.get_jobs([str(job_id)], viewer=owner_id)
        if found:
            return found[0]
        record = self.jobs.get(job_id)
        if record is None or not is_visible(record.owner_id, owner_id):
            raise NotFoundError(f"No job {job_ref.strip()[:80]!r} in the collection.")
        return StoredJob(id=str(job_id), content_hash=record.content_hash,
                         posting=parsed_job(record))

    @staticmethod
    def _card(job_id: str, posting: JobPosting, result: MatchResult | None = None,
              score: float | None = None) -> JobCard:
        from tools.scoring import grade_for, label_for

        loc = posting.location
        remote = posting.work_mode or ("remote" if loc is not None and loc.remote else None)
        value = result.score if result is not None else (
            int(round(score)) if score is not None else None)
        pasted = job_id == PASTED_ID
        return JobCard(
            job_id="pasted" if pasted else (posting.external_id or str(job_id)),
            ref=0 if pasted or not job_id.isdigit() else int(job_id),
            title=posting.title, company=posting.company,
            location=(loc.raw or None) if loc is not None else None, remote=remote,
            salary=salary_text(posting), posted=posting.posted_date, url=posting.url,
            score=value,
            grade=result.grade if result is not None else (
                grade_for(value) if value is not None else None),
            label=result.label if result is not None else (
                label_for(value) if value is not None else None),
        )

    def job_card(self, job_ref: str, owner_id: str | None = None) -> JobCard:
        """An ACTIVE (or any stored) job by reference, among those ``owner_id`` may see.
        Raises NotFoundError."""
        stored = self._stored(job_ref, owner_id)
        return self._card(stored.id, stored.posting)

    def _job_vectors(self, stored: Sequence[StoredJob]) -> dict[str, np.ndarray]:
        """Indexed vectors of jobs (memoised by id and content hash)."""
        out: dict[str, np.ndarray] = {}
        missing: list[StoredJob] = []
        for s in stored:
            found = self._vectors.get((s.id, s.content_hash))
            if found is None:
                missing.append(s)
            else:
                out[s.id] = found
        if missing and self.embedder is not None:
            lookup = getattr(self.index, "vectors", None)
            got: dict[str, np.ndarray] = lookup([s.id for s in missing]) if lookup else {}
            for s in missing:
                vec = got.get(s.id)
                if vec is None:  # not indexed (expired, index behind): embed it now
                    from tools.scoring import job_embedding_text

                    text = job_embedding_text(s.posting)
                    if not text:
                        continue
                    vec = self.embedder.embed([text])[0]
                self._vectors.put((s.id, s.content_hash), vec)
                out[s.id] = vec
        return out

    def _filters(self, owner_id: str, filters: JobFilters | None) -> JobFilters:
        """The given filters plus the owner's blocked companies."""
        filters = filters or JobFilters()
        try:
            blocked = self.preferences(owner_id).blocked_companies
        except JobfitError:
            blocked = []
        if blocked:
            filters = filters.model_copy(update={
                "exclude_companies": sorted({*filters.exclude_companies, *blocked})})
        return filters

    def search(self, owner_id: str, query: str, *, filters: JobFilters | None = None,
               k: int = 10, ignore_preferences: bool = False,
               report: dict[str, Any] | None = None) -> list[JobCard]:
        """Hybrid search; when the owner has a CV each card also carries its fit score.

        The owner's preferences hide jobs as in :meth:`best_matches` (``report`` receives the
        hidden counts), and a job imported from several sources is listed once."""
        from tools.matching import search_jobs
        from tools.scoring import score_many

        query = (query or "").strip()
        if not query and filters is None:
            raise InvalidInputError("What should I look for? e.g. \"remote python jobs\".")
        k = max(1, min(int(k), 50))
        filters = self._filters(owner_id, filters)
        keywords, _ = self._keyword_index()
        vector = self.embedder.embed([query])[0] if self.embedder is not None and query else None
        prefs = self.job_preferences(owner_id)
        use_prefs = prefs.active and not ignore_preferences
        hits = search_jobs(query, vector=vector, index=self.index,
                           keywords=keywords,  # type: ignore[arg-type]
                           jobs=self.source.for_viewer(owner_id), filters=filters,
                           k=5 * k if use_prefs else k + 5,
                           min_similarity=self.search_floor)
        hidden: dict[str, int] = {}
        if use_prefs:
            hits, hidden = self.preference_filter(owner_id, hits, lambda h: h.posting)
        if report is not None:
            report["hidden"] = hidden
        groups = self._duplicate_groups([h.job_id for h in hits])
        seen: set[int] = set()
        unique = []
        for h in hits:
            group = groups.get(int(h.job_id)) if h.job_id.isdigit() else None
            if group is not None and group[0] in seen:
                continue
            if group is not None:
                seen.add(group[0])
            unique.append(h)
        hits = unique[:k]
        if not hits:
            return []
        try:
            current = self._current_cv(owner_id)
        except NoCVError:
            return self._with_sources([self._card(h.job_id, h.posting) for h in hits], groups)
        from tools.scoring import prepare_profile

        matrix = None
        if current.vector is not None:
            heads = self.source.get_jobs([h.job_id for h in hits], viewer=owner_id)
            vecs = self._job_vectors(heads)
            if all(h.job_id in vecs for h in hits):
                matrix = np.stack([vecs[h.job_id] for h in hits])
        scores = score_many(prepare_profile(current.profile), [h.posting for h in hits],
                            weights=self.weights, cv_vector=current.vector if matrix is not None
                            else None, job_vectors=matrix, calibration=self.calibration)
        cards = [self._card(h.job_id, h.posting, score=s)
                 for h, s in zip(hits, scores, strict=True)]
        return self._with_sources(cards, groups)

    @staticmethod
    def _with_sources(cards: list[JobCard],
                      groups: dict[int, tuple[int, list[str]]]) -> list[JobCard]:
        for card in cards:
            group = groups.get(card.ref)
            if group is not None:
                card.also_on = group[1]
        return cards

    def best_matches(self, owner_id: str, *, k: int = 10, min_score: float = 50,
                     filters: JobFilters | None = None, strict: Sequence[str] = (),
                     progress: Callable[[str], None] | None = None,
                     ignore_preferences: bool = False,
                     report: dict[str, Any] | None = None) -> list[JobCard]:
        """Two-stage match of the current CV against the index; results saved as SUGGESTED.

        Jobs the owner dismissed and companies they blocked are left out, and so are jobs their
        preferences (work mode, places, salary floor) hide unless ``ignore_preferences``; when
        ``report`` is given it receives ``{"hidden": {reason: count}}``. A job imported from
        several sources is listed once, its card saying where else it is (``also_on``).
        """
        from store.tables import MatchStatus
        from tools.matching import HardFilters, match_cv
        from tools.search import job_metadata, matches_filters

        wanted = {s.strip().lower() for s in strict if s.strip()}
        if wanted - set(STRICT_FILTERS):
            raise InvalidInputError("Strict filters are salary, location and experience.")
        k = max(1, min(int(k), 50))
        current = self._current_cv(owner_id)
        filters = self._filters(owner_id, filters)
        dismissed = {m.job_id for m in self.matches.list(
            owner_id, statuses=[MatchStatus.DISMISSED], limit=10_000)}
        if progress:
            progress("Looking for candidate jobs")
        with self._jobs_lock:  # the three indexes of one build (another thread may rebuild)
            keywords, places = self._keyword_index()
            screening = self._screening
        lookup = getattr(self.index, "vectors", None)
        extra = len(dismissed) + (3 * k if filters != JobFilters() else 0)
        prefs = self.job_preferences(owner_id)
        if prefs.active and not ignore_preferences:
            extra += 4 * k
        found = match_cv(
            current.profile, jobs=self.source.for_viewer(owner_id),
            cv_vector=current.vector, index=self.index,
            keywords=keywords, places=places, k=k + extra,  # type: ignore[arg-type]
            screening=screening,
            min_score=min_score, filters=filters, weights=self.weights,
            calibration=self.calibration,
            vectors=lookup if current.vector is not None else None, cache=self.cache,
            cv_hash=current.cv_hash, weights_hash=self._weights_key(current),
            hard=HardFilters(**{name: True for name in wanted}) if wanted else None,
        )
        found = self._with_private_matches(owner_id, current, found, k=k + extra,
                                           min_score=min_score, filters=filters, hard=wanted)
        if progress:
            progress("Scoring the best candidates")
        cards: list[JobCard] = []
        hidden: dict[str, int] = {}
        groups = self._duplicate_groups([m.job_id for m in found])
        seen: set[int] = set()
        for m in found:
            if int(m.job_id) in dismissed:
                continue
            if not matches_filters(job_metadata(m.posting), filters):
                continue
            if not ignore_preferences:
                from tools.preferences import hidden_reason

                reason = hidden_reason(m.posting, prefs)
                if reason is not None:
                    hidden[reason] = hidden.get(reason, 0) + 1
                    continue
            group = groups.get(int(m.job_id))
            if group is not None and group[0] in seen:
                continue
            if group is not None:
                seen.add(group[0])
            card = self._card(m.job_id, m.posting, m.result)
            if group is not None:
                card.also_on = group[1]
            cards.append(card)
            self.matches.save(owner_id, current.cv_id, int(m.job_id), m.result.score,
                              m.result.breakdown())
            if len(cards) >= k:
                break
        if report is not None:
            report["hidden"] = hidden
        return cards

    def _duplicate_groups(self, job_ids: Sequence[str]) -> dict[int, tuple[int, list[str]]]:
        """For jobs linked as duplicates (``JobRecord.duplicate_of``): job id -> (the group's
        original id, the sources of the other copies). Jobs without copies are left out."""
        from sqlalchemy import or_, select

        from store.tables import JobRecord

        ids = [int(j) for j in job_ids if str(j).isdigit()]
        if not ids:
            return {}
        table = JobRecord.__table__  # type: ignore[attr-defined]
        with self.engine.connect() as conn:
            heads = {int(r[0]): r[1] for r in conn.execute(
                select(table.c.id, table.c.duplicate_of).where(table.c.id.in_(ids)))}
            roots = {j: int(d) if d is not None else j for j, d in heads.items()}
            rows = conn.execute(select(table.c.id, table.c.source, table.c.duplicate_of).where(
                or_(table.c.id.in_(set(roots.values())),
                    table.c.duplicate_of.in_(set(roots.values()))))).all()
        members: dict[int, list[tuple[int, str]]] = {}
        for rid, source, dup in rows:
            root = int(dup) if dup is not None else int(rid)
            members.setdefault(root, []).append((int(rid), str(source or "")))
        out: dict[int, tuple[int, list[str]]] = {}
        for j, root in roots.items():
            group = members.get(root) or []
            if len(group) < 2:
                continue
            others = sorted({src for rid, src in group if rid != j and src})
            out[j] = (root, others)
        return out

    def _analyse_stored(self, owner_id: str, current: _CurrentCV, stored: StoredJob) -> Analysis:
        from tools.gaps import find_gaps
        from tools.scoring import ENGINE_VERSION, score_match

        key = (owner_id, current.cv_id, stored.id,
               f"{stored.content_hash}:{current.expectations}")
        found = self._analyses.get(key)
        if found is not None:
            return found.model_copy(update={"cached": True})
        job_vec = self._job_vectors([stored]).get(stored.id) if current.vector is not None \
            else None
        cv_vec = current.vector if job_vec is not None else None
        result = self.cache.get(current.cv_hash, stored.content_hash, self._weights_key(current),
                                ENGINE_VERSION)
        cached = result is not None
        if result is None:
            result = score_match(current.profile, stored.posting, self.weights,
                                 cv_vector=cv_vec, job_vector=job_vec,
                                 calibration=self.calibration)
            self.cache.put(current.cv_hash, stored.content_hash, self._weights_key(current),
                           ENGINE_VERSION, result)
        gaps = find_gaps(current.profile, stored.posting, result=result, weights=self.weights,
                         cv_vector=cv_vec, job_vector=job_vec, calibration=self.calibration)
        analysis = Analysis(job=self._card(stored.id, stored.posting, result), result=result,
                            gaps=gaps, cv_id=current.cv_id, cached=cached)
        self._analyses.put(key, analysis)
        return analysis

    def parse_posting(self, job_text: str) -> JobPosting:
        """A pasted posting, parsed (not stored). Raises InvalidInputError."""
        from tools.parsing.job import parse_job

        text = (job_text or "").strip()
        if len(text) < MIN_JOB_TEXT:
            raise InvalidInputError("That is too short to be a job posting; paste the whole ad.")
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidInputError("That posting is too long.")
        if "\n" not in text and len(text) > 120:
            # one pasted paragraph: a line per sentence, so the first one can be read as the
            # header ("Senior Java Developer at Acme, Tel Aviv (hybrid).") - same length
            text = re.sub(r"(?<=[.!?;]) (?=[A-Z])", "\n", text)
        posting = parse_job(text)
        if not (posting.all_skills or posting.keywords or posting.title):
            raise InvalidInputError("I could not find a job in that text.")
        return posting

    def _pasted(self, job_text: str) -> StoredJob:
        """A pasted posting as a job with id "0" (never stored; content-addressed)."""
        from store.cache import content_hash
        from tools.matching import StoredJob

        posting = self.parse_posting(job_text)
        return StoredJob(id=PASTED_ID, content_hash=content_hash(job_text), posting=posting)

    def _job(self, job_ref: str | None, job_text: str | None,
             owner_id: str | None = None) -> StoredJob:
        if (job_ref is None) == (job_text is None):
            raise InvalidInputError("Which job? Give its id, its position in the list, or "
                                    "paste the posting.")
        return (self._pasted(job_text) if job_text is not None
                else self._stored(job_ref or "", owner_id))

    def analyse(self, owner_id: str, job_ref: str | None = None, *,
                job_text: str | None = None) -> Analysis:
        """Score and gaps of the current CV for a stored job or a pasted posting."""
        job = self._job(job_ref, job_text, owner_id)
        return self._analyse_stored(owner_id, self._current_cv(owner_id), job)

    def compare_jobs(self, owner_id: str, job_refs: Sequence[str]) -> list[Analysis]:
        """The current CV against several jobs, best first."""
        refs = list(dict.fromkeys(r for r in job_refs if str(r).strip()))
        if len(refs) < 2:
            raise InvalidInputError("Give at least two jobs to compare.")
        if len(refs) > 10:
            raise InvalidInputError("I can compare at most 10 jobs at a time.")
        current = self._current_cv(owner_id)
        out = [self._analyse_stored(owner_id, current, self._stored(r, owner_id)) for r in refs]
        return sorted(out, key=lambda a: (-a.result.score, a.job.ref))

    def compare_cvs(self, owner_id: str, job_ref: str,
                    cv_ids: Sequence[int] | None = None) -> list[Analysis]:
        """Several of the owner's CVs (default: all) against one job, best first."""
        from store.repo import NotFoundError

        stored = self._stored(job_ref, owner_id)
        if cv_ids is None:
            records = self.cvs.list(owner_id)
        else:
            records = []
            for cv_id in dict.fromkeys(cv_ids):
                rec = self.cvs.get(owner_id, int(cv_id))
                if rec is None:
                    raise NotFoundError(f"You have no CV with id {cv_id}.")
                records.append(rec)
        if not records:
            raise NoCVError("You have no CV yet: paste it or upload a file (PDF, DOCX, TXT).")
        out = []
        for rec in records[-10:]:
            assert rec.id is not None
            current = self._current.get(owner_id)
            if current is None or current.cv_id != rec.id:
                current = self._remember_cv(owner_id, rec.id, rec.content_hash,
                                            self.cvs.profile(rec))
            out.append(self._analyse_stored(owner_id, current, stored))
        self._current.drop(lambda k: k == owner_id)  # the latest CV is re-read next time
        return sorted(out, key=lambda a: (-a.result.score, a.cv_id or 0))

    def record_feedback(self, owner_id: str, job_ref: str, status: FeedbackStatus) -> JobCard:
        """Remember what the owner did with a job (interested, applied, dismissed, ...)."""
        if status not in FEEDBACK_STATUSES:
            raise InvalidInputError(
                "Feedback is one of interested, applied, dismissed, shortlisted.")
        self.ensure_user(owner_id)
        stored = self._stored(job_ref, owner_id)
        job_id = int(stored.id)
        try:
            current: _CurrentCV | None = self._current_cv(owner_id)
        except NoCVError:
            current = None
        match_id = None
        result = None
        from agent.applications import application_status, track_application

        # an application's status is changed by the pipeline only: feedback such as "not
        # interested" on a job the owner applied to is recorded, but changes nothing else
        applying = application_status(self, owner_id, job_id)
        if current is not None:
            result = self._analyse_stored(owner_id, current, stored).result
            keep = applying is not None and status != "applied"
            match = self.matches.save(owner_id, current.cv_id, job_id, result.score,
                                      result.breakdown(),
                                      status="SUGGESTED" if keep else status.upper())
            assert match.id is not None
            if not keep:
                self.matches.set_status(owner_id, match.id, status.upper())
            match_id = match.id
        self.matches.add_feedback(owner_id, status, job_id=job_id, match_id=match_id)
        if status == "applied" and applying in (None, "saved"):
            track_application(self, owner_id, "applied", job_ref=str(job_id))
        elif status == "shortlisted" and applying is None:
            track_application(self, owner_id, "saved", job_ref=str(job_id))
        return self._card(stored.id, stored.posting, result)

    def track_application(self, owner_id: str, status: str, *, job_ref: str | None = None,
                          company: str | None = None, note: str | None = None) -> Application:
        """Record a step of the owner's application (agent/applications.py)."""
        from agent.applications import track_application

        return track_application(self, owner_id, status, job_ref=job_ref, company=company,
                                 note=note)

    def skill_insights(self, owner_id: str, *, k: int = 10) -> tuple[list[SkillImpact], int]:
        """Skills that would raise the owner's scores most over their top ``k`` matches, and how
        many matches were measured: the engine's counterfactual re-scoring aggregated by
        :func:`tools.insights.skill_impacts` (the same function the digests use)."""
        from tools.insights import ImpactJob, skill_impacts

        cards = self.best_matches(owner_id, k=k, min_score=0)
        current = self._current_cv(owner_id)
        stored = [self._stored(str(c.ref), owner_id) for c in cards if c.ref]
        vectors = self._job_vectors(stored) if current.vector is not None else {}
        jobs = [ImpactJob(s.id, s.posting, vectors.get(s.id)) for s in stored]
        impacts = skill_impacts(current.profile, jobs, weights=self.weights,
                                cv_vector=current.vector, calibration=self.calibration,
                                limit=8)
        return impacts, len(jobs)

    def applications(self, owner_id: str, *, status: str | None = None,
                     older_than_days: int | None = None) -> list[Application]:
        """The owner's application pipeline, most recently changed first."""
        from agent.applications import list_applications

        return list_applications(self, owner_id, status=status,
                                 older_than_days=older_than_days)

    def feedback(self, owner_id: str, *, limit: int = 100) -> list[dict[str, Any]]:
        """The owner's recent feedback events, newest first."""
        return [{"job_ref": f.job_id, "kind": f.kind, "created": f.created}
                for f in self.matches.feedback(owner_id, limit=limit)]

    # -- tailoring ----------------------------------------------------------------------
    def _score_fn(self, stored: StoredJob, profile_name: ScoringProfile = "fitted"
                  ) -> Callable[[CandidateProfile], MatchResult]:
        """Scores any version of a CV against this job exactly as analyses do (or with the
        engine's ``ats`` / ``balanced`` profile: tailoring reports them before → after)."""
        from tools.scoring import cv_embedding_text, score_match

        weights = self.weights if profile_name == "fitted" else None

        job_vec = self._job_vectors([stored]).get(stored.id)

        def score(profile: CandidateProfile) -> MatchResult:
            cv_vec = None
            text = cv_embedding_text(profile)
            if self.embedder is not None and job_vec is not None and text:
                cv_vec = self.embedder.embed([text])[0]
            return score_match(profile, stored.posting, weights, cv_vector=cv_vec,
                               job_vector=job_vec if cv_vec is not None else None,
                               calibration=self.calibration, profile_name=profile_name)

        return score

    def _profile_scores(self, stored: StoredJob) -> dict[str, Callable[[CandidateProfile],
                                                                       MatchResult]]:
        return {name: self._score_fn(stored, name) for name in ("ats", "balanced")}

    def tailoring_options(self, owner_id: str, job_ref: str | None = None, *,
                          job_text: str | None = None) -> list[TailoringOption]:
        """What can be changed in the current CV for this job (stored, or a pasted posting),
        each with its impact."""
        from tools import tailoring

        current = self._current_cv(owner_id)
        stored = self._job(job_ref, job_text, owner_id)
        analysis = self._analyse_stored(owner_id, current, stored)
        return list(tailoring.tailoring_options(current.profile, stored.posting, analysis.gaps,
                                                score=self._score_fn(stored),
                                                scores=self._profile_scores(stored)))

    def tailor(self, owner_id: str, job_ref: str | None, option_ids: Sequence[str], *,
               rewriter: Rewriter | None = None, job_text: str | None = None) -> TailoredCV:
        """The current CV tailored for a job with the chosen options ("all": every option).

        Nothing is invented: lines adding skills, employers, titles, degrees, dates or numbers
        the original lacks are reverted (reported in ``violations``).
        """
        from tools import tailoring

        current = self._current_cv(owner_id)
        stored = self._job(job_ref, job_text, owner_id)
        score = self._score_fn(stored)
        chosen = [str(o) for o in option_ids]
        if not chosen:
            raise InvalidInputError("Pick at least one change (or \"all\").")
        # "all" is expanded by tailor_cv itself: an action with nothing to change is a no-op
        return tailoring.tailor_cv(current.profile, stored.posting, chosen, rewriter=rewriter,
                                   score=score, scores=self._profile_scores(stored))

    # -- data -------------------------------------------------------------------------------
    def forget(self, owner_id: str) -> dict[str, int]:
        """Delete everything stored for the owner (CVs, matches, feedback, preferences, chats),
        leaving none of its bytes in the database files (see :meth:`purge_conversations`)."""
        from store.db import scrub_deleted

        self._check_owner(owner_id)
        from store.jobaccess import delete_private_jobs

        private_jobs = delete_private_jobs(self.engine, owner_id, self.index)
        counts = self.users.delete_all(owner_id)
        counts["channel_links"] = self.channels.delete_links(owner_id)
        if private_jobs:
            counts["private_jobs"] = private_jobs
        with self._users_lock:
            self._known_users.discard(owner_id)
        self._current.drop(lambda k: k == owner_id)
        self._analyses.drop(lambda k: k[0] == owner_id)
        scrub_deleted(self.engine)
        counts["conversations"] = self.purge_conversations(owner_id)
        logger.info("forgot a user: %s", counts)
        return counts

    def purge_conversations(self, owner_id: str) -> int:
        """Delete every conversation thread of the owner and scrub the checkpoint store (no
        deleted bytes left in SQLite files or the write-ahead log); returns how many threads.

        :meth:`forget` calls it; a channel calls it again when a turn that forgot the user
        has ended: the graph saves each step's checkpoint in the background, so the steps of
        that turn from before the deletion (which still hold the whole conversation) may land
        after it.
        """
        from agent.threads import delete_user_threads, scrub_checkpoints

        self._check_owner(owner_id)
        if self.checkpointer is None:
            return 0
        deleted = delete_user_threads(self.checkpointer, owner_id)
        scrub_checkpoints(self.checkpointer)
        return deleted

    def import_jobs(self, path: str | Path,
                    progress: Callable[[int, int | None], None] | None = None, *,
                    owner_id: str | None = None, admin: bool = False) -> ImportSummary:
        """Import a jobs file (JSON/JSONL/CSV) or feed.

        ``owner_id`` None: the operator's import (CLI, sample seed) into the shared store.
        A chat user's import (``owner_id`` given) goes to their private source
        ``user:<owner_id>`` (only they see those jobs; nothing shared or another user's is
        overwritten) unless the channel says the user is an ``admin`` (``JOBFIT_ADMINS``).
        See ``store.jobaccess``.
        """
        from store.importers import import_jobs
        from store.jobaccess import MAX_PRIVATE_JOBS, OPERATOR, count_private_jobs, user_actor

        if self.embedder is None:
            raise InvalidInputError("JOBFIT_EMBEDDER=none: importing jobs needs an embedder.")
        if owner_id is not None:
            self._check_owner(owner_id)
        private = owner_id is not None and not admin
        if private and count_private_jobs(self.engine, str(owner_id)) >= MAX_PRIVATE_JOBS:
            raise InvalidInputError(
                f"You already have {MAX_PRIVATE_JOBS:,} private jobs, the most one user can "
                "keep. Ask the operator to add jobs to the shared store.")
        actor = OPERATOR if owner_id is None else user_actor(owner_id)
        summary = import_jobs(path, engine=self.engine, index=self.index, embedder=self.embedder,
                              progress=progress, owner_id=owner_id if private else None,
                              actor=actor)
        if not private:
            self.refresh_jobs()
        return summary

    def _with_private_matches(self, owner_id: str, current: _CurrentCV, found: list[Any], *,
                              k: int, min_score: float, filters: JobFilters,
                              hard: set[str]) -> list[Any]:
        """``found`` (matches among shared jobs) merged with the owner's private jobs scored
        the same way (exhaustively: a user's own uploads are few), best first."""
        from store.jobaccess import private_job_ids
        from tools.matching import HardFilters, match_cv

        ids = private_job_ids(self.engine, owner_id)
        if not ids:
            return found

        class _Mine:
            def __init__(self, source: Any) -> None:
                self.source = source

            def get_jobs(self, wanted: Sequence[str]) -> list[StoredJob]:
                return list(self.source.get_jobs(wanted, viewer=owner_id))

            def iter_active(self, batch: int = 1000) -> Iterator[list[StoredJob]]:
                for s in range(0, len(ids), batch):
                    yield self.get_jobs([str(i) for i in ids[s:s + batch]])

        lookup = getattr(self.index, "vectors", None)
        mine = match_cv(
            current.profile, jobs=_Mine(self.source), cv_vector=current.vector, k=k,
            min_score=min_score, filters=filters, weights=self.weights,
            calibration=self.calibration, exhaustive=True,
            vectors=lookup if current.vector is not None else None, cache=self.cache,
            cv_hash=current.cv_hash, weights_hash=self.weights_hash,
            hard=HardFilters(**{name: True for name in hard}) if hard else None)
        merged = {m.job_id: m for m in [*found, *mine]}
        return sorted(merged.values(), key=lambda m: (-m.result.score, int(m.job_id)))

    def job_count(self) -> int:
        """Number of ACTIVE jobs."""
        return int(self.jobs.count_by_status().get("active", 0))

    # -- chat channels (Slack, Teams) ---------------------------------------------------------
    def channel_user(self, channel: str, workspace: str, external_user: str) -> str:
        """The jobfit user of a verified chat identity (created on first contact)."""
        owner = self.channels.resolve(channel, workspace, external_user)
        self.ensure_user(owner, f"{channel} user")
        return owner

    def issue_link_code(self, owner_id: str) -> str:
        """A one-time code (10 minutes) that links a Slack or Teams identity to this user."""
        self._check_owner(owner_id)
        self.ensure_user(owner_id)
        return self.channels.issue_code(owner_id)

    def link_channel(self, code: str, channel: str, workspace: str, external_user: str) -> str:
        """Make this chat identity act as the code's user; the data of the chat-only account
        it used before is deleted. Raises InvalidInputError on a bad or expired code."""
        linked = self.channels.redeem(code, channel, workspace, external_user)
        if linked is None:
            raise InvalidInputError("That link code is not valid (codes work once, for 10 "
                                    "minutes): say \"link slack\" or \"link teams\" in the "
                                    "web chat for a new one.")
        owner, previous = linked
        if previous and previous.startswith(("slack-", "teams-")) \
                and not self.channels.links(previous):
            self.forget(previous)
        return owner

    # -- digests (agent/digests.py) -------------------------------------------------------
    def stage1(self) -> ScreeningIndex:
        """The screening columns of every active job (rebuilt when the jobs changed)."""
        with self._jobs_lock:
            self._keyword_index()
            assert self._screening is not None
            return self._screening

    def digests(self) -> DigestCenter:
        """The digest center: compose, store and deliver digests (in-app until a channel
        layer adds e-mail, Slack or Teams with ``digests().add_channel``)."""
        with self._users_lock:
            center: DigestCenter | None = getattr(self, "_digest_center", None)
            if center is None:
                from agent.digests import DigestCenter

                center = DigestCenter(self)
                self._digest_center = center
            return center
