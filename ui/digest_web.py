"""Digests in the web chat: the digest card, the unseen digest on opening, the one-click
unsubscribe endpoint and the in-process scheduler of ``jobfit ui``.

``ui/app.py`` calls :func:`install` once when Chainlit loads it (inside the server process).
"""

from __future__ import annotations

import asyncio
import html
import logging
import threading
from collections.abc import Mapping
from typing import Any

from tools.digest import Digest

logger = logging.getLogger(__name__)

_started = threading.Event()


def digest_card_props(data: Mapping[str, Any]) -> dict[str, Any]:
    """Props of DigestCard.jsx from a stored digest (``DigestCenter.latest``) or a "digest"
    tool result (``{"digest": {...}, "period": ...}``): the digest card (``tools.digest_card``,
    the one Slack, Teams and the e-mail show) rendered by ``ui.renderers.chainlit``."""
    from tools.digest_card import digest_card
    from ui.renderers.chainlit import digest_props

    d = Digest.model_validate(data.get("digest") or {})
    return {
        "digest_id": data.get("digest_id"),
        **digest_props(digest_card(d)),
        "empty_text": (f"No new jobs at or above {d.threshold} since {d.since:%d %b}."
                       if d.has_cv else "Upload your CV to get matches in your digests."),
        "more": d.more,
    }


async def show_unseen_digest(service: Any, owner_id: str) -> bool:
    """On chat start: the newest digest delivered in the app and not seen yet, as a card
    (marked viewed). True when one was shown."""
    import chainlit as cl

    data = await asyncio.to_thread(service.digests().latest, owner_id, unseen_only=True)
    if not data:
        return False
    element = cl.CustomElement(name="DigestCard", props=digest_card_props(data),
                               display="inline")
    await cl.Message(content="Here is your latest digest.", elements=[element]).send()
    return True


# --------------------------------------------------------------------------- unsubscribe

_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>jobfit</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:520px;margin:60px auto;padding:0 16px;">
<h1 style="font-size:20px;">{title}</h1><p>{body}</p></body></html>"""


async def unsubscribe_endpoint(request: Any) -> Any:
    """GET (the link in the e-mail) or POST (RFC 8058 one-click) ``/digest/unsubscribe?u=&t=``:
    stops the user's e-mail digests."""
    from starlette.responses import HTMLResponse

    from agent.bootstrap import build_service, get_settings
    from ui.email import check_unsubscribe, unsubscribe_key

    settings = get_settings()
    owner_id = str(request.query_params.get("u") or "")[:64]
    token = str(request.query_params.get("t") or "")[:80]
    if not check_unsubscribe(unsubscribe_key(settings.data_dir), owner_id, token):
        return HTMLResponse(_PAGE.format(title="Link not valid", body=(
            "This unsubscribe link is not valid. Open jobfit and say "
            "&ldquo;stop my digests&rdquo; instead.")), status_code=400)
    service = await asyncio.to_thread(build_service, settings)
    if service.users.get(owner_id) is not None:
        await asyncio.to_thread(service.digests().unsubscribe, owner_id, "email")
    url = html.escape(settings.public_url or "/")
    return HTMLResponse(_PAGE.format(title="You are unsubscribed", body=(
        "You will get no more jobfit digest e-mails. Your digests stay available in "
        f"<a href=\"{url}\">the app</a>.")))


def install_routes(server_app: Any) -> None:
    """Serve the unsubscribe link ahead of Chainlit's catch-all route."""
    from starlette.routing import Route

    from ui.email import UNSUBSCRIBE_PATH

    if any(getattr(r, "path", None) == UNSUBSCRIBE_PATH for r in server_app.router.routes):
        return
    server_app.router.routes.insert(0, Route(UNSUBSCRIBE_PATH, unsubscribe_endpoint,
                                             methods=["GET", "POST"]))


def start_scheduler_thread() -> None:
    """Start the scheduler in this process (``JOBFIT_SCHEDULER_IN_UI``, default on), once,
    off the server's start-up path."""
    from agent.bootstrap import get_settings

    if not get_settings().scheduler_in_ui or _started.is_set():
        return
    _started.set()

    def run() -> None:
        from ui.scheduler import start_scheduler

        try:
            start_scheduler(get_settings())
        except Exception:
            logger.exception("the scheduler did not start")

    threading.Thread(target=run, name="jobfit-scheduler", daemon=True).start()


def install(server: Any) -> None:
    """Everything digests add to the web server (called by ui/app.py inside Chainlit)."""
    install_routes(server.app)
    start_scheduler_thread()
