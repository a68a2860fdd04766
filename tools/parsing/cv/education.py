"""Education in CVs: the degree level a line names, its field and institution, and the
entries of an education section. ``degree_level_of`` also reads postings' requirements."""

from __future__ import annotations

import re
from functools import lru_cache

from tools.parsing.cv.patterns import (
    BULLET_RE,
    DATE_RANGE_RE,
    EDGE_JUNK_RE,
    PART_SPLIT_RE,
    ROLE_WORDS,
    YEAR_RE,
    tidy,
)
from tools.parsing.text import gate_open, gate_text
from tools.schemas import DegreeLevel, EducationEntry

EDU_LINE_RE = re.compile(
    r"\b(?:university|universit[äa]t|college|school|academy|institute of|polytechnic|"
    r"bootcamp|b\.?sc|m\.?sc|ph\.?d|bachelor|master'?s|mba|diploma|degree|gcses?|a-levels)\b",
    re.IGNORECASE,
)


_DEGREE_PATTERNS: tuple[tuple[DegreeLevel, re.Pattern[str]], ...] = (
    ("phd", re.compile(
        r"\b(?:ph\.?\s?d\.?|doctorate|doctoral degree|doctor of philosophy|d\.phil|dphil|"
        r"ed\.d\.?|edd|md)(?![\w])", re.IGNORECASE)),
    ("master", re.compile(
        r"\b(?:master'?s?(?:\s+degree)?|m\.?sc\.?|msc|m\.s\.|m\.a\.|m\.eng\.?|meng|mba|m\.b\.a\.|"
        r"mphil|m\.phil|mres|llm|msn|mph|m\.ed\.?|med\b(?=\s+in)|mfa|mas)(?![\w])",
        re.IGNORECASE)),
    ("master", re.compile(
        r"\b(?:MS|MA)(?=\s+(?:in\s+)?[A-Z])(?!\s+(?:Office|Excel|Word|Access|Teams|Project|"
        r"SQL|Outlook|PowerPoint|Dynamics|Visio|Azure|Windows|Paint)\b)")),
    ("bachelor", re.compile(
        r"\b(?:bachelor'?s?(?:\s+degree)?|b\.?sc\.?|bsc|b\.s\.|b\.a\.|b\.eng\.?|beng|bba|"
        r"b\.b\.a\.|bsn|b\.?tech|llb|b\.com|bcom|bfa|undergraduate degree|"
        r"four-year degree|4-year degree|ba\s*\(hons\)|bsc\s*\(hons\))(?![\w])",
        re.IGNORECASE)),
    ("bachelor", re.compile(r"\b(?:BS|BA)(?=\s+(?:in\s+|\(Hons\)\s+)?[A-Z])")),
    ("associate", re.compile(
        r"\b(?:associate'?s?\s+degree|associate of (?:applied )?(?:arts|science)|a\.a\.s\.?|"
        r"a\.a\.|a\.s\.|aas|hnd|hnc|foundation degree|adn)(?![\w])", re.IGNORECASE)),
    ("high_school", re.compile(
        r"\b(?:high school diploma|high school|ged|a-levels?|a levels?|gcses?|"
        r"secondary school|abitur|baccalaureate|matura|leaving certificate)(?![\w])",
        re.IGNORECASE)),
)
_DEGREE_WORD_FIELD = re.compile(
    r"(?:of|in)\s+(?:science|arts|engineering|business administration)?\s*(?:in|of)?\s*"
    r"(?P<field>[A-Z][\w&'/ -]{1,60})",
)
INSTITUTION_RE = re.compile(
    r"\b(?:university|universit[äa]t|college|school|academy|institute|polytechnic|"
    r"hochschule|bootcamp|conservatoire|ecole|école)\b",
    re.IGNORECASE,
)
_EDU_SPLIT = re.compile(r"\s+\|\s+|\s*\|\s*|\s+[-–—]\s+|,\s+|\s+at\s+|\s+from\s+|\s*:\s+")
_FIELD_STOP = re.compile(
    r"\s*(?:,|;|\||–|—|\(|\s-\s|\bat\b|\bfrom\b|\d).*$", re.IGNORECASE
)


def degree_level_of(text: str) -> tuple[DegreeLevel, re.Match[str]] | None:
    """Highest degree level named in `text` and the match that names it. Short texts are
    cached: postings ask this of the same clause once per skill mention."""
    if len(text) <= 1_000:
        return _degree_level_cached(text)
    return _degree_level(text)


@lru_cache(maxsize=2048)
def _degree_level_cached(text: str) -> tuple[DegreeLevel, re.Match[str]] | None:
    return _degree_level(text)


#: Per `_DEGREE_PATTERNS` entry: lower-case words one of which each of its matches spells
#: (checked on the lower-cased text), or for the case-sensitive patterns, exact strings.
_DEGREE_GATES: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("phd", "ph.", "ph d", "doctor", "phil", "ed.d", "edd", "md"), False),
    (("master", "m.s", "m.a", "m.e", "m.b", "m.p", "msc", "mba", "mres", "llm", "msn", "mph",
      "med", "mfa", "mas", "meng"), False),
    (("MS", "MA"), True),
    (("bachelor", "b.s", "b.a", "b.e", "b.b", "b.t", "b.c", "bsc", "beng", "bba", "bsn", "btech",
      "llb", "bcom", "bfa", "undergraduate", "four-year", "4-year", "hons"), False),
    (("BS", "BA"), True),
    (("associate", "a.a", "a.s.", "aas", "hnd", "hnc", "foundation degree", "adn"), False),
    (("high school", "ged", "a-level", "a level", "gcse", "secondary school", "abitur",
      "baccalaureate", "matura", "leaving certificate"), False),
)


def may_name_degree(text: str) -> bool:
    """False when `degree_level_of` finds nothing in `text`, nor in any part of it (a cheap
    substring check; True does not promise a degree)."""
    low = gate_text(text)
    for gate, exact in _DEGREE_GATES:
        if gate_open(text, *gate) if exact else gate_open(low, *gate):
            return True
    return False


def _degree_level(text: str) -> tuple[DegreeLevel, re.Match[str]] | None:
    low = gate_text(text)
    for (level, pattern), (gate, exact) in zip(_DEGREE_PATTERNS, _DEGREE_GATES, strict=True):
        if not (gate_open(text, *gate) if exact else gate_open(low, *gate)):
            continue  # no word the pattern spells occurs: it cannot match
        m = pattern.search(text)
        if m:
            return level, m
    return None


def _field_after(text: str, m: re.Match[str]) -> str | None:
    rest = text[m.end():]
    rest = re.sub(r"^\s*(?:\(hons\)|honours|hons\.?)?\s*", "", rest, flags=re.IGNORECASE)
    rest = re.sub(
        r"^(?:of|in)\s+(?:(?:applied\s+)?(?:science|arts|engineering)\s+)?(?:(?:in|of)\s+)?",
        "", rest, flags=re.IGNORECASE,
    )
    rest = rest.lstrip(" :,-")
    rest = _FIELD_STOP.sub("", rest).strip(" .,")
    if not rest or INSTITUTION_RE.search(rest) or len(rest) > 60:
        return None
    if not rest[0].isalpha():
        return None
    word = m.group(0).lower()
    if not rest and "mba" in word:
        return "Business Administration"
    return rest


_COURSE_RE = re.compile(r"\b(?:bootcamp|boot camp|course|nanodegree)\b", re.IGNORECASE)


def _institution(parts: list[str]) -> str | None:
    """The part naming a school, plus a following short place part ("…California, Davis")."""
    for i, p in enumerate(parts):
        if INSTITUTION_RE.search(p) and not degree_level_of(p):
            inst = tidy(p)
            if i + 1 < len(parts):
                nxt = tidy(parts[i + 1])
                if (nxt and len(nxt.split()) <= 2 and nxt[0].isupper()
                        and not degree_level_of(nxt) and not INSTITUTION_RE.search(nxt)
                        and not ROLE_WORDS.search(nxt)):
                    inst = f"{inst}, {nxt}"
            return inst or None
    return None


def parse_education_lines(lines: list[str]) -> list[EducationEntry]:
    """Education entries from the lines of an education section (or candidate lines)."""
    entries: list[EducationEntry] = []
    current: EducationEntry | None = None
    for raw in lines:
        line = BULLET_RE.sub("", raw).strip()
        if not line:
            continue
        hit = degree_level_of(line)
        if hit is not None:
            level, m = hit
            cleaned = DATE_RANGE_RE.sub(" ", line)
            cleaned = YEAR_RE.sub(" ", cleaned)
            cleaned = re.sub(r"\(\s*\)|\[\s*\]", " ", cleaned)
            parts = [p.strip() for p in _EDU_SPLIT.split(cleaned) if p and p.strip(" ,-|")]
            degree = next((p for p in parts if degree_level_of(p)), m.group(0))
            degree = tidy(degree)
            own = degree_level_of(degree)
            field_ = _field_after(degree, own[1]) if own else None
            if field_ is None and m.group(0).lower().replace(".", "") == "mba":
                field_ = "Business Administration"
            current = EducationEntry(degree_level=level, degree=degree or m.group(0), field=field_)
            entries.append(current)
            current.institution = _institution(parts)
            years = [int(y) for y in YEAR_RE.findall(line)]
            if years:
                current.year = max(years)
            continue
        if (current is None or current.institution is not None) and (
            INSTITUTION_RE.search(line) or _COURSE_RE.search(line)
        ) and len(line) <= 160:
            # a course or school without a recognised degree ("Web Development Bootcamp")
            cleaned = YEAR_RE.sub(" ", DATE_RANGE_RE.sub(" ", line))
            parts = [p.strip() for p in _EDU_SPLIT.split(cleaned) if p and p.strip(" ,-|")]
            if parts:
                current = EducationEntry(degree_level=None, degree=tidy(parts[0]) or None)
                current.institution = _institution(parts[1:]) or (
                    tidy(parts[1]) if len(parts) > 1 else None)
                years = [int(y) for y in YEAR_RE.findall(line)]
                current.year = max(years) if years else None
                entries.append(current)
            continue
        if current is None:
            continue
        if current.institution is None and INSTITUTION_RE.search(line):
            parts = [p for p in PART_SPLIT_RE.split(line) if p and p.strip()]
            inst = next((p for p in parts if INSTITUTION_RE.search(p)), line)
            current.institution = EDGE_JUNK_RE.sub("", YEAR_RE.sub("", inst)) or None
        if current.year is None:
            years = [int(y) for y in YEAR_RE.findall(line)]
            if years:
                current.year = max(years)
    return entries
