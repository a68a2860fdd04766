"""Parsing in forked worker processes, and the chunk preparation they run.

The pool forks (as ``ui/batch.py``): workers inherit the loaded parser and taxonomy, run pure
parsing code and read-only lookups on their own database connections; they never write or
index. The entry points (:func:`init_worker`, :func:`prepare_in_worker`) are module-level
functions, so the pool pickles them by their import path.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import Counter
from datetime import date
from typing import TYPE_CHECKING, Any

from store.ingest.rows import NormalisedRow, parse_rows, premap_row
from store.ingest.stored import lookup_stored

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tools.ports import Embedder

#: What forked parsing workers inherit (set just before the pool forks them).
_FORK_STATE: dict[str, Any] = {}


def default_workers() -> int:
    """Parsing processes for a large import: one per CPU, at most 4."""
    return max(1, min(os.cpu_count() or 1, 4))


def can_fork() -> bool:
    """Whether this platform can fork parsing workers (Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _fork_safe(embedder: Embedder) -> bool:
    """Whether forked workers may embed too: the static embedder is a numpy table lookup
    (its tokenizer runs single-threaded once ``TOKENIZERS_PARALLELISM=false``); a model with
    its own thread pools (onnxruntime) stays in the main process."""
    from store.static_embeddings import StaticEmbedder

    return isinstance(embedder, StaticEmbedder)


def make_pool(n_workers: int, engine: Engine, embedder: Embedder) -> Any:
    """A fork pool of ``n_workers`` parsing processes (close it with :func:`close_pool`)."""
    # forkserver / spawn would re-run an unguarded calling script in each worker.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _FORK_STATE["engine"] = engine
    _FORK_STATE["embedder"] = embedder if _fork_safe(embedder) else None
    return multiprocessing.get_context("fork").Pool(n_workers, initializer=init_worker)


def close_pool(pool: Any) -> None:
    """Stop the workers and forget what they inherited."""
    pool.terminate()
    pool.join()
    _FORK_STATE.clear()


def init_worker() -> None:
    """Worker start: connections inherited from the parent must not be used here
    (SQLAlchemy's fork recipe)."""
    _FORK_STATE["engine"].dispose(close=False)


def prepare_in_worker(chunk: list[tuple[int, Any]], default_source: str,
                      today: date) -> list[NormalisedRow]:
    """A worker's task: :func:`prepare_chunk`, then embed the parsed rows when the embedder
    may run in a forked process."""
    out = prepare_chunk(chunk, default_source, today, _FORK_STATE["engine"])
    embedder = _FORK_STATE.get("embedder")
    if embedder is not None:
        todo = [item for item in out if item.upsert is not None]
        if todo:
            vectors = embedder.embed([item.embed_text for item in todo])
            for item, vector in zip(todo, vectors, strict=True):
                item.vector = vector
    return out


def prepare_chunk(chunk: list[tuple[int, Any]], default_source: str, today: date,
                  engine: Engine) -> list[NormalisedRow]:
    """Map and hash every row; parse those the database does not already hold unchanged.

    A row is skipped (not parsed) when the database has its key with the same content hash
    and the key appears once in the chunk; the main process re-checks skipped rows when it
    stores the chunk (an earlier chunk may have changed that job since) and parses any that
    are no longer unchanged.
    """
    pres = [premap_row(n, raw, default_source) for n, raw in chunk]
    keys = [p.key for p in pres if p.error is None]
    stored = lookup_stored(engine, keys)
    repeats = Counter(keys)
    out: list[NormalisedRow] = []
    to_parse: list[int] = []
    for pre in pres:
        if pre.error is not None:
            out.append(NormalisedRow(pre, error=pre.error))
            continue
        old = stored.get(pre.key)
        if old is not None and old.content_hash == pre.content_hash and repeats[pre.key] == 1:
            out.append(NormalisedRow(pre, skipped=True))
        else:
            to_parse.append(len(out))
            out.append(NormalisedRow(pre))
    for i, item in zip(to_parse, parse_rows([out[i].pre for i in to_parse], today),
                       strict=True):
        out[i] = item
    return out

