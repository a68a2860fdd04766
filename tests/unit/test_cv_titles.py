"""Headline, role titles and layout repairs on resume layouts seen in real PDF extractions
(synthetic texts written for these tests)."""

from __future__ import annotations

from datetime import date

import pytest

from tools.parsing.cv import ROLE_WORDS, parse_cv
from tools.parsing.cv.layout import join_split_lines
from tools.parsing.cv.titles import (
    is_filler_line,
    is_headline_caps,
    looks_like_title,
    objective_roles,
    titles_in_prose,
)

TODAY = date(2025, 6, 1)

# A PDF-extracted layout: title in capitals, dates broken over three lines, anonymised employer
# and place lines, a filler line between them.
SPLIT_LAYOUT = """PAYROLL SPECIALIST
Summary
Payroll specialist with SAP and Excel experience in multi-state payroll.
Experience
Payroll Specialist
03/2016
to
Current
Company Name
//
City
,
State
Process bi-weekly payroll for 900 employees in SAP.
Reconcile payroll ledgers in Excel every month.
Payroll Clerk
June 2012
to
February 2016
Company Name
City
,
State
Entered timesheets and benefit deductions.
Education
Associate of Science, Accounting 2012
"""

# Dates first, then the title, then the placeholders.
DATES_FIRST = """WAREHOUSE LEAD
Professional Summary
Reliable warehouse lead.
Work History
08/2019
to
Current
Warehouse Lead
Company Name
City
,
State
Lead a crew of twelve pickers on the night shift.
01/2015
to
07/2019
Forklift Operator
Company Name
City
,
State
Loaded and unloaded trailers safely.
"""

# One line per role: employer placeholder, place, title, dates.
ONE_LINE = """SENIOR HR GENERALIST
Experience
Company Name City , State Senior HR Generalist 01/2018 to Current
Partner with managers on hiring and employee relations.
Company Name City , State HR Assistant 05/2014 to 12/2017
Maintained personnel files.
"""


def test_join_split_lines_keeps_length_and_joins_ranges() -> None:
    text = "Title\n03/2016\nto\nCurrent\nCompany Name\nCity\n,\nState\nDid things."
    out = join_split_lines(text)
    assert len(out) == len(text)
    lines = out.split("\n")
    assert "03/2016 to Current" in lines and "City , State" in lines
    assert join_split_lines("no breaks") == "no breaks"
    # a date on its own line next to prose is left alone
    assert join_split_lines("Since 2019\nI have led teams") == "Since 2019\nI have led teams"


def test_split_dates_and_placeholders() -> None:
    p = parse_cv(SPLIT_LAYOUT, today=TODAY)
    assert p.headline == "PAYROLL SPECIALIST"
    assert [(e.title, e.start, e.end) for e in p.experience] == [
        ("Payroll Specialist", "2016-03", "present"),
        ("Payroll Clerk", "2012-06", "2016-02"),
    ]
    first = p.experience[0]
    assert first.company is None and first.location is None  # placeholders are not data
    assert first.bullets == ["Process bi-weekly payroll for 900 employees in SAP.",
                             "Reconcile payroll ledgers in Excel every month."]
    assert p.total_years is not None and p.total_years > 12
    for e in p.experience:
        assert e.span is not None and SPLIT_LAYOUT[e.span.start:e.span.end] == e.span.text


def test_dates_first_layout() -> None:
    p = parse_cv(DATES_FIRST, today=TODAY)
    assert [e.title for e in p.experience] == ["Warehouse Lead", "Forklift Operator"]
    assert p.experience[1].bullets == ["Loaded and unloaded trailers safely."]


def test_one_line_roles_with_placeholders() -> None:
    p = parse_cv(ONE_LINE, today=TODAY)
    assert p.headline == "SENIOR HR GENERALIST"
    assert [(e.title, e.company) for e in p.experience] == [
        ("Senior HR Generalist", None), ("HR Assistant", None)]


@pytest.mark.parametrize("first, expected", [
    ("ACCOUNTANT", "ACCOUNTANT"),
    ("CLIENT RELATIONS ADVOCATE", "CLIENT RELATIONS ADVOCATE"),
    ("SALES", "SALES"),
    ("DIRECTOR OF MARKETING, COMMUNICATIONS AND IT",
     "DIRECTOR OF MARKETING, COMMUNICATIONS AND IT"),
])
def test_caps_first_line_is_the_headline(first: str, expected: str) -> None:
    p = parse_cv(f"{first}\nSummary\nDependable and organised.\n", today=TODAY)
    assert p.headline == expected
    assert p.personal.name is None


def test_caps_name_stays_a_name() -> None:
    p = parse_cv("JANE EXAMPLE\njane@example.org\nSummary\nDependable.\n", today=TODAY)
    assert p.personal.name == "Jane Example"
    assert p.headline is None


def test_objective_line_gives_desired_role() -> None:
    text = ("Objective\nSeeking a position as a Staff Accountant where my reconciliation skills "
            "help the team.\nTo obtain a Payroll Manager position with a growing firm.\n")
    p = parse_cv(text, today=TODAY)
    assert "Staff Accountant" in p.desired_roles
    assert "Payroll Manager" in p.desired_roles


def test_title_in_prose_when_nothing_else() -> None:
    text = ("Summary\nI have worked as a nurse manager for nine years in busy surgical wards and "
            "enjoy mentoring new staff.\n")
    p = parse_cv(text, today=TODAY)
    assert p.headline == "nurse manager"


def test_helpers() -> None:
    assert is_filler_line("//") and is_filler_line("City , State")
    assert is_filler_line("\u00ef\u00bc")
    assert is_filler_line("Company Name") and not is_filler_line("Payroll Clerk")
    assert is_headline_caps("SENIOR HR GENERALIST") and not is_headline_caps("Senior HR")
    assert not is_headline_caps("JOHN@EXAMPLE.COM") and not is_headline_caps("CLASS OF 2012")
    assert looks_like_title("Forklift Operator", ROLE_WORDS)
    assert not looks_like_title("Responsible for reviewing and", ROLE_WORDS)
    assert not looks_like_title("Managed the operator team.", ROLE_WORDS)
    assert objective_roles("seeking the position of Claims Representative I, where", ROLE_WORDS) \
        == ["Claims Representative I"]
    assert titles_in_prose("She served as the Head Chef at a bistro.", ROLE_WORDS) == ["Head Chef"]
    assert titles_in_prose("worked as part of a team", ROLE_WORDS) == []


def test_prose_is_not_a_title() -> None:
    from tools.parsing.cv.titles import plausible_title

    assert plausible_title("Crew Leader", ROLE_WORDS)
    assert plausible_title("Bookkeeping", ROLE_WORDS)
    assert plausible_title("accountant", ROLE_WORDS)
    assert not plausible_title("retain key associates in local market", ROLE_WORDS)
    assert not plausible_title(". Obtained a conviction in a large case", ROLE_WORDS)
    assert not plausible_title("Answered incoming calls", ROLE_WORDS)
    text = ("Experience\nAnswered incoming calls 2014 - 2016\n- Routed calls.\n")
    p = parse_cv(text, today=TODAY)
    assert [e.title for e in p.experience] == [None]


@pytest.mark.parametrize("heading, section", [
    ("Highlights", "skills"), ("Skill Highlights", "skills"), ("Core Qualifications", "skills"),
    ("Accomplishments", "awards"), ("Executive Profile", "summary"),
    ("Career Overview", "summary"), ("Professional Affiliations", "additional"),
])
def test_resume_headings(heading: str, section: str) -> None:
    p = parse_cv(f"NURSE\n{heading}\nSomething here\n", today=TODAY)
    assert p.sections == [section]


@pytest.mark.parametrize("first, name", [
    ("SALES SUPPORT", None), ("IT MANAGEMENT", None),
    ("SENIOR VP - INFORMATION TECHNOLOGY", None),
])
def test_caps_field_titles_are_headlines(first: str, name: str | None) -> None:
    p = parse_cv(f"{first}\nProfessional Summary\nDependable.\n", today=TODAY)
    assert p.headline == first and p.personal.name == name


def test_prose_is_not_a_company_nor_an_entry() -> None:
    from tools.parsing.cv.titles import plausible_company

    assert plausible_company("Northwind Traders Inc.")
    assert not plausible_company("and similarly in the downturn for growers")
    assert not plausible_company("Performed payroll for 100+ employees and 7 retail store sites")
    text = ("Experience\nPayroll Clerk\n03/2016 to 05/2019\n"
            "Assigned to the regional payroll and benefits programme for all staff since "
            "October 2017, covering four sites and two unions.\n")
    p = parse_cv(text, today=TODAY)
    assert [(e.title, e.start) for e in p.experience] == [("Payroll Clerk", "2016-03")]


def test_objective_roles_split_and_lose_employment_terms() -> None:
    text = "Objective\nSeeking part time or prn generalist positions in a clinic.\n"
    p = parse_cv(text, today=TODAY)
    assert p.desired_roles == ["generalist"]
    text = "Objective\nSeeking fashion designer or creative director roles.\n"
    assert parse_cv(text, today=TODAY).desired_roles == ["fashion designer", "creative director"]


def test_title_then_dates_on_one_line_with_placeholder_line() -> None:
    text = ("ACCOUNTANT\nExperience\nAccountant Jan 2015 to Current\nCompany Name City , State\n"
            "Closed the books monthly.\nJunior Accountant 2012 - 2014\nCompany Name\n"
            "Posted journal entries.\n")
    p = parse_cv(text, today=TODAY)
    assert [(e.title, e.company, e.start, e.end) for e in p.experience] == [
        ("Accountant", None, "2015-01", "present"), ("Junior Accountant", None, "2012-01",
                                                    "2014-12")]
    assert p.experience[0].bullets == ["Closed the books monthly."]
