"""The LinkedIn field benchmark's own reference rules (tests/bench/linkedin_fields.py), which
must not depend on the parser. Synthetic inputs only."""

from __future__ import annotations

import pytest

from tests.bench import linkedin_fields as lf


def test_dollar_amounts_reads_ranges_and_k() -> None:
    assert lf._dollar_amounts("Rate: $23-27/hour, $1,250.50 bonus, $95K to $110K") == [
        23.0, 27.0, 1250.5, 95000.0, 110000.0]


def test_platform_salary_median_only_is_a_single_figure() -> None:
    row = {"salary_period": "HOURLY", "salary_min": None, "salary_max": None,
           "salary_median": 21.0, "salary_currency": "USD"}
    got = lf.platform_salary(row)
    assert got is not None
    assert (got["min"], got["max"], got["period"], got["figures"]) == (
        21.0 * 2080, 21.0 * 2080, "hour", [21.0])
    assert lf.platform_salary({"salary_period": None}) is None


@pytest.mark.parametrize(
    ("text", "mode"),
    [
        ("We are hybrid", "hybrid"),
        ("An entirely remote team", "remote"),
        ("You would join us in person at the plant", "onsite"),
        ("Remote or on-site", None),
        ("Skilled in Office 365", None),
        ("Mostly remote team; you would work in the office twice a week", "hybrid"),
        ("3 days a week in the office", "hybrid"),
        ("On-site three days per week", "hybrid"),
        ("Onsite 5 days a week", "onsite"),
        ("Based at the depot. 4 days on-site and 1 day remote.", "hybrid"),
        ("Two days in the office, three days from home", "hybrid"),
    ],
)
def test_text_work_mode(text: str, mode: str | None) -> None:
    assert lf.text_work_mode(text) == mode


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("Peoria, IL", {"city": "Peoria", "region": "IL", "country": "US"}),
        ("Ohio, United States", {"city": None, "region": "OH", "country": "US"}),
        ("York, England, United Kingdom", {"city": "York", "region": None, "country": "GB"}),
        ("Greater Tulsa", {"city": "Tulsa", "region": None, "country": None}),
        ("Manitoba, Canada", {"city": None, "region": None, "country": "CA"}),
        ("Greater Boise Metroplex Area", None),
        ("", None),
    ],
)
def test_platform_location(raw: str, want: dict[str, str | None] | None) -> None:
    assert lf.platform_location(raw) == want


def test_work_mode_from_platform_fields() -> None:
    assert lf.platform_work_mode({"workplace_type": "Hybrid", "remote": False}) == "hybrid"
    assert lf.platform_work_mode({"workplace_type": None, "remote": True}) == "remote"
    assert lf.platform_work_mode({"workplace_type": None, "remote": None}) is None
