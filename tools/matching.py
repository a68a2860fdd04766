"""Best jobs for a CV: hybrid retrieval, then the full deterministic score (pure, over ports).

Two stages. (1) Retrieve ``candidates`` jobs by vector similarity (the :class:`JobIndex` port)
and by skill/keyword overlap (:class:`KeywordIndex`), fused with reciprocal rank fusion.
(2) Score every candidate with the same engine as ``score_match`` and keep the top ``k`` at or
above ``min_score``; the kept results are built in full (evidence) and cached by content.
``exhaustive=True`` skips stage 1 and scores every active job — the reference that stage 1 is
measured against (recall@k).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple, Protocol

import numpy as np
from pydantic import BaseModel

from tools.factors import DEFAULT_CALIBRATION, salary_score
from tools.preparation import PreparedProfile, prepare_job, prepare_profile
from tools.schemas import CandidateProfile, JobPosting, MatchResult, Weights
from tools.scoring import ENGINE_VERSION, score_many, score_match
from tools.screening import ScreeningIndex
from tools.search import (
    JobFilters,
    JobIndex,
    KeywordIndex,
    job_metadata,
    reciprocal_rank_fusion,
)

#: Salary: a job passes the hard filter when its top of range reaches this share of the
#: candidate's expectation.
SALARY_TOLERANCE = 0.85
EXPERIENCE_GRACE_BELOW = 1.0
EXPERIENCE_GRACE_ABOVE = 2.0


class StoredJob(BaseModel):
    """A job as the store hands it to matching: its id, content hash and parsed posting."""

    id: str
    content_hash: str
    posting: JobPosting


class JobSource(Protocol):
    """What matching needs from the job store."""

    def get_jobs(self, ids: Sequence[str]) -> list[StoredJob]: ...

    def iter_active(self, batch: int = 1000) -> Iterable[list[StoredJob]]: ...


class ResultCache(Protocol):
    """Content-addressed analysis cache."""

    def get(self, cv_hash: str, job_hash: str, weights_hash: str,
            engine_version: str) -> MatchResult | None: ...

    def put(self, cv_hash: str, job_hash: str, weights_hash: str, engine_version: str,
            result: MatchResult) -> None: ...


class BatchResultCache(ResultCache, Protocol):
    """A cache that also reads and writes many entries at once (one query, one transaction).

    ``match_cv`` uses these when the cache has them: 50 single-row round trips cost more than
    scoring the 50 jobs."""

    def get_many(self, cv_hash: str, job_hashes: Iterable[str], weights_hash: str,
                 engine_version: str) -> dict[str, MatchResult]: ...

    def put_many(self, items: Iterable[tuple[tuple[str, str, str, str], MatchResult]]
                 ) -> None: ...


VectorLookup = Callable[[Sequence[str]], dict[str, np.ndarray]]


class HardFilters(BaseModel):
    """The user's preferences applied as filters before scoring (each only when asked for)."""

    salary: bool = False  # job pays at least 85 % of the expectation
    location: bool = False  # remote, or in the candidate's city/region/country
    experience: bool = False  # candidate's years within the job's range (-1 / +2 years grace)


@dataclass(frozen=True)
class RankedMatch:
    job_id: str
    posting: JobPosting
    result: MatchResult


def passes_hard_filters(profile: CandidateProfile, job: JobPosting, hard: HardFilters) -> bool:
    """Unknown data never excludes a job: only a stated mismatch does."""
    if hard.salary and profile.salary_expectation and job.salary:
        expect = profile.salary_expectation.min or profile.salary_expectation.max
        top = job.salary.max or job.salary.min
        same_currency = (not job.salary.currency or not profile.salary_expectation.currency
                         or job.salary.currency == profile.salary_expectation.currency)
        if expect and top and same_currency and top < SALARY_TOLERANCE * expect:
            return False
    if (hard.location and profile.location and job.work_mode == "remote" and job.location
            and job.location.country and profile.location.country
            and job.location.country != profile.location.country):
        return False  # remote, but only within another country
    if hard.location and profile.location and job.work_mode != "remote" and job.location:
        cand, where = profile.location, job.location
        same = ((cand.city and where.city and cand.city.lower() == where.city.lower())
                or (cand.region and cand.region == where.region and cand.country == where.country)
                or (not where.city and cand.country and cand.country == where.country))
        if not same and (where.city or where.country):
            return False
    years = profile.total_years
    if hard.experience and years is not None:
        if job.experience_min is not None and years < job.experience_min - EXPERIENCE_GRACE_BELOW:
            return False
        if job.experience_max is not None and years > job.experience_max + EXPERIENCE_GRACE_ABOVE:
            return False
    return True


def cv_skill_weights(profile: CandidateProfile) -> dict[str, float]:
    """The CV's skills for keyword retrieval: used in a role 1.0, only listed 0.9."""
    return {s.skill_id: 1.0 if s.evidenced else 0.9 for s in profile.skills}


class JobPlace(NamedTuple):
    """Where a job is and what it pays — what stage 1 needs to rank near-identical postings."""

    city: str | None
    region: str | None
    country: str | None
    work_mode: str | None
    salary_max: float | None
    currency: str | None


def place_of(job: JobPosting) -> JobPlace:
    loc, sal = job.location, job.salary
    top = (sal.max if sal.max is not None else sal.min) if sal else None
    return JobPlace(
        (loc.city or "").lower() or None if loc else None, loc.region if loc else None,
        loc.country if loc else None, job.work_mode or ("remote" if loc and loc.remote else None),
        top, sal.currency if sal else None)


def place_fit(profile: CandidateProfile, place: JobPlace) -> float:
    """0..1: a cheap stand-in for the location and salary factors (weights .15 / .10)."""
    cand = profile.location
    if place.work_mode == "remote":
        loc = 0.4 if (cand and cand.country and place.country
                      and cand.country != place.country) else 1.0
    elif cand is None or not (place.city or place.country):
        loc = 0.5
    elif place.city and cand.city and place.city == cand.city.lower():
        loc = 1.0
    elif place.region and place.region == cand.region and place.country == cand.country:
        loc = 0.8
    elif place.country and place.country == cand.country:
        loc = 0.45
    else:
        loc = 0.15
    sal = 0.5
    expect = profile.salary_expectation
    want = (expect.min or expect.max) if expect else None
    if want and place.salary_max and (not place.currency or not expect or not expect.currency
                                      or place.currency == expect.currency):
        sal = salary_score(want, place.salary_max) / 100
    return (0.15 * loc + 0.10 * sal) / 0.25


def retrieve_candidates(
    profile: CandidateProfile,
    *,
    cv_vector: np.ndarray | None,
    index: JobIndex | None,
    keywords: KeywordIndex | None,
    n: int = 200,
    filters: JobFilters | None = None,
    places: Mapping[str, JobPlace] | None = None,
    now: date | None = None,
) -> list[str]:
    """Stage 1: up to ``n`` job ids by RRF of up to three rankings — vector similarity, skill
    overlap, and (with ``places``) skill overlap adjusted for place and pay over a wider pool,
    so that postings with the same text in different places are told apart."""
    rankings: list[list[str]] = []
    if index is not None and cv_vector is not None:
        rankings.append([i for i, _ in index.query(cv_vector, n, filters, now=now)])
    if keywords is not None:
        words = [w.lower() for w in profile.desired_roles] + [profile.headline or ""]
        pool = keywords.query(cv_skill_weights(profile), [w for w in words if w],
                              max(n * 5, 1000) if places else n, None)
        rankings.append([i for i, _ in pool[:n]])
        if places and pool:
            top = pool[0][1] or 1.0
            adjusted = sorted(
                ((0.40 * s / top + 0.25 * place_fit(profile, places[i]), i)
                 for i, s in pool if i in places),
                key=lambda t: (-t[0], t[1]))
            rankings.append([i for _, i in adjusted[:n]])
    fused = reciprocal_rank_fusion(rankings)
    return [i for i, _ in fused[:n]]


def match_cv(
    profile: CandidateProfile,
    *,
    jobs: JobSource,
    cv_vector: np.ndarray | None = None,
    index: JobIndex | None = None,
    keywords: KeywordIndex | None = None,
    places: Mapping[str, JobPlace] | None = None,
    k: int = 50,
    min_score: float = 50,
    candidates: int = 200,
    filters: JobFilters | None = None,
    hard: HardFilters | None = None,
    weights: Weights | None = None,
    calibration: tuple[float, float] = DEFAULT_CALIBRATION,
    vectors: VectorLookup | None = None,
    cache: ResultCache | None = None,
    cv_hash: str | None = None,
    weights_hash: str = "",
    exhaustive: bool = False,
    now: date | None = None,
    screening: ScreeningIndex | None = None,
    max_shortlist: int = 3000,
) -> list[RankedMatch]:
    """The best ``k`` jobs for a CV at or above ``min_score``, best first, fully explained.

    ``vectors`` (job ids → their indexed vectors) feeds the semantic factor; without it the
    factor is unknown for every job. Ties are broken by job id, so the order is deterministic.

    With ``screening`` (every active job's scoring columns), stage 1 scores the CV against all
    jobs at once and keeps only those that can still make the top ``k``; otherwise it takes
    ``candidates`` jobs by rank fusion (:func:`retrieve_candidates`).
    """
    prep = prepare_profile(profile)
    job_vectors: dict[str, np.ndarray] = {}
    if screening is not None and not exhaustive:
        top, job_vectors = _screened_top(
            prep, screening, jobs=jobs, cv_vector=cv_vector, index=index, vectors=vectors,
            k=k, min_score=min_score, candidates=candidates, filters=filters, hard=hard,
            weights=weights, calibration=calibration, now=now, limit=max_shortlist)
        return _explain(prep, top, job_vectors, cv_vector=cv_vector, weights=weights,
                        calibration=calibration, cache=cache, cv_hash=cv_hash,
                        weights_hash=weights_hash)
    if exhaustive:
        batches: Iterable[list[StoredJob]] = jobs.iter_active()
    else:
        ids = retrieve_candidates(profile, cv_vector=cv_vector, index=index, keywords=keywords,
                                  n=candidates, filters=filters, places=places, now=now)
        batches = [jobs.get_jobs(ids)]
    scored: list[tuple[float, str, StoredJob]] = []
    for batch in batches:
        kept = [s for s in batch if hard is None or passes_hard_filters(profile, s.posting, hard)]
        prepared = [prepare_job(s.posting) for s in kept]
        matrix = None
        if cv_vector is not None and vectors is not None and kept:
            found = vectors([s.id for s in kept])
            job_vectors.update(found)
            if all(s.id in found for s in kept):
                matrix = np.stack([found[s.id] for s in kept])
        values = score_many(prep, prepared, weights=weights, cv_vector=cv_vector,
                            job_vectors=matrix, calibration=calibration)
        scored += [(v, s.id, s) for v, s in zip(values, kept, strict=True)
                   if round(v) >= min_score]
        if exhaustive and len(scored) > 4 * k:  # keep memory flat over 100k jobs: the top k
            scored.sort(key=lambda t: (-t[0], t[1]))
            del scored[k:]
            job_vectors = {s[1]: job_vectors[s[1]] for s in scored if s[1] in job_vectors}
    scored.sort(key=lambda t: (-t[0], t[1]))
    return _explain(prep, scored[:k], job_vectors, cv_vector=cv_vector, weights=weights,
                    calibration=calibration, cache=cache, cv_hash=cv_hash,
                    weights_hash=weights_hash)


def _screened_top(
    prep: PreparedProfile, screening: ScreeningIndex, *, jobs: JobSource,
    cv_vector: np.ndarray | None, index: JobIndex | None, vectors: VectorLookup | None,
    k: int, min_score: float, candidates: int, filters: JobFilters | None,
    hard: HardFilters | None, weights: Weights | None, calibration: tuple[float, float],
    now: date | None, limit: int,
) -> tuple[list[tuple[float, str, StoredJob]], dict[str, np.ndarray]]:
    """Stage 1 by screening: the exact top ``k`` (by the engine's arithmetic) and the vectors
    fetched on the way."""
    semantic = cv_vector is not None and vectors is not None
    cosines: dict[str, float] = {}
    ceiling: float | None = None
    in_memory = screening.vectors is not None
    if semantic and index is not None and not in_memory:
        near = index.query(cv_vector, candidates, filters, now=now)
        cosines = dict(near)
        # a job outside the nearest ``candidates`` is no closer than the last of them
        ceiling = min(cosines.values()) if len(near) >= candidates else -1.0
    mask = screening.filter_mask(filters, now)
    ids = screening.ids
    job_vectors: dict[str, np.ndarray] = {}
    want = k
    while True:
        screened = screening.screen(prep, weights=weights, cosines=cosines, cos_ceiling=ceiling,
                                    calibration=calibration, semantic=semantic,
                                    cv_vector=cv_vector if in_memory else None,
                                    top_k=want, mask=mask)
        rows = screened.shortlist(want, mask=mask, min_score=min_score, limit=limit)
        vague = [ids[r] for r in rows if not screened.exact[r]]
        if vague and semantic:
            found = vectors(vague)  # type: ignore[misc]
            job_vectors.update(found)
            assert cv_vector is not None
            screened.set_cosines({i: float(np.dot(v, cv_vector)) for i, v in found.items()})
        values = screened.lower
        ranked = sorted(((float(values[r]), ids[r]) for r in rows),
                        key=lambda t: (-t[0], t[1]))
        ranked = [t for t in ranked if round(t[0]) >= min_score]
        top: list[tuple[float, str, StoredJob]] = []
        for start in range(0, len(ranked), max(k, 1)):
            chunk = ranked[start:start + max(k, 1)]
            stored = {s.id: s for s in jobs.get_jobs([i for _, i in chunk])}
            for value, job_id in chunk:
                s = stored.get(job_id)
                if s is not None and (hard is None
                                      or passes_hard_filters(prep.profile, s.posting, hard)):
                    top.append((value, job_id, s))
            if len(top) >= k:
                break
        # hard filters may drop jobs the shortlist counted on: the k-th job that passes must
        # beat every job left out of the shortlist, else widen until it does or all are tried
        if hard is None or len(rows) >= int(mask.sum()) or want >= len(ids):
            break
        if len(top) >= k:
            outside = mask.copy()
            outside[rows] = False
            best_outside = float(screened.upper[outside].max()) if outside.any() else -1.0
            if top[k - 1][0] >= best_outside:
                break
        want *= 4
    top = top[:k]
    if semantic and screening.vectors is not None:
        for _, job_id, _ in top:
            row = screening.row[job_id]
            if screening.has_vector[row]:
                job_vectors[job_id] = screening.vectors[row]
    elif semantic:
        missing = [job_id for _, job_id, _ in top if job_id not in job_vectors]
        if missing:
            job_vectors.update(vectors(missing))  # type: ignore[misc]
    return top, job_vectors


def _explain(
    prep: PreparedProfile, top: list[tuple[float, str, StoredJob]],
    job_vectors: dict[str, np.ndarray], *, cv_vector: np.ndarray | None,
    weights: Weights | None, calibration: tuple[float, float], cache: ResultCache | None,
    cv_hash: str | None, weights_hash: str,
) -> list[RankedMatch]:
    """Full results (from the cache, else scored with evidence) for the chosen jobs."""
    cached: dict[str, MatchResult] = {}
    use_cache = cache is not None and bool(cv_hash)
    batch_cache = use_cache and hasattr(cache, "get_many") and hasattr(cache, "put_many")
    if use_cache and batch_cache:
        cached = cache.get_many(  # type: ignore[union-attr]
            cv_hash, [s.content_hash for _, _, s in top], weights_hash, ENGINE_VERSION)
    out: list[RankedMatch] = []
    fresh: list[tuple[tuple[str, str, str, str], MatchResult]] = []
    for _, job_id, stored in top:
        result = cached.get(stored.content_hash)
        if result is None and use_cache and not batch_cache:
            result = cache.get(cv_hash, stored.content_hash,  # type: ignore[union-attr,arg-type]
                               weights_hash, ENGINE_VERSION)
        if result is None:
            vec = job_vectors.get(job_id) if cv_vector is not None else None
            result = score_match(prep, stored.posting, weights, cv_vector=cv_vector,
                                 job_vector=vec, calibration=calibration)
            if use_cache:
                fresh.append(((cv_hash, stored.content_hash, weights_hash,  # type: ignore[arg-type]
                               ENGINE_VERSION), result))
        out.append(RankedMatch(job_id=job_id, posting=stored.posting, result=result))
    if fresh and batch_cache:
        cache.put_many(fresh)  # type: ignore[union-attr]
    elif fresh:
        for key, result in fresh:
            cache.put(*key, result)  # type: ignore[union-attr]
    return out


@dataclass(frozen=True)
class SearchHit:
    job_id: str
    posting: JobPosting
    score: float  # fused RRF score (a rank signal, not a fit score)


def search_jobs(
    query: str,
    *,
    jobs: JobSource,
    vector: np.ndarray | None = None,
    index: JobIndex | None = None,
    keywords: KeywordIndex | None = None,
    filters: JobFilters | None = None,
    k: int = 10,
    min_similarity: float = 0.0,
    now: date | None = None,
) -> list[SearchHit]:
    """Hybrid job search for a free-text query: vector similarity (``vector`` is the query's
    embedding) fused by RRF with skill/keyword overlap (skills found in the query, its words
    as ATS keywords). Hard filters apply to both rankings; status defaults to ACTIVE. "remote"
    in the query turns on the remote filter. A job found only by the vector side must reach
    ``min_similarity`` (pass the embedder's calibration floor) — unrelated jobs are not padding.
    """
    from tools.parsing.work_mode import detect_work_mode
    from tools.search import matches_filters
    from tools.skills import extract_skills

    filters = filters or JobFilters()
    if not filters.remote_only and detect_work_mode(query) == "remote":
        filters = filters.model_copy(update={"remote_only": True})
    pool = max(k * 5, 50)
    rankings: list[list[str]] = []
    if index is not None and vector is not None:
        rankings.append([i for i, sim in index.query(vector, pool, filters, now=now)
                         if sim >= min_similarity])
    if keywords is not None:
        skills = {m.skill_id: 1.0 for m in extract_skills(query, role_names=True)}
        words = [w for w in query.lower().split() if len(w) > 2]
        hits = keywords.query(skills, words, pool * 4, None)
        rankings.append([i for i, _ in hits])
    fused = reciprocal_rank_fusion(rankings)
    out: list[SearchHit] = []
    by_id = {s.id: s for s in jobs.get_jobs([i for i, _ in fused[: pool * 2]])}
    for job_id, score in fused:
        stored = by_id.get(job_id)
        if stored is None:
            continue
        meta = job_metadata(stored.posting)
        if not matches_filters(meta, filters, now=now):
            continue
        out.append(SearchHit(job_id=job_id, posting=stored.posting, score=score))
        if len(out) >= k:
            break
    return out
