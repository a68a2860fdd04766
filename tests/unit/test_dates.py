"""Year-month parsing, date ranges, total years and posting dates."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.parsing.dates import (
    parse_date_range,
    parse_posted_date,
    parse_year_month,
    years_from_ranges,
)

TODAY = date(2024, 6, 15)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 2020", "2020-01"),
        ("January 2020", "2020-01"),
        ("January, 2020", "2020-01"),
        ("jan. 2020", "2020-01"),
        ("01/2020", "2020-01"),
        ("1/2020", "2020-01"),
        ("11/2020", "2020-11"),
        ("01.2020", "2020-01"),
        ("2020-01", "2020-01"),
        ("2020/01", "2020-01"),
        ("2020.01", "2020-01"),
        ("2020.1", "2020-01"),
        ("2020-01-15", "2020-01"),
        ("Sept. 2019", "2019-09"),
        ("Sep 2019", "2019-09"),
        ("DECEMBER 2018", "2018-12"),
        ("2020", "2020-01"),
        ("Jan '20", "2020-01"),
        ("Mar ’99", "1999-03"),
        ("Summer 2019", "2019-06"),
        ("Q3 2021", "2021-07"),
        ("Oktober 2020", "2020-10"),
        ("Started in May 2021 at Acme", "2021-05"),
    ],
)
def test_parse_year_month(text: str, expected: str) -> None:
    assert parse_year_month(text) == expected


@pytest.mark.parametrize(
    "text", ["", "no date here", "13/2020", "12345", "Jan", "version 3.11", "1850"]
)
def test_parse_year_month_none(text: str) -> None:
    assert parse_year_month(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Jan 2020 - Present", ("2020-01", "present")),
        ("Jan 2020 – present", ("2020-01", "present")),
        ("May 2019 — Present", ("2019-05", "present")),
        ("2018 – 2021", ("2018-01", "2021-12")),
        ("2018-2021", ("2018-01", "2021-12")),
        ("03/2019 to 06/2021", ("2019-03", "2021-06")),
        ("12/2019-03/2021", ("2019-12", "2021-03")),
        ("2019 - now", ("2019-01", "present")),
        ("since 2020", ("2020-01", "present")),
        ("Since March 2021", ("2021-03", "present")),
        ("2019 – Current", ("2019-01", "present")),
        ("Jun 2021 - Currently", ("2021-06", "present")),
        ("Sep 2015 to date", ("2015-09", "present")),
        ("from 2016 to 2018", ("2016-01", "2018-12")),
        ("Jan 2018 - 2021", ("2018-01", "2021-12")),
        ("2017 - Mar 2019", ("2017-01", "2019-03")),
        ("Jan 2020-Mar 2021", ("2020-01", "2021-03")),
        ("Jan - Mar 2020", ("2020-01", "2020-03")),
        ("2020-01 to 2021-06", ("2020-01", "2021-06")),
        ("Summer 2019 - Fall 2019", ("2019-06", "2019-09")),
        ("Senior Engineer, Acme Corp, Berlin | Mar 2017 – Aug 2019", ("2017-03", "2019-08")),
        ("Acme (2015 - 2017), Beta (2017 - 2020)", ("2015-01", "2017-12")),
    ],
)
def test_parse_date_range(text: str, expected: tuple[str, str]) -> None:
    assert parse_date_range(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["", "Current", "2020", "Jan 2020", "2021 - 2018", "no dates", "2020-01-15"]
)
def test_parse_date_range_none(text: str) -> None:
    assert parse_date_range(text, today=TODAY) is None


def test_years_from_ranges_simple() -> None:
    assert years_from_ranges([("2018-01", "2021-12")], today=TODAY) == 4.0
    assert years_from_ranges([("2020-01", "2020-01")], today=TODAY) == 0.1  # one month


def test_years_from_ranges_overlap_counted_once() -> None:
    ranges = [("2018-01", "2019-12"), ("2019-01", "2020-12"), ("2022-01", "2022-12")]
    assert years_from_ranges(ranges, today=TODAY) == 4.0


def test_years_from_ranges_nested_and_adjacent() -> None:
    assert years_from_ranges([("2015-01", "2020-12"), ("2016-01", "2017-12")], today=TODAY) == 6.0
    assert years_from_ranges([("2015-01", "2015-12"), ("2016-01", "2016-12")], today=TODAY) == 2.0


def test_years_from_ranges_present_uses_today() -> None:
    assert years_from_ranges([("2023-07", "present")], today=TODAY) == 1.0
    assert years_from_ranges([("2023-07", "Present")], today=date(2025, 6, 1)) == 2.0


def test_years_from_ranges_ignores_bad_input() -> None:
    ranges = [("garbage", "2020-01"), ("2021-05", "2020-01"), ("2020-13", "2021-01"),
              ("2019-01", "2019-12")]
    assert years_from_ranges(ranges, today=TODAY) == 1.0
    assert years_from_ranges([], today=TODAY) == 0.0


def test_years_from_ranges_year_only_strings() -> None:
    assert years_from_ranges([("2018", "2019")], today=TODAY) == 2.0


def test_years_from_ranges_future_end_capped() -> None:
    assert years_from_ranges([("2024-01", "2026-12")], today=TODAY) == 0.5


def test_years_from_ranges_default_today_runs() -> None:
    assert years_from_ranges([("2000-01", "present")]) > 20


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Posted: 2024-03-01", date(2024, 3, 1)),
        ("2024-03-01T10:00:00Z", date(2024, 3, 1)),
        ("posted 3 days ago", date(2024, 6, 12)),
        ("Posted 30+ days ago", date(2024, 5, 16)),
        ("1 day ago", date(2024, 6, 14)),
        ("a day ago", date(2024, 6, 14)),
        ("2 weeks ago", date(2024, 6, 1)),
        ("1 month ago", date(2024, 5, 16)),
        ("5 hours ago", TODAY),
        ("an hour ago", TODAY),
        ("today", TODAY),
        ("Posted Today", TODAY),
        ("yesterday", date(2024, 6, 14)),
        ("just posted", TODAY),
        ("March 5, 2024", date(2024, 3, 5)),
        ("Mar 5th 2024", date(2024, 3, 5)),
        ("5 March 2024", date(2024, 3, 5)),
        ("5th of March, 2024", date(2024, 3, 5)),
        ("Fri, 01 Mar 2024 10:00:00 +0000", date(2024, 3, 1)),
        ("15.03.2024", date(2024, 3, 15)),
        ("03/15/2024", date(2024, 3, 15)),
        ("15/03/2024", date(2024, 3, 15)),
        ("Posted on 2024/02/29", date(2024, 2, 29)),
    ],
)
def test_parse_posted_date(text: str, expected: date) -> None:
    assert parse_posted_date(text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["", "no date", "2023-02-30", "sometime soon", "13/13/2024"])
def test_parse_posted_date_none(text: str) -> None:
    assert parse_posted_date(text, today=TODAY) is None


def test_parse_posted_date_default_today() -> None:
    assert parse_posted_date("today") == date.today()


# --------------------------------------------------------------------------- robustness


@settings(max_examples=400, deadline=None)
@given(st.text())
def test_never_crash_on_arbitrary_text(text: str) -> None:
    ym = parse_year_month(text)
    assert ym is None or (len(ym) == 7 and 1 <= int(ym[5:]) <= 12)
    r = parse_date_range(text, today=TODAY)
    if r is not None:
        assert r[1] == "present" or r[1] >= r[0]
    parse_posted_date(text, today=TODAY)


_dateish = st.lists(
    st.sampled_from(["Jan", "March", " ", "2020", "2019", "-", "–", "/", ".", "01", "12", "to",
                     "present", "since", "ago", "3", "days", "'", "20", "Summer", ","]),
    max_size=10,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_dateish, st.lists(st.tuples(st.text(max_size=10), st.text(max_size=10)), max_size=4))
def test_never_crash_on_dateish_text(text: str, ranges: list[tuple[str, str]]) -> None:
    parse_year_month(text)
    parse_date_range(text, today=TODAY)
    parse_posted_date(text, today=TODAY)
    assert years_from_ranges(ranges, today=TODAY) >= 0
