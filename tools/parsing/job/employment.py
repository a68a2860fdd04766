"""Employment type (full-time, part-time, contract, ...) from a label, the header or the text."""

from __future__ import annotations

import re

from tools.parsing.job.header import SCAN_CHARS
from tools.parsing.text import gate_open, gate_text, word_start_pattern
from tools.schemas import EmploymentType

_EMPLOYMENT: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = (
    ("internship", re.compile(r"\b(?:internship|intern(?:s)?\b|placement year)", re.IGNORECASE)),
    ("part_time", re.compile(r"\bpart[- ]?time\b", re.IGNORECASE)),
    ("freelance", re.compile(r"\bfreelance\b", re.IGNORECASE)),
    ("temporary", re.compile(r"\b(?:temporary|temp\b|seasonal)", re.IGNORECASE)),
    ("contract", re.compile(
        r"(?<!\d)\d{1,2}[- ]months?\s+contract|"
        r"\b(?:contract(?:or)?\s+(?:[a-z]+\s+)?(?:role|position|basis|assignment|engagement)|"
        r"fixed[- ]term|contract\s*\(|b2b contract|"
        r"contract to hire|contract-to-hire|(?:^|\|\s*)contract\s*(?:$|\|))", re.IGNORECASE)),
    ("full_time", re.compile(r"\b(?:full[- ]?time|permanent)\b", re.IGNORECASE)),
)
#: Lower-case words one of which every match of the `_EMPLOYMENT` pattern of that kind spells.
_EMPLOYMENT_GATES: dict[str, tuple[str, ...]] = {
    "internship": ("internship",),  # the text must say "internship" (see find_employment_type)
    "part_time": ("part",),
    "freelance": ("freelance",),
    "temporary": ("temp", "seasonal"),
    "contract": ("contract", "fixed"),
    "full_time": ("full", "permanent"),
}
_INTERNSHIP_WORD = re.compile(r"\binternship\b", re.IGNORECASE)
_EMPLOYMENT_VALUE: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = (
    *_EMPLOYMENT,
    # a bare "Contract" in a label or header ("Contract | Remote", "Duration: Contract"), not
    # a role or a thing ("Contract Administrator", "contract manufacturers")
    ("contract", re.compile(
        r"\bcontract(?:or)?\b(?!\s*(?:admin\w*|manag\w*|specialist|analyst|coordinator|negotiat\w*"
        r"|manufactur\w*|law|attorney|officer|lifecycle|documents?|requirements?|status"
        r"|with|for|is|was|will)\b)", re.IGNORECASE)),
)
#: Header lines are read this far (a posting pasted without line breaks is one long "line";
#: its prose is left to the text scan's strict patterns).
_HEADER_LINE_CHARS = 120
#: "Job Type: Full-time | Pay: ..." glued in the middle of a line.
_TYPE_LABEL = (
    r"\b(?:job|employment|position|contract|work)[ \t]+types?[ \t]*:[ \t]*"
    r"(?P<value>[^\n|:]{1,60})"
)
_TYPE_LABEL_RE = word_start_pattern("jepcw", _TYPE_LABEL)
#: Mentions that are not this job's type, per kind: "previous internship", "no part-time
#: positions" and "full-time or part-time" (both offered: full-time counts), "seasonal
#: cleanup", "temporary slips".
_NOT_THIS_JOB: dict[str, re.Pattern[str]] = {
    "internship": re.compile(
        r"(?i)(?:previous|prior|completion\s+of|completed|including|past|relevant|school)"
        r"[ \t]+(?:\w+[ \t]+)?internships?\b|\binternships?[ \t]+(?:or|and|/)[ \t]+"
        r"(?:work|job)"
    ),
    "part_time": re.compile(
        r"(?i)\b(?:no|not)[ \t]+(?:a[ \t]+)?part[- ]?time\b"
        r"|\bpart[- ]?time[ \t]*(?:or|and|/|and/or)[ \t]*full[- ]?time\b"
        r"|\bfull[- ]?(?:time)?[ \t]*(?:or|and|/|and/or)[ \t]*part[- ]?time\b"
    ),
    "temporary": re.compile(
        r"(?i)\bseasonal[ \t]+(?!(?:position|role|job|employment|work(?:er)?|staff|associate"
        r"|hire)s?\b)\w+|\btemporary[ \t]+(?!(?:position|role|job|assignment|employment"
        r"|contract|basis|work(?:er)?|staff|associate|hire|to)s?\b)[a-z]\w*"
    ),
}
#: Kinds named this close after the first mention describe one job ("full-time internship").
_SAME_PHRASE = 25


def find_employment_type(
    label: str | None, header_lines: list[str], text: str
) -> EmploymentType | None:
    """Employment type from the label (a mid-line "Job Type: ..." too), else the header lines,
    else the first mention in the top of the text that is about this job (a more specific
    kind in the same phrase wins: "full-time internship" -> internship)."""
    text = text[:SCAN_CHARS]
    if not label:
        m = _TYPE_LABEL_RE.search(text)
        label = m.group("value") if m else None
    if label:
        for kind, pattern in _EMPLOYMENT_VALUE:
            if pattern.search(label):
                return kind
    header = "\n".join(ln for ln in header_lines if len(ln) <= _HEADER_LINE_CHARS)[:5_000]
    for kind, pattern in _EMPLOYMENT_VALUE:
        if pattern.search(header):
            return kind
    low = gate_text(text)
    found: list[tuple[int, int, EmploymentType]] = []
    for rank, (kind, pattern) in enumerate(_EMPLOYMENT):
        if not gate_open(low, *_EMPLOYMENT_GATES[kind]):
            continue  # no word the pattern spells occurs in the text
        if kind == "internship" and not _INTERNSHIP_WORD.search(text):
            continue
        for m in pattern.finditer(text):
            if not _incidental(kind, text, m.start(), m.end()):
                found.append((m.start(), rank, kind))
                break
    if not found:
        return None
    first = min(pos for pos, _, _ in found)
    return min((rank, kind) for pos, rank, kind in found if pos < first + _SAME_PHRASE)[1]


def _incidental(kind: str, text: str, start: int, end: int) -> bool:
    """The mention of `kind` at start:end is not this job's type (see _NOT_THIS_JOB)."""
    pattern = _NOT_THIS_JOB.get(kind)
    if pattern is None:
        return False
    lo = max(0, start - 40)
    return any(m.start() < end - lo and start - lo < m.end()
               for m in pattern.finditer(text[lo: end + 40]))
