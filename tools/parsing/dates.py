"""Dates and date ranges (STUB)."""

from __future__ import annotations

from datetime import date


def parse_year_month(text: str) -> str | None:
    """"Jan 2020", "01/2020", "2020-01", "2020", "January, 2020" -> "2020-01" (year only -> "YYYY-01")."""
    raise NotImplementedError


def parse_date_range(text: str, *, today: date | None = None) -> tuple[str, str] | None:
    """First date range in text: "Jan 2020 - Present", "2018 – 2021", "03/2019 to 06/2021".
    Returns (start "YYYY-MM", end "YYYY-MM" or "present")."""
    raise NotImplementedError


def years_from_ranges(ranges: list[tuple[str, str]], *, today: date | None = None) -> float:
    """Total years covered by the union of the ranges (overlaps counted once), 1 decimal."""
    raise NotImplementedError


def parse_posted_date(text: str, *, today: date | None = None) -> date | None:
    """"Posted: 2024-03-01", "posted 3 days ago", "March 5, 2024" -> date."""
    raise NotImplementedError
