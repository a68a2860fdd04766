"""The job vector index on Chroma: implements :class:`tools.search.JobIndex`.

- Embedded by default (``chromadb.PersistentClient`` under ``<data_dir>/chroma``), or a Chroma
  server through :meth:`ChromaJobIndex.http`. Telemetry is always off.
- One collection per embedder: ``jobs__<embedder name>`` (with ``-<dim>`` appended unless the
  name already ends with it), cosine space. Vectors from another embedder never mix in.
- Chroma never embeds anything. Vectors are always passed (``embeddings=`` /
  ``query_embeddings=``), and the collection is created with :class:`PrecomputedEmbeddings`, a
  registered embedding function that only names the jobfit embedder and raises if called. Its
  name is what Chroma persists, so a reopened collection rebuilds *that* (not the stock
  ONNX MiniLM, which would try to download its model), even when the caller passes nothing.
- Metadata (see :func:`tools.search.job_metadata`) plus ``content_hash``; the filters of
  :class:`tools.search.JobFilters` become a Chroma ``where`` with exactly the semantics of
  :func:`tools.search.matches_filters` (tested against it).

HNSW parameters (``HNSW``): see :class:`HnswParams` for the measured trade-off.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import chromadb
import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.config import Settings
from chromadb.utils.embedding_functions import register_embedding_function

from tools.errors import InvalidInputError, JobfitError
from tools.search import IndexedJob, JobFilters, day_number, filter_predicate

logger = logging.getLogger(__name__)

#: Metadata key holding the job's content hash (not a filter field).
HASH_KEY = "content_hash"
#: Records per page when reading the whole collection back (``hashes``).
PAGE_SIZE = 5000
#: Most records per add/upsert/delete call (Chroma's own limit may be lower; both apply).
MAX_WRITE_BATCH = 5000


class VectorIndexError(JobfitError):
    """The vector index is unreachable, or holds vectors of another shape."""


@dataclass(frozen=True)
class HnswParams:
    """HNSW settings of a new collection.

    Measured by ``python -m tests.bench.bench_vectors --grid`` on 10,000 clustered 256-d
    vectors (2 vCPU, shared, noisy), recall against exact cosine search, 100 queries:

    ==========================  ==========  ===========  ==========
    M / ef_construction / ef    recall@50   recall@200   add/s
    ==========================  ==========  ===========  ==========
    16 / 100 / 100 (Chroma's)   0.999       0.87-0.96    ~1,000
    16 / 200 / 400              1.000       0.959        ~1,100
    32 / 200 / 400 (ours)       1.000       0.994        ~450-850
    32 / 400 / 400              1.000       0.994        ~470
    ==========================  ==========  ===========  ==========

    M (``max_neighbors``) is what buys recall at k = 200; ef_construction beyond 200 only
    slows building. ``ef_search`` must exceed k (hnswlib searches with max(ef, k)); 400 keeps
    top-200 queries at ~5 ms at 10k. In Chroma 1.5 a changed ``ef_search`` did not reach an
    index already loaded in the process, so it is set at creation.
    """

    space: Space = "cosine"
    max_neighbors: int = 32
    ef_construction: int = 200
    ef_search: int = 400
    #: Vectors kept in Chroma's brute-force buffer before they go into the graph.
    batch_size: int = 1000
    #: Vectors added between two writes of the graph to disk.
    sync_threshold: int = 5000

    def configuration(self) -> dict[str, Any]:
        return {"hnsw": asdict(self)}


HNSW = HnswParams()


@register_embedding_function
class PrecomputedEmbeddings(EmbeddingFunction[Documents]):
    """Names the jobfit embedder a collection's vectors come from; never embeds.

    Registered under :meth:`name` so that Chroma, which persists the embedding function's name
    and config with the collection, rebuilds this class when the collection is reopened.
    Calling it raises: jobfit always passes vectors.
    """

    def __init__(self, embedder: str = "unknown", dim: int = 0) -> None:
        self.embedder = embedder
        self.dim = int(dim)

    def __call__(self, input: Documents) -> Embeddings:
        raise VectorIndexError(
            f"The job index stores vectors from {self.embedder!r}; it does not embed text"
        )

    @staticmethod
    def name() -> str:
        return "jobfit-precomputed"

    def get_config(self) -> dict[str, Any]:
        return {"embedder": self.embedder, "dim": self.dim}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> PrecomputedEmbeddings:
        return PrecomputedEmbeddings(str(config.get("embedder", "unknown")),
                                     int(config.get("dim", 0)))

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]


def collection_name(embedder: str, dim: int, prefix: str = "jobs") -> str:
    """``jobs__<embedder>`` (+ ``-<dim>`` unless the name ends with it), Chroma-safe."""
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", embedder).strip("-._") or "embedder"
    if not slug.endswith(f"-{dim}"):
        slug = f"{slug}-{dim}"
    return f"{prefix}__{slug}"[:512]


def chroma_settings() -> Settings:
    return Settings(anonymized_telemetry=False, allow_reset=False)


def _broad(filters: JobFilters | None) -> bool:
    """Whether ``filters`` only restrict status and companies (expected to keep most jobs)."""
    return filters is not None and not (
        filters.remote_only or filters.min_salary is not None
        or filters.posted_within_days is not None or filters.location is not None
    )


def _ordered(pairs: list[tuple[str, float]]) -> list[tuple[str, float]]:
    """Best first; equal similarities by id, so results do not depend on HNSW visit order."""
    return sorted(pairs, key=lambda p: (-p[1], p[0]))


def filters_to_where(filters: JobFilters | None, now: date | None = None) -> dict[str, Any] | None:
    """A Chroma ``where`` clause for ``filters`` (None when nothing is filtered).

    Same semantics as :func:`tools.search.matches_filters`: a missing metadata field fails
    ``$eq``/``$gte`` (so unknown salary, date or location never pass), and passes ``$nin``
    (a job with no company is not an excluded company).
    """
    if filters is None:
        return None
    clauses: list[dict[str, Any]] = []
    if filters.status is not None:
        clauses.append({"status": {"$eq": filters.status}})
    if filters.remote_only:
        clauses.append({"work_mode": {"$eq": "remote"}})
    if filters.min_salary is not None:
        clauses.append({"salary_max": {"$gte": float(filters.min_salary)}})
    if filters.posted_within_days is not None:
        since = day_number(now or date.today()) - filters.posted_within_days
        clauses.append({"posted": {"$gte": since}})
    excluded = filters.excluded_companies()
    if excluded:
        clauses.append({"company": {"$nin": excluded}})
    terms = filters.location_terms()
    if terms is not None:
        if "any" in terms:
            text = terms["any"]
            clauses.append({"$or": [{key: {"$eq": text}} for key in ("city", "region", "country")]})
        else:
            clauses.extend({key: {"$eq": value}} for key, value in terms.items())
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class ChromaJobIndex:
    """Job vectors in a Chroma collection (implements :class:`tools.search.JobIndex`).

    Args:
        client: a Chroma client (see :meth:`persistent` and :meth:`http`).
        embedder_name: the :class:`tools.ports.Embedder` name the vectors come from.
        dim: their dimension; vectors of another length are refused.
        hnsw: HNSW settings for a new collection (an existing one keeps its own).
        prefix: collection-name prefix (tests use their own).
        overfetch: how many neighbours per result an unfiltered search fetches before
            post-filtering (see :meth:`query`).
    """

    def __init__(
        self,
        client: ClientAPI,
        *,
        embedder_name: str,
        dim: int,
        hnsw: HnswParams = HNSW,
        prefix: str = "jobs",
        overfetch: float = 2.0,
    ) -> None:
        if dim < 1:
            raise ValueError("dim must be >= 1")
        self.client = client
        self.embedder_name = embedder_name
        self.dim = int(dim)
        self.hnsw = hnsw
        self.overfetch = max(1.0, float(overfetch))
        self.name = collection_name(embedder_name, self.dim, prefix)
        self._ef = PrecomputedEmbeddings(embedder_name, self.dim)
        self._collection: Collection | None = None
        self._max_batch: int | None = None

    # -- construction ----------------------------------------------------------------

    @classmethod
    def persistent(
        cls, data_dir: str | Path, *, embedder_name: str, dim: int, **kwargs: Any
    ) -> ChromaJobIndex:
        """An embedded index stored under ``<data_dir>/chroma``."""
        path = Path(data_dir) / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=chroma_settings())
        return cls(client, embedder_name=embedder_name, dim=dim, **kwargs)

    @classmethod
    def http(
        cls, host: str, port: int, *, embedder_name: str, dim: int, ssl: bool = False,
        **kwargs: Any,
    ) -> ChromaJobIndex:
        """An index on a Chroma server (``chroma run``)."""
        try:
            client = chromadb.HttpClient(host=host, port=int(port), ssl=ssl,
                                         settings=chroma_settings())
        except Exception as exc:  # connection refused, bad host: chromadb raises various
            raise VectorIndexError(f"Cannot reach the Chroma server at {host}:{port}") from exc
        return cls(client, embedder_name=embedder_name, dim=dim, **kwargs)

    @property
    def collection(self) -> Collection:
        """The collection, created on first use (reopened with our embedding function).

        Not cached across :meth:`clear`. Settings of an existing collection are kept.
        """
        if self._collection is None:
            col = self.client.get_or_create_collection(
                self.name,
                configuration=cast(Any, self.hnsw.configuration()),
                metadata={"embedder": self.embedder_name, "dim": self.dim},
                embedding_function=cast(Any, self._ef),
            )
            hnsw = (col.configuration_json or {}).get("hnsw") or {}
            if hnsw.get("space", "cosine") != "cosine":
                raise VectorIndexError(f"Collection {self.name} is not in cosine space")
            self._collection = col
        return self._collection

    @property
    def max_batch(self) -> int:
        if self._max_batch is None:
            self._max_batch = max(1, min(MAX_WRITE_BATCH, self.client.get_max_batch_size()))
        return self._max_batch

    # -- JobIndex --------------------------------------------------------------------

    def upsert(self, jobs: Sequence[IndexedJob]) -> None:
        """Insert or replace jobs, in batches; the last entry wins for a repeated id."""
        if not jobs:
            return
        latest = {job.id: job for job in jobs}
        items = list(latest.values())
        for start in range(0, len(items), self.max_batch):
            chunk = items[start:start + self.max_batch]
            vectors = self._matrix([job.vector for job in chunk])
            metadatas = [{**job.metadata, HASH_KEY: job.content_hash} for job in chunk]
            self.collection.upsert(
                ids=[job.id for job in chunk],
                embeddings=vectors,
                metadatas=cast(Any, metadatas),
            )

    def delete(self, ids: Sequence[str]) -> None:
        ids = list(dict.fromkeys(str(i) for i in ids))
        for start in range(0, len(ids), self.max_batch):
            self.collection.delete(ids=ids[start:start + self.max_batch])

    def query(
        self,
        vector: Any,
        k: int,
        filters: JobFilters | None = None,
        now: date | None = None,
    ) -> list[tuple[str, float]]:
        """The ``k`` nearest jobs passing ``filters``: ``(id, cosine)``, best first.

        Chroma's filtered search (``where``) is slow even when most jobs pass, as with the
        default ``status == ACTIVE`` (see the benchmark). So when the filters only restrict
        status and companies (which keep most jobs: expired ones leave the index), the query
        first runs an unfiltered search for ``overfetch * k`` neighbours and post-filters them
        in Python with the predicate of :func:`tools.search.matches_filters`. If at least
        ``k`` pass, they are the answer (the first ``k`` passing jobs in similarity order are
        the filtered top ``k``); otherwise, and for every other filter (remote, salary, date,
        location: often selective, where the wasted over-fetch measured slower), Chroma's
        filtered search answers.

        Exact search over the matching subset (``collection.get(where=..., include=
        ["embeddings"])`` then numpy) was measured slower than Chroma's filtered search:
        reading records by metadata is the expensive part in embedded Chroma, so it is not used.
        """
        if k <= 0:
            return []
        query = self._matrix([vector])
        where = filters_to_where(filters, now)
        if where is None:
            return self._search(query, k, None)
        if not _broad(filters):
            return self._search(query, k, where)
        fetch = max(k + 20, int(k * self.overfetch))
        result = self.collection.query(
            query_embeddings=query, n_results=fetch,
            include=cast(Any, ["distances", "metadatas"]),
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        metadatas = (result.get("metadatas") or [[]])[0]
        passes = filter_predicate(filters, now)
        passing = [
            (job_id, 1.0 - float(d))
            for job_id, d, md in zip(ids, distances, metadatas, strict=True)
            if passes(md or {})
        ]
        if len(passing) >= k or len(ids) < fetch:  # enough, or the whole collection seen
            return _ordered(passing)[:k]
        return self._search(query, k, where)

    def _search(
        self, query: np.ndarray, k: int, where: dict[str, Any] | None
    ) -> list[tuple[str, float]]:
        result = self.collection.query(
            query_embeddings=query, n_results=int(k), where=where,
            include=cast(Any, ["distances"]),
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[]])[0]
        return _ordered([(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)])

    def hashes(self) -> dict[str, str]:
        out: dict[str, str] = {}
        offset = 0
        while True:
            page = self.collection.get(
                include=cast(Any, ["metadatas"]), limit=PAGE_SIZE, offset=offset
            )
            ids = page["ids"]
            for job_id, md in zip(ids, page.get("metadatas") or [], strict=True):
                out[job_id] = str((md or {}).get(HASH_KEY, ""))
            if len(ids) < PAGE_SIZE:
                return out
            offset += len(ids)

    def count(self) -> int:
        return int(self.collection.count())

    # -- maintenance -----------------------------------------------------------------

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``ids`` (unknown ids are left out)."""
        out: dict[str, np.ndarray] = {}
        ids = list(ids)
        for start in range(0, len(ids), PAGE_SIZE):
            page = self.collection.get(
                ids=ids[start:start + PAGE_SIZE], include=cast(Any, ["embeddings"])
            )
            embeddings = page.get("embeddings")
            if embeddings is None:
                continue
            for job_id, vec in zip(page["ids"], embeddings, strict=True):
                out[job_id] = np.asarray(vec, dtype=np.float32)
        return out

    def clear(self) -> None:
        """Drop every vector (``index rebuild``): the collection is deleted and recreated."""
        try:
            self.client.delete_collection(self.name)
        except Exception:  # chromadb raises NotFoundError variants when absent
            logger.debug("collection %s absent on clear", self.name)
        self._collection = None

    def _matrix(self, vectors: Sequence[Any]) -> np.ndarray:
        try:
            matrix = np.asarray(
                [np.asarray(v, dtype=np.float32).reshape(-1) for v in vectors], dtype=np.float32
            )
        except (TypeError, ValueError) as exc:
            raise InvalidInputError("Job vectors must be equal-length lists of numbers") from exc
        if matrix.ndim != 2 or matrix.shape[1] != self.dim:
            got = matrix.shape[1] if matrix.ndim == 2 else matrix.shape
            raise InvalidInputError(
                f"Vectors for {self.name} must have {self.dim} dimensions (got {got})"
            )
        if not np.isfinite(matrix).all():
            raise InvalidInputError("Job vectors must be finite")
        return matrix
