"""Deterministic fit scoring: a CandidateProfile against a JobPosting (engine 2.0).

Pure functions over the domain models (no frameworks, no I/O). Every factor yields a 0-100
score or ``None`` (unknown: no data on one side), a one-line comment and evidence. Unknown
factors are left out and the remaining weights renormalised; ``confidence`` is the share of
nominal weight that could be scored. A factor may also count for less than its weight
(``_Factor.scale``): the skills factor when the job's recognised requirements weigh little.

Three profiles:

* ``fitted`` (default): the weights fitted on real labelled data (``tools/data/weights.json``,
  :class:`Weights` defaults) — or any validated :class:`Weights`.
* ``balanced``: the seed weights, skills .40, experience .25, location .15, salary .10,
  semantic .10.
* ``ats``: skills 50 (required 40 + preferred 10), experience 25, ATS keyword coverage 15,
  clarity & evidence 10.

The signals: skills weighted by specificity (``tools.specificity``); experience led by role
fit — the occupation similarity of the CV's titles or words and the job's
(``tools.occupations``, ``tools.occupation_profiles``); text similarity from the embedding and
the shared distinctive words (``tools.lexical``). :mod:`tools.screening` computes exactly the
same arithmetic over every job at once; keep the two in step (a test checks equality).

For ranking many jobs, :func:`prepare_profile` does the per-CV work once and
:func:`score_many` returns the same overall scores as :func:`score_match` without building
evidence models.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import numpy as np
from rapidfuzz import fuzz

from tools.lexical import CV_TERMS, JOB_TERMS, shared_terms, term_vector
from tools.lexical import cosine as term_cosine
from tools.money import format_money
from tools.occupation_profiles import text_occupation_vector
from tools.occupations import occupation_weights
from tools.parsing.location import location_similarity
from tools.ports import Embedder
from tools.schemas import (
    DEGREE_RANK,
    SENIORITY_RANK,
    CandidateProfile,
    Evidence,
    FactorScore,
    JobPosting,
    JobSkill,
    Location,
    MatchResult,
    Span,
    Weights,
)
from tools.skills import load_taxonomy
from tools.specificity import mass_scale, skill_weight

ENGINE_VERSION = "2.0.0"

#: "fitted" (default: weights fitted on real labelled data), "balanced" (the seed weights),
#: "ats" (scores like an applicant-tracking system).
ScoringProfile = Literal["fitted", "balanced", "ats"]

#: Cosine similarity mapped to a semantic score of 0 and of 100. Each embedder carries its own
#: measured ``calibration``; this default (the default static embedder's) applies when vectors
#: arrive without one.
SEMANTIC_FLOOR = 0.31
SEMANTIC_CEIL = 0.74
DEFAULT_CALIBRATION = (SEMANTIC_FLOOR, SEMANTIC_CEIL)
#: TF-IDF cosine (``tools.lexical``) mapped to 0 and to 100: the 10th and 99th percentiles of
#: real CV/posting pairs (Livecareer resumes × O*NET occupations, FERR judged pairs).
LEXICAL_CALIBRATION = (0.0, 0.18)
#: Shares of the embedding and of the shared-words similarity in the text-similarity factor.
EMBEDDING_SHARE = 0.75
LEXICAL_SHARE = 0.25

#: Weight of a required vs a preferred skill in the skills factor.
REQUIRED_WEIGHT = 2.0
PREFERRED_WEIGHT = 1.0
#: Evidence mass of one key term when a job has no recognised skill (key terms are noisy).
KEYWORD_MASS = 0.5
#: Credit for a skill that is only listed (never used in an experience entry).
LISTED_ONLY_CREDIT = 0.9

ATS_WEIGHTS: dict[str, float] = {"skills": 0.50, "experience": 0.25, "keywords": 0.15,
                                 "clarity": 0.10}
#: Inside the ATS skills factor: required 40 points, preferred 10.
ATS_REQUIRED_SHARE = 0.8

_WORD = re.compile(r"[a-z0-9][a-z0-9+#.]*")
_NUMBER = re.compile(r"\d")
_SENIORITY_WORDS = re.compile(
    r"\b(senior|sr\.?|junior|jr\.?|lead|principal|staff|head of|intern|graduate|entry[- ]level|"
    r"mid[- ]level|i{1,3}|iv|associate|chief)\b",
    re.I,
)
STRONG_VERBS = frozenset(
    "achieved built created cut decreased delivered designed developed drove established "
    "grew implemented improved increased launched led managed migrated optimised optimized "
    "reduced saved scaled shipped streamlined trained automated negotiated won generated "
    "coordinated resolved mentored introduced redesigned deployed owned closed".split()
)
VAGUE_PHRASES = ("responsible for", "worked on", "helped with", "involved in", "various",
                 "duties included", "tasked with", "assisted with", "participated in")


# --------------------------------------------------------------------------- grading


def grade_for(score: float) -> str:
    for threshold, grade in ((90, "A+"), (80, "A"), (70, "B"), (60, "C"), (50, "D")):
        if score >= threshold:
            return grade
    return "F"


def label_for(score: float) -> str:
    for threshold, label in ((80, "Excellent"), (60, "Good"), (40, "Moderate")):
        if score >= threshold:
            return label
    return "Low"


def is_recommended(score: float) -> bool:
    return score >= 70


# --------------------------------------------------------------------------- texts to embed


def cv_embedding_text(profile: CandidateProfile) -> str:
    """What of a CV is embedded: headline, roles, skills and summary (no contact details)."""
    parts = [profile.headline or "", ", ".join(profile.desired_roles)]
    parts += [e.title or "" for e in profile.experience[:4]]
    parts.append(", ".join(s.name for s in profile.skills[:40]))
    parts.append((profile.summary or "")[:400])
    return "\n".join(p for p in parts if p).strip()


def job_embedding_text(job: JobPosting) -> str:
    """What of a job is embedded: title, skills and the head of the description."""
    parts = [job.title or "", ", ".join(s.name for s in job.all_skills[:40])]
    parts.append((job.description or job.text)[:600])
    return "\n".join(p for p in parts if p).strip()


def semantic_score(cosine: float,
                   calibration: tuple[float, float] = DEFAULT_CALIBRATION) -> float:
    """Calibrated 0-100 from a cosine: 0 at or below the floor, 100 at or above the ceiling."""
    floor, ceil = calibration
    value = (cosine - floor) / (ceil - floor)
    return 100.0 * min(1.0, max(0.0, value))


# --------------------------------------------------------------------------- prepared CV/job


@dataclass
class PreparedProfile:
    """Per-CV data computed once and reused across many jobs."""

    profile: CandidateProfile
    evidenced: dict[str, bool]  # skill id -> used in experience
    titles: list[str]
    bare_titles: list[str]
    text_lower: str
    words: frozenset[str]
    terms: dict[str, float] = field(default_factory=dict)  # TF-IDF vector (tools.lexical)
    #: (title, recency weight) of the headline, desired roles and recent roles
    role_titles: list[tuple[str, float]] = field(default_factory=list)
    _occupations: list[tuple[dict[str, float], float, str]] | None = None
    _credit: dict[str, tuple[float, str | None]] = field(default_factory=dict)
    _title: dict[str, tuple[float, str]] = field(default_factory=dict)
    _location: dict[tuple[str | None, ...], float] = field(default_factory=dict)
    _child_of: dict[str, str] | None = None  # ancestor id -> the CV skill below it
    _by_parent: dict[str, str] = field(default_factory=dict)  # parent id -> CV skill
    _spans: dict[tuple[str, int], list[Span]] = field(default_factory=dict)  # _cv_spans memo

    def _index_relations(self) -> dict[str, str]:
        taxonomy = load_taxonomy()
        child_of: dict[str, str] = {}
        for have in sorted(self.evidenced):  # sorted: the smallest id wins ties
            for anc in taxonomy.ancestors(have):
                child_of.setdefault(anc, have)
            entry = taxonomy.get(have)
            if entry is not None and entry.parent:
                self._by_parent.setdefault(entry.parent, have)
        self._child_of = child_of
        return child_of

    def credit(self, want: str) -> tuple[float, str | None]:
        """Best credit any of the CV's skills gives for skill id ``want``, and which skill.

        Same values as ``Taxonomy.relation_credit`` maximised over the CV's skills (ties go to
        the smallest skill id), times LISTED_ONLY_CREDIT when that skill is only listed.
        """
        hit = self._credit.get(want)
        if hit is not None:
            return hit
        best: tuple[float, str | None] = (0.0, None)
        if want in self.evidenced:
            best = (1.0, want)
        else:
            child_of = self._child_of if self._child_of is not None else self._index_relations()
            if want in child_of:
                best = (0.5, child_of[want])
            else:
                taxonomy = load_taxonomy()
                above = [a for a in taxonomy.ancestors(want) if a in self.evidenced]
                if above:
                    best = (0.25, min(above))
                else:
                    entry = taxonomy.get(want)
                    if entry is not None and entry.parent in self._by_parent:
                        best = (0.2, self._by_parent[entry.parent])
        if best[1] is not None and not self.evidenced[best[1]]:
            best = (best[0] * LISTED_ONLY_CREDIT, best[1])
        self._credit[want] = best
        return best

    def location_similarity(self, where: Location) -> float:
        """location_similarity(CV location, where), cached by the place's parts."""
        key = (where.city, where.region, where.country, where.raw if not where.city else None)
        hit = self._location.get(key)
        if hit is None:
            cand = self.profile.location
            hit = location_similarity(cand, where) if cand is not None else 0.0
            self._location[key] = hit
        return hit

    def occupations(self) -> list[tuple[dict[str, float], float, str]]:
        """(occupation vector, recency weight, title) of each CV title naming an occupation."""
        if self._occupations is None:
            found = []
            for title, weight in self.role_titles:
                vec = occupation_weights(title)
                if vec:
                    found.append((vec, weight, title))
            vec = text_occupation_vector(self.terms)
            if vec:  # what the CV's words read like ("" = the CV's content, not a title)
                found.append((vec, CONTENT_ROLE_WEIGHT, ""))
            self._occupations = found
        return self._occupations

    def role_fit(self, job_occupation: dict[str, float]) -> tuple[float, str]:
        """Best occupation similarity (0-1, × the title's recency weight) of the CV's titles
        and content to the job's occupation, and which CV title gave it ("" = the content)."""
        hit = (0.0, "")
        for vec, weight, title in self.occupations():
            sim = weight * occupation_dot(vec, job_occupation)
            if sim > hit[0]:
                hit = (sim, title)
        return hit

    def title_similarity(self, bare_job_title: str) -> tuple[float, str]:
        """Best token-set similarity (0-100) of a job title to the CV's titles, and which."""
        hit = self._title.get(bare_job_title)
        if hit is None:
            hit = (0.0, "")
            for t, bare in zip(self.titles, self.bare_titles, strict=True):
                sim = fuzz.token_set_ratio(bare_job_title, bare)
                if sim > hit[0]:
                    hit = (sim, t)
            self._title[bare_job_title] = hit
        return hit


def occupation_dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Similarity (0-1) of two occupation vectors: their sparse dot product, clipped."""
    if len(a) > len(b):
        a, b = b, a
    return min(1.0, max(0.0, sum(w * b.get(k, 0.0) for k, w in a.items())))


def prepare_profile(profile: CandidateProfile) -> PreparedProfile:
    evidenced: dict[str, bool] = {}
    for s in profile.skills:
        evidenced[s.skill_id] = evidenced.get(s.skill_id, False) or s.evidenced
    if profile.languages:  # spoken languages answer "English", "German" requirements
        taxonomy = load_taxonomy()
        for lang in profile.languages:
            entry = taxonomy.lookup(lang.split("(")[0].strip())
            if entry is not None:
                evidenced[entry.id] = True
    titles = [t for t in [profile.headline, *(e.title for e in profile.experience[:3]),
                          *profile.desired_roles] if t]
    role_titles = [(t, 1.0) for t in [profile.headline, *profile.desired_roles] if t]
    role_titles += [(e.title, 1.0 if i == 0 else OLDER_ROLE_WEIGHT)
                    for i, e in enumerate(profile.experience[:ROLES_COMPARED]) if e.title]
    text_lower = profile.text.lower()
    return PreparedProfile(
        profile=profile, evidenced=evidenced, titles=titles,
        bare_titles=[bare_title(t) for t in titles], text_lower=text_lower,
        words=frozenset(_WORD.findall(text_lower)),
        terms=term_vector(profile.text, CV_TERMS),
        role_titles=list(dict.fromkeys(role_titles)),
    )


@dataclass
class PreparedJob:
    """Per-job data computed once and reused across many CVs."""

    job: JobPosting
    required: list[JobSkill]
    preferred: list[JobSkill]
    certifications: list[str]  # asked for and not already a skill requirement
    bare_title: str
    terms: dict[str, float] = field(default_factory=dict)  # TF-IDF vector (tools.lexical)
    occupation: dict[str, float] = field(default_factory=dict)  # of the title


def prepare_job(job: JobPosting | PreparedJob) -> PreparedJob:
    if isinstance(job, PreparedJob):
        return job
    seen: set[str] = set()
    required: list[JobSkill] = []
    preferred: list[JobSkill] = []
    for group, bucket in ((job.required_skills, required), (job.preferred_skills, preferred)):
        for s in group:
            if s.skill_id not in seen:
                seen.add(s.skill_id)
                bucket.append(s)
    names = {s.name.lower() for s in required + preferred}
    certs = [c for c in dict.fromkeys(job.qualifications.certifications)
             if c.lower() not in names]
    terms, occupation = job_text_signals(job.title, job.text or job.description)
    return PreparedJob(job=job, required=required, preferred=preferred, certifications=certs,
                       bare_title=bare_title(job.title) if job.title else "", terms=terms,
                       occupation=occupation)


@lru_cache(maxsize=1024)
def job_text_signals(title: str | None,
                     text: str) -> tuple[dict[str, float], dict[str, float]]:
    """A posting's term vector (``tools.lexical``) and occupation vector — the per-job work of
    the text similarity and role fit; batch callers may compute it in worker processes.
    Cached (the same postings are explained again and again in a running chat); the returned
    dicts are shared: read them, never change them."""
    terms = term_vector(text, JOB_TERMS)
    return terms, job_occupation(title, terms)


def job_occupation(title: str | None, terms: dict[str, float]) -> dict[str, float]:
    """The job's occupation vector: its title's, corroborated by what its words read like
    (weight TEXT_OCCUPATION_MIX; the words alone when the title names no occupation)."""
    by_title = occupation_weights(title) if title else {}
    by_text = text_occupation_vector(terms)
    if not by_title or not by_text:
        return by_title or by_text
    mix = dict(by_title)
    for key, value in by_text.items():
        mix[key] = mix.get(key, 0.0) + TEXT_OCCUPATION_MIX * value
    norm = math.sqrt(sum(v * v for v in mix.values()))
    return {k: v / norm for k, v in sorted(mix.items())}


# --------------------------------------------------------------------------- factors


@dataclass(slots=True)
class _Factor:
    """A factor's value; comment, evidence and skill lists only on the detailed path."""

    score: float | None
    comment: str = ""
    evidence: list[Evidence] | None = None
    skills: dict[str, list[str]] | None = None  # matched/missing required/preferred names
    scale: float = 1.0  # share of its nominal weight the factor gets (evidence mass)


def _cv_spans(prep: PreparedProfile, skill_id: str | None, limit: int = 2) -> list[Span]:
    if skill_id is None:
        return []
    found = prep._spans.get((skill_id, limit))
    if found is None:  # sorted once per CV and skill (score_match runs for many jobs)
        found = []
        for s in prep.profile.skills:
            if s.skill_id == skill_id:
                # prefer experience evidence over a bare listing
                found = sorted(s.mentions, key=lambda m: (m.section != "experience",
                                                          m.start))[:limit]
                break
        prep._spans[(skill_id, limit)] = found
    return list(found)


_SKILL_LISTS = ("matched_required", "missing_required", "matched_preferred", "missing_preferred")


def _skills_factor(prep: PreparedProfile, pj: PreparedJob, *, detailed: bool,
                   required_share: float | None = None) -> _Factor:
    """Weighted coverage of the job's skills. In the balanced profile each requirement weighs
    REQUIRED_WEIGHT or PREFERRED_WEIGHT times its specificity (``tools.specificity``), and the
    factor's own weight scales with the total (few or generic requirements → it counts less);
    the ATS profile counts requirements the way an applicant-tracking system does (unweighted).
    """
    required, preferred, certs = pj.required, pj.preferred, pj.certifications
    if not required and not preferred and not certs:
        if pj.job.keywords:  # no recognised skills: compare the posting's key terms instead
            kw = _keywords_factor(prep, pj.job)
            kw.comment = "No recognised skills in the job; key terms compared: " + kw.comment
            if required_share is None:
                kw.scale = mass_scale(KEYWORD_MASS * len(pj.job.keywords))
            return kw
        return _Factor(None, "The job lists no skills to compare.")
    get_credit = prep.credit
    # certifications named by the job count as preferred-weight requirements
    cert_hits = [mentions(prep, c) for c in certs] if certs else []
    n_req, n_pref = len(required), len(preferred) + len(certs)
    scale = 1.0
    if required_share is not None:
        req_got = sum(get_credit(js.skill_id)[0] for js in required)
        pref_got = sum(get_credit(js.skill_id)[0] for js in preferred) + sum(cert_hits)
        if n_req and n_pref:
            value = required_share * req_got / n_req + (1 - required_share) * pref_got / n_pref
        else:
            value = (REQUIRED_WEIGHT * req_got + PREFERRED_WEIGHT * pref_got) / (
                REQUIRED_WEIGHT * n_req + PREFERRED_WEIGHT * n_pref)
    else:
        earned = mass = 0.0
        for js in required:
            w = REQUIRED_WEIGHT * skill_weight(js.skill_id)
            earned += w * get_credit(js.skill_id)[0]
            mass += w
        for js in preferred:
            w = PREFERRED_WEIGHT * skill_weight(js.skill_id)
            earned += w * get_credit(js.skill_id)[0]
            mass += w
        earned += PREFERRED_WEIGHT * sum(cert_hits)
        mass += PREFERRED_WEIGHT * len(certs)
        value = earned / mass
        scale = mass_scale(mass)
    out = _Factor(100.0 * value, scale=scale)
    if not detailed:
        return out
    taxonomy = load_taxonomy()
    out.evidence = []
    names: dict[str, list[str]] = {k: [] for k in _SKILL_LISTS}
    out.skills = names
    for group, got, missing, tag in (
        (required, names["matched_required"], names["missing_required"], "required"),
        (preferred, names["matched_preferred"], names["missing_preferred"], "preferred"),
    ):
        for js in group:
            credit, via = prep.credit(js.skill_id)
            (got if credit >= 0.5 else missing).append(js.name)
            if credit <= 0:
                continue
            note = "exact"
            if via and via != js.skill_id:
                entry = taxonomy.get(via)
                note = f"related skill: {entry.name if entry else via}"
            if via and not prep.evidenced.get(via, False):
                note += "; listed but not shown in experience"
            out.evidence.append(Evidence(
                requirement=f"{js.name} ({tag})", job_span=js.span,
                cv_spans=_cv_spans(prep, via), credit=round(credit, 3), note=note))
    for cert, hit in zip(certs, cert_hits, strict=True):
        names["matched_preferred" if hit else "missing_preferred"].append(cert)
    got_pref = len(names["matched_preferred"])
    if n_req:
        out.comment = (f"{len(names['matched_required'])}/{n_req} required skills matched"
                       + (f", {got_pref}/{n_pref} preferred" if n_pref else ""))
    else:
        out.comment = f"{got_pref}/{n_pref} preferred skills matched"
    if scale < 1:
        out.comment += (f"; few or generic requirements recognised, so skills count "
                        f"{scale:.0%} of their weight")
    return out


def mentions(prep: PreparedProfile, phrase: str) -> bool:
    """Whether the CV text contains ``phrase`` (a whole word for single words), the one test
    used for certifications and ATS keywords by both the score and the gaps."""
    phrase = phrase.lower().strip()
    if not phrase:
        return False
    if " " not in phrase and phrase.isalnum():
        return phrase in prep.words
    return phrase in prep.text_lower


def years_score(years: float, job_min: float | None, job_max: float | None) -> float:
    """Graded table: meets → 100; 1 year below → 85, 2 → 70, 3 → 55, 4+ → 40; slightly over
    the maximum (≤2 y) → 95, further over → lower (85 up to 5 y over, then 70)."""
    if job_min is not None and years < job_min:
        return max(40.0, 100.0 - 15.0 * (job_min - years))
    if job_max is not None and years > job_max:
        over = years - job_max
        if over <= 2:
            return 95.0
        return 85.0 if over <= 5 else 70.0
    return 100.0


def seniority_score(cv_rank: int, job_rank: int) -> float:
    diff = cv_rank - job_rank
    if diff == 0:
        return 100.0
    if diff < 0:
        return {-1: 75.0, -2: 50.0}.get(diff, 30.0)
    return 90.0 if diff == 1 else 70.0


def bare_title(title: str) -> str:
    return " ".join(_SENIORITY_WORDS.sub(" ", title).lower().split())


#: Parts of the experience factor (over what is known): years, level, role fit, degree.
YEARS_PART, LEVEL_PART, ROLE_PART, DEGREE_PART = 0.3, 0.1, 0.5, 0.1
#: Recency weight of the CV's older roles (the headline, desired roles and latest role: 1).
OLDER_ROLE_WEIGHT = 0.85
#: Weight of what a posting's words read like, mixed into its title's occupation vector.
TEXT_OCCUPATION_MIX = 0.5
#: Weight of the occupation the CV's words read like (when titles are missing or vague).
CONTENT_ROLE_WEIGHT = 1.0
ROLES_COMPARED = 4

#: Relevance (0-1) at or above which experience counts in full; below it the experience score
#: is scaled down linearly to RELEVANCE_FLOOR at relevance 0.
RELEVANCE_FULL = 0.6
RELEVANCE_FLOOR = 0.3


def _experience_factor(prep: PreparedProfile, pj: PreparedJob, *, detailed: bool,
                       skills_share: float | None = None) -> _Factor:
    """Years (graded table), level, role fit and degree (YEARS_PART, LEVEL_PART, ROLE_PART,
    DEGREE_PART) over what is known.

    Years only count when they are relevant: the result is scaled by how relevant the CV's roles
    are to this job — the role fit when known, else the share of the job's skills matched
    (full credit from RELEVANCE_FULL up, down to RELEVANCE_FLOOR × the score at 0).
    """
    relevance: float | None = skills_share
    profile, job = prep.profile, pj.job
    parts: list[tuple[float, float]] = []  # (weight, score)
    notes: list[str] = []
    evidence: list[Evidence] = []
    years = profile.total_years
    if (job.experience_min is not None or job.experience_max is not None) and years is not None:
        ys = years_score(years, job.experience_min, job.experience_max)
        parts.append((YEARS_PART, ys))
        if detailed:
            ask = _years_ask(job)
            notes.append(f"{years:g} years vs {ask}")
            evidence.append(Evidence(
                requirement=f"experience {ask}", job_span=job.experience_span,
                cv_spans=[e.span for e in profile.experience if e.span][:3],
                credit=round(ys / 100, 3),
                note=_YEARS_NOTE.get(profile.years_source or "", _YEARS_NOTE["dated_roles"])
                .format(years=years)))
    if job.seniority and profile.seniority:
        ss = seniority_score(SENIORITY_RANK[profile.seniority], SENIORITY_RANK[job.seniority])
        parts.append((LEVEL_PART, ss))
        if detailed and ss < 100:
            notes.append(f"{profile.seniority} vs {job.seniority} level")
    role = _role_part(prep, pj)
    if role is not None:
        title_score, how = role
        parts.append((ROLE_PART, title_score))
        relevance = title_score / 100  # the role says how relevant the years are
        if detailed:
            notes.append(f"role fit {title_score:.0f}%")
            evidence.append(Evidence(requirement=f"role: {job.title}",
                                     credit=round(title_score / 100, 3), note=how))
    level = job.qualifications.degree_level
    if level and level != "none" and job.qualifications.degree_required and profile.education:
        have = profile.highest_degree
        ok = have is not None and DEGREE_RANK[have] >= DEGREE_RANK[level]
        parts.append((DEGREE_PART, 100.0 if ok else 40.0))
        if detailed:
            notes.append(f"{level} degree {'met' if ok else 'not shown'}")
            evidence.append(Evidence(requirement=f"{level} degree",
                                     job_span=job.qualifications.span,
                                     credit=1.0 if ok else 0.0,
                                     note=f"highest degree: {have or 'not stated'}"))
    if not parts:
        return _Factor(None, "No experience requirement or no dated experience to compare.")
    value = sum(w * s for w, s in parts) / sum(w for w, _ in parts)
    if relevance is not None and relevance < RELEVANCE_FULL:
        gate = RELEVANCE_FLOOR + (1 - RELEVANCE_FLOOR) * relevance / RELEVANCE_FULL
        value *= gate
        if detailed:
            notes.append(f"counted at {gate:.0%}: your roles are {relevance:.0%} relevant")
    return _Factor(value, "; ".join(notes), evidence)


_YEARS_NOTE = {
    "dated_roles": "{years:g} years in total from your dated roles (overlaps counted once)",
    "stated": "{years:g} years, as stated in your CV (roles not dated)",
    "skill_durations": "{years:g} years, your longest stated skill experience (roles not dated)",
}


def _role_part(prep: PreparedProfile, pj: PreparedJob) -> tuple[float, str] | None:
    """Role fit 0-100 and how it was found: the occupation similarity of the CV (its titles,
    or what its words read like) to the job (its title's occupation, corroborated by its words)
    when both have one; else the token similarity of the titles (0 at 30 % similar, 100 at
    80 %). None when neither is available."""
    if pj.occupation and prep.occupations():
        fit, cv_title = prep.role_fit(pj.occupation)
        where = f"CV title {cv_title!r}" if cv_title else "what your CV's content reads like"
        return 100.0 * fit, f"occupation similarity {fit:.0%} ({where})"
    if not pj.bare_title or not prep.titles:
        return None
    best, best_title = prep.title_similarity(pj.bare_title)
    return (min(100.0, max(0.0, (best - 30.0) / 50.0 * 100.0)),
            f"closest CV title {best_title!r}: {best:.0f}% similar wording")


def _years_ask(job: JobPosting) -> str:
    lo, hi = job.experience_min, job.experience_max
    if lo is not None and hi is not None:
        return f"{lo:g}-{hi:g} required"
    if lo is not None:
        return f"{lo:g}+ required"
    return f"up to {hi:g} wanted"


def location_factor(prep: PreparedProfile, job: JobPosting) -> _Factor:
    profile = prep.profile
    pref = profile.remote_preference
    cand = profile.location
    mode = job.work_mode or ("remote" if job.location and job.location.remote else None)
    if mode is None and (job.location is None or not (job.location.city or job.location.country)):
        return _Factor(None, "The job states no location or work mode.")
    if mode == "remote":
        score, note = 100.0, "Remote role"
        jl = job.location
        if jl and jl.country and cand and cand.country and jl.country != cand.country:
            score, note = 40.0, f"Remote but limited to {jl.country}; you are in {cand.country}"
        if pref == "onsite":
            score, note = min(score, 80.0), note + "; you prefer on-site work"
        return _Factor(score, note)
    if cand is None or not (cand.city or cand.region or cand.country):
        if pref == "remote":
            return _Factor(30.0, f"{mode or 'On-site'} role; you want remote work")
        return _Factor(None, "Your location is not stated.")
    jl = job.location
    sim = prep.location_similarity(jl) if jl else 0.0
    if sim >= 1.0:
        score, where = 100.0, "same city"
    elif sim >= 0.7:
        score, where = 80.0, "same region"
    elif sim >= 0.4:
        score, where = 45.0, "same country, different city"
    else:
        score, where = 15.0, "different country"
    if mode == "hybrid" and score < 100:
        score = max(score - 5.0, 0.0)
    if pref == "remote":
        score *= 0.6
        where += "; you prefer remote"
    elif pref == "onsite" and mode == "hybrid":
        score = min(100.0, score)
    job_where = (jl.raw if jl and jl.raw else "the job's location")
    return _Factor(score, f"{(mode or 'on-site').capitalize()} in {job_where}: {where}")


#: (shortfall as a share of the expectation, score) — linear in between.
SALARY_STEPS = ((0.0, 100.0), (0.05, 90.0), (0.10, 75.0), (0.20, 50.0), (0.30, 25.0),
                 (0.50, 5.0))


def salary_score(expect_min: float, job_max: float) -> float:
    if expect_min <= job_max:
        return 100.0
    gap = (expect_min - job_max) / expect_min
    prev_g, prev_s = SALARY_STEPS[0]
    for g, s in SALARY_STEPS[1:]:
        if gap <= g:
            return prev_s + (s - prev_s) * (gap - prev_g) / (g - prev_g)
        prev_g, prev_s = g, s
    return SALARY_STEPS[-1][1]


def _salary_factor(prep: PreparedProfile, job: JobPosting) -> _Factor:
    js, cs = job.salary, prep.profile.salary_expectation
    if js is None or (js.min is None and js.max is None):
        return _Factor(None, "The job states no salary.")
    if cs is None or (cs.min is None and cs.max is None):
        return _Factor(None, "Your salary expectation is not stated.")
    if js.currency and cs.currency and js.currency != cs.currency:
        return _Factor(None, f"Salary in {js.currency}, expectation in {cs.currency}: "
                             "not compared.")
    job_max = js.max if js.max is not None else js.min
    expect = cs.min if cs.min is not None else cs.max
    assert job_max is not None and expect is not None
    score = salary_score(expect, job_max)
    cur = js.currency
    if score >= 100:
        return _Factor(score, f"Your expectation {format_money(expect, cur)} is within the job's "
                              "range")
    return _Factor(score, f"The job pays up to {format_money(job_max, cur)}, below your "
                          f"{format_money(expect, cur)}")


def _keywords_factor(prep: PreparedProfile, job: JobPosting) -> _Factor:
    if not job.keywords:
        return _Factor(None, "The job has no ATS keywords.")
    found = [k for k in job.keywords if mentions(prep, k)]
    missing = [k for k in job.keywords if k not in found]
    score = 100.0 * len(found) / len(job.keywords)
    comment = f"{len(found)}/{len(job.keywords)} job keywords appear in the CV"
    ev = [Evidence(requirement=f"keyword: {k}", credit=0.0, note="not found in the CV")
          for k in missing[:10]]
    return _Factor(score, comment, ev)


def bullet_quality(bullet: str) -> tuple[bool, bool]:
    """(has a measurable result, is vague)."""
    low = bullet.lower()
    measurable = bool(_NUMBER.search(bullet))
    vague = any(p in low for p in VAGUE_PHRASES)
    first = low.split(" ", 1)[0] if low else ""
    vague = vague or (not measurable and first not in STRONG_VERBS and len(low.split()) < 5)
    return measurable, vague


def _clarity_factor(prep: PreparedProfile) -> _Factor:
    profile = prep.profile
    bullets = [b for e in profile.experience for b in e.bullets]
    if not profile.skills and not bullets:
        return _Factor(None, "No skills or experience bullets to assess.")
    evidenced = sum(1 for v in prep.evidenced.values() if v)
    skill_part = evidenced / len(prep.evidenced) if prep.evidenced else 0.0
    if bullets:
        q = [bullet_quality(b) for b in bullets]
        measurable = sum(1 for m, _ in q if m) / len(q)
        concrete = sum(1 for _, v in q if not v) / len(q)
    else:
        measurable = concrete = 0.0
    score = 100.0 * (0.4 * skill_part + 0.3 * min(1.0, measurable * 2) + 0.3 * concrete)
    comment = (f"{evidenced}/{len(prep.evidenced)} skills backed by experience; "
               f"{measurable:.0%} of bullets quantified")
    return _Factor(score, comment)


# --------------------------------------------------------------------------- assembly


def _cosine(cv_vector: np.ndarray | None, job_vector: np.ndarray | None) -> float | None:
    if cv_vector is None or job_vector is None:
        return None
    return float(np.dot(cv_vector, job_vector))


def lexical_score(cosine: float) -> float:
    """Calibrated 0-100 of a shared-words (TF-IDF) cosine, see LEXICAL_CALIBRATION."""
    return semantic_score(cosine, LEXICAL_CALIBRATION)


def _semantic_factor(cosine: float | None, detailed: bool,
                     calibration: tuple[float, float],
                     prep: PreparedProfile | None = None,
                     pj: PreparedJob | None = None) -> _Factor:
    """Text similarity: the calibrated embedding cosine and the calibrated shared-words cosine,
    EMBEDDING_SHARE / LEXICAL_SHARE (either alone when the other is unknown)."""
    parts: list[tuple[float, float]] = []
    if cosine is not None:
        parts.append((EMBEDDING_SHARE, semantic_score(cosine, calibration)))
    lex: float | None = None
    if prep is not None and pj is not None and prep.terms and pj.terms:
        lex = term_cosine(prep.terms, pj.terms)
        parts.append((LEXICAL_SHARE, lexical_score(lex)))
    if not parts:
        return _Factor(None, "No text to compare.")
    value = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    if not detailed:
        return _Factor(value)
    bits = []
    if cosine is not None:
        bits.append(f"meaning {cosine:.2f} (0 at {calibration[0]:g}, 100 at {calibration[1]:g})")
    evidence = []
    if lex is not None:
        assert prep is not None and pj is not None
        shared = shared_terms(prep.terms, pj.terms)
        bits.append(f"shared distinctive words {lex:.2f}"
                    + (f": {', '.join(shared[:5])}" if shared else ""))
        evidence.append(Evidence(requirement="distinctive words of the posting",
                                 credit=round(lexical_score(lex) / 100, 3),
                                 note="shared: " + (", ".join(shared) if shared else "none")))
    return _Factor(value, "Text similarity: " + "; ".join(bits), evidence)


def _factors(prep: PreparedProfile, pj: PreparedJob, profile_name: ScoringProfile,
             cosine: float | None, detailed: bool,
             calibration: tuple[float, float] = DEFAULT_CALIBRATION) -> dict[str, _Factor]:
    job = pj.job
    skills = _skills_factor(prep, pj, detailed=detailed,
                            required_share=ATS_REQUIRED_SHARE if profile_name == "ats" else None)
    share = None if skills.score is None else skills.score / 100
    experience = _experience_factor(prep, pj, detailed=detailed, skills_share=share)
    if profile_name == "ats":
        return {
            "skills": skills,
            "experience": experience,
            "keywords": _keywords_factor(prep, job),
            "clarity": _clarity_factor(prep),
        }
    return {
        "skills": skills,
        "experience": experience,
        "location": _with_evidence(location_factor(prep, job), detailed, _location_evidence,
                                   prep, job),
        "salary": _with_evidence(_salary_factor(prep, job), detailed, _salary_evidence, prep, job),
        "semantic": _semantic_factor(cosine, detailed, calibration, prep, pj),
    }


def _with_evidence(f: _Factor, detailed: bool,
                   build: Callable[[PreparedProfile, JobPosting, float], Evidence],
                   prep: PreparedProfile, job: JobPosting) -> _Factor:
    if detailed and f.score is not None:
        f.evidence = [build(prep, job, f.score)]
    return f


def _location_evidence(prep: PreparedProfile, job: JobPosting, score: float) -> Evidence:
    jl, cl = job.location, prep.profile.location
    where = (jl.raw if jl and jl.raw else "location not stated")
    mode = job.work_mode or "on-site"
    pref = prep.profile.remote_preference
    return Evidence(requirement=f"{mode} · {where}", credit=round(score / 100, 3),
                    note=f"CV location: {cl.raw if cl and cl.raw else 'not stated'}; "
                         f"work preference: {pref or 'not stated'}")


def _salary_evidence(prep: PreparedProfile, job: JobPosting, score: float) -> Evidence:
    js, cs = job.salary, prep.profile.salary_expectation
    return Evidence(requirement=f"salary: {js.raw if js else ''}".strip(),
                    credit=round(score / 100, 3),
                    note=f"expectation: {cs.raw if cs and cs.raw else 'stated'}; amounts "
                         "compared per year in the same currency")


def _combine(factors: dict[str, _Factor], weights: dict[str, float]) -> tuple[float, float]:
    """Overall 0-100 and confidence (share of nominal weight known)."""
    known_w = total = 0.0
    for n, f in factors.items():
        if f.score is not None:
            known_w += weights[n] * f.scale
            total += weights[n] * f.scale * f.score
    if known_w <= 0:
        return 0.0, 0.0
    return total / known_w, known_w / sum(weights.values())


def _weights_for(profile_name: ScoringProfile, weights: Weights | None) -> dict[str, float]:
    if profile_name == "ats":
        return dict(ATS_WEIGHTS)
    if weights is None and profile_name == "balanced":
        return Weights.preset("balanced").as_dict()
    return (weights or Weights()).as_dict()


def embed_pair(embedder: Embedder, profile: CandidateProfile,
               job: JobPosting) -> tuple[np.ndarray | None, np.ndarray | None]:
    cv_text, job_text = cv_embedding_text(profile), job_embedding_text(job)
    if not cv_text or not job_text:
        return None, None
    vecs = embedder.embed([cv_text, job_text])
    return vecs[0], vecs[1]


def score_match(
    profile: CandidateProfile | PreparedProfile,
    job: JobPosting | PreparedJob,
    weights: Weights | None = None,
    embedder: Embedder | None = None,
    *,
    profile_name: ScoringProfile = "fitted",
    cv_vector: np.ndarray | None = None,
    job_vector: np.ndarray | None = None,
    calibration: tuple[float, float] | None = None,
) -> MatchResult:
    """Score a CV against a job: overall 0-100, grade, label and five explained factors.

    Vectors may be passed precomputed (ranking); otherwise the embedder, when given, embeds
    both texts. Without either, the semantic factor is unknown. ``calibration`` (cosine at
    semantic 0 and 100) defaults to the embedder's own, else :data:`DEFAULT_CALIBRATION`.
    """
    prep = profile if isinstance(profile, PreparedProfile) else prepare_profile(profile)
    pj = prepare_job(job)  # a PreparedJob is reused as is (digests score many CVs per job)
    if embedder is not None and (cv_vector is None or job_vector is None):
        cv_vector, job_vector = embed_pair(embedder, prep.profile, pj.job)
    cal = calibration or (embedder.calibration if embedder is not None else DEFAULT_CALIBRATION)
    w = _weights_for(profile_name, weights)
    factors = _factors(prep, pj, profile_name, _cosine(cv_vector, job_vector),
                       detailed=True, calibration=cal)
    overall, confidence = _combine(factors, w)
    score = int(round(overall))
    known_w = sum(w[n] * f.scale for n, f in factors.items() if f.score is not None) or 1.0
    skills = factors["skills"]
    return MatchResult(
        score=score,
        grade=grade_for(score),
        label=label_for(score),
        recommended=is_recommended(score),
        profile=profile_name,
        factors={
            n: FactorScore(
                name=n,
                score=None if f.score is None else round(f.score, 2),
                weight=w[n],
                effective_weight=(round(w[n] * f.scale / known_w, 4)
                                  if f.score is not None else 0.0),
                contribution=(None if f.score is None
                              else round(w[n] * f.scale / known_w * f.score, 2)),
                comment=f.comment,
                evidence=f.evidence or [],
            )
            for n, f in factors.items()
        },
        unknown_factors=[n for n, f in factors.items() if f.score is None],
        confidence=round(confidence, 3),
        **(skills.skills or {}),
        engine_version=ENGINE_VERSION,
    )


def score_many(
    profile: CandidateProfile | PreparedProfile,
    jobs: Sequence[JobPosting | PreparedJob],
    *,
    weights: Weights | None = None,
    cv_vector: np.ndarray | None = None,
    job_vectors: np.ndarray | None = None,
    profile_name: ScoringProfile = "fitted",
    calibration: tuple[float, float] = DEFAULT_CALIBRATION,
) -> list[float]:
    """Overall scores (unrounded) of one CV against many jobs — the ranking fast path.

    Same arithmetic as :func:`score_match` (whose ``score`` is ``round`` of these values), but no
    evidence is built. ``job_vectors`` is an (n, dim) matrix aligned with ``jobs``.
    """
    prep = profile if isinstance(profile, PreparedProfile) else prepare_profile(profile)
    w = _weights_for(profile_name, weights)
    cosines: list[float | None]
    if cv_vector is not None and job_vectors is not None and len(jobs):
        cosines = [float(c) for c in job_vectors @ cv_vector]
    else:
        cosines = [None] * len(jobs)
    out = []
    for job, cos in zip(jobs, cosines, strict=True):
        factors = _factors(prep, prepare_job(job), profile_name, cos, detailed=False,
                           calibration=calibration)
        out.append(_combine(factors, w)[0])
    return out
