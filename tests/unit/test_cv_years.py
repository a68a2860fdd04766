"""Total years of experience and its source (synthetic CV texts)."""

from __future__ import annotations

from datetime import date

import pytest

from tools.parsing.cv import parse_cv
from tools.parsing.cv.years import skill_duration_years, stated_years, total_years

TODAY = date(2025, 6, 1)


def _is_skill(name: str) -> bool:
    return name.strip().lower() in {"python", "java", "sql", "excel", "accounting", "sales"}


def test_dated_roles_win() -> None:
    text = ("Summary\nAnalyst with over 20 years of experience.\n\nExperience\n"
            "Data Analyst, Acme Corp, Jan 2020 - Dec 2022\n- Reports.\n")
    p = parse_cv(text, today=TODAY)
    assert p.years_source == "dated_roles"
    assert p.total_years == 3.0


def test_roles_with_years_only() -> None:
    text = ("Experience\nTeacher, Hill School, 2012 - 2016\n- Taught maths.\n"
            "Tutor, Self-employed, 2016 - 2018\n- Tutored.\n")
    p = parse_cv(text, today=TODAY)
    assert p.years_source == "dated_roles" and p.total_years == 7.0


@pytest.mark.parametrize("summary, years", [
    ("Accountant with over 10 years of experience in audit and tax.", 10.0),
    ("Sales leader bringing 15+ years' experience in B2B.", 15.0),
    ("Nurse with seven years of clinical experience.", 7.0),
    ("Professional with 12 years of progressive leadership experience.", 12.0),
    ("Overall Professional Experience: 26 years", 26.0),
    ("8 years of experience, 3 of them leading teams; 5 years of people management experience",
     8.0),
])
def test_stated_years_in_summary(summary: str, years: float) -> None:
    text = f"Jane Example\n\nSummary\n{summary}\n\nSkills\nExcel, SQL\n"
    p = parse_cv(text, today=TODAY)
    assert (p.total_years, p.years_source) == (years, "stated")


def test_stated_years_not_from_ages_or_projects() -> None:
    assert stated_years("Age 51 yrs. Married.") is None
    assert stated_years("Grew the user base tenfold in six months.") is None
    assert stated_years("Played the violin for 3 years.") is None
    assert stated_years("a 40 year old institution") is None


def test_statement_outside_summary_is_not_used() -> None:
    text = ("Summary\nDependable analyst.\n\nProjects\nThe client had 30 years of experience "
            "with the old system.\n")
    p = parse_cv(text, today=TODAY)
    assert p.total_years is None and p.years_source is None


@pytest.mark.parametrize("skills, years", [
    ("Python (5 years), SQL (3 years), Excel (8 yrs)", 8.0),
    ("Python – Experience – 24 months\nJava – Experience – 60 months", 5.0),
    ("Java: 3 years\nSQL | 18 months", 3.0),
    ("Accounting 1998 to 2010\nExcel 2005 - 2010", 13.0),
])
def test_skill_durations_take_the_longest(skills: str, years: float) -> None:
    assert skill_duration_years(skills, _is_skill, today=TODAY) == years


def test_skill_durations_ignore_non_skills() -> None:
    assert skill_duration_years("USA (14 years), Debate Club (2 years)", _is_skill) is None


def test_skill_durations_in_a_cv() -> None:
    text = ("Jane Example\n\nSummary\nDependable analyst.\n\nSkills\n"
            "Python (4 years), SQL (6 years), Excel (2 years)\n\nExperience\n"
            "Analyst at Acme Corp\n- Reports.\n")
    p = parse_cv(text, today=TODAY)
    assert (p.total_years, p.years_source) == (6.0, "skill_durations")


def test_nothing_stated_means_unknown() -> None:
    text = "Jane Example\n\nSummary\nDependable analyst.\n\nExperience\nAnalyst at Acme Corp\n"
    p = parse_cv(text, today=TODAY)
    assert p.total_years is None and p.years_source is None


def test_total_years_order() -> None:
    assert total_years([], ["10 years of experience"], ["Java (12 years)"], _is_skill) \
        == (10.0, "stated")
    assert total_years([], ["Dependable."], ["Java (12 years)"], _is_skill) \
        == (12.0, "skill_durations")
    assert total_years([], [], [], _is_skill) == (None, None)


def test_inline_skills_line_with_durations() -> None:
    text = ("Jane Example\nSkills: Java (5 years), SQL (2 years)\n"
            "Experience\nDeveloper at Acme Corp\n")
    p = parse_cv(text, today=TODAY)
    assert (p.total_years, p.years_source) == (5.0, "skill_durations")
