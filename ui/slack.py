"""The Slack bot (slack_bolt, Slack's official SDK), a thin channel over :class:`ui.bots.BotCore`.

- Direct messages: free text runs the agent (cards as Block Kit), a CV file is read and saved.
- @mentions in channels: the answer goes to the person only (ephemeral, in the thread; files to
  their DM); nobody else sees a CV or a score.
- ``/jobfit matches | fit <job id or posting> | digest | help | link CODE`` (ephemeral).
- Card buttons (``jf_*``), the tailoring checklist, App Home (profile, preferences, digest).

Serving: ``/slack/events`` (plus ``/slack/install`` and ``/slack/oauth_redirect`` with OAuth) on
``jobfit ui``'s server when ``SLACK_SIGNING_SECRET`` and ``SLACK_BOT_TOKEN`` (or
``SLACK_CLIENT_ID`` + ``SLACK_CLIENT_SECRET``) are set; ``jobfit slack --port P`` serves the
same alone; ``jobfit slack --socket`` uses Socket Mode (``SLACK_APP_TOKEN``).

Security: Bolt verifies every request's signature and timestamp (bad -> 401, older than
5 minutes -> 401, nothing processed); events are de-duplicated by ``event_id`` in the database
(Slack's retries are answered once); Bolt acknowledges within 3 s and the work runs after.
"""

from __future__ import annotations

import asyncio
import logging
import re
import urllib.request
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from tools.card_text import render_markdown, render_summary
from tools.errors import FileTooLargeError, JobfitError
from ui.bots import BotCore, Identity, Reply, guarded, help_text, log_failure
from ui.renderers.blockkit import TAILOR_OPTIONS, render_blocks, text_blocks

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from agent.settings import Settings

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
#: Bot scopes the app asks for (also in ui/slack_manifest.yaml).
SCOPES = ("app_mentions:read", "channels:history", "chat:write", "commands", "files:read",
          "files:write", "groups:history", "im:history", "im:read", "im:write", "users:read")
FILE_HOSTS = ("files.slack.com",)
MAX_BODY = 1_000_000  # Slack's payloads are a few kB
DOWNLOAD_TIMEOUT_S = 20


# --------------------------------------------------------------------------- posting


def _message(reply: Reply) -> dict[str, Any]:
    """chat.postMessage arguments (text + blocks) of a text or card reply."""
    if reply.card is not None:
        return {"text": render_summary(reply.card)[:3000], "blocks": render_blocks(reply.card)}
    return {"text": reply.text[:3000], "blocks": text_blocks(reply.text)}


def dm_channel(client: WebClient, user: str) -> str:
    """The bot's direct-message channel with this user."""
    opened = client.conversations_open(users=user)
    return str(opened["channel"]["id"])


class Poster:
    """Posts replies for one user: to a channel or DM, or ephemerally (mentions)."""

    def __init__(self, client: WebClient, user: str, channel: str | None = None, *,
                 thread_ts: str | None = None, ephemeral: bool = False,
                 respond: Callable[..., Any] | None = None) -> None:
        self.client = client
        self.user = user
        self.channel = channel
        self.thread_ts = thread_ts
        self.ephemeral = ephemeral
        self.respond = respond
        self._dm: str | None = None

    def dm(self) -> str:
        if self._dm is None:
            if self.channel and self.channel.startswith("D") and not self.ephemeral:
                self._dm = self.channel
            else:
                self._dm = dm_channel(self.client, self.user)
        return self._dm

    def post(self, replies: Sequence[Reply]) -> None:
        for reply in replies:
            if reply.file is not None:
                name, data, _mime = reply.file
                self.client.files_upload_v2(channel=self.dm(), content=data, filename=name,
                                            title=name, initial_comment=reply.text or None)
                continue
            args = _message(reply)
            if self.respond is not None:
                self.respond(response_type="ephemeral", replace_original=False, **args)
            elif self.ephemeral and reply.private:
                self.client.chat_postEphemeral(channel=self.channel or self.dm(), user=self.user,
                                               thread_ts=self.thread_ts, **args)
            else:
                self.client.chat_postMessage(channel=self.channel or self.dm(),
                                             thread_ts=self.thread_ts, **args)


# --------------------------------------------------------------------------- files


def download(url: str, token: str, limit: int, *, allowed_hosts: Sequence[str]) -> bytes:
    """A Slack file's bytes (``url_private_download``), at most ``limit`` bytes.

    Only Slack's file host (or the configured API host) is contacted: the bot token is never
    sent anywhere else.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or parts.hostname not in allowed_hosts:
        raise ValueError("not a Slack file URL")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:  # noqa: S310
        data = response.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(f"That file is larger than the {limit / 1_048_576:.0f} MB limit.")
    return bytes(data)


# --------------------------------------------------------------------------- the app


def _workspace(body: dict[str, Any]) -> str:
    team = body.get("team_id") or (body.get("team") or {}).get("id") \
        or (body.get("user") or {}).get("team_id") or body.get("enterprise_id") or ""
    return str(team)


def build_slack_app(core: BotCore, settings: Settings, *, engine: Engine | None = None,
                    socket_mode: bool = False) -> App:
    """The Bolt app: a bot token (single workspace) or OAuth (installations in ``engine``)."""
    client = WebClient(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    api_host = urlsplit(settings.slack_api_url).hostname or "slack.com"
    file_hosts = (*FILE_HOSTS, api_host)
    limit = settings.max_upload_bytes
    common: dict[str, Any] = {"signing_secret": settings.slack_signing_secret or "",
                              "client": client, "token_verification_enabled": False,
                              "request_verification_enabled": not socket_mode,
                              "ignoring_self_events_enabled": True}
    if settings.slack_bot_token:
        app = App(token=settings.slack_bot_token, **common)
    else:
        from slack_bolt.oauth.oauth_settings import OAuthSettings
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
        from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

        if engine is None or not settings.slack_client_id or not settings.slack_client_secret:
            raise ValueError("Slack needs SLACK_BOT_TOKEN, or SLACK_CLIENT_ID and "
                             "SLACK_CLIENT_SECRET with a database")
        installations = SQLAlchemyInstallationStore(client_id=settings.slack_client_id,
                                                    engine=engine)
        states = SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine)
        installations.metadata.create_all(engine)
        states.metadata.create_all(engine)
        app = App(oauth_settings=OAuthSettings(
            client_id=settings.slack_client_id, client_secret=settings.slack_client_secret,
            scopes=list(SCOPES), installation_store=installations, state_store=states,
            install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH), **common)

    @app.middleware
    def deduplicate(req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
                    ) -> BoltResponse:
        """Slack retries an event it thinks was missed: answer each event id once."""
        event_id = req.body.get("event_id") if isinstance(req.body, dict) else None
        if event_id and not core.service.channels.claim_event(f"slack:{event_id}"):
            logger.info("slack: duplicate event ignored (retry %s)",
                        req.headers.get("x-slack-retry-num", ["?"])[0])
            return BoltResponse(status=200, body="")
        return next()

    def identity(body: dict[str, Any], user: str) -> Identity:
        return Identity("slack", _workspace(body), user)

    @app.event("message")
    def on_message(event: dict[str, Any], body: dict[str, Any], client: WebClient,
                   context: Any) -> None:
        if event.get("channel_type") != "im" or event.get("bot_id"):
            return  # channel messages reach the bot only as mentions
        subtype = event.get("subtype")
        if subtype not in (None, "file_share"):
            return  # edits, deletions, joins...
        user = str(event.get("user") or "")
        if not user:
            return
        who = identity(body, user)
        channel = str(event.get("channel"))
        poster = Poster(client, user, channel)
        try:  # where digests reach this person later (the link exists from now on)
            core.owner(who)
            core.service.channels.set_conversation("slack", who.workspace, user,
                                                   {"channel": channel})
        except Exception:
            log_failure("slack identity")
        files = event.get("files") or []
        if files:
            poster.post(_save_files(core, who, files, context.bot_token or "", limit,
                                    file_hosts))
            if not (event.get("text") or "").strip():
                return
        text = str(event.get("text") or "").strip()
        if text:
            poster.post(core.message(who, text))

    @app.event("app_mention")
    def on_mention(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        user = str(event.get("user") or "")
        if not user or event.get("bot_id"):
            return
        who = identity(body, user)
        text = re.sub(r"<@[A-Z0-9]+>", "", str(event.get("text") or "")).strip()
        thread = str(event.get("thread_ts") or event.get("ts") or "") or None
        poster = Poster(client, user, str(event.get("channel")), thread_ts=thread,
                        ephemeral=True)
        if not text:
            poster.post([Reply(text=help_text("slack"), private=False)])
            return
        poster.post(core.message(who, text))

    @app.command("/jobfit")
    def on_command(ack: Callable[..., None], body: dict[str, Any], respond: Callable[..., Any],
                   client: WebClient) -> None:
        ack()
        user = str(body.get("user_id") or "")
        who = identity(body, user)
        Poster(client, user, str(body.get("channel_id") or ""), respond=respond).post(
            core.command(who, str(body.get("text") or "")))

    @app.action(TAILOR_OPTIONS)
    def on_checkbox(ack: Callable[..., None]) -> None:
        ack()  # ticking a box changes nothing until "Tailor my CV"

    @app.action(re.compile(r"^jf_(analyse|gaps|tailor|tailor_apply|interested|applied|dismiss)$"))
    def on_button(ack: Callable[..., None], body: dict[str, Any], action: dict[str, Any],
                  respond: Callable[..., Any], client: WebClient) -> None:
        ack()
        user = str((body.get("user") or {}).get("id") or "")
        who = identity(body, user)
        name = str(action.get("action_id", ""))[3:]
        options: list[str] = []
        if name == "tailor_apply":
            state = ((body.get("state") or {}).get("values") or {}).get("tailor_options") or {}
            chosen = (state.get(TAILOR_OPTIONS) or {}).get("selected_options") or []
            options = [str(o.get("value")) for o in chosen if o.get("value")]
        replies = core.action(who, name, str(action.get("value") or ""), options)
        has_response = bool(body.get("response_url"))
        Poster(client, user, str((body.get("channel") or {}).get("id") or "") or None,
               respond=respond if has_response else None).post(replies)

    @app.event("app_home_opened")
    def on_home(event: dict[str, Any], body: dict[str, Any], client: WebClient) -> None:
        if event.get("tab") not in (None, "home"):
            return
        user = str(event.get("user") or "")
        client.views_publish(user_id=user, view=home_view(core, identity(body, user)))

    @app.error
    def on_error(error: Exception) -> None:
        logger.error("slack: unhandled %s", type(error).__name__)

    return app


def _save_files(core: BotCore, who: Identity, files: list[dict[str, Any]], token: str,
                limit: int, hosts: Sequence[str]) -> list[Reply]:
    replies: list[Reply] = []
    for f in files[:1]:  # one CV at a time
        name = str(f.get("name") or "cv")

        def go(f: dict[str, Any] = f, name: str = name) -> list[Reply]:
            size = int(f.get("size") or 0)
            if size > limit:
                raise FileTooLargeError(f"{name} is {size / 1_048_576:.1f} MB; the limit is "
                                        f"{limit / 1_048_576:.0f} MB.")
            url = str(f.get("url_private_download") or f.get("url_private") or "")
            data = download(url, token, limit, allowed_hosts=hosts)
            return core.save_cv(who, name, data)

        replies.extend(guarded("slack file download", go))
    if len(files) > 1:
        replies.append(Reply(text="I read the first file only: send one CV at a time."))
    return replies


def home_view(core: BotCore, who: Identity) -> dict[str, Any]:
    """The App Home tab: profile, preferences and the latest digest."""
    def blocks() -> list[dict[str, Any]]:
        owner = core.owner(who)
        out = text_blocks(core.profile_text(owner))
        out.append({"type": "divider"})
        if core.service.has_cv(owner):
            out.extend(render_blocks(core.digest(owner)))
        else:
            out.extend(text_blocks(help_text("slack")))
        return out

    try:
        shown = blocks()
    except Exception:
        log_failure("slack home")
        shown = text_blocks("⚠️ Your profile could not be loaded; try again later.")
    return {"type": "home", "blocks": shown[:100]}


# --------------------------------------------------------------------------- delivery


def deliver(app: App, core: BotCore, owner_id: str, replies: Sequence[Reply]) -> int:
    """Post replies (e.g. a digest card) to each Slack DM of this user; returns how many."""
    sent = 0
    for link in core.service.channels.links(owner_id, "slack"):
        token = _bot_token(app, link.workspace)
        if not token:
            continue
        client = WebClient(token=token, base_url=app.client.base_url)
        channel = (link.conversation or {}).get("channel")
        try:
            Poster(client, link.external_user, str(channel) if channel else None).post(replies)
            sent += 1
        except Exception:
            log_failure("slack delivery")
    return sent


def _bot_token(app: App, team: str) -> str | None:
    if app.client.token:
        return app.client.token
    store = app.installation_store
    if store is None:
        return None
    bot = store.find_bot(enterprise_id=None, team_id=team)
    return bot.bot_token if bot is not None else None


def bot_token(app: App, team: str) -> str | None:
    """The bot token for a workspace: the single-workspace token, or the OAuth install's."""
    return _bot_token(app, team)


def markdown_of(replies: Sequence[Reply]) -> str:
    """Replies as one Markdown text (logs-free debugging, tests)."""
    return "\n\n".join(render_markdown(r.card) if r.card else r.text for r in replies)


# --------------------------------------------------------------------------- HTTP


def routes(app: App) -> list[Route]:
    """Starlette routes for the Bolt app (mounted on ``jobfit ui``'s server or alone)."""
    from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
    from starlette.responses import Response
    from starlette.routing import Route

    async def events(request: Request) -> Response:
        body = await request.body()
        if len(body) > MAX_BODY:
            return Response(status_code=413)
        bolt_resp = await asyncio.to_thread(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_resp)

    out = [Route(EVENTS_PATH, events, methods=["POST"])]
    flow = app.oauth_flow
    if flow is not None:
        async def install(request: Request) -> Response:
            req = to_bolt_request(request, b"")
            return to_starlette_response(await asyncio.to_thread(flow.handle_installation, req))

        async def redirect(request: Request) -> Response:
            req = to_bolt_request(request, b"")
            return to_starlette_response(await asyncio.to_thread(flow.handle_callback, req))

        out += [Route(INSTALL_PATH, install, methods=["GET"]),
                Route(REDIRECT_PATH, redirect, methods=["GET"])]
    return out


def serve(*, port: int, host: str = "127.0.0.1", socket: bool = False) -> None:
    """``jobfit slack``: HTTP mode on ``host:port``, or Socket Mode (``SLACK_APP_TOKEN``)."""
    from agent.bootstrap import build_engine, get_settings
    from ui.bots import build_core

    settings = get_settings()
    core = build_core(settings)
    if socket:
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        if not settings.slack_app_token or not settings.slack_bot_token:
            raise JobfitError("Socket Mode needs SLACK_APP_TOKEN (xapp-...) and "
                              "SLACK_BOT_TOKEN")
        app = build_slack_app(core, settings, socket_mode=True)
        SocketModeHandler(app, settings.slack_app_token).start()
        return
    if not settings.slack_enabled:
        raise JobfitError("Set SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN (or SLACK_CLIENT_ID "
                          "and SLACK_CLIENT_SECRET)")
    import uvicorn
    from starlette.applications import Starlette

    app = build_slack_app(core, settings, engine=build_engine(settings))
    uvicorn.run(Starlette(routes=routes(app)), host=host, port=port, log_level="warning")
