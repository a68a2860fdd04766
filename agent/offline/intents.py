"""Intents checked before the rule file's: other languages, the application pipeline, skills
across matches, clearing preferences and lists that ignore them.

:func:`route_offline` returns a decision or None (then ``agent/router.py`` goes on). Questions
about applications ("which jobs have I applied to?") list them; only reports of progress ("I got
an interview at X", "I was rejected by Y") change them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from agent.offline.decisions import Call, Decision, Reply
from agent.offline.languages import detect_language, unsupported_answer
from agent.offline.slots import company_after, job_reference, number_of_days
from tools.parsing.work_mode import detect_wanted_work_mode

_APPLICATIONS_LIST_RE = re.compile(
    r"\b(?:my|all|show|list|open|pending|current|active)\s+(?:job\s+)?applications?\b"
    r"|\bapplications?\s+(?:status|pipeline|tracker|list|overview)\b|\bmy pipeline\b"
    r"|\b(?:which|what) (?:jobs?|roles?|companies|positions)\b.{0,30}\b(?:applied|applying"
    r"|interview(?:ing|s)?|offers?|rejected)\b"
    r"|\bwhere (?:have|did) i (?:apply|applied)\b|\bhave i applied\b|\bdid i apply\b"
    r"|\bhow many (?:jobs|applications|roles)\b.{0,20}\b(?:applied|sent|open)\b"
    r"|\bremind me (?:about|of) (?:my )?(?:applications?|jobs i applied)"
    r"|\bapplications?\b.{0,20}\b(?:older than|no (?:news|reply|answer)|waiting|stale)\b"
    r"|\b(?:where|which).{0,20}\b(?:am i|i'm) interviewing\b|\bapplication status\b"
    r"|\b(?:which|what|any) (?:job )?offers (?:do|have|did) i\b"
    r"|\bstatus of\b.{0,30}\bappl|\b(?:jobs|roles|positions|companies) i(?:'ve| have)? "
    r"applied (?:to|for|at)\b")
_STAGE_ONLY = {
    "interviewing": re.compile(r"\binterview"), "offer": re.compile(r"\boffers?\b"),
    "rejected": re.compile(r"\breject"), "saved": re.compile(r"\bsaved\b"),
}
#: Reports of a step, with the words that introduce the company.
_EVENTS: tuple[tuple[str, re.Pattern[str], str], ...] = (
    ("interviewing", re.compile(
        r"\b(?:i(?:'ve| have)? (?:got|landed|have|scheduled|booked|passed)|got|landed|invited to)"
        r"\s+(?:an?\s+|the\s+|my\s+)?(?:\w+\s+)?(?:job\s+)?interview(?:s)?\b"
        r"|\binterview(?:ing)? (?:with|at|for)\b|\b(?:i'm|i am) interviewing\b"
        r"|\bthey (?:want|invited) (?:to interview )?me\b|\bmove(?:d)? (?:me )?to (?:the )?"
        r"interview"), r"at|with|from|for"),
    ("offer", re.compile(
        r"\b(?:i(?:'ve| have)? )?(?:got|received|have|landed) (?:an?|the) (?:job )?offer\b"
        r"|\boffered me\b|\bmade me an offer\b|\b(?:i )?got the job\b"), r"from|at|by|with"),
    ("rejected", re.compile(
        r"\b(?:i )?(?:was|got|been|have been|'ve been) (?:rejected|turned down|declined)\b"
        r"|\brejected me\b|\bturned me down\b|\bdidn'?t get (?:the job|it|an? offer)\b"
        r"|\bno luck (?:with|at)\b|\b(?:a )?rejection (?:from|by)\b"), r"by|from|at|with"),
    ("withdrawn", re.compile(
        r"\bi (?:withdrew|have withdrawn|'ve withdrawn|pulled out|retracted)\b"
        r"|\bwithdraw my application\b|\bwithdrew (?:my )?application\b"), r"from|at|with|to"),
    ("applied", re.compile(
        r"^(?:i(?:'ve| have)?|just|already)\s+(?:just\s+|already\s+)?(?:applied|sent my (?:cv|"
        r"application))\s+(?:to|at|for|with)\s+(?!(?:it|this|that|the|job|number|#|\d))"),
     r"to|at|for|with"),
)
_SKILLS_RE = re.compile(
    r"\bwhat (?:should|shall|could|do) i (?:learn|study|pick up)\b"
    r"|\b(?:which|what) (?:skills?|technolog(?:y|ies)|tools?|certifications?)\b.{0,40}"
    r"\b(?:learn|raise|boost|improve|increase|help|add|most|missing|lack|valuable|worth)\b"
    r"|\bskills? (?:to|i should) (?:learn|add|acquire|develop)\b|\bwhat to learn\b"
    r"|\bmost (?:valuable|useful|in-demand|impactful) skills?\b|\blearn (?:next|first)\b"
    r"|\braise my scores\b|\bimprove my (?:scores|matches|chances overall)\b"
    r"|\bskills? gaps? (?:overall|across)\b|\bmissing (?:overall|across (?:my )?matches)\b")
_CLEAR_RE = (
    ("salary_floor", re.compile(
        r"\bno (?:minimum |min )?salary (?:preference|floor|minimum|requirement|limit)\b"
        r"|\b(?:remove|clear|delete|drop|reset|forget|cancel)\b.{0,20}\bsalary\b"
        r"|\bany salary\b|\bsalary (?:doesn'?t|does not) matter\b|\bdon'?t care about (?:the )?"
        r"salary\b")),
    ("locations", re.compile(
        r"\bno (?:location|place|city) (?:preference|filter)\b|\b(?:remove|clear|delete|drop"
        r"|reset|forget)\b.{0,20}\blocations?\b|\b(?:any|every) (?:location|city|place)\b"
        r"|\banywhere is fine\b|\blocation (?:doesn'?t|does not) matter\b")),
    ("remote", re.compile(
        r"\bno (?:work ?mode|remote) preference\b|\bany work ?mode\b|\b(?:remove|clear|reset"
        r"|drop)\b.{0,20}\b(?:work ?mode|remote (?:preference|filter))\b")),
    ("all", re.compile(
        r"\b(?:clear|reset|remove|delete|drop|forget|wipe)\b.{0,10}\b(?:all )?(?:my )?(?:job )?"
        r"(?:preferences|filters|settings)\b(?! for)")),
)
_MATCHES_RE = re.compile(
    r"\b(?:jobs?|roles?|positions?|openings?|vacanc(?:y|ies))\b.{0,12}\b(?:suit|fit|match)"
    r"(?:es|s)? my "
    r"(?:profile|cv|resume|skills|experience)\b"
    r"|^(?:show (?:me )?|list |give me )?(?:my )?(?:best|top)\s+(?:(?:remote|hybrid|\d+|new)\s+)"
    r"{1,2}(?:matches|fits|jobs)\b")
_IGNORE_RE = re.compile(
    r"\bignor(?:e|ing) my (?:preferences|filters|settings)\b|\bwithout (?:my )?(?:preferences"
    r"|filters)\b|\b(?:show|see|list) (?:me )?(?:the )?(?:hidden|all)\b.{0,20}\b(?:jobs|matches)"
    r"\b|\bincluding (?:the )?hidden\b|\bhidden (?:jobs|matches)\b|\bshow (?:me )?(?:them|those)"
    r" (?:anyway|too|as well)\b")


#: "how well do senior developers usually score?": a question about other people.
_ABOUT_OTHERS_RE = re.compile(
    r"^(?:how (?:well|good|high|much)|what) (?:do|does|did|would|can|could|will) (?!i\b|i'|me\b"
    r"|my\b|you\b)(?:\w+ ){1,4}(?:usually |typically |normally |generally )?(?:score|fit|match"
    r"|earn|get paid|make)\b")
ABOUT_OTHERS = (
    "I can only tell how well *you* fit a job, from your CV and the scoring engine: I have no "
    "figures about other people. Ask \"how well do I fit the first one?\" or paste a posting.")
_FIRST_PERSON_RE = re.compile(r"i\b|i'(?:ve|m)\b|just\b")
_AGE_WORDS_RE = re.compile(r"older|no (?:news|reply|answer)|waiting|since|stale|more than|over"
                           r"|remind")
_ASKING_RE = re.compile(r"^(?:which|what|where|how|do|did|have|any)\b")
_TOP_K_RE = re.compile(r"\b(?:best|top)\s+(\d{1,2})\b")


def _norm(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def route_language(original: str) -> Reply | None:
    """An honest English answer to a message (or a pasted CV) in another language."""
    lang = detect_language(original)
    if lang is None:
        return None
    long_doc = len(original) >= 400 or original.count("\n") >= 4
    return Reply(unsupported_answer(lang, cv=long_doc))


def route_offline(original: str, results: Sequence[Any] = ()) -> Decision | None:
    """A decision for the intents of this module, or None."""
    text = _norm(original)
    if not text:
        return None
    if len(original) > 400:  # pasted documents are for the rules that read them
        return None
    if _ABOUT_OTHERS_RE.search(text):
        return Reply(ABOUT_OTHERS)
    if _APPLICATIONS_LIST_RE.search(text) and not _FIRST_PERSON_RE.match(text):
        args: dict[str, Any] = {}
        days = number_of_days(text)
        if days is not None and _AGE_WORDS_RE.search(text):
            args["older_than_days"] = days
        elif "remind" in text:
            args["older_than_days"] = 14
        else:
            for stage, rx in _STAGE_ONLY.items():
                if rx.search(text):
                    args["status"] = stage
                    break
        return Call("list_applications", args)
    for status, rx, preps in _EVENTS:
        if rx.search(text) and not _ASKING_RE.match(text):
            args = {"status": status}
            ref = job_reference(text)
            company = company_after(original, preps)
            if ref:
                args.update(ref)
            elif company:
                args["company"] = company
            elif status == "applied":
                return None
            return Call("track_application", args)
    if _SKILLS_RE.search(text) and not job_reference(text) and not re.search(
            r"\b(?:for|about) (?:it|this|that|the (?:job|role))\b", text):
        return Call("skills_to_learn", {})
    if _MATCHES_RE.search(text):
        found: dict[str, Any] = {"remote_only": True} if detect_wanted_work_mode(
            text) == "remote" else {}
        k = _TOP_K_RE.search(text)
        if k and 1 <= int(k.group(1)) <= 25:
            found["k"] = int(k.group(1))
        return Call("match_jobs", found)
    if _IGNORE_RE.search(text):
        last = next((r for r in reversed(results) if getattr(r, "kind", "") == "job_list"), None)
        if last is not None and last.name == "search_jobs" and not re.search(r"\bmatch", text):
            return Call("search_jobs", {**last.args, "ignore_preferences": True})
        return Call("match_jobs", {"ignore_preferences": True, "min_score": 0})
    for name, rx in _CLEAR_RE:
        if rx.search(text):
            return Call("update_preferences", {"clear": [name]})
    return None
