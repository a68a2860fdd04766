"""Deterministic fit scoring: a CandidateProfile against a JobPosting (engine 2.0).

Pure functions over the domain models (no frameworks, no I/O). Every factor yields a 0-100
score or ``None`` (unknown: no data on one side), a one-line comment and evidence. Unknown
factors are left out and the remaining weights renormalised; ``confidence`` is the share of
nominal weight that could be scored. A factor may also count for less than its weight
(``Factor.scale``): the skills factor when the job's recognised requirements weigh little.

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

This module assembles the factors (:mod:`tools.factors`) into a :class:`MatchResult`. For
ranking many jobs, :func:`tools.preparation.prepare_profile` does the per-CV work once and
:func:`score_many` returns the same overall scores as :func:`score_match` without building
evidence models.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

from tools.factors import (
    DEFAULT_CALIBRATION,
    Factor,
    clarity_factor,
    experience_factor,
    keywords_factor,
    location_factor,
    salary_factor,
    semantic_factor,
    skills_factor,
)
from tools.ports import Embedder
from tools.preparation import PreparedJob, PreparedProfile, prepare_job, prepare_profile
from tools.schemas import CandidateProfile, Evidence, FactorScore, JobPosting, MatchResult, Weights

#: Cached analyses, the stage-1 snapshot and imported postings' content hashes carry it: a new
#: version re-scores, rebuilds, and re-parses a posting when it is imported again.
ENGINE_VERSION = "2.1.0"

#: "fitted" (default: weights fitted on real labelled data), "balanced" (the seed weights),
#: "ats" (scores like an applicant-tracking system).
ScoringProfile = Literal["fitted", "balanced", "ats"]

ATS_WEIGHTS: dict[str, float] = {"skills": 0.50, "experience": 0.25, "keywords": 0.15,
                                 "clarity": 0.10}
#: Inside the ATS skills factor: required 40 points, preferred 10.
ATS_REQUIRED_SHARE = 0.8


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



# --------------------------------------------------------------------------- assembly


def _cosine(cv_vector: np.ndarray | None, job_vector: np.ndarray | None) -> float | None:
    if cv_vector is None or job_vector is None:
        return None
    return float(np.dot(cv_vector, job_vector))



def _factors(prep: PreparedProfile, pj: PreparedJob, profile_name: ScoringProfile,
             cosine: float | None, detailed: bool,
             calibration: tuple[float, float] = DEFAULT_CALIBRATION) -> dict[str, Factor]:
    job = pj.job
    skills = skills_factor(prep, pj, detailed=detailed,
                            required_share=ATS_REQUIRED_SHARE if profile_name == "ats" else None)
    share = None if skills.score is None else skills.score / 100
    experience = experience_factor(prep, pj, detailed=detailed, skills_share=share)
    if profile_name == "ats":
        return {
            "skills": skills,
            "experience": experience,
            "keywords": keywords_factor(prep, job),
            "clarity": clarity_factor(prep),
        }
    return {
        "skills": skills,
        "experience": experience,
        "location": _with_evidence(location_factor(prep, job), detailed, _location_evidence,
                                   prep, job),
        "salary": _with_evidence(salary_factor(prep, job), detailed, _salary_evidence, prep, job),
        "semantic": semantic_factor(cosine, detailed, calibration, prep, pj),
    }


def _with_evidence(f: Factor, detailed: bool,
                   build: Callable[[PreparedProfile, JobPosting, float], Evidence],
                   prep: PreparedProfile, job: JobPosting) -> Factor:
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


def _combine(factors: dict[str, Factor], weights: dict[str, float]) -> tuple[float, float]:
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
