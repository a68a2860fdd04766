"""What every chat tool shares: running a tool body for the run's user (errors become
``{"kind": "error"}`` results), the shape of results (job cards, analyses, gaps, tailoring)
and the resolution of a job target (an id, a position in the last list, or a pasted posting).

See ``agent/registry.py`` for the contract of the tools.
"""

from __future__ import annotations

import json
import logging
import re
import traceback
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from langchain_core.messages import ToolMessage
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from agent.context import Context
from agent.offline.postings import CANT_FETCH
from agent.service import JobfitService
from agent.service_types import Analysis, JobCard
from agent.state import State
from tools.errors import InvalidInputError, JobfitError

if TYPE_CHECKING:
    from tools.tailoring import TailoredCV

logger = logging.getLogger(__name__)


GENERIC_ERROR = "Something went wrong on our side; please try again."


MAX_LIST = 25


Runtime = ToolRuntime[Any, Any]


def _ctx(runtime: Runtime) -> Context:
    ctx = runtime.context
    if not isinstance(ctx, Context):
        raise RuntimeError("the graph was run without a Context")
    return ctx


def _state(runtime: Runtime) -> State:
    state = runtime.state
    return state if isinstance(state, dict) else State()  # type: ignore[return-value]


def _message(runtime: Runtime, name: str, result: dict[str, Any]) -> ToolMessage:
    return ToolMessage(content=json.dumps(result, ensure_ascii=False, default=str),
                       tool_call_id=runtime.tool_call_id or "", name=name,
                       status="error" if result.get("kind") == "error" else "success")


def _run(runtime: Runtime, name: str,
         body: Callable[[Context, State], tuple[dict[str, Any], dict[str, Any]]]) -> Command[Any]:
    """Call a tool body; errors become {"kind": "error"} results."""
    updates: dict[str, Any] = {}
    try:
        result, updates = body(_ctx(runtime), _state(runtime))
    except JobfitError as exc:
        result = {"kind": "error", "message": str(exc)}
    except Exception as exc:
        # the type and the frames only: an exception's message may quote CV or job text
        logger.error("tool %s failed: %s\n%s", name, type(exc).__name__,
                     "".join(traceback.format_tb(exc.__traceback__)))
        result = {"kind": "error", "message": GENERIC_ERROR}
    messages = updates.pop("messages", None)
    tool_message = _message(runtime, name, result)
    return Command(update={**updates,
                           "messages": [*(messages or []), tool_message]})


def tool_error_message(exc: Exception) -> str:
    """ToolNode error handler: invalid arguments from the model as an error result."""
    fields: list[str] = []
    for err in getattr(exc, "filtered_errors", None) or []:
        loc = err.get("loc") if isinstance(err, dict) else None
        if loc:
            fields.append(".".join(str(p) for p in loc))
    message = ("Invalid tool arguments" + (f" ({', '.join(sorted(set(fields)))})" if fields
                                           else "") + "; please check them and try again.")
    if not hasattr(exc, "filtered_errors"):
        logger.error("tool call failed: %s", type(exc).__name__)
        message = GENERIC_ERROR
    return json.dumps({"kind": "error", "message": message})


def _card(card: JobCard, position: int | None = None) -> dict[str, Any]:
    data = card.model_dump(mode="json")
    if position is not None:
        data["position"] = position
    return data


def _job_list(cards: list[JobCard], **extra: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    jobs = [_card(c, i) for i, c in enumerate(cards, 1)]
    return ({"kind": "job_list", **extra, "jobs": jobs},
            {"last_jobs": [c.ref for c in cards if c.ref]})


def _hidden(ctx: Context, report: dict[str, Any], ignored: bool) -> dict[str, Any]:
    """What a list says about the user's preferences: how many jobs they hid, and which."""
    hidden = {k: int(v) for k, v in (report.get("hidden") or {}).items() if v}
    prefs = ctx.service.job_preferences(ctx.user_id)
    out: dict[str, Any] = {"hidden": sum(hidden.values()), "hidden_by": hidden,
                           "preferences_applied": [] if ignored else prefs.describe()}
    if ignored:
        out["preferences_ignored"] = True
    return out


def _position_ref(state: State, position: int) -> str:
    shown = state.get("last_jobs") or []
    if not shown:
        raise InvalidInputError(
            "I have not shown you a list of jobs yet; search or ask for matches first.")
    if not 1 <= position <= len(shown):
        raise InvalidInputError(f"There is no job #{position} in the last list "
                                f"(it has {len(shown)}).")
    return str(shown[position - 1])


class _Target:
    """The job a tool is about: a stored job reference or a pasted posting."""

    def __init__(self, ref: str | None = None, text: str | None = None) -> None:
        self.ref = ref
        self.text = text


def _target(state: State, job_id: str | None, position: int | None,
            job_text: str | None = None) -> _Target:
    if job_text is not None and job_text.strip():
        return _Target(text=job_text)
    if job_id is not None and str(job_id).strip():
        return _Target(ref=str(job_id).strip())
    if position is not None:
        return _Target(ref=_position_ref(state, int(position)))
    if state.get("current_job"):
        return _Target(ref=str(state.get("current_job")))
    if state.get("current_posting"):
        return _Target(text=state.get("current_posting"))
    raise InvalidInputError("Which job? Give its id, its position in the last list, or paste "
                            "the posting.")


def _current_updates(analysis: Analysis, target: _Target) -> dict[str, Any]:
    if target.text is not None:
        return {"current_job": None, "current_posting": target.text}
    return {"current_job": analysis.job.ref or None, "current_posting": None}


def _reasons(analysis: Analysis) -> list[str]:
    out: list[str] = []
    r = analysis.result
    if r.matched_required:
        out.append("Has required skills: " + ", ".join(r.matched_required[:5]))
    for name in ("experience", "location", "salary", "semantic"):
        f = r.factors.get(name)
        if f is not None and f.score is not None and f.score >= 70 and f.comment:
            out.append(f.comment)
    if not out:
        out = [f.comment for f in r.factors.values() if f.score is not None and f.comment]
    return out[:3]


def _gap(g: Any, *, full: bool = False) -> dict[str, Any]:
    data = {"type": g.type, "severity": g.severity, "target": g.target, "message": g.message,
            "impact": g.impact}
    if full:
        data.update(suggestion=g.suggestion, section=g.section)
    return data


def analysis_result(analysis: Analysis) -> dict[str, Any]:
    """The ``analysis`` result of score_match."""
    r = analysis.result
    return {
        "kind": "analysis", "job": _card(analysis.job), "score": r.score, "grade": r.grade,
        "label": r.label, "breakdown": r.breakdown(), "unknown_factors": r.unknown_factors,
        "confidence": r.confidence, "matched_required": r.matched_required,
        "missing_required": r.missing_required, "matched_preferred": r.matched_preferred,
        "missing_preferred": r.missing_preferred, "reasons": _reasons(analysis),
        "contributions": {n: f.contribution for n, f in r.factors.items()},
        "top_gaps": [_gap(g) for g in analysis.gaps.gaps[:3]],
    }


def gaps_result(analysis: Analysis) -> dict[str, Any]:
    """The ``gaps`` result of explain_gaps."""
    return {"kind": "gaps", "job": _card(analysis.job), "score": analysis.result.score,
            "gaps": [_gap(g, full=True) for g in analysis.gaps.gaps],
            "notes": [_gap(g, full=True) for g in analysis.gaps.notes],
            "strengths": analysis.gaps.strengths}


def tailored_result(tailored: TailoredCV, job: dict[str, Any]) -> dict[str, Any]:
    """The ``tailored_cv`` result of tailor_cv (``job``: the job's card as JSON)."""
    return {"kind": "tailored_cv", "job": job, "before": tailored.before,
            "after": tailored.after, "markdown": tailored.markdown,
            "applied": list(tailored.applied),
            "measured": list(getattr(tailored, "measured", []) or []),
            "added": [a.model_dump(mode="json") for a in getattr(tailored, "added", [])],
            "notes": list(getattr(tailored, "notes", []) or []),
            "reverted": [{"line": v.line, "reason": v.reason} for v in tailored.violations]}


def _analyse(service: JobfitService, user: str, target: _Target) -> Analysis:
    if target.text is not None:
        return service.analyse(user, job_text=target.text)
    try:
        return service.analyse(user, target.ref)
    except JobfitError as exc:
        if target.ref and re.match(r"(?i)https?://|www\.", target.ref) and "No job" in str(exc):
            raise InvalidInputError(CANT_FETCH) from None
        raise
