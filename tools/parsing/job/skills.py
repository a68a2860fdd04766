"""Required and preferred skills of a posting, classified by section and inline cues (the rules
are described in ``tools.parsing.job``)."""

from __future__ import annotations

import bisect
import re
from typing import Any

from tools.knowledge import extract_knowledge
from tools.parsing.cv.education import degree_level_of, may_name_degree
from tools.parsing.job.cues import (
    CLAUSE_BREAK_RE,
    IGNORED_SECTIONS,
    PREFERRED_CUE_RE,
    PREFERRED_CUE_WORDS,
    REQUIRED_CUE_RE,
    REQUIRED_CUE_WORDS,
)
from tools.parsing.sections import HEADER, SectionMap
from tools.parsing.text import gate_open, gate_text
from tools.schemas import JobSkill, SkillMention, Span
from tools.skills import extract_skills, load_taxonomy

_SLUG = re.compile(r"[^a-z0-9+#]+")


class _Clauses:
    """Clause boundaries (sentence breaks, newlines) of a text, found once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = [0]
        self.ends: list[int] = []
        for m in CLAUSE_BREAK_RE.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))

    def around(self, start: int, end: int) -> str:
        """The clause holding text[start:end], at most 300 characters either side."""
        i = bisect.bisect_right(self.starts, start) - 1
        a = max(self.starts[i], start - 300)
        j = bisect.bisect_left(self.ends, end)
        b = min(self.ends[j] if j < len(self.ends) else len(self.text), end + 300)
        return self.text[a:b]


def classify_skills(
    text: str,
    smap: SectionMap,
    structured: list[str] | None,
    structured_preferred: list[str] | None,
    *,
    title_end: int = -1,
) -> tuple[list[JobSkill], list[JobSkill]]:
    """Required and preferred skills of a posting (rules in ``tools.parsing.job``)."""
    taxonomy = load_taxonomy()
    has_requirements = smap.has("requirements")
    required: dict[str, JobSkill] = {}
    preferred: dict[str, JobSkill] = {}
    first_span: dict[str, Span] = {}
    pref_ids: set[str] = set()
    cue_cache: dict[str, tuple[bool, bool]] = {}
    clauses = _Clauses(text)
    # text-wide gates: a cue or degree word absent from the text is absent from every clause
    low = gate_text(text)
    pref_gate = gate_open(low, *PREFERRED_CUE_WORDS)
    req_gate = gate_open(low, *REQUIRED_CUE_WORDS)
    degree_gate = may_name_degree(text)

    for m in _mentions(text, title_end):
        sec = smap.at(m.start)
        section = sec.name
        span: Span | None = None
        if m.skill_id not in first_span:
            span = first_span[m.skill_id] = Span(
                text=m.surface, start=m.start, end=m.end,
                section=None if section == HEADER else section)
        if section in IGNORED_SECTIONS:
            continue
        clause = clauses.around(m.start, m.end)
        cues = cue_cache.get(clause)
        if cues is None:
            cues = cue_cache[clause] = (
                pref_gate and PREFERRED_CUE_RE.search(clause) is not None,
                req_gate and REQUIRED_CUE_RE.search(clause) is not None,
            )
        entry = taxonomy.get(m.skill_id)
        if entry is not None and entry.category == "domain" and degree_gate \
                and degree_level_of(clause):
            continue  # "degree in Computer Science": a degree field, see qualifications
        if m.end <= title_end:
            is_required = True  # the title names the discipline ("Frontend Developer")
        elif section == "requirements":
            is_required = True
        elif section == "preferred":
            is_required = False
        else:  # context sections (intro, description, responsibilities) and the rest
            is_required = not has_requirements
        if m.end > title_end:
            if cues[0]:
                is_required = False
            elif cues[1]:
                is_required = True
            if is_required and is_example_or_alternative(text, m.start, m.end):
                is_required = False  # "tools such as X, Y", "Java or Kotlin": not each a must
        target = required if is_required else preferred
        if m.skill_id in target:
            continue  # the first mention of a skill in each list wins
        if span is None:
            span = Span(text=m.surface, start=m.start, end=m.end,
                        section=None if section == HEADER else section)
        target[m.skill_id] = JobSkill(name=m.name, skill_id=m.skill_id,
                                      category=entry.category if entry else None,
                                      required=is_required, span=span)

    out_required: list[JobSkill] = []
    if structured_preferred:
        for name in structured_preferred:
            sk = _structured_skill(name, first_span, required=False)
            if sk is not None:
                pref_ids.add(sk.skill_id)
                preferred.setdefault(sk.skill_id, sk)
    if structured:
        for name in structured:
            sk = _structured_skill(name, first_span, required=True)
            if sk is None or sk.skill_id in pref_ids:
                continue
            if all(s.skill_id != sk.skill_id for s in out_required):
                out_required.append(required.get(sk.skill_id, sk))
    for sid, sk in required.items():
        if sid in pref_ids and structured_preferred:
            continue
        if all(s.skill_id != sid for s in out_required):
            out_required.append(sk)
    req_ids = {s.skill_id for s in out_required}
    out_preferred = [
        sk.model_copy(update={"required": False})
        for sid, sk in preferred.items() if sid not in req_ids
    ]
    return out_required, out_preferred


def _mentions(text: str, title_end: int) -> list[SkillMention]:
    """The lexicon matches the span tagger confirmed, plus every match in the title: the title
    names the discipline ("Marketing Manager", "Backend Engineer"), whatever a tagger trained on
    requirement sentences makes of it."""
    mentions = list(extract_knowledge(text).mentions)
    if title_end <= 0:
        return mentions
    seen = {(m.start, m.end) for m in mentions}
    titled = [m for m in extract_skills(text[:title_end], fuzzy=False, role_names=True)
              if (m.start, m.end) not in seen]
    return sorted(mentions + titled, key=lambda m: (m.start, m.end)) if titled else mentions


#: An example list opens before a skill on the same line: "tools such as", "e.g.", "like".
_EXAMPLE_BEFORE = re.compile(
    r"(?:\bsuch as|\be\.\s?g\.?|\beg\.|\bfor (?:example|instance)|\bincluding|\blike|\bi\.e\.)"
    r"[^.;:!?\n()]*$", re.I)
#: Alternatives: "X or Y", "X and/or Y", "X/Y" around the skill (one of them is asked for).
_OR_BEFORE = re.compile(r"(?:\bor|\band/or)\s+(?:[\w.+#-]+\s+){0,2}$", re.I)
_OR_AFTER = re.compile(r"^(?:\s+[\w.+#-]+){0,2}\s*,?\s+(?:or|and/or)\b", re.I)


def is_example_or_alternative(text: str, start: int, end: int) -> bool:
    """Whether a skill mention is one example of a list ("such as X, Y"; "e.g. X") or one of
    alternatives ("X or Y"): the posting asks for one of them, not each."""
    before = text[max(0, start - 160):start]
    line = before.rsplit("\n", 1)[-1]
    if _EXAMPLE_BEFORE.search(line):
        return True
    after = text[end:end + 40].split("\n", 1)[0]
    return bool(_OR_BEFORE.search(line[-40:]) or _OR_AFTER.match(after))


def _structured_skill(name: Any, first_span: dict[str, Span], *, required: bool) -> JobSkill | None:
    if not isinstance(name, str) or not name.strip():
        return None
    taxonomy = load_taxonomy()
    entry = taxonomy.lookup(name.strip())
    if entry is None:
        mentions = extract_skills(name)
        if len(mentions) == 1 and len(mentions[0].surface) >= len(name.strip()) - 2:
            entry = taxonomy.get(mentions[0].skill_id)
    if entry is not None:
        return JobSkill(name=entry.name, skill_id=entry.id, category=entry.category,
                        required=required, span=first_span.get(entry.id))
    clean = " ".join(name.split())[:80]
    slug = _SLUG.sub("-", clean.lower()).strip("-")
    if not slug:
        return None
    return JobSkill(name=clean, skill_id=slug, required=required, span=None)
