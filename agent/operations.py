"""The job collection as the operator runs it: imports (shared, or a chat user's private
jobs), and the maintenance the CLI offers: stats, expiry, the vector index, the analysis cache,
and the operator's own search and match of the shared jobs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from agent.accounts import AccountOps
from agent.service_types import STRICT_FILTERS
from tools.errors import InvalidInputError

if TYPE_CHECKING:
    from store.ingest.results import ImportSummary
    from tools.matching import RankedMatch, SearchHit
    from tools.ports import Embedder
    from tools.schemas import CandidateProfile
    from tools.search import JobFilters

logger = logging.getLogger(__name__)


class OperatorOps(AccountOps):
    """Imports and maintenance of the job collection."""

    def import_jobs(self, path: str | Path,
                    progress: Callable[[int, int | None], None] | None = None, *,
                    owner_id: str | None = None, admin: bool = False,
                    default_source: str | None = None, is_feed: bool = False,
                    workers: int | None = None) -> ImportSummary:
        """Import a jobs file (JSON/JSONL/CSV) or feed.

        ``owner_id`` None: the operator's import (CLI, sample seed) into the shared store.
        A chat user's import (``owner_id`` given) goes to their private source
        ``user:<owner_id>`` (only they see those jobs; nothing shared or another user's is
        overwritten) unless the channel says the user is an ``admin`` (``JOBFIT_ADMINS``).
        See ``store.jobaccess``. ``default_source`` names the source of rows without one
        (default: the file name); ``is_feed`` reads ``path`` as an RSS/Atom feed; ``workers``
        parse rows in that many processes (None: the importer's default).
        """
        from store.ingest.pipeline import import_jobs
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
                              actor=actor, default_source=default_source, is_feed=is_feed,
                              workers=workers)
        if not private and self._keywords is not None:  # else built fresh on first use
            self.refresh_jobs()
        return summary

    def seed_sample_jobs(self) -> int:
        """Import the bundled sample jobs (``store/samples/jobs.json``) into the shared store
        when it has no active job; returns the rows imported (0 when there were jobs)."""
        if self.job_count() > 0:
            return 0
        import store.samples

        sample = Path(store.samples.__file__).parent / "jobs.json"
        logger.warning("empty job store: importing the bundled sample jobs")
        return self.import_jobs(sample).total

    def require_embedder(self) -> Embedder:
        """The embedder; InvalidInputError when it is switched off (JOBFIT_EMBEDDER=none)."""
        if self.embedder is None:
            raise InvalidInputError("JOBFIT_EMBEDDER=none: indexing and search need an embedder")
        return self.embedder

    def job_stats(self) -> dict[str, Any]:
        """Jobs per status (active, expired, filled, closed), their total, and per source."""
        by_status = {k.lower(): v for k, v in self.jobs.count_by_status().items()}
        out: dict[str, Any] = {s: by_status.get(s, 0)
                               for s in ("active", "expired", "filled", "closed")}
        out["total"] = sum(by_status.values())
        out["by_source"] = self.jobs.count_by_source()
        return out

    def expire_jobs(self, now: datetime | None = None) -> int:
        """Mark jobs older than 30 days EXPIRED and drop them from the index; how many."""
        from store.ingest.expiry import expire_jobs

        expired = expire_jobs(self.engine, self.index, now)
        if expired and self._keywords is not None:
            self.refresh_jobs()
        return expired

    def clean_cache(self) -> int:
        """Delete expired cached analyses; how many."""
        return self.cache.clean()

    def index_report(self) -> dict[str, Any]:
        """``{"indexed": N, "missing": [ids], "stale": [ids]}``: active jobs missing from the
        vector index, and entries indexed with an old content hash or no longer active."""
        indexed = self.index.hashes()
        missing: list[str] = []
        stale: list[str] = []
        active: set[str] = set()
        for record in self.jobs.iter_active():
            key = str(record.id)
            active.add(key)
            if key not in indexed:
                missing.append(key)
            elif indexed[key] != record.content_hash:
                stale.append(key)
        orphans = sorted(set(indexed) - active, key=lambda x: (len(x), x))
        return {"indexed": len(indexed), "missing": missing, "stale": stale + orphans}

    def rebuild_index(self) -> tuple[int, int]:
        """Re-embed and re-index missing or stale jobs and drop entries of jobs no longer
        active: (jobs re-indexed, entries removed)."""
        from store.repo import parsed_job
        from tools.scoring import job_embedding_text
        from tools.search import IndexedJob, job_metadata

        embedder = self.require_embedder()
        report = self.index_report()
        fix = set(report["missing"]) | set(report["stale"])
        records = [r for r in self.jobs.get_many([int(i) for i in fix]) if r.status == "ACTIVE"]
        self.index.delete([i for i in report["stale"] if i not in {str(r.id) for r in records}])
        for start in range(0, len(records), 500):
            chunk = records[start:start + 500]
            postings = [parsed_job(r) for r in chunk]
            vectors = embedder.embed([job_embedding_text(p) for p in postings])
            self.index.upsert([
                IndexedJob(id=str(r.id), vector=v, content_hash=r.content_hash,
                           metadata=job_metadata(p, r.company, posted=r.imported.date()))
                for r, p, v in zip(chunk, postings, vectors, strict=True)])
        removed = len(report["stale"]) + len(report["missing"]) - len(records)
        return len(records), removed

    def search_collection(self, query: str, *, filters: JobFilters | None = None,
                          k: int = 10) -> list[SearchHit]:
        """The operator's hybrid search of the shared active jobs (``jobfit jobs search``):
        no owner, preferences or duplicate folding; a vector neighbour counts from the
        calibration floor up."""
        from tools.matching import search_jobs

        vector = self.require_embedder().embed([query])[0]
        keywords, _ = self._keyword_index()
        return search_jobs(query, vector=vector, index=self.index,
                           keywords=keywords,  # type: ignore[arg-type]
                           jobs=self.source.for_viewer(None), filters=filters, k=k,
                           min_similarity=self.calibration[0])

    def match_profile(self, profile: CandidateProfile, *, k: int = 10, min_score: float = 50,
                      exhaustive: bool = False, strict: Iterable[str] = ()) -> list[RankedMatch]:
        """A parsed CV (not stored, no owner) against the shared active jobs (``jobfit
        match``), best first: stage-1 screening then full scores, or every job fully scored
        when ``exhaustive``. ``strict`` names hard filters (salary, location, experience)."""
        from store.cache import content_hash
        from tools.matching import HardFilters, match_cv
        from tools.scoring import cv_embedding_text

        hard = {s.strip().lower() for s in strict if s.strip()}
        if hard - set(STRICT_FILTERS):
            raise InvalidInputError("Strict filters are salary, location and experience.")
        cv_vec = (self.embedder.embed([cv_embedding_text(profile)])[0]
                  if self.embedder is not None else None)
        lookup = getattr(self.index, "vectors", None)
        return match_cv(
            profile, jobs=self.source.for_viewer(None), cv_vector=cv_vec, index=self.index,
            screening=None if exhaustive else self.stage1(),
            k=k, min_score=min_score, exhaustive=exhaustive, weights=self.weights,
            calibration=self.calibration, vectors=lookup if cv_vec is not None else None,
            cache=self.cache, cv_hash=content_hash(profile.text),
            weights_hash=self.weights_hash,
            hard=HardFilters(**{name: True for name in hard}) if hard else None)
