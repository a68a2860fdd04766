"""Employment type (full-time, part-time, contract, ...) from a label, the header or the text."""

from __future__ import annotations

import re

from tools.parsing.job.header import SCAN_CHARS
from tools.parsing.text import gate_open, gate_text
from tools.schemas import EmploymentType

_EMPLOYMENT: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = (
    ("internship", re.compile(r"\b(?:internship|intern(?:s)?\b|placement year)", re.IGNORECASE)),
    ("part_time", re.compile(r"\bpart[- ]?time\b", re.IGNORECASE)),
    ("freelance", re.compile(r"\bfreelance\b", re.IGNORECASE)),
    ("temporary", re.compile(r"\b(?:temporary|temp\b|seasonal)", re.IGNORECASE)),
    ("contract", re.compile(
        r"\b(?:contract(?:or)?\s+(?:role|position|basis|assignment|engagement)|"
        r"\d{1,2}[- ]months?\s+contract|fixed[- ]term|contract\s*\(|b2b contract|"
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
    ("contract", re.compile(r"\bcontract", re.IGNORECASE)),
)


def find_employment_type(
    label: str | None, header_lines: list[str], text: str
) -> EmploymentType | None:
    """Employment type from the label, else the header lines, else the top of the text."""
    if label:
        for kind, pattern in _EMPLOYMENT_VALUE:
            if pattern.search(label):
                return kind
    header = "\n".join(header_lines)[:5_000]
    for kind, pattern in _EMPLOYMENT_VALUE:
        if pattern.search(header):
            return kind
    text = text[:SCAN_CHARS]
    low = gate_text(text)
    for kind, pattern in _EMPLOYMENT:
        if not gate_open(low, *_EMPLOYMENT_GATES[kind]):
            continue  # no word the pattern spells occurs in the text
        if kind == "internship" and not _INTERNSHIP_WORD.search(text):
            continue
        if pattern.search(text):
            return kind
    return None
