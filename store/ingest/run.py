"""The state of one import run, shared by the pipeline and the chunk writer."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

from store.ingest.results import ImportSummary

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from store.repo import JobUpsert
    from tools.ports import Embedder
    from tools.search import JobIndex


class JobWriter(Protocol):
    """What the import needs of the job repository (``store.repo.JobRepo``)."""

    def upsert_many(self, rows: list[JobUpsert]) -> list[str]: ...
    def get_many(self, ids: list[int]) -> list[Any]: ...
    def find_near_duplicate(self, company: str | None, title: str | None,
                            location: str | None, posted: date | None,
                            exclude_source: str | None) -> Any: ...


@dataclass
class Timings:
    """Seconds per stage (main process), for the benchmark."""

    read: float = 0.0  # reading, mapping, hashing
    parse: float = 0.0  # parsing in this process
    wait: float = 0.0  # waiting for parsing workers
    db: float = 0.0
    embed: float = 0.0
    index: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.__dict__.items()}


@dataclass
class ImportRun:
    """One import in progress: where it writes, what the index holds, the running summary."""

    engine: Engine
    repo: JobWriter
    index: JobIndex
    embedder: Embedder
    default_source: str
    today: date
    summary: ImportSummary
    indexed: dict[str, str] = field(default_factory=dict)
    timings: Timings = field(default_factory=Timings)
    #: Chunks submitted, oldest first: an AsyncResult (worker) or the raw rows (here).
    pending: deque[Any] = field(default_factory=deque)
    pool: Any = None
    done: int = 0
    owner_id: str | None = None  # a private import's owner (None: the shared store)
    actor: str = "operator"
