"""Salary parsing (STUB)."""

from __future__ import annotations

from tools.schemas import SalaryRange


def parse_salary(text: str) -> SalaryRange | None:
    """Parse a salary phrase into an annual range: "$150K - $180K", "£45,000 per annum",
    "60-75/hr", "up to 90k", "€55k–65k a year", "USD 120,000"... Returns None when no salary."""
    raise NotImplementedError


def find_salary(text: str) -> SalaryRange | None:
    """Find the first salary statement inside a longer text (job posting, CV)."""
    raise NotImplementedError
