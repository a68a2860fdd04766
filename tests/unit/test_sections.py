"""Heading detection: variants, decoration, inline headings, offsets."""

from __future__ import annotations

import pytest

from tools.parsing.sections import (
    CV_HEADINGS,
    HEADER,
    JOB_HEADINGS,
    SectionMap,
    match_heading,
    split_sections,
)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Work Experience", "experience"),
        ("PROFESSIONAL EXPERIENCE", "experience"),
        ("Employment History:", "experience"),
        ("Career History", "experience"),
        ("## Experience", "experience"),
        ("**EXPERIENCE**", "experience"),
        ("E X P E R I E N C E", "experience"),
        ("C A R E E R   H I S T O R Y", "experience"),
        ("Skills", "skills"),
        ("Technical Skills", "skills"),
        ("Core Competencies:", "skills"),
        ("TECH STACK", "skills"),
        ("Key Skills", "skills"),
        ("K E Y S K I L L S", "skills"),
        ("Education", "education"),
        ("Academic Background", "education"),
        ("Certifications", "certifications"),
        ("Licenses & Certifications", "certifications"),
        ("LICENCES AND CERTIFICATIONS", "certifications"),
        ("Languages", "languages"),
        ("Summary", "summary"),
        ("Profile", "summary"),
        ("About Me", "summary"),
        ("Objective", "summary"),
        ("Projects", "projects"),
        ("   Interests   ", "interests"),
    ],
)
def test_cv_heading_variants(line: str, name: str) -> None:
    hit = match_heading(line, CV_HEADINGS)
    assert hit is not None and hit[0] == name
    assert hit[2] == len(line)  # a heading on its own line


@pytest.mark.parametrize(
    "line",
    [
        "Senior Engineer - Acme Corp (Jan 2020 - Present)",
        "Led the experience design of a checkout flow.",
        "Python, SQL, Docker",
        "",
        "x" * 5000,
        "Skills that pay the bills and a lot more words in this long sentence here",
    ],
)
def test_non_headings(line: str) -> None:
    assert match_heading(line, CV_HEADINGS) is None


def test_inline_heading_body_offset() -> None:
    line = "Technical Skills: Python, Go"
    name, head, body = match_heading(line, CV_HEADINGS) or ("", "", 0)
    assert (name, head) == ("skills", "Technical Skills")
    assert line[body:].strip() == "Python, Go"


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Requirements", "requirements"),
        ("Must have:", "requirements"),
        ("What you'll bring", "requirements"),
        ("What You’ll Bring", "requirements"),
        ("Qualifications", "requirements"),
        ("You have:", "requirements"),
        ("Nice to have", "preferred"),
        ("Nice-to-have:", "preferred"),
        ("Preferred Qualifications", "preferred"),
        ("Bonus points", "preferred"),
        ("Desirable", "preferred"),
        ("Responsibilities", "responsibilities"),
        ("What you'll do", "responsibilities"),
        ("Benefits", "benefits"),
        ("About us", "about"),
        ("About Northstar Freight", "about"),
        ("Requirements (must have)", "requirements"),
    ],
)
def test_job_heading_variants(line: str, name: str) -> None:
    hit = match_heading(line, JOB_HEADINGS)
    assert hit is not None and hit[0] == name


def test_job_header_fields_are_not_headings() -> None:
    assert match_heading("Company: Acme Health", JOB_HEADINGS) is None
    assert match_heading("Salary: $100k", JOB_HEADINGS) is None
    assert match_heading("Must have 5 years of Python", JOB_HEADINGS) is None


def test_split_sections_offsets() -> None:
    text = "Jane Doe\n\nSUMMARY\nBuilder.\n\nSkills: Python, Go\nExperience\nDev, Acme"
    sections = split_sections(text, CV_HEADINGS)
    assert [s.name for s in sections] == [HEADER, "summary", "skills", "experience"]
    smap = SectionMap(sections)
    assert smap.name_at(text.index("Jane")) == HEADER
    assert smap.name_at(text.index("Builder")) == "summary"
    assert smap.name_at(text.index("Python")) == "skills"
    assert smap.name_at(text.index("Acme")) == "experience"
    skills = smap.bodies("skills")[0]
    assert text[skills.body_start:skills.end].strip() == "Python, Go"
    assert smap.names() == ["summary", "skills", "experience"]


def test_inline_filter_veto() -> None:
    text = "Skills\nLanguages: Python, Go\nLanguages: English"
    names = [s.name for s in split_sections(
        text, CV_HEADINGS, accept_inline=lambda n, rest: "English" in rest
    )]
    assert names == [HEADER, "skills", "languages"]
