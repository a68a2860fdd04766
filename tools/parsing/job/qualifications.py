"""Degree level, fields and certifications a posting asks for."""

from __future__ import annotations

import re

from tools.parsing.cv.certifications import dedupe_certifications, find_certification_spans
from tools.parsing.cv.education import degree_level_of, may_name_degree
from tools.parsing.job.cues import (
    CLAUSE_RE,
    IGNORED_SECTIONS,
    PREFERRED_CUE_RE,
    PREFERRED_CUE_WORDS,
)
from tools.parsing.sections import HEADER, SectionMap
from tools.parsing.text import gate_open, gate_text
from tools.schemas import DEGREE_RANK, DegreeLevel, Qualifications, Span

_EQUIVALENT = re.compile(
    r"\bequivalent\b|\bor (?:relevant|comparable|similar) (?:practical |professional |work )?"
    r"experience\b|\bpreferred\b|\bpreferably\b|\bnice to have\b|\bplus\b|\bdesirable\b|"
    r"\bnot required\b|\bideally\b|\badvantage\b",
    re.IGNORECASE,
)
_FIELDS_AFTER = re.compile(r"\b(?:in|of)\s+(?P<fields>[^.;\n(]{2,160})", re.IGNORECASE)
_FIELD_CUT = re.compile(
    r"\s*(?:,?\s*\bor\s+(?:an?\s+)?(?:equivalent|relevant|comparable|similar)\b.*$|"
    r"\bpreferred\b.*$|\brequired\b.*$|\bfrom\b.*$|\bwith\b.*$|\bplus\b.*$|\bor higher\b.*$|"
    r"\band/or\b.*$)",
    re.IGNORECASE,
)
_FIELD_SPLIT = re.compile(r"\s*(?:,|/|\bor\b|\band\b|&)\s*", re.IGNORECASE)
_FIELD_DROP = re.compile(
    r"\b(?:related|relevant|similar|equivalent|field|discipline|subject|area|etc)\b|"
    r"^(?:science|arts|engineering)$",
    re.IGNORECASE,
)


def find_qualifications(text: str, smap: SectionMap) -> Qualifications:
    """Degree level (the lowest named in the most binding clause), whether it is required,
    fields, and certifications asked for (preferred-only certifications are left out)."""
    has_requirements = smap.has("requirements")
    relevant = [s for s in smap.sections if s.name in ("requirements", "preferred")]
    if not relevant:
        relevant = [s for s in smap.sections if s.name not in IGNORED_SECTIONS]
    best: tuple[int, DegreeLevel, bool, Span, str] | None = None
    certs: list[str] = []
    for s in relevant:
        hits = find_certification_spans(text, s.body_start, s.end)
        sec_text = text[s.body_start:s.end]
        # no degree word in the section: no clause of it names a degree
        degrees = may_name_degree(sec_text)
        if not hits and not degrees:
            continue
        pref_gate = gate_open(gate_text(sec_text), *PREFERRED_CUE_WORDS)
        in_pref = s.name == "preferred" or (
            has_requirements and s.name not in ("requirements", "preferred"))
        for m in CLAUSE_RE.finditer(text, s.body_start, s.end):
            clause = m.group(0)
            if not clause.strip() or len(clause) > 2_000:
                continue
            levels = _levels_in(clause) if degrees else []
            clause_hits = [name for pos, name in hits if m.start() <= pos < m.end()]
            if not levels and (in_pref or not clause_hits):
                continue
            preferred_cue = pref_gate and PREFERRED_CUE_RE.search(clause) is not None
            if not in_pref and not preferred_cue:
                certs.extend(clause_hits)
            if not levels:
                continue
            level = min(levels, key=lambda lv: DEGREE_RANK[lv])
            required = not in_pref and not _EQUIVALENT.search(clause)
            priority = 1 if in_pref or preferred_cue else 0
            lead = len(clause) - len(clause.lstrip(" -*•·\t"))
            body = clause.strip(" -*•·\t")
            span = Span(text=body, start=m.start() + lead, end=m.start() + lead + len(body),
                        section=None if s.name == HEADER else s.name)
            if best is None or priority < best[0]:
                best = (priority, level, required, span, clause)
    certs = dedupe_certifications(certs)
    if best is None:
        return Qualifications(degree_level=None, degree_required=False, certifications=certs)
    _, level, required, span, clause = best
    return Qualifications(
        degree_level=level, degree_required=required, fields=_fields(clause),
        certifications=certs, span=span,
    )


def _levels_in(line: str) -> list[DegreeLevel]:
    levels: list[DegreeLevel] = []
    rest = line
    for _ in range(4):
        hit = degree_level_of(rest)
        if hit is None:
            break
        level, m = hit
        if level not in levels:
            levels.append(level)
        rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
    if levels == ["high_school"] and re.search(r"\bged\b", line, re.IGNORECASE) is None and \
            re.search(r"high school|secondary|a-levels?|gcse", line, re.IGNORECASE) is None:
        return []
    return levels


def _fields(line: str) -> list[str]:
    hit = degree_level_of(line)
    if hit is None:
        return []
    m = _FIELDS_AFTER.search(line, hit[1].end())
    if m is None:
        return []
    chunk = m.group("fields")
    such = re.search(r"\bsuch as\b|\be\.g\.?|\blike\b", chunk, re.IGNORECASE)
    if such:
        chunk = chunk[such.end():]
    chunk = _FIELD_CUT.sub("", chunk)
    chunk = re.sub(r"\s+(?:is|are|would be|will be)\b.*$", "", chunk, flags=re.IGNORECASE)
    out: list[str] = []
    for piece in _FIELD_SPLIT.split(chunk):
        piece = re.sub(r"^(?:an?|the)\s+", "", piece.strip(" .,:"), flags=re.IGNORECASE)
        if not piece or _FIELD_DROP.search(piece) or len(piece.split()) > 5:
            continue
        if degree_level_of(piece):
            continue
        if piece.lower() not in {o.lower() for o in out}:
            out.append(piece)
    return out
