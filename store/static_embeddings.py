"""Static (model2vec-style) sentence embeddings distilled from all-MiniLM-L6-v2.

Implements :class:`tools.ports.Embedder`. Each wordpiece of the vendored MiniLM tokenizer has a
fixed 256-d vector (``store/data/static-minilm-256.npy``, float16, built by
``python -m store.data.distill_static``): MiniLM's output at the token's position for the
input ``[CLS] token [SEP]``, PCA to 256 dims, Zipf/SIF down-weighting of frequent tokens by
vocab id. That variant ranked best of the 24 measured by ``tests/bench/bench_static.py``.

A text's embedding is the mean of its token vectors (no special tokens, at most
:data:`MAX_TOKENS` wordpieces), L2-normalised. There is no transformer at query time, so it is
~150x faster than :class:`store.embeddings.MiniLMEmbedder` on jobfit's texts, at the price of
ignoring word order and context.

The weights file and the tokenizer are pinned by sha256 and verified on load; nothing is ever
downloaded. Construction is free; files are read on first use (or by :meth:`load`).

The cosines live on a different scale from MiniLM's: use :data:`SEMANTIC_FLOOR` /
:data:`SEMANTIC_CEIL` below, not MiniLM's, when turning one into a score.
"""

from __future__ import annotations

import io
import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from store.embeddings import (
    TOKENIZER_FILE,
    TOKENIZER_SHA256,
    EmbeddingModelError,
    load_tokenizer,
    read_verified,
)
from tools.errors import InvalidInputError

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"

DIM = 256
WEIGHTS_FILE = DATA_DIR / f"static-minilm-{DIM}.npy"
#: sha256 of ``store/data/static-minilm-256.npy`` (also recorded in ``static-minilm-256.json``).
WEIGHTS_SHA256 = "42ad49ffaef0998e5a12b96af26ab5f847f1506c1c6cdac2d24f32b7298d5319"
#: Most wordpieces per text that contribute (no [CLS]/[SEP]); the rest is ignored.
MAX_TOKENS = 512

# Calibration for a static cosine -> 0-100 semantic sub-score, measured by
# ``python -m tests.bench.bench_static`` on the synthetic corpus (170 CVs x 1,000 jobs, the
# texts of tools.scoring.cv_embedding_text / job_embedding_text), all CV x job pairs:
#   relevance 2  p5 0.648  p25 0.714  p50 0.759  p75 0.795  p95 0.837  (n=2,927)
#   relevance 1  p5 0.499  p25 0.585  p50 0.644  p75 0.705  p95 0.796  (n=9,385)
#   relevance 0  p5 0.296  p25 0.394  p50 0.459  p75 0.525  p95 0.619  (n=157,688)
# FLOOR ~ p95 of relevance 0, CEIL ~ median of relevance 2. Static cosines sit much higher
# than MiniLM's (shared frequent tokens), with a narrow useful band. On the same pairs MiniLM
# gives 0.47 / 0.62 (not the 0.26 / 0.65 measured on short snippets). Synthetic data only —
# and generated text cannot calibrate a score: the constants now come from REAL pairs
# (tests/bench/quality.py tasks, the texts jobfit embeds), 10th and 99th percentiles:
#   FERR-A judged resume x job pairs       p10 0.299  p50 0.487  p99 0.757
#   Livecareer resumes x O*NET occupations  p10 0.314  p50 0.472  p99 0.718
SEMANTIC_FLOOR = 0.31
SEMANTIC_CEIL = 0.74


class StaticEmbedder:
    """Static MiniLM-distilled embeddings: 256-d, L2-normalised, float32.

    Args:
        weights_path: the ``.npy`` token-vector table; default: the committed one.
        tokenizer_path: ``tokenizer.json``; default: the vendored MiniLM one.
        weights_sha256: expected sha256 of the weights file (default: the pinned one).
        tokenizer_sha256: expected sha256 of the tokenizer file (default: the pinned one).
        max_tokens: most wordpieces per text that count.

    Output is deterministic and independent of batching: a text gets the same bytes whatever
    else is in the list.
    """

    name = f"jobfit-static-minilm-{DIM}"
    calibration = (SEMANTIC_FLOOR, SEMANTIC_CEIL)
    dim = DIM

    def __init__(
        self,
        *,
        weights_path: str | Path | None = None,
        tokenizer_path: str | Path | None = None,
        weights_sha256: str = WEIGHTS_SHA256,
        tokenizer_sha256: str = TOKENIZER_SHA256,
        max_tokens: int = MAX_TOKENS,
    ) -> None:
        if max_tokens < 1:
            raise ValueError("max_tokens must be >= 1")
        self._weights_path = Path(weights_path) if weights_path is not None else WEIGHTS_FILE
        self._tokenizer_path = (
            Path(tokenizer_path) if tokenizer_path is not None else TOKENIZER_FILE
        )
        self._weights_sha256 = weights_sha256
        self._tokenizer_sha256 = tokenizer_sha256
        self.max_tokens = max_tokens
        self._lock = threading.Lock()
        self._tokenizer: Any = None
        self._table: np.ndarray | None = None  # (vocab + 1, dim) float32; last row: empty text

    @classmethod
    def from_vectors(
        cls,
        vectors: np.ndarray,
        *,
        name: str | None = None,
        tokenizer_path: str | Path | None = None,
        max_tokens: int = MAX_TOKENS,
    ) -> StaticEmbedder:
        """An embedder over an in-memory table (benchmarks, tests); no weights hash check.

        ``vectors`` has shape ``(vocab + 1, dim)``; its last row is the empty-text vector.
        """
        table = np.asarray(vectors)
        if table.ndim != 2:
            raise ValueError("vectors must be 2-d")
        self = cls(tokenizer_path=tokenizer_path, max_tokens=max_tokens)
        self.dim = int(table.shape[1])
        self.name = name or f"jobfit-static-custom-{self.dim}"
        self._tokenizer = self._load_tokenizer()
        self._check_table(table, "in-memory vectors")
        self._table = _prepared(table)
        return self

    # -- loading -------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the tokenizer and the vector table are in memory."""
        return self._table is not None

    def load(self) -> None:
        """Verify and load the tokenizer and the vector table (idempotent, thread-safe).

        Raises :class:`store.embeddings.EmbeddingModelError` if a file is missing, corrupt
        (hash mismatch) or malformed.
        """
        if self._table is not None:
            return
        with self._lock:
            if self._table is not None:
                return
            tokenizer = self._load_tokenizer()
            raw = read_verified(self._weights_path, self._weights_sha256, "static weights")
            try:
                table = np.load(io.BytesIO(raw), allow_pickle=False)
            except Exception as exc:  # numpy raises ValueError/OSError variants
                raise EmbeddingModelError(
                    f"The static embedding weights {self._weights_path} cannot be parsed"
                ) from exc
            self._check_table(table, str(self._weights_path))
            self._tokenizer = tokenizer
            self._table = _prepared(table)
            logger.info("loaded static embeddings %s (%d x %d)", self.name, *table.shape)

    def _load_tokenizer(self) -> Any:
        return load_tokenizer(self._tokenizer_path, self._tokenizer_sha256, self.max_tokens)

    def _check_table(self, table: np.ndarray, where: str) -> None:
        vocab = self._tokenizer_vocab_size()
        if table.ndim != 2 or table.shape != (vocab + 1, self.dim):
            raise EmbeddingModelError(
                f"The static embedding weights {where} have shape {table.shape}, "
                f"expected ({vocab + 1}, {self.dim})"
            )
        if not np.isfinite(table).all():
            raise EmbeddingModelError(f"The static embedding weights {where} are not finite")

    def _tokenizer_vocab_size(self) -> int:
        tokenizer = self._tokenizer if self._tokenizer is not None else self._load_tokenizer()
        return int(tokenizer.get_vocab_size(with_added_tokens=True))

    # -- embedding -----------------------------------------------------------------------

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``: float32 array of shape ``(len(texts), dim)``, rows L2-normalised.

        Rows follow the input order. An empty list gives shape ``(0, dim)`` without loading
        anything. Texts with no known wordpieces (empty or blank strings, only unknown
        characters) get one fixed vector, the projected MiniLM embedding of an empty
        sentence: callers should treat blank text as unknown rather than score it.
        """
        if isinstance(texts, str):
            raise InvalidInputError("embed() takes a list of texts, not a single string")
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        for text in texts:
            if not isinstance(text, str):
                raise InvalidInputError("Every text to embed must be a string")
        self.load()
        table = self._table
        assert table is not None
        encode = getattr(self._tokenizer, "encode_batch_fast", self._tokenizer.encode_batch)
        encodings = encode(texts, add_special_tokens=False)
        lengths = np.fromiter((len(e.ids) for e in encodings), dtype=np.int64, count=len(texts))
        ids = np.concatenate([np.asarray(e.ids, dtype=np.int64) for e in encodings])
        return self._pool(table, ids, lengths)

    @staticmethod
    def _pool(table: np.ndarray, ids: np.ndarray, lengths: np.ndarray) -> np.ndarray:
        """Sum token vectors per text, L2-normalise; texts with no signal -> the last row.

        One small gather + sum per text (not per token): the temporaries stay in cache, which
        measured ~25x faster on 2 KB texts than one big gather + ``np.add.reduceat``.
        """
        out = np.zeros((lengths.size, table.shape[1]), dtype=np.float32)
        ends = np.cumsum(lengths)
        for row, (start, end) in enumerate(
            zip((ends - lengths).tolist(), ends.tolist(), strict=True)
        ):
            if end > start:
                out[row] = table[ids[start:end]].sum(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        blank = norms[:, 0] < 1e-6
        out /= np.maximum(norms, 1e-12)
        out[blank] = table[-1]
        return out


def _prepared(table: np.ndarray) -> np.ndarray:
    """float32 copy of ``table`` whose last (empty-text) row is exactly unit length."""
    out = np.array(table, dtype=np.float32, order="C")
    norm = float(np.linalg.norm(out[-1]))
    if norm < 1e-6:
        raise EmbeddingModelError("The static embedding weights lack an empty-text vector")
    out[-1] /= norm
    return out
