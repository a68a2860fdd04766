"""Readiness (ui/health.py): each part really checked — a SQLite database, a job index, and an
OpenAI-compatible model server (a real HTTP server on 127.0.0.1) — and a failing part named."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine

from agent.settings import Settings
from ui import health


class _Index:
    def __init__(self, fail: bool = False) -> None:
        self.fail = fail

    def count(self) -> int:
        if self.fail:
            raise ConnectionError("index server down")
        return 3


class _Service:
    def __init__(self, index: _Index) -> None:
        self.index = index


@pytest.fixture
def model_server() -> Iterator[tuple[str, list[str]]]:
    """A local /v1/models that accepts only the key ``good-key``; records request paths."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            seen.append(self.path)
            ok = self.headers.get("Authorization") == "Bearer good-key"
            body = b'{"data": []}' if ok else b'{"error": "bad key"}'
            self.send_response(200 if ok else 401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    finally:
        server.shutdown()


def _ready(settings: Settings, engine: Any, index: _Index) -> tuple[int, dict[str, Any]]:
    async def service() -> _Service:
        return _Service(index)

    return asyncio.run(health.readiness(settings, lambda: engine, service))


def test_all_parts_ok(tmp_path: Path, model_server: tuple[str, list[str]]) -> None:
    base, seen = model_server
    engine = create_engine(f"sqlite:///{tmp_path / 'ok.db'}")
    settings = Settings(llm="openai", openai_base_url=base, openai_api_key="good-key")
    status, body = _ready(settings, engine, _Index())
    assert status == 200
    assert body == {"status": "ok",
                    "checks": {"database": "ok", "job_index": "ok", "model": "ok"}}
    assert seen == ["/v1/models"]
    assert health.liveness() == {"status": "ok"}


def test_offline_model_needs_no_server(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'ok.db'}")
    status, body = _ready(Settings(llm="offline"), engine, _Index())
    assert status == 200 and body["checks"]["model"] == "ok"


def test_failing_parts_are_named(tmp_path: Path, model_server: tuple[str, list[str]]) -> None:
    base, _ = model_server
    missing = tmp_path / "no" / "such" / "dir" / "x.db"  # SQLite cannot open it
    engine = create_engine(f"sqlite:///{missing}")
    settings = Settings(llm="openai", openai_base_url=base, openai_api_key="wrong-key")
    status, body = _ready(settings, engine, _Index(fail=True))
    assert status == 503
    assert body["status"] == "unavailable"
    assert body["failing"] == ["database", "job_index", "model"]
    assert body["checks"]["database"].startswith("OperationalError")
    assert "index server down" in body["checks"]["job_index"]
    assert "refused the API key (401)" in body["checks"]["model"]
    assert "wrong-key" not in str(body)


def test_unreachable_model_server(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    engine = create_engine(f"sqlite:///{tmp_path / 'ok.db'}")
    settings = Settings(llm="openai", openai_base_url=f"http://127.0.0.1:{port}/v1",
                        openai_api_key="k")
    status, body = _ready(settings, engine, _Index())
    assert status == 503 and body["failing"] == ["model"]
    assert body["checks"]["model"].startswith("ConnectError")
