"""The Microsoft Teams bot, on the Microsoft 365 Agents SDK (``microsoft-agents-hosting-*``), a
thin channel over :class:`ui.bots.BotCore`.

Why this SDK: it is Microsoft's supported successor of the Bot Framework SDK (botbuilder, in
maintenance), speaks the same Bot Framework protocol Teams uses (activities, Adaptive Cards,
conversation references for proactive messages), validates Entra / Bot Framework tokens itself
and ships a FastAPI host, so it mounts on ``jobfit ui``'s Chainlit server as one route.

- Personal chat: free text runs the agent (cards as Adaptive Cards); a CV file sent in the chat
  is read and saved; card buttons (``Action.Submit``) come back as message activities whose
  ``value`` carries the action and the job id; the user is who clicked.
- Channel mentions: a short reply in the thread; anything with a CV or score is sent to the
  person's personal chat (proactively, from the conversation reference saved there).
- The tailored CV (DOCX) goes through Teams' file consent card: on "Allow" it is uploaded to
  the URL Teams gives (the person's OneDrive) and shown as a file card.
- Proactive delivery (digests): :meth:`TeamsBot.deliver` continues each stored personal
  conversation.
- ``POST /api/messages``: when the app id and secret are set, every request must carry a valid
  Bot Framework / Entra token for this app (missing or bad -> 401, nothing processed).
"""

from __future__ import annotations

import asyncio
import logging
import urllib.request
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from microsoft_agents.activity import (
    Activity,
    Attachment,
    ConversationReference,
    InvokeResponse,
)
from microsoft_agents.hosting.core import (
    ActivityHandler,
    AgentAuthConfiguration,
    MessageFactory,
    TurnContext,
)
from microsoft_agents.hosting.core.authorization import ClaimsIdentity, Connections
from microsoft_agents.hosting.core.authorization.jwt import JwtTokenValidator
from microsoft_agents.hosting.fastapi import CloudAdapter

from tools.card_text import render_summary
from tools.errors import FileTooLargeError
from ui.bots import BotCore, Identity, Reply, guarded, help_text, log_failure
from ui.renderers.adaptive import CONTENT_TYPE, chosen_options, render_adaptive

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.routing import Route

    from agent.settings import Settings

logger = logging.getLogger(__name__)

MESSAGES_PATH = "/api/messages"
FILE_INFO = "application/vnd.microsoft.teams.file.download.info"
FILE_CONSENT = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
#: Where Teams keeps files sent to a bot (OneDrive / SharePoint download URLs).
FILE_HOST_SUFFIXES = (".sharepoint.com", ".sharepoint.us", ".1drv.com")
MAX_BODY = 1_000_000
MAX_TEXT = 20_000  # a Teams message holds ~28 kB


class PendingFiles:
    """Files waiting for the person's consent (in memory, 15 minutes, at most 256)."""

    TTL_S = 900.0
    SIZE = 256

    def __init__(self) -> None:
        import threading

        self._items: dict[str, tuple[float, str, bytes]] = {}
        self._lock = threading.Lock()

    def put(self, name: str, data: bytes) -> str:
        import secrets
        import time

        token = secrets.token_urlsafe(16)
        with self._lock:
            now = time.monotonic()
            for key in [k for k, v in self._items.items() if now - v[0] > self.TTL_S]:
                del self._items[key]
            while len(self._items) >= self.SIZE:
                del self._items[next(iter(self._items))]
            self._items[token] = (now, name, data)
        return token

    def pop(self, token: str) -> tuple[str, bytes] | None:
        import time

        with self._lock:
            item = self._items.pop(token, None)
        if item is None or time.monotonic() - item[0] > self.TTL_S:
            return None
        return item[1], item[2]


def _trusted_upload(url: str, service_url: str) -> bool:
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme in ("https", "http") and (
        host.endswith(FILE_HOST_SUFFIXES) or bool(service_url)
        and host == urlsplit(service_url).hostname)


def _put(url: str, data: bytes) -> None:
    request = urllib.request.Request(url, data=data, method="PUT", headers={
        "Content-Length": str(len(data)),
        "Content-Range": f"bytes 0-{len(data) - 1}/{len(data)}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        response.read()


class TeamsBot:
    """The adapter, the activity handler and the auth configuration of one Teams app."""

    def __init__(self, core: BotCore, settings: Settings, *,
                 connections: Connections | None = None) -> None:
        self.core = core
        self.settings = settings
        self.app_id = settings.teams_app_id or ""
        self.auth = AgentAuthConfiguration(
            client_id=settings.teams_app_id, client_secret=settings.teams_app_password,
            tenant_id=settings.teams_tenant_id, anonymous_allowed=not settings.teams_enabled)
        if connections is None:
            from microsoft_agents.authentication.msal import MsalConnectionManager

            connections = MsalConnectionManager(
                connections_configurations={"SERVICE_CONNECTION": self.auth})
        self.adapter = CloudAdapter(connection_manager=connections)
        self.adapter.on_turn_error = self._on_turn_error
        self.handler = _Handler(self)
        self.limit = settings.max_upload_bytes
        self.pending = PendingFiles()

    @staticmethod
    async def _on_turn_error(context: TurnContext, error: Exception) -> None:
        logger.error("teams: turn failed: %s", type(error).__name__)
        try:
            await context.send_activity("⚠️ Something went wrong on our side; please try again.")
        except Exception:
            logger.debug("teams: could not report the error", exc_info=True)

    async def authorize(self, header: str | None) -> ClaimsIdentity | None:
        """The verified claims of a request, or None (-> 401). Without credentials configured
        (local testing) requests are anonymous."""
        validator = JwtTokenValidator(self.auth)
        if not header:
            return validator.get_anonymous_claims() if self.auth.ANONYMOUS_ALLOWED else None
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return None
        try:
            return await validator.validate_token(token.strip())
        except Exception as exc:  # PyJWTError, ValueError, key lookup failures
            logger.warning("teams: token refused: %s", type(exc).__name__)
            return None

    # -- sending ------------------------------------------------------------------------
    @staticmethod
    def activity_of(reply: Reply) -> Activity:
        if reply.card is not None:
            return MessageFactory.attachment(
                Attachment(content_type=CONTENT_TYPE, content=render_adaptive(reply.card)),
                text=None)
        return MessageFactory.text(reply.text[:MAX_TEXT])

    def file_consent(self, reply: Reply) -> Activity:
        """A file for the person: Teams asks them to accept it first (the file consent card);
        on "Allow", :meth:`on_file_consent` uploads it to their OneDrive."""
        assert reply.file is not None
        name, data, _mime = reply.file
        token = self.pending.put(name, data)
        consent = Attachment(
            content_type=FILE_CONSENT, name=name,
            content={"description": reply.text[:200] or name, "sizeInBytes": len(data),
                     "acceptContext": {"file": token}, "declineContext": {"file": token}})
        activity = MessageFactory.attachment(consent, text=None)
        activity.text = reply.text[:MAX_TEXT] or None
        return activity

    async def on_file_consent(self, context: TurnContext) -> InvokeResponse:
        """The person allowed (or declined) a file: upload it where Teams says, then show it."""
        value = context.activity.value if isinstance(context.activity.value, dict) else {}
        token = str(((value.get("context") or {}).get("file")) or "")
        pending = self.pending.pop(token)
        if value.get("action") != "accept":
            return InvokeResponse(status=200)
        if pending is None:
            await context.send_activity("That file expired; ask me to tailor your CV again.")
            return InvokeResponse(status=200)
        name, data = pending
        info = value.get("uploadInfo") or {}
        upload_url = str(info.get("uploadUrl") or "")
        if not _trusted_upload(upload_url, context.activity.service_url or ""):
            logger.warning("teams: file upload URL refused")
            return InvokeResponse(status=400)
        await asyncio.to_thread(_put, upload_url, data)
        card = Attachment(content_type=FILE_INFO_CARD, name=str(info.get("name") or name),
                          content_url=str(info.get("contentUrl") or "") or None,
                          content={"uniqueId": info.get("uniqueId"),
                                   "fileType": info.get("fileType") or "docx"})
        await context.send_activity(MessageFactory.attachment(card, text=None))
        return InvokeResponse(status=200)

    async def send(self, context: TurnContext, replies: Sequence[Reply]) -> None:
        for reply in replies:
            if reply.file is not None:
                await context.send_activity(self.file_consent(reply))
                continue
            activity = self.activity_of(reply)
            if reply.card is not None:
                activity.summary = render_summary(reply.card)
            await context.send_activity(activity)

    async def deliver(self, owner_id: str, replies: Sequence[Reply]) -> int:
        """Send replies (a digest) to each stored personal chat of this user; returns how many."""
        sent = 0
        for link in self.core.service.channels.links(owner_id, "teams"):
            stored = (link.conversation or {}).get("reference")
            if not stored:
                continue
            reference = ConversationReference.model_validate(stored)
            failed: list[BaseException] = []

            async def callback(context: TurnContext, failed: list[BaseException] = failed
                               ) -> None:
                try:
                    await self.send(context, replies)
                except Exception as exc:  # the turn-error handler would swallow it
                    failed.append(exc)

            try:
                await self.adapter.continue_conversation(
                    self.app_id, reference.get_continuation_activity(), callback)
                if failed:
                    raise failed[0]
                sent += 1
            except Exception:
                log_failure("teams delivery")
        return sent

    # -- receiving ----------------------------------------------------------------------
    def identity(self, activity: Activity) -> Identity:
        sender = activity.from_property
        tenant = activity.conversation.tenant_id if activity.conversation else None
        if not tenant and isinstance(activity.channel_data, dict):
            tenant = (activity.channel_data.get("tenant") or {}).get("id")
        user = (sender.aad_object_id or sender.id) if sender else None
        if not tenant or not user:
            raise PermissionError("an activity without tenant or user")
        return Identity("teams", str(tenant), str(user))

    async def on_message(self, context: TurnContext) -> None:
        activity = context.activity
        who = self.identity(activity)
        personal = (activity.conversation.conversation_type or "personal") == "personal"
        if personal:  # where digests and private answers reach this person later
            reference = activity.get_conversation_reference().model_dump(
                mode="json", by_alias=True, exclude_none=True)
            await asyncio.to_thread(self._remember, who, {"reference": reference})
        value = activity.value if isinstance(activity.value, dict) else None
        if value and value.get("action"):
            options = chosen_options(value)
            replies = await asyncio.to_thread(self.core.action, who, str(value["action"]),
                                              str(value.get("job_ref") or ""), options)
        else:
            files = [a for a in activity.attachments or [] if a.content_type == FILE_INFO]
            text = (activity.text or "").strip()
            if not personal:
                text = _without_mentions(activity)
            replies = []
            if files:
                replies += await asyncio.to_thread(self._save_file, who, files[0],
                                                   activity.service_url or "")
            if text:
                replies += await asyncio.to_thread(self.core.message, who, text)
            elif not files:
                replies = [Reply(text=help_text("teams"), private=False)]
        if personal:
            await self.send(context, replies)
            return
        public = [r for r in replies if not r.private]
        private = [r for r in replies if r.private]
        if private:
            owner = await asyncio.to_thread(self.core.owner, who)
            delivered = await self._deliver_to(owner, who, private)
            public.append(Reply(text="I sent you the answer in our personal chat." if delivered
                                else "Say hi to me in a personal chat first: I only show your "
                                     "CV and scores to you there.", private=False))
        await self.send(context, public)

    def _remember(self, who: Identity, conversation: dict[str, Any]) -> None:
        self.core.owner(who)  # the identity's link exists from the first message on
        self.core.service.channels.set_conversation("teams", who.workspace, who.user,
                                                    conversation)

    async def _deliver_to(self, owner: str, who: Identity, replies: Sequence[Reply]) -> bool:
        link = await asyncio.to_thread(self.core.service.channels.find, "teams", who.workspace,
                                       who.user)
        if link is None or not (link.conversation or {}).get("reference"):
            return False
        reference = ConversationReference.model_validate(link.conversation["reference"])

        async def callback(context: TurnContext) -> None:
            await self.send(context, replies)

        await self.adapter.continue_conversation(
            self.app_id, reference.get_continuation_activity(), callback)
        return True

    def _save_file(self, who: Identity, attachment: Attachment, service_url: str) -> list[Reply]:
        content = attachment.content if isinstance(attachment.content, dict) else {}
        name = str(attachment.name or "cv")

        def go() -> list[Reply]:
            url = str(content.get("downloadUrl") or "")
            data = download(url, self.limit, service_url=service_url)
            return self.core.save_cv(who, name, data)

        return guarded("teams file download", go)


def _without_mentions(activity: Activity) -> str:
    text = activity.text or ""
    for mention in activity.get_mentions() or []:
        said = getattr(mention, "text", None)
        if said:
            text = text.replace(said, "")
    return text.strip()


def download(url: str, limit: int, *, service_url: str = "") -> bytes:
    """A file a person sent the bot (a pre-authorised OneDrive/SharePoint download URL)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    trusted = host.endswith(FILE_HOST_SUFFIXES) or (
        service_url and host == urlsplit(service_url).hostname)
    if parts.scheme not in ("https", "http") or not trusted:
        raise ValueError("not a Teams file URL")
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310
        data = response.read(limit + 1)
    if len(data) > limit:
        raise FileTooLargeError(f"That file is larger than the {limit / 1_048_576:.0f} MB limit.")
    return bytes(data)


class _Handler(ActivityHandler):
    def __init__(self, bot: TeamsBot) -> None:
        super().__init__()
        self.bot = bot

    async def on_message_activity(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        await self.bot.on_message(turn_context)

    async def on_invoke_activity(self, turn_context: TurnContext  # type: ignore[override]
                                 ) -> InvokeResponse | None:
        if turn_context.activity.name == "fileConsent/invoke":
            return await self.bot.on_file_consent(turn_context)
        return await super().on_invoke_activity(turn_context)

    async def on_members_added_activity(self, members_added: Any,  # type: ignore[override]
                                        turn_context: TurnContext) -> None:
        recipient = turn_context.activity.recipient
        if any(m.id == (recipient.id if recipient else None) for m in members_added or []):
            await turn_context.send_activity(MessageFactory.text(help_text("teams")))


def routes(core: BotCore, settings: Settings, *, connections: Connections | None = None,
           bot: TeamsBot | None = None) -> list[Route]:
    """``POST /api/messages`` (authenticated when the app id and secret are set)."""
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    teams = bot or TeamsBot(core, settings, connections=connections)

    async def messages(request: Request) -> Response:
        if int(request.headers.get("content-length") or 0) > MAX_BODY:
            return JSONResponse({"error": "too large"}, status_code=413)
        claims = await teams.authorize(request.headers.get("Authorization"))
        if claims is None:
            return JSONResponse({"error": "unauthorized"}, status_code=401)
        request.state.claims_identity = claims
        response = await teams.adapter.process(request, teams.handler)
        assert response is not None
        return response

    return [Route(MESSAGES_PATH, messages, methods=["POST"])]


APP_FOLDER = __import__("pathlib").Path(__file__).resolve().parent / "teams_app"


def build_app_package(out: Any, *, app_id: str) -> Any:
    """The Teams app package (``manifest.json`` with this bot's app id, and the two icons)
    as a zip to upload in Teams ("Apps -> Manage your apps -> Upload an app")."""
    import zipfile
    from pathlib import Path

    out = Path(out)
    manifest = (APP_FOLDER / "manifest.json").read_text(encoding="utf-8")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", manifest.replace("{{TEAMS_APP_ID}}", app_id))
        for icon in ("color.png", "outline.png"):
            z.write(APP_FOLDER / icon, icon)
    return out
