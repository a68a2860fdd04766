"""Tailoring's public data: the option ids, an option, a violation, a tailored CV, the
rewriter port and the score function type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, Protocol, get_args

from tools.schemas import CandidateProfile, MatchResult, Model
from tools.tailoring.effect import TailoringEffect

TailoringAction = Literal[
    "emphasise_skills", "reorder_experience", "add_keywords", "quantify_bullets", "drop_irrelevant"
]
#: Option ids, in the order options are listed.
ACTIONS: tuple[TailoringAction, ...] = get_args(TailoringAction)
#: What "all" stands for: every option except dropping content, which only the user can pick.
ALL_ACTIONS: tuple[TailoringAction, ...] = tuple(a for a in ACTIONS if a != "drop_irrelevant")

ViolationKind = Literal["skill", "employer", "title", "degree", "date", "number"]

#: Skills named in the summary's lead line.
MAX_LEAD_SKILLS = 8
#: Bullets sent to a rewriter (the most relevant first), besides the summary.
MAX_REWRITTEN_BULLETS = 12
#: Bullets listed by the quantify option.
MAX_QUANTIFY_NOTES = 8


class TailoringOption(Model):
    """One checkbox the user can tick."""

    id: str
    label: str
    impact: int  # points gained overall with this option alone (measured by re-scoring)
    #: "show_in_role": a request for the user's own line (tailoring.evidence), not a checkbox
    action: TailoringAction | Literal["show_in_role"]
    detail: str
    default: bool
    #: ATS keyword match, required skills shown in a role with a result, the ATS-profile and
    #: balanced scores, before → after this option alone
    effect: TailoringEffect | None = None
    measured: str = ""  # what moved, in words: "ATS keyword match 14/30 (47%) → 15/30 (50%)"
    #: show_in_role: how to answer in the chat ("Reply: add to <a role of the CV>: <...>")
    prompt: str = ""


class EvidenceRequest(Model):
    """A required skill the CV mentions but does not show in a role with a result."""

    skill: str  # canonical name
    skill_id: str
    where: str  # "listed only" or "in a role, without a result"
    roles: list[str]  # the CV's roles, "Title at Company", for the user to pick from


class Addition(Model):
    """A sentence of the user's, placed as a bullet in one of the CV's roles."""

    role: str  # the role it was placed in, "Title at Company"
    text: str  # the bullet as placed
    skills: list[str]  # canonical names of the skills it names
    with_result: bool  # carries a measurable result (a number)


class Violation(Model):
    """A fact in tailored text that the original CV does not contain."""

    kind: ViolationKind
    term: str
    line: str
    reverted_to: str | None = None
    reason: str


class TailoredCV(Model):
    markdown: str
    before: int
    after: int
    applied: list[str]
    violations: list[Violation]
    notes: list[str]
    effect: TailoringEffect | None = None  # the four measures, before → after
    measured: list[str] = []  # one line per measure, "ATS-profile score: 71 → 74"
    #: the user's own sentences placed in their roles (source: the user, see tailoring.evidence)
    added: list[Addition] = []


class Rewriter(Protocol):
    """Rewrites a summary or a bullet for a job (an LLM adapter implements it)."""

    def rewrite(self, *, section: str, text: str, job_title: str, keywords: list[str]) -> str: ...


ScoreFn = Callable[[CandidateProfile], MatchResult]
