"""Integration tests for store.static_embeddings (real committed weights and tokenizer)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from store.embeddings import EmbeddingModelError
from store.static_embeddings import DIM, WEIGHTS_FILE, WEIGHTS_SHA256, StaticEmbedder
from tools.errors import InvalidInputError
from tools.ports import Embedder

META_FILE = WEIGHTS_FILE.with_suffix(".json")


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    emb = StaticEmbedder()
    emb.load()
    return emb


def test_conforms_to_embedder_protocol() -> None:
    emb = StaticEmbedder()
    assert isinstance(emb, Embedder)
    assert emb.dim == DIM == 256
    assert emb.name.startswith("jobfit-static-minilm")
    assert not emb.loaded  # construction is free


def test_shape_dtype_norm(embedder: StaticEmbedder) -> None:
    texts = ["Python developer with Django", "Registered nurse, ICU", "x " * 2000]
    out = embedder.embed(texts)
    assert out.shape == (3, DIM)
    assert out.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert np.isfinite(out).all()


def test_deterministic_and_batch_independent(embedder: StaticEmbedder) -> None:
    texts = [f"Senior accountant {i}: month-end close, VAT, audits" for i in range(20)]
    a = embedder.embed(texts)
    b = StaticEmbedder().embed(texts)
    assert a.tobytes() == b.tobytes()
    parts = np.vstack([embedder.embed(texts[:7]), embedder.embed(texts[7:])])
    assert parts.tobytes() == a.tobytes()
    assert embedder.embed([texts[3]]).tobytes() == a[3:4].tobytes()


def test_related_beats_unrelated(embedder: StaticEmbedder) -> None:
    cv = "Backend engineer: 6 years of Python, Django REST APIs, PostgreSQL, Docker and AWS."
    related = "We are hiring a Python/Django backend developer to build APIs on Postgres and AWS."
    unrelated = "Night-shift ICU nurse wanted; RN licence, BLS/ACLS and critical care experience."
    v = embedder.embed([cv, related, unrelated])
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.1


def test_truncates_long_texts(embedder: StaticEmbedder) -> None:
    head = "python django postgres " * 200  # > 512 wordpieces
    v = embedder.embed([head, head + " nursing care " * 300])
    assert v[0].tobytes() == v[1].tobytes()


def test_empty_inputs(embedder: StaticEmbedder) -> None:
    assert StaticEmbedder().embed([]).shape == (0, DIM)
    out = embedder.embed(["", "   \n\t", "real text about welding"])
    assert out.shape == (3, DIM)
    np.testing.assert_allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)
    assert out[0].tobytes() == out[1].tobytes()  # one fixed vector for blank text
    assert out[0].tobytes() != out[2].tobytes()


def test_bad_inputs() -> None:
    emb = StaticEmbedder()
    with pytest.raises(InvalidInputError):
        emb.embed("not a list")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        emb.embed(["ok", 3])  # type: ignore[list-item]


def test_hash_mismatch_is_a_clear_error(tmp_path: Path) -> None:
    copy = tmp_path / "weights.npy"
    shutil.copyfile(WEIGHTS_FILE, copy)
    with copy.open("r+b") as fh:  # flip one byte in the data
        fh.seek(-7, 2)
        byte = fh.read(1)
        fh.seek(-7, 2)
        fh.write(bytes([byte[0] ^ 0xFF]))
    emb = StaticEmbedder(weights_path=copy)
    with pytest.raises(EmbeddingModelError, match="does not match its pinned sha256"):
        emb.embed(["anything"])
    assert not emb.loaded


def test_missing_weights_is_a_clear_error(tmp_path: Path) -> None:
    emb = StaticEmbedder(weights_path=tmp_path / "nope.npy")
    with pytest.raises(EmbeddingModelError, match="missing"):
        emb.load()


def test_weights_sha_matches_json() -> None:
    meta = json.loads(META_FILE.read_text("utf-8"))
    digest = hashlib.sha256(WEIGHTS_FILE.read_bytes()).hexdigest()
    assert digest == meta["sha256"] == WEIGHTS_SHA256
    assert meta["dim"] == DIM
    assert meta["dtype"] == "float16"
    assert meta["shape"] == [meta["vocab_size"] + 1, DIM]
    assert WEIGHTS_FILE.stat().st_size == meta["bytes"] <= 16 * 1024 * 1024
    table = np.load(WEIGHTS_FILE)
    assert table.dtype == np.float16
    assert list(table.shape) == meta["shape"]


def test_from_vectors_shape_is_checked() -> None:
    with pytest.raises(EmbeddingModelError, match="shape"):
        StaticEmbedder.from_vectors(np.ones((10, 4), dtype=np.float32))
