"""What every web chat handler needs: the process's runtime (service, graph, rewriter), the
session's jobfit user, and polite error handling (``guarded``).

The runtime is built once per process on first use (``get_runtime``); tests set their own
(``set_runtime``).
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import traceback
from collections.abc import Awaitable, Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

import chainlit as cl

from agent.bootstrap import get_settings
from tools.errors import JobfitError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from agent.service import JobfitService
    from agent.settings import Settings

logger = logging.getLogger(__name__)

T = TypeVar("T")

LOCAL_USER = "local"  # the user id and login of open mode
GENERIC_ERROR = "Something went wrong on our side; please try again."


def auth_mode() -> str:
    """``open`` or ``password`` (``JOBFIT_AUTH``), read when the app module loads."""
    return os.environ.get("JOBFIT_AUTH", "open").strip().lower() or "open"


class Runtime:
    """What the handlers need: the service, the compiled graph, an optional rewriter."""

    def __init__(self, *, settings: Settings, service: JobfitService, graph: Any,
                 rewriter: Any = None) -> None:
        self.settings = settings
        self.service = service
        self.graph = graph
        self.rewriter = rewriter


_runtime: Runtime | None = None
_runtime_lock: asyncio.Lock | None = None


def set_runtime(runtime: Runtime | None) -> None:
    """Use this runtime (tests), or None to build the default one on next use."""
    global _runtime
    _runtime = runtime


async def get_runtime() -> Runtime:
    """The process's runtime, built once: service, async checkpointer, model, graph."""
    global _runtime, _runtime_lock
    if _runtime is not None:
        return _runtime
    if _runtime_lock is None:
        _runtime_lock = asyncio.Lock()
    async with _runtime_lock:
        if _runtime is None:
            _runtime = await build_runtime(get_settings())
    return _runtime


async def build_runtime(settings: Settings) -> Runtime:
    from agent.bootstrap import build_async_checkpointer, build_service
    from ui.workers import pooled

    service = await asyncio.to_thread(build_service, settings)
    service = pooled(service, settings)  # parsing, matching, scoring in worker processes
    try:
        from agent.graph import build_graph
    except ImportError:  # a partial install: cards and buttons still work
        logger.exception("the agent graph is unavailable")
        graph = None
    else:
        checkpointer = await build_async_checkpointer(settings)
        from ui.streaming import web_model

        graph = build_graph(web_model(settings), checkpointer=checkpointer)
    rewriter = None
    if settings.llm != "offline":
        try:
            from agent.llm import build_rewriter

            rewriter = build_rewriter(settings)
        except (ImportError, JobfitError):
            logger.warning("no LLM rewriter; tailoring uses the deterministic rewrites")
    return Runtime(settings=settings, service=service, graph=graph, rewriter=rewriter)


@cache
def project_engine() -> Engine:
    from agent.bootstrap import build_engine

    return build_engine(get_settings())


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking service call off the event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def owner_id() -> str:
    """The jobfit user id of this chat session (set by the auth callbacks, never by a model)."""
    user = cl.user_session.get("user") or getattr(cl.context.session, "user", None)
    meta = getattr(user, "metadata", None) or {}
    uid = meta.get("jobfit_id")
    if not uid:
        raise JobfitError("Please log in again.")
    return str(uid)


def graph_thread_id(user_id: str, chainlit_thread_id: str) -> str:
    """The graph thread of a Chainlit thread (``agent.threads``: what "forget me" deletes)."""
    from agent.threads import thread_id

    return thread_id(user_id, chainlit_thread_id)


async def say(content: str, **kwargs: Any) -> cl.Message:
    msg = cl.Message(content=content, **kwargs)
    await msg.send()
    return msg


def log_failure(what: str) -> None:
    """Log the current exception's type and stack only: its message may quote user text."""
    exc_type, exc, tb = sys.exc_info()
    name = exc_type.__name__ if exc_type else "error"
    stack = "".join(traceback.format_tb(tb)) if tb else ""
    logger.error("%s failed: %s\n%s", what, name, stack.rstrip())


async def guarded(what: str, coro: Awaitable[T]) -> T | None:
    """Await ``coro``; a JobfitError is shown as is, anything else logged and shown politely."""
    try:
        return await coro
    except JobfitError as exc:
        await say(f"⚠️ {exc}")
    except Exception:
        log_failure(f"web chat: {what}")
        await say(f"⚠️ {GENERIC_ERROR}")
    return None


_web_guard: Any = None


def web_guard() -> Any:
    """This process's :class:`ui.security.WebGuard` (sessions, login throttle, rate limits)."""
    global _web_guard
    if _web_guard is None:
        from ui.security import WebGuard

        _web_guard = WebGuard(get_settings(), project_engine)
    return _web_guard


def set_web_guard(guard: Any) -> None:
    """Use this guard (the one the security middleware was installed with)."""
    global _web_guard
    _web_guard = guard
