"""Chat tools for digests (registered in ``agent/registry.py``): set the schedule, show the
digest or the history, send one now, skill trends and what to learn.

Like every tool they act for the run's user (``runtime.context``), return a dict with a
``"kind"``, and every number in them comes from the deterministic engine.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import BaseTool, tool
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from agent.context import Context
from agent.state import State
from agent.tool_support import _run
from tools.digest import digest_json


@tool(parse_docstring=True)
def set_digest_schedule(
    schedule: str,
    timezone: str | None = None,
    *,
    runtime: ToolRuntime,
) -> Command[Any]:
    """Set when the user gets their digest of new matches, or stop it.

    Use when the user asks for a daily or weekly digest, changes its time or day, or asks to
    stop digests. The answer includes the next run in the user's local time. Do NOT use it
    for "show my digest" (show_digest) or "send my digest now" (send_digest_now).

    Args:
        schedule: "daily HH:MM", "weekly DAY HH:MM" or "off", e.g. "weekly mon 08:00",
            "daily 07:30", "off".
        timezone: IANA time zone when the user names one, e.g. "Europe/Berlin"; omit to keep
            the stored one (default UTC).
    """
    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        info = ctx.service.digests().set_schedule(ctx.user_id, schedule, timezone=timezone)
        return {"kind": "digest_schedule", **info}, {}

    return _run(runtime, "set_digest_schedule", body)


@tool(parse_docstring=True)
def show_digest(history: bool = False, *, runtime: ToolRuntime) -> Command[Any]:
    """Show the user's latest digest (new matches, what changed, skills), or their last digests.

    Use for "show my digest", "what's in my digest?", "my last digests". It never changes the
    schedule. When no digest was produced yet, it shows what the digest would hold now.

    Args:
        history: true to list the last digests ("my last digests") instead of showing one.
    """
    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        center = ctx.service.digests()
        if history:
            return {"kind": "digest_history", "digests": center.history(ctx.user_id)}, {}
        found = center.latest(ctx.user_id)
        if found is not None:
            return {"kind": "digest", "stored": True, **found}, {}
        digest, _ = center.build(ctx.user_id)
        return {"kind": "digest", "stored": False, "period": digest.period,
                "digest": digest_json(digest)}, {}

    return _run(runtime, "show_digest", body)


@tool(parse_docstring=True)
def send_digest_now(*, runtime: ToolRuntime) -> Command[Any]:
    """Produce the user's digest now and send it to their channels (app, e-mail...).

    Use for "send my digest now" / "send me my digest". The schedule is not changed.
    """
    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        from store.tables import utcnow

        center = ctx.service.digests()
        now = utcnow()
        result = center.run_user(ctx.user_id, now=now, period=f"now-{now:%Y%m%dT%H%M}")
        found = center.latest(ctx.user_id, mark_viewed=True) if result.digest_id else None
        out: dict[str, Any] = {"kind": "digest_sent", **result.model_dump(mode="json")}
        if found is not None and found.get("digest_id") == result.digest_id:
            out["digest"] = found["digest"]
        return out, {}

    return _run(runtime, "send_digest_now", body)


@tool(parse_docstring=True)
def skill_insights(topic: Literal["trends", "learn"], *, runtime: ToolRuntime) -> Command[Any]:
    """Skills trending in the user's jobs, or the skills worth learning or showing in their CV.

    Use "trends" for "what skills are trending for me?"; "learn" for "what should I learn?",
    "what should I learn first?", "which skills would raise my matches?". The points are the
    engine's measured re-scoring of the user's top matches.

    Args:
        topic: "trends" or "learn".
    """
    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        digest, _ = ctx.service.digests().build(ctx.user_id)
        if topic == "trends":
            return {"kind": "skill_trends", "has_cv": digest.has_cv,
                    "since": digest.since.isoformat(),
                    "trends": [t.model_dump(mode="json") for t in digest.trends],
                    "falling": [t.model_dump(mode="json") for t in digest.falling]}, {}
        return {"kind": "skills_to_learn", "has_cv": digest.has_cv,
                "measured_on": digest.measured_on,
                "skills": [s.model_dump(mode="json", exclude={"per_job"})
                           for s in digest.skills]}, {}

    return _run(runtime, "skill_insights", body)


def digest_tools() -> tuple[BaseTool, ...]:
    return (set_digest_schedule, show_digest, send_digest_now, skill_insights)
