"""Parallel map for the batch CLI commands (rank, score-pairs) on multi-core machines.

Work is split across forked worker processes that inherit the parent's state (taxonomy,
parsed jobs, vectors) instead of receiving it pickled; only indices go in and small results
come back, in input order. Where fork is unavailable (macOS, Windows) or the batch is small,
it runs in-process. Results do not depend on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

_STATE: dict[str, Any] = {}


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 4))


def _call(index: int) -> Any:
    return _STATE["fn"](_STATE["items"][index])


def fork_map(fn: Callable[[T], R], items: Sequence[T], *, workers: int,
             min_items: int = 64) -> list[R]:
    """``[fn(x) for x in items]``, computed by up to ``workers`` forked processes."""
    can_fork = (sys.platform.startswith("linux")
                and "fork" in multiprocessing.get_all_start_methods())
    if workers <= 1 or len(items) < min_items or not can_fork:
        return [fn(x) for x in items]
    _STATE.update(fn=fn, items=items)
    try:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(min(workers, len(items))) as pool:
            chunk = max(1, len(items) // (workers * 8))
            return pool.map(_call, range(len(items)), chunksize=chunk)
    finally:
        _STATE.clear()
