"""Number words: one vocabulary for the parsers, the tailoring checks and the offline model."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.parsing.numbers import (
    NUMBER_WORDS,
    ORDINAL_WORDS,
    number_word_value,
    number_words,
    ordinal_value,
    words_pattern,
)


@pytest.mark.parametrize(("word", "value"), [
    ("zero", 0), ("one", 1), ("seven", 7), ("Twelve", 12), ("nineteen", 19), ("twenty", 20),
    ("twenty-five", 25), ("twenty five", 25), ("Forty-Two", 42), ("ninety-nine", 99),
    ("hundred", 100), ("dozen", 12), ("a", 1), ("an", 1), ("a couple of", 2),
    ("couple  of", 2), ("both", 2), (" three ", 3),
])
def test_number_word_value(word: str, value: int) -> None:
    assert number_word_value(word) == value


@pytest.mark.parametrize("word", [
    "", "seventh", "twenty-zero", "ten-five", "three hundred", "many", "7", "onee", "a few",
])
def test_number_word_value_none(word: str) -> None:
    assert number_word_value(word) is None


@pytest.mark.parametrize(("word", "value"), [
    ("first", 1), ("Second", 2), ("tenth", 10), ("twentieth", 20), ("1st", 1), ("2nd", 2),
    ("3rd", 3), ("11th", 11), ("104th", 104),
])
def test_ordinal_value(word: str, value: int) -> None:
    assert ordinal_value(word) == value


@pytest.mark.parametrize("word", ["", "one", "firsts", "1", "th", "1stt"])
def test_ordinal_value_none(word: str) -> None:
    assert ordinal_value(word) is None


def test_number_words_ranges() -> None:
    assert number_words(2, 5) == ["two", "three", "four", "five"]
    assert number_words(18, 30) == ["eighteen", "nineteen", "twenty", "thirty"]
    assert "dozen" not in number_words(0, 100)
    assert number_words(0, 100)[-1] == "hundred"


def test_words_pattern_prefers_the_longer_word() -> None:
    rx = re.compile(rf"(?:{words_pattern(number_words(1, 90))})")
    assert rx.match("sixteen").group(0) == "sixteen"  # type: ignore[union-attr]
    assert rx.match("sixty").group(0) == "sixty"  # type: ignore[union-attr]
    assert rx.match("six").group(0) == "six"  # type: ignore[union-attr]


@given(st.integers(min_value=21, max_value=99).filter(lambda n: n % 10))
def test_compounds_round_trip(n: int) -> None:
    tens = next(w for w, v in NUMBER_WORDS.items() if v == n - n % 10)
    unit = next(w for w, v in NUMBER_WORDS.items() if v == n % 10)
    assert number_word_value(f"{tens}-{unit}") == n
    assert number_word_value(f"{tens} {unit}".upper()) == n


def test_ordinals_are_consecutive() -> None:
    assert list(ORDINAL_WORDS.values()) == list(range(1, 21))


def test_every_reader_takes_its_values_from_here() -> None:
    """The parsers, tailoring and the offline model agree on what a word is worth."""
    from agent.offline.slots import job_reference, number_of_days
    from agent.offline.vocabulary import _COUNTS, _ORDINALS
    from agent.recruiter_intents import _NUMBERS, _ORDINAL
    from tools.parsing.cv.years import stated_years
    from tools.parsing.experience import parse_experience_years, to_number
    from tools.tailoring.invention import _numbers

    assert all(_COUNTS[w] == number_word_value(w) for w in _COUNTS)
    assert all(_NUMBERS[w] == number_word_value(w) for w in _NUMBERS)
    assert all(_ORDINALS[w] == ordinal_value(w) for w in _ORDINALS)
    assert all(_ORDINAL[w] == ordinal_value(w) for w in _ORDINAL)
    assert number_of_days("older than a couple of weeks") == 14
    assert job_reference("the 3rd job") == {"position": 3}
    assert to_number("twenty-five") == 25.0
    assert to_number("two (2)") == 2.0
    assert parse_experience_years("minimum of seven years of experience")[:2] == (7.0, None)
    assert stated_years("Over twenty-five years of experience in logistics.") == 25.0
    assert ("dozen", (12.0, "")) in _numbers("Led a dozen engineers")
