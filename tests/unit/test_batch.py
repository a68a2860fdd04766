"""The batch commands' parallel map (ui/batch.py)."""

from __future__ import annotations

import gc
import os

import pytest

from tools.engine_warmup import warm_engine
from ui.batch import fork_map


def _square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_back_in_input_order_whatever_the_workers(workers: int) -> None:
    out = fork_map(_square_and_pid, list(range(40)), workers=workers, min_items=4)
    assert [v for v, _ in out] == [x * x for x in range(40)]
    pids = {pid for _, pid in out}
    assert (pids == {os.getpid()}) == (workers == 1)


@pytest.mark.parametrize("workers", [1, 2])
def test_meanwhile_runs_once_in_this_process(workers: int) -> None:
    seen: list[int] = []
    out = fork_map(_square_and_pid, list(range(10)), workers=workers, min_items=2,
                   meanwhile=lambda: seen.append(os.getpid()))
    assert seen == [os.getpid()]
    assert [v for v, _ in out] == [x * x for x in range(10)]


def test_workers_inherit_a_warm_engine_and_the_parent_collects_normally() -> None:
    warm_engine.cache_clear()
    fork_map(_square_and_pid, list(range(8)), workers=2, min_items=2)
    assert warm_engine.cache_info().currsize == 1  # warmed in the parent, before the fork
    assert gc.get_freeze_count() == 0  # frozen for the fork only


def test_an_error_in_a_worker_reaches_the_caller() -> None:
    def boom(x: int) -> int:
        if x == 5:
            raise ValueError("bad item 5")
        return x

    with pytest.raises(ValueError, match="bad item 5"):
        fork_map(boom, list(range(10)), workers=2, min_items=2)
    assert gc.get_freeze_count() == 0
