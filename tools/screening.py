"""Stage 1 that cannot miss: the engine's balanced score of one CV against every job, in numpy.

Two-stage matching used to pick ~200 candidates by rank fusion of text similarity and skill
overlap, then score them. On large collections of near-identical postings (the same role in
many places, at many salaries) that pool missed about 40 % of the true top 50. A
:class:`ScreeningIndex` holds, per job, exactly what the balanced score reads — skill ids,
certifications, key terms, years and level asked, title, degree, place and pay — as columns,
so one CV is scored against 100,000 jobs in a few tens of milliseconds with the same
arithmetic as :func:`tools.scoring.score_many`.

The one factor it cannot compute alone is the semantic one: it needs each job's vector. Callers
give the cosines they know (the vector index's nearest neighbours) and a ceiling for all other
jobs (the smallest cosine among those neighbours: a job outside the neighbour list is no closer).
:meth:`ScreeningIndex.screen` then returns, per job, a lower and an upper bound of the overall
score — equal where the cosine is known — and :func:`shortlist` keeps every job whose upper
bound reaches the k-th best lower bound: the exact top k is guaranteed to be among them
(:mod:`tools.screened`; the columns' storage is :mod:`tools.screening_columns`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, NamedTuple

import numpy as np
from rapidfuzz import fuzz, process

from tools.factors import (
    DEFAULT_CALIBRATION,
    DEGREE_PART,
    KEYWORD_MASS,
    LEVEL_PART,
    LEXICAL_CALIBRATION,
    PREFERRED_WEIGHT,
    RELEVANCE_FLOOR,
    RELEVANCE_FULL,
    REQUIRED_WEIGHT,
    ROLE_PART,
    SALARY_STEPS,
    YEARS_PART,
    location_factor,
)
from tools.preparation import PreparedProfile, bare_title, job_text_signals, mentions
from tools.schemas import DEGREE_RANK, SENIORITY_RANK, JobPosting, Location, Weights
from tools.screened import Screened
from tools.screening_columns import SparseColumns, Vocab, by_column
from tools.screening_terms import TermColumns
from tools.search import JobFilters, day_number
from tools.specificity import FULL_MASS, skill_weight

_MODES = {"remote": 0, "hybrid": 1, "onsite": 2}
_FACTORS = ("skills", "experience", "location", "salary", "semantic")


class _Credits(NamedTuple):
    req: np.ndarray  # per job: credit earned on required skills
    pref: np.ndarray  # ... on preferred skills and certifications
    kw: np.ndarray  # ... key terms found (jobs without skills)


class _View:
    """The per-job columns of a :class:`ScreeningIndex`, all jobs or a subset of rows."""

    def __init__(self, index: ScreeningIndex, rows: np.ndarray | None,
                 memo: dict[str, np.ndarray] | None = None) -> None:
        self.rows = rows
        self.memo = {} if memo is None else memo  # per-CV values shared between views
        self.n = len(index.ids) if rows is None else len(rows)
        take = self.take
        self.exp_min, self.exp_max = take(index.exp_min), take(index.exp_max)
        self.salary_top, self.currency = take(index.salary_top), take(index.currency)
        self.seniority, self.title = take(index.seniority), take(index.title)
        self.degree, self.place = take(index.degree), take(index.place)
        self.n_req, self.n_pref, self.n_kw = take(index.n_req), take(index.n_pref), take(index.n_kw)
        self.n_terms = take(index.requirement_terms.count)
        self.mass = take(index.mass)

    def take(self, column: np.ndarray) -> np.ndarray:
        return column if self.rows is None else column[self.rows]


class ScreeningIndex:
    """Columns of what the balanced score reads, for every job added (see the module doc).

    Build with :meth:`add` (a parsed posting as stored: ``JobPosting.model_dump(mode="json")``)
    or :meth:`add_posting`, then :meth:`freeze` before :meth:`screen`.
    """

    def __init__(self) -> None:
        self.ids: list[str] = []
        self._skill_vocab, self._certs, self._keywords = Vocab(), Vocab(), Vocab()
        self._titles, self._places, self._companies = Vocab(), Vocab(), Vocab()
        self._currencies = Vocab()
        self._req: list[list[int]] = []
        self._pref: list[list[int]] = []
        self._cert: list[list[int]] = []
        self._kw: list[list[int]] = []
        self.terms = SparseColumns()  # each job's TF-IDF vector (tools.lexical)
        self.occupations = SparseColumns()  # each job's occupation vector (job_occupation)
        self.requirement_terms = TermColumns()  # each job's requirement terms
        self._num: list[tuple[float, ...]] = []
        self._cat: list[tuple[int, ...]] = []
        self.frozen = False
        self._place_jobs: list[JobPosting] | None = None
        self.vectors: np.ndarray | None = None
        self.has_vector = np.zeros(0, dtype=bool)

    def __len__(self) -> int:
        return len(self.ids)

    # ------------------------------------------------------------------ building
    def add_posting(self, job_id: str, job: JobPosting, *,
                    text_signals: tuple[dict[str, float], dict[str, float]] | None = None) -> None:
        self.add(job_id, job.model_dump(mode="json"), text_signals=text_signals)

    def add(self, job_id: str, parsed: Mapping[str, Any], *, posted: date | None = None,
            company: str | None = None,
            text_signals: tuple[dict[str, float], dict[str, float]] | None = None) -> None:
        """Add one job from its parsed posting (a mapping shaped like ``JobPosting``).

        ``posted`` (used when the posting states no date, e.g. the import date) and ``company``
        (the stored company name) mirror :func:`tools.search.job_metadata`, so the filters mean
        the same here and in the vector index.
        """
        if self.frozen:
            raise RuntimeError("ScreeningIndex is frozen; build a new one")
        seen: set[str] = set()
        req: list[int] = []
        pref: list[int] = []
        names: set[str] = set()
        for key, bucket in (("required_skills", req), ("preferred_skills", pref)):
            for s in parsed.get(key) or ():
                sid = s["skill_id"]
                if sid not in seen:
                    seen.add(sid)
                    bucket.append(self._skill_vocab.id(sid))
                    names.add(str(s.get("name", "")).lower())
        quals = parsed.get("qualifications") or {}
        certs = [self._certs.id(c) for c in dict.fromkeys(quals.get("certifications") or ())
                 if c.lower() not in names]
        n_terms = self.requirement_terms.add(parsed.get("terms") or ())
        kws = ([self._keywords.id(k) for k in parsed.get("keywords") or ()]
               if not seen and not certs and not n_terms else [])
        title = parsed.get("title")
        bare = bare_title(title) if title else ""
        row = len(self.ids)
        terms, occupation = text_signals or job_text_signals(
            parsed.get("title"), str(parsed.get("text") or parsed.get("description") or ""))
        self.terms.add(row, terms)
        self.occupations.add(row, occupation)
        loc = parsed.get("location") or None
        mode = parsed.get("work_mode") or ("remote" if loc and loc.get("remote") else None)
        place = (mode, None) if not loc else (mode, (
            loc.get("raw") or "", loc.get("city"), loc.get("region"), loc.get("country"),
            bool(loc.get("remote"))))
        sal = parsed.get("salary") or {}
        top = sal.get("max") if sal.get("max") is not None else sal.get("min")
        level = quals.get("degree_level")
        degree = (DEGREE_RANK[level] if level and level != "none"
                  and quals.get("degree_required", True) else -1)
        seniority = parsed.get("seniority")
        day = parsed.get("posted_date") or posted
        name = (company if company is not None else parsed.get("company")) or ""
        nan = float("nan")
        emin, emax = parsed.get("experience_min"), parsed.get("experience_max")
        self._num.append((
            nan if emin is None else float(emin), nan if emax is None else float(emax),
            nan if top is None else float(top),
            nan if not day else float(day_number(date.fromisoformat(str(day)[:10]))),
        ))
        self._cat.append((
            SENIORITY_RANK[seniority] if seniority else -1,
            self._titles.id(bare) if bare else -1,
            degree,
            self._places.id(place),
            self._currencies.id(sal.get("currency")) if top is not None else -1,
            self._companies.id(name.strip().lower()),
            _MODES.get(mode or "", -1),
        ))
        self._req.append(req)
        self._pref.append(pref)
        self._cert.append(certs)
        self._kw.append(kws)
        self.ids.append(str(job_id))

    def freeze(self) -> ScreeningIndex:
        """Turn the rows into numpy columns (call once, after the last :meth:`add`)."""
        n = len(self.ids)
        num = np.array(self._num, dtype=np.float64).reshape(n, 4)
        cat = np.array(self._cat, dtype=np.int64).reshape(n, 7)
        self.exp_min, self.exp_max, self.salary_top, self.posted = num.T
        (self.seniority, self.title, self.degree, self.place, self.currency, self.company,
         self.mode) = cat.T
        self.req = by_column(self._req, len(self._skill_vocab.ids))
        self.pref = by_column(self._pref, len(self._skill_vocab.ids))
        self.cert = by_column(self._cert, len(self._certs.ids))
        self.kw = by_column(self._kw, len(self._keywords.ids))
        count = np.fromiter((len(r) for r in self._req), dtype=np.float64, count=n)
        self.n_req = count
        self.n_pref = np.fromiter((len(p) + len(c) for p, c in zip(self._pref, self._cert,
                                                                   strict=True)),
                                  dtype=np.float64, count=n)
        self.n_kw = np.fromiter((len(r) for r in self._kw), dtype=np.float64, count=n)
        self.skill_ids = self._skill_vocab.keys()
        self.skill_weights = np.fromiter((skill_weight(s) for s in self.skill_ids),
                                         dtype=np.float64, count=len(self.skill_ids))
        n_cert = np.fromiter((len(c) for c in self._cert), dtype=np.float64, count=n)
        self.mass = (REQUIRED_WEIGHT * self._sum(self.req, self.skill_weights, n)
                     + PREFERRED_WEIGHT * (self._sum(self.pref, self.skill_weights, n) + n_cert))
        terms = self.requirement_terms
        terms.freeze()
        self.mass += (REQUIRED_WEIGHT * self._sum(terms.req, terms.weights, n)
                      + PREFERRED_WEIGHT * self._sum(terms.pref, terms.weights, n))
        self.terms.freeze(n)
        self.occupations.freeze(n)
        self.cert_names = self._certs.keys()
        self.keyword_names = self._keywords.keys()
        self.title_names = self._titles.keys()
        self.place_keys = self._places.keys()
        self.currency_names = self._currencies.keys()
        self.company_names = self._companies.keys()
        self.row = {job_id: i for i, job_id in enumerate(self.ids)}
        del self._req, self._pref, self._cert, self._kw, self._num, self._cat
        self.frozen = True
        return self

    # ------------------------------------------------------------------ scoring
    def _sum(self, incidence: tuple[np.ndarray, np.ndarray], values: np.ndarray,
             n: int | None = None) -> np.ndarray:
        """Per job, the sum of ``values`` over its columns (only non-zero columns are read:
        a CV gives credit for a few dozen of the thousands of skills)."""
        rows, starts = incidence
        out = np.zeros(len(self.ids) if n is None else n)
        for col in np.flatnonzero(values):
            np.add.at(out, rows[starts[col]:starts[col + 1]], values[col])
        return out

    def _credits(self, prep: PreparedProfile) -> _Credits:
        """Per job, the credit the CV earns on required and preferred skills and key terms."""
        credit = np.fromiter((prep.credit(s)[0] for s in self.skill_ids), dtype=np.float64,
                             count=len(self.skill_ids))
        certs = np.fromiter((mentions(prep, c) for c in self.cert_names), dtype=np.float64,
                            count=len(self.cert_names))
        found = np.fromiter((mentions(prep, k) for k in self.keyword_names),
                            dtype=np.float64, count=len(self.keyword_names))
        weighted = credit * self.skill_weights
        terms = self.requirement_terms
        term_weighted = terms.credits(prep) * terms.weights
        return _Credits(self._sum(self.req, weighted) + self._sum(terms.req, term_weighted),
                        self._sum(self.pref, weighted) + self._sum(self.cert, certs)
                        + self._sum(terms.pref, term_weighted),
                        self._sum(self.kw, found))

    def _skills(self, credits: _Credits, v: _View) -> tuple[np.ndarray, np.ndarray]:
        """The skills factor (NaN = unknown) and its weight scale, as in scoring."""
        req, pref, kw = v.take(credits.req), v.take(credits.pref), v.take(credits.kw)
        has_skills = (v.n_req + v.n_pref + v.n_terms) > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            value = 100.0 * (REQUIRED_WEIGHT * req + PREFERRED_WEIGHT * pref) / v.mass
            value = np.where(has_skills, value, 100.0 * kw / v.n_kw)
            scale = np.where(has_skills, v.mass, KEYWORD_MASS * v.n_kw) / FULL_MASS
        known = has_skills | (v.n_kw > 0)
        return np.where(known, value, np.nan), np.clip(scale, 0.0, 1.0)

    def _experience(self, prep: PreparedProfile, skills: np.ndarray, v: _View) -> np.ndarray:
        profile = prep.profile
        n = v.n
        wsum = np.zeros(n)
        total = np.zeros(n)
        years = profile.total_years
        if years is not None:
            lo, hi = v.exp_min, v.exp_max
            known = ~np.isnan(lo) | ~np.isnan(hi)
            over = years - hi
            ys = np.where(over <= 2, 95.0, np.where(over <= 5, 85.0, 70.0))
            ys = np.where(~np.isnan(hi) & (years > hi), ys, 100.0)
            short = np.maximum(40.0, 100.0 - 15.0 * (lo - years))
            ys = np.where(~np.isnan(lo) & (years < lo), short, ys)
            wsum += np.where(known, YEARS_PART, 0.0)
            total += np.where(known, YEARS_PART * ys, 0.0)
        if profile.seniority:
            diff = SENIORITY_RANK[profile.seniority] - v.seniority
            ss = np.select([diff == 0, diff == -1, diff == -2, diff < 0, diff == 1],
                           [100.0, 75.0, 50.0, 30.0, 90.0], 70.0)
            known = v.seniority >= 0
            wsum += np.where(known, LEVEL_PART, 0.0)
            total += np.where(known, LEVEL_PART * ss, 0.0)
        relevance = np.where(np.isnan(skills), np.nan, skills / 100.0)
        role = self._role(prep, v)
        known = ~np.isnan(role)
        wsum += np.where(known, ROLE_PART, 0.0)
        total += np.where(known, ROLE_PART * np.nan_to_num(role), 0.0)
        relevance = np.where(known, role / 100.0, relevance)
        if profile.education:
            have = profile.highest_degree
            rank = DEGREE_RANK[have] if have is not None else -1
            known = v.degree >= 0
            ds = np.where((rank >= 0) & (rank >= v.degree), 100.0, 40.0)
            wsum += np.where(known, DEGREE_PART, 0.0)
            total += np.where(known, DEGREE_PART * ds, 0.0)
        with np.errstate(invalid="ignore", divide="ignore"):
            value = total / wsum
        gate = RELEVANCE_FLOOR + (1 - RELEVANCE_FLOOR) * relevance / RELEVANCE_FULL
        value = np.where(~np.isnan(relevance) & (relevance < RELEVANCE_FULL), value * gate, value)
        return np.where(wsum > 0, value, np.nan)

    def _role(self, prep: PreparedProfile, v: _View) -> np.ndarray:
        """Role fit 0-100 (NaN = unknown), as ``factors._role_part``: occupation similarity
        where the job and the CV both have occupations, else the titles' token similarity."""
        n = v.n
        occupations = prep.occupations()
        best = v.memo.get("occupation")
        if best is None and occupations:
            full = len(self.ids)
            best = np.zeros(full)
            for vec, weight, _title in occupations:
                dots = np.clip(self.occupations.dot(vec, full), 0.0, 1.0)
                best = np.maximum(best, weight * dots)
            v.memo["occupation"] = best
        by_occ = (v.take(self.occupations.has) if occupations else np.zeros(n, dtype=bool))
        role = np.where(by_occ, 100.0 * v.take(best) if best is not None else 0.0, np.nan)
        if prep.titles and self.title_names:
            title_score = v.memo.get("title")
            if title_score is None:
                sims = process.cdist(self.title_names, prep.bare_titles,
                                     scorer=fuzz.token_set_ratio, dtype=np.float64, workers=1)
                best_t = sims.max(axis=1)
                title_score = v.memo["title"] = np.clip((best_t - 30.0) / 50.0 * 100.0, 0.0,
                                                        100.0)
            by_title = ~by_occ & (v.title >= 0)
            role = np.where(by_title, title_score[np.maximum(v.title, 0)], role)
        return role

    def _lexical(self, prep: PreparedProfile, v: _View) -> np.ndarray:
        """The shared-words score 0-100 per job (NaN where the CV or the job has no terms)."""
        if not prep.terms:
            return np.full(v.n, np.nan)
        lex = v.memo.get("lexical")
        if lex is None:
            floor, ceil = LEXICAL_CALIBRATION
            cos = self.terms.dot(prep.terms, len(self.ids))
            lex = v.memo["lexical"] = 100.0 * np.clip((cos - floor) / (ceil - floor), 0.0, 1.0)
        return np.where(v.take(self.terms.has), v.take(lex), np.nan)

    def _location(self, prep: PreparedProfile, v: _View) -> np.ndarray:
        if self._place_jobs is None:  # built once: constructing models is the slow part
            self._place_jobs = [JobPosting(location=None if loc is None else Location(
                raw=loc[0], city=loc[1], region=loc[2], country=loc[3], remote=loc[4]),
                work_mode=mode) for mode, loc in self.place_keys]
        per_place = v.memo.get("place")
        if per_place is None:
            per_place = v.memo["place"] = np.empty(len(self.place_keys))
            for i, job in enumerate(self._place_jobs):
                score = location_factor(prep, job).score
                per_place[i] = np.nan if score is None else score
        return per_place[v.place] if v.n else np.zeros(0)

    def _salary(self, prep: PreparedProfile, v: _View) -> np.ndarray:
        cs = prep.profile.salary_expectation
        n = v.n
        if cs is None or (cs.min is None and cs.max is None):
            return np.full(n, np.nan)
        expect = cs.min if cs.min is not None else cs.max
        assert expect is not None
        gap = (expect - v.salary_top) / expect
        steps = np.array(SALARY_STEPS)
        value = np.where(expect <= v.salary_top, 100.0,
                         np.interp(gap, steps[:, 0], steps[:, 1]))
        ok = ~np.isnan(v.salary_top)
        if cs.currency:
            cur = np.array([c is None or c == cs.currency for c in self.currency_names] or [True])
            ok &= (v.currency < 0) | cur[np.maximum(v.currency, 0)]
        return np.where(ok, value, np.nan)

    def factors(self, prep: PreparedProfile,
                rows: np.ndarray | None = None) -> dict[str, np.ndarray]:
        """The four structured factors (0-100, NaN = unknown) for this CV, of every job or of
        the jobs in ``rows``."""
        return self._factors(prep, self._credits(prep), _View(self, rows))[0]

    def _factors(self, prep: PreparedProfile, credits: _Credits,
                 v: _View) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """The four structured factors and the skills factor's weight scale."""
        skills, scale = self._skills(credits, v)
        return ({"skills": skills, "experience": self._experience(prep, skills, v),
                 "location": self._location(prep, v), "salary": self._salary(prep, v)}, scale)

    def screen(
        self,
        prep: PreparedProfile,
        *,
        weights: Weights | None = None,
        cosines: Mapping[str, float] | None = None,
        cos_ceiling: float | None = None,
        calibration: tuple[float, float] = DEFAULT_CALIBRATION,
        semantic: bool = True,
        cv_vector: np.ndarray | None = None,
        top_k: int | None = None,
        mask: np.ndarray | None = None,
    ) -> Screened:
        """Bounds of every job's overall score for this CV (equal where exact).

        ``semantic=False``: the CV has no vector, so the text-similarity factor is the
        shared-words part alone (as in the engine). Otherwise jobs in ``cosines`` get their
        exact embedding part and the others anything from 0 up to the score of ``cos_ceiling``
        (100 when it is None). When the index holds every job's vector (:meth:`attach_vectors`)
        and ``cv_vector`` is given, the factor is exact for every job.

        ``top_k`` (with the filter ``mask``) allows pruning: a job's skills and experience
        scores bound its overall score (every other factor counted at 100: adding a factor at
        100 only raises a weighted mean). Jobs whose bound is below the k-th best score among
        the jobs with the best bounds are not fully scored and are marked out of reach
        (bounds -1).
        """
        w = (weights or Weights()).as_dict()
        n = len(self.ids)
        credits = self._credits(prep)
        vector = cv_vector if semantic else None
        if top_k and w["skills"] > 0 and n > 4 * top_k + 256:
            # Score the jobs with the best bounds first; the k-th best of them is a floor for
            # the true k-th best, and every job whose bound is below that floor is out of reach.
            memo: dict[str, np.ndarray] = {}
            full = _View(self, None, memo)
            skills, scale = self._skills(credits, full)
            experience = self._experience(prep, skills, full)
            # skills and experience known, every other factor at most 100: adding a factor at
            # 100 only raises a weighted mean, so this bounds the overall score from above
            rest = sum(w.values()) - w["skills"] - w["experience"]
            ws_eff = np.where(np.isnan(skills), 0.0, w["skills"] * scale)
            we_eff = np.where(np.isnan(experience), 0.0, w["experience"])
            with np.errstate(invalid="ignore", divide="ignore"):
                bound = (ws_eff * np.nan_to_num(skills) + we_eff * np.nan_to_num(experience)
                         + 100.0 * rest) / (ws_eff + we_eff + rest)
            bound = np.where(np.isfinite(bound), bound, 100.0)
            pool = np.flatnonzero(mask) if mask is not None else np.arange(n)
            if len(pool) >= top_k:
                m = min(len(pool), 4 * top_k + 256)
                seed = pool[np.argpartition(-bound[pool], m - 1)[:m]]
                part = self._partial(prep, credits, _View(self, seed, memo), w, calibration,
                                     cos_ceiling, vector, semantic)
                floor = float(np.partition(part.lower, m - top_k)[m - top_k])
                live = np.flatnonzero(bound >= floor - 1e-6)
                if len(live) < n:
                    part = self._partial(prep, credits, _View(self, live, memo), w, calibration,
                                         cos_ceiling, vector, semantic)
                    out = Screened.empty(self, w["semantic"], calibration, semantic)
                    out.place(live, part)
                    if semantic and cosines and (cv_vector is None or self.vectors is None):
                        out.set_cosines(cosines)
                    return out
        out = self._partial(prep, credits, _View(self, None), w, calibration, cos_ceiling,
                            vector, semantic)
        if semantic and cosines and (cv_vector is None or self.vectors is None):
            out.set_cosines(cosines)
        return out

    def _partial(self, prep: PreparedProfile, credits: _Credits, v: _View,
                 w: dict[str, float], calibration: tuple[float, float],
                 cos_ceiling: float | None, cv_vector: np.ndarray | None,
                 embedding: bool = True) -> Screened:
        """Scores of the jobs in view ``v`` (a :class:`Screened` over those rows only)."""
        known_w = np.zeros(v.n)
        total = np.zeros(v.n)
        factors, scale = self._factors(prep, credits, v)
        for name, values in factors.items():
            known = ~np.isnan(values)
            weight = w[name] * scale if name == "skills" else w[name]
            known_w += np.where(known, weight, 0.0)
            total += np.where(known, weight * np.nan_to_num(values), 0.0)
        ws = w["semantic"]
        out = Screened(self, total, known_w, ws, calibration, embedding,
                       self._lexical(prep, v) if ws > 0 else np.full(v.n, np.nan))
        if ws > 0 and embedding:
            top = 100.0 if cos_ceiling is None else float(out.semantic(np.array([cos_ceiling]))[0])
            out.upper_sem = np.full(v.n, top)
            if cv_vector is not None and self.vectors is not None:
                vectors = self.vectors if v.rows is None else self.vectors[v.rows]
                values = out.semantic(vectors @ np.asarray(cv_vector, dtype=np.float32))
                has = v.take(self.has_vector)
                out.lower_sem = np.where(has, values, 0.0)
                out.upper_sem = np.where(has, values, 100.0)  # no vector: anything goes
                out.exact = has.copy()
            out._bounds = None
        return out

    def attach_vectors(self, lookup: Callable[[Sequence[str]], Mapping[str, np.ndarray]],
                       dim: int, *, page: int = 5000) -> None:
        """Keep every job's vector in memory (float32), so the semantic factor is exact for all
        jobs in one matrix product; jobs without a vector get a zero row (not exact)."""
        matrix = np.zeros((len(self.ids), dim), dtype=np.float32)
        has = np.zeros(len(self.ids), dtype=bool)
        for start in range(0, len(self.ids), page):
            chunk = self.ids[start:start + page]
            found = lookup(chunk)
            for offset, job_id in enumerate(chunk):
                vec = found.get(job_id)
                if vec is not None:
                    matrix[start + offset] = vec
                    has[start + offset] = True
        self.vectors, self.has_vector = matrix, has

    def set_vectors(self, matrix: np.ndarray) -> None:
        """Every job's vector, in the order the jobs were added (one row each): the semantic
        factor becomes exact for all of them."""
        if matrix.shape[0] != len(self.ids):
            raise ValueError("one vector per job, in order")
        self.vectors = np.asarray(matrix, dtype=np.float32)
        self.has_vector = np.ones(len(self.ids), dtype=bool)

    def filter_mask(self, filters: JobFilters | None, now: date | None = None) -> np.ndarray:
        """Which jobs pass ``filters`` (status aside: the index holds active jobs only)."""
        n = len(self.ids)
        mask = np.ones(n, dtype=bool)
        if filters is None:
            return mask
        if filters.remote_only:
            mask &= self.mode == _MODES["remote"]
        if filters.min_salary is not None:
            mask &= ~np.isnan(self.salary_top) & (self.salary_top >= filters.min_salary)
        if filters.posted_within_days is not None:
            since = day_number(now or date.today()) - filters.posted_within_days
            mask &= ~np.isnan(self.posted) & (self.posted >= since)
        excluded = {c.strip().lower() for c in filters.excluded_companies()}
        if excluded:
            bad = np.array([c in excluded for c in self.company_names] or [False])
            mask &= ~bad[self.company]
        terms = filters.location_terms()
        if terms is not None:
            ok = np.zeros(len(self.place_keys), dtype=bool)
            for i, (_, loc) in enumerate(self.place_keys):
                if loc is None:
                    continue
                md = {key: (str(v).strip().lower() or None) if v else None
                      for key, v in (("city", loc[1]), ("region", loc[2]), ("country", loc[3]))}
                if "any" in terms:
                    ok[i] = terms["any"] in (md["city"], md["region"], md["country"])
                else:
                    ok[i] = all(md.get(k) == v for k, v in terms.items())
            mask &= ok[self.place] if n else mask
        return mask
