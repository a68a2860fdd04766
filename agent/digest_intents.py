"""Digest phrases for the offline model (hooked into ``agent/router.py``), and the answers it
writes from the digest tools' results.

Understood: "send me a weekly digest on Mondays at 8", "daily digest at 7:30 Berlin time",
"show my digest" (never changes the schedule), "my last digests", "send my digest now",
"stop my digests", "what skills are trending for me?", "what should I learn (first)?".
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any
from zoneinfo import available_timezones

from tools.card_text import digest_markdown
from tools.digest import Digest, skill_line
from tools.digest_card import digest_card

#: The tools these phrases call (agent/digest_tools.py).
DIGEST_TOOLS = ("set_digest_schedule", "show_digest", "send_digest_now", "skill_insights")

_DIGEST = r"(?:digests?|summar(?:y|ies)|round-?ups?|newsletters?)"
_HISTORY_RE = re.compile(
    rf"\b(?:my |the )?(?:last|past|previous|recent|old|earlier) (?:\w+ )?{_DIGEST}\b"
    rf"|\b{_DIGEST} history\b|\bhistory of (?:my )?{_DIGEST}")
_STOP_RE = re.compile(
    rf"\b(?:stop|cancel|unsubscribe|turn off|switch off|disable|pause|end|no more|don'?t send)"
    rf"\b.{{0,30}}\b{_DIGEST}|\b{_DIGEST}\b.{{0,10}}\boff\b|\bunsubscribe\b")
_NOW_RE = re.compile(
    rf"\b(?:send|email|mail|give|generate|run)\b.{{0,30}}\b{_DIGEST}\b.{{0,20}}\b(?:now|today|"
    rf"right away|immediately)\b|\b{_DIGEST} now\b|^(?:please )?send (?:me )?my {_DIGEST}\W*$")
_SHOW_RE = re.compile(
    rf"\b(?:show|see|open|read|view|display|check|what'?s in|what is in|where is|get)\b"
    rf".{{0,20}}\b{_DIGEST}\b|^(?:my |the )?(?:latest |last |new )?{_DIGEST}\W*$")
_SCHEDULE_RE = re.compile(
    rf"\b{_DIGEST}\b|\b(?:email|send|notify|message|ping) me\b.*\b(?:every|each|daily|weekly)\b")
_TRENDS_RE = re.compile(
    r"\b(?:skills?|technolog(?:y|ies)|tools?|languages?)\b.{0,40}\b(?:trending|in demand|"
    r"popular|hot|asked for|rising|growing|wanted)\b|\btrending (?:skills?|tech)\b"
    r"|\bwhat(?:'s| is| are) trending\b|\bskill trends?\b")
_LEARN_RE = re.compile(
    r"\bwhat (?:should|could|can|do) i (?:learn|study|pick up)\b|\bwhat (?:skills? )?to learn\b"
    r"|\bwhich skills? (?:should|could|to|do) (?:i )?(?:learn|add|improve|study)\b"
    r"|\bskills? (?:i should|to) (?:learn|add)\b|\bwhat (?:skills? )?should i add\b"
    r"|\bwhat (?:skills?|would) (?:would )?(?:raise|improve|boost) my (?:matches|scores?)\b")

_DAYS = {"mon": "mon", "monday": "mon", "tue": "tue", "tues": "tue", "tuesday": "tue",
         "wed": "wed", "wednesday": "wed", "thu": "thu", "thur": "thu", "thurs": "thu",
         "thursday": "thu", "fri": "fri", "friday": "fri", "sat": "sat", "saturday": "sat",
         "sun": "sun", "sunday": "sun"}
_DAY_RE = re.compile(r"\b(" + "|".join(sorted(_DAYS, key=len, reverse=True)) + r")s?\b")
_TIME_RE = re.compile(
    r"\b(?:at|@|around|by)\s+(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?"
    r"|\b(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b|\b(\d{1,2}):(\d{2})\b")
_ABBREV = {"utc": "UTC", "gmt": "Europe/London", "bst": "Europe/London", "cet": "Europe/Paris",
           "cest": "Europe/Paris", "est": "America/New_York", "edt": "America/New_York",
           "et": "America/New_York", "pst": "America/Los_Angeles", "pdt": "America/Los_Angeles",
           "pt": "America/Los_Angeles", "cst": "America/Chicago", "ist": "Asia/Kolkata",
           "jst": "Asia/Tokyo", "aest": "Australia/Sydney"}


@cache
def _zones_by_city() -> dict[str, str]:
    out: dict[str, str] = {}
    for name in sorted(available_timezones()):
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/")):
            out.setdefault(name.rsplit("/", 1)[-1].replace("_", " ").lower(), name)
    return out


def timezone_in(text: str, original: str) -> str | None:
    """An IANA zone named in a message: "Europe/Berlin", "Berlin time", "in Tokyo", "CET"."""
    m = re.search(r"\b([A-Z][A-Za-z_]+/[A-Z][A-Za-z_/]+)\b", original)
    if m and m.group(1) in available_timezones():
        return m.group(1)
    cities = _zones_by_city()
    for m in re.finditer(r"\b(?:in |on )?([a-z][a-z .'-]{1,30}?) time\b", text):
        words = m.group(1).split()
        for i in range(len(words)):
            name = " ".join(words[i:])
            if name in cities:
                return cities[name]
            if name in _ABBREV:
                return _ABBREV[name]
    m = re.search(r"\b(utc|gmt|bst|cet|cest|est|edt|pst|pdt|cst|ist|jst|aest)\b", text)
    if m:
        return _ABBREV[m.group(1)]
    m = re.search(r"\b(?:in|for) ([a-z][a-z .'-]{1,30}?)(?:\s+(?:time|timezone))?\W*$", text)
    if m and m.group(1).strip() in cities:
        return cities[m.group(1).strip()]
    return None


def schedule_in(text: str) -> str:
    """ "weekly mon 08:00" / "daily 07:30" from a message (default 08:00, Monday)."""
    day = _DAY_RE.search(text)
    weekly = bool(day) or bool(re.search(r"\bweekly\b|\b(?:every|each|a|per|once a) week\b",
                                         text))
    hour, minute = 8, 0
    t = _TIME_RE.search(text)
    if t:
        groups = t.groups()
        h, mm, ampm = ((groups[0], groups[1], groups[2]) if groups[0] else
                       (groups[3], groups[4], groups[5]) if groups[3] else
                       (groups[6], groups[7], None))
        hour, minute = int(h), int(mm or 0)
        if ampm and ampm.startswith("p") and hour < 12:
            hour += 12
        elif ampm and ampm.startswith("a") and hour == 12:
            hour = 0
    elif re.search(r"\bnoon\b|\bmidday\b", text):
        hour = 12
    elif re.search(r"\bevening\b", text):
        hour = 18
    hour, minute = min(hour, 23), min(minute, 59)
    if weekly:
        return f"weekly {_DAYS[day.group(1)] if day else 'mon'} {hour:02d}:{minute:02d}"
    return f"daily {hour:02d}:{minute:02d}"


def route_digest(text: str, original: str) -> tuple[str, dict[str, Any]] | None:
    """(tool, args) for a digest phrase, or None. ``text`` is the normalised message."""
    if _TRENDS_RE.search(text):
        return "skill_insights", {"topic": "trends"}
    if _LEARN_RE.search(text):
        return "skill_insights", {"topic": "learn"}
    if not re.search(rf"\b{_DIGEST}\b|\b(?:email|send|notify|message|ping) me\b|\bunsubscribe",
                     text):
        return None
    if _HISTORY_RE.search(text):
        return "show_digest", {"history": True}
    if _STOP_RE.search(text):
        return "set_digest_schedule", {"schedule": "off"}
    if _NOW_RE.search(text):
        return "send_digest_now", {}
    if _SHOW_RE.search(text) and not re.search(
            r"\b(?:every|each|daily|weekly|at \d|on (?:mon|tue|wed|thu|fri|sat|sun))", text):
        return "show_digest", {}
    if _SCHEDULE_RE.search(text) and re.search(
            r"\b(?:daily|weekly|every|each|morning|evening|at \d|\d ?(?:am|pm)\b|\d:\d\d"
            r"|(?:mon|tues|wednes|thurs|fri|satur|sun)days?\b|set|schedule|change|move|"
            r"want|send me|subscribe|start|time\b)", text):
        args: dict[str, Any] = {"schedule": schedule_in(text)}
        tz = timezone_in(text, original)
        if tz:
            args["timezone"] = tz
        return "set_digest_schedule", args
    return None


# --------------------------------------------------------------------------- answers


def _schedule_answer(data: dict[str, Any]) -> str:
    if data.get("schedule") == "off":
        return ("Done: no more digests. Say \"send me a weekly digest on Mondays at 8\" to start "
                "again.")
    return (f"Done: your digest comes {data.get('describe')} ({data.get('timezone')}). The next "
            f"one is on {data.get('next_run_local')}.")


def _digest_answer(data: dict[str, Any]) -> str:
    raw = data.get("digest") or {}
    if not raw:
        return "You have no digest yet."
    d = Digest.model_validate({k: v for k, v in raw.items() if k not in ("empty", "headline")})
    body = digest_markdown(digest_card(d), title=False)  # the card every channel shows
    head = ("Your latest digest:" if data.get("stored", True)
            else "No digest was sent yet; this is what it would hold now:")
    return f"{head}\n\n{body}"


def _history_answer(data: dict[str, Any]) -> str:
    rows = data.get("digests") or []
    if not rows:
        return ('No digests yet. Say "send me a weekly digest on Mondays at 8" or "send my '
                'digest now".')
    lines = ["Your last digests:"]
    for r in rows:
        seen = "seen" if r.get("viewed_at") else "not seen"
        lines.append(f"- {r.get('period')}: {r.get('matches')} matches, {r.get('changes')} "
                     f"changes ({r.get('status')}, {seen})")
    return "\n".join(lines)


def _sent_answer(data: dict[str, Any]) -> str:
    status = data.get("status")
    if status == "already":
        return "Your digest for this minute was already produced; see it with \"show my digest\"."
    chans = data.get("channels") or {}
    where = ", ".join(
        f"{k.replace('_', '-')}: {v.get('status')}" + (f" ({v.get('reason')})"
                                                       if v.get("reason") else "")
        for k, v in chans.items()) or "in the app"
    text = f"Sent ({where})."
    if data.get("digest"):
        text += "\n\n" + _digest_answer({"digest": data["digest"], "stored": True}).split(
            "\n\n", 1)[-1]
    return text


def _trends_answer(data: dict[str, Any]) -> str:
    if not data.get("has_cv"):
        return "Paste your CV first: trends are counted over the jobs that fit you."
    trends = data.get("trends") or []
    if not trends:
        return "No jobs relevant to you arrived this period, so there is no trend yet."
    lines = ["Skills most asked for by the jobs that fit you this period (vs the previous one):"]
    for t in trends:
        move = {"new": "new", "rising": f"up {t['change']}", "falling": f"down {-t['change']}",
                "steady": "steady"}[t["direction"]]
        lines.append(f"- {t['skill']}: {t['count']} jobs ({move})")
    for t in data.get("falling") or []:
        lines.append(f"- {t['skill']}: {t['count']} jobs (down {-t['change']})")
    return "\n".join(lines)


def _learn_answer(data: dict[str, Any]) -> str:
    from tools.insights import SkillImpact

    if not data.get("has_cv"):
        return "Paste your CV first: I measure each skill on your top matches."
    skills = [SkillImpact.model_validate(s) for s in data.get("skills") or []]
    if not skills:
        return "No single skill would raise your top matches: they already ask for what you show."
    show = [s for s in skills if s.kind == "show"]
    learn = [s for s in skills if s.kind == "learn"]
    lines = [f"Measured on your top {data.get('measured_on')} matches:"]
    if show:
        lines += ["", "You may already have these - show them in your CV:"]
        lines += [f"- {skill_line(s)}" for s in show]
    if learn:
        lines += ["", "Worth learning (best first):"]
        lines += [f"- {skill_line(s)}" for s in learn]
    return "\n".join(lines)


RENDERERS = {
    "digest_schedule": _schedule_answer,
    "digest": _digest_answer,
    "digest_history": _history_answer,
    "digest_sent": _sent_answer,
    "skill_trends": _trends_answer,
    "skills_to_learn": _learn_answer,
}
