"""Which job a message is about: an id, a link, a position in the last list, or "it"."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.conversation import Conversation
from agent.offline.vocabulary import (
    _COUNTS,
    _EXT_ID_RE,
    _FIRST_N_RE,
    _HASH_RE,
    _JOB_NUM_RE,
    _LAST_RE,
    _LIST_NUMS_RE,
    _NUM,
    _ORD_NUM_RE,
    _ORD_RE,
    _ORDINALS,
    _SALARYISH_RE,
    _TOP_RE,
    _URL_RE,
)


class NeedsClarity(Exception):
    """The message refers to a job the router cannot pin down; ask the user."""


def _ext_ids(original: str) -> list[str]:
    ids = []
    for m in _EXT_ID_RE.finditer(original):
        tok = m.group()
        if _SALARYISH_RE.match(tok) or re.fullmatch(r"\d+(?:[-–]\d+)+", tok):
            continue
        # "covid-19", "python-3", "top-10", "2x": words, not ids; "lever-83333218" is an id
        if re.fullmatch(r"(?i)\d+(?:st|nd|rd|th)|covid-19|\d+-\d+k?|[a-z]+-\d{1,3}x?", tok):
            continue
        ids.append(tok)
    return ids


def _stored_id(card: dict[str, Any]) -> str | None:
    """The id of a stored job's card; None for a pasted posting (not in the collection)."""
    job_id = card.get("job_id")
    if not job_id or not card.get("ref") or job_id == "pasted":
        return None
    return str(job_id)


def _referent(conv: Conversation, tool: str) -> dict[str, Any]:
    """The job "it" refers to: the last job discussed, as arguments for `tool`."""
    for r in reversed(conv.results):
        job = r.data.get("job")
        if r.kind in ("analysis", "gaps", "tailoring_options", "tailored_cv", "feedback") and (
                isinstance(job, dict)):
            stored = _stored_id(job)
            if stored is None:
                # a pasted posting: send it again where the tool takes text, else the tool
                # uses the posting discussed last (graph state)
                if tool in ("score_match", "explain_gaps") and r.args.get("job_text"):
                    return {"job_text": r.args["job_text"]}
                if tool == "link":
                    raise NeedsClarity("That posting was pasted here, so I have no link for it: "
                                       "apply where you found it.")
                return {}
            return {"job_id": stored}
        if r.kind == "job_list":
            jobs = r.data.get("jobs") or []
            if len(jobs) == 1:
                return {"position": 1}
            if not jobs:
                continue
            raise NeedsClarity(
                "Which job do you mean? Say \"the first one\", \"the 2nd one\" or a job id "
                "from the list.")
        if r.kind == "comparison":
            raise NeedsClarity(
                "Which job do you mean? Say \"the best one\" or refer to it by its position "
                "in your last list (\"the second one\").")
    return {}


def _target(text: str, original: str, conv: Conversation, tool: str) -> dict[str, Any]:
    """Job arguments for a single-job tool: an id, a position, or the job discussed last."""
    url = _URL_RE.search(original)
    if url:
        link = url.group().rstrip(").,")
        for card in conv.job_cards():
            if card.get("url") and str(card["url"]).rstrip("/") == link.rstrip("/"):
                return {"job_id": str(card["job_id"])}
        return {"job_id": link}  # the service knows the links of the jobs it stores
    listing = conv.last_list()
    ext = _ext_ids(_URL_RE.sub(" ", original))
    if ext:
        return {"job_id": ext[0]}
    m = _JOB_NUM_RE.search(text)
    if m:
        n = int(m.group(1))
        if listing is not None and 1 <= n <= len(listing) and not re.search(r"\bid\b", text):
            return {"position": n}
        return {"job_id": m.group(1)}
    pos = _single_position(text, conv)
    if pos is not None:
        return {"position": pos}
    if _TOP_RE.search(text):
        for r in reversed(conv.results):
            if r.kind == "comparison" and r.data.get("rows"):
                stored = _stored_id(r.data["rows"][0].get("job") or {})
                if stored is not None:
                    return {"job_id": stored}
            if r.kind == "job_list":
                return {"position": 1}
    return _referent(conv, tool)


def _single_position(text: str, conv: Conversation) -> int | None:
    m = _ORD_RE.search(text)
    if m and not re.search(rf"\b{m.group(1)}\s+(?:{_NUM}|time|place|step|thing)\b", text):
        return _ORDINALS[m.group(1)]
    m = _ORD_NUM_RE.search(text)
    if m:
        return int(m.group(1))
    m = _HASH_RE.search(text)
    if m:
        return int(m.group(1))
    if _LAST_RE.search(text):
        listing = conv.last_list()
        if listing:
            return len(listing)
        raise NeedsClarity("Which list do you mean? Ask for \"my best matches\" or a search first.")
    return None


def _positions(text: str, conv: Conversation) -> list[int]:
    """All positions mentioned, in order ("the first two", "1, 2 and 4", "second and last")."""
    m = _FIRST_N_RE.search(text)
    if m:
        raw = m.group(1)
        n = int(raw) if raw.isdigit() else _COUNTS[raw]
        return list(range(1, n + 1))
    found: list[tuple[int, int]] = []
    for m in _ORD_RE.finditer(text):
        found.append((m.start(), _ORDINALS[m.group(1)]))
    for m in _ORD_NUM_RE.finditer(text):
        found.append((m.start(), int(m.group(1))))
    for m in _HASH_RE.finditer(text):
        found.append((m.start(), int(m.group(1))))
    cleaned = _ORD_NUM_RE.sub(" ", _HASH_RE.sub(" ", text))
    for m in _LIST_NUMS_RE.finditer(cleaned):
        found.append((m.start(), int(m.group(1))))
    for m in _LAST_RE.finditer(text):
        listing = conv.last_list()
        if listing:
            found.append((m.start(), len(listing)))
    out: list[int] = []
    for _, n in sorted(found):
        if n not in out and n >= 1:
            out.append(n)
    return out


