"""Which occupation a text reads like, from its words — when titles are missing or vague.

Real CVs often lack a clean title ("Summary", a name, "Company Name City, State") and some
postings have none ("Key skills and roles: …"). Their words still say a lot: a CV full of
"reconciliation", "ledger", "audit" reads like an accountant's. This module compares a text's
TF-IDF vector (``tools.lexical``) with the term vectors of the 3,039 ESCO occupations
(``tools/data/occupation_profiles.json.gz``, built from the ESCO labels and descriptions) and
turns the :data:`TOP` closest into an occupation vector in the same key space as
``tools.occupations.occupation_weights``, so ``occupation_similarity`` compares the two.
"""

from __future__ import annotations

import gzip
import json
import math
from collections.abc import Mapping
from functools import cache
from pathlib import Path

import numpy as np

from tools.occupations import concept_vector

PROFILES_FILE = Path(__file__).parent / "data" / "occupation_profiles.json.gz"
#: Closest profiles mixed into the vector, each weighted (score / best) ** POWER (10 rather than
#: 5: Livecareer NDCG@10 0.398 → 0.404 tune, 0.387 → 0.390 confirm; FERR tau tune 0.271 → 0.279).
TOP = 10
POWER = 4.0
#: Below this cosine to the closest profile the text names no occupation (empty vector).
MIN_COSINE = 0.05


class _Profiles:
    def __init__(self, data: Mapping[str, object]) -> None:
        words = data["words"]
        profiles = data["profiles"]
        assert isinstance(words, list) and isinstance(profiles, list)
        self.word_id = {w: i for i, w in enumerate(words)}
        self.uris = [p[0] for p in profiles]
        rows, cols, vals = [], [], []
        for r, (_uri, ids, weights) in enumerate(profiles):
            rows += [r] * len(ids)
            cols += ids
            vals += [w / 1000.0 for w in weights]
        order = np.argsort(np.asarray(cols, dtype=np.int64), kind="stable")
        self.rows = np.asarray(rows, dtype=np.int32)[order]
        self.vals = np.asarray(vals, dtype=np.float32)[order]
        self.starts = np.searchsorted(np.asarray(cols, dtype=np.int64)[order],
                                      np.arange(len(words) + 1))

    def scores(self, terms: Mapping[str, float]) -> np.ndarray:
        rows, vals = [], []
        for w, x in terms.items():
            i = self.word_id.get(w)
            if i is not None:
                a, b = self.starts[i], self.starts[i + 1]
                rows.append(self.rows[a:b])
                vals.append(x * self.vals[a:b].astype(np.float64))
        if not rows:
            return np.zeros(len(self.uris), dtype=np.float64)
        return np.bincount(np.concatenate(rows), weights=np.concatenate(vals),
                           minlength=len(self.uris))


@cache
def _profiles() -> _Profiles:
    with gzip.open(PROFILES_FILE, "rb") as fh:
        return _Profiles(json.loads(fh.read().decode("utf-8")))


def closest_occupations(terms: Mapping[str, float], top: int = TOP) -> list[tuple[str, float]]:
    """(ESCO URI, cosine) of the profiles closest to a term vector, best first."""
    if not terms:
        return []
    p = _profiles()
    scores = p.scores(terms)
    best = np.argsort(-scores, kind="stable")[:top]
    return [(p.uris[i], float(scores[i])) for i in best if scores[i] > 0]


def text_occupation_vector(terms: Mapping[str, float]) -> dict[str, float]:
    """An occupation vector (``occupation_weights`` key space, unit length) for a text's term
    vector; empty when no profile is close enough."""
    found = closest_occupations(terms)
    if not found or found[0][1] < MIN_COSINE:
        return {}
    best = found[0][1]
    mix: dict[str, float] = {}
    for uri, score in found:
        share = (score / best) ** POWER
        for key, w in concept_vector(uri).items():
            mix[key] = mix.get(key, 0.0) + share * w
    norm = math.sqrt(sum(w * w for w in mix.values()))
    return {k: round(w / norm, 6) for k, w in sorted(mix.items())} if norm > 0 else {}
