"""The text path of ``parse_job``: fields, skills, qualifications and keywords from a posting's
text (a record's fields are turned into such a text first)."""

from __future__ import annotations

from datetime import date

from tools.knowledge import extract_knowledge
from tools.parsing.dates import parse_posted_date
from tools.parsing.experience import detect_seniority, parse_experience_years, seniority_from_years
from tools.parsing.job.cues import IGNORED_SECTIONS
from tools.parsing.job.employment import find_employment_type
from tools.parsing.job.header import LABEL_RE, SCAN_CHARS, label_key, title_company_location
from tools.parsing.job.qualifications import find_qualifications
from tools.parsing.job.skills import classify_skills
from tools.parsing.job.terms import find_terms
from tools.parsing.keywords import extract_keywords
from tools.parsing.location import find_location, parse_location
from tools.parsing.salary import find_salary, parse_salary
from tools.parsing.sections import HEADER, JOB_HEADINGS, SectionMap, iter_lines, split_sections
from tools.parsing.stuffing import SCAN_WINDOW, defuse_stuffing
from tools.parsing.text import (
    analysed_prefix,
    chain_maps,
    normalise_with_offsets,
    remap_spans,
    scan_map,
)
from tools.parsing.work_mode import detect_work_mode
from tools.schemas import JobPosting, Location, SalaryRange, Span, WorkMode


def parse_text(
    raw: str,
    today: date | None,
    *,
    structured_skills: list[str] | None = None,
    structured_preferred: list[str] | None = None,
    record: bool = False,
) -> JobPosting:
    """Parse a posting's text (a record's text when `record`: its spans are left on that text)."""
    given = raw or ""
    original = defuse_stuffing(given)  # tools/parsing/stuffing.py
    full, offsets = normalise_with_offsets(original, cells=True)
    if original is not given:  # spans index the text the caller gave, not the defused one
        offsets = chain_maps(offsets, scan_map(original, given, window=SCAN_WINDOW))
    if not full.strip():
        return JobPosting(text=full)
    text = analysed_prefix(full)
    sections = split_sections(text, JOB_HEADINGS)
    smap = SectionMap(sections)

    # ---- header fields
    labels: dict[str, str] = {}
    header_lines: list[str] = []
    for _, line in iter_lines(text[: sections[1].start if len(sections) > 1 else len(text)]):
        if len(header_lines) >= 12:
            break
        if not line.strip():
            continue
        m = LABEL_RE.match(line) if len(line) < 300 else None
        if m:
            labels.setdefault(label_key(m.group("label")), m.group("value"))
        header_lines.append(line.strip())
    # labelled lines further down ("Location: Leeds" under the description)
    for _, line in iter_lines(text):
        if len(line) < 200 and ":" in line:
            m = LABEL_RE.match(line)
            if m:
                labels.setdefault(label_key(m.group("label")), m.group("value"))

    about_company = next(
        (s.heading[6:].strip() for s in sections
         if s.name == "about" and s.heading and s.heading.startswith("About ")
         and not s.heading.lower().startswith(("about us", "about the"))),
        None,
    )
    title, company, loc_text = title_company_location(labels, header_lines, about_company)
    location: Location | None = parse_location(loc_text) if loc_text else None
    if location is None or not (location.city or location.region or location.country):
        # "located in Tampa, FL", "...DOELocation: Irvine, CA" glued mid-line
        stated = find_location(text[:SCAN_CHARS])
        if stated is not None:
            location = stated.model_copy(update={"remote": bool(location and location.remote)})

    # ---- work mode, employment type
    work_mode: WorkMode | None = None
    wm_label = labels.get("work_mode")
    if wm_label:
        work_mode = detect_work_mode(wm_label)
    if work_mode is None:
        work_mode = detect_work_mode(text)
    if work_mode is None and location is not None and location.remote:
        work_mode = "remote"

    employment_type = find_employment_type(labels.get("employment_type"), header_lines, text)

    # ---- salary
    salary: SalaryRange | None = None
    if labels.get("salary"):
        salary = parse_salary(labels["salary"])
    if salary is None:
        salary = find_salary(text)

    # ---- experience, seniority
    exp_min, exp_max, exp_span = parse_experience_years(text)
    if exp_span is not None:
        sec = smap.name_at(exp_span.start)
        exp_span = Span(text=exp_span.text, start=exp_span.start, end=exp_span.end,
                        section=None if sec == HEADER else sec)
    seniority = detect_seniority(title, "") if title else None
    if seniority is None and labels.get("seniority"):
        seniority = detect_seniority(labels["seniority"])
    if seniority is None:
        seniority = seniority_from_years(exp_min) if exp_min is not None else None

    # ---- skills
    title_end = text.find(title) + len(title) if title and text.find(title) >= 0 else -1
    required, preferred = classify_skills(
        text, smap, structured_skills, structured_preferred, title_end=title_end
    )

    # ---- qualifications
    qualifications = find_qualifications(text, smap)

    # ---- keywords
    kw_text = "\n".join(
        text[s.body_start:s.end] for s in sections
        if s.name in ("requirements", "preferred", "responsibilities")
    )
    if not kw_text.strip():
        kw_text = "\n".join(
            text[s.body_start:s.end] for s in sections if s.name not in IGNORED_SECTIONS
        )
    keywords = extract_keywords(
        kw_text[:SCAN_CHARS],
        skills=[s.name for s in (*required, *preferred)],
        terms=[t.text for t in extract_knowledge(text).terms],
        exclude=[x for x in (company, loc_text) if x],
    )

    # ---- posted date
    posted: date | None = None
    if labels.get("posted"):
        posted = parse_posted_date(labels["posted"], today=today)
    if posted is None:
        for _, line in iter_lines(text):
            if len(line) < 200 and "posted" in line.lower():
                posted = parse_posted_date(line, today=today)
                if posted is not None:
                    break

    posting = JobPosting(
        title=title,
        company=company,
        location=location,
        work_mode=work_mode,
        employment_type=employment_type,
        salary=salary,
        experience_min=exp_min,
        experience_max=exp_max,
        experience_span=exp_span,
        seniority=seniority,
        required_skills=required,
        preferred_skills=preferred,
        qualifications=qualifications,
        keywords=keywords,
        terms=find_terms(text, smap, extract_knowledge(text), [*required, *preferred],
                         exclude=[x for x in (company, loc_text) if x]),
        posted_date=posted,
        description=full,
        text=full,
    )
    if not record:  # spans index the text the caller gave (a record's: job.text, as built)
        remap_spans(posting, offsets, given)
    return posting
