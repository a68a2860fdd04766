"""The job store as matching sees it: parsed postings by id, and the keyword index over them.

Reading a job for matching costs a JSON decode and a ``JobPosting`` validation (~0.3-0.5 ms:
the parsed JSON is ~7 KB with the full text). Two stage matching reads ~200 jobs per query,
so :class:`DbJobSource` reads only the columns it needs (id, content hash, status, parsed; not
the text or the skill/keyword columns) with Core statements (no ORM objects), and keeps the
postings it has built in a bounded LRU keyed by (id, content hash, URL): a re-imported job with
new content, or only a new link (the content hash leaves the URL out), gets a new key, so the
memo never serves a stale posting.
"""

from __future__ import annotations

import gc
import logging
import os
import pickle
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import Engine, func, select

from store.jobaccess import visible_clause
from store.repo import JobRepo
from store.tables import JobRecord
from tools.matching import JobPlace, StoredJob, VectorLookup
from tools.schemas import JobPosting
from tools.scoring import ENGINE_VERSION
from tools.screening import ScreeningIndex
from tools.search import KeywordIndex

logger = logging.getLogger(__name__)

_JOBS = JobRecord.__table__  # type: ignore[attr-defined]
#: Ids per ``IN (...)`` (SQLite's default limit on bound parameters is 999).
_IN_CHUNK = 900
#: Postings the LRU keeps by default (~10-15 KB each in memory).
DEFAULT_MEMO = 20_000


class DbJobSource:
    """``tools.matching.JobSource`` over the jobs table (ACTIVE jobs only).

    Args:
        engine: the database.
        memo: how many parsed postings to keep between calls (0: none).
    """

    def __init__(self, engine: Engine, *, memo: int = DEFAULT_MEMO) -> None:
        self.engine = engine
        self.repo = JobRepo(engine)
        self.memo_size = max(0, int(memo))
        self._memo: OrderedDict[tuple[int, str, str | None], JobPosting] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def _remember(self, key: tuple[int, str, str | None], posting: JobPosting) -> None:
        if self.memo_size:
            self._memo[key] = posting
            if len(self._memo) > self.memo_size:
                self._memo.popitem(last=False)

    def for_viewer(self, viewer: str | None) -> ViewerJobSource:
        """This source as one user sees it: shared jobs plus that user's private ones."""
        return ViewerJobSource(self, viewer)

    def get_jobs(self, ids: Sequence[str], viewer: str | None = None) -> list[StoredJob]:
        """ACTIVE jobs among ``ids`` that ``viewer`` may see (shared ones, and the viewer's
        private ones), in the order of ``ids`` (unknown or hidden ids left out)."""
        wanted = list(dict.fromkeys(int(i) for i in ids if str(i).isdigit()))
        heads: dict[int, str] = {}
        links: dict[int, str | None] = {}
        with self.engine.connect() as conn:
            for s in range(0, len(wanted), _IN_CHUNK):
                stmt = select(_JOBS.c.id, _JOBS.c.content_hash, _JOBS.c.url).where(
                    _JOBS.c.id.in_(wanted[s:s + _IN_CHUNK]), _JOBS.c.status == "ACTIVE",
                    visible_clause(viewer))
                for i, h, url in conn.execute(stmt):
                    heads[int(i)], links[int(i)] = h, url
            postings: dict[int, JobPosting] = {}
            missing: list[int] = []
            for job_id, digest in heads.items():
                found = self._memo.get((job_id, digest, links[job_id]))
                if found is None:
                    missing.append(job_id)
                else:
                    self._memo.move_to_end((job_id, digest, links[job_id]))
                    postings[job_id] = found
            self.hits += len(postings)
            self.misses += len(missing)
            for s in range(0, len(missing), _IN_CHUNK):
                stmt = select(_JOBS.c.id, _JOBS.c.content_hash, _JOBS.c.url,
                              _JOBS.c.parsed).where(_JOBS.c.id.in_(missing[s:s + _IN_CHUNK]))
                for job_id, digest, url, parsed in conn.execute(stmt):
                    posting = JobPosting.model_validate(parsed or {})
                    postings[int(job_id)] = posting
                    heads[int(job_id)] = digest
                    self._remember((int(job_id), digest, url), posting)
        return [StoredJob.model_construct(id=str(i), content_hash=heads[i], posting=postings[i])
                for i in wanted if i in postings]

    def iter_active(self, batch: int = 1000,
                    viewer: str | None = None) -> Iterator[list[StoredJob]]:
        """Every ACTIVE job ``viewer`` may see, by id, ``batch`` at a time (keyset pages; the
        memo is used, not filled, so a full scan does not evict the working set)."""
        last = 0
        while True:
            stmt = (select(_JOBS.c.id, _JOBS.c.content_hash, _JOBS.c.url, _JOBS.c.parsed)
                    .where(_JOBS.c.status == "ACTIVE", _JOBS.c.id > last,
                           visible_clause(viewer))
                    .order_by(_JOBS.c.id).limit(batch))
            with self.engine.connect() as conn:
                page: list[Any] = list(conn.execute(stmt))
            if not page:
                return
            out = []
            for job_id, digest, url, parsed in page:
                posting = self._memo.get((int(job_id), digest, url))
                if posting is None:
                    posting = JobPosting.model_validate(parsed or {})
                out.append(StoredJob.model_construct(id=str(job_id), content_hash=digest,
                                                     posting=posting))
            yield out
            last = int(page[-1][0])
            if len(page) < batch:
                return


class ViewerJobSource:
    """``tools.matching.JobSource`` over a :class:`DbJobSource` as one user sees it."""

    def __init__(self, inner: Any, viewer: str | None) -> None:
        self.inner = inner
        self.viewer = viewer

    def get_jobs(self, ids: Sequence[str]) -> list[StoredJob]:
        return list(self.inner.get_jobs(ids, viewer=self.viewer))

    def iter_active(self, batch: int = 1000) -> Iterator[list[StoredJob]]:
        return iter(self.inner.iter_active(batch, viewer=self.viewer))


class JobIndexes(NamedTuple):
    """The in-memory indexes over every ACTIVE job that stage 1 reads."""

    keywords: KeywordIndex
    places: dict[str, JobPlace]
    screening: ScreeningIndex


def build_job_indexes(engine: Engine, *, batch: int = 2000,
                      vectors: VectorLookup | None = None, dim: int | None = None) -> JobIndexes:
    """Read every ACTIVE shared job once (only the columns needed, no ORM objects) and build
    the keyword index, the place/pay table and the screening columns (rebuilt per process).
    Users' private jobs stay out (``store.jobaccess``): they are scored for their owner only.

    With ``vectors`` (the vector index's lookup) and ``dim``, the screening columns also keep
    every job's vector in memory (4 bytes × dim per job), for exact semantic screening."""
    keywords = KeywordIndex()
    places: dict[str, JobPlace] = {}
    screening = ScreeningIndex()
    last = 0
    cols = (_JOBS.c.id, _JOBS.c.parsed, _JOBS.c.keywords, _JOBS.c.company, _JOBS.c.imported)
    while True:
        stmt = (select(*cols).where(_JOBS.c.status == "ACTIVE", _JOBS.c.id > last,
                                    visible_clause(None))
                .order_by(_JOBS.c.id).limit(batch))
        with engine.connect() as conn:
            page: list[Any] = list(conn.execute(stmt))
        for job_id, parsed, kws, company, imported in page:
            parsed = parsed or {}
            key = str(job_id)
            required = [s["skill_id"] for s in parsed.get("required_skills", [])]
            preferred = [s["skill_id"] for s in parsed.get("preferred_skills", [])]
            keywords.add(key, required + preferred, kws or [], required_ids=required)
            loc = parsed.get("location") or {}
            sal = parsed.get("salary") or {}
            top = sal.get("max") if sal.get("max") is not None else sal.get("min")
            places[key] = JobPlace(
                (loc.get("city") or "").lower() or None, loc.get("region"), loc.get("country"),
                parsed.get("work_mode") or ("remote" if loc.get("remote") else None),
                top, sal.get("currency"))
            screening.add(key, parsed, company=company,
                          posted=imported.date() if imported is not None else None)
        if len(page) < batch:
            break
        last = int(page[-1][0])
    screening.freeze()
    if vectors is not None and dim:
        screening.attach_vectors(vectors, dim)
    return JobIndexes(keywords, places, screening)


#: Bump when the pickled layout of :class:`JobIndexes` changes.
SNAPSHOT_FORMAT = 2  # 2: skill masses, term and occupation vectors (engine 2.0)


def stage1_fingerprint(engine: Engine) -> tuple[Any, ...]:
    """What changes whenever the set or content of ACTIVE shared jobs changes: the number of
    active jobs, the highest id and the latest ``updated`` (imports, updates, expiry and status
    changes all set it; deletions change the count). Private jobs do not count: a user's
    upload does not rebuild everyone's indexes."""
    shared = visible_clause(None)
    with engine.connect() as conn:
        active = conn.execute(select(func.count()).select_from(_JOBS)
                              .where(_JOBS.c.status == "ACTIVE", shared)).scalar_one()
        top, latest = conn.execute(select(func.max(_JOBS.c.id),
                                          func.max(_JOBS.c.updated)).where(shared)).one()
    # the engine version too: the columns hold engine-computed values (skill weights, term and
    # occupation vectors), so a new engine rebuilds them
    return (SNAPSHOT_FORMAT, ENGINE_VERSION, int(active), int(top or 0), str(latest))


def _settle() -> None:
    """Move everything alive now (the indexes: millions of small objects at 100,000 jobs) out
    of the cyclic garbage collector's reach. Without it, every full collection rescans them —
    pauses of 200-300 ms in the middle of a match."""
    gc.collect()
    gc.freeze()


def load_job_indexes(engine: Engine, snapshot: Path | None, *,
                     vectors: VectorLookup | None = None, dim: int | None = None) -> JobIndexes:
    """:func:`build_job_indexes`, kept in a snapshot file between processes.

    Building reads every active job (about a minute per 100,000 jobs); the snapshot loads in
    a second or two. It is used only when its fingerprint (:func:`stage1_fingerprint`, plus the
    vector dimension) matches the database, else rebuilt and rewritten. The file holds only
    job data (no CV), in the user's own data directory.
    """
    key = (*stage1_fingerprint(engine), dim if vectors is not None else None)
    if snapshot is not None and snapshot.exists():
        try:
            with snapshot.open("rb") as fh:
                stored_key, built = pickle.load(fh)  # noqa: S301 - our own file
            if stored_key == key and isinstance(built, JobIndexes):
                _settle()
                return built
        except Exception:  # a damaged or foreign file: rebuild
            logger.warning("stage-1 snapshot %s unreadable; rebuilding", snapshot.name)
    built = build_job_indexes(engine, vectors=vectors, dim=dim)
    _settle()
    if snapshot is not None:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        tmp = snapshot.with_name(f"{snapshot.name}.{os.getpid()}.tmp")  # writers never collide
        with tmp.open("wb") as fh:
            pickle.dump((key, built), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, snapshot)
    return built
