"""Answers written from tool results (templates over their JSON: every number is a tool's)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from agent.digest_intents import RENDERERS as DIGEST_RENDERERS
from agent.offline.answers import ANSWERS
from agent.offline.conversation import Conversation
from agent.offline.decisions import ToolResult
from agent.offline.postings import CANT_FETCH
from agent.offline.targets import _stored_id
from agent.recruiter_intents import RENDERERS as RECRUITER_RENDERERS
from tools.cards import hidden_note
from tools.money import format_money


def render_results(conv: Conversation) -> str:
    """The answer to the newest tool results, written from their JSON."""
    turn = [r for r in conv.results if r.turn == conv.turns] or conv.trailing
    shown = [r for i, r in enumerate(turn)  # a profile read only to add to a list is not news
             if not (r.kind == "profile" and any(x.kind == "preferences" for x in turn[i + 1:]))]
    parts = [_render(r, conv) for r in shown]
    return "\n\n".join(p for p in parts if p) or "Done."


def _render(r: ToolResult, conv: Conversation) -> str:
    renderer = _RENDERERS.get(r.kind)
    if renderer is None:
        if r.kind == "text":
            return str(r.data.get("text") or "")
        return "Done."
    return renderer(r, conv)


def _job_title(job: dict[str, Any]) -> str:
    title = job.get("title") or "this job"
    company = job.get("company")
    return f"**{title}** — {company}" if company else f"**{title}**"


def _job_line(job: dict[str, Any], n: Any) -> str:
    bits = [_job_title(job)]
    where = [str(x) for x in (job.get("location"), job.get("remote")) if x]
    if where:
        bits.append(" · ".join(where))
    if job.get("salary"):
        bits.append(str(job["salary"]))
    if job.get("score") is not None:
        grade = f" ({job['grade']})" if job.get("grade") else ""
        bits.append(f"fit **{job['score']}**{grade}")
    if job.get("job_id"):
        bits.append(f"`{job['job_id']}`")
    if job.get("also_on"):
        bits.append("also on: " + ", ".join(map(str, job["also_on"])))
    return f"{n}. " + " · ".join(bits)


def _render_cv(cv: dict[str, Any]) -> list[str]:
    lines = []
    who = " — ".join(str(x) for x in (cv.get("name"), cv.get("headline")) if x)
    if who:
        lines.append(f"- **{who}**")
    exp = []
    if cv.get("total_years") is not None:
        exp.append(f"{_num(cv['total_years'])} years of experience")
    if cv.get("seniority"):
        exp.append(f"{cv['seniority']} level")
    if cv.get("location"):
        exp.append(f"based in {cv['location']}")
    if exp:
        lines.append("- " + ", ".join(exp))
    if cv.get("top_skills"):
        total = cv.get("skills_count")
        tail = f" ({total} skills in total)" if total else ""
        lines.append("- Top skills: " + ", ".join(map(str, cv["top_skills"][:8])) + tail)
    if cv.get("recent_roles"):
        lines.append("- Recent roles: " + "; ".join(map(str, cv["recent_roles"][:3])))
    if cv.get("education"):
        lines.append("- Education: " + "; ".join(map(str, cv["education"][:2])))
    wants = [str(x) for x in (cv.get("remote_preference"), cv.get("salary_expectation")) if x]
    if wants:
        lines.append("- Looking for: " + ", ".join(wants))
    for w in cv.get("warnings") or []:
        lines.append(f"- ⚠️ {w}")
    return lines


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, float):
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return str(x)


def _points(x: Any) -> str:
    return "point" if x == 1 else "points"


def _cv_saved(r: ToolResult, conv: Conversation) -> str:
    cv = r.data.get("cv") or {}
    head = "Thanks, I saved your CV"
    if cv.get("version"):
        head += f" (version {cv['version']})"
    lines = [head + ". Here's what I understood:", *_render_cv(cv)]
    lines.append('\nNext: ask for "my best matches", search ("find data jobs in Berlin"), or '
                 "paste a job posting to see how well you fit it.")
    return "\n".join(lines)


def _render_prefs(p: dict[str, Any], changed: Sequence[str] = ()) -> list[str]:
    labels = {
        "desired_roles": "Roles", "locations": "Locations", "remote": "Work mode",
        "salary_floor": "Minimum salary", "salary_currency": "Salary currency",
        "blocked_companies": "Never show", "digest_schedule": "Digest",
    }
    lines = []
    for key, label in labels.items():
        value = p.get(key)
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            shown = ", ".join(map(str, value))
        elif key == "salary_floor":
            shown = format_money(value)
        else:
            shown = str(value)
        mark = " (updated)" if key in changed else ""
        lines.append(f"- {label}: {shown}{mark}")
    return lines


def _profile(r: ToolResult, conv: Conversation) -> str:
    cv = r.data.get("cv")
    prefs = r.data.get("preferences") or {}
    lines = []
    if isinstance(cv, dict):
        lines.append("Here's what I know about you:")
        lines.extend(_render_cv(cv))
    else:
        lines.append("I don't have a CV for you yet. Paste it here and I'll read it.")
    pref_lines = _render_prefs(prefs)
    if pref_lines:
        lines.append("\nYour preferences:")
        lines.extend(pref_lines)
    else:
        lines.append('\nNo preferences set. You can say e.g. "I want remote roles" or "salary at '
                     'least 90k".')
    return "\n".join(lines)


def _preferences_saved(r: ToolResult, conv: Conversation) -> str:
    changed = [str(c) for c in r.data.get("changed") or []]
    prefs = r.data.get("preferences") or {}
    head = "Saved. Your preferences now:" if changed else "Nothing changed. Your preferences:"
    lines = _render_prefs(prefs, changed) or ["- none set"]
    return "\n".join([head, *lines, "\nI'll use them for your matches and digests."])


def _job_list(r: ToolResult, conv: Conversation) -> str:
    listed = _job_list_body(r, conv)
    note = hidden_note(r.data)
    return listed + ("\n\n" + note if note else "")


def _job_list_body(r: ToolResult, conv: Conversation) -> str:
    jobs = [j for j in r.data.get("jobs") or [] if isinstance(j, dict)]
    source = r.data.get("source")
    query = r.data.get("query")
    if not jobs:
        if source == "matches":
            return ("None of the jobs fits your CV well enough yet. Try a search (\"find data "
                    "jobs in Berlin\") or relax your filters.")
        what = f' for "{query}"' if query else ""
        return f"I found no jobs{what} with those filters. Try other words or fewer filters."
    where = []
    if r.args.get("remote_only"):
        where.append("remote")
    if r.args.get("location"):
        where.append(f"in {r.args['location']}")
    if isinstance(r.args.get("min_salary"), int | float):
        where.append(f"paying at least {format_money(r.args['min_salary'])}")
    if source == "matches" and where:
        head = f"Jobs {' '.join(where)}, best fit for your CV first ({len(jobs)}):"
    elif source == "matches":
        head = f"Your best matches ({len(jobs)}):"
    else:
        head = f'Jobs for "{query}" ({len(jobs)}):' if query else f"Jobs ({len(jobs)}):"
    lines = [head]
    for i, job in enumerate(jobs, 1):
        lines.append(_job_line(job, job.get("position") or i))
    second = "2nd" if len(jobs) >= 2 else "1st"
    tail = ('\nAsk "how well do I fit the ' + second + ' one?", "tailor my CV for the first one"')
    tail += ' or "compare the first two".' if len(jobs) >= 2 else "."
    lines.append(tail)
    return "\n".join(lines)


_FACTORS = ("skills", "experience", "location", "salary", "semantic")


def _analysis(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    job = d.get("job") or {}
    label = f", {str(d['label']).lower()} fit" if d.get("label") else ""
    grade = f" (grade **{d['grade']}**{label})" if d.get("grade") else ""
    lines = [f"{_job_title(job)}: **{d.get('score')}/100**{grade}."]
    facts = [str(job[k]) for k in ("location", "remote", "salary") if job.get(k)]
    if facts:
        stored = _stored_id(job)
        lines.append(" · ".join(facts) + (f" · `{stored}`" if stored else ""))
    breakdown = d.get("breakdown") or {}
    parts = [f"{name} {breakdown[name]}" for name in _FACTORS
             if isinstance(breakdown.get(name), int | float)]
    if parts:
        lines.append("Breakdown: " + " · ".join(parts) + ".")
    reasons = [str(x) for x in d.get("reasons") or []][:3]
    if reasons:
        lines.append("\nWhy:")
        lines.extend(f"- {x}" for x in reasons)
    gaps = [g for g in d.get("top_gaps") or [] if isinstance(g, dict)][:3]
    if gaps:
        lines.append("\nTop gaps:")
        lines.extend(f"- {_gap_text(g)}" for g in gaps)
    unknown = [str(x) for x in d.get("unknown_factors") or []]
    if unknown:
        lines.append(f"\nNot known, scored neutrally: {', '.join(unknown)}.")
    lines.append('\nNext: "what am I missing?" or "tailor my CV for it".')
    return "\n".join(lines)


def _gap_text(g: dict[str, Any], suggestion: bool = False) -> str:
    text = str(g.get("message") or g.get("target") or "gap")
    if suggestion and g.get("suggestion"):
        text += f" — {g['suggestion']}"
    impact = g.get("impact")
    if isinstance(impact, int | float) and impact > 0:
        text += f" (**+{_num(impact)}** {_points(impact)} if closed)"
    return text


def _gaps(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    job = d.get("job") or {}
    gaps = [g for g in d.get("gaps") or [] if isinstance(g, dict)]
    score = f" (you're at **{d['score']}/100**)" if d.get("score") is not None else ""
    if not gaps:
        lines = [f"I found no gaps for {_job_title(job)}{score}: your CV covers what it asks."]
    else:
        lines = [f"What's missing for {_job_title(job)}{score}, biggest impact first:"]
        lines.extend(f"{i}. {_gap_text(g, suggestion=i <= 3)}" for i, g in enumerate(gaps[:6], 1))
        if len(gaps) > 6:
            lines.append(f"…and {len(gaps) - 6} smaller ones.")
    strengths = [str(x) for x in d.get("strengths") or []][:4]
    if strengths:
        lines.append("\nStrengths: " + "; ".join(strengths) + ".")
    lines.append('\nNext: "tailor my CV for it" to fix what your CV already supports.')
    return "\n".join(lines)


def _tailoring_options(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    options = [o for o in d.get("options") or [] if isinstance(o, dict)]
    job = d.get("job") or {}
    if not options:
        return (f"Your CV is already well tailored for {_job_title(job)}: I have no changes to "
                "suggest.")
    lines = [f"Here's how I can tailor your CV for {_job_title(job)}:"]
    for i, o in enumerate(options, 1):
        line = f"{i}. **{o.get('label') or o.get('id')}**"
        impact = o.get("impact")
        if isinstance(impact, int | float) and impact > 0:
            line += f" (+{_num(impact)} {_points(impact)})"
        if o.get("measured"):  # what the option moves, before → after (issue 13)
            line += f" — {o['measured']}"
        if o.get("detail"):
            detail = str(o["detail"])
            if len(detail) > 240:
                detail = detail[:240].rsplit(" ", 1)[0] + "…"
            line += f" — {detail}"
        if o.get("default"):
            line += " *(recommended)*"
        line += f" `{o.get('id')}`"
        lines.append(line)
    pick = f"options 1 and {min(3, len(options))}" if len(options) > 1 else "option 1"
    lines.append(f'\nReply "apply all", "use {pick}", or "apply the recommended ones".')
    return "\n".join(lines)


def _tailored(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    job = d.get("job") or {}
    labels: dict[str, str] = {}
    for prev in conv.results:
        if prev.kind == "tailoring_options":
            for o in prev.data.get("options") or []:
                if isinstance(o, dict) and o.get("id"):
                    labels[str(o["id"])] = str(o.get("label") or o["id"])
    lines = [f"Your tailored CV for {_job_title(job)}: score **{d.get('before')} → "
             f"{d.get('after')}**."]
    applied = [labels.get(str(a), str(a)) for a in d.get("applied") or []]
    if applied:
        lines.append("Applied: " + "; ".join(applied) + ".")
    measured = [str(x) for x in d.get("measured") or []]
    if measured:
        lines.append("Before → after: " + "; ".join(measured) + ".")
    reverted = [x for x in d.get("reverted") or [] if isinstance(x, dict)]
    if reverted:
        lines.append("I undid these changes because your original CV doesn't support them:")
        lines.extend(f'- "{x.get("line")}" — {x.get("reason")}' for x in reverted)
    if d.get("markdown"):
        lines.append("\n---\n")
        lines.append(str(d["markdown"]).strip())
    return "\n".join(lines)


def _comparison(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    rows = [x for x in d.get("rows") or [] if isinstance(x, dict)]
    if not rows:
        return "There was nothing to compare."
    if d.get("mode") == "cvs":
        job = rows[0].get("job") or {}
        lines = [f"Your CVs for {_job_title(job)}, best first:"]
    else:
        lines = ["Side by side for your CV, best first:"]
    for i, row in enumerate(rows, 1):
        who = f"CV #{row.get('cv_id')}" if d.get("mode") == "cvs" else _job_title(
            row.get("job") or {})
        grade = f" ({row['grade']})" if row.get("grade") else ""
        line = f"{i}. {who}: **{row.get('score')}**{grade}"
        breakdown = row.get("breakdown") or {}
        parts = [f"{n} {breakdown[n]}" for n in _FACTORS
                 if isinstance(breakdown.get(n), int | float)]
        if parts:
            line += " · " + " · ".join(parts)
        missing = [str(x) for x in row.get("missing_required") or []][:4]
        if missing:
            line += " · missing: " + ", ".join(missing)
        lines.append(line)
    if d.get("mode") != "cvs":
        lines.append('\nSay "tailor my CV for the best one" or "what am I missing for the first '
                     'one?"')
    return "\n".join(lines)


def _feedback_saved(r: ToolResult, conv: Conversation) -> str:
    job = _job_title(r.data.get("job") or {})
    return {
        "applied": f"Noted: you applied to {job}. Good luck!",
        "dismissed": f"Got it, {job} is marked as not interesting.",
        "shortlisted": f"Shortlisted {job}.",
        "interested": f"Noted: you're interested in {job}.",
    }.get(str(r.data.get("status")), f"Saved your feedback on {job}.")


def _forget_confirm(r: ToolResult, conv: Conversation) -> str:
    msg = str(r.data.get("message") or "This deletes all your data.")
    if "yes" in msg.lower():
        return msg + "\n\nAnything else keeps your data."
    return (msg + '\n\nReply **"yes, delete everything"** to confirm, or anything else to keep '
            "your data.")


_NOUNS = {
    "users": ("account", "accounts"), "cvs": ("CV", "CVs"), "matches": ("match", "matches"),
    "analyses": ("analysis", "analyses"), "feedback": ("feedback entry", "feedback entries"),
    "conversations": ("conversation", "conversations"), "threads": ("conversation",
                                                                     "conversations"),
    "logins": ("login", "logins"), "preferences": ("preference set", "preference sets"),
    "applications": ("application", "applications"),
    "channel_links": ("Slack/Teams link", "Slack/Teams links"),
    "digests": ("digest", "digests"),
}


def _forgotten(r: ToolResult, conv: Conversation) -> str:
    deleted = r.data.get("deleted") or {}
    parts = []
    for key, n in deleted.items():
        if not isinstance(n, int) or not n:
            continue
        one, many = _NOUNS.get(str(key), (str(key).replace("_", " "),) * 2)
        parts.append(f"{n} {one if n == 1 else many}")
    what = (": " + ", ".join(parts)) if parts else ""
    return f"Done. I deleted all your data{what}. Paste a CV any time to start again."


def _error(r: ToolResult, conv: Conversation) -> str:
    msg = str(r.data.get("message") or "Something went wrong.")
    low = msg.lower()
    if msg == CANT_FETCH:
        return msg
    if "cv" in low and re.search(r"\bno\b|\bupload|\bpaste|\bfirst\b|\bnot found\b", low):
        nxt = "Paste your CV here first (or use `/cv FILE` in the terminal)."
    elif "position" in low or "list" in low:
        nxt = 'Ask for "my best matches" or a search first, then refer to a job by its number.'
    elif "http" in low:
        nxt = ("I can only look up links of jobs in the collection, offline. Paste the posting's "
               "text here and I'll score it.")
    elif "not found" in low or "unknown" in low or "no job" in low:
        nxt = 'Check the job id, or ask for "my best matches" and pick one from the list.'
    elif "confirm" in low:
        nxt = 'Say "delete my data" to start again.'
    else:
        nxt = 'You can try again, or say "help" to see what I can do.'
    return f"Sorry, that didn't work: {msg}\n\n{nxt}"


def _from_data(answer: Callable[[dict[str, Any]], str]
               ) -> Callable[[ToolResult, Conversation], str]:
    """A renderer of the digest answers (agent/digest_intents.py), which read the result only."""
    return lambda r, conv: answer(r.data)


_RENDERERS: dict[str, Callable[[ToolResult, Conversation], str]] = {
    "cv_saved": _cv_saved,
    "profile": _profile,
    "preferences": _preferences_saved,
    "job_list": _job_list,
    "analysis": _analysis,
    "gaps": _gaps,
    "tailoring_options": _tailoring_options,
    "tailored_cv": _tailored,
    "comparison": _comparison,
    "feedback": _feedback_saved,
    "forget_confirm": _forget_confirm,
    "forgotten": _forgotten,
    "error": _error,
    **ANSWERS,
    **RECRUITER_RENDERERS,
    **{kind: _from_data(f) for kind, f in DIGEST_RENDERERS.items()},
}


