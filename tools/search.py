"""Job search, the pure part: the ``JobIndex`` port, filters, keyword index and rank fusion.

The vector index itself is an adapter (``store.vectors.ChromaJobIndex``); this module holds what
does not depend on it:

- :class:`JobFilters`, the hard filters a search may apply, and :func:`matches_filters`, the
  reference semantics of those filters over a job's index metadata (adapters translate them
  into their own query language and are tested against this predicate);
- :class:`IndexedJob` and :func:`job_metadata`, what is stored per job;
- :class:`JobIndex`, the port;
- :class:`KeywordIndex`, an in-memory inverted index from skill ids and ATS keywords to jobs,
  scored the way the matcher weighs requirements;
- :func:`reciprocal_rank_fusion`, to fuse the vector and keyword rankings.

No chromadb, sqlmodel or langchain here (a test enforces it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import Any, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

from tools.parsing.location import parse_location
from tools.schemas import JobPosting

#: Day 0 of the ``posted`` metadata field (an int: days since this date).
EPOCH = date(1970, 1, 1)
#: Reciprocal-rank-fusion constant (Cormack et al. 2009).
RRF_K = 60


def day_number(day: date) -> int:
    """Days since 1970-01-01: how dates are stored in index metadata (ints filter fast)."""
    return (day - EPOCH).days


# --------------------------------------------------------------------------- filters


class JobFilters(BaseModel):
    """Hard filters for a job search. Every filter that is set must hold.

    A job whose metadata lacks the field a filter needs (no salary, no posting date, no
    location) does not pass that filter: a hard filter keeps only what is known to satisfy it.
    """

    model_config = ConfigDict(extra="forbid")

    remote_only: bool = False
    #: City, region or country as typed ("Berlin", "California", "Germany", "London, UK").
    location: str | None = None
    #: Annual salary floor, compared with the top of the job's range (same currency assumed).
    min_salary: float | None = Field(default=None, ge=0)
    posted_within_days: int | None = Field(default=None, ge=0)
    #: Company names to leave out, compared case-insensitively.
    exclude_companies: list[str] = Field(default_factory=list)
    #: Only jobs with this status (None: any status).
    status: str | None = "ACTIVE"

    @field_validator("location")
    @classmethod
    def _blank_location(cls, v: str | None) -> str | None:
        return v.strip() or None if v is not None else None

    def excluded_companies(self) -> list[str]:
        """The excluded company names, lower-cased, stripped, de-duplicated, sorted."""
        return sorted({c.strip().lower() for c in self.exclude_companies if c.strip()})

    def location_terms(self) -> dict[str, str] | None:
        """The location filter as metadata equalities (lower-case), or None when unset.

        The text is parsed with the job parser's gazetteer, so "Berlin" means city berlin in
        country de, "California" region ca in us, "Germany" country de. Text the gazetteer
        does not know is matched as-is against city, region or country (see
        :func:`matches_filters`): the result then has the single key ``"any"``.
        """
        if self.location is None:
            return None
        loc = parse_location(self.location)
        terms: dict[str, str] = {}
        if loc is not None:
            if loc.city:
                terms["city"] = loc.city.lower()
            elif loc.region:
                terms["region"] = loc.region.lower()
            if loc.country:
                terms["country"] = loc.country.lower()
        return terms or {"any": self.location.lower()}


def matches_filters(
    metadata: Mapping[str, Any], filters: JobFilters | None, now: date | None = None
) -> bool:
    """Whether a job with this index metadata passes ``filters`` (the reference semantics)."""
    return filter_predicate(filters, now)(metadata)


def filter_predicate(
    filters: JobFilters | None, now: date | None = None
) -> Callable[[Mapping[str, Any]], bool]:
    """:func:`matches_filters` with the filters prepared once, for many jobs."""
    if filters is None:
        return lambda md: True
    status = filters.status
    remote_only = filters.remote_only
    floor = filters.min_salary
    since = (
        day_number(now or date.today()) - filters.posted_within_days
        if filters.posted_within_days is not None else None
    )
    excluded = frozenset(filters.excluded_companies())
    terms = filters.location_terms()

    def check(md: Mapping[str, Any]) -> bool:
        if status is not None and md.get("status") != status:
            return False
        if remote_only and md.get("work_mode") != "remote":
            return False
        if floor is not None:
            top = md.get("salary_max")
            if top is None or float(top) < floor:
                return False
        if since is not None:
            posted = md.get("posted")
            if posted is None or int(posted) < since:
                return False
        if excluded and md.get("company") in excluded:
            return False
        if terms is not None:
            if "any" in terms:
                if terms["any"] not in (md.get("city"), md.get("region"), md.get("country")):
                    return False
            elif any(md.get(key) != value for key, value in terms.items()):
                return False
        return True

    return check


# --------------------------------------------------------------------------- indexed jobs


class IndexedJob(BaseModel):
    """One job as the vector index holds it."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    id: str  # the database job id, as a string
    vector: list[float] | np.ndarray
    content_hash: str
    #: See :func:`job_metadata`. Values are str, int, float or bool (never None).
    metadata: dict[str, str | int | float | bool] = Field(default_factory=dict)


def job_metadata(
    job: JobPosting,
    company: str | None = None,
    *,
    status: str = "ACTIVE",
    posted: date | None = None,
) -> dict[str, str | int | float | bool]:
    """Index metadata for a job: what the search filters need.

    Keys: ``status``; ``work_mode`` (remote/hybrid/onsite); ``city``, ``region``, ``country``
    (lower-case); ``salary_min``, ``salary_max`` (annual), ``currency``; ``posted`` (days since
    1970-01-01, from ``job.posted_date`` or else ``posted``, e.g. the import date); ``company``
    (lower-case, ``company`` or else ``job.company``). Unknown values are left out, never
    stored as None or a sentinel, so a filter on them does not match.
    """
    md: dict[str, str | int | float | bool] = {"status": status}
    if job.work_mode:
        md["work_mode"] = str(job.work_mode)
    loc = job.location
    if loc is not None:
        for key in ("city", "region", "country"):
            value = getattr(loc, key)
            if value:
                md[key] = str(value).strip().lower()
        if loc.remote and "work_mode" not in md:
            md["work_mode"] = "remote"
    if job.salary is not None:
        if job.salary.min is not None:
            md["salary_min"] = float(job.salary.min)
        if job.salary.max is not None:
            md["salary_max"] = float(job.salary.max)
        elif job.salary.min is not None:  # "from 60k": the floor is also the best offer known
            md["salary_max"] = float(job.salary.min)
        if job.salary.currency:
            md["currency"] = job.salary.currency
    day = job.posted_date or posted
    if day is not None:
        md["posted"] = day_number(day)
    name = (company if company is not None else job.company) or ""
    if name.strip():
        md["company"] = name.strip().lower()
    return md


# --------------------------------------------------------------------------- the port


@runtime_checkable
class JobIndex(Protocol):
    """A nearest-neighbour index of job vectors with filterable metadata."""

    def upsert(self, jobs: Sequence[IndexedJob]) -> None:
        """Insert or replace jobs (by id)."""
        ...

    def delete(self, ids: Sequence[str]) -> None:
        """Remove jobs by id; unknown ids are ignored."""
        ...

    def query(
        self,
        vector: Any,
        k: int,
        filters: JobFilters | None = None,
        now: date | None = None,
    ) -> list[tuple[str, float]]:
        """The ``k`` jobs most similar to ``vector`` that pass ``filters``:
        ``(id, cosine similarity)``, best first. ``now`` anchors ``posted_within_days``."""
        ...

    def hashes(self) -> dict[str, str]:
        """Every indexed id with the content hash it was indexed with."""
        ...

    def count(self) -> int:
        """How many jobs are indexed."""
        ...


# --------------------------------------------------------------------------- fusion


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], k: int = RRF_K
) -> list[tuple[str, float]]:
    """Fuse rankings (ids, best first) by reciprocal rank: ``score = sum 1 / (k + rank)``.

    Ranks start at 1; an id repeated within one ranking counts at its first position. Ties
    are broken by first appearance, reading the rankings position by position (every
    ranking's first item, then every second item, ...), so the result is deterministic and
    does not favour one ranking's tail over another's head.
    """
    if k < 0:
        raise ValueError("k must be >= 0")
    scores: dict[str, float] = {}
    order: dict[str, int] = {}
    seen: list[set[str]] = [set() for _ in rankings]
    depth = max((len(r) for r in rankings), default=0)
    for pos in range(depth):
        for which, ranking in enumerate(rankings):
            if pos >= len(ranking):
                continue
            item = ranking[pos]
            if item in seen[which]:
                continue
            seen[which].add(item)
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + pos + 1)
            order.setdefault(item, len(order))
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


# --------------------------------------------------------------------------- keyword index


#: Weight of a required skill in a job's requirements (as the scorer weighs it).
REQUIRED_WEIGHT = 2.0
#: Weight of a preferred skill.
PREFERRED_WEIGHT = 1.0
#: Weight of an ATS keyword when the job also names skills (keywords then only break ties).
KEYWORD_WEIGHT_WITH_SKILLS = 0.25
#: Weight of an ATS keyword when the job names no known skill (the scorer's key-term fallback).
KEYWORD_WEIGHT_ALONE = 1.0


class KeywordIndex:
    """In-memory inverted index: skill ids and ATS keywords → jobs, scored like the matcher.

    A job's score for a query is the share of its requirement weight the query covers::

        sum(job_weight(t) * query_weight(t) for t in the query's terms) / (total + smoothing)

    where required skills weigh 2, preferred 1 (as in the scorer), keywords 0.25 next to skills
    or 1 when the job names no skill, ``query_weight`` is the CV's credit for the skill (1.0
    used in a role, 0.9 listed, ...; keywords count 1), and ``smoothing`` (default 2, one
    required skill) keeps a job with one covered requirement from outranking one with ten.
    Ties go to the larger covered weight, then the smaller job id (as text).

    Postings are numpy arrays per term, accumulated with ``bincount``: a 30-skill CV against
    100,000 jobs takes a few milliseconds. Removal marks the slot dead; the index compacts
    itself when more than half of the slots are dead.
    """

    def __init__(self, *, smoothing: float = 2.0) -> None:
        if smoothing < 0:
            raise ValueError("smoothing must be >= 0")
        self.smoothing = float(smoothing)
        self._reset()

    def _reset(self) -> None:
        self._slot: dict[str, int] = {}  # job id -> slot
        self._ids: list[str | None] = []  # slot -> job id (None: removed)
        self._total: list[float] = []  # slot -> total requirement weight
        self._terms: list[tuple[str, ...]] = []  # slot -> its terms (for compaction)
        self._weights: list[tuple[float, ...]] = []
        self._post_slots: dict[str, list[int]] = {}
        self._post_weights: dict[str, list[float]] = {}
        self._arrays: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # cached postings
        self._dead = 0
        self._alive_cache: np.ndarray | None = None
        self._denom_cache: np.ndarray | None = None
        self._rank_cache: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self._slot)

    def __contains__(self, job_id: object) -> bool:
        return job_id in self._slot

    def add(
        self,
        job_id: str,
        skill_ids: Iterable[str],
        keywords: Iterable[str] = (),
        required_ids: Iterable[str] = (),
    ) -> None:
        """Index a job (replacing any earlier entry for ``job_id``).

        Args:
            job_id: the job's id.
            skill_ids: every canonical skill id the job asks for (required and preferred).
            keywords: its ATS keywords (compared lower-case).
            required_ids: which of ``skill_ids`` are required (the rest are preferred);
                ids only listed here count as required too.
        """
        if job_id in self._slot:
            self.remove(job_id)
        required = set(required_ids)
        weights: dict[str, float] = {}
        for sid in [*skill_ids, *required]:
            w = REQUIRED_WEIGHT if sid in required else PREFERRED_WEIGHT
            weights["s:" + sid] = max(weights.get("s:" + sid, 0.0), w)
        kw_weight = KEYWORD_WEIGHT_WITH_SKILLS if weights else KEYWORD_WEIGHT_ALONE
        for kw in keywords:
            term = "k:" + kw.strip().lower()
            if term != "k:":
                weights.setdefault(term, kw_weight)
        slot = len(self._ids)
        self._slot[job_id] = slot
        self._ids.append(job_id)
        self._total.append(sum(weights.values()))
        terms = tuple(weights)
        self._terms.append(terms)
        self._weights.append(tuple(weights[t] for t in terms))
        for term in terms:
            self._post_slots.setdefault(term, []).append(slot)
            self._post_weights.setdefault(term, []).append(weights[term])
            self._arrays.pop(term, None)
        self._alive_cache = self._denom_cache = self._rank_cache = None

    def remove(self, job_id: str) -> None:
        """Forget a job; unknown ids are ignored."""
        slot = self._slot.pop(job_id, None)
        if slot is None:
            return
        self._ids[slot] = None
        self._dead += 1
        self._alive_cache = self._denom_cache = self._rank_cache = None
        if self._dead > 64 and self._dead * 2 > len(self._ids):
            self._compact()

    def _compact(self) -> None:
        live = [
            (job_id, self._terms[slot], self._weights[slot], self._total[slot])
            for slot, job_id in enumerate(self._ids)
            if job_id is not None
        ]
        self._reset()
        for slot, (job_id, terms, weights, total) in enumerate(live):
            self._slot[job_id] = slot
            self._ids.append(job_id)
            self._total.append(total)
            self._terms.append(terms)
            self._weights.append(weights)
            for term, w in zip(terms, weights, strict=True):
                self._post_slots.setdefault(term, []).append(slot)
                self._post_weights.setdefault(term, []).append(w)

    def _postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        cached = self._arrays.get(term)
        if cached is not None:
            return cached
        slots = self._post_slots.get(term)
        if not slots:
            return None
        arrays = (
            np.asarray(slots, dtype=np.int64),
            np.asarray(self._post_weights[term], dtype=np.float64),
        )
        self._arrays[term] = arrays
        return arrays

    def query(
        self,
        skill_ids: Mapping[str, float],
        keywords: Iterable[str] = (),
        k: int = 200,
        allowed: set[str] | None = None,
    ) -> list[tuple[str, float]]:
        """The ``k`` best-covered jobs: ``(job id, score in 0..1)``, best first.

        Args:
            skill_ids: the CV's (or query's) skill ids with their credit, e.g.
                ``{"python": 1.0, "django": 0.9}``; weights are clamped to 0..1.
            keywords: free terms (query words, the CV's key terms), matched against job
                keywords with weight 1.
            k: how many to return.
            allowed: when given, only these job ids are considered (e.g. those passing the
                hard filters).

        Jobs that share no term with the query are not returned.
        """
        if k <= 0 or not self._slot:
            return []
        query: dict[str, float] = {}
        for sid, w in skill_ids.items():
            query["s:" + sid] = min(1.0, max(0.0, float(w)))
        for kw in keywords:
            term = "k:" + kw.strip().lower()
            if term != "k:":
                query[term] = 1.0
        parts_s: list[np.ndarray] = []
        parts_w: list[np.ndarray] = []
        for term, qw in query.items():
            if qw <= 0.0:
                continue
            postings = self._postings(term)
            if postings is None:
                continue
            parts_s.append(postings[0])
            parts_w.append(postings[1] * qw if qw != 1.0 else postings[1])
        if not parts_s:
            return []
        n = len(self._ids)
        slots = np.concatenate(parts_s)
        covered = np.bincount(slots, weights=np.concatenate(parts_w), minlength=n)
        if self._alive_cache is None or self._denom_cache is None:
            self._alive_cache = np.fromiter(
                (i is not None for i in self._ids), dtype=bool, count=n
            )
            self._denom_cache = np.asarray(self._total, dtype=np.float64) + self.smoothing
        keep = self._alive_cache & (covered > 0)
        if allowed is not None:
            mask = np.zeros(n, dtype=bool)
            ids = [self._slot[j] for j in allowed if j in self._slot]
            if ids:
                mask[np.asarray(ids, dtype=np.int64)] = True
            keep &= mask
        cand = np.flatnonzero(keep)
        if cand.size == 0:
            return []
        if self._rank_cache is None:  # each slot's position in job-id order, for ties
            live = sorted((i, slot) for slot, i in enumerate(self._ids) if i is not None)
            rank = np.zeros(n, dtype=np.int64)
            rank[np.asarray([slot for _, slot in live], dtype=np.int64)] = np.arange(len(live))
            self._rank_cache = rank
        scores = covered[cand] / np.maximum(self._denom_cache[cand], 1e-12)
        if cand.size > k:  # keep the top k and everything tied with the k-th, then sort those
            kth = np.partition(scores, cand.size - k)[cand.size - k]
            sel = scores >= kth
            cand, scores = cand[sel], scores[sel]
        order = np.lexsort((self._rank_cache[cand], -covered[cand], -scores))[:k]
        return [(str(self._ids[c]), float(sc))
                for c, sc in zip(cand[order].tolist(), scores[order].tolist(), strict=True)]
