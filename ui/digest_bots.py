"""Digests in Slack and Teams: ``tools.digest.DigestChannel`` over the chat bots.

Each channel turns the composed digest into the chat card (``tools.digest_card``: matches with
score, grade, reason, gap and job buttons; what changed; skills to show or learn with measured
impacts) and posts it to the user's Slack DM / Teams personal chat, found from their stored
channel links (``store/channels.py``), with the bots of ``ui.channels`` (the ones mounted in
this process, or built from the settings in a scheduler or ``jobfit digest run`` process).

Outcomes, as ``agent/digests.py`` stores them per digest (it also guarantees at most one
delivery per channel and period: a channel interrupted while sending is never retried):

- ``skipped``: the user has no link for that chat (or, in Teams, no personal chat with the bot
  yet), or the bot is not configured;
- ``failed`` with a reason: every linked identity failed (API error code, unreachable, no
  installation for the workspace). Transient errors (unreachable, HTTP 5xx, rate limited) are
  retried with exponential backoff, like the e-mail channel; others fail at once;
- ``sent``: at least one linked identity got it (the reason names any that failed).

Never logged: user ids, conversation references, card content.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any, TypeVar

from tools.digest import DeliveryOutcome, Digest, Recipient
from tools.digest_card import digest_card

logger = logging.getLogger(__name__)

T = TypeVar("T")
RETRIES = 2
BACKOFF_S = 1.0
#: Slack API error codes worth another try.
SLACK_TRANSIENT = {"ratelimited", "rate_limited", "internal_error", "fatal_error",
                   "service_unavailable", "request_timeout"}


class _Failure(Exception):
    """One attempt failed: ``reason`` (user-safe), ``transient`` (worth another try)."""

    def __init__(self, reason: str, transient: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient


class _BotChannel:
    """Retry loop and outcome shared by the Slack and Teams digest channels."""

    name = ""
    label = ""

    def __init__(self, service: Any, bot: Callable[[], Any], *, retries: int = RETRIES,
                 backoff_s: float = BACKOFF_S,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.service = service  # reads the channel links (``service.channels``)
        self.bot = bot  # the bot of ``ui.channels`` (None: not configured)
        self.retries = retries
        self.backoff_s = backoff_s
        self.sleep = sleep

    def _attempts(self, send: Callable[[], None]) -> tuple[bool, str, int]:
        """``send`` with retries of transient failures: (sent, reason, attempts)."""
        attempts = 0
        reason = ""
        for attempt in range(self.retries + 1):
            attempts += 1
            try:
                send()
                return True, "", attempts
            except _Failure as exc:
                reason = exc.reason
                logger.warning("digest %s attempt %d failed: %s", self.name, attempts,
                               exc.reason)
                if not exc.transient or attempt == self.retries:
                    break
                self.sleep(self.backoff_s * (2 ** attempt))
        return False, reason, attempts

    def _send_all(self, targets: Sequence[Callable[[], None]]) -> DeliveryOutcome:
        sent = 0
        attempts = 0
        reasons: list[str] = []
        for send in targets:
            ok, reason, n = self._attempts(send)
            attempts += n
            if ok:
                sent += 1
            elif reason and reason not in reasons:
                reasons.append(reason)
        if sent:
            note = (f"{len(targets) - sent} of {len(targets)} {self.label} accounts failed: "
                    + "; ".join(reasons)) if sent < len(targets) else ""
            return DeliveryOutcome(status="sent", reason=note, attempts=attempts)
        return DeliveryOutcome(status="failed", reason="; ".join(reasons) or "not delivered",
                               attempts=attempts)


class SlackDigestChannel(_BotChannel):
    """The digest as Block Kit in each linked Slack identity's DM (``chat.postMessage``)."""

    name = "slack"
    label = "Slack"

    def deliver(self, digest: Digest, recipient: Recipient, *,
                digest_id: int) -> DeliveryOutcome:
        from slack_sdk import WebClient

        from ui.bots import Reply
        from ui.slack import Poster, bot_token

        links = self.service.channels.links(recipient.owner_id, "slack")
        if not links:
            return DeliveryOutcome(status="skipped", attempts=0, reason=(
                "no Slack account linked (say \"link slack\" in the web chat)"))
        app = self.bot()
        if app is None:
            return DeliveryOutcome(status="skipped", attempts=0, reason=(
                "Slack is not configured (SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN)"))
        reply = Reply(card=digest_card(digest))
        targets = []
        for link in links:
            token = bot_token(app, link.workspace)
            channel = (link.conversation or {}).get("channel")
            poster = None
            if token:
                poster = Poster(WebClient(token=token, base_url=app.client.base_url),
                                link.external_user, str(channel) if channel else None)
            targets.append(partial(_post_slack, poster, reply))
        return self._send_all(targets)


def _post_slack(poster: Any, reply: Any) -> None:
    from slack_sdk.errors import SlackApiError

    if poster is None:
        raise _Failure("jobfit is not installed in that Slack workspace", False)
    try:
        poster.post([reply])
    except SlackApiError as exc:
        code = str(exc.response.get("error") or exc.response.status_code)
        status = int(exc.response.status_code or 0)
        raise _Failure(f"Slack API error: {code[:60]}",
                       status >= 500 or status == 429 or code in SLACK_TRANSIENT) from exc
    except OSError as exc:  # URLError, timeouts, refused connections
        raise _Failure(f"could not reach Slack ({type(exc).__name__})", True) from exc


class TeamsDigestChannel(_BotChannel):
    """The digest as an Adaptive Card in each linked Teams identity's personal chat (a
    proactive message on the stored conversation reference)."""

    name = "teams"
    label = "Teams"

    def deliver(self, digest: Digest, recipient: Recipient, *,
                digest_id: int) -> DeliveryOutcome:
        from ui.bots import Reply

        links = self.service.channels.links(recipient.owner_id, "teams")
        if not links:
            return DeliveryOutcome(status="skipped", attempts=0, reason=(
                "no Teams account linked (say \"link teams\" in the web chat)"))
        refs: list[dict[str, Any]] = [
            ref for link in links if (ref := (link.conversation or {}).get("reference"))]
        if not refs:
            return DeliveryOutcome(status="skipped", attempts=0, reason=(
                "no personal chat with the Teams bot yet (say hi to it in Teams first)"))
        bot = self.bot()
        if bot is None:
            return DeliveryOutcome(status="skipped", attempts=0, reason=(
                "Teams is not configured (TEAMS_APP_ID and TEAMS_APP_PASSWORD)"))
        reply = Reply(card=digest_card(digest))
        return self._send_all([partial(_post_teams, bot, ref, reply) for ref in refs])


def _post_teams(bot: Any, stored: dict[str, Any], reply: Any) -> None:
    from microsoft_agents.activity import ConversationReference

    reference = ConversationReference.model_validate(stored)

    async def send() -> None:
        failed: list[Exception] = []

        async def callback(context: Any) -> None:
            try:
                await bot.send(context, [reply])
            except Exception as exc:  # the adapter's turn-error handler would swallow it
                failed.append(exc)

        await bot.adapter.continue_conversation(
            bot.app_id, reference.get_continuation_activity(), callback)
        if failed:
            raise failed[0]

    try:
        run_sync(send)
    except OSError as exc:
        raise _Failure(f"could not reach Teams ({type(exc).__name__})", True) from exc
    except Exception as exc:  # the SDK's HTTP errors (aiohttp ClientResponseError, ...)
        status = getattr(exc, "status", None) or getattr(exc, "status_code", None)
        if isinstance(status, int):
            raise _Failure(f"Teams connector error {status}",
                           status >= 500 or status == 429) from exc
        name = type(exc).__name__
        raise _Failure(f"Teams delivery failed ({name})",
                       "Connect" in name or "Timeout" in name) from exc


def run_sync(factory: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine from synchronous code, also when this thread has an event loop running
    (then in a helper thread with its own loop)."""
    async def main() -> T:
        return await factory()

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(main())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, main()).result()
