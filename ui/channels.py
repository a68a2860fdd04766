"""The chat bots on ``jobfit ui``'s server, instead of Chainlit's own integrations.

Chainlit 2.12 mounts a plain-text Slack handler on ``/slack/events`` when ``SLACK_BOT_TOKEN``
and ``SLACK_SIGNING_SECRET`` are set (socket mode with ``SLACK_WEBSOCKET_TOKEN``), a Teams one
on ``TEAMS_APP_ID`` + ``TEAMS_APP_PASSWORD`` and a Discord one on ``DISCORD_BOT_TOKEN``; each
crashes the server at start when its SDK is missing, and none has cards, buttons or commands.
jobfit replaces them:

- :func:`hide_chainlit_integrations` renames those variables (``SLACK_BOT_TOKEN`` ->
  ``JOBFIT_SLACK_BOT_TOKEN``...) in the environment ``jobfit ui`` starts Chainlit with, so
  Chainlit mounts none of them; jobfit's settings read both spellings, so Slack's and
  Microsoft's standard names keep working.
- :func:`mount` puts jobfit's own handlers first on the server (``/slack/events`` and the OAuth
  pages; ``/api/messages``) and removes any Chainlit channel route left (e.g. when started with
  ``chainlit run`` directly): exactly one handler answers each path. A broken bot setting is
  logged and that bot left off; the web chat always starts.
"""

from __future__ import annotations

import logging
from collections.abc import MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from agent.settings import Settings
    from ui.bots import BotCore

logger = logging.getLogger(__name__)

#: Variables Chainlit's server reads to mount its own channel integrations -> jobfit's name.
CHAINLIT_VARS = {
    "SLACK_BOT_TOKEN": "JOBFIT_SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET": "JOBFIT_SLACK_SIGNING_SECRET",
    "SLACK_WEBSOCKET_TOKEN": "JOBFIT_SLACK_APP_TOKEN",
    "TEAMS_APP_ID": "JOBFIT_TEAMS_APP_ID",
    "TEAMS_APP_PASSWORD": "JOBFIT_TEAMS_APP_PASSWORD",
    "DISCORD_BOT_TOKEN": "JOBFIT_DISCORD_BOT_TOKEN",
}
CHAINLIT_PATHS = ("/slack/events", "/teams/events")
#: The bots mounted in this process ("slack": the Bolt app, "teams": the TeamsBot), and their
#: core ("core"), for proactive delivery (:func:`deliver`).
BOTS: dict[str, Any] = {}


def hide_chainlit_integrations(env: MutableMapping[str, str],
                               dotenv: str | Path | None = None) -> list[str]:
    """Rename Chainlit's channel variables in ``env`` (jobfit's own name is kept if set) and
    leave each of them set to "" (Chainlit loads ``.env`` itself, without overriding what is
    set: so a value in ``.env`` cannot re-enable its integrations either; jobfit takes such
    values under its own names). Returns the names moved."""
    from dotenv import dotenv_values

    in_file: dict[str, str | None] = {}
    if dotenv is not None and Path(dotenv).is_file():
        in_file = dict(dotenv_values(dotenv))
    moved = []
    for name, ours in CHAINLIT_VARS.items():
        value = env.pop(name, None) or in_file.get(name)
        if value:
            env.setdefault(ours, value)
            moved.append(name)
        env[name] = ""
    if "DISCORD_BOT_TOKEN" in moved:
        logger.warning("DISCORD_BOT_TOKEN is set: jobfit has no Discord bot; ignored")
    return moved


class LazyCore:
    """The bot core, built on first use (the service loads indexes; the server starts fast)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._core: BotCore | None = None

    def get(self) -> BotCore:
        if self._core is None:
            from ui.bots import build_core

            self._core = build_core(self.settings)
        return self._core

    def __getattr__(self, name: str) -> Any:
        return getattr(self.get(), name)


def build_bots(settings: Settings) -> dict[str, Any]:
    """The configured bots: ``{"core": LazyCore, "slack": Bolt App, "teams": TeamsBot}`` (a
    bot whose settings are missing or broken is left out and logged). Builds no service yet."""
    bots: dict[str, Any] = {"core": LazyCore(settings)}
    if settings.slack_enabled:
        try:
            from agent.bootstrap import build_engine
            from ui.slack import build_slack_app

            engine = None if settings.slack_bot_token else build_engine(settings)
            bots["slack"] = build_slack_app(bots["core"], settings, engine=engine)
        except Exception as exc:
            logger.error("Slack bot not started: %s: %s", type(exc).__name__, exc)
    if settings.teams_enabled:
        try:
            from ui.teams import TeamsBot

            bots["teams"] = TeamsBot(bots["core"], settings)
        except Exception as exc:
            logger.error("Teams bot not started: %s: %s", type(exc).__name__, exc)
    return bots


def mount(server: Any, settings: Settings) -> list[str]:
    """Put the configured bots' routes first on the Chainlit FastAPI ``server``; returns the
    paths mounted. Never raises: a bad setting is logged and that bot skipped."""
    from starlette.routing import BaseRoute

    BOTS.clear()
    BOTS.update(build_bots(settings))
    routes: list[BaseRoute] = []
    if "slack" in BOTS:
        from ui.slack import routes as slack_routes

        routes += slack_routes(BOTS["slack"])
    if "teams" in BOTS:
        from ui.teams import routes as teams_routes

        routes += teams_routes(BOTS["core"], settings, bot=BOTS["teams"])
    taken = {getattr(r, "path", None) for r in routes} | set(CHAINLIT_PATHS)
    router = server.router
    router.routes[:] = [r for r in router.routes if getattr(r, "path", None) not in taken]
    router.routes[0:0] = routes
    paths = [str(getattr(r, "path", "")) for r in routes]
    if paths:
        logger.warning("chat bots on %s", ", ".join(paths))
    return paths


async def deliver(owner_id: str, replies: list[Any]) -> dict[str, int]:
    """Send replies (a digest card: ``ui.bots.Reply(card=...)``) to this user's Slack DMs and
    Teams personal chats, through the bots mounted in this process; returns how many per
    channel. Never raises (failures are logged)."""
    import asyncio

    if not BOTS:  # another process than jobfit ui (e.g. a scheduled digest run)
        from agent.bootstrap import get_settings

        BOTS.update(build_bots(get_settings()))
    sent: dict[str, int] = {}
    core = BOTS.get("core")
    if "slack" in BOTS and core is not None:
        from ui.slack import deliver as slack_deliver

        sent["slack"] = await asyncio.to_thread(slack_deliver, BOTS["slack"], core, owner_id,
                                                replies)
    if "teams" in BOTS:
        sent["teams"] = await BOTS["teams"].deliver(owner_id, replies)
    return sent


def deliver_card(owner_id: str, card: Any) -> dict[str, int]:
    """:func:`deliver` of one card (e.g. a ``tools.cards.Digest``) from synchronous code."""
    import asyncio

    from ui.bots import Reply

    return asyncio.run(deliver(owner_id, [Reply(card=card)]))


def bot(name: str, settings: Settings | None = None) -> Any:
    """The bot ``name`` ("slack": the Bolt app, "teams": the TeamsBot) mounted in this process,
    or built from the settings (a scheduler or ``jobfit digest run`` process); None when that
    bot is not configured. Used by the Slack and Teams digest channels (``ui/digest_bots.py``)."""
    if not BOTS:
        if settings is None:
            from agent.bootstrap import get_settings

            settings = get_settings()
        BOTS.update(build_bots(settings))
    return BOTS.get(name)
