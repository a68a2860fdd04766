"""Cheap substring gates in front of case-insensitive regular expressions."""

from __future__ import annotations

import re

#: Characters ``re.IGNORECASE`` matches to an ASCII letter although ``str.lower`` does not turn
#: them into it (dotless i, long s) or changes the length (dotted capital I -> "i" + U+0307).
_FOLD_TRAPS = ("\u0130", "\u0131", "\u017f")


def gate_text(text: str) -> str | None:
    """``text.lower()`` for cheap substring gates in front of case-insensitive regexes: when a
    lower-case word is not in it, no ``re.IGNORECASE`` pattern spelling that word can match.

    Same length as `text` (offsets agree). None when `text` holds a character for which that
    reasoning fails; callers then skip their gates and run the regexes.
    """
    if not text.isascii() and any(t in text for t in _FOLD_TRAPS):
        return None
    return text.lower()


def gate_open(low: str | None, *words: str) -> bool:
    """True when one of the lower-case `words` occurs in `low` (or there is no gate text)."""
    if low is None:
        return True
    for w in words:
        if w in low:
            return True
    return False


def word_start_pattern(first: str, body: str) -> re.Pattern[str]:
    """``(?i:<body>)`` for a body whose every match starts with a word boundary and one of the
    characters in ``first`` (a character-class body, e.g. ``"rotv"`` or ``r"\\dhot"``): the
    same matches, found several times faster — a position that cannot start a match is passed
    over before the body's alternatives are tried there. ``(?<!\\w)`` equals ``\\b`` in front
    of a word character, and the look-ahead folds case like the body does."""
    return re.compile(rf"(?i:(?<!\w)(?=[{first}])(?:{body}))")
