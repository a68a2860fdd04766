"""Scoring a tailored CV fairly: parse the rendered Markdown again, carry the caller's
overrides, check it reads as the same person with the same roles."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from tools.parsing.cv import parse_cv
from tools.preparation import prepare_profile
from tools.schemas import CandidateProfile, JobPosting, MatchResult
from tools.scoring import score_match
from tools.tailoring.analysis import _Analysis
from tools.tailoring.document import _Doc
from tools.tailoring.models import ScoreFn
from tools.tailoring.render import _markdown, _plan, _render


def _default_score(job: JobPosting) -> ScoreFn:
    def score(profile: CandidateProfile) -> MatchResult:
        return score_match(prepare_profile(profile), job)

    return score


_OVERRIDABLE = ("location", "remote_preference", "salary_expectation", "desired_roles",
                "total_years", "seniority", "languages")


def _overrides(profile: CandidateProfile, parsed: CandidateProfile) -> dict[str, Any]:
    """Fields the caller set differently from what the CV text says (preferences, an older
    reference date): they apply to the tailored CV too, so the comparison is fair."""
    if not profile.text:
        return {}
    return {f: getattr(profile, f) for f in _OVERRIDABLE
            if getattr(profile, f) != getattr(parsed, f)}


def _reparse(markdown: str, overrides: dict[str, Any], today: date | None) -> CandidateProfile:
    p = parse_cv(markdown, today=today)
    return p.model_copy(update=overrides) if overrides else p


def _run_scores(doc: _Doc, an: _Analysis, actions: Sequence[str], score: ScoreFn,
                overrides: dict[str, Any], today: date | None) -> tuple[str, int]:
    md = _markdown(_render(doc, an, _plan(an, actions)))
    return md, score(_reparse(md, overrides, today)).score


def _faithful(new: CandidateProfile, old: CandidateProfile) -> bool:
    """The tailored CV reads as the same person with the same roles and education."""
    return (_entries_key(new) == _entries_key(old)
            and [e.model_dump() for e in new.education] == [e.model_dump() for e in old.education]
            and (new.personal.name, new.personal.email, new.personal.phone)
            == (old.personal.name, old.personal.email, old.personal.phone))


def _entries_key(p: CandidateProfile) -> list[tuple[str, str, str, str]]:
    """Experience entries as sorted (title, company, start, end): order-free."""
    return sorted((e.title or "", e.company or "", e.start or "", e.end or "")
                  for e in p.experience)


def _render_plan(doc: _Doc, an: _Analysis, actions: Sequence[str]) -> str:
    """The CV rendered with ``actions`` (roles in their order), as Markdown."""
    return _markdown(_render(doc, an, _plan(an, actions)))
