"""The service's shared state: repositories, caches and locks, the stage-1 indexes, users.

:class:`ServiceCore` is the base of :class:`agent.service.JobfitService`: it builds the
repositories (the service never writes SQL itself), keeps the heavy objects alive between
calls (the keyword index, the job source's memo, job vectors, parsed CVs, recent analyses)
and guards them with locks, so one service is safe to share between threads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np

from agent.service_types import (
    JOBS_CHECK_S,
    SEARCH_FLOOR_SHARE,
    Analysis,
)
from tools.errors import InvalidInputError
from tools.schemas import Weights

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tools.matching import JobPlace, StoredJob
    from tools.ports import Embedder
    from tools.schemas import CandidateProfile
    from tools.screening import ScreeningIndex
    from tools.search import JobIndex, KeywordIndex

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: active shared jobs a scoring process prepares when it starts (tools.preparation caches
#: 1,024 jobs' text signals)
WARM_JOBS = 1024
K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LRU(Generic[K, V]):
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
class CurrentCV:
    """An owner's current CV as scoring needs it (parsed once, embedded once)."""

    cv_id: int
    cv_hash: str
    profile: CandidateProfile
    vector: np.ndarray | None
    #: the owner's expectations (preferences) folded into the profile: part of the cache keys
    #: (with the weights), while cv_hash stays the CV's own so forgetting it finds its analyses
    expectations: str = ""


class LockedSource:
    """The job source with its memo guarded by a lock (calls from several threads), built on
    first use (an operator command that never reads jobs does not load the parsing stack)."""

    def __init__(self, build: Callable[[], Any], lock: threading.RLock) -> None:
        self._build = build
        self._inner: Any = None
        self.lock = lock

    @property
    def inner(self) -> Any:
        with self.lock:
            if self._inner is None:
                self._inner = self._build()
            return self._inner

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


class LockedKeywords:
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


class ServiceCore:
    """State every part of the service shares (see :class:`agent.service.JobfitService`)."""

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
        from store.repo import JobRepo
        from store.userdata import CVRepo, MatchRepo
        from store.users import UserRepo
        self.engine = engine
        self.embedder = embedder
        self.index = index
        self.weights = weights
        if not calibration:
            if embedder is not None:
                calibration = embedder.calibration
            else:  # the scoring engine is imported only when needed
                from tools.factors import DEFAULT_CALIBRATION

                calibration = DEFAULT_CALIBRATION
        self.calibration: tuple[float, float] = calibration
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

        def db_source() -> Any:
            from store.jobsource import DbJobSource

            return DbJobSource(engine)

        self.source = LockedSource(db_source, self._jobs_lock)
        self._keywords: LockedKeywords | None = None
        self._places: dict[str, JobPlace] = {}
        self._screening: ScreeningIndex | None = None
        self.snapshot = snapshot
        self._signature: tuple[Any, ...] = ()
        self._checked = 0.0
        self._known_users: set[str] = set()
        self._users_lock = threading.Lock()
        self._current: LRU[str, CurrentCV] = LRU(256)
        self._vectors: LRU[tuple[str, str], np.ndarray] = LRU(4096)
        self._analyses: LRU[tuple[str, int, str, str], Analysis] = LRU(512)

    def warm_up(self, *, scoring: bool = False) -> None:
        """Load what the first question would otherwise wait for (index, embedder).

        ``scoring``: also what a process that parses and scores needs on its first calls —
        the CV parser's modules and each active shared job's text signals (up to
        ``WARM_JOBS``, the size of their cache): without it, the first users' matches
        prepared those jobs one by one (a fifth of a scoring worker's time in a 20-user run).
        """
        self._keyword_index()
        if self.embedder is not None:
            self.embedder.embed(["warm up"])
        if scoring:
            self._warm_scoring()

    def _warm_scoring(self) -> None:
        from tools.engine_warmup import warm_engine
        from tools.preparation import prepare_job

        warm_engine()
        left = WARM_JOBS
        for batch in self.source.inner.iter_active(batch=500):
            # through get_jobs: its memo of parsed postings is what matching reads
            for stored in self.source.get_jobs([job.id for job in batch[:left]]):
                prepare_job(stored.posting)
            left -= len(batch)
            if left <= 0:
                return

    def shared_jobs_fingerprint(self) -> tuple[Any, ...]:
        """Changes whenever the set or content of the ACTIVE shared jobs changes (what the
        stage-1 indexes are built from; a user's private upload does not change it)."""
        from store.jobsource import stage1_fingerprint

        return stage1_fingerprint(self.engine)

    def jobs_fingerprint(self) -> tuple[Any, ...]:
        """Changes whenever any job (shared or private) is added, updated or deleted."""
        return self.jobs.fingerprint()

    def _keyword_index(self) -> tuple[LockedKeywords, dict[str, JobPlace]]:
        """The keyword index, rebuilt when the jobs changed (checked every
        ``JOBS_CHECK_S`` seconds: another process may have imported jobs)."""
        from store.jobsource import load_job_indexes

        with self._jobs_lock:
            now = time.monotonic()
            if self._keywords is not None and now - self._checked > JOBS_CHECK_S:
                self._checked = now
                if self.shared_jobs_fingerprint() != self._signature:
                    self._keywords = None
            if self._keywords is None:
                signature = self.shared_jobs_fingerprint()
                lookup = getattr(self.index, "vectors", None)
                built = load_job_indexes(
                    self.engine, self.snapshot, vectors=lookup if self.embedder else None,
                    dim=self.embedder.dim if self.embedder is not None else None)
                self._keywords = LockedKeywords(built.keywords, self._jobs_lock)
                self._places, self._signature, self._checked = built.places, signature, now
                self._screening = built.screening
                logger.info("stage-1 indexes ready: %d jobs", len(built.screening))
            return self._keywords, self._places

    def clear_memos(self) -> None:
        """Drop the in-memory CV and analysis memos and the known users (another process
        forgot a user: ``ui/workers.py``)."""
        self._current.drop(lambda k: True)
        self._analyses.drop(lambda k: True)
        with self._users_lock:
            self._known_users.clear()

    def refresh_jobs(self) -> None:
        """Rebuild the in-memory keyword index (after jobs were imported or expired)."""
        with self._jobs_lock:
            self._keywords = None
        self._keyword_index()

    def stage1(self) -> ScreeningIndex:
        """The screening columns of every active job (rebuilt when the jobs changed)."""
        with self._jobs_lock:
            self._keyword_index()
            assert self._screening is not None
            return self._screening

    def ensure_user(self, owner_id: str, display_name: str | None = None) -> None:
        """Create the user row if missing (channels call this on first contact)."""
        self._check_owner(owner_id)
        if owner_id in self._known_users:
            return
        with self._users_lock:
            self.users.ensure(owner_id, display_name)
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

    def job_count(self) -> int:
        """Number of ACTIVE jobs."""
        return int(self.jobs.count_by_status().get("active", 0))
