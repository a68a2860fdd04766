"""The Chroma job index against real Chroma: embedded (PersistentClient) and a `chroma run`
server started by the fixture on 127.0.0.1. No mocks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from store.static_embeddings import StaticEmbedder
from store.vectors import ChromaJobIndex, PrecomputedEmbeddings, filters_to_where
from tools.errors import InvalidInputError
from tools.search import IndexedJob, JobFilters, day_number, matches_filters

NOW = date(2025, 6, 1)
DIM = 256
CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Backend:
    kind: str
    path: Path
    host: str | None = None
    port: int | None = None

    def index(self, **kwargs: Any) -> ChromaJobIndex:
        kwargs.setdefault("embedder_name", "test-embedder")
        kwargs.setdefault("dim", DIM)
        if self.kind == "http":
            assert self.host is not None and self.port is not None
            return ChromaJobIndex.http(self.host, self.port, **kwargs)
        return ChromaJobIndex.persistent(self.path, **kwargs)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """A real Chroma server: `chroma run` on 127.0.0.1, a free port, a temporary path."""
    if not CHROMA.exists():
        # chromadb is a declared dependency and installs the `chroma` script: a missing CLI is
        # a broken install, not a reason to skip the server tests.
        pytest.fail(f"the chroma CLI is not installed next to {sys.executable}")
    path = tmp_path_factory.mktemp("chroma-server")
    port = _free_port()
    log = (path / "server.log").open("wb")
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    proc = subprocess.Popen(
        [str(CHROMA), "run", "--path", str(path / "db"), "--host", "127.0.0.1",
         "--port", str(port)],
        stdout=log, stderr=subprocess.STDOUT, env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited with {proc.returncode}: "
                            f"{(path / 'server.log').read_text()[-2000:]}")
            try:
                url = f"http://127.0.0.1:{port}/api/v2/heartbeat"
                with urllib.request.urlopen(url, timeout=1) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer its heartbeat within 30 s")
            time.sleep(0.1)
        yield "127.0.0.1", port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


@pytest.fixture(params=["embedded", "http"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "http":
        host, port = request.getfixturevalue("chroma_server")
        # one server for the module: a distinct collection per test keeps tests apart
        return Backend("http", tmp_path, host, port)
    return Backend("embedded", tmp_path)


@pytest.fixture
def index(backend: Backend, request: pytest.FixtureRequest) -> Iterator[ChromaJobIndex]:
    prefix = "t" + str(abs(hash(request.node.nodeid)) % 10**10)
    idx = backend.index(prefix=prefix)
    yield idx
    idx.clear()


def _unit(rng: np.random.Generator, n: int) -> np.ndarray:
    x = rng.standard_normal((n, DIM)).astype(np.float32)
    return x / np.linalg.norm(x, axis=1, keepdims=True)


def _jobs(vectors: np.ndarray, metadata: list[dict[str, Any]] | None = None) -> list[IndexedJob]:
    return [
        IndexedJob(id=f"job-{i}", vector=v, content_hash=f"hash-{i}",
                   metadata=(metadata[i] if metadata else {"status": "ACTIVE"}))
        for i, v in enumerate(vectors)
    ]


def _exact(vectors: np.ndarray, q: np.ndarray, k: int, allowed: np.ndarray | None = None
           ) -> list[str]:
    sims = vectors @ q
    order = sorted(range(len(sims)), key=lambda i: (-sims[i], f"job-{i}"))
    if allowed is not None:
        order = [i for i in order if allowed[i]]
    return [f"job-{i}" for i in order[:k]]


# --------------------------------------------------------------------------- basics


def test_query_order_matches_exact_cosine(index: ChromaJobIndex) -> None:
    rng = np.random.default_rng(1)
    vectors = _unit(rng, 300)
    index.upsert(_jobs(vectors))
    assert index.count() == 300
    for q in _unit(rng, 5):
        got = index.query(q, 20)
        assert [i for i, _ in got] == _exact(vectors, q, 20)
        sims = {f"job-{i}": float(s) for i, s in enumerate(vectors @ q)}
        for job_id, sim in got:
            assert sim == pytest.approx(sims[job_id], abs=1e-4)


def test_ranking_of_real_texts_with_the_static_embedder(index: ChromaJobIndex) -> None:
    emb = StaticEmbedder()
    texts = {
        "backend": "Senior Backend Engineer\nPython, Django, PostgreSQL, Docker\n"
                   "Build and operate REST APIs for our logistics platform.",
        "nurse": "Registered Nurse\nPatient care, Medication administration\n"
                 "Care for patients on a busy surgical ward, night shifts.",
        "accountant": "Management Accountant\nExcel, IFRS, Budgeting\n"
                      "Prepare monthly management accounts and forecasts.",
        "frontend": "Frontend Developer\nReact, TypeScript, CSS\n"
                    "Build accessible web interfaces for our booking product.",
    }
    vecs = emb.embed(list(texts.values()))
    index.upsert([IndexedJob(id=k, vector=v, content_hash=k, metadata={"status": "ACTIVE"})
                  for k, v in zip(texts, vecs, strict=True)])
    query = emb.embed(["Python developer with Django and PostgreSQL experience, REST APIs"])[0]
    got = index.query(query, 4)
    assert got[0][0] == "backend"
    exact = sorted(texts, key=lambda k: -float(vecs[list(texts).index(k)] @ query))
    assert [i for i, _ in got] == exact
    nurse_q = emb.embed(["ward nurse, patient care and medication rounds"])[0]
    assert index.query(nurse_q, 1)[0][0] == "nurse"


def test_upsert_is_idempotent_and_replaces(index: ChromaJobIndex) -> None:
    rng = np.random.default_rng(2)
    vectors = _unit(rng, 50)
    jobs = _jobs(vectors)
    index.upsert(jobs)
    index.upsert(jobs)
    assert index.count() == 50
    assert index.hashes() == {f"job-{i}": f"hash-{i}" for i in range(50)}
    # a changed job: new vector and hash under the same id
    new = IndexedJob(id="job-3", vector=-vectors[3], content_hash="hash-3b",
                     metadata={"status": "ACTIVE"})
    index.upsert([new])
    assert index.count() == 50
    assert index.hashes()["job-3"] == "hash-3b"
    assert index.query(-vectors[3], 1)[0][0] == "job-3"
    assert index.query(vectors[3], 50)[-1][0] == "job-3"


def test_batches_larger_than_one_write(backend: Backend) -> None:
    idx = backend.index(prefix="batches")
    idx._max_batch = 64  # force several write batches
    try:
        rng = np.random.default_rng(3)
        vectors = _unit(rng, 300)
        idx.upsert(_jobs(vectors))
        assert idx.count() == 300
        assert len(idx.hashes()) == 300
        idx.delete([f"job-{i}" for i in range(0, 300, 2)])
        assert idx.count() == 150
    finally:
        idx.clear()


def test_delete(index: ChromaJobIndex) -> None:
    rng = np.random.default_rng(4)
    vectors = _unit(rng, 30)
    index.upsert(_jobs(vectors))
    index.delete(["job-0", "job-1", "no-such-job"])
    index.delete([])
    assert index.count() == 28
    assert "job-0" not in index.hashes()
    assert all(i not in {"job-0", "job-1"} for i, _ in index.query(vectors[0], 30))


def test_empty_index_and_bad_vectors(index: ChromaJobIndex) -> None:
    assert index.count() == 0
    assert index.hashes() == {}
    assert index.query(np.ones(DIM), 5) == []
    assert index.query(np.ones(DIM), 0) == []
    assert index.query(np.ones(DIM), 5, JobFilters(remote_only=True)) == []
    with pytest.raises(InvalidInputError):
        index.query(np.ones(DIM + 1), 5)
    with pytest.raises(InvalidInputError):
        index.upsert([IndexedJob(id="x", vector=[1.0, 2.0], content_hash="h")])
    with pytest.raises(InvalidInputError):
        index.upsert([IndexedJob(id="x", vector=[float("nan")] * DIM, content_hash="h")])


def test_hashes_page_through_everything(index: ChromaJobIndex,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import store.vectors

    monkeypatch.setattr(store.vectors, "PAGE_SIZE", 7)
    rng = np.random.default_rng(5)
    index.upsert(_jobs(_unit(rng, 40)))
    assert index.hashes() == {f"job-{i}": f"hash-{i}" for i in range(40)}


# --------------------------------------------------------------------------- filters


def _metadata(rng: np.random.Generator, n: int) -> list[dict[str, Any]]:
    out = []
    for i in range(n):
        md: dict[str, Any] = {
            "status": "ACTIVE" if i % 7 else "EXPIRED",
            "posted": day_number(NOW) - int(rng.integers(0, 40)),
        }
        if i % 3 == 0:
            md["work_mode"] = "remote"
        elif i % 3 == 1:
            md["work_mode"] = "onsite"
        if i % 4:
            md["salary_max"] = float(rng.integers(40, 200) * 1000)
        if i % 5:
            md["company"] = ["acme", "globex", "initech"][i % 3]
        city = [("berlin", "be", "de"), ("london", "eng", "gb"), (None, "ca", "us"),
                (None, None, None)][i % 4]
        for key, value in zip(("city", "region", "country"), city, strict=True):
            if value:
                md[key] = value
        out.append(md)
    return out


FILTERS = [
    JobFilters(),
    JobFilters(status=None),
    JobFilters(remote_only=True),
    JobFilters(min_salary=120_000),
    JobFilters(posted_within_days=10),
    JobFilters(exclude_companies=["ACME ", "Globex"]),
    JobFilters(location="Berlin"),
    JobFilters(location="Germany"),
    JobFilters(location="California"),
    JobFilters(location="Atlantis"),
    JobFilters(status="EXPIRED"),
    JobFilters(remote_only=True, min_salary=90_000, posted_within_days=30,
               exclude_companies=["initech"], location="United Kingdom"),
]


@pytest.mark.parametrize("filters", FILTERS,
                         ids=lambda f: repr(f.model_dump(exclude_defaults=True)))
def test_filters_match_the_reference_semantics(index: ChromaJobIndex, filters: JobFilters
                                               ) -> None:
    rng = np.random.default_rng(6)
    vectors = _unit(rng, 240)
    mds = _metadata(rng, 240)
    index.upsert(_jobs(vectors, mds))
    allowed = np.array([matches_filters(md, filters, NOW) for md in mds])
    # Chroma's own where clause selects exactly the reference set
    where = filters_to_where(filters, NOW)
    if where is not None:
        got = set(index.collection.get(where=where, include=[])["ids"])
        assert got == {f"job-{i}" for i in np.flatnonzero(allowed)}
    for q in _unit(rng, 3):
        for k in (5, 60):
            expected = _exact(vectors, q, k, allowed)
            assert [i for i, _ in index.query(q, k, filters, now=NOW)] == expected


def test_every_query_path_gives_the_exact_filtered_answer(backend: Backend) -> None:
    """Post-filtered over-fetch, and Chroma's filtered search when too few pass."""
    rng = np.random.default_rng(7)
    vectors = _unit(rng, 400)
    mds = _metadata(rng, 400)
    q = _unit(rng, 1)[0]
    selective = JobFilters(remote_only=True, min_salary=150_000)  # Chroma's where
    broad = JobFilters(exclude_companies=["acme", "globex", "initech"])  # post-filtered
    for filters in (selective, broad):
        allowed = np.array([matches_filters(md, filters, NOW) for md in mds])
        assert 0 < allowed.sum() < 100
        expected = _exact(vectors, q, 10, allowed)
        # default over-fetch: too few of the 2k neighbours pass a broad-but-strict filter
        # here, so it falls back to Chroma's where; a huge over-fetch answers directly
        for name, kwargs in {"default": {}, "overfetch": {"overfetch": 1000.0}}.items():
            idx = backend.index(prefix=f"paths-{name}", **kwargs)
            try:
                idx.upsert(_jobs(vectors, mds))
                got = [i for i, _ in idx.query(q, 10, filters, now=NOW)]
                assert got == expected, name
            finally:
                idx.clear()


def test_posted_within_uses_now(index: ChromaJobIndex) -> None:
    v = _unit(np.random.default_rng(8), 2)
    index.upsert([
        IndexedJob(id="old", vector=v[0], content_hash="a",
                   metadata={"status": "ACTIVE", "posted": day_number(NOW - timedelta(20))}),
        IndexedJob(id="new", vector=v[1], content_hash="b",
                   metadata={"status": "ACTIVE", "posted": day_number(NOW - timedelta(2))}),
    ])
    f = JobFilters(posted_within_days=7)
    assert [i for i, _ in index.query(v[0], 5, f, now=NOW)] == ["new"]
    assert {i for i, _ in index.query(v[0], 5, f, now=NOW + timedelta(30))} == set()
    assert {i for i, _ in index.query(v[0], 5, f, now=NOW - timedelta(15))} == {"old", "new"}


# --------------------------------------------------------------------------- reopening


def _no_network(monkeypatch: pytest.MonkeyPatch, allow_port: int | None) -> None:
    """Refuse every outbound connection except to the local Chroma server."""
    real = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] in ("127.0.0.1", "localhost", "::1") \
                and allow_port is not None and address[1] == allow_port:
            return real(self, address)
        raise AssertionError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", guarded)


def test_reopened_collection_never_uses_the_stock_embedding_function(
    backend: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = np.random.default_rng(9)
    vectors = _unit(rng, 60)
    first = backend.index(prefix="reopen")
    try:
        first.upsert(_jobs(vectors))
        _no_network(monkeypatch, backend.port)
        import chromadb.utils.embedding_functions.onnx_mini_lm_l6_v2 as onnx

        def refuse(*args: Any, **kwargs: Any) -> Any:
            raise AssertionError("Chroma's default embedding function was used")

        monkeypatch.setattr(onnx.ONNXMiniLM_L6_V2, "__call__", refuse)
        monkeypatch.setattr(onnx.ONNXMiniLM_L6_V2, "_download_model_if_not_exists", refuse)

        second = backend.index(prefix="reopen")  # a new client on the same store
        assert second.client is not first.client
        assert second.count() == 60
        got = second.query(vectors[5], 3)
        assert got[0][0] == "job-5"
        # what Chroma persisted: our embedding function's name and config, cosine space
        config = second.collection.configuration_json
        assert config["embedding_function"]["name"] == "jobfit-precomputed"
        assert config["embedding_function"]["config"] == {"embedder": "test-embedder",
                                                          "dim": DIM}
        assert config["hnsw"]["space"] == "cosine"
        assert isinstance(second.collection.configuration["embedding_function"],
                          PrecomputedEmbeddings)
        # even a collection fetched with no embedding function never embeds on its own
        raw = second.client.get_collection(second.name)
        with pytest.raises(Exception, match="does not embed"):
            raw.query(query_texts=["python developer"], n_results=1)
    finally:
        first.clear()


def test_one_collection_per_embedder(backend: Backend) -> None:
    a = backend.index(prefix="emb", embedder_name="jobfit-static-minilm-256")
    b = backend.index(prefix="emb", embedder_name="jobfit-minilm-l6-v2", dim=384)
    try:
        assert a.name == "emb__jobfit-static-minilm-256"
        assert b.name == "emb__jobfit-minilm-l6-v2-384"
        a.upsert(_jobs(_unit(np.random.default_rng(10), 3)))
        assert a.count() == 3 and b.count() == 0
    finally:
        a.clear()
        b.clear()


def test_nothing_reaches_stdout(backend: Backend, capfd: pytest.CaptureFixture[str]) -> None:
    idx = backend.index(prefix="quiet")
    try:
        idx.upsert(_jobs(_unit(np.random.default_rng(11), 5)))
        idx.query(np.ones(DIM), 2, JobFilters(remote_only=True))
        idx.hashes()
    finally:
        idx.clear()
    assert capfd.readouterr().out == ""


def test_a_second_http_client_sees_the_data(chroma_server: tuple[str, int]) -> None:
    host, port = chroma_server
    idx = ChromaJobIndex.http(host, port, embedder_name="survive", dim=DIM)
    try:
        idx.upsert(_jobs(_unit(np.random.default_rng(12), 4)))
        again = ChromaJobIndex.http(host, port, embedder_name="survive", dim=DIM)
        assert again.hashes() == {f"job-{i}": f"hash-{i}" for i in range(4)}
    finally:
        idx.clear()
