"""Slot extractors shared by the offline intents: a company named after a preposition, a
reference to a job of the last list, a number of days."""

from __future__ import annotations

import re
from typing import Any

from tools.parsing.numbers import number_word_value, ordinal_value

_REF_RE = re.compile(
    r"\b(?:the\s+)?(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|1st|2nd"
    r"|3rd|4th|5th)\s+(?:one|job|role|match|posting|position)\b"
    r"|(?:#\s?|\bnumber\s+|\bjob\s+)(\d{1,3})\b|\b([a-z]+-\d+(?:-\d+)*)\b")
_IT_RE = re.compile(r"\b(?:for|at|with|from|to|by|on)\s+(?:it|this|that)(?: one| job| role)?\b"
                    r"|\b(?:this|that) (?:one|job|role)\b")
_STOP_WORDS = frozenset(
    "today yesterday tomorrow this that it them there last next week month on for the a an "
    "and but so please again yet soon now finally too as well".split())


def job_reference(text: str) -> dict[str, Any] | None:
    """{"position": n}, {"job_id": id}, {} for "it"/"this one", or None when none is named."""
    m = _REF_RE.search(text)
    if m:
        if m.group(1):
            return {"position": ordinal_value(m.group(1))}
        if m.group(2):
            return {"position": int(m.group(2))}
        return {"job_id": m.group(3)}
    if _IT_RE.search(text):
        return {}
    return None


def company_after(original: str, prepositions: str) -> str | None:
    """The capitalised name after one of ``prepositions`` ("at Copperline Labs" ->
    "Copperline Labs"), or None."""
    for m in re.finditer(rf"\b(?:{prepositions})\s+(?:the\s+)?([A-Z0-9][\w&.'-]*"
                         r"(?:\s+(?:&\s+)?[A-Z0-9][\w&.'-]*){0,4})", original):
        words = []
        for w in m.group(1).split():
            words.append(w)
            if w.endswith((".", ",", "!", "?")):  # the sentence or the list goes on
                break
        while words and words[-1].lower().strip(".,!?") in _STOP_WORDS:
            words.pop()
        name = " ".join(words).strip(" .,!?;:'\"")
        if name and name.lower() not in _STOP_WORDS:
            return name
    return None


def number_of_days(text: str) -> int | None:
    """Days in "older than 2 weeks", "10 days", "a month" (None when no span is named)."""
    m = re.search(r"\b(\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|a couple of"
                  r"|couple of|a)\s+(days?|weeks?|months?)\b", text)
    if not m:
        if re.search(r"\bfortnight\b", text):
            return 14
        return None
    raw = m.group(1)
    n = int(raw) if raw.isdigit() else number_word_value(raw) or 0
    unit = m.group(2)
    return n * (7 if unit.startswith("week") else 30 if unit.startswith("month") else 1)
