"""A chat client over the web app's real API, as the browser uses it: ``POST /login`` for the
session cookie, then Chainlit's socket.io endpoint (``/ws/socket.io``): ``connection_successful``,
``client_message``, and the server's ``new_message`` / ``update_message`` / ``element`` /
``task_end`` events. Used by the web security e2e tests and ``tests/bench/bench_load.py``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import socketio

AUTH_COOKIE = "access_token"


async def login(base: str, name: str, password: str) -> str:
    """The session token of a password login (raises on a refused one)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        resp = await http.post("/login", data={"username": name, "password": password})
        resp.raise_for_status()
        token = resp.cookies.get(AUTH_COOKIE)
    if not token:
        raise RuntimeError("login answered without a session cookie")
    return str(token)


async def open_mode_token(base: str) -> str:
    """Open mode's session token (``/auth/header``)."""
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        resp = await http.post("/auth/header", json={})
        resp.raise_for_status()
        return str(resp.cookies.get(AUTH_COOKIE))


@dataclass
class Turn:
    """What one message got back: the assistant messages' text, card elements, timings."""

    text: str
    sent: float
    done: float = 0.0
    first: float = 0.0  # when its first answer message arrived
    messages: list[dict[str, Any]] = field(default_factory=list)
    elements: list[dict[str, Any]] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return self.done - self.sent

    @property
    def answer(self) -> str:
        return "\n".join(str(m.get("output") or "") for m in self.messages)

    def cards(self, name: str) -> list[dict[str, Any]]:
        return [e.get("props") or {} for e in self.elements if e.get("name") == name]


class ChatClient:
    """One browser tab: one socket.io connection, one Chainlit thread.

    A turn is tracked by Chainlit's ``on_message`` run step, whose ``parentId`` is the id of the
    message we sent: it opens when the handler starts and is updated (ended) when the handler
    returns. The turn's messages hang under that step; cards (elements) point at them.
    """

    def __init__(self, base: str, token: str | None) -> None:
        self.base, self.token = base, token
        self.sio = socketio.AsyncClient(reconnection=False)
        self.session_id = str(uuid.uuid4())
        self.thread_id: str | None = None
        self.events: list[tuple[float, str, dict[str, Any]]] = []
        self._changed = asyncio.Event()
        for name in ("new_message", "update_message", "element", "task_end", "task_start",
                     "first_interaction", "stream_start"):
            self.sio.on(name, self._recorder(name))

    def _recorder(self, name: str) -> Any:
        async def record(data: Any = None) -> None:
            self.events.append((time.perf_counter(), name, data if isinstance(data, dict)
                                else {}))
            if name == "first_interaction" and isinstance(data, dict):
                self.thread_id = data.get("thread_id") or self.thread_id
            self._changed.set()

        return record

    async def connect(self, *, thread_id: str | None = None, origin: str | None = None) -> None:
        headers = {}
        if self.token:
            headers["Cookie"] = f"{AUTH_COOKIE}={self.token}"
        if origin:
            headers["Origin"] = origin
        await self.sio.connect(
            self.base, socketio_path="/ws/socket.io", headers=headers, transports=["websocket"],
            auth={"sessionId": self.session_id, "clientType": "webapp", "chatProfile": "jobfit",
                  "threadId": thread_id, "userEnv": "{}"}, wait_timeout=30)
        await self.sio.emit("connection_successful")
        await self._wait(lambda: any(n == "update_message" and d.get("name") == "on_chat_start"
                                     for _, n, d in self.events), 60)

    async def _wait(self, ready: Any, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            self._changed.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no answer in {timeout:.0f} s")
            try:
                await asyncio.wait_for(self._changed.wait(), left)
            except TimeoutError:
                continue

    async def send(self, text: str) -> tuple[str, float]:
        """Send a message (without waiting for the answer); returns its id and send time."""
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        mid = str(uuid.uuid4())
        step = {"id": mid, "threadId": self.thread_id or "", "name": "User",
                "type": "user_message", "output": text, "createdAt": now}
        sent = time.perf_counter()
        await self.sio.emit("client_message", {"message": step, "fileReferences": None})
        return mid, sent

    async def upload(self, name: str, data: bytes, mime: str = "text/plain") -> dict[str, Any]:
        """Upload a file to this session (``POST /project/file``), as the paperclip does;
        returns the file reference to send with a message."""
        cookies = {AUTH_COOKIE: self.token} if self.token else None
        async with httpx.AsyncClient(base_url=self.base, cookies=cookies, timeout=60) as http:
            resp = await http.post("/project/file", params={"session_id": self.session_id},
                                   files={"file": (name, data, mime)})
            resp.raise_for_status()
            return {"id": resp.json()["id"]}

    async def send_files(self, refs: list[dict[str, Any]], text: str = "",
                         timeout: float = 120) -> Turn:
        """Send a message carrying uploaded files and wait for its turn to end."""
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        mid = str(uuid.uuid4())
        step = {"id": mid, "threadId": self.thread_id or "", "name": "User",
                "type": "user_message", "output": text, "createdAt": now}
        sent = time.perf_counter()
        await self.sio.emit("client_message", {"message": step, "fileReferences": refs})
        await self._wait(lambda: self._ended(self._run_step(mid)) is not None, timeout)
        turn = Turn(text=text, sent=sent, done=self._ended(self._run_step(mid)) or 0.0)
        run_id = self._run_step(mid)
        turn.messages = [d for _, n, d in self.events if n == "new_message"
                         and d.get("parentId") == run_id and d.get("type") == "assistant_message"]
        return turn

    async def ask(self, text: str, timeout: float = 120) -> Turn:
        """Send a message and wait for its turn to end."""
        return (await self.ask_many([text], timeout))[0]

    def _run_step(self, message_id: str) -> str | None:
        for _, name, data in self.events:
            if name == "new_message" and data.get("type") == "run" and \
                    data.get("parentId") == message_id:
                return str(data.get("id"))
        return None

    def _ended(self, run_id: str | None) -> float | None:
        for at, name, data in self.events:
            if name == "update_message" and data.get("id") == run_id and data.get("end"):
                return at
        return None

    async def ask_many(self, texts: list[str], timeout: float = 120) -> list[Turn]:
        """Send several messages back to back, then wait until every turn ended."""
        sent = []
        for text in texts:
            mid, at = await self.send(text)
            sent.append((text, mid, at))
        await self._wait(lambda: all(self._ended(self._run_step(mid)) is not None
                                     for _, mid, _ in sent), timeout)
        turns = []
        for text, mid, at in sent:
            run_id = self._run_step(mid)
            turn = Turn(text=text, sent=at, done=self._ended(run_id) or 0.0)
            parents = {run_id}
            for at_event, name, data in self.events:
                if name in ("new_message", "update_message") and data.get("parentId") in parents:
                    parents.add(data.get("id"))
                    if data.get("type") == "assistant_message":
                        turn.first = turn.first or at_event
                        turn.messages = [m for m in turn.messages if m.get("id") != data.get("id")]
                        turn.messages.append(data)
                elif name == "element" and data.get("forId") in parents:
                    turn.elements.append(data)
            turns.append(turn)
        return turns

    async def close(self) -> None:
        await self.sio.disconnect()
