"""A posting's requirement terms: what it asks for that the skill taxonomy does not name.

Two sources, both cleared of the recognised skills (any overlap with a taxonomy mention drops
the candidate: the skill already counts):
- the knowledge terms of the span tagger (:func:`tools.knowledge.extract_knowledge`);
- the items of list lines: a labelled list ("Key skills and roles: chef, commis chef, cooking")
  or a line of at least :data:`LIST_SEPARATORS` separators whose items are short names
  ("Tekla Structures, steel detailing, fabrication drawings, AutoCAD"). Header fields
  ("Location: Leeds, UK") and benefit lists are not requirements.
A term in the preferred section, next to a preferred cue, or one of examples / alternatives
("such as X, Y", "X or Y") is preferred (it weighs less); the rest are required. Terms made of
generic words only ("communication", "team") and terms in ignored sections (about the
company, benefits) are left out. Scored by :mod:`tools.requirement_terms`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tools.knowledge import Knowledge
from tools.lexical import STOP_WORDS
from tools.parsing.job.cues import IGNORED_SECTIONS, PREFERRED_CUE_RE
from tools.parsing.job.header import LABEL_RE
from tools.parsing.job.skills import is_example_or_alternative
from tools.parsing.sections import HEADER, SectionMap
from tools.requirement_terms import is_substantive, term_key
from tools.schemas import JobSkill, JobTerm, Span

#: An unlabelled line is a list when it has this many separators.
LIST_SEPARATORS = 3
#: Longest list item read as a term, in words.
ITEM_MAX_WORDS = 5
#: Most terms kept per posting (the rest are in the order of the text, dropped).
MAX_TERMS = 40

_LABEL = re.compile(r"^[ \t]*(?:[-*•][ \t]+)?([^:,\n]{1,40}):[ \t]*")
_BULLET = re.compile(r"[ \t]*(?:[-*•]|\d{1,2}[.)])[ \t]+")
_ITEM = re.compile(r"[^,;|\n]+")
#: A list introduced as examples ("Tools such as: X, Y"; "e.g. X, Y"): one of them is asked for.
_EXAMPLES = re.compile(r"\b(?:such as|e\.\s?g\.|eg\.|for (?:example|instance)|i\.e\.)", re.I)
#: Degrees are the qualifications' business (the degree part of the experience factor).
_DEGREE = re.compile(r"\b(?:degree|bachelor|master|phd|doctorate|diploma)", re.I)
_LEAD_JOIN = re.compile(r"^(?:and|or|&)\s+", re.I)
_NOT_REQUIREMENTS = re.compile(
    r"\b(?:benefits?|perks?|we offer|offer|location|locations|office|hours|schedule|shift|"
    r"salary|pay|compensation|industry|industries|department|company|about)\b", re.I)


def list_items(text: str) -> list[tuple[int, int]]:
    """Character ranges of the items of the list lines of `text` (see the module doc)."""
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        pos += len(line) + 1
        seps = line.count(",") + line.count(";") + line.count("|")
        if not seps or LABEL_RE.match(line):
            continue
        label = _LABEL.match(line)
        if label is not None:
            if _NOT_REQUIREMENTS.search(label.group(1)):
                continue
            body = label.end()
        elif seps >= LIST_SEPARATORS and "|" not in line:  # "Acme | Bristol, UK | Hybrid"
            bullet = _BULLET.match(line)
            body = bullet.end() if bullet else 0
        else:
            continue
        items = []
        for m in _ITEM.finditer(line, body):
            a, b = m.start(), m.end()
            raw = m.group()
            lead = _LEAD_JOIN.match(raw.lstrip())
            a += len(raw) - len(raw.lstrip()) + (lead.end() if lead else 0)
            b -= len(raw) - len(raw.rstrip(" \t.")) if raw.strip() else 0
            if a < b:
                items.append((a, b))
        lengths = [len(line[a:b].split()) for a, b in items]
        if label is None and sum(n <= ITEM_MAX_WORDS for n in lengths) < 0.75 * len(items):
            continue  # prose with commas: its parts are not short names
        out += [(start + a, start + b) for (a, b), n in zip(items, lengths, strict=True)
                if 0 < n <= ITEM_MAX_WORDS]
    return out


def find_terms(text: str, smap: SectionMap, knowledge: Knowledge,
               skills: Sequence[JobSkill] = (), exclude: Sequence[str] = ()) -> list[JobTerm]:
    """The requirement terms of a posting's (normalised, analysed) `text`, other than its
    recognised `skills` (their spans and names) and what `exclude` names (company, place)."""
    excluded = [" ".join(x.lower().split()) for x in exclude if x]
    covered = sorted({*((m.start, m.end) for m in knowledge.mentions),
                      *((s.span.start, s.span.end) for s in skills if s.span)})
    candidates = sorted({*((t.start, t.end) for t in knowledge.terms), *list_items(text)})
    seen: set[tuple[str, ...]] = {term_key(s.name) for s in skills}
    out: list[JobTerm] = []
    for a, b in candidates:
        name = " ".join(text[a:b].lower().split())
        if not name or name.split(" ", 1)[0] in STOP_WORDS or not is_substantive(name) \
                or _DEGREE.search(name) or _overlaps(covered, a, b) \
                or any(name in x for x in excluded):
            continue  # "with a ... focus" (a clause); "bachelor's degree" (qualifications)
        key = term_key(name)
        if not key or key in seen:
            continue
        section = smap.at(a).name
        if section in IGNORED_SECTIONS:
            continue
        seen.add(key)
        line_start = text.rfind("\n", 0, a) + 1
        line_end = text.find("\n", b)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        required = (section != "preferred" and PREFERRED_CUE_RE.search(line) is None
                    and _EXAMPLES.search(text, line_start, a) is None
                    and not is_example_or_alternative(text, a, b))
        out.append(JobTerm(name=name, required=required, span=Span(
            text=text[a:b], start=a, end=b, section=None if section == HEADER else section)))
        if len(out) >= MAX_TERMS:
            break
    return out


def _overlaps(covered: list[tuple[int, int]], a: int, b: int) -> bool:
    return any(s < b and a < e for s, e in covered)
