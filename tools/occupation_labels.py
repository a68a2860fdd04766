"""A word TF-IDF index over many short occupation labels, searched through an inverted index.

Features of a label are its stemmed content words (the head word counted more), word bigrams and
5-letter prefixes (``tools.occupation_titles.features``); results are re-ranked with a
character-level fuzzy ratio. Pure numpy and rapidfuzz.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process

from tools.occupation_titles import PREFIX, features, label_text, stem, title_stems

PREFIX_WEIGHT = 0.5
HEAD_BOOST = 2.0
BIGRAM_WEIGHT = 0.6
FUZZ_WEIGHT = 0.35
HEAD_BONUS = 0.08
CANDIDATES = 300


def _feature_weight(feature: str, head: str) -> float:
    if "_" in feature:
        return BIGRAM_WEIGHT
    if feature.endswith("~"):
        return PREFIX_WEIGHT
    return HEAD_BOOST if feature == head else 1.0


class LabelIndex:
    """Word TF-IDF over many short labels, searched through an inverted index (numpy)."""

    def __init__(self, labels: Sequence[str], normalised: bool = False) -> None:
        self.texts = list(labels) if normalised else [label_text(x) for x in labels]
        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        self.heads: list[str] = []
        self.keys: list[str] = []  # the label's set of word stems, as one string
        for i, t in enumerate(self.texts):
            stems, head = title_stems(t)
            self.heads.append(head)
            self.keys.append(" ".join(sorted(set(stems))))
            seen: dict[str, float] = {}
            for w in stems:
                seen[w] = HEAD_BOOST if w == head else 1.0
            for a, b in zip(stems, stems[1:], strict=False):
                seen[f"{a}_{b}"] = BIGRAM_WEIGHT
            for w in stems:
                if len(w) > PREFIX and w.isalpha():
                    seen.setdefault(f"{w[:PREFIX]}~", PREFIX_WEIGHT)
            for f, weight in seen.items():
                rows.append(i)
                cols.append(vocab.setdefault(f, len(vocab)))
                vals.append(weight)
        words = set(re.findall(r"[a-z]{4,}", "\n".join(self.texts)))
        self.vocab = vocab
        self.words = sorted(words)
        n = len(self.texts)
        r = np.asarray(rows, dtype=np.int32)
        c = np.asarray(cols, dtype=np.int32)
        v = np.asarray(vals, dtype=np.float32)
        df = np.bincount(c, minlength=len(vocab)).astype(np.float32)
        self.idf = np.log((n + 1) / (df + 1)).astype(np.float32) + 1.0
        v = (v * self.idf[c]).astype(np.float32)
        norms = np.sqrt(np.bincount(r, weights=v * v, minlength=n)).astype(np.float32)
        v = (v / np.maximum(norms[r], 1e-9)).astype(np.float32)
        order = np.argsort(c, kind="stable")
        self.post_rows = r[order]
        self.post_vals = v[order]
        self.post_ptr = np.zeros(len(vocab) + 1, dtype=np.int64)
        np.cumsum(df.astype(np.int64), out=self.post_ptr[1:])
        self.n = n

    def _correct(self, text: str) -> str:
        """Replace words the labels never use by their closest label word (typos)."""
        out = []
        for w in text.split():
            if len(w) >= 5 and w.isalpha() and stem(w) not in self.vocab:
                hit = process.extractOne(w, self.words, scorer=fuzz.ratio, score_cutoff=84)
                if hit is not None:
                    w = hit[0]
            out.append(w)
        return " ".join(out)

    def search(self, text: str, limit: int = CANDIDATES) -> tuple[np.ndarray, np.ndarray]:
        """Label ids and scores (0-1) of the best labels for a cleaned title."""
        text = self._correct(text)
        feats, head = features(text)
        qw: dict[int, float] = {}
        for f in feats:
            j = self.vocab.get(f)
            if j is None:
                continue
            qw[j] = max(qw.get(j, 0.0), _feature_weight(f, head) * float(self.idf[j]))
        if not qw:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        # Unknown query words still count in the query norm (a partial match is partial).
        unknown = sum(1.0 for f in feats
                      if "_" not in f and not f.endswith("~") and f not in self.vocab)
        qnorm = math.sqrt(sum(w * w for w in qw.values()) + unknown * 9.0)
        idx = []
        wts = []
        for j, w in qw.items():
            a, b = self.post_ptr[j], self.post_ptr[j + 1]
            idx.append(self.post_rows[a:b])
            wts.append(self.post_vals[a:b] * (w / qnorm))
        scores = np.bincount(np.concatenate(idx), weights=np.concatenate(wts), minlength=self.n)
        k = min(limit, int(np.count_nonzero(scores)))
        if k == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        top = np.argpartition(-scores, k - 1)[:k]
        cos = scores[top]
        # Unknown words ("python" in "python developer") would only reward look-alikes.
        known = " ".join(w for w in text.split() if stem(w) in self.vocab) or text
        rows = top.tolist()  # plain ints: indexing lists with numpy scalars is slower
        ratios = self.fuzzy_ratios(known, rows)
        bonus = np.asarray([HEAD_BONUS if self.heads[i] == head else 0.0 for i in rows])
        final = ((1 - FUZZ_WEIGHT) * cos + FUZZ_WEIGHT * ratios + bonus) / (1 + HEAD_BONUS)
        return top.astype(np.int64), final.astype(np.float32)

    def fuzzy_ratios(self, text: str, rows: Sequence[int]) -> np.ndarray:
        """``fuzz.token_sort_ratio(text, label) / 100`` for the labels ``rows`` (float64), in
        one rapidfuzz call instead of one per label."""
        return process.cdist([text], [self.texts[i] for i in rows], scorer=fuzz.token_sort_ratio,
                             dtype=np.float64, workers=1)[0] / 100.0
