"""Total years of experience from what a CV actually says, and where the figure came from.

In order of trust:

1. ``"dated_roles"``: the union of the experience entries' date ranges (overlaps once).
2. ``"stated"``: an explicit statement in the summary or the top of the CV: "over 10 years of
   experience in ...", "15+ years' experience", "Overall professional experience: 26 years".
   The largest such figure wins ("10 years of experience, 4 of them leading teams" -> 10).
3. ``"skill_durations"``: per-skill durations in a skills list or table: "Java (5 years)",
   "Python – Experience – 24 months", "Accounting 1998 to Current". The longest one, never the
   sum (skills are used at the same time).

Nothing else counts: a CV that gives none of these has ``total_years`` None (unknown), not a
guess. Ages ("51 yrs"), durations of projects ("in six months") and school activities are not
experience statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Literal

from tools.parsing.dates import parse_date_range, years_from_ranges
from tools.parsing.experience import to_number
from tools.parsing.numbers import number_words, words_pattern

YearsSource = Literal["dated_roles", "stated", "skill_durations"]

# number words as figures ("ten years"); not the articles and phrases postings also use
_NUMBER_WORDS = [*number_words(1, 20), "twenty-five", "thirty", "forty"]
_NUM = r"(?P<n>\d{1,2}(?:\.\d)?|" + words_pattern(_NUMBER_WORDS) + r")"
_PLUS = r"(?:\s*\+|\s+plus)?"
_UNIT_Y = r"(?:years?|yrs?\.?)"

#: "over 10 years of experience", "15+ years' progressive experience", "10 years of
#: leadership experience", "seven years in the industry".
_STATED = re.compile(
    rf"(?<![\w.]){_NUM}{_PLUS}\s*(?:-\s*)?{_UNIT_Y}['’]?(?:\s+of)?\s+"
    r"(?:(?:[\w&/,-]+\s+){0,4}?)(?:experience|expertise|background|in\s+the\s+"
    r"(?:industry|field|profession)|(?:of\s+)?(?:professional|progressive|hands-on)\s+"
    r"experience)\b",
    re.IGNORECASE,
)
#: "experience of 8 years", "Overall Professional Experience 26 years", "Experience: 12+ yrs".
_STATED_AFTER = re.compile(
    rf"\bexperience\s*(?:of|:|-|–)?\s*(?:over\s+|more than\s+|about\s+)?{_NUM}{_PLUS}\s*"
    rf"{_UNIT_Y}(?![\w])",
    re.IGNORECASE,
)
_NOT_STATED = re.compile(r"\b(?:old|of age|age)\b", re.IGNORECASE)

#: "Java (5 years)", "Sales (7+ yrs)", "SQL (18 months)".
_SKILL_PAREN = re.compile(
    rf"(?P<name>[A-Za-z][\w .+#&/'-]{{0,40}}?)\s*\(\s*{_NUM}{_PLUS}\s*"
    r"(?P<unit>years?|yrs?\.?|months?|mos?\.?)\s*\)",
    re.IGNORECASE,
)
#: "Python – Experience – 24 months", "Excel | 5 years", "Java: 3 yrs".
_SKILL_DASH = re.compile(
    rf"^\s*(?P<name>[A-Za-z][\w .+#&/'-]{{0,40}}?)\s*(?:[-–—:|]\s*)+(?:experience\s*"
    rf"(?:[-–—:|]\s*)+)?{_NUM}{_PLUS}\s*(?P<unit>years?|yrs?\.?|months?|mos?\.?)\s*$",
    re.IGNORECASE | re.MULTILINE,
)
#: "Accounting 1998 to Current" in a skills list: the skill's years from its range.
_SKILL_RANGE = re.compile(
    r"^\s*(?P<name>[A-Za-z][\w .+#&/'-]{1,40}?)\s*[-–—:|,]?\s*(?P<range>(?:19|20)\d\d\s*"
    r"(?:-|–|—|to)\s*(?:(?:19|20)\d\d|present|current|now|date))\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_MAX_YEARS = 60.0


def stated_years(text: str) -> float | None:
    """The largest "N years of experience" figure stated in `text` (None if there is none)."""
    low = text.lower()
    if "year" not in low and "yr" not in low:
        return None
    best: float | None = None
    for rx in (_STATED, _STATED_AFTER):
        for m in rx.finditer(text):
            tail = text[m.end():m.end() + 12]
            if _NOT_STATED.search(tail) or _NOT_STATED.search(m.group(0)):
                continue
            n = to_number(m.group("n"))
            if n is not None and 0 < n <= _MAX_YEARS and (best is None or n > best):
                best = n
    return best


def skill_duration_years(
    text: str, is_skill: Callable[[str], bool], *, today: date | None = None
) -> float | None:
    """The longest per-skill duration in `text` (a skills section), in years, 1 decimal."""
    low = text.lower()
    if not any(w in low for w in ("year", "yr", "month", "mo", "19", "20")):
        return None
    best: float | None = None

    def offer(name: str, years: float) -> None:
        nonlocal best
        if 0 < years <= _MAX_YEARS and is_skill(name.strip()) and (best is None or years > best):
            best = years

    for rx in (_SKILL_PAREN, _SKILL_DASH):
        for m in rx.finditer(text):
            n = to_number(m.group("n"))
            if n is None:
                continue
            months = m.group("unit").lower().startswith("mo")
            offer(m.group("name"), n / 12 if months else n)
    for m in _SKILL_RANGE.finditer(text):
        rng = parse_date_range(m.group("range"), today=today)
        if rng is not None:
            offer(m.group("name"), years_from_ranges([rng], today=today))
    return None if best is None else round(best, 1)


def total_years(
    ranges: list[tuple[str, str]],
    statement_texts: Iterable[str],
    skill_texts: Iterable[str],
    is_skill: Callable[[str], bool],
    *,
    today: date | None = None,
) -> tuple[float | None, YearsSource | None]:
    """Total years and its source: dated roles, else a stated figure, else the longest skill
    duration, else (None, None)."""
    if ranges:
        return years_from_ranges(ranges, today=today), "dated_roles"
    stated = [y for y in (stated_years(t) for t in statement_texts) if y is not None]
    if stated:
        return max(stated), "stated"
    durations = [y for y in (skill_duration_years(t, is_skill, today=today) for t in skill_texts)
                 if y is not None]
    if durations:
        return max(durations), "skill_durations"
    return None, None
