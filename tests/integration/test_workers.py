"""ui/workers.py: parsing, matching and scoring in real worker processes (spawned, each with
its own service over the same SQLite file and Chroma directory) give the same results as the
server's own service; what one process changes reaches the workers; a dead worker is
replaced and the call still answers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agent.bootstrap import build_service
from agent.service import JobfitService
from agent.service_types import NoCVError
from agent.settings import Settings
from tests.integration.agent_store import BACKEND_CV, NURSE_CV, SAMPLE_JOBS
from ui.workers import OFFLOADED, PooledService, WorkerPool, pooled, worker_count

BACKEND_TITLE = "Sr. Software Engineer, Backend"
ROOT = Path(__file__).resolve().parents[2]


def _jobs(keep: Any) -> list[dict[str, Any]]:
    return [j for j in json.loads(SAMPLE_JOBS.read_text(encoding="utf-8"))[:80] if keep(j)]


def _write(path: Path, jobs: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(jobs), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("workers-data"), llm="offline",
                    worker_processes=1)


@pytest.fixture(scope="module")
def service(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> JobfitService:
    """The server's service, holding the first 80 sample jobs except the backend one (the
    import test adds it later)."""
    svc = build_service(settings)
    first = _jobs(lambda j: j["title"] != BACKEND_TITLE)
    svc.import_jobs(_write(tmp_path_factory.mktemp("jobs") / "first.json", first))
    return svc


@pytest.fixture(scope="module")
def pool(settings: Settings, service: JobfitService) -> Iterator[WorkerPool]:
    workers = WorkerPool(settings, 1)
    pids = workers.start()
    assert len(pids) == 1 and pids[0] != os.getpid()
    try:
        yield workers
    finally:
        workers.shutdown()


@pytest.fixture
def remote(service: JobfitService, pool: WorkerPool,
           monkeypatch: pytest.MonkeyPatch) -> PooledService:
    """The pooled service, with the server's own heavy methods disabled: an answer can only
    have come from a worker."""
    def not_here(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("ran in the server process")

    for name in OFFLOADED:
        monkeypatch.setattr(service, name, not_here)
    return PooledService(service, pool)


def _dump(cards: list[Any]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in cards]


def test_worker_results_equal_the_servers(remote: Any, service: JobfitService) -> None:
    summary = remote.save_cv("wa", text=BACKEND_CV, file_name="cv.txt")
    assert summary.skills_count >= 8 and service.has_cv("wa")  # stored in the shared database
    cards = remote.best_matches("wa", k=8, min_score=0)
    assert len(cards) == 8
    analysis = remote.analyse("wa", str(cards[0].ref))
    assert analysis.result.score == cards[0].score
    # the same calls in this process (a fresh service: no memo shared with the worker)
    local = JobfitService(engine=service.engine, embedder=service.embedder,
                          index=service.index, snapshot=service.snapshot)
    assert _dump(local.best_matches("wa", k=8, min_score=0)) == _dump(cards)
    here = local.analyse("wa", str(cards[0].ref))
    assert here.model_dump(mode="json", exclude={"cached"}) == \
        analysis.model_dump(mode="json", exclude={"cached"})


def test_report_out_argument_and_errors_cross_processes(remote: Any) -> None:
    remote.save_cv("wb", text=NURSE_CV)
    remote.update_preferences("wb", remote="remote")  # runs here: the worker reads it
    report: dict[str, Any] = {}
    visible = remote.best_matches("wb", k=5, min_score=0, report=report)
    assert report["hidden"] and sum(report["hidden"].values()) > 0
    assert all(c.remote in ("remote", None) for c in visible)
    with pytest.raises(NoCVError, match="no CV yet"):
        remote.best_matches("nobody-here")
    with pytest.raises(NoCVError):
        remote.analyse("nobody-here", "1")


def test_a_progress_callback_keeps_the_call_here(service: JobfitService,
                                                 pool: WorkerPool) -> None:
    service.save_cv("wc", text=BACKEND_CV)
    steps: list[str] = []
    cards = PooledService(service, pool).best_matches("wc", k=3, min_score=0,
                                                       progress=steps.append)
    assert len(cards) == 3 and steps  # called back: it ran in this process


def test_imported_jobs_reach_the_workers_at_once(remote: Any, service: JobfitService,
                                                 tmp_path: Path) -> None:
    remote.save_cv("wd", text=BACKEND_CV)
    before = remote.best_matches("wd", k=5, min_score=0)  # the worker's index is built now
    assert BACKEND_TITLE not in {c.title for c in before}
    added = _write(tmp_path / "more.json", _jobs(lambda j: j["title"] == BACKEND_TITLE))
    remote.import_jobs(added)  # in this process; the workers' index is 30 s stale otherwise
    after = remote.best_matches("wd", k=5, min_score=0)
    assert BACKEND_TITLE in {c.title for c in after}


def test_private_jobs_reach_the_workers_at_once(remote: Any, tmp_path: Path) -> None:
    remote.save_cv("wh", text=BACKEND_CV)
    remote.best_matches("wh", k=3, min_score=0)
    mine = _jobs(lambda j: j["title"] == BACKEND_TITLE)
    mine = [{**job, "external_id": "mine-1", "title": "Backend Engineer (my own upload)"}
            for job in mine]
    remote.import_jobs(_write(tmp_path / "mine.json", mine), owner_id="wh")
    titles = {c.title for c in remote.best_matches("wh", k=10, min_score=0)}
    assert "Backend Engineer (my own upload)" in titles
    remote.save_cv("wi", text=BACKEND_CV)
    assert "Backend Engineer (my own upload)" not in {
        c.title for c in remote.best_matches("wi", k=10, min_score=0)}  # private


def test_forget_reaches_the_workers(remote: Any, pool: WorkerPool) -> None:
    remote.save_cv("we", text=BACKEND_CV)
    ref = str(remote.best_matches("we", k=1, min_score=0)[0].ref)
    remote.analyse("we", ref)  # memoised in the worker
    users = pool.epochs[1]
    remote.forget("we")
    assert pool.epochs[1] == users + 1
    with pytest.raises(NoCVError):
        remote.analyse("we", ref)


def test_a_dead_worker_is_replaced_and_the_call_still_answers(
        service: JobfitService, settings: Settings) -> None:
    workers = WorkerPool(settings, 1)
    try:
        (pid,) = workers.start()
        proxy: Any = PooledService(service, workers)
        proxy.save_cv("wf", text=BACKEND_CV)
        os.kill(pid, signal.SIGKILL)
        cards = proxy.best_matches("wf", k=3, min_score=0)  # answered in this process
        assert len(cards) == 3
        assert workers.ready.wait(120)  # restarted in the background
        assert proxy.best_matches("wf", k=3, min_score=0) == cards
    finally:
        workers.shutdown()


def test_workers_leave_when_the_server_dies(settings: Settings, service: JobfitService) -> None:
    """A server killed (or stopped without shutting its pool down) leaves no workers."""
    script = (
        "import os, sys\n"
        "from agent.settings import Settings\n"
        "from ui.workers import WorkerPool\n"
        f"pool = WorkerPool(Settings(data_dir={str(settings.data_dir)!r}, llm='offline'), 2)\n"
        "print(' '.join(map(str, pool.start())), flush=True)\n"
        "os._exit(0)\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=300, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    pids = [int(p) for p in out.stdout.split()]
    assert len(pids) == 2, out.stderr[-2000:]
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.2)
    assert not any(_alive(p) for p in pids)


def test_workers_leave_when_the_server_dies_while_they_start(settings: Settings) -> None:
    """A server killed while its workers were still building their services: they found
    themselves orphaned at start and used to take that for normal (330 MB each, for good)."""
    mark = uuid.uuid4().hex
    script = (
        "import os, time\n"
        "from agent.settings import Settings\n"
        "from ui.workers import WorkerPool\n"
        f"pool = WorkerPool(Settings(data_dir={str(settings.data_dir)!r}, llm='offline'), 2)\n"
        "pool.start_in_background()\n"
        "time.sleep(0.2)\n"  # the workers are spawned, their services not built yet
        "os._exit(0)\n")
    subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                   cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "JOBFIT_TEST_MARK": mark})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and _marked_workers(mark):
        time.sleep(0.3)
    assert _marked_workers(mark) == []


def _marked_workers(mark: str) -> list[int]:
    """Live worker processes (multiprocessing's spawn) whose environment carries ``mark``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if b"spawn_main" not in (entry / "cmdline").read_bytes():
                continue
            if f"JOBFIT_TEST_MARK={mark}".encode() not in (entry / "environ").read_bytes():
                continue
        except OSError:
            continue
        if _alive(int(entry.name)):
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_pooled_answers_here_until_the_workers_are_ready(service: JobfitService,
                                                        settings: Settings) -> None:
    proxy: Any = pooled(service, settings)
    try:
        assert isinstance(proxy, PooledService)
        proxy.save_cv("wg", text=NURSE_CV)  # at once: in this process if still starting
        assert proxy.pool.ready.wait(300)
        assert proxy.best_matches("wg", k=3, min_score=0)
        assert service.engine is proxy.engine  # everything else is the server's service
    finally:
        proxy.pool.shutdown()
    assert proxy.best_matches("wg", k=3, min_score=0)  # stopped: answered here


def test_no_workers_when_asked_for_none(service: JobfitService, settings: Settings) -> None:
    none = settings.model_copy(update={"worker_processes": 0})
    assert worker_count(none) == 0
    assert pooled(service, none) is service
    assert worker_count(settings.model_copy(update={"worker_processes": None})) >= 1
