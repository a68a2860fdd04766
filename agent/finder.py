"""Finding jobs: a job reference to its stored job, job cards, hybrid search and the two-stage
best matches of the owner's current CV (with their private jobs, preferences and duplicates).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from agent.profiles import ProfileOps
from agent.service_core import CurrentCV
from agent.service_types import (
    PASTED_ID,
    STRICT_FILTERS,
    JobCard,
    NoCVError,
    parse_job_ref,
    salary_text,
)
from tools.errors import InvalidInputError
from tools.schemas import MatchResult
from tools.search import JobFilters

if TYPE_CHECKING:
    from tools.matching import StoredJob
    from tools.schemas import JobPosting

logger = logging.getLogger(__name__)


class FinderOps(ProfileOps):
    """Job look-up, search and best matches."""

    def _resolve_id(self, job_ref: str, owner_id: str | None = None) -> int:
        """The database id a reference points at, among the jobs ``owner_id`` may see (shared
        ones and their own private ones). Raises NotFoundError."""
        from store.repo import NotFoundError

        kind, value = parse_job_ref(job_ref)
        if kind == "id":
            return int(value)
        found = self.jobs.resolve_ref(kind, value, owner_id)
        if found is None:
            raise NotFoundError(f"No job {job_ref.strip()[:80]!r} in the collection.")
        return found

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
        from tools.preparation import prepare_profile

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
        from tools.matching import HardFilters, match_cv
        from tools.search import job_metadata, matches_filters

        wanted = {s.strip().lower() for s in strict if s.strip()}
        if wanted - set(STRICT_FILTERS):
            raise InvalidInputError("Strict filters are salary, location and experience.")
        k = max(1, min(int(k), 50))
        current = self._current_cv(owner_id)
        filters = self._filters(owner_id, filters)
        dismissed = {m.job_id for m in self.matches.list(
            owner_id, statuses=["DISMISSED"], limit=10_000)}
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
        shown: list[tuple[int, int, dict[str, Any]]] = []  # saved as SUGGESTED, together
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
            shown.append((int(m.job_id), m.result.score, m.result.breakdown()))
            if len(cards) >= k:
                break
        if shown:
            self.matches.save_many(owner_id, current.cv_id, shown)
        if report is not None:
            report["hidden"] = hidden
        return cards

    def _duplicate_groups(self, job_ids: Sequence[str]) -> dict[int, tuple[int, list[str]]]:
        """For jobs linked as duplicates (``JobRecord.duplicate_of``): job id -> (the group's
        original id, the sources of the other copies). Jobs without copies are left out."""
        return self.jobs.duplicate_groups(int(j) for j in job_ids if str(j).isdigit())

    def _with_private_matches(self, owner_id: str, current: CurrentCV, found: list[Any], *,
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
