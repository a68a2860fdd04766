"""Experience requirements and seniority (STUB)."""

from __future__ import annotations

from tools.schemas import Seniority, Span


def parse_experience_years(text: str) -> tuple[float | None, float | None, Span | None]:
    """Years of experience a job asks for: "5+ years" -> (5, None), "3-5 yrs" -> (3, 5),
    "minimum of two years" -> (2, None), "at least 7 years" -> (7, None). (None, None, None)
    when absent. The span locates the phrase in `text`."""
    raise NotImplementedError


def detect_seniority(title: str | None, text: str = "") -> Seniority | None:
    """Seniority from a title (and optionally text): intern, junior, mid, senior, staff, lead,
    principal, manager, director, executive."""
    raise NotImplementedError


def seniority_from_years(years: float | None) -> Seniority | None:
    """Fallback seniority from total years (0-1 junior, 2-4 mid, 5-8 senior, 9+ staff)."""
    raise NotImplementedError
