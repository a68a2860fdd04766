"""Experience requirements and seniority detection."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.parsing.experience import (
    detect_seniority,
    parse_experience_years,
    seniority_from_years,
)


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        ("5+ years", 5, None),
        ("5 + years", 5, None),
        ("3-5 yrs", 3, 5),
        ("3–5 years", 3, 5),
        ("3 to 5 years", 3, 5),
        ("3 or 4 years", 3, 4),
        ("0-2 years", 0, 2),
        ("minimum of two years", 2, None),
        ("a minimum of 3 years", 3, None),
        ("Minimum 4 years", 4, None),
        ("at least seven years", 7, None),
        ("At least 7 years", 7, None),
        ("10+ yrs of experience", 10, None),
        ("two or more years", 2, None),
        ("5 years or more of experience", 5, None),
        ("two (2) years of experience", 2, None),
        ("fifteen years", 15, None),
        ("5 years' experience", 5, None),
        ("3+ years’ experience", 3, None),
        ("1.5 years experience", 1.5, None),
        ("more than 5 years of experience", 5, None),
        ("over 8 years of professional experience", 8, None),
        ("up to 2 years experience", 0, 2),
        ("no less than six years", 6, None),
        ("5+ years of Python", 5, None),
        ("3+ years building backend services", 3, None),
        ("Experience with Python for at least 3 years", 3, None),
        ("We are looking for someone with 5+ years of experience in Python.", 5, None),
        ("Salary $100k-150k. 2-4 years experience", 2, 4),
        ("a 4 year degree and 2+ years experience", 2, None),
        ("Founded 20 years ago. Requirements: 4+ years of Go", 4, None),
        ("We have been in business for over 20 years. You have 3+ years of Java", 3, None),
        ("For over 30 years we have served clients. Requirements: 4+ years", 4, None),
    ],
)
def test_parse_experience_years(text: str, lo: float, hi: float | None) -> None:
    got_lo, got_hi, span = parse_experience_years(text)
    assert (got_lo, got_hi) == (lo, hi)
    assert span is not None
    assert text[span.start:span.end] == span.text
    assert span.text.strip() == span.text and span.text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Founded 5 years ago",
        "over 20 years in business",
        "Our company is 10 years old",
        "with 25 years of history",
        "We have 50 years of combined experience",
        "within 2 years you will lead the team",
        "in 3 years we plan to IPO",
        "4-year degree required",
        "a 2 year contract",
        "Salary $120,000 - $150,000",
        "401(k) and 20 days PTO",
        "Python, Go, Kubernetes",
        "100 years",
    ],
)
def test_parse_experience_years_none(text: str) -> None:
    assert parse_experience_years(text) == (None, None, None)


def test_span_offsets_in_longer_text() -> None:
    text = "About us\n\nRequirements:\n- At least 5 years of relevant experience\n- Python"
    lo, hi, span = parse_experience_years(text)
    assert (lo, hi) == (5, None)
    assert span is not None
    assert span.text == "At least 5 years of relevant experience"
    assert text[span.start:span.end] == span.text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Software Engineering Intern", "intern"),
        ("Data Science Internship", "intern"),
        ("Trainee Developer", "intern"),
        ("Apprentice Software Developer", "intern"),
        ("Werkstudent Softwareentwicklung", "intern"),
        ("Graduate Software Engineer", "junior"),
        ("Junior Developer", "junior"),
        ("Jr. Data Analyst", "junior"),
        ("Jr Backend Engineer", "junior"),
        ("Associate Software Engineer", "junior"),
        ("Associate Product Manager", "junior"),
        ("Entry-Level Analyst", "junior"),
        ("Software Engineer I", "junior"),
        ("Software Engineer II", "mid"),
        ("Mid-Level Frontend Developer", "mid"),
        ("Senior Software Engineer", "senior"),
        ("Sr. Engineer", "senior"),
        ("Sr Data Scientist", "senior"),
        ("Software Engineer III", "senior"),
        ("Staff Engineer", "staff"),
        ("Staff Software Engineer", "staff"),
        ("Senior Staff Engineer", "staff"),
        ("Tech Lead", "lead"),
        ("Technical Lead, Payments", "lead"),
        ("Team Lead Backend", "lead"),
        ("Lead Developer", "lead"),
        ("Principal Engineer", "principal"),
        ("Distinguished Engineer", "principal"),
        ("Head of Data", "manager"),
        ("Engineering Manager", "manager"),
        ("Senior Engineering Manager", "manager"),
        ("Director of Engineering", "director"),
        ("Senior Director, Product", "director"),
        ("VP Engineering", "director"),
        ("Vice President, Sales", "director"),
        ("Associate Director", "director"),
        ("CTO", "executive"),
        ("Chief Technology Officer", "executive"),
        ("CEO & Co-Founder", "executive"),
        ("Managing Director", "executive"),
        ("Senior Product Manager", "senior"),
        ("Trainee Manager", "intern"),
    ],
)
def test_detect_seniority(title: str, expected: str) -> None:
    assert detect_seniority(title) == expected


@pytest.mark.parametrize(
    "title",
    [None, "", "Software Engineer", "Product Manager", "Project Manager", "Staff Accountant",
     "Backend Engineer (m/f/d)", "Lead Generation Specialist", "Data Analyst"],
)
def test_detect_seniority_none(title: str | None) -> None:
    assert detect_seniority(title) is None


def test_detect_seniority_from_text() -> None:
    assert detect_seniority("Software Engineer", "Seniority level: Senior") == "senior"
    assert detect_seniority(None, "This is an entry-level position in our team") == "junior"
    assert detect_seniority("Software Engineer", "Report to senior leadership") is None
    # the title wins over the text
    assert detect_seniority("Junior Developer", "Seniority level: Senior") == "junior"


@pytest.mark.parametrize(
    ("years", "expected"),
    [(None, None), (0, "junior"), (1, "junior"), (1.9, "junior"), (2, "mid"), (4, "mid"),
     (4.9, "mid"), (5, "senior"), (8, "senior"), (8.9, "senior"), (9, "staff"), (25, "staff")],
)
def test_seniority_from_years(years: float | None, expected: str | None) -> None:
    assert seniority_from_years(years) == expected


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_crashes_and_offsets_valid(text: str) -> None:
    lo, hi, span = parse_experience_years(text)
    if span is None:
        assert (lo, hi) == (None, None)
    else:
        assert 0 <= span.start < span.end <= len(text)
        assert text[span.start:span.end] == span.text
        assert lo is not None and (hi is None or hi >= lo)
    detect_seniority(text, text)


_expish = st.lists(
    st.sampled_from(["5", "two", "(2)", "+", "-", " ", "years", "yrs", "of", "experience",
                     "at least", "minimum", "ago", "or more", "to", "over", "for", "\n", "."]),
    max_size=12,
).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_expish)
def test_never_crashes_on_experience_like_text(text: str) -> None:
    lo, hi, span = parse_experience_years(text)
    if span is not None:
        assert text[span.start:span.end] == span.text
        assert lo is not None and 0 <= lo <= 40


@pytest.mark.parametrize(
    ("text", "lo", "hi"),
    [
        # the "Experience:" block of job-board postings
        ("Experience:\nBookkeeping: 1 year (Preferred)\nPayroll: 2 years (Preferred)", 1, None),
        ("Experience:Retail sales: 3 years (Required)Work Location: In person", 3, None),
        ("4+ years of experience with warehouse systems", 4, None),
        ("A minimum of 2 years in a client-facing role", 2, None),
        ("minimum of three (3) years of related experience", 3, None),
        ("2 to 4 years’ experience in payroll", 2, 4),
    ],
)
def test_parse_experience_years_posting_forms(text: str, lo: float, hi: float | None) -> None:
    assert parse_experience_years(text)[:2] == (lo, hi)


@pytest.mark.parametrize(
    "text",
    [
        "The team has been building this tool for about 1yr and needs help",
        "We grew to $8M ARR in <3 years and just raised a round",
    ],
)
def test_parse_experience_years_not_an_ask(text: str) -> None:
    assert parse_experience_years(text)[:2] == (None, None)


@pytest.mark.parametrize(
    "title", ["Account Executive - Mid-Market", "Mid-Size Business Advisor", "Midwest Sales Rep"]
)
def test_detect_seniority_mid_words_that_are_not_levels(title: str) -> None:
    assert detect_seniority(title) is None
