"""Open-vocabulary requirement terms: what a posting asks for that the skill taxonomy does not
name ("tekla structures", "home loans", "injection moulding", "branch manager").

A posting's terms (:class:`tools.schemas.JobTerm`, found by the posting parser,
:mod:`tools.parsing.job.terms`) count in the default skills factor next to its recognised
skills. A term is *matched* when the CV states it:

- every content word of the term (stop words dropped, stemmed with the Snowball English
  stemmer of PyStemmer, so "mortgages" meets "mortgage", "detailing" meets "detailed") occurs
  in the CV within :data:`WINDOW` words of each other (credit 1.0), or the term's words are
  written as one ("bookkeeping" for "book keeping", "email" for "e mail") or a one-word term as
  two ("book-keeping" for "bookkeeping");
- every content word occurs in the CV, but not close together: :data:`SCATTERED_CREDIT`;
- otherwise the term is missing (credit 0).

A term naming alternatives ("host/hostess", "platform or infrastructure engineering") is met
by any of them (:func:`alternatives`).

A term weighs :data:`TERM_WEIGHT` × its specificity: the inverse document frequency of its
rarest word over the public ESCO occupation profiles (the IDF table of :mod:`tools.lexical`),
0.25 for everyday words ("management", "design") up to 1 for rare ones ("tekla", "pneumatics").
Pure and deterministic; the CV side is indexed once per CV (:class:`TermIndex`).
"""

from __future__ import annotations

import bisect
import re
import threading
from dataclasses import dataclass, field
from functools import cache, lru_cache

import Stemmer

from tools.lexical import BOILERPLATE, HEADING_WORDS, STOP_WORDS, idf_table
from tools.lexical import words as idf_words

#: Weight of a term relative to a recognised skill of the same specificity (terms are found
#: with less certainty than taxonomy names; FERR tune: 0.25-0.5 alike, 1.0 worse).
TERM_WEIGHT = 0.5
#: Words between the first and last word of a matched term, beyond its own length.
WINDOW = 4
#: Credit when every word of the term is in the CV, but not together.
SCATTERED_CREDIT = 0.5
#: IDF at which a term's specificity is 0.25 (floor) and 1 (ceiling), linear in between.
IDF_LOW, IDF_HIGH = 3.0, 6.0
SPECIFICITY_FLOOR = 0.25

_WORD = re.compile(r"[a-z0-9][a-z0-9+#]*")
#: What may separate two words written as one word elsewhere ("book-keeping", "e mail").
_JOINERS = frozenset({" ", "-", "- "})
#: Words that say nothing on their own about what a candidate knows.
GENERIC_WORDS = STOP_WORDS | BOILERPLATE | HEADING_WORDS | frozenset(
    "etc e g i ie eg s ability abilities".split())


@cache
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """The Snowball English stem of a lower-case word."""
    return str(_stemmer().stemWord(word))


@lru_cache(maxsize=8192)
def term_words(term: str) -> tuple[str, ...]:
    """The content words of a term, lower case, in order (stop words dropped)."""
    return tuple(w for w in _WORD.findall(term.lower()) if w not in STOP_WORDS)


def is_substantive(term: str) -> bool:
    """A term names something: at least one of its words is not generic."""
    return any(w not in GENERIC_WORDS and w.removesuffix("s") not in GENERIC_WORDS
               and not w.isdigit() for w in term_words(term))


_ALTERNATIVE = re.compile(r"\s*/\s*|\s+(?:or|and/or)\s+", re.I)


@lru_cache(maxsize=8192)
def alternatives(term: str) -> tuple[str, ...]:
    """The readings of a term that names alternatives, any of which meets it: "host/hostess" →
    host, hostess; "platform or infrastructure engineering" → platform engineering,
    infrastructure engineering (a one-word alternative shares the last one's head word)."""
    parts = [p for p in _ALTERNATIVE.split(term.strip()) if term_words(p)]
    if len(parts) < 2:
        return (term,)
    last = parts[-1].split()
    head = last[-1] if len(last) > 1 else ""
    out = [f"{p} {head}" if head and len(p.split()) == 1 else p for p in parts[:-1]]
    return tuple(dict.fromkeys([*out, parts[-1]]))


@lru_cache(maxsize=8192)
def term_key(term: str) -> tuple[str, ...]:
    """The stems of a term's content words (terms with the same key are the same term)."""
    return tuple(stem(w) for w in term_words(term))


@lru_cache(maxsize=8192)
def term_specificity(term: str) -> float:
    """0.25-1: the IDF of the term's rarest word, scaled (words not in the table count as rare)."""
    table = idf_table()
    found = [table.get(w) for w in idf_words(term)]
    if not found or any(v is None for v in found):
        return 1.0
    best = max(v for v in found if v is not None)
    value = (best - IDF_LOW) / (IDF_HIGH - IDF_LOW)
    return min(1.0, max(SPECIFICITY_FLOOR, value))


@dataclass
class TermIndex:
    """Where each stemmed word occurs in one CV text (built once per CV)."""

    text: str
    positions: dict[str, list[int]] = field(default_factory=dict)  # stem -> token numbers
    tokens: set[str] = field(default_factory=set)  # the CV's lower-case words
    pairs: dict[str, int] = field(default_factory=dict)  # two adjacent words written as one
    starts: list[int] = field(default_factory=list)  # token number -> character offsets
    ends: list[int] = field(default_factory=list)
    _memo: dict[str, tuple[float, tuple[int, int] | None]] = field(default_factory=dict)

    @classmethod
    def of(cls, text: str) -> TermIndex:
        """The index of ``text``: reused when the same text was indexed lately, extended when
        a text indexed lately is its beginning (a CV with a line added, as gaps try it)."""
        with _LOCK:
            hit = _RECENT.get(text)
            recent = list(_RECENT.values())
        if hit is not None:
            return hit
        index = None
        for old in reversed(recent):  # the text with a line added: extend, do not redo
            n = len(old.text)
            if n < len(text) and text[n].isspace() and text.startswith(old.text):
                index = old._copy(text)
                index._add(n)
                break
        if index is None:
            index = cls(text)
            index._add(0)
        with _LOCK:
            _RECENT[text] = index
            while len(_RECENT) > RECENT_INDEXES:
                del _RECENT[next(iter(_RECENT))]
        return index

    def _copy(self, text: str) -> TermIndex:
        return TermIndex(text, {k: list(v) for k, v in self.positions.items()},
                         set(self.tokens), dict(self.pairs), list(self.starts), list(self.ends))

    def _add(self, start: int) -> None:
        """Index the words of ``self.text`` from character ``start`` on."""
        text = self.text
        i = len(self.starts)
        previous = text[self.starts[-1]:self.ends[-1]].lower() if i else ""
        for m in _WORD.finditer(text.lower(), start):
            word = m.group()
            self.tokens.add(word)
            if previous and text[self.ends[-1]:m.start()] in _JOINERS:
                self.pairs.setdefault(previous + word, i - 1)
            previous = word
            self.positions.setdefault(stem(word), []).append(i)
            self.starts.append(m.start())
            self.ends.append(m.end())
            i += 1

    def match(self, term: str) -> tuple[float, tuple[int, int] | None]:
        """Credit (1, SCATTERED_CREDIT or 0) and where in the CV text (character offsets of the
        closest occurrence; ``None`` when missing or scattered)."""
        hit = self._memo.get(term)
        if hit is None:
            hit = self._memo[term] = self._match(term)
        return hit

    def _match(self, term: str) -> tuple[float, tuple[int, int] | None]:
        best: tuple[float, tuple[int, int] | None] = (0.0, None)
        for reading in alternatives(term):
            hit = self._match_one(reading)
            if hit[0] > best[0]:
                best = hit
        return best

    def _match_one(self, term: str) -> tuple[float, tuple[int, int] | None]:
        words = term_words(term)
        if not words:
            return 0.0, None
        if len(words) > 1:
            joined = "".join(words)
            if joined in self.tokens:
                return 1.0, self._find_token(joined)
        stems = term_key(term)
        lists = []
        for s in stems:
            found = self.positions.get(s)
            if found is None:
                at = self.pairs.get(words[0]) if len(words) == 1 else None
                if at is not None:  # "book-keeping", "e mail" for "bookkeeping", "email"
                    return 1.0, (self.starts[at], self.ends[at + 1])
                return 0.0, None
            lists.append(found)
        if len(lists) == 1:
            i = lists[0][0]
            return 1.0, (self.starts[i], self.ends[i])
        reach = WINDOW + len(stems) - 1
        for i in lists[0]:
            lo, hi = i, i
            for others in lists[1:]:
                j = _nearest(others, i)
                if abs(j - i) > reach:
                    break
                lo, hi = min(lo, j), max(hi, j)
            else:
                if hi - lo <= reach:
                    return 1.0, (self.starts[lo], self.ends[hi])
        return SCATTERED_CREDIT, None

    def _find_token(self, word: str) -> tuple[int, int] | None:
        for i in self.positions.get(stem(word), ()):
            a, b = self.starts[i], self.ends[i]
            if self.text[a:b].lower() == word:
                return a, b
        return None


#: Term indexes of the last texts indexed (a CV is scored against many jobs, and its gaps try
#: the CV with one line added); shared, so never changed once built, except their match memo.
RECENT_INDEXES = 8
_RECENT: dict[str, TermIndex] = {}
_LOCK = threading.Lock()


def _nearest(sorted_positions: list[int], i: int) -> int:
    k = bisect.bisect_left(sorted_positions, i)
    best = sorted_positions[min(k, len(sorted_positions) - 1)]
    if k > 0 and abs(sorted_positions[k - 1] - i) <= abs(best - i):
        best = sorted_positions[k - 1]
    return best
