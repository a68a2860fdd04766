"""A registered feed refreshed by the scheduler's job function, as `jobfit scheduler` runs it:
the feed is served over HTTP on 127.0.0.1, its jobs land in the store, the refresh is recorded
(and a broken feed is recorded as failed without importing anything)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "tests" / "fixtures" / "imports"
JOBFIT = str(Path(sys.executable).with_name("jobfit"))


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="module")
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(FEEDS)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    out = {**os.environ, "JOBFIT_DATA_DIR": str(tmp_path), "JOBFIT_LLM": "offline"}
    for name in ("DATABASE_URL", "JOBFIT_DATABASE_URL", "CHROMA_HOST"):
        out.pop(name, None)
    return out


def _jobfit(env: dict[str, str], *args: str) -> str:
    out = subprocess.run([JOBFIT, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                         timeout=600)
    assert out.returncode == 0, out.stderr
    return out.stdout


def _refresh(env: dict[str, str], feed_id: int) -> None:
    code = f"from ui.scheduler import refresh_feed_job; refresh_feed_job({feed_id})"
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr


def _feeds(env: dict[str, str]) -> list[dict[str, object]]:
    rows = json.loads(_jobfit(env, "feeds", "list", "--json"))["feeds"]
    assert isinstance(rows, list)
    return rows


def test_a_registered_feed_is_imported_by_the_scheduler_job(
        feed_server: str, env: dict[str, str]) -> None:
    _jobfit(env, "feeds", "add", f"{feed_server}/feed.xml", "--every", "1h")
    (feed,) = _feeds(env)
    assert feed["last_run"] is None
    _refresh(env, int(str(feed["id"])))
    (feed,) = _feeds(env)
    # 3 items, one with neither title nor description (an error row of the import)
    assert feed["last_status"] == "ok" and feed["last_new"] == 2, feed
    stats = json.loads(_jobfit(env, "jobs", "stats", "--json"))
    assert stats["active"] == 2
    _refresh(env, int(str(feed["id"])))  # the same feed again: nothing new, nothing doubled
    (feed,) = _feeds(env)
    assert feed["last_status"] == "ok" and feed["last_new"] == 0
    assert json.loads(_jobfit(env, "jobs", "stats", "--json"))["active"] == 2


def test_a_feed_that_is_not_a_feed_is_recorded_as_failed(
        feed_server: str, env: dict[str, str]) -> None:
    _jobfit(env, "feeds", "add", f"{feed_server}/not_a_feed.xml", "--every", "1h")
    (feed,) = _feeds(env)
    _refresh(env, int(str(feed["id"])))
    (feed,) = _feeds(env)
    assert feed["last_status"] == "failed" and feed["last_error"], feed
    assert json.loads(_jobfit(env, "jobs", "stats", "--json"))["active"] == 0
