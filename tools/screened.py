"""Score bounds of one CV screened against every job of a :class:`tools.screening.ScreeningIndex`.

Built by :meth:`ScreeningIndex.screen`; :meth:`Screened.shortlist` keeps every job whose upper
bound reaches the k-th best lower bound, so the exact top k is among them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from tools.factors import EMBEDDING_SHARE, LEXICAL_SHARE

if TYPE_CHECKING:
    from tools.screening import ScreeningIndex


class Screened:
    """One CV screened against a :class:`ScreeningIndex`: score bounds per job.

    The text-similarity factor has two parts: the embedding part, exact or bounded
    (``lower_sem`` / ``upper_sem``), and the shared-words part ``lexical`` (exact, NaN where
    unknown), mixed as in ``factors.semantic_factor``. Without embeddings (``embedding``
    False) the factor is the shared-words part alone, and unknown where that is.
    """

    def __init__(self, index: ScreeningIndex, total: np.ndarray, known_w: np.ndarray,
                 semantic_weight: float, calibration: tuple[float, float],
                 embedding: bool = True, lexical: np.ndarray | None = None) -> None:
        self.index = index
        self.total = total
        self.known_w = known_w
        self.ws = semantic_weight
        self.calibration = calibration
        self.embedding = embedding
        n = len(total)
        self.lexical = np.full(n, np.nan) if lexical is None else lexical
        self.lower_sem = np.zeros(n)
        self.upper_sem = np.zeros(n)
        self.exact = np.full(n, semantic_weight == 0.0 or not embedding)
        self.dead: np.ndarray | None = None  # rows pruned as out of reach
        self._bounds: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def empty(cls, index: ScreeningIndex, semantic_weight: float,
              calibration: tuple[float, float], embedding: bool = True) -> Screened:
        """Every job out of reach until :meth:`place` fills some in."""
        n = len(index.ids)
        out = cls(index, np.zeros(n), np.zeros(n), semantic_weight, calibration, embedding)
        out.dead = np.ones(n, dtype=bool)
        out.exact[:] = True
        return out

    def place(self, rows: np.ndarray, part: Screened) -> None:
        """Copy the scores of ``part`` (computed over ``rows``) into this full-length one."""
        self.total[rows] = part.total
        self.known_w[rows] = part.known_w
        self.lexical[rows] = part.lexical
        self.lower_sem[rows] = part.lower_sem
        self.upper_sem[rows] = part.upper_sem
        self.exact[rows] = part.exact
        assert self.dead is not None
        self.dead[rows] = False
        self._bounds = None

    def semantic(self, cosines: np.ndarray) -> np.ndarray:
        floor, ceil = self.calibration
        return 100.0 * np.clip((cosines - floor) / (ceil - floor), 0.0, 1.0)

    def set_cosines(self, cosines: Mapping[str, float]) -> None:
        """Make the embedding part exact for these jobs."""
        rows = np.fromiter((self.index.row.get(i, -1) for i in cosines), dtype=np.int64,
                           count=len(cosines))
        values = self.semantic(np.fromiter(cosines.values(), dtype=np.float64,
                                           count=len(cosines)))
        keep = rows >= 0
        self.lower_sem[rows[keep]] = values[keep]
        self.upper_sem[rows[keep]] = values[keep]
        self.exact[rows[keep]] = True
        self._bounds = None

    def _combine(self, sem: np.ndarray) -> np.ndarray:
        lex = self.lexical
        has_lex = ~np.isnan(lex)
        if self.embedding:
            mixed = (EMBEDDING_SHARE * sem + LEXICAL_SHARE * np.nan_to_num(lex)) / (
                EMBEDDING_SHARE + LEXICAL_SHARE)
            text = np.where(has_lex, mixed, sem)
            ws = np.full(len(sem), self.ws)
        else:
            text = np.nan_to_num(lex)
            ws = np.where(has_lex, self.ws, 0.0)
        denominator = self.known_w + ws
        with np.errstate(invalid="ignore", divide="ignore"):
            value = np.where(denominator > 0, (self.total + ws * text) / denominator, 0.0)
        return value if self.dead is None else np.where(self.dead, -1.0, value)

    def _both(self) -> tuple[np.ndarray, np.ndarray]:
        if self._bounds is None:  # computed once; set_cosines and place invalidate
            self._bounds = (self._combine(self.lower_sem), self._combine(self.upper_sem))
        return self._bounds

    @property
    def lower(self) -> np.ndarray:
        return self._both()[0]

    @property
    def upper(self) -> np.ndarray:
        return self._both()[1]

    def shortlist(self, k: int, *, mask: np.ndarray | None = None, min_score: float = 0.0,
                  limit: int | None = None) -> np.ndarray:
        """Rows of every job that can still be in the top ``k``: upper bound ≥ the k-th best
        lower bound (and ≥ ``min_score`` - 0.5, as scores are rounded), best upper first."""
        ids = self.index.ids
        pool = np.flatnonzero(mask) if mask is not None else np.arange(len(ids))
        if not len(pool) or k <= 0:
            return np.zeros(0, dtype=np.int64)
        lower, upper = self.lower, self.upper
        low = lower[pool]
        threshold = min_score - 0.5
        if len(pool) > k:
            threshold = max(threshold, float(np.partition(low, len(pool) - k)[len(pool) - k]))
        keep = pool[upper[pool] >= threshold - 1e-9]
        order = sorted(keep.tolist(), key=lambda i: (-upper[i], ids[i]))
        if limit is not None:
            order = order[:limit]
        return np.array(order, dtype=np.int64)
