"""Chat tools for what the user does with jobs: feedback, the application pipeline, and the
skills worth adding (see ``agent/registry.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Literal

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from agent.context import Context
from agent.state import State
from agent.tool_support import (
    _card,
    _run,
    _target,
)
from tools.errors import InvalidInputError

if TYPE_CHECKING:
    pass

logger = logging.getLogger(__name__)


@tool(parse_docstring=True)
def record_feedback(
    status: Literal["interested", "applied", "dismissed", "shortlisted"],
    job_id: str | None = None,
    position: int | None = None,
    *,
    runtime: ToolRuntime,
) -> Command[Any]:
    """Record what the user did with a job: interested, applied, dismissed or shortlisted.

    Use when the user says "I applied to the first one", "not interested in that one",
    "shortlist it", "save this job". Dismissed jobs are left out of later matches. With no
    job given, the job discussed last is used.

    Args:
        status: "interested", "applied", "dismissed" (not interested) or "shortlisted".
        job_id: the job's id, e.g. "sample-0-00042" or "42".
        position: 1-based position in the last job list shown, e.g. 1 for "the first one".
    """
    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        target = _target(state, job_id, position)
        if target.ref is None:
            raise InvalidInputError("Feedback can be recorded for jobs in the collection only.")
        card = ctx.service.record_feedback(ctx.user_id, target.ref, status)
        from agent.applications import application_status

        applying = application_status(ctx.service, ctx.user_id, card.ref) if card.ref else None
        return ({"kind": "feedback", "job": _card(card), "status": status,
                 "application": applying},
                {"current_job": card.ref, "current_posting": None})

    return _run(runtime, "record_feedback", body)


@tool(parse_docstring=True)
def track_application(
    status: Literal["saved", "applied", "interviewing", "offer", "rejected", "withdrawn"],
    job_id: str | None = None,
    position: int | None = None,
    company: str | None = None,
    note: str | None = None,
    *,
    runtime: ToolRuntime,
) -> Command[Any]:
    """Move the user's application for one job to a new step of the pipeline, dated today.

    Use when the user reports progress: "I applied to the first one", "I got an interview at
    Acme", "I was rejected by Globex", "I got an offer!", "I withdrew from it", "save this job".
    Not for questions about applications (use list_applications). With no job given, the
    company or the job discussed last is used.

    Args:
        status: "saved", "applied", "interviewing", "offer", "rejected" or "withdrawn".
        job_id: the job's id, e.g. "sample-0-00042" or "42".
        position: 1-based position in the last job list shown, e.g. 2.
        company: the employer when the user names it instead of a job, e.g. "Copperline Labs".
        note: the user's short note, e.g. "second round on Friday".
    """
    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        ref = None
        if job_id or position is not None or not company:
            target = _target(state, job_id, position)
            if target.ref is None:
                raise InvalidInputError("Applications are tracked for jobs in the collection "
                                        "only.")
            ref = target.ref
        app = ctx.service.track_application(ctx.user_id, status, job_ref=ref, company=company,
                                            note=note)
        return ({"kind": "application", **app.model_dump(mode="json")},
                {"current_job": app.job.get("ref") or None, "current_posting": None})

    return _run(runtime, "track_application", body)


@tool(parse_docstring=True)
def list_applications(
    status: Literal["saved", "applied", "interviewing", "offer", "rejected", "withdrawn"]
    | None = None,
    older_than_days: int | None = None,
    *,
    runtime: ToolRuntime,
) -> Command[Any]:
    """List the user's applications (the pipeline), most recently changed first.

    Use for "my applications", "which jobs have I applied to?", "where am I interviewing?",
    "remind me about applications older than 2 weeks" (older_than_days=14: open applications
    with no news since).

    Args:
        status: only this step, e.g. "interviewing".
        older_than_days: only open applications unchanged for at least this many days, e.g. 14.
    """
    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        apps = ctx.service.applications(ctx.user_id, status=status,
                                        older_than_days=older_than_days)
        jobs = [a.job for a in apps]
        counts: dict[str, int] = {}
        for a in apps:
            counts[a.status] = counts.get(a.status, 0) + 1
        return ({"kind": "applications", "status": status, "older_than_days": older_than_days,
                 "counts": counts, "applications": [a.model_dump(mode="json") for a in apps]},
                {"last_jobs": [j.get("ref") for j in jobs if j.get("ref")]})

    return _run(runtime, "list_applications", body)


@tool(parse_docstring=True)
def skills_to_learn(*, runtime: ToolRuntime) -> Command[Any]:
    """Rank the skills that would raise the user's scores most across their best matches.

    Use for "what should I learn first?", "which skills would raise my scores most?", "what
    skills am I missing overall?". Points come from the scoring engine: for each skill, the
    points it would add summed over the user's top matches, and on how many of them.
    """
    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        impacts, n = ctx.service.skill_insights(ctx.user_id)
        return {"kind": "skill_insights", "matches": n,
                "skills": [{"skill": i.skill, "kind": i.kind, "impact": i.total,
                            "average": i.impact, "jobs": i.jobs, "best": i.best}
                           for i in impacts]}, {}

    return _run(runtime, "skills_to_learn", body)
