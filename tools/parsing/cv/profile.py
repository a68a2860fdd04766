"""CV parsing: raw CV text -> :class:`~tools.schemas.CandidateProfile` (the pipeline is
described in ``tools.parsing.cv``)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date
from typing import Any

from tools.parsing.cv.certifications import cert_from_line, cert_pieces, find_certifications
from tools.parsing.cv.education import EDU_LINE_RE, degree_level_of, parse_education_lines
from tools.parsing.cv.entries import Line, parse_entries
from tools.parsing.cv.header import header_info
from tools.parsing.cv.languages import accept_inline_heading, parse_languages
from tools.parsing.cv.layout import join_split_lines
from tools.parsing.cv.patterns import ROLE_WORDS
from tools.parsing.cv.preferences import desired_roles, remote_preference, salary_expectation
from tools.parsing.cv.skills import excluded_regions, find_cv_skills
from tools.parsing.cv.titles import caps_headline, titles_in_prose
from tools.parsing.cv.years import total_years as derive_total_years
from tools.parsing.experience import detect_seniority, seniority_from_years
from tools.parsing.sections import CV_HEADINGS, HEADER, SectionMap, iter_lines, split_sections
from tools.parsing.stuffing import SCAN_WINDOW, defuse_stuffing
from tools.parsing.text import (
    OffsetMap,
    analysed_prefix,
    chain_maps,
    normalise_with_offsets,
    remap_spans,
    scan_map,
)
from tools.schemas import CandidateProfile, ExperienceEntry, Span
from tools.skills import extract_skills

logger = logging.getLogger(__name__)

_NOT_EXPERIENCE = frozenset({
    "skills", "education", "certifications", "languages", "projects", "volunteering", "awards",
    "publications", "interests", "references",
})


def _normalised(given: str) -> tuple[str, OffsetMap]:
    """The text the parser reads, and the map from it back to ``given``."""
    original = defuse_stuffing(given)  # tools/parsing/stuffing.py
    full, offsets = normalise_with_offsets(original, cells=True, space_cells=True)
    if original is not given:  # spans index the text the caller gave, not the defused one
        offsets = chain_maps(offsets, scan_map(original, given, window=SCAN_WINDOW))
    return full, offsets


def restore_profile(parsed: Mapping[str, Any], given: str) -> CandidateProfile:
    """A stored profile (``CandidateProfile.model_dump``) of the text ``given``. Profiles stored
    before they kept ``text_shifts`` get them recomputed from ``given`` (left empty when it no
    longer reads as the stored text), so spans found at scoring time still index ``given``."""
    profile = CandidateProfile.model_validate(parsed)
    if "text_shifts" not in parsed and profile.text and given:
        full, offsets = _normalised(given)
        if full == profile.text:
            profile.text_shifts = offsets.shifts()
    return profile


def parse_cv(text: str, *, today: date | None = None) -> CandidateProfile:
    """Parse a CV's text into a :class:`CandidateProfile` (see the module docstring).

    Args:
        text: raw CV text (PDF/DOCX extraction output, pasted text…).
        today: reference date for open-ended ranges ("– Present"); defaults to today.
    """
    given = text or ""
    full, offsets = _normalised(given)
    if not full.strip():
        return CandidateProfile(text=full)
    # split date ranges / "City , State" glued back; same length, so offsets agree with full
    norm = join_split_lines(analysed_prefix(full))

    sections = split_sections(norm, CV_HEADINGS, accept_inline=accept_inline_heading)
    smap = SectionMap(sections)
    has_exp_section = smap.has("experience")

    lines: list[Line] = []
    for off, raw_line in iter_lines(norm):
        lines.append(Line(off, raw_line, smap.name_at(off)))
    # inline headings: the heading part of the line is not content
    heading_lines = {s.start for s in sections if s.name != HEADER}

    # ---- experience
    if has_exp_section:
        allowed = [ln.section == "experience" and ln.start not in heading_lines for ln in lines]
    else:
        allowed = [
            ln.section not in _NOT_EXPERIENCE and ln.start not in heading_lines
            for ln in lines
        ]
    entries, entry_offsets, header_ends = parse_entries(lines, allowed, today)
    for entry, (a, b) in zip(entries, entry_offsets, strict=True):
        entry.span = Span(text=full[a:b], start=a, end=b, section="experience")

    # ---- header
    first_entry_line = min(
        (i for i, ln in enumerate(lines) if entry_offsets and ln.start == entry_offsets[0][0]),
        default=len(lines),
    )
    header_lines: list[str] = []
    intro: tuple[int, int] | None = None
    for i, ln in enumerate(lines):
        if ln.section != HEADER or i >= first_entry_line:
            break
        if len(ln.text) > 120 or (len(ln.text.split()) > 14 and ln.text.rstrip().endswith(".")):
            if intro is None:
                intro = (ln.start, ln.end)
            else:
                intro = (intro[0], ln.end)
            continue
        if intro is not None:
            if not ln.text.strip():
                break
            intro = (intro[0], ln.end)
            continue
        if len([h for h in header_lines if h.strip()]) < 8:
            header_lines.append(ln.text)
    personal, headline, location, _ = header_info([h for h in header_lines if h.strip()])
    caps = caps_headline(
        header_lines, ROLE_WORDS, lambda t: bool(extract_skills(t, role_names=True))
    )
    if caps is not None and (headline is None or _part_of(headline, caps)
                             or _part_of(personal.name, caps)):
        if _part_of(personal.name, caps):
            personal.name = None  # "CLIENT RELATIONS ADVOCATE" is a title, not a name
        headline = caps  # the whole line: "SENIOR VP - INFORMATION TECHNOLOGY"
    headline_span: tuple[int, int] | None = None
    if headline:
        pos = norm.find(headline, 0, intro[0] if intro else len(norm))
        if pos >= 0:
            headline_span = (pos, pos + len(headline))

    # ---- summary
    summary: str | None = None
    summary_regions: list[tuple[int, int]] = []
    for s in smap.bodies("summary"):
        body = norm[s.body_start:s.end].strip()
        if body:
            summary_regions.append((s.body_start, s.end))
            if summary is None:
                summary = " ".join(body.split())
    if summary is None and intro is not None:
        summary = " ".join(norm[intro[0]:intro[1]].split())
        summary_regions.append(intro)

    # ---- total years: dated roles, else a stated figure, else the longest skill duration
    total_years, years_source = derive_total_years(
        [(e.start, e.end) for e in entries if e.start and e.end],
        [norm[a:b] for a, b in summary_regions] + [norm[:sections[0].end]],
        [norm[s.body_start:s.end] for s in smap.bodies("skills")] or [norm],
        lambda name: bool(extract_skills(name, fuzzy=False, role_names=True)),
        today=today,
    )

    # ---- latest title, seniority
    latest = _latest(entries)
    if headline is None and latest is not None:
        headline = latest.title
    if headline is None and summary:
        headline = next(iter(titles_in_prose(summary, ROLE_WORDS)), None)
    seniority = detect_seniority(latest.title) if latest and latest.title else None
    if seniority is None and headline:
        seniority = detect_seniority(headline)
    if seniority is None:
        seniority = seniority_from_years(total_years)

    # ---- skills
    excluded = excluded_regions(norm, entries, entry_offsets, header_ends)
    if headline_span is not None:
        summary_regions.append(headline_span)
    skills = find_cv_skills(norm, smap, entry_offsets, summary_regions, excluded)

    # ---- education
    edu_lines: list[str] = []
    for s in smap.bodies("education"):
        edu_lines.extend(norm[s.body_start:s.end].split("\n"))
    if not edu_lines:
        edu_lines = [
            ln.text for ln in lines
            if ln.section in (HEADER, "summary", "additional") and EDU_LINE_RE.search(ln.text)
            and degree_level_of(ln.text)
        ]
    education = parse_education_lines(edu_lines)

    # ---- certifications
    certs: list[str] = []
    for s in smap.bodies("certifications"):
        for ln_text in norm[s.body_start:s.end].split("\n"):
            for piece in cert_pieces(ln_text):
                c = cert_from_line(piece)
                if c and c.casefold() not in {x.casefold() for x in certs}:
                    certs.append(c)
    cert_scope = "\n".join(
        norm[s.body_start:s.end] for s in sections if s.name not in ("education", "certifications")
    )
    for c in find_certifications(cert_scope):
        if not any(c.casefold() in x.casefold() for x in certs):
            certs.append(c)

    # ---- spoken languages
    lang_text = "\n".join(norm[s.body_start:s.end] for s in smap.bodies("languages"))
    languages = parse_languages(lang_text)

    # ---- preferences
    remote_pref = remote_preference(norm)
    salary = salary_expectation(norm)
    desired = desired_roles(norm)

    profile = CandidateProfile(
        personal=personal,
        headline=headline,
        summary=summary,
        skills=skills,
        experience=entries,
        total_years=total_years,
        years_source=years_source,
        seniority=seniority,
        education=education,
        certifications=certs,
        languages=languages,
        location=location,
        remote_preference=remote_pref,
        salary_expectation=salary,
        desired_roles=desired,
        sections=smap.names(),
        text=full,
        text_shifts=offsets.shifts(),
    )
    remap_spans(profile, offsets, given)
    return profile


def _part_of(a: str | None, b: str) -> bool:
    """`a` (whitespace and case aside) is `b` or a part of it."""
    if not a:
        return False
    return " ".join(a.split()).casefold() in " ".join(b.split()).casefold()


def _latest(entries: list[ExperienceEntry]) -> ExperienceEntry | None:
    if not entries:
        return None

    def key(e: ExperienceEntry) -> tuple[str, str]:
        end = "9999-99" if e.end == "present" else (e.end or "")
        return end, e.start or ""

    best = entries[0]
    for e in entries[1:]:
        if key(e) > key(best):
            best = e
    return best
