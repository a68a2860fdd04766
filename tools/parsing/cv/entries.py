"""Experience entries: anchored on lines holding a date range, with title, company and location
from the parts of the header lines around it and the bullets below."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from tools.parsing.cv.education import INSTITUTION_RE, degree_level_of
from tools.parsing.cv.patterns import (
    BULLET_RE,
    COMPANY_HINTS,
    COMPANY_SUFFIX_RE,
    DATE_RANGE_RE,
    EDGE_JUNK_RE,
    HAS_YEAR_RE,
    PART_SPLIT_RE,
    ROLE_WORDS,
)
from tools.parsing.cv.titles import (
    cut_placeholders,
    is_filler_line,
    is_placeholder,
    looks_like_title,
    plausible_company,
    plausible_title,
)
from tools.parsing.dates import parse_date_range
from tools.parsing.location import parse_location
from tools.schemas import ExperienceEntry


@dataclass
class Line:
    """A line of the CV: its offset, its text and the section it is in."""

    start: int
    text: str
    section: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _Entry:
    anchor: int  # index into lines
    first: int  # first header line index
    last_header: int
    start: str
    end: str
    parts: list[str] = field(default_factory=list)


def _is_bullet(line: str) -> bool:
    return bool(BULLET_RE.match(line)) and not DATE_RANGE_RE.match(BULLET_RE.sub("", line))


def _split_parts(text: str) -> list[str]:
    parts = []
    for p in PART_SPLIT_RE.split(cut_placeholders(text)):
        p = EDGE_JUNK_RE.sub("", p or "")
        if p and any(c.isalpha() for c in p) and not is_placeholder(p):
            parts.append(p)
    return parts


def _headerish(line: str) -> bool:
    s = line.strip()
    return (
        bool(s)
        and len(s) <= 90
        and not _is_bullet(s)
        and not s.endswith((".", ";"))
        and len(s.split()) <= 12
    )


def _find_range(line: str, today: date | None) -> tuple[re.Match[str], tuple[str, str]] | None:
    m = DATE_RANGE_RE.search(line)
    if m is None:
        return None
    rng = parse_date_range(m.group(0), today=today)
    if rng is None:
        rng = parse_date_range(line, today=today)
    if rng is None:
        return None
    return m, rng


_QUALIFIER = re.compile(
    r"^(?:part[- ]time|full[- ]time|contract|contractor|freelance|temporary|temp|internship|"
    r"permanent|fixed[- ]term|maternity cover|hybrid|on-?site)$",
    re.IGNORECASE,
)
_REMOTE_PART = re.compile(r"^(?:remote|fully remote|remote-first)$", re.IGNORECASE)
_CAPS_LINE = re.compile(r"^[^a-z,]*[A-Z]{2,}[^a-z,]*(?:,[^,]{0,40}){0,3}$")


def _clean_parts(parts: list[str]) -> tuple[list[str], list[str]]:
    """Drop employment-type qualifiers; pull out "Remote" as a location."""
    kept: list[str] = []
    remote: list[str] = []
    for p in parts:
        if _QUALIFIER.match(p):
            continue
        if _REMOTE_PART.match(p):
            remote.append(p)
            continue
        kept.append(p)
    return kept, remote


def _classify(
    above: list[str], rem: list[str], below: list[str]
) -> tuple[str | None, str | None, str | None]:
    """Title, company and location from an entry's header parts.

    The date line's own parts (`rem`) hold the title when a line above names the employer
    ("ACME CORP, Berlin" / "Data Analyst 06/2017 - 02/2019"); otherwise the first part with a
    role word is the title, the first other part the company and the rest the location.
    """
    above, r1 = _clean_parts(above)
    rem, r2 = _clean_parts(rem)
    below, r3 = _clean_parts(below)
    remote = r1 + r2 + r3
    title = company = None
    rest: list[str] = []
    if above and rem and any(ROLE_WORDS.search(p) for p in rem) and not any(
        ROLE_WORDS.search(p) and not COMPANY_HINTS.search(p) for p in above
    ):
        title = ", ".join(rem)
        company = above[0]
        rest = above[1:] + below
    else:
        parts = above + rem + below
        role_idx = next(
            (i for i, p in enumerate(parts)
             if ROLE_WORDS.search(p) and not COMPANY_SUFFIX_RE.search(p)),
            None,
        )
        places = {i for i, p in enumerate(parts) if _is_place_part(p)}
        if role_idx is None and parts:
            role_idx = next(
                (i for i, p in enumerate(parts)
                 if not COMPANY_HINTS.search(p) and i not in places), None
            ) if len(parts) > 1 else (None if places else 0)
        for i, p in enumerate(parts):
            if i == role_idx:
                title = p
            elif company is None and i not in places:
                company = p
            else:
                rest.append(p)
    loc_parts = [r for r in rest if len(r.split()) <= 4] + remote
    return title, company, ", ".join(loc_parts) or None


def _is_place_part(part: str) -> bool:
    if len(part.split()) > 4 or COMPANY_HINTS.search(part) or ROLE_WORDS.search(part):
        return False
    loc = parse_location(part)
    return loc is not None and bool(loc.city or loc.country or loc.remote)


def _looks_educational(line: str) -> bool:
    if degree_level_of(line) is not None:
        return True
    return bool(INSTITUTION_RE.search(line)) and not ROLE_WORDS.search(line)


def _prose_above_title(line: str, parts: list[str]) -> bool:
    """With a title in hand, a longer line above without an employer cue is prose."""
    s = line.strip()
    return (len(s.split()) > 4 and any(ROLE_WORDS.search(p) for p in parts)
            and not COMPANY_HINTS.search(s) and not _CAPS_LINE.match(s))


def _absorb_fillers(
    e: _Entry, lines: list[Line], allowed: list[bool], used: set[int], stop: int
) -> int:
    """Take the placeholder / filler lines after the entry's header into it ("Company Name",
    "City , State", "//"); the index of the first line after them."""
    nxt = e.last_header + 1
    limit = min(stop, nxt + 3)
    while nxt < limit and allowed[nxt] and nxt not in used \
            and lines[nxt].text.strip() and is_filler_line(lines[nxt].text):
        e.last_header = nxt
        used.add(nxt)
        nxt += 1
    return nxt


def parse_entries(
    lines: list[Line], allowed: list[bool], today: date | None
) -> tuple[list[ExperienceEntry], list[tuple[int, int]], list[int]]:
    """Experience entries among `lines` whose `allowed` flag is set; their offsets and the
    offset where each entry's header lines end."""
    anchors: list[_Entry] = []
    used: set[int] = set()
    for i, ln in enumerate(lines):
        if not allowed[i] or len(ln.text) > 200 or not HAS_YEAR_RE.search(ln.text):
            continue
        found = _find_range(ln.text, today)
        if found is None:
            continue
        m, (start, end) = found
        remainder = ln.text[: m.start()] + " | " + ln.text[m.end():]
        remainder = BULLET_RE.sub("", remainder)
        parts = _split_parts(remainder)
        if ln.section != "experience" and _looks_educational(ln.text):
            continue
        if len(remainder.split()) > 14 and remainder.rstrip().endswith((".", ",", ";")):
            continue  # a sentence that mentions dates ("... since October 2010."), not a header
        anchors.append(_Entry(anchor=i, first=i, last_header=i, start=start, end=end,
                              parts=parts))
        used.add(i)

    groups: list[tuple[list[str], list[str], list[str]]] = []
    for k, e in enumerate(anchors):
        prev_floor = anchors[k - 1].anchor if k else -1
        rem = e.parts
        above: list[str] = []
        j = e.anchor - 1
        if len(rem) < 2:
            fillers = 0  # placeholder / punctuation lines ("City , State", "//") are skipped
            while j > prev_floor and e.anchor - j - fillers <= 2 and fillers <= 3 \
                    and len(above + rem) < 2:
                cand = lines[j]
                if (not allowed[j] or not cand.text.strip() or not _headerish(cand.text)
                        or j in used):
                    break
                if is_filler_line(cand.text):
                    fillers += 1
                    j -= 1
                    continue
                if _prose_above_title(cand.text, above + rem):
                    break  # the previous entry's last line, not this one's employer
                above = _split_parts(cand.text) + above
                used.update(range(j, e.first))
                e.first = j
                j -= 1
        elif j > prev_floor and allowed[j] and j not in used and _headerish(lines[j].text):
            above_text = lines[j].text.strip()
            rem_has_role = any(ROLE_WORDS.search(p) for p in rem)
            if _CAPS_LINE.match(above_text) or (COMPANY_HINTS.search(above_text)
                                                and not ROLE_WORDS.search(above_text)) or (
                not rem_has_role and ROLE_WORDS.search(above_text)
                and len(above_text.split()) <= 6
            ):
                above = _split_parts(above_text)
                used.add(j)
                e.first = j
        below: list[str] = []
        nxt = e.anchor + 1
        nxt_anchor = anchors[k + 1].anchor if k + 1 < len(anchors) else len(lines)
        nxt = _absorb_fillers(e, lines, allowed, used, nxt_anchor)
        if e.last_header > e.anchor:  # after placeholders only a role line is the title
            if not any(ROLE_WORDS.search(p) for p in above + rem) and nxt < nxt_anchor \
                    and allowed[nxt] and looks_like_title(lines[nxt].text, ROLE_WORDS):
                below = _split_parts(lines[nxt].text)
                e.last_header = nxt
                used.add(nxt)
        elif (len(above + rem) < 2 and nxt < len(lines) and allowed[nxt]
                and _headerish(lines[nxt].text) and len(lines[nxt].text.split()) <= 6
                and nxt not in used and DATE_RANGE_RE.search(lines[nxt].text) is None
                and (k + 1 >= len(anchors) or anchors[k + 1].anchor > nxt + 1)):
            below = _split_parts(lines[nxt].text)
            e.last_header = nxt
            used.add(nxt)
        _absorb_fillers(e, lines, allowed, used, nxt_anchor)
        groups.append((above, rem, below))

    entries: list[ExperienceEntry] = []
    offsets: list[tuple[int, int]] = []
    header_ends: list[int] = []
    for k, e in enumerate(anchors):
        stop = anchors[k + 1].first if k + 1 < len(anchors) else len(lines)
        bullets: list[str] = []
        last = e.last_header
        for j in range(e.last_header + 1, stop):
            if not allowed[j] or (lines[j].section != "experience"
                                  and _looks_educational(lines[j].text)):
                break
            t = BULLET_RE.sub("", lines[j].text).strip()
            if t:
                bullets.append(t)
                last = j
        title, company, location = _classify(*groups[k])
        if title is not None and not plausible_title(title, ROLE_WORDS):
            title = None
        if company is not None and not plausible_company(company):
            company = None
        entries.append(ExperienceEntry(
            title=title, company=company, location=location, start=e.start, end=e.end,
            bullets=bullets, span=None,
        ))
        offsets.append((lines[e.first].start, lines[last].end))
        header_ends.append(lines[e.last_header].end)
    return entries, offsets, header_ends

