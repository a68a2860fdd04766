"""Numbers written as words: cardinals ("seven", "twenty-five", "a couple of") and ordinals
("third", "3rd"). One vocabulary for every reader of figures: experience years in postings and
CVs, the tailoring check that no figure is invented, and the offline chat model ("top five",
"the second one", "older than two weeks").

Each reader still decides which words its own patterns accept (a posting's "a" is not a chat
message's "a"); the values always come from here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
).split()
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

#: Single number words and their values: zero to nineteen, the tens, "hundred", "dozen".
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_UNITS)},
    **{w: 20 + 10 * i for i, w in enumerate(_TENS)},
    "hundred": 100,
    "dozen": 12,
}

#: Phrases read as a count: an article is one ("a year"), "a couple of" two, "both" two.
COUNT_PHRASES: dict[str, int] = {"a": 1, "an": 1, "a couple of": 2, "couple of": 2, "both": 2}

#: Ordinal words and their positions, "first" to "twentieth".
ORDINAL_WORDS: dict[str, int] = {
    w: i + 1 for i, w in enumerate((
        "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth "
        "thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
    ).split())
}

_COMPOUND_RE = re.compile(rf"({'|'.join(_TENS)})[\s-]+({'|'.join(_UNITS[1:10])})")
_ORDINAL_DIGITS_RE = re.compile(r"(\d{1,3})(?:st|nd|rd|th)")


def number_word_value(word: str) -> int | None:
    """The value of a number written in words: "seven" -> 7, "twenty-five" -> 25, "a couple of"
    -> 2, "an" -> 1, "dozen" -> 12; None when `word` is not one (case and edge spaces aside)."""
    key = " ".join(word.lower().split())
    if key in NUMBER_WORDS:
        return NUMBER_WORDS[key]
    if key in COUNT_PHRASES:
        return COUNT_PHRASES[key]
    m = _COMPOUND_RE.fullmatch(key)
    if m:
        return NUMBER_WORDS[m.group(1)] + NUMBER_WORDS[m.group(2)]
    return None


def ordinal_value(word: str) -> int | None:
    """The position an ordinal names: "third" -> 3, "3rd" -> 3; None when `word` is not one."""
    key = word.strip().lower()
    if key in ORDINAL_WORDS:
        return ORDINAL_WORDS[key]
    m = _ORDINAL_DIGITS_RE.fullmatch(key)
    return int(m.group(1)) if m else None


def number_words(lo: int, hi: int) -> list[str]:
    """The single number words whose value lies in [lo, hi], smallest first ("dozen" aside)."""
    return [w for w, v in NUMBER_WORDS.items() if lo <= v <= hi and w != "dozen"]


def words_pattern(words: Iterable[str]) -> str:
    """A regex alternation of `words`, longest first (so "sixteen" is tried before "six")."""
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))
