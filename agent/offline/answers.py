"""Answers written from the newer tools' results (applications, skills across matches) and the
note a list adds when the user's preferences hid jobs. Every number comes from a tool result."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agent.offline.decisions import ToolResult

_STEP_WORDS = {
    "saved": "saved", "applied": "applied", "interviewing": "interviewing",
    "offer": "offer", "rejected": "rejected", "withdrawn": "withdrawn",
}


def _title(job: dict[str, Any]) -> str:
    title = job.get("title") or "this job"
    company = job.get("company")
    return f"**{title}** — {company}" if company else f"**{title}**"


def _application(r: ToolResult, conv: Any) -> str:
    d = r.data
    job = d.get("job") or {}
    status = str(d.get("status"))
    head = {
        "saved": f"Saved {_title(job)} to your applications.",
        "applied": f"Noted: you applied to {_title(job)} ({d.get('since')}). Good luck!",
        "interviewing": f"Great news! {_title(job)} is now at the interview stage "
                        f"({d.get('since')}).",
        "offer": f"Congratulations! An offer from {_title(job)} ({d.get('since')}).",
        "rejected": f"Sorry to hear that. {_title(job)} is marked as rejected "
                    f"({d.get('since')}).",
        "withdrawn": f"Noted: you withdrew from {_title(job)} ({d.get('since')}).",
    }.get(status, f"{_title(job)}: {status}.")
    steps = [f"{s.get('status')} {s.get('date')}" for s in d.get("history") or []
             if isinstance(s, dict)]
    lines = [head]
    if len(steps) > 1:
        lines.append("Pipeline: " + " → ".join(steps) + ".")
    if d.get("note"):
        lines.append(f"Note: {d['note']}")
    lines.append('\nSay "my applications" to see your whole pipeline.')
    return "\n".join(lines)


def _applications(r: ToolResult, conv: Any) -> str:
    d = r.data
    apps = [a for a in d.get("applications") or [] if isinstance(a, dict)]
    days = d.get("older_than_days")
    status = d.get("status")
    if not apps:
        if days is not None:
            return f"No open application has waited more than {days} days. Nothing to chase."
        if status:
            return f"You have no applications at the {status} stage."
        return ("You have no applications yet. When you apply, tell me (\"I applied to the "
                "first one\") and I'll keep track of each step.")
    if days is not None:
        head = (f"Applications with no news for {days} days or more ({len(apps)}); "
                "time to follow up:")
    elif status:
        head = f"Your applications at the {status} stage ({len(apps)}):"
    else:
        counts = d.get("counts") or {}
        summary = ", ".join(f"{counts[s]} {_STEP_WORDS[s]}" for s in _STEP_WORDS
                            if counts.get(s))
        head = f"Your applications ({summary}):"
    lines = [head]
    for i, a in enumerate(apps, 1):
        job = a.get("job") or {}
        line = f"{i}. {_title(job)} · **{a.get('status')}** since {a.get('since')}"
        if a.get("days") is not None:
            line += f" ({a['days']} days)"
        if a.get("applied") and a.get("status") != "applied":
            line += f" · applied {a['applied']}"
        if a.get("note"):
            line += f" · note: {a['note']}"
        lines.append(line)
    lines.append('\nTell me what happens next, e.g. "I got an interview at '
                 f'{(apps[0].get("job") or {}).get("company") or "Acme"}".')
    return "\n".join(lines)


def _skill_insights(r: ToolResult, conv: Any) -> str:
    d = r.data
    skills = [s for s in d.get("skills") or [] if isinstance(s, dict)]
    n = d.get("matches") or 0
    if not n:
        return ("I have no matches to learn from yet. Paste your CV and ask for \"my best "
                "matches\" first.")
    if not skills:
        return (f"Across your top {n} matches, no missing skill would raise a score: your CV "
                "already shows what they ask for.")
    lines = [f"Across your top {n} matches, these skills would raise your scores most "
             "(points added in total if your CV showed them):"]
    for i, s in enumerate(skills, 1):
        how = (" — you may already have it: show it in a role" if s.get("kind") == "show"
               else "")
        lines.append(f"{i}. **{s.get('skill')}**: +{s.get('impact')} points over {s.get('jobs')} "
                     f"job{'s' if s.get('jobs') != 1 else ''} (up to +{s.get('best')} "
                     f"on one){how}")
    lines.append(f"\nStart with **{skills[0].get('skill')}**. For one job's gaps, ask "
                 "\"what am I missing for the first one?\"")
    return "\n".join(lines)


def _feedback(r: ToolResult, conv: Any) -> str:
    job = _title(r.data.get("job") or {})
    status = str(r.data.get("status"))
    applying = r.data.get("application")
    text = {
        "applied": f"Noted: you applied to {job}. Good luck!",
        "dismissed": f"Got it, {job} is marked as not interesting.",
        "shortlisted": f"Shortlisted {job}.",
        "interested": f"Noted: you're interested in {job}.",
    }.get(status, f"Saved your feedback on {job}.")
    if applying and status != "applied":
        text += f" Your application stays **{applying}**."
    return text


ANSWERS: dict[str, Callable[[ToolResult, Any], str]] = {
    "application": _application,
    "applications": _applications,
    "skill_insights": _skill_insights,
    "feedback": _feedback,
}
