"""Slots of a request: places, salaries, work mode, posting age, list sizes, search words."""

from __future__ import annotations

import re
from typing import Any

from agent.offline.vocabulary import (
    _COUNTS,
    _FILLER,
    _LOC_NEVER,
    _LOC_STOP,
    _NUM,
    _POSTED_RES,
    _POSTED_WORD_RE,
    _PREP_LOC_RE,
    _WORD_RE,
    _norm,
)
from tools.parsing.location import country_name, parse_location
from tools.parsing.salary import parse_salary
from tools.parsing.work_mode import detect_wanted_work_mode


def _locations(original: str) -> list[str]:
    """Place names in a message ("in Berlin", "only London or Paris", "NYC"), canonical."""
    return [name for name, _ in _place_mentions(original)]


def _place_mentions(original: str) -> list[tuple[str, str]]:
    """(canonical name, words as typed) for each place named in a message."""
    words = list(_WORD_RE.finditer(original))
    found: list[tuple[str, str]] = []
    covered = -1
    for i, w in enumerate(words):
        if w.start() < covered:
            continue
        prep = bool(_PREP_LOC_RE.search(original[:w.start()].lower()))
        if w.group().lower() == "the" and prep:
            continue
        if not prep and original[:w.start()].lower().rstrip().endswith(" the"):
            prep = bool(_PREP_LOC_RE.search(original[:w.start()].lower().rstrip()[:-4]))
        for n in (3, 2, 1):
            chunk = words[i:i + n]
            if len(chunk) < n:
                continue
            if any(c.group().lower() in ("or", "and", "to", "in", "near", "only", "not")
                   for c in chunk[1:]):
                continue
            phrase = original[chunk[0].start():chunk[-1].end()].strip(".'")
            titled = all(c.group()[0].isupper() for c in chunk) and not (
                phrase.isupper() and len(phrase) <= 4)
            if not (prep or (titled and i > 0)):
                continue
            low = phrase.lower()
            if low in _LOC_NEVER or (low in _LOC_STOP or low in _FILLER) and not prep:
                continue
            if low == "us" and phrase != "US":
                continue
            loc = parse_location(phrase)
            if loc is None or not (loc.city or loc.country or loc.region):
                continue
            if loc.city:
                name = loc.city
            elif loc.country and not loc.region:
                name = country_name(loc.country) or phrase
            else:
                name = phrase if not phrase.islower() else phrase.title()
            if name not in [f for f, _ in found]:
                found.append((name, phrase))
            covered = chunk[-1].end()
            break
    return found


def _remove_locations(text: str, original: str) -> str:
    """The lower-cased text without the place phrases."""
    out = text
    for _, surface in _place_mentions(original):
        out = re.sub(rf"\b{re.escape(_norm(surface))}\b", " ", out)
    return out


def _salary(text: str) -> float | None:
    s = parse_salary(text)
    if s is None:
        return None
    value = s.min if s.min is not None else s.max
    if value is None or value < 1000:
        return None
    return float(value)


def _posted_days(text: str) -> int | None:
    for rx, days in _POSTED_RES:
        m = rx.search(text)
        if m:
            return days(m)
    return None


def _k(text: str) -> int | None:
    m = re.search(rf"\b(?:top|best|first)\s+({_NUM})\b|\b({_NUM})\s+(?:best|top)\b", text)
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    value = int(raw) if raw.isdigit() else _COUNTS.get(raw, 0)
    return value if 1 <= value <= 50 else None


def _filters(text: str, original: str, *, posted: bool = True) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if detect_wanted_work_mode(text) == "remote":
        args["remote_only"] = True
    places = _locations(original)
    if places:
        args["location"] = places[0]
    salary = _salary(original)
    if salary is not None:
        args["min_salary"] = salary
    if posted:
        days = _posted_days(text)
        if days is not None:
            args["posted_within_days"] = days
    return args


def _search_query(text: str, original: str) -> str:
    out = _remove_locations(text, original)
    s = parse_salary(original)
    if s is not None and s.raw:
        out = out.replace(s.raw.lower(), " ")
    out = _POSTED_WORD_RE.sub(" ", out)
    out = re.sub(r"[$€£]?\d[\d,.]*\s*k?\+?|\b\d+\b", " ", out)
    words = [w for w in re.findall(r"[a-z0-9+#][a-z0-9+#.'-]*", out) if w not in _FILLER]
    words = [w.strip(".'") for w in words if w.strip(".'")]
    if re.search(r"\bIT\b", original) and "it" not in words:
        words.insert(0, "IT")
    return " ".join(words)


