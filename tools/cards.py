"""The channel-neutral card model: what a score card, job list, gap list, tailoring checklist
or digest says, once, for every channel.

Cards are built from the deterministic engine's results (``MatchResult``, ``GapReport``,
tailoring options) or from the chat tools' result dicts (``agent/registry.py``: the same data
as JSON), and rendered by ``ui/renderers`` to Markdown, Slack Block Kit, Teams Adaptive Cards,
e-mail HTML and the web chat's custom elements. A card holds numbers and words only: no
channel markup, no personal contact data.

Actions on a job row are named by :data:`JOB_ACTIONS`; renderers turn them into buttons whose
payload is ``{"action": name, "job_ref": ref}`` (the channel's user id comes from the verified
request, never from the payload).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.schemas import GapReport, MatchResult

#: The five sub-scores, in display order, with their labels.
FACTORS: tuple[tuple[str, str], ...] = (
    ("skills", "Skills"), ("experience", "Experience"), ("location", "Location"),
    ("salary", "Salary"), ("semantic", "Text similarity"))
#: Buttons of a job row: action name -> label.
JOB_ACTIONS: tuple[tuple[str, str], ...] = (
    ("analyse", "Analyse"), ("gaps", "Gaps"), ("tailor", "Tailor"),
    ("interested", "Interested"), ("applied", "Applied"), ("dismiss", "Dismiss"))
#: Feedback actions and the service status each records.
FEEDBACK_ACTIONS: dict[str, str] = {"interested": "interested", "applied": "applied",
                                    "dismiss": "dismissed"}

Band = Literal["green", "blue", "amber", "red", "grey"]


def band(score: float | None) -> Band:
    """Colour band of a score: green >= 80, blue >= 60, amber >= 40, red below, grey unknown."""
    if score is None:
        return "grey"
    if score >= 80:
        return "green"
    if score >= 60:
        return "blue"
    if score >= 40:
        return "amber"
    return "red"


class _Card(BaseModel):
    model_config = ConfigDict(extra="forbid")


class JobRef(_Card):
    """The job a card is about (as lists show it)."""

    ref: int | None = None  # database id: the handle buttons carry (None: a pasted posting)
    job_id: str | None = None  # the source's external id
    title: str = "Untitled job"
    company: str = ""
    location: str = ""
    remote: str = ""
    salary: str = ""
    url: str = ""
    position: int | None = None  # place in the list shown ("the second one")
    score: int | None = None  # the job's fit score when the list had a CV to score with
    grade: str = ""
    also_on: list[str] = Field(default_factory=list)  # other sources listing the same job


class SubScore(_Card):
    """One of the five sub-scores; ``score`` None means unknown (left out, never a match)."""

    name: str
    label: str
    score: int | None = None
    points: float | None = None  # what it adds to the overall score
    weight: float | None = None  # its share of the score after renormalising (0-1)
    comment: str = ""  # the engine's one-line explanation

    @property
    def known(self) -> bool:
        return self.score is not None


class GapItem(_Card):
    message: str
    impact: int = 0  # points gained if closed
    severity: str = ""
    target: str = ""
    suggestion: str = ""
    section: str = ""


class ScoreCard(_Card):
    kind: Literal["score"] = "score"
    job: JobRef
    score: int
    grade: str = ""
    label: str = ""
    band: Band = "grey"
    sub_scores: list[SubScore]
    matched: list[str] = Field(default_factory=list)  # required skills the CV shows
    missing: list[str] = Field(default_factory=list)  # required skills it lacks
    matched_preferred: list[str] = Field(default_factory=list)
    missing_preferred: list[str] = Field(default_factory=list)
    top_gaps: list[GapItem] = Field(default_factory=list)
    reasons: list[str] = Field(default_factory=list)
    confidence: int | None = None  # percent of the weights that could be scored
    recommended: bool = False
    notes: list[str] = Field(default_factory=list)  # wording advice worth no points

    @property
    def unknown(self) -> list[str]:
        return [s.label for s in self.sub_scores if s.score is None]


class JobRow(_Card):
    job: JobRef
    score: int | None = None
    grade: str = ""
    band: Band = "grey"
    actions: list[str] = Field(default_factory=lambda: [a for a, _ in JOB_ACTIONS])
    sub_scores: list[SubScore] = Field(default_factory=list)  # when the list was scored


class JobList(_Card):
    kind: Literal["job_list"] = "job_list"
    title: str = "Jobs"
    rows: list[JobRow] = Field(default_factory=list)
    empty_text: str = "No job matches that."
    note: str = ""  # e.g. how many jobs the user's preferences hid, and how to see them


class GapList(_Card):
    kind: Literal["gaps"] = "gaps"
    job: JobRef
    score: int | None = None
    band: Band = "grey"
    gaps: list[GapItem] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # wording advice worth no points


#: The action of a checklist option that asks for the user's own line (``show_in_role:<skill>``,
#: ``tools.tailoring.evidence``): a prompt to answer in the chat, never a checkbox.
PROMPT_ACTION = "show_in_role"

ItemKind = Literal["change", "prompt"]


class ChecklistItem(_Card):
    id: str
    label: str
    impact: int = 0
    action: str = ""
    detail: str = ""
    default: bool = True
    #: what the option moves, before -> after ("ATS keyword match 14/30 (47%) -> 15/30 (50%)")
    measured: str = ""
    #: "change": a checkbox the user ticks; "prompt": a request for the user's own words,
    #: answered in the chat (``prompt`` says how), never ticked nor sent by "apply"
    kind: ItemKind = "change"
    prompt: str = ""  # "Reply: add to <a role from the CV>: <your sentence with a result>"


class TailoringChecklist(_Card):
    kind: Literal["checklist"] = "checklist"
    job: JobRef
    items: list[ChecklistItem] = Field(default_factory=list)

    @property
    def changes(self) -> list[ChecklistItem]:
        """The items to tick (what "apply" may send)."""
        return [i for i in self.items if i.kind == "change"]

    @property
    def prompts(self) -> list[ChecklistItem]:
        """The requests for the user's own words (answered in the chat)."""
        return [i for i in self.items if i.kind == "prompt"]


class DigestMatch(_Card):
    job: JobRef
    score: int | None = None
    grade: str = ""
    label: str = ""
    band: Band = "grey"
    reason: str = ""  # the strongest factor's comment
    gap: str = ""  # the biggest gap ("Kubernetes (required), +7 points if closed")


class DigestSkill(_Card):
    skill: str
    impact: int = 0  # points added, summed over the matches
    jobs: int = 0  # on how many of the matches
    kind: str = ""  # "show" (in the CV, not shown) | "learn" | "" (unsaid)
    detail: str = ""  # the measured line ("+7 points on average on 12 of your top 30 ...")


class DigestTrend(_Card):
    skill: str
    count: int = 0  # jobs this period asking for it
    change: int = 0  # against the previous period
    direction: str = ""  # "new" | "rising" | "falling" | "steady"


class Digest(_Card):
    kind: Literal["digest"] = "digest"
    title: str = "Your jobfit digest"
    period: str = ""
    headline: str = ""  # "3 new matches, 1 change"
    matches: list[DigestMatch] = Field(default_factory=list)
    skills: list[DigestSkill] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    changes: list[str] = Field(default_factory=list)  # "X, which you saved, expired."
    trends: list[DigestTrend] = Field(default_factory=list)  # skills in demand for the user
    threshold: int | None = None  # matches listed score at least this
    since: str = ""  # "30 Nov 2026": the start of the period
    more: int = 0  # further matches not listed
    has_cv: bool = True


Card = Annotated[ScoreCard | JobList | GapList | TailoringChecklist | Digest,
                 Field(discriminator="kind")]


# --------------------------------------------------------------------------- builders


def job_ref(data: Mapping[str, Any] | None) -> JobRef:
    """A JobRef from a job card dict (``agent.service.JobCard`` as JSON) or similar."""
    d = dict(data or {})
    ref = d.get("ref")
    score = d.get("score")
    return JobRef(
        ref=int(ref) if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit())
        else None,  # 0: a pasted posting (no buttons)
        job_id=None if d.get("job_id") is None else str(d.get("job_id")),
        title=str(d.get("title") or "Untitled job"), company=str(d.get("company") or ""),
        location=str(d.get("location") or ""), remote=str(d.get("remote") or ""),
        salary=str(d.get("salary") or ""), url=str(d.get("url") or ""),
        position=d.get("position") if isinstance(d.get("position"), int) else None,
        score=None if score is None else int(score), grade=str(d.get("grade") or ""),
        also_on=[str(x) for x in d.get("also_on") or []])


_HIDDEN_REASONS = {"work_mode": "work mode", "location": "location",
                   "salary": "salary floor", "company": "blocked companies"}


def hidden_note(data: Mapping[str, Any]) -> str:
    """ "Your preferences (remote only) hid 7 jobs..." for a job list, or ""."""
    n = data.get("hidden")
    if data.get("preferences_ignored"):
        return "(Your saved preferences were ignored for this list.)"
    if not isinstance(n, int) or n <= 0:
        return ""
    prefs = [str(p) for p in data.get("preferences_applied") or []]
    by = data.get("hidden_by") or {}
    why = ", ".join(f"{by[k]} by {_HIDDEN_REASONS.get(k, k)}" for k in _HIDDEN_REASONS if by.get(k))
    what = f" ({'; '.join(prefs)})" if prefs else ""
    see = ('"show them anyway"' if data.get("source") == "search"
           else '"show all matches, ignore my preferences"')
    return (f"Your preferences{what} hid {n} job{'s' if n != 1 else ''}"
            + (f" ({why})" if why and len(by) > 1 else "")
            + f'. Say {see} to see them, or change them ("no salary preference", "any work '
              'mode").')


def _gap_item(g: Any) -> GapItem:
    get = g.get if isinstance(g, Mapping) else (lambda k, default=None: getattr(g, k, default))
    return GapItem(message=str(get("message", "") or ""), impact=int(get("impact", 0) or 0),
                   severity=str(get("severity", "") or ""), target=str(get("target", "") or ""),
                   suggestion=str(get("suggestion", "") or ""),
                   section=str(get("section", "") or ""))


def _sub_scores(breakdown: Mapping[str, Any], points: Mapping[str, Any]) -> list[SubScore]:
    out = []
    for name, label in FACTORS:
        value = breakdown.get(name)
        add = points.get(name)
        out.append(SubScore(name=name, label=label,
                            score=None if value is None else int(round(float(value))),
                            points=None if value is None or add is None
                            else round(float(add), 1)))
    return out


def result_sub_scores(result: MatchResult) -> list[SubScore]:
    """Every factor of an engine result in its order (the five of the fitted and balanced
    profiles, or the ATS profile's), with weight, points and the engine's comment."""
    labels = dict(FACTORS)
    out = []
    for name, f in result.factors.items():
        known = f.score is not None
        out.append(SubScore(
            name=name, label=labels.get(name, name.replace("_", " ").capitalize()),
            score=int(round(f.score)) if f.score is not None else None,
            points=round(f.contribution, 1) if known and f.contribution is not None else None,
            weight=f.effective_weight if known else None, comment=f.comment))
    return out


def score_card(result: MatchResult, gaps: GapReport | None = None, *,
               job: JobRef | None = None, reasons: Sequence[str] = (),
               top: int = 3) -> ScoreCard:
    """The score card of one analysis, straight from the engine's result and gap report."""
    return ScoreCard(
        job=job or JobRef(), score=result.score, grade=result.grade, label=result.label,
        band=band(result.score), sub_scores=result_sub_scores(result),
        matched=list(result.matched_required), missing=list(result.missing_required),
        matched_preferred=list(result.matched_preferred),
        missing_preferred=list(result.missing_preferred),
        top_gaps=[_gap_item(g) for g in (gaps.gaps[:top] if gaps else [])],
        reasons=list(reasons)[:3], confidence=int(round(result.confidence * 100)),
        recommended=result.recommended,
        notes=[g.message for g in (gaps.notes[:top] if gaps else [])])


def gap_list(report: GapReport, *, job: JobRef | None = None) -> GapList:
    """Every gap of an analysis with its points, and the strengths."""
    return GapList(job=job or JobRef(), score=report.score, band=band(report.score),
                   gaps=[_gap_item(g) for g in report.gaps], strengths=list(report.strengths),
                   notes=[g.message for g in report.notes])


def job_list(jobs: Sequence[Mapping[str, Any]], *, title: str = "Jobs",
             empty_text: str = "No job matches that.") -> JobList:
    """A job list from job card dicts (score optional: lists without a CV have none)."""
    rows = []
    for i, j in enumerate(jobs, 1):
        ref = job_ref(j)
        if ref.position is None:
            ref = ref.model_copy(update={"position": i})
        score = j.get("score")
        breakdown = j.get("breakdown")
        rows.append(JobRow(job=ref, score=None if score is None else int(score),
                           grade=str(j.get("grade") or ""), band=band(score),
                           actions=[a for a, _ in JOB_ACTIONS] if ref.ref else [],
                           sub_scores=_sub_scores(breakdown, {})
                           if isinstance(breakdown, Mapping) else []))
    return JobList(title=title, rows=rows, empty_text=empty_text)


def reply_prompt(skill: str = "", role: str = "") -> str:
    """How to answer a request for the user's own line: "Reply: add to <role>: <...>"."""
    what = f"what you did with {skill} and what came of it" if skill else \
        "your sentence with a result"
    return f"Reply: add to {role or '<a role from your CV>'}: <{what}>"


def checklist(options: Sequence[Any], *, job: JobRef | None = None) -> TailoringChecklist:
    """The tailoring checklist from ``TailoringOption`` objects or their dicts. An option with
    action ``show_in_role`` becomes a prompt (its ``prompt``, or a generic one), not a change
    to tick: it is never a default."""
    items = []
    for o in options:
        get = o.get if isinstance(o, Mapping) else (lambda k, d=None, o=o: getattr(o, k, d))
        oid, action = str(get("id", "")), str(get("action", "") or "")
        ask = action == PROMPT_ACTION or oid.startswith(PROMPT_ACTION + ":")
        items.append(ChecklistItem(id=oid, label=str(get("label", "") or ""),
                                   impact=int(get("impact", 0) or 0), action=action,
                                   detail=str(get("detail", "") or ""),
                                   default=bool(get("default", True)) and not ask,
                                   measured=str(get("measured", "") or ""),
                                   kind="prompt" if ask else "change",
                                   prompt=(str(get("prompt", "") or "") or reply_prompt())
                                   if ask else ""))
    return TailoringChecklist(job=job or JobRef(), items=items)


def digest(*, title: str = "Your jobfit digest", matches: Sequence[Mapping[str, Any]] = (),
           skills: Sequence[Mapping[str, Any]] = (), notes: Sequence[str] = (),
           changes: Sequence[str] = (), period: str = "", headline: str = "",
           trends: Sequence[Mapping[str, Any]] = ()) -> Digest:
    """A digest from simple rows: matches ``{"job_id", "ref", "title", "company", "score",
    "grade", ...}`` and skills ``{"skill", "impact", "jobs"}`` (the shape of
    ``jobfit digest preview --format json``)."""
    return Digest(
        title=title,
        matches=[DigestMatch(job=job_ref(m), score=None if m.get("score") is None
                             else int(m["score"]), grade=str(m.get("grade") or ""),
                             label=str(m.get("label") or ""), band=band(m.get("score")),
                             reason=str(m.get("reason") or ""), gap=str(m.get("gap") or ""))
                 for m in matches],
        skills=[DigestSkill(skill=str(s.get("skill") or s.get("name") or ""),
                            impact=int(s.get("impact") or 0), jobs=int(s.get("jobs") or 0),
                            kind=str(s.get("kind") or ""), detail=str(s.get("detail") or ""))
                for s in skills],
        notes=[str(n) for n in notes], changes=[str(c) for c in changes], period=period,
        headline=headline,
        trends=[DigestTrend(skill=str(t.get("skill") or ""), count=int(t.get("count") or 0),
                            change=int(t.get("change") or 0),
                            direction=str(t.get("direction") or "")) for t in trends])


def card_from_result(result: Mapping[str, Any]) -> ScoreCard | JobList | GapList | \
        TailoringChecklist | None:
    """The card of a chat tool result (``agent/registry.py``), or None for kinds that are
    plain text (errors, confirmations, saved CVs...)."""
    kind = result.get("kind")
    if kind == "analysis":
        return ScoreCard(
            job=job_ref(result.get("job")), score=int(result.get("score") or 0),
            grade=str(result.get("grade") or ""), label=str(result.get("label") or ""),
            band=band(result.get("score")),
            sub_scores=_sub_scores(result.get("breakdown") or {},
                                   result.get("contributions") or {}),
            matched=list(result.get("matched_required") or []),
            missing=list(result.get("missing_required") or []),
            matched_preferred=list(result.get("matched_preferred") or []),
            missing_preferred=list(result.get("missing_preferred") or []),
            top_gaps=[_gap_item(g) for g in (result.get("top_gaps") or [])[:3]],
            reasons=list(result.get("reasons") or [])[:3],
            confidence=None if result.get("confidence") is None
            else int(round(float(result["confidence"]) * 100)))
    if kind == "job_list":
        source = result.get("source")
        title = ("Your best matches" if source == "matches"
                 else f"Jobs for “{result.get('query', '')}”" if result.get("query") else "Jobs")
        if source == "matches":
            empty = ('None of the jobs fits your CV well enough yet. Try a search ("find data '
                     'jobs in Berlin") or relax your filters.')
        else:
            what = f' for "{result["query"]}"' if result.get("query") else ""
            empty = f"I found no jobs{what} with those filters. Try other words or fewer filters."
        jobs = [j for j in result.get("jobs") or [] if isinstance(j, Mapping)]
        card = job_list(jobs, title=title, empty_text=empty)
        return card.model_copy(update={"note": hidden_note(result)})
    if kind == "gaps":
        return GapList(job=job_ref(result.get("job")), score=result.get("score"),
                       band=band(result.get("score")),
                       gaps=[_gap_item(g) for g in result.get("gaps") or []],
                       strengths=list(result.get("strengths") or []),
                       notes=[str(n.get("message") or "") if isinstance(n, Mapping) else str(n)
                              for n in result.get("notes") or []])
    if kind == "tailoring_options":
        return checklist(result.get("options") or [], job=job_ref(result.get("job")))
    return None
