"""One money formatter: every channel shows the same salary the same way."""

from __future__ import annotations

from datetime import date

import pytest

from tools.money import currency_symbol, format_money


@pytest.mark.parametrize(("value", "currency", "shown"), [
    (80000, "USD", "$80,000"),
    (55000.4, "EUR", "€55,000"),
    (42000, "GBP", "£42,000"),
    (90000, "CHF", "90,000 CHF"),
    (1250000, "INR", "1,250,000 INR"),
    (80000, None, "80,000"),
    (80000.0, "", "80,000"),
    (999.5, "usd", "$1,000"),
    (0, "USD", "$0"),
    ("negotiable", "USD", "negotiable"),
    (None, None, "None"),
])
def test_format_money(value: object, currency: str | None, shown: str) -> None:
    assert format_money(value, currency) == shown


@pytest.mark.parametrize(("code", "symbol"), [
    ("USD", "$"), ("gbp", "£"), ("EUR", "€"), ("CHF", ""), ("", ""), (None, ""),
])
def test_currency_symbol(code: object, symbol: str) -> None:
    assert currency_symbol(code) == symbol


def test_channels_use_the_shared_formatter() -> None:
    """The chat service, the offline model's answers, preferences and the score comment agree."""
    from agent.offline.render import _render_prefs
    from agent.service_types import salary_text
    from tools.parsing.cv import parse_cv
    from tools.parsing.job import parse_job
    from tools.preferences import JobPreferences
    from tools.schemas import JobPosting, SalaryRange
    from tools.scoring import prepare_profile, score_match

    job = JobPosting(salary=SalaryRange(min=80000, max=95000, currency="USD", raw=""))
    assert salary_text(job) == "$80,000-$95,000 a year"
    assert JobPreferences.of(salary_floor=90000).describe() == ["salary at least 90,000"]
    assert "Minimum salary: 90,000" in "\n".join(_render_prefs({"salary_floor": 90000}))

    cv = parse_cv("Jane Doe\nData Analyst\nSalary expectation: $120,000 per year\n"
                  "Skills: SQL, Python", today=date(2025, 6, 1))
    posting = parse_job("Data Analyst at Acme\nSalary: $90,000 - $100,000 per year\n"
                        "Requirements: SQL, Python", today=date(2025, 6, 1))
    comment = score_match(prepare_profile(cv), posting).factors["salary"].comment
    assert "$100,000" in comment and "$120,000" in comment, comment
    assert "USD" not in comment and "  " not in comment
