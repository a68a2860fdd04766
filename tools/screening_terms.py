"""The requirement-term columns of a :class:`tools.screening.ScreeningIndex`.

Each job's requirement terms (``JobPosting.terms``, deduplicated as
:func:`tools.preparation.split_terms` does) are columns, like its skills. For one CV, a term can
only earn credit when every stem of the words of one of its readings (``alternatives``) is in
the CV (or those words written as one are a CV word, or two CV words written apart): that
test runs in numpy over all terms at once, and only the few terms that pass it are matched
word by word (``PreparedProfile.term_credit``), so the credits equal the engine's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from tools.preparation import PreparedProfile, split_term_rows
from tools.requirement_terms import (
    TERM_WEIGHT,
    alternatives,
    term_key,
    term_specificity,
    term_words,
)
from tools.screening_columns import Vocab, by_column


class TermColumns:
    """Per job, its required and preferred requirement terms; per term, its weight and stems."""

    def __init__(self) -> None:
        self._vocab = Vocab()
        self._req: list[list[int]] = []
        self._pref: list[list[int]] = []
        self.frozen = False

    def add(self, terms: Iterable[Mapping[str, Any]]) -> int:
        """Add the next job's terms (``JobTerm`` dumps); returns how many it has."""
        rows = [(str(t.get("name") or ""), bool(t.get("required", True))) for t in terms]
        req, pref = split_term_rows(rows)
        self._req.append([self._vocab.id(rows[i][0]) for i in req])
        self._pref.append([self._vocab.id(rows[i][0]) for i in pref])
        return len(req) + len(pref)

    def freeze(self) -> None:
        self.names: list[str] = self._vocab.keys()
        n_terms = len(self.names)
        self.req = by_column(self._req, n_terms)
        self.pref = by_column(self._pref, n_terms)
        self.count = np.fromiter((len(r) + len(p) for r, p in zip(self._req, self._pref,
                                                                  strict=True)),
                                 dtype=np.float64, count=len(self._req))
        #: TERM_WEIGHT × specificity of each term (times the required / preferred weight)
        self.weights = np.fromiter((TERM_WEIGHT * term_specificity(n) for n in self.names),
                                   dtype=np.float64, count=n_terms)
        stems = Vocab()
        owner: list[int] = []  # per (reading, stem): the reading
        flat: list[int] = []
        reading_term: list[int] = []  # per reading: its term
        joined: dict[str, list[int]] = {}  # multi-word readings by their words written as one
        single: dict[str, list[int]] = {}  # one-word readings, met by two CV words written apart
        for t, name in enumerate(self.names):
            for reading in alternatives(name):
                r = len(reading_term)
                reading_term.append(t)
                for s in dict.fromkeys(term_key(reading)):
                    owner.append(r)
                    flat.append(stems.id(s))
                words = term_words(reading)
                if len(words) > 1:
                    joined.setdefault("".join(words), []).append(t)
                elif words:
                    single.setdefault(words[0], []).append(t)
        self.stem_ids = stems.ids
        self._owner = np.array(owner, dtype=np.int64)
        self._flat = np.array(flat, dtype=np.int64)
        self._reading_term = np.array(reading_term, dtype=np.int64)
        self._needed = np.bincount(self._owner, minlength=len(reading_term)).astype(np.float64)
        self._joined = joined
        self._single = single
        del self._req, self._pref
        self.frozen = True

    def credits(self, prep: PreparedProfile) -> np.ndarray:
        """The credit (0-1) this CV earns on each term, as ``prep.term_credit``."""
        out = np.zeros(len(self.names))
        if not self.names:
            return out
        index = prep.term_index()
        present = np.zeros(len(self.stem_ids), dtype=np.float64)
        ids = self.stem_ids
        for s in index.positions:
            i = ids.get(s)
            if i is not None:
                present[i] = 1.0
        found = np.bincount(self._owner, weights=present[self._flat],
                            minlength=len(self._reading_term))
        candidate = np.zeros(len(self.names), dtype=bool)
        candidate[self._reading_term[(found >= self._needed) & (self._needed > 0)]] = True
        for word in index.tokens & self._joined.keys():
            candidate[self._joined[word]] = True
        for word in index.pairs.keys() & self._single.keys():
            candidate[self._single[word]] = True
        names = self.names
        for t in np.flatnonzero(candidate):
            out[t] = prep.term_credit(names[t])
        return out
