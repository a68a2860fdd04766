"""One CV against one job, in depth: score and gaps (cached), pasted postings, comparisons of
jobs or CVs, the skills that would raise the owner's scores most, and tailoring.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from agent.finder import FinderOps
from agent.service_core import CurrentCV
from agent.service_types import (
    MAX_TEXT_CHARS,
    MIN_JOB_TEXT,
    PASTED_ID,
    Analysis,
    NoCVError,
)
from tools.errors import InvalidInputError
from tools.schemas import MatchResult

if TYPE_CHECKING:
    from tools.insights import SkillImpact
    from tools.matching import StoredJob
    from tools.schemas import CandidateProfile, JobPosting
    from tools.scoring import ScoringProfile
    from tools.tailoring import Rewriter, TailoredCV, TailoringOption

logger = logging.getLogger(__name__)


class AnalysisOps(FinderOps):
    """Analyses, comparisons, skill insights and tailoring."""

    def _analyse_stored(self, owner_id: str, current: CurrentCV, stored: StoredJob) -> Analysis:
        from tools.gaps import find_gaps
        from tools.scoring import ENGINE_VERSION, score_match

        key = (owner_id, current.cv_id, stored.id,
               f"{stored.content_hash}:{current.expectations}")
        found = self._analyses.get(key)
        if found is not None:
            return found.model_copy(update={"cached": True})
        job_vec = self._job_vectors([stored]).get(stored.id) if current.vector is not None \
            else None
        cv_vec = current.vector if job_vec is not None else None
        result = self.cache.get(current.cv_hash, stored.content_hash, self._weights_key(current),
                                ENGINE_VERSION)
        cached = result is not None
        if result is None:
            result = score_match(current.profile, stored.posting, self.weights,
                                 cv_vector=cv_vec, job_vector=job_vec,
                                 calibration=self.calibration)
            self.cache.put(current.cv_hash, stored.content_hash, self._weights_key(current),
                           ENGINE_VERSION, result)
        gaps = find_gaps(current.profile, stored.posting, result=result, weights=self.weights,
                         cv_vector=cv_vec, job_vector=job_vec, calibration=self.calibration)
        analysis = Analysis(job=self._card(stored.id, stored.posting, result), result=result,
                            gaps=gaps, cv_id=current.cv_id, cached=cached)
        self._analyses.put(key, analysis)
        return analysis

    def parse_posting(self, job_text: str) -> JobPosting:
        """A pasted posting, parsed (not stored). Raises InvalidInputError."""
        from tools.parsing.job import parse_job

        text = (job_text or "").strip()
        if len(text) < MIN_JOB_TEXT:
            raise InvalidInputError("That is too short to be a job posting; paste the whole ad.")
        if len(text) > MAX_TEXT_CHARS:
            raise InvalidInputError("That posting is too long.")
        if "\n" not in text and len(text) > 120:
            # one pasted paragraph: a line per sentence, so the first one can be read as the
            # header ("Senior Java Developer at Acme, Tel Aviv (hybrid).") - same length
            text = re.sub(r"(?<=[.!?;]) (?=[A-Z])", "\n", text)
        posting = parse_job(text)
        if not (posting.all_skills or posting.keywords or posting.title):
            raise InvalidInputError("I could not find a job in that text.")
        return posting

    def _pasted(self, job_text: str) -> StoredJob:
        """A pasted posting as a job with id "0" (never stored; content-addressed)."""
        from store.cache import content_hash
        from tools.matching import StoredJob

        posting = self.parse_posting(job_text)
        return StoredJob(id=PASTED_ID, content_hash=content_hash(job_text), posting=posting)

    def _job(self, job_ref: str | None, job_text: str | None,
             owner_id: str | None = None) -> StoredJob:
        if (job_ref is None) == (job_text is None):
            raise InvalidInputError("Which job? Give its id, its position in the list, or "
                                    "paste the posting.")
        return (self._pasted(job_text) if job_text is not None
                else self._stored(job_ref or "", owner_id))

    def analyse(self, owner_id: str, job_ref: str | None = None, *,
                job_text: str | None = None) -> Analysis:
        """Score and gaps of the current CV for a stored job or a pasted posting."""
        job = self._job(job_ref, job_text, owner_id)
        return self._analyse_stored(owner_id, self._current_cv(owner_id), job)

    def compare_jobs(self, owner_id: str, job_refs: Sequence[str]) -> list[Analysis]:
        """The current CV against several jobs, best first."""
        refs = list(dict.fromkeys(r for r in job_refs if str(r).strip()))
        if len(refs) < 2:
            raise InvalidInputError("Give at least two jobs to compare.")
        if len(refs) > 10:
            raise InvalidInputError("I can compare at most 10 jobs at a time.")
        current = self._current_cv(owner_id)
        out = [self._analyse_stored(owner_id, current, self._stored(r, owner_id)) for r in refs]
        return sorted(out, key=lambda a: (-a.result.score, a.job.ref))

    def compare_cvs(self, owner_id: str, job_ref: str,
                    cv_ids: Sequence[int] | None = None) -> list[Analysis]:
        """Several of the owner's CVs (default: all) against one job, best first."""
        from store.repo import NotFoundError

        stored = self._stored(job_ref, owner_id)
        if cv_ids is None:
            records = self.cvs.list(owner_id)
        else:
            records = []
            for cv_id in dict.fromkeys(cv_ids):
                rec = self.cvs.get(owner_id, int(cv_id))
                if rec is None:
                    raise NotFoundError(f"You have no CV with id {cv_id}.")
                records.append(rec)
        if not records:
            raise NoCVError("You have no CV yet: paste it or upload a file (PDF, DOCX, TXT).")
        out = []
        for rec in records[-10:]:
            assert rec.id is not None
            current = self._current.get(owner_id)
            if current is None or current.cv_id != rec.id:
                current = self._remember_cv(owner_id, rec.id, rec.content_hash,
                                            self.cvs.profile(rec))
            out.append(self._analyse_stored(owner_id, current, stored))
        self._current.drop(lambda k: k == owner_id)  # the latest CV is re-read next time
        return sorted(out, key=lambda a: (-a.result.score, a.cv_id or 0))

    def skill_insights(self, owner_id: str, *, k: int = 10) -> tuple[list[SkillImpact], int]:
        """Skills that would raise the owner's scores most over their top ``k`` matches, and how
        many matches were measured: the engine's counterfactual re-scoring aggregated by
        :func:`tools.insights.skill_impacts` (the same function the digests use)."""
        from tools.insights import ImpactJob, skill_impacts

        cards = self.best_matches(owner_id, k=k, min_score=0)
        current = self._current_cv(owner_id)
        stored = [self._stored(str(c.ref), owner_id) for c in cards if c.ref]
        vectors = self._job_vectors(stored) if current.vector is not None else {}
        jobs = [ImpactJob(s.id, s.posting, vectors.get(s.id)) for s in stored]
        impacts = skill_impacts(current.profile, jobs, weights=self.weights,
                                cv_vector=current.vector, calibration=self.calibration,
                                limit=8)
        return impacts, len(jobs)

    def _score_fn(self, stored: StoredJob, profile_name: ScoringProfile = "fitted"
                  ) -> Callable[[CandidateProfile], MatchResult]:
        """Scores any version of a CV against this job exactly as analyses do (or with the
        engine's ``ats`` / ``balanced`` profile: tailoring reports them before → after)."""
        from tools.scoring import cv_embedding_text, score_match

        weights = self.weights if profile_name == "fitted" else None

        job_vec = self._job_vectors([stored]).get(stored.id)

        def score(profile: CandidateProfile) -> MatchResult:
            cv_vec = None
            text = cv_embedding_text(profile)
            if self.embedder is not None and job_vec is not None and text:
                cv_vec = self.embedder.embed([text])[0]
            return score_match(profile, stored.posting, weights, cv_vector=cv_vec,
                               job_vector=job_vec if cv_vec is not None else None,
                               calibration=self.calibration, profile_name=profile_name)

        return score

    def _profile_scores(self, stored: StoredJob) -> dict[str, Callable[[CandidateProfile],
                                                                       MatchResult]]:
        return {name: self._score_fn(stored, name) for name in ("ats", "balanced")}

    def tailoring_options(self, owner_id: str, job_ref: str | None = None, *,
                          job_text: str | None = None) -> list[TailoringOption]:
        """What can be changed in the current CV for this job (stored, or a pasted posting),
        each with its impact."""
        from tools import tailoring

        current = self._current_cv(owner_id)
        stored = self._job(job_ref, job_text, owner_id)
        analysis = self._analyse_stored(owner_id, current, stored)
        return list(tailoring.tailoring_options(current.profile, stored.posting, analysis.gaps,
                                                score=self._score_fn(stored),
                                                scores=self._profile_scores(stored),
                                                evidence=True))

    def tailor(self, owner_id: str, job_ref: str | None, option_ids: Sequence[str], *,
               rewriter: Rewriter | None = None, job_text: str | None = None,
               additions: Sequence[str] = ()) -> TailoredCV:
        """The current CV tailored for a job with the chosen options ("all": every option)
        and the user's own lines (``additions``, "role: sentence", see tailoring.evidence).

        Nothing is invented: lines adding skills, employers, titles, degrees, dates or numbers
        the original lacks are reverted (reported in ``violations``).
        """
        from tools import tailoring

        current = self._current_cv(owner_id)
        stored = self._job(job_ref, job_text, owner_id)
        score = self._score_fn(stored)
        chosen = [str(o) for o in option_ids]
        if not chosen and not additions:
            raise InvalidInputError("Pick at least one change (or \"all\").")
        # "all" is expanded by tailor_cv itself: an action with nothing to change is a no-op
        return tailoring.tailor_cv(current.profile, stored.posting, chosen, rewriter=rewriter,
                                   score=score, scores=self._profile_scores(stored),
                                   additions=list(additions))
