"""Skills of a CV: every taxonomy mention with the section it came from (its source), minus
mentions in employer names, URLs, e-mails and spoken languages."""

from __future__ import annotations

import re

from tools.parsing.cv.header import EMAIL_RE, URL_HINTS, URL_RE
from tools.parsing.cv.languages import SPOKEN_LANGUAGE_RE, SPOKEN_LANGUAGE_SET
from tools.parsing.sections import HEADER, SectionMap
from tools.schemas import CandidateSkill, ExperienceEntry, SkillSource, Span
from tools.skills import extract_skills, load_taxonomy

_SOURCE_ORDER: tuple[SkillSource, ...] = ("skills_section", "experience", "summary", "other")
_SECTION_SOURCE: dict[str, SkillSource] = {
    "skills": "skills_section",
    "experience": "experience",
    "projects": "experience",
    "summary": "summary",
}


def excluded_regions(
    norm: str,
    entries: list[ExperienceEntry],
    entry_offsets: list[tuple[int, int]],
    header_ends: list[int],
) -> list[tuple[int, int]]:
    """Text that names no skill of the candidate: URLs, e-mails, employer names in headers
    ("Northwind Logistics" is not logistics experience)."""
    out: list[tuple[int, int]] = []
    low = norm.lower()
    if any(t in low for t in URL_HINTS):
        out += [(m.start(), m.end()) for m in URL_RE.finditer(norm)]
    if "@" in norm:
        out += [(m.start(), m.end()) for m in _email_matches(norm)]
    for entry, (a, _), h_end in zip(entries, entry_offsets, header_ends, strict=True):
        if not entry.company:
            continue
        pos = norm.find(entry.company, a, h_end)
        if pos >= 0:
            out.append((pos, pos + len(entry.company)))
    return out


def _email_matches(text: str) -> list[re.Match[str]]:
    """``EMAIL_RE.finditer(text)``, scanning only near each "@": a match holds exactly one "@"
    (the local part cannot), at most 64 characters after its start and at most 576 before its
    end, and EMAIL_RE has no look-arounds, so the windows below contain every match."""
    windows: list[tuple[int, int]] = []
    at = text.find("@")
    while at >= 0:
        lo, hi = max(0, at - 64), min(len(text), at + 600)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
        at = text.find("@", at + 1)
    return [m for lo, hi in windows for m in EMAIL_RE.finditer(text, lo, hi)]


def find_cv_skills(
    norm: str,
    smap: SectionMap,
    entry_offsets: list[tuple[int, int]],
    summary_regions: list[tuple[int, int]],
    excluded: list[tuple[int, int]],
) -> list[CandidateSkill]:
    """The CV's skills, each with its mentions and the sources (sections) it was found in."""
    taxonomy = load_taxonomy()
    by_id: dict[str, CandidateSkill] = {}
    spoken_sections = {
        s.start for s in smap.bodies("languages")
        if SPOKEN_LANGUAGE_RE.search(norm, s.body_start, s.end)
    }
    for m in extract_skills(norm, role_names=True):  # a CV title is evidence
        if m.surface.casefold() in SPOKEN_LANGUAGE_SET or m.name.casefold() in SPOKEN_LANGUAGE_SET:
            continue
        if any(a < m.end and m.start < b for a, b in excluded):
            continue
        sec = smap.at(m.start)
        section = sec.name
        if section == "languages":
            if sec.start in spoken_sections:
                continue
            section = "skills"  # "Languages: Python, Go" — programming languages
        if m.fuzzy and section != "skills":
            continue  # fuzzy hits in prose are too often ordinary words ("caching")
        source: SkillSource = _SECTION_SOURCE.get(section, "other")
        if source == "other" and any(a <= m.start < b for a, b in entry_offsets):
            source = "experience"
        if source == "other" and any(a <= m.start < b for a, b in summary_regions):
            source = "summary"
        skill = by_id.get(m.skill_id)
        if skill is None:
            entry = taxonomy.get(m.skill_id)
            skill = CandidateSkill(
                name=m.name, skill_id=m.skill_id, category=entry.category if entry else None
            )
            by_id[m.skill_id] = skill
        if source not in skill.sources:
            skill.sources.append(source)
        skill.mentions.append(Span(text=m.surface, start=m.start, end=m.end,
                                   section=None if section == HEADER else section))
    for skill in by_id.values():
        skill.sources.sort(key=_SOURCE_ORDER.index)
    return list(by_id.values())
