"""Helpers of the bot tests: a real store + offline graph, an ASGI app served by uvicorn on
127.0.0.1 in a thread, and Slack request signing."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import uvicorn

from agent.service import JobfitService
from ui.bots import BotCore


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Served:
    """An ASGI app on a free 127.0.0.1 port (uvicorn in a thread)."""

    def __init__(self, app: Any) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port,
                                                    log_level="warning", lifespan="off"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> Served:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def bot_core(service: JobfitService, checkpoints: Path) -> BotCore:
    """The bot core over ``service`` with the offline model and a SQLite checkpointer."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    from agent.graph import build_graph
    from agent.router import OfflineChatModel

    conn = sqlite3.connect(str(checkpoints), check_same_thread=False)
    saver = SqliteSaver(conn)
    saver.setup()
    service.checkpointer = saver
    return BotCore(service, build_graph(OfflineChatModel(), checkpointer=saver))


SECRET = "test-signing-secret"


def signed_headers(body: str, *, secret: str = SECRET, timestamp: int | None = None,
                   content_type: str = "application/json") -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    base = f"v0:{ts}:{body}".encode()
    sig = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": sig,
            "Content-Type": content_type}


def post_event(url: str, event: dict[str, Any], *, event_id: str, team: str = "T1",
               secret: str = SECRET, timestamp: int | None = None,
               retry: int | None = None) -> httpx.Response:
    body = json.dumps({"type": "event_callback", "team_id": team, "api_app_id": "A1",
                       "event_id": event_id, "event_time": int(time.time()), "event": event})
    headers = signed_headers(body, secret=secret, timestamp=timestamp)
    if retry is not None:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return httpx.post(f"{url}/slack/events", content=body, headers=headers, timeout=30)


def post_form(url: str, form: dict[str, str], *, secret: str = SECRET) -> httpx.Response:
    body = urlencode(form)
    return httpx.post(f"{url}/slack/events", content=body, timeout=30,
                      headers=signed_headers(body, secret=secret,
                                             content_type="application/x-www-form-urlencoded"))


def post_action(url: str, payload: dict[str, Any]) -> httpx.Response:
    return post_form(url, {"payload": json.dumps(payload)})


def dm(user: str, text: str, **extra: Any) -> dict[str, Any]:
    return {"type": "message", "channel_type": "im", "channel": f"D{user}", "user": user,
            "text": text, "ts": f"{time.time():.6f}", **extra}
