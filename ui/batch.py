"""Parallel map for the batch CLI commands (rank, score-pairs) on multi-core machines.

Work is split across forked worker processes that inherit the parent's state (taxonomy,
parsed jobs, vectors) instead of receiving it pickled; only indices go in and small results
come back, in input order. Where fork is unavailable (macOS, Windows) or the batch is small,
it runs in-process. Results do not depend on the number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from tools.engine_warmup import warm_engine

T = TypeVar("T")
R = TypeVar("R")

_STATE: dict[str, Any] = {}


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _call(index: int) -> Any:
    return _STATE["fn"](_STATE["items"][index])


def fork_map(fn: Callable[[T], R], items: Sequence[T], *, workers: int,
             min_items: int = 64, meanwhile: Callable[[], object] | None = None) -> list[R]:
    """``[fn(x) for x in items]``, computed by up to ``workers`` forked processes.

    ``meanwhile`` runs in this process while the workers compute (work the next step needs,
    such as loading a model, that would otherwise leave the cores idle)."""
    can_fork = (sys.platform.startswith("linux")
                and "fork" in multiprocessing.get_all_start_methods())
    if workers <= 1 or len(items) < min_items or not can_fork:
        if meanwhile is not None:
            meanwhile()
        return [fn(x) for x in items]
    warm_engine()  # the workers inherit the engine's tables loaded, not load them each
    _STATE.update(fn=fn, items=items)
    gc.freeze()  # the children's collections then never walk (and copy) the inherited objects
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(workers, len(items))) as pool:
            chunk = max(1, len(items) // (workers * 8))
            pending = pool.map_async(_call, range(len(items)), chunksize=chunk)
            if meanwhile is not None:
                meanwhile()
            return pending.get()
    finally:
        _STATE.clear()
        gc.unfreeze()
