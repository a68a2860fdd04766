"""Locations and work mode (STUB)."""

from __future__ import annotations

from tools.schemas import Location, WorkMode


def parse_location(text: str) -> Location | None:
    """"Berlin, Germany", "San Francisco, CA", "London (Hybrid)", "Remote - US" -> Location with
    city/region/country (ISO alpha-2) filled where known."""
    raise NotImplementedError


def detect_work_mode(text: str) -> WorkMode | None:
    """remote / hybrid / onsite from phrases such as "fully remote", "2 days in office"."""
    raise NotImplementedError


def location_similarity(a: Location, b: Location) -> float:
    """1.0 same city, 0.7 same region, 0.4 same country, 0 otherwise (unknown parts ignored)."""
    raise NotImplementedError
