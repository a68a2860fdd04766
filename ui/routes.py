"""jobfit's own HTTP routes on Chainlit's FastAPI app, and the security middleware.

Chainlit ends its routes with a catch-all ``GET /{path}`` (the single-page app), so routes
added the usual way would never be reached: :func:`install` puts ours first.

- ``GET /healthz``, ``GET /readyz`` (ui/health.py), ``GET /metrics`` (ui/metrics.py).
- ``PUT /feedback`` and ``DELETE /feedback`` replace Chainlit's: they only touch the current
  user's own messages (404 otherwise, nothing written).
- ``POST /login`` (password mode) replaces Chainlit's to answer a throttled login with 429,
  ``Retry-After`` and the wait in words (Chainlit swallows errors raised by the callback).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import TYPE_CHECKING, Annotated, Any

from chainlit.auth import get_current_user
from chainlit.types import DeleteFeedbackRequest, UpdateFeedbackRequest
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from fastapi.security import OAuth2PasswordRequestForm

if TYPE_CHECKING:
    from fastapi import FastAPI

    from agent.settings import Settings

logger = logging.getLogger(__name__)

CurrentUser = Annotated[Any, Depends(get_current_user)]
LoginForm = Annotated[OAuth2PasswordRequestForm, Depends()]
REPLACED = {("/feedback", "PUT"), ("/feedback", "DELETE"), ("/login", "POST")}


def build_router(settings: Settings, engine: Callable[[], Any],
                 service: Callable[[], Awaitable[Any]], *,
                 login: Callable[[str, str], Awaitable[Any]] | None = None) -> APIRouter:
    """Our routes; ``login`` (password mode) is the app's unwrapped password callback, which
    raises ``LoginLocked`` for a throttled login (Chainlit's own ``/login`` would swallow it)."""
    from ui import health, metrics
    from ui.security import LoginLocked, retry_after_header

    router = APIRouter()

    if login is not None:
        @router.post("/login")
        async def password_login(request: Request,
                                 form_data: LoginForm) -> Response:
            from chainlit.server import _authenticate_user

            try:
                user = await login(form_data.username, form_data.password)
            except LoginLocked as exc:
                return JSONResponse({"detail": exc.message,
                                     "retry_after": int(exc.retry_after + 0.999)},
                                    status_code=429, headers=retry_after_header(exc.retry_after))
            return await _authenticate_user(request, user)

    @router.get("/healthz")
    async def healthz() -> dict[str, str]:
        return health.liveness()

    @router.get("/readyz")
    async def readyz() -> JSONResponse:
        status, body = await health.readiness(settings, engine, service)
        return JSONResponse(body, status_code=status)

    @router.get("/metrics")
    async def prometheus_metrics() -> Response:
        body, content_type = metrics.render_metrics()
        return Response(body, media_type=content_type)

    @router.put("/feedback")
    async def update_feedback(request: Request, update: UpdateFeedbackRequest,
                              current_user: CurrentUser) -> JSONResponse:
        layer = _layer()
        from ui.chat_history import FeedbackNotFound
        from ui.security import set_identity

        set_identity(getattr(current_user, "identifier", None))
        try:
            feedback_id = await layer.upsert_feedback(feedback=update.feedback)
        except FeedbackNotFound as exc:
            raise HTTPException(status_code=404, detail="No such message.") from exc
        return JSONResponse({"success": True, "feedbackId": feedback_id})

    @router.delete("/feedback")
    async def delete_feedback(request: Request, payload: DeleteFeedbackRequest,
                              current_user: CurrentUser) -> JSONResponse:
        layer = _layer()
        from ui.chat_history import FeedbackNotFound
        from ui.security import set_identity

        set_identity(getattr(current_user, "identifier", None))
        try:
            await layer.delete_feedback(payload.feedbackId)
        except FeedbackNotFound as exc:
            raise HTTPException(status_code=404, detail="No such feedback.") from exc
        return JSONResponse({"success": True})

    return router


def _layer() -> Any:
    from chainlit.data import get_data_layer

    layer = get_data_layer()
    if layer is None:
        raise HTTPException(status_code=500, detail="Data persistence is not enabled")
    return layer


def install(app: FastAPI, router: APIRouter) -> None:
    """Put ``router``'s routes before Chainlit's (dropping the ones they replace)."""
    ours = list(router.routes)
    mine = {(getattr(r, "path", None), m) for r in ours for m in getattr(r, "methods", None) or ()}
    kept = [r for r in app.router.routes
            if not any((getattr(r, "path", None), m) in REPLACED & mine
                       for m in (getattr(r, "methods", None) or ()))]
    app.router.routes[:] = ours + kept


def install_security(app: FastAPI, settings: Settings, mode: str,
                     engine: Callable[[], Any],
                     on_start: Callable[[], Coroutine[Any, Any, None]] | None = None) -> Any:
    """Add the security middleware (outermost) and make Chainlit's CORS list our allow-list;
    ``on_start`` runs in the background from the first request (warm-up). Returns the
    :class:`ui.security.WebGuard` of this process."""
    import chainlit.config as cl_config

    from ui.security import OriginPolicy, SecurityMiddleware, WebGuard

    origins = cl_config.config.project.allow_origins
    origins[:] = settings.allowed_origin_list  # the list object Chainlit's CORS middleware got
    cl_config.config.project.user_session_timeout = int(settings.session_hours * 3600)
    guard = WebGuard(settings, engine)
    app.add_middleware(SecurityMiddleware, mode=mode,
                       policy=OriginPolicy(settings.allowed_origin_list),
                       guard=guard.sessions, cookie_secure=settings.cookie_secure,
                       allow_open_remote=settings.allow_open_remote,
                       worker_threads=settings.worker_threads, on_start=on_start)
    return guard
