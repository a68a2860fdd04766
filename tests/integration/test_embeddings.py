"""store.embeddings.MiniLMEmbedder against the real int8 MiniLM model (no mocks)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from store.embeddings import (
    DIM,
    TOKENIZER_FILE,
    EmbeddingModelError,
    MiniLMEmbedder,
    default_model_path,
)
from tools.errors import InvalidInputError, JobfitError
from tools.ports import Embedder

PY_DEV = "Senior Python developer with Django"
BACKEND = "Backend engineer, Python/Django"
NURSE = "Registered nurse in an ICU"

TEXTS = [
    PY_DEV,
    NURSE,
    "",
    "Long-haul HGV driver with a clean licence and ten years of European deliveries. " * 30,
    BACKEND,
    "Chef de partie",
    "   ",
    "Ingénieure logiciel à Paris — Python, Kubernetes, 5 ans d'expérience 🚀",
]


@pytest.fixture(scope="module")
def embedder() -> MiniLMEmbedder:
    return MiniLMEmbedder()


def test_implements_the_port(embedder: MiniLMEmbedder) -> None:
    assert isinstance(embedder, Embedder)
    assert embedder.name == "jobfit-minilm-l6-int8"
    assert embedder.dim == DIM == 384


def test_construction_is_lazy() -> None:
    emb = MiniLMEmbedder()
    assert not emb.loaded
    assert emb.embed([]).shape == (0, 384)
    assert not emb.loaded  # an empty list needs no model
    emb.embed(["x"])
    assert emb.loaded


def test_shape_dtype_and_unit_norm(embedder: MiniLMEmbedder) -> None:
    vecs = embedder.embed(TEXTS)
    assert vecs.shape == (len(TEXTS), 384)
    assert vecs.dtype == np.float32
    assert np.all(np.isfinite(vecs))
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_deterministic_bytes(embedder: MiniLMEmbedder) -> None:
    first = embedder.embed(TEXTS).tobytes()
    assert embedder.embed(TEXTS).tobytes() == first
    assert MiniLMEmbedder().embed(TEXTS).tobytes() == first


def test_related_ranks_above_unrelated(embedder: MiniLMEmbedder) -> None:
    py, backend, nurse = embedder.embed([PY_DEV, BACKEND, NURSE])
    related, unrelated = float(py @ backend), float(py @ nurse)
    assert related > 0.5
    assert related > unrelated + 0.3


def test_cv_job_pairs_rank_their_own_job_first(embedder: MiniLMEmbedder) -> None:
    cvs = [
        "Registered nurse, six years in intensive care, ventilated patients and medication.",
        "Python developer building Django REST APIs on PostgreSQL and AWS.",
        "Chartered accountant: month-end close, VAT returns and statutory accounts.",
        "HGV class 1 driver, long-haul European freight, tachograph experience.",
    ]
    jobs = [
        "ICU staff nurse wanted; RN licence and critical care experience required.",
        "Backend engineer (Python/Django) to design APIs and own our Postgres schema.",
        "Financial accountant to run the monthly close and prepare year-end statements.",
        "Long-distance lorry driver (C+E licence) for international routes.",
    ]
    sims = embedder.embed(cvs) @ embedder.embed(jobs).T
    assert list(np.argmax(sims, axis=1)) == [0, 1, 2, 3]


def test_batch_keeps_order_and_matches_single_embeds(embedder: MiniLMEmbedder) -> None:
    batch = embedder.embed(TEXTS)
    singles = np.stack([embedder.embed([t])[0] for t in TEXTS])
    np.testing.assert_allclose(batch, singles, atol=1e-5)
    # Many texts across several internal batches, in reverse order.
    many = [f"{i} years of experience as a {w}" for i, w in enumerate(["cook", "nurse"] * 25)]
    small_batches = MiniLMEmbedder(batch_size=3)
    np.testing.assert_allclose(embedder.embed(many), small_batches.embed(many), atol=1e-5)
    np.testing.assert_allclose(embedder.embed(many[::-1]), embedder.embed(many)[::-1], atol=1e-5)


def test_padding_to_256_agrees_with_dynamic_padding(embedder: MiniLMEmbedder) -> None:
    fixed = MiniLMEmbedder(pad_to_max=True).embed(TEXTS[:3])
    np.testing.assert_allclose(fixed, embedder.embed(TEXTS[:3]), atol=1e-4)


def test_empty_inputs(embedder: MiniLMEmbedder) -> None:
    empty = embedder.embed([])
    assert empty.shape == (0, 384) and empty.dtype == np.float32
    blank = embedder.embed(["", "   ", "\n\t"])
    np.testing.assert_allclose(blank[0], blank[1], atol=1e-6)
    np.testing.assert_allclose(blank[0], blank[2], atol=1e-6)
    np.testing.assert_allclose(np.linalg.norm(blank, axis=1), 1.0, atol=1e-5)


def test_long_text_is_truncated_not_rejected(embedder: MiniLMEmbedder) -> None:
    base = "Python developer with Django experience. "
    a, b = embedder.embed([base * 100, base * 100 + "Registered nurse. " * 100])
    np.testing.assert_allclose(a, b, atol=1e-6)  # everything after 256 tokens is ignored


def test_rejects_a_bare_string(embedder: MiniLMEmbedder) -> None:
    with pytest.raises(InvalidInputError):
        embedder.embed("not a list")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError):
        embedder.embed(["ok", 3])  # type: ignore[list-item]


def test_tampered_tokenizer_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "tokenizer.json"
    bad.write_bytes(TOKENIZER_FILE.read_bytes().replace(b'"python"', b'"pythn"', 1))
    emb = MiniLMEmbedder(tokenizer_path=bad)
    with pytest.raises(EmbeddingModelError, match="sha256") as info:
        emb.embed(["hello"])
    assert isinstance(info.value, JobfitError)
    assert not emb.loaded


def test_tampered_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.onnx"
    shutil.copyfile(default_model_path(), bad)
    with bad.open("r+b") as fh:  # flip one byte near the end (inside the weights)
        fh.seek(-1000, 2)
        byte = fh.read(1)
        fh.seek(-1000, 2)
        fh.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(EmbeddingModelError, match="sha256"):
        MiniLMEmbedder(model_path=bad).load()


def test_missing_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="missing"):
        MiniLMEmbedder(model_path=tmp_path / "nope.onnx").embed(["x"])
    with pytest.raises(EmbeddingModelError, match="missing"):
        MiniLMEmbedder(tokenizer_path=tmp_path / "nope.json").embed(["x"])
