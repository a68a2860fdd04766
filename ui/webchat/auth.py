"""Who is chatting: the login callbacks (open mode or password accounts) and the chat history
data layer (:mod:`ui.chat_history`)."""

from __future__ import annotations

from typing import Any

import chainlit as cl

from agent.bootstrap import get_settings, sync_database_url
from ui import chat_history as history
from ui.webchat.runtime import (
    LOCAL_USER,
    auth_mode,
    log_failure,
    project_engine,
    web_guard,
)

PASSWORD_MODE = auth_mode() == "password"  # read when the app loads

if PASSWORD_MODE:

    @cl.password_auth_callback
    async def password_login(username: str, password: str) -> cl.User | None:
        """Check a login against the ``logins`` table (throttled, see ui/security.py); the
        session id it starts rides in the token and is checked on every request."""
        from ui.security import LoginLocked
        from ui.users import verify_user

        try:
            found = await web_guard().login(
                username, password, lambda n, p: verify_user(n, p, engine=project_engine()))
        except LoginLocked:
            raise  # POST /login (ui/routes.py) answers 429 with Retry-After
        except Exception:
            log_failure("login check")
            return None
        if found is None:
            return None
        uid, sid = found
        return cl.User(identifier=username.strip(), display_name=username.strip(),
                       metadata={"jobfit_id": uid, "mode": "password", "jf_sid": sid})

    @cl.on_logout
    async def password_logout(request: Any, response: Any) -> dict[str, bool]:
        """Logging out ends the session server-side too (the token stops working at once)."""
        from chainlit.auth import get_token_from_cookies

        await web_guard().logout(get_token_from_cookies(request.cookies))
        return {"success": True}

else:

    @cl.header_auth_callback
    async def open_login(headers: Any) -> cl.User | None:
        """Open single-user mode: everyone who reaches the app is the local user."""
        return cl.User(identifier=LOCAL_USER, display_name="Local user (open mode)",
                       metadata={"jobfit_id": LOCAL_USER, "mode": "open"})


@cl.data_layer
def chat_history() -> history.JobfitDataLayer:
    """Chat history beside the project database (``ui/chat_history.py``; tables created here
    when missing)."""
    url = sync_database_url(get_settings())
    history.create_chat_tables(url)
    return history.JobfitDataLayer.for_database(url)
