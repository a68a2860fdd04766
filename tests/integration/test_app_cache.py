"""The web app's /public cache header: plain ASGI, no traceback when a browser drops a request
(issue 13: "RuntimeError: No response returned" from the old BaseHTTPMiddleware)."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from ui.webchat.server import PUBLIC_MAX_AGE_S, CachePublic


def _app() -> Starlette:
    async def page(request: Any) -> PlainTextResponse:
        return PlainTextResponse("x")

    inner = Starlette(routes=[Route("/public/card.jsx", page), Route("/other", page)])
    inner.add_middleware(CachePublic)
    return inner


def test_public_answers_are_cached_others_not() -> None:
    with TestClient(_app()) as client:
        public = client.get("/public/card.jsx")
        assert public.headers["cache-control"] == f"private, max-age={PUBLIC_MAX_AGE_S}"
        assert "cache-control" not in client.get("/other").headers
        missing = client.get("/public/nope.jsx")
        assert missing.status_code == 404 and "cache-control" not in missing.headers


def test_a_dropped_request_raises_nothing() -> None:
    sent: list[dict[str, Any]] = []

    async def gone_app(scope: Any, receive: Any, send: Any) -> None:
        message = await receive()  # the browser went away before an answer
        assert message["type"] == "http.disconnect"

    async def receive() -> dict[str, Any]:
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "path": "/public/card.jsx", "method": "GET", "headers": []}
    asyncio.run(CachePublic(gone_app)(scope, receive, send))
    assert sent == []
