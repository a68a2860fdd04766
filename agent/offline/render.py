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
from agent.recruiter_intents import RENDERERS as RECRUITER_RENDERERS
from tools.card_text import (
    checklist_markdown,
    gaps_markdown,
    job_list_markdown,
    score_markdown,
)
from tools.cards import (
    GapList,
    JobList,
    ScoreCard,
    TailoringChecklist,
    card_from_result,
)
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
    card = card_from_result(r.data)
    assert isinstance(card, JobList)
    if card.rows:
        card = card.model_copy(update={"title": _list_title(r)})
        n = len(card.rows)
        tail = ('Ask "how well do I fit the ' + ("2nd" if n >= 2 else "1st") + ' one?", "tailor '
                'my CV for the first one"' + (' or "compare the first two".' if n >= 2 else "."))
        return job_list_markdown(card) + "\n\n" + tail
    return job_list_markdown(card)


def _list_title(r: ToolResult) -> str:
    """The list's heading in the words of the request ("Jobs remote in Berlin, best fit...")."""
    source, query = r.data.get("source"), r.data.get("query")
    where = []
    if r.args.get("remote_only"):
        where.append("remote")
    if r.args.get("location"):
        where.append(f"in {r.args['location']}")
    if isinstance(r.args.get("min_salary"), int | float):
        where.append(f"paying at least {format_money(r.args['min_salary'])}")
    if source == "matches" and where:
        return f"Jobs {' '.join(where)}, best fit for your CV first"
    if source == "matches":
        return "Your best matches"
    return f'Jobs for "{query}"' if query else "Jobs"


_FACTORS = ("skills", "experience", "location", "salary", "semantic")


def _analysis(r: ToolResult, conv: Conversation) -> str:
    card = card_from_result(r.data)
    assert isinstance(card, ScoreCard)
    return score_markdown(card) + '\n\nNext: "what am I missing?" or "tailor my CV for it".'


def _gaps(r: ToolResult, conv: Conversation) -> str:
    card = card_from_result(r.data)
    assert isinstance(card, GapList)
    return (gaps_markdown(card)
            + '\n\nNext: "tailor my CV for it" to fix what your CV already supports.')


def _tailoring_options(r: ToolResult, conv: Conversation) -> str:
    card = card_from_result(r.data)
    assert isinstance(card, TailoringChecklist)
    if not card.items:
        return checklist_markdown(card)
    nums = [n for n, i in enumerate(card.items, 1) if i.kind == "change"]
    if not nums:  # only requests for the user's own words: the checklist says how to reply
        return checklist_markdown(card)
    pick = f"options {nums[0]} and {nums[min(2, len(nums) - 1)]}" if len(nums) > 1 \
        else f"option {nums[0]}"
    return (checklist_markdown(card)
            + f'\n\nReply "apply all", "use {pick}", or "apply the recommended ones".')


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
    added = [x for x in d.get("added") or [] if isinstance(x, dict)]
    said: list[str] = []
    for a in added:  # the user's own lines, placed as written
        said.append(f"Added to {a.get('role') or 'your role'}, in your words:")
        lines.append(f"{said[-1]} “{a.get('text') or ''}”" + (
            "" if a.get("with_result", True) else " (no measurable result yet, so it does not "
            "count as shown with a result: add a number you can back up)"))
    measured = [str(x) for x in d.get("measured") or []]
    if measured:
        lines.append("Before → after: " + "; ".join(measured) + ".")
    notes = [str(x) for x in d.get("notes") or [] if x and not str(x).startswith(tuple(said))]
    if notes:
        lines.append("Notes:")
        lines.extend(f"- {n}" for n in notes)
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


