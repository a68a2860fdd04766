"""Column storage of the screening index: key vocabularies, sparse job × key weights, and
ragged job × column incidence lists, frozen into sorted numpy arrays for fast per-CV sums."""

from __future__ import annotations

from array import array
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class Vocab:
    ids: dict[Any, int] = field(default_factory=dict)

    def id(self, key: Any) -> int:
        got = self.ids.get(key)
        if got is None:
            got = self.ids[key] = len(self.ids)
        return got

    def keys(self) -> list[Any]:
        return list(self.ids)


class SparseColumns:
    """A job × column matrix of weights, stored by column (rows and values sorted by column)."""

    def __init__(self) -> None:
        self._rows, self._cols, self._vals = array("i"), array("i"), array("d")
        self.vocab = Vocab()

    def add(self, row: int, weights: Mapping[Any, float]) -> None:
        for key, value in weights.items():
            self._rows.append(row)
            self._cols.append(self.vocab.id(key))
            self._vals.append(value)

    def freeze(self, n_rows: int) -> None:
        # each build buffer is released as soon as its sorted copy exists (at 100,000 jobs the
        # buffers are ~100 MB: holding all of them while sorting raised the peak memory)
        order = np.argsort(np.frombuffer(self._cols, dtype=np.int32), kind="stable")
        counts = np.bincount(np.frombuffer(self._cols, dtype=np.int32),
                             minlength=len(self.vocab.ids))
        del self._cols
        self.starts = np.concatenate(([0], np.cumsum(counts)))
        rows = np.frombuffer(self._rows, dtype=np.int32)
        self.has = np.bincount(rows, minlength=n_rows)[:n_rows] > 0
        self.rows = rows[order]
        del rows, self._rows
        self.vals = np.frombuffer(self._vals, dtype=np.float64)[order]
        del order, self._vals
        self.col = dict(self.vocab.ids)

    def dot(self, weights: Mapping[Any, float], n_rows: int) -> np.ndarray:
        """Per row, the sum over shared columns of the row's value × ``weights[column]``."""
        parts_rows, parts_vals = [], []
        for key, value in weights.items():
            c = self.col.get(key)
            if c is not None:
                a, b = self.starts[c], self.starts[c + 1]
                parts_rows.append(self.rows[a:b])
                parts_vals.append(self.vals[a:b] * value)
        if not parts_rows:
            return np.zeros(n_rows)
        return np.bincount(np.concatenate(parts_rows), weights=np.concatenate(parts_vals),
                           minlength=n_rows)


def by_column(rows: list[list[int]], n_cols: int) -> tuple[np.ndarray, np.ndarray]:
    """A ragged job × column incidence list as (job rows sorted by column, column starts)."""
    lengths = np.fromiter((len(r) for r in rows), dtype=np.int64, count=len(rows))
    row_of = np.repeat(np.arange(len(rows), dtype=np.int32), lengths)
    cols = np.fromiter((c for r in rows for c in r), dtype=np.int64, count=int(lengths.sum()))
    order = np.argsort(cols, kind="stable")
    starts = np.searchsorted(cols[order], np.arange(n_cols + 1))
    return row_of[order], starts
