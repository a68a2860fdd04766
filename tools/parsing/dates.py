"""Dates and date ranges as written in CVs and postings, normalised to "YYYY-MM" strings."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta

_MONTHS: dict[str, int] = {
    "jan": 1, "january": 1, "januar": 1, "janvier": 1, "enero": 1,
    "feb": 2, "february": 2, "februar": 2, "febr": 2,
    "mar": 3, "march": 3, "märz": 3, "maerz": 3, "mär": 3,
    "apr": 4, "april": 4,
    "may": 5, "mai": 5,
    "jun": 6, "june": 6, "juni": 6,
    "jul": 7, "july": 7, "juli": 7,
    "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "okt": 10, "oktober": 10,
    "nov": 11, "november": 11,
    "dec": 12, "december": 12, "dez": 12, "dezember": 12,
}
_SEASONS: dict[str, int] = {
    "spring": 3, "summer": 6, "fall": 9, "autumn": 9, "winter": 12,
    "q1": 1, "q2": 4, "q3": 7, "q4": 10,
}
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_SEASON_NAME = "|".join(_SEASONS)
_YEAR = r"(?:19|20)\d\d"
_MM = r"0?[1-9]|1[0-2]"


def _date_pattern(p: str) -> str:
    """One date token; group names are prefixed with `p` so two can share a pattern."""
    return (
        rf"(?:(?P<{p}mname>{_MONTH_NAME})\.?,?\s*(?:(?P<{p}myear>{_YEAR})|['’](?P<{p}myy>\d\d))"
        rf"(?![\d])"
        rf"|(?P<{p}sname>{_SEASON_NAME}),?\s*(?P<{p}syear>{_YEAR})(?!\d)"
        rf"|(?<![\d/.])(?P<{p}nmonth>{_MM})\s?[/.-]\s?(?P<{p}nyear>{_YEAR})(?!\d|[/.]\d)"
        rf"|(?<![\d/.])(?P<{p}iyear>{_YEAR})(?:[-/](?P<{p}imonth>0[1-9]|1[0-2])|\.(?P<{p}imonth2>"
        rf"{_MM}))(?![\d])"
        rf"|(?<![\d/.])(?P<{p}year>{_YEAR})(?![\d]|\.\d|/\d))"
    )


_DATE_RE = re.compile(rf"(?i:\b{_date_pattern('a')})")
_PRESENT = (
    r"(?:present|current(?:ly)?|now|today|date|ongoing|heute|aktuell|actuel|actualidad"
    r"|till\s+date|to\s+date|till\s+now|until\s+now)"
)
_SEP = r"\s*(?:-{1,2}|–|—|to|until|till|through|thru|→|->|>|~|bis|à|a)\s*"
_RANGE_RE = re.compile(
    rf"(?i:\b(?:from\s+)?{_date_pattern('s')}{_SEP}(?:(?P<present>{_PRESENT})\b"
    rf"|{_date_pattern('e')}))"
)
# "Jan - Mar 2020": the start month borrows the end's year
_SHORT_RANGE_RE = re.compile(
    rf"(?i:\b(?P<m1>{_MONTH_NAME})\.?{_SEP}(?P<m2>{_MONTH_NAME})\.?,?\s*(?P<y>{_YEAR})(?!\d))"
)
_YEAR_HINT_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)|['’]\d\d(?!\d)")
_SINCE_RE = re.compile(rf"(?i:\b(?:since|seit|depuis|desde)\s+{_date_pattern('s')})")


def parse_year_month(text: str) -> str | None:
    """"Jan 2020", "01/2020", "2020-01", "2020", "January, 2020" -> "2020-01"
    (year only -> "YYYY-01")."""
    if not text or _DIGIT_RE.search(text) is None:
        return None
    m = _DATE_RE.search(text)
    if m is None:
        return None
    ym = _from_match(m, "a")
    if ym is None:
        return None
    y, mo, _ = ym
    return f"{y:04d}-{mo:02d}"


def parse_date_range(text: str, *, today: date | None = None) -> tuple[str, str] | None:
    """First date range in text: "Jan 2020 - Present", "2018 – 2021", "03/2019 to 06/2021".
    Returns (start "YYYY-MM", end "YYYY-MM" or "present")."""
    if not text or _DIGIT_RE.search(text) is None:
        return None
    candidates: list[tuple[int, tuple[str, str]]] = []
    for m in _range_matches(text, _RANGE_RE):
        start = _from_match(m, "s")
        if start is None:
            continue
        if m.group("present"):
            candidates.append((m.start(), (_fmt(start[0], start[1]), "present")))
            break
        end = _from_match(m, "e")
        if end is None:
            continue
        ey, emo, eyear_only = end
        if eyear_only:
            emo = 12
        if (ey, emo) < (start[0], start[1]):
            continue
        candidates.append((m.start(), (_fmt(start[0], start[1]), _fmt(ey, emo))))
        break
    sm = next(_range_matches(text, _SHORT_RANGE_RE), None)
    if sm is not None:
        y = int(sm.group("y"))
        m1, m2 = _MONTHS[sm.group("m1").lower()], _MONTHS[sm.group("m2").lower()]
        if m1 <= m2:
            candidates.append((sm.start(), (_fmt(y, m1), _fmt(y, m2))))
    since = next(_range_matches(text, _SINCE_RE), None)
    if since is not None:
        s = _from_match(since, "s")
        if s is not None:
            candidates.append((since.start(), (_fmt(s[0], s[1]), "present")))
    if not candidates:
        return None
    return min(candidates, key=lambda c: c[0])[1]


def _range_matches(text: str, rx: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """`rx` matches, scanning only around years (every date token holds one)."""
    if len(text) < 120:
        yield from rx.finditer(text)
        return
    windows: list[tuple[int, int]] = []
    for y in _YEAR_HINT_RE.finditer(text):
        lo, hi = max(0, y.start() - 30), min(len(text), y.end() + 50)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    for lo, hi in windows:
        yield from rx.finditer(text, lo, hi)


def years_from_ranges(ranges: list[tuple[str, str]], *, today: date | None = None) -> float:
    """Total years covered by the union of the ranges (overlaps counted once), 1 decimal."""
    now = today or date.today()
    now_idx = now.year * 12 + now.month - 1
    intervals: list[tuple[int, int]] = []
    for start, end in ranges:
        s = _month_index(start, now_idx, is_end=False)
        e = _month_index(end, now_idx, is_end=True)
        if s is None or e is None:
            continue
        e = min(e, now_idx)  # future end dates count up to today
        if e < s:
            continue
        intervals.append((s, e + 1))  # end month inclusive
    intervals.sort()
    total = 0
    cur_s: int | None = None
    cur_e = 0
    for s, e in intervals:
        if cur_s is None or s > cur_e:
            if cur_s is not None:
                total += cur_e - cur_s
            cur_s, cur_e = s, e
        else:
            cur_e = max(cur_e, e)
    if cur_s is not None:
        total += cur_e - cur_s
    return round(total / 12, 1)


_REL_RE = re.compile(
    r"(?i:\b(?P<n>\d{1,3}|an?|one)\+?\s*(?P<unit>minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|wks?"
    r"|w|months?|mos?|years?|yrs?)\s+ago\b)"
)
_REL_WORD_RE = re.compile(
    r"(?i:\b(?P<w>today|yesterday|just\s+now|just\s+posted|moments?\s+ago)\b)"
)
_ISO_RE = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_MDY_NAME_RE = re.compile(
    rf"(?i:\b(?P<mon>{_MONTH_NAME})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{_YEAR})\b)"
)
_DMY_NAME_RE = re.compile(
    rf"(?i:\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<mon>{_MONTH_NAME})\.?,?\s+"
    rf"(?P<y>{_YEAR})\b)"
)
_DIGIT_RE = re.compile(r"\d")
_YEAR_ONLY_RE = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMERIC_RE = re.compile(
    r"(?<![\d/.])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<y>(?:19|20)\d\d)(?!\d)"
)


def parse_posted_date(text: str, *, today: date | None = None) -> date | None:
    """"Posted: 2024-03-01", "posted 3 days ago", "March 5, 2024" -> date."""
    if not text:
        return None
    now = today or date.today()
    found: list[tuple[int, date]] = []
    lower = text.lower()
    has_digit = _DIGIT_RE.search(text) is not None
    if has_digit:
        found.extend(_absolute_dates(text))
    if "ago" in lower:
        _relative_date(text, now, found)
    if "today" in lower or "yesterday" in lower or "just" in lower or "moment" in lower:
        word = _REL_WORD_RE.search(text)
        if word is not None:
            w = word.group("w").lower()
            found.append((word.start(), now - timedelta(days=1) if w == "yesterday" else now))
    if not found:
        return None
    return min(found, key=lambda f: f[0])[1]


def _absolute_dates(text: str) -> list[tuple[int, date]]:
    found: list[tuple[int, date]] = []
    for m in _ISO_RE.finditer(text):
        d = _safe_date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        if d:
            found.append((m.start(), d))
            break
    # month-name dates all end in a year: scan only just before each year
    done = False
    for ym in _YEAR_ONLY_RE.finditer(text):
        lo = max(0, ym.start() - 30)
        for rx in (_MDY_NAME_RE, _DMY_NAME_RE):
            nm = rx.search(text, lo, ym.end())
            if nm is None:
                continue
            d = _safe_date(
                int(nm.group("y")), _MONTHS[nm.group("mon").lower()], int(nm.group("d"))
            )
            if d:
                found.append((nm.start(), d))
                done = True
        if done:
            break
    for m in _NUMERIC_RE.finditer(text):
        a, b, y = int(m.group("a")), int(m.group("b")), int(m.group("y"))
        if a > 12:
            d = _safe_date(y, b, a)  # 15/03/2024
        elif b > 12 or m.group("sep") == "/":
            d = _safe_date(y, a, b)  # 03/15/2024, US order for slashes
        else:
            d = _safe_date(y, b, a)  # 15.03.2024, European order for dots and dashes
        if d:
            found.append((m.start(), d))
            break
    return found


def _relative_date(text: str, now: date, found: list[tuple[int, date]]) -> None:
    rel = _REL_RE.search(text)
    if rel is None:
        return
    n_raw = rel.group("n").lower()
    n = 1 if n_raw in ("a", "an", "one") else int(n_raw)
    unit = rel.group("unit").lower()
    if unit.startswith("d"):
        delta = timedelta(days=n)
    elif unit.startswith("w"):
        delta = timedelta(weeks=n)
    elif unit.startswith("mo"):
        delta = timedelta(days=30 * n)
    elif unit.startswith("y"):
        delta = timedelta(days=365 * n)
    else:
        delta = timedelta(0)  # minutes / hours
    try:
        found.append((rel.start(), now - delta))
    except OverflowError:
        pass


# --------------------------------------------------------------------------- helpers


def _fmt(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _from_match(m: re.Match[str], p: str) -> tuple[int, int, bool] | None:
    """(year, month, year_only) from a _date_pattern match with prefix `p`."""
    g = m.groupdict()
    if g.get(f"{p}mname"):
        month = _MONTHS[g[f"{p}mname"].lower()]
        if g.get(f"{p}myear"):
            return int(g[f"{p}myear"]), month, False
        yy = int(g[f"{p}myy"])
        return (2000 + yy if yy < 50 else 1900 + yy), month, False
    if g.get(f"{p}sname"):
        return int(g[f"{p}syear"]), _SEASONS[g[f"{p}sname"].lower()], False
    if g.get(f"{p}nmonth"):
        return int(g[f"{p}nyear"]), int(g[f"{p}nmonth"]), False
    if g.get(f"{p}iyear"):
        month_raw = g.get(f"{p}imonth") or g.get(f"{p}imonth2")
        if month_raw:
            return int(g[f"{p}iyear"]), int(month_raw), False
    if g.get(f"{p}year"):
        return int(g[f"{p}year"]), 1, True
    return None


_PRESENT_WORDS = frozenset({"present", "current", "currently", "now", "today", "ongoing"})


def _month_index(value: str, now_idx: int, *, is_end: bool) -> int | None:
    v = (value or "").strip()
    if v.lower() in _PRESENT_WORDS:
        return now_idx
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", v)
    if m:
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return y * 12 + mo - 1
        return None
    if re.fullmatch(r"\d{4}", v):
        return int(v) * 12 + (11 if is_end else 0)
    parsed = parse_year_month(v)
    if parsed is None:
        return None
    return int(parsed[:4]) * 12 + int(parsed[5:7]) - 1
