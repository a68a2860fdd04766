"""Fakes for what cannot or need not run in unit tests."""

from __future__ import annotations

import hashlib
import re

import numpy as np

_WORD = re.compile(r"[a-z0-9+#]+")


class BagOfWordsEmbedder:
    """Deterministic hashed bag-of-words vectors: texts sharing words are similar."""

    name = "fake-bow"
    calibration = (0.0, 1.0)

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


class InMemoryJobIndex:
    """Exact cosine search over vectors held in memory (tools.search.JobIndex for unit tests)."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[np.ndarray, str, dict[str, object]]] = {}

    def upsert(self, jobs) -> None:  # type: ignore[no-untyped-def]
        for j in jobs:
            self._items[j.id] = (np.asarray(j.vector, dtype=np.float32), j.content_hash,
                                 dict(j.metadata))

    def delete(self, ids) -> None:  # type: ignore[no-untyped-def]
        for i in ids:
            self._items.pop(i, None)

    def query(self, vector, k, filters=None, now=None):  # type: ignore[no-untyped-def]
        from tools.search import matches_filters

        scored = [(i, float(np.dot(v, vector))) for i, (v, _, md) in self._items.items()
                  if matches_filters(md, filters, now)]
        return sorted(scored, key=lambda t: (-t[1], t[0]))[:k]

    def hashes(self) -> dict[str, str]:
        return {i: h for i, (_, h, _) in self._items.items()}

    def count(self) -> int:
        return len(self._items)

    def vectors(self, ids) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
        return {i: self._items[i][0] for i in ids if i in self._items}


class InMemoryJobSource:
    """tools.matching.JobSource over a list of StoredJob."""

    def __init__(self, jobs) -> None:  # type: ignore[no-untyped-def]
        self.jobs = {j.id: j for j in jobs}

    def get_jobs(self, ids):  # type: ignore[no-untyped-def]
        return [self.jobs[i] for i in ids if i in self.jobs]

    def iter_active(self, batch: int = 1000):  # type: ignore[no-untyped-def]
        items = list(self.jobs.values())
        for start in range(0, len(items), batch):
            yield items[start:start + batch]


class DictCache:
    """tools.matching.ResultCache in a dict, counting hits."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, ...], object] = {}
        self.hits = 0

    def get(self, *key: str):  # type: ignore[no-untyped-def]
        value = self.store.get(key)
        self.hits += value is not None
        return value

    def put(self, *args) -> None:  # type: ignore[no-untyped-def]
        *key, result = args
        self.store[tuple(key)] = result
