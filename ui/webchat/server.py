"""What the web chat adds to Chainlit's server when it loads: uploads under the data directory,
browser caching of ``/public``, the security middleware and routes (``ui/routes.py``), the
footer, the digest routes and scheduler, the Slack and Teams bots. Each step does nothing
outside the Chainlit server (tests, the CLI)."""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

import chainlit.config as cl_config

from agent.bootstrap import get_settings
from ui.webchat.runtime import (
    auth_mode,
    call,
    get_runtime,
    log_failure,
    project_engine,
    set_web_guard,
)

PUBLIC_MAX_AGE_S = 600  # browsers keep the card code (public/elements/*.jsx) this long


def install(login: Callable[[str, str], Awaitable[Any]] | None) -> None:
    """Everything, in this order (the middleware added last runs first); ``login`` is the
    password callback (for ``POST /login``'s throttle), None in open mode."""
    use_uploads_dir()
    cache_public_files()
    install_security(login)
    mode_footer()
    install_digests()


def use_uploads_dir() -> None:
    """Uploaded files go under the data directory (deleted after reading), not the app
    folder."""
    cl_config.FILES_DIRECTORY = _uploads_dir()


def _uploads_dir() -> Path:
    path = Path(get_settings().data_dir).resolve() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_public_files() -> None:
    """Let browsers cache ``/public`` (card code, CSS, logos): Chainlit fetches a card's JSX
    each time one is shown, which would otherwise wait on a server busy streaming the answer."""
    server = sys.modules.get("chainlit.server")
    if server is None:  # imported outside the Chainlit server (tests, the CLI)
        return

    server.app.add_middleware(CachePublic)


class CachePublic:
    """ASGI middleware adding ``Cache-Control`` to ``/public/`` answers. Plain ASGI, not
    Starlette's ``BaseHTTPMiddleware``: that one raises ``RuntimeError: No response returned``
    whenever a browser drops a request mid-way (a card's JSX fetched while the page changes)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or not str(scope.get("path", "")).startswith("/public/"):
            await self.app(scope, receive, send)
            return

        async def send_cached(message: Any) -> None:
            if message.get("type") == "http.response.start" and message.get("status") == 200:
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]
                headers.append((b"cache-control", f"private, max-age={PUBLIC_MAX_AGE_S}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_cached)



def install_security(login: Callable[[str, str], Awaitable[Any]] | None) -> None:
    """Security middleware, health/readiness/metrics and owner-checked feedback routes."""
    server = sys.modules.get("chainlit.server")
    if server is None:  # imported outside the Chainlit server (tests, the CLI)
        return
    from ui import routes

    async def service() -> Any:
        return (await get_runtime()).service

    settings = get_settings()
    set_web_guard(routes.install_security(server.app, settings, auth_mode(), project_engine,
                                          on_start=warm_up))
    routes.install(server.app, routes.build_router(settings, project_engine, service, login=login))


async def warm_up() -> None:
    """Build the runtime, load the matching indexes and the occupation model before the first
    question (from the server's first request): the first "best matches" on a cold server
    took ~9 s, most of it building these."""
    try:
        runtime = await get_runtime()
        from ui.workers import PooledService

        # the server scores itself only when it has no worker processes (they warm their own)
        scoring = not isinstance(runtime.service, PooledService)
        await call(partial(runtime.service.warm_up, scoring=scoring))
        from tools.occupations import load_model

        await call(load_model)
    except Exception:
        log_failure("warm-up")



def mode_footer() -> None:
    """The footer says what is true for the model in use (ui/footer.py), not "LLMs can make
    mistakes" when no LLM runs."""
    from ui.footer import footer_text, with_footer

    settings = get_settings()
    text = footer_text(settings.llm, settings.model)
    config_class = type(cl_config.config)
    load = config_class.load_translation
    if getattr(load, "jobfit_footer", False):
        return

    def load_translation(self: Any, language: str) -> dict[str, Any]:
        return with_footer(load(self, language), text)

    load_translation.jobfit_footer = True  # type: ignore[attr-defined]
    config_class.load_translation = load_translation



def install_digests() -> None:
    """The unsubscribe route and the in-process scheduler (inside the Chainlit server only)."""
    server = sys.modules.get("chainlit.server")
    if server is not None:
        from ui.digest_web import install

        install(server)


def mount_channels() -> None:
    """jobfit's Slack and Teams bots on this server (``ui/channels.py``)."""
    try:
        from chainlit.server import app as server

        from ui.channels import mount

        mount(server, get_settings())
    except Exception:
        log_failure("mounting the chat bots")
