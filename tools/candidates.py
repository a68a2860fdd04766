"""One job, many candidates: rank a pool of CVs, explain each row, compare a few side by side.

The recruiter's direction uses the candidate side's engine unchanged: every CV is scored
against the job by :func:`tools.scoring.score_many` (stage 1, all candidates, no evidence) and
the best ``top`` again by :func:`tools.scoring.score_match` (stage 2, with evidence), so a
candidate's score here is the score they would see for this job themselves — of their CV's
*neutral* text (:func:`tools.blind.neutral_text`): name, contact details, age, gender and
address cues never reach the engine.

What does not depend on the job (the CV's TF-IDF vector and what its titles and words read like
as occupations: two thirds of the work) is computed once per candidate
(:func:`candidate_features`) and kept with the pool, so ranking 1,000 parsed CVs for a new job
is only the per-pair arithmetic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from tools.blind import blind_label, neutral_text, text_hash
from tools.factors import DEFAULT_CALIBRATION
from tools.preparation import PreparedJob, PreparedProfile, prepare_job, prepare_profile
from tools.schemas import CandidateProfile, JobPosting, MatchResult, Weights
from tools.scoring import cv_embedding_text, grade_for, score_many, score_match

#: Two rounded scores this close (and not equal) are a near-tie, and the row says so.
NEAR_TIE = 2


@dataclass
class Candidate:
    """A CV in a pool, as ranking needs it.

    ``profile`` is parsed from the neutral text (what is scored and shown while blind);
    ``name`` and ``file_name`` are shown only when the candidate is revealed.
    """

    cv_id: str
    profile: CandidateProfile
    content_hash: str = ""
    vector: np.ndarray | None = None
    features: dict[str, Any] | None = None
    name: str | None = None
    file_name: str | None = None
    revealed: bool = False
    _prepared: PreparedProfile | None = field(default=None, repr=False)

    @property
    def label(self) -> str:
        """What lists show: the name (or id) once revealed, else the anonymous label."""
        if self.revealed:
            return self.name or self.file_name or self.cv_id
        return self.cv_id

    def prepared(self) -> PreparedProfile:
        if self._prepared is None:
            self._prepared = prepare_candidate(self.profile, self.features)
        return self._prepared


def read_candidate(text: str, *, cv_id: str | None = None, file_name: str | None = None,
                   parse: Any = None) -> Candidate:
    """Parse one CV for a pool: its personal details from the text as written, the profile
    that is scored from its neutral text. ``cv_id`` defaults to the anonymous label."""
    if parse is None:
        from tools.parsing.cv import parse_cv as parse
    original = parse(text)
    profile = parse(neutral_text(text, original.personal))
    digest = text_hash(text)
    return Candidate(cv_id=cv_id or blind_label(digest), profile=profile, content_hash=digest,
                     features=candidate_features(profile), name=original.personal.name,
                     file_name=file_name)


def candidate_features(profile: CandidateProfile) -> dict[str, Any]:
    """The job-independent parts of scoring a CV, JSON-able: its TF-IDF vector and the
    occupations its titles and words read like."""
    prep = prepare_profile(profile)
    return {"terms": prep.terms,
            "occupations": [[vec, weight, title] for vec, weight, title in prep.occupations()]}


def prepare_candidate(profile: CandidateProfile,
                      features: dict[str, Any] | None) -> PreparedProfile:
    """``prepare_profile(profile)``, with the stored job-independent parts reused (equal
    results, tested); without ``features``, plain ``prepare_profile``."""
    if not features:
        return prepare_profile(profile)
    prep = prepare_profile(profile.model_copy(update={"text": ""}))
    from tools.preparation import _WORD

    prep.profile = profile
    prep.text_lower = profile.text.lower()
    prep.words = frozenset(_WORD.findall(prep.text_lower))
    prep.terms = {str(k): float(v) for k, v in features["terms"].items()}
    prep._occupations = [({str(k): float(v) for k, v in vec.items()}, float(w), str(t))
                         for vec, w, t in features["occupations"]]
    return prep


@dataclass
class CandidateRow:
    """One ranked candidate: the score card's essentials, for a list, a card or an export."""

    rank: int
    candidate: Candidate
    value: float  # unrounded overall score (the order)
    result: MatchResult | None  # with evidence for the explained rows, None beyond them
    strongest: str = ""
    biggest_gap: str = ""
    must_met: list[str] = field(default_factory=list)
    must_missing: list[str] = field(default_factory=list)
    tie: str = ""

    @property
    def score(self) -> int:
        return self.result.score if self.result is not None else int(round(self.value))

    @property
    def grade(self) -> str:
        return self.result.grade if self.result is not None else grade_for(self.score)

    @property
    def confidence(self) -> float | None:
        return self.result.confidence if self.result is not None else None

    def breakdown(self) -> dict[str, int | None]:
        return self.result.breakdown() if self.result is not None else {}

    def as_json(self) -> dict[str, Any]:
        """The ``rank-candidates --json`` row: cv_id, score, grade, breakdown."""
        return {"cv_id": self.candidate.cv_id, "score": self.score, "grade": self.grade,
                "breakdown": self.breakdown()}


def rank_candidates(
    job: JobPosting | PreparedJob,
    candidates: Sequence[Candidate],
    *,
    job_vector: np.ndarray | None = None,
    weights: Weights | None = None,
    calibration: tuple[float, float] = DEFAULT_CALIBRATION,
    top: int | None = 20,
    explain: int | None = None,
) -> list[CandidateRow]:
    """The candidates best first (ties by ``cv_id``), at most ``top`` (None = all).

    The first ``explain`` rows (default: all returned) are scored again with evidence and get
    their strongest reason, biggest gap and must-haves. Semantic similarity is used when
    ``job_vector`` and every candidate's vector are given, else it is unknown for all (so
    that candidates are compared on the same factors).
    """
    pj = prepare_job(job)
    semantic = job_vector is not None and all(c.vector is not None for c in candidates)
    job_matrix = job_vector[None, :] if semantic and job_vector is not None else None
    values = [score_many(c.prepared(), [pj], weights=weights,
                         cv_vector=c.vector if semantic else None, job_vectors=job_matrix,
                         calibration=calibration)[0]
              for c in candidates]
    order = sorted(range(len(candidates)), key=lambda i: (-values[i], candidates[i].cv_id))
    if top is not None:
        order = order[:top]
    n_explain = len(order) if explain is None else min(explain, len(order))
    rows = []
    for rank, i in enumerate(order, 1):
        cand = candidates[i]
        result = None
        if rank <= n_explain:
            result = score_match(cand.prepared(), pj.job, weights,
                                 cv_vector=cand.vector if semantic else None,
                                 job_vector=job_vector if semantic else None,
                                 calibration=calibration)
        rows.append(_row(rank, cand, values[i], result))
    _mark_ties(rows)
    return rows


def explain_rows(
    job: JobPosting | PreparedJob, rows: Sequence[CandidateRow], *,
    job_vector: np.ndarray | None = None, weights: Weights | None = None,
    calibration: tuple[float, float] = DEFAULT_CALIBRATION,
) -> list[CandidateRow]:
    """The given rows (e.g. chosen for a comparison from a ranking with ``explain=0``) scored
    with evidence, keeping their ranks and tie notes."""
    pj = prepare_job(job)
    semantic = job_vector is not None and all(r.candidate.vector is not None for r in rows)
    out = []
    for r in rows:
        if r.result is not None:
            out.append(r)
            continue
        cand = r.candidate
        result = score_match(cand.prepared(), pj.job, weights,
                             cv_vector=cand.vector if semantic else None,
                             job_vector=job_vector if semantic else None,
                             calibration=calibration)
        row = _row(r.rank, cand, r.value, result)
        row.tie = r.tie
        out.append(row)
    return out


def _row(rank: int, cand: Candidate, value: float, result: MatchResult | None) -> CandidateRow:
    row = CandidateRow(rank=rank, candidate=cand, value=value, result=result)
    if result is None:
        return row
    row.must_met = list(result.matched_required)
    row.must_missing = list(result.missing_required)
    known = [f for f in result.factors.values() if f.score is not None and f.contribution]
    if known:
        best = max(known, key=lambda f: (f.contribution or 0.0, f.name))
        row.strongest = f"{best.name} {best.score:.0f}: {_short(best.comment)}"
    if result.missing_required:
        more = len(result.missing_required) - 1
        row.biggest_gap = ("missing required " + result.missing_required[0]
                           + (f" (+{more} more)" if more > 0 else ""))
    else:
        losses = [(f.effective_weight * (100 - f.score), f) for f in result.factors.values()
                  if f.score is not None and f.score < 100]
        if losses:
            loss, worst = max(losses, key=lambda t: (t[0], t[1].name))
            row.biggest_gap = f"{worst.name} {worst.score:.0f}: {_short(worst.comment)}"
    return row


def _short(comment: str, limit: int = 70) -> str:
    """A factor's comment up to its first clause, at most ``limit`` characters."""
    first = comment.split(";")[0].strip().rstrip(".")
    return first if len(first) <= limit else first[:limit - 1].rstrip() + "…"


def _mark_ties(rows: list[CandidateRow]) -> None:
    for i, row in enumerate(rows):
        notes = []
        for j in (i - 1, i + 1):
            if 0 <= j < len(rows):
                other = rows[j]
                gap = abs(other.score - row.score)
                if gap == 0:
                    notes.append(f"tied with {other.candidate.label}")
                elif gap <= NEAR_TIE:
                    notes.append(f"near-tie with {other.candidate.label} ({gap} pt)")
        row.tie = "; ".join(notes)


def reveal(rows: Sequence[CandidateRow], cv_ids: set[str] | None = None) -> list[CandidateRow]:
    """The rows with the named candidates (all when None) revealed, ties relabelled."""
    out = [replace(r, candidate=replace(r.candidate, revealed=(
        cv_ids is None or r.candidate.cv_id in cv_ids or r.candidate.revealed)))
        for r in rows]
    _mark_ties(out)
    return out


def cv_embedding_texts(candidates: Sequence[Candidate]) -> list[str]:
    """The texts to embed, one per candidate (of the neutral profile)."""
    return [cv_embedding_text(c.profile) for c in candidates]
