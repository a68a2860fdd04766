"""CPU-bound chat work in worker processes, so one web server uses every core.

The web server is one Python process: its event loop, Chainlit's persistence and every
tool call share one interpreter lock, so under load it is busy on one core while the other
idles (``tests/bench/bench_load.py``). :class:`PooledService` wraps the process's
:class:`~agent.service.JobfitService` and runs the heavy calls — reading a CV
(:data:`OFFLOADED`: parsing), matching it against the index and scoring one job — in a pool of
worker processes, each with its own service built from the same settings at boot (its own
database connections, matching indexes, embedder and occupation model: roughly 150-250 MB
each). Everything else goes to the wrapped service unchanged, in this process.

Results are the same: the same code on the same database; each process memoises CVs and
analyses by CV id and content hash. What one process's memos cannot see is told to the
workers through two shared counters: the shared jobs changed (``import_jobs``,
``refresh_jobs``: the workers rebuild their keyword indexes before the next call) and a user
was forgotten (``forget``: the workers drop their memos). A worker that dies is replaced and
the call runs here instead; a call whose arguments cannot cross processes (a progress
callback) runs here too.

Processes: ``JOBFIT_WORKER_PROCESSES`` (unset: one per core, at most 4; 0: no pool).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from multiprocessing.sharedctypes import SynchronizedArray

    from agent.service import JobfitService
    from agent.settings import Settings

logger = logging.getLogger(__name__)

#: service methods that run in a worker (CPU-bound: parsing, matching, scoring)
OFFLOADED = frozenset({"save_cv", "best_matches", "analyse"})
#: calls after which the workers reopen their job indexes / drop their memos
JOBS_CHANGED = frozenset({"import_jobs", "refresh_jobs"})
USERS_CHANGED = frozenset({"forget"})
MAX_DEFAULT_WORKERS = 4
_JOBS, _USERS = 0, 1  # the shared counters
START_TIMEOUT_S = 600.0
#: how often a worker looks for jobs written by others (the scheduler, ``jobfit import``)
JOBS_CHECK_S = 5.0
PARENT_CHECK_S = 1.0

# -- in a worker process ------------------------------------------------------------------

_service: JobfitService | None = None
_settings: Settings | None = None
_barrier: Any = None
_epochs: Any = None
_seen = [0, 0]
_jobs_seen: tuple[Any, ...] = ()
_shared_seen: tuple[Any, ...] = ()
_jobs_checked = 0.0


def _start_worker(settings: Settings, epochs: SynchronizedArray[int], barrier: Any,
                  server: int) -> None:
    """Worker initializer: this process's service, warmed up like the server's. ``server``
    is the server's pid: a worker whose server died while it was starting leaves at once
    (its parent is no longer the server), instead of taking the orphaned state for normal."""
    global _service, _epochs, _settings, _jobs_seen, _jobs_checked, _barrier
    _barrier = barrier
    from agent.bootstrap import build_service

    if os.getppid() != server:
        os._exit(0)
    threading.Thread(target=_watch_parent, args=(server,), daemon=True,
                     name="jobfit-parent-watch").start()
    _epochs, _settings = epochs, settings
    _seen[:] = list(epochs[:])
    _service = build_service(settings)
    _remember_jobs()
    _service.warm_up(scoring=True)
    from tools.occupations import load_model

    load_model()


def _watch_parent(parent: int) -> None:
    """Leave when the server is gone (killed, or stopped without shutting the pool down): an
    orphaned worker would keep its few hundred MB forever."""
    while True:
        time.sleep(PARENT_CHECK_S)
        if os.getppid() != parent:
            os._exit(0)


def _ready() -> int:
    """Wait until every worker has taken one of these (so each worker answers one)."""
    _barrier.wait(START_TIMEOUT_S)
    return os.getpid()


def _remember_jobs() -> None:
    global _jobs_seen, _jobs_checked, _shared_seen
    assert _service is not None
    _jobs_seen, _jobs_checked = _service.jobs_fingerprint(), time.monotonic()
    _shared_seen = _service.shared_jobs_fingerprint()


def _reopen_jobs() -> None:
    """Reopen the vector index (an embedded Chroma client keeps what it loaded: vectors
    another process wrote since are not found) and, when the shared jobs changed, rebuild the
    keyword indexes (a user's private upload does not: the server does not either)."""
    assert _service is not None and _settings is not None
    from agent.bootstrap import build_index

    if _settings.chroma_host is None:
        from chromadb.api.shared_system_client import SharedSystemClient

        systems = list(SharedSystemClient._identifier_to_system.values())
        SharedSystemClient.clear_system_cache()
        for system in systems:
            try:
                system.stop()
            except Exception:
                logger.warning("closing the old vector index failed", exc_info=True)
    _service.index = build_index(_service.embedder, _settings)
    if _service.shared_jobs_fingerprint() != _shared_seen:
        _service.refresh_jobs()
    _remember_jobs()


def _run(name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
    """One offloaded call; returns (result, the ``report`` out-argument if any)."""
    global _jobs_checked
    assert _service is not None, "worker not started"
    jobs, users = _epochs[_JOBS], _epochs[_USERS]
    if users != _seen[_USERS]:
        _service.clear_memos()
        _seen[_USERS] = users
    if jobs != _seen[_JOBS]:
        _seen[_JOBS] = jobs
        _reopen_jobs()
    elif time.monotonic() - _jobs_checked > JOBS_CHECK_S:
        _jobs_checked = time.monotonic()
        if _service.jobs_fingerprint() != _jobs_seen:
            _reopen_jobs()
    result = getattr(_service, name)(*args, **kwargs)
    return result, kwargs.get("report")


# -- in the server ------------------------------------------------------------------------


def default_workers() -> int:
    return max(1, min(MAX_DEFAULT_WORKERS, os.cpu_count() or 1))


class WorkerPool:
    """The worker processes (spawned: the server has threads, which ``fork`` would copy
    half-way) and the shared counters they check before each call."""

    def __init__(self, settings: Settings, processes: int) -> None:
        self.settings, self.processes = settings, max(1, int(processes))
        self._context = multiprocessing.get_context("spawn")
        self.epochs: SynchronizedArray[int] = self._context.Array("q", [0, 0])
        self._lock = threading.Lock()
        self._executor: ProcessPoolExecutor | None = None
        #: set once every worker has built its service; until then calls run in the server
        self.ready = threading.Event()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.processes, mp_context=self._context,
                                   initializer=_start_worker,
                                   initargs=(self.settings, self.epochs,
                                             self._context.Barrier(self.processes),
                                             os.getpid()))

    def start(self) -> list[int]:
        """Start every worker and wait until each has built its service; their pids."""
        with self._lock:
            if self._executor is None:
                self._executor = self._new_executor()
            executor = self._executor
        pids = sorted({f.result(timeout=START_TIMEOUT_S + 60)
                       for f in [executor.submit(_ready) for _ in range(self.processes)]})
        self.ready.set()
        return pids

    def start_in_background(self, first: Callable[[], None] | None = None) -> threading.Thread:
        """:meth:`start` in a thread (after ``first``): the server answers (in its own
        process) meanwhile."""
        def run() -> None:
            try:
                if first is not None:
                    first()
                pids = self.start()
            except Exception:
                logger.exception("worker processes did not start; scoring stays in the "
                                 "server process")
                self.shutdown()
            else:
                logger.info("%d worker processes ready", len(pids))

        thread = threading.Thread(target=run, name="jobfit-workers-start", daemon=True)
        thread.start()
        return thread

    def call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, Any]:
        """Run ``name`` in a worker; raises BrokenProcessPool when the workers died (the pool
        is then replaced for the next call)."""
        with self._lock:
            if self._executor is None:
                self._executor = self._new_executor()
            executor = self._executor
        try:
            return executor.submit(_run, name, args, kwargs).result()
        except BrokenProcessPool:
            with self._lock:
                if self._executor is executor:
                    self._executor = None
            executor.shutdown(wait=False, cancel_futures=True)
            raise

    def bump(self, counter: int) -> None:
        with self.epochs.get_lock():
            self.epochs[counter] += 1

    def shutdown(self) -> None:
        """Stop the workers; calls run in the server from now on."""
        self.ready.clear()
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)


class PooledService:
    """A :class:`JobfitService` whose :data:`OFFLOADED` calls run in the worker pool."""

    def __init__(self, service: JobfitService, pool: WorkerPool) -> None:
        object.__setattr__(self, "_service", service)
        object.__setattr__(self, "pool", pool)

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._service, name)
        if name in OFFLOADED:
            return partial(self._offloaded, name, attr)
        if name in JOBS_CHANGED or name in USERS_CHANGED:
            return partial(self._changing, name, attr)
        return attr

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._service, name, value)

    def _offloaded(self, name: str, local: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        if not self.pool.ready.is_set() or any(callable(v) for v in kwargs.values()):
            return local(*args, **kwargs)  # still starting, or a progress callback
        report = kwargs.get("report")
        if report is not None:
            kwargs = {**kwargs, "report": {}}
        try:
            result, filled = self.pool.call(name, args, kwargs)
        except BrokenProcessPool:
            logger.error("a worker process died; %s runs in the server process (the workers "
                         "are restarted)", name)
            self.pool.ready.clear()
            self.pool.start_in_background()
            return local(*args, **({**kwargs, "report": report} if report is not None
                                   else kwargs))
        if report is not None and filled is not None:
            report.update(filled)
        return result

    def _changing(self, name: str, local: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        try:
            return local(*args, **kwargs)
        finally:  # also after a partial import: the workers re-check what is there
            self.pool.bump(_JOBS if name in JOBS_CHANGED else _USERS)


def worker_count(settings: Settings) -> int:
    """How many worker processes the settings ask for (0: none)."""
    configured = getattr(settings, "worker_processes", None)
    return default_workers() if configured is None else int(configured)


def pooled(service: JobfitService, settings: Settings) -> JobfitService:
    """``service`` with its heavy calls in worker processes (started in the background; the
    calls run here until the workers are ready), or ``service`` itself when the settings ask
    for no workers."""
    count = worker_count(settings)
    if count <= 0:
        return service
    pool = WorkerPool(settings, count)
    pool.start_in_background(first=partial(_warm_up, service))
    return PooledService(service, pool)  # type: ignore[return-value]


def _warm_up(service: JobfitService) -> None:
    """The server's own warm-up first (what its calls need until the workers are ready):
    workers starting at the same time took the CPU a cold server's first match needed (15 s
    instead of 1 s on a busy machine)."""
    from tools.occupations import load_model

    service.warm_up()
    load_model()
