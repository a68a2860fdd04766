"""Job posting parsing (STUB)."""

from __future__ import annotations

from typing import Any

from tools.schemas import JobPosting


def parse_job(data: str | dict[str, Any]) -> JobPosting:
    """Parse raw posting text, or a structured record (title, company, location, salary,
    description, requirements, skills[], posted_date, …)."""
    raise NotImplementedError
