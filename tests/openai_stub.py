"""A small OpenAI-compatible chat server for tests (real HTTP on 127.0.0.1, in a thread).

Tests point the REAL ``ChatOpenAI`` / ``AzureChatOpenAI`` clients at it
(``base_url=stub.base_url``) and script what it answers::

    with OpenAIStub() as stub:
        stub.push(tool_call("search_jobs", query="python"), text("Here you go."))
        ...
        assert stub.requests[0].body["tools"]

Each POST to a path ending in ``/chat/completions`` takes the next scripted reply from the queue
(``text``, ``tool_call``/``tool_calls``, ``raw`` (any body, e.g. invalid JSON), ``error`` (an
HTTP status), each with an optional ``delay``) or calls a responder function with the request.
``stream: true`` requests get Server-Sent-Events chunks (content deltas, ``tool_calls`` deltas
with the arguments split in pieces, the finish reason, usage when asked, ``[DONE]``). Every
request is recorded (path, query, headers, JSON body) so tests can assert what the client sent.
With the queue empty the stub answers 400 "no scripted reply" and counts it in ``unscripted``.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

_ids = itertools.count(1)


@dataclass
class Reply:
    """One scripted answer."""

    content: str | None = None
    # (name, arguments); a str is sent verbatim as the arguments (e.g. broken JSON)
    tool_calls: list[tuple[str, dict[str, Any] | str]] = field(default_factory=list)
    status: int = 200
    raw: str | None = None  # sent as the body as is (non-streaming) instead of a completion
    delay: float = 0.0  # seconds to wait before answering (timeouts)
    chunk_size: int = 4  # characters per streamed content/argument delta


@dataclass
class Request:
    """What the client sent."""

    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def tool_names(self) -> list[str]:
        return [t["function"]["name"] for t in self.body.get("tools", [])]

    @property
    def system_prompt(self) -> str | None:
        for m in self.messages:
            if m.get("role") in ("system", "developer"):
                return _text(m.get("content"))
        return None

    @property
    def last_role(self) -> str:
        """Role of the newest message ("user", "tool", "assistant")."""
        return str(self.messages[-1].get("role", "")) if self.messages else ""

    def last_user_text(self) -> str:
        for m in reversed(self.messages):
            if m.get("role") == "user":
                return _text(m.get("content"))
        return ""

    def tool_results(self) -> list[dict[str, Any]]:
        """The JSON results of the tool messages since the last user message, oldest first."""
        out: list[dict[str, Any]] = []
        for m in reversed(self.messages):
            if m.get("role") == "user":
                break
            if m.get("role") == "tool":
                try:
                    out.append(json.loads(_text(m.get("content"))))
                except ValueError:
                    out.append({"raw": _text(m.get("content"))})
        return out[::-1]


Responder = Callable[[Request], Reply]


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return ""


def text(content: str, *, delay: float = 0.0) -> Reply:
    """A plain assistant answer."""
    return Reply(content=content, delay=delay)


def tool_call(name: str, /, **args: Any) -> Reply:
    """An assistant message calling one tool with these arguments."""
    return Reply(tool_calls=[(name, args)])


def tool_calls(*calls: tuple[str, dict[str, Any] | str]) -> Reply:
    """An assistant message calling several tools."""
    return Reply(tool_calls=list(calls))


def broken_tool_call(name: str, arguments: str = '{"query": python jobs}') -> Reply:
    """A tool call whose arguments are not valid JSON (small local models do this)."""
    return Reply(tool_calls=[(name, arguments)])


def _arguments(args: dict[str, Any] | str) -> str:
    return args if isinstance(args, str) else json.dumps(args)


def raw(body: str) -> Reply:
    """A completion whose content is this text verbatim (e.g. broken JSON for a rewriter)."""
    return Reply(content=body)


def error(status: int = 500, *, delay: float = 0.0) -> Reply:
    """An HTTP error response."""
    return Reply(status=status, delay=delay)


class OpenAIStub:
    """The server; use as a context manager (or ``start()``/``stop()``)."""

    def __init__(self, model: str = "stub-model") -> None:
        self.model = model
        self.requests: list[Request] = []
        self.unscripted = 0
        self.failures: list[str] = []  # responder exceptions
        self._queue: deque[Reply | Responder] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting ----------------------------------------------------------------------
    def push(self, *replies: Reply | Responder) -> OpenAIStub:
        """Queue replies (or responder functions, called with the request) in order."""
        with self._lock:
            self._queue.extend(replies)
        return self

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def _next(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            item = self._queue.popleft() if self._queue else None
        if item is None:
            with self._lock:
                self.unscripted += 1
            return Reply(status=400, raw=json.dumps(
                {"error": {"message": "stub: no scripted reply left", "type": "stub"}}))
        if isinstance(item, Reply):
            return item
        try:
            return item(request)
        except Exception as exc:  # a broken responder must fail the test, not hang it
            with self._lock:
                self.failures.append(f"{type(exc).__name__}: {exc}")
            return Reply(status=400, raw=json.dumps(
                {"error": {"message": f"stub responder failed: {exc!r}", "type": "stub"}}))

    # -- server -------------------------------------------------------------------------
    @property
    def port(self) -> int:
        assert self._server is not None, "stub not started"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """The OpenAI base URL (``http://127.0.0.1:PORT/v1``)."""
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def root_url(self) -> str:
        """The server root (the Azure endpoint)."""
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OpenAIStub:
        stub = self

        class Handler(_Handler):
            owner = stub

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="openai-stub", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> OpenAIStub:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _Handler(BaseHTTPRequestHandler):
    owner: OpenAIStub

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
        return

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": self.owner.model,
                                                          "object": "model"}]})
        else:
            self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:  # noqa: N802 - http.server API
        split = urlsplit(self.path)
        length = int(self.headers.get("content-length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
        except ValueError:
            self._json(400, {"error": {"message": "invalid JSON body"}})
            return
        if not split.path.endswith("/chat/completions"):
            self._json(404, {"error": {"message": f"unknown path {split.path}"}})
            return
        request = Request(path=split.path, query=parse_qs(split.query),
                          headers={k.lower(): v for k, v in self.headers.items()}, body=body)
        reply = self.owner._next(request)
        if reply.delay:
            time.sleep(reply.delay)
        try:
            if reply.status != 200:
                payload = reply.raw or json.dumps({"error": {
                    "message": f"stub error {reply.status}", "type": "server_error"}})
                self._send(reply.status, payload.encode(), "application/json")
            elif body.get("stream"):
                self._stream(reply, body)
            else:
                self._json(200, self._completion(reply, body))
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            return

    # -- bodies ---------------------------------------------------------------------------
    def _completion(self, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": reply.content}
        if reply.tool_calls:
            message["tool_calls"] = [
                {"id": f"call_{next(_ids)}", "type": "function",
                 "function": {"name": name, "arguments": _arguments(args)}}
                for name, args in reply.tool_calls]
        return {
            "id": f"chatcmpl-{next(_ids)}", "object": "chat.completion",
            "created": int(time.time()), "model": body.get("model", self.owner.model),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if reply.tool_calls else "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15},
        }

    def _stream(self, reply: Reply, body: dict[str, Any]) -> None:
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("cache-control", "no-cache")
        self.end_headers()
        cid = f"chatcmpl-{next(_ids)}"
        model = body.get("model", self.owner.model)
        n = max(1, reply.chunk_size)

        def chunk(delta: dict[str, Any], finish: str | None = None,
                  usage: dict[str, int] | None = None) -> None:
            data: dict[str, Any] = {
                "id": cid, "object": "chat.completion.chunk", "created": int(time.time()),
                "model": model,
                "choices": [] if usage else [{"index": 0, "delta": delta,
                                              "finish_reason": finish}]}
            if usage:
                data["usage"] = usage
            self.wfile.write(f"data: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()

        chunk({"role": "assistant", "content": ""})
        content = reply.content or ""
        for i in range(0, len(content), n):
            chunk({"content": content[i:i + n]})
        for index, (name, args) in enumerate(reply.tool_calls):
            chunk({"tool_calls": [{"index": index, "id": f"call_{next(_ids)}",
                                   "type": "function",
                                   "function": {"name": name, "arguments": ""}}]})
            arguments = _arguments(args)
            for i in range(0, len(arguments), n):
                chunk({"tool_calls": [{"index": index,
                                       "function": {"arguments": arguments[i:i + n]}}]})
        chunk({}, finish="tool_calls" if reply.tool_calls else "stop")
        if (body.get("stream_options") or {}).get("include_usage"):
            chunk({}, usage={"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()

    def _json(self, status: int, data: dict[str, Any]) -> None:
        self._send(status, json.dumps(data).encode(), "application/json")

    def _send(self, status: int, payload: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("content-type", content_type)
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
