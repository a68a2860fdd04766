"""Digest runs: the user's digest settings, and each digest stored once per period and handed
to every channel (in-app, e-mail, Slack, Teams) exactly once.

:class:`DigestCenter` sits beside :class:`agent.service.JobfitService` (which exposes it as
``service.digests``): it reads through the service's repositories and stage-1 indexes, never
with SQL of its own. The scheduler (``ui/scheduler.py``), the CLI and the chat all call it.
What goes into a digest (new matches, skills to add, trends, changes to saved jobs) is built by
:class:`agent.digest_builder.DigestBuilder` (``center.builder``).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from agent.digest_builder import DigestBuilder, RunCache
from tools.digest import DeliveryOutcome, Digest, DigestChannel, Recipient
from tools.digest_schedule import (
    Schedule,
    latest_slot,
    local_text,
    next_run,
    parse_schedule,
    period_key,
    zone,
)
from tools.errors import InvalidInputError, JobfitError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from agent.service import JobfitService
    from store.tables import DigestRecord
    from store.users import UserPreferences

logger = logging.getLogger(__name__)

CHANNELS = ("in_app", "email", "slack", "teams")
_EMAIL_RE = r"^[^@\s]{1,64}@[^@\s]{1,255}\.[^@\s]{2,}$"


class RunResult(BaseModel):
    """What one run did for one user (the ``jobfit digest run --json`` rows)."""

    model_config = ConfigDict(extra="forbid")

    user: str
    period: str
    status: str  # sent | empty | failed | already | dry_run
    digest_id: int | None = None
    matches: int = 0
    changes: int = 0
    channels: dict[str, dict[str, Any]] = Field(default_factory=dict)


class InAppChannel:
    """The in-app channel: the digest is already stored; the web chat shows it (unseen first)."""

    name = "in_app"

    def deliver(self, digest: Digest, recipient: Recipient, *,
                digest_id: int) -> DeliveryOutcome:
        return DeliveryOutcome(status="sent")


def worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class DigestCenter:
    """Compose, store and deliver digests.

    Args:
        service: the application service (repositories, CVs, stage-1 indexes, weights).
        channels: the delivery channels by name (in-app is always there).
        lease_s: how long a run may hold a (user, period) before another process may take
            it over (a crashed run).
        chat_url: the web chat's public URL (links in digests).
    """

    def __init__(self, service: JobfitService, *, channels: Iterable[DigestChannel] = (),
                 lease_s: float = 600.0, chat_url: str = "") -> None:
        from store.digests import DigestRepo

        self.service = service
        self.repo = DigestRepo(service.engine)
        self.channels: dict[str, DigestChannel] = {"in_app": InAppChannel()}
        for ch in channels:
            self.channels[ch.name] = ch
        self.lease_s = float(lease_s)
        self.chat_url = chat_url
        self.worker = worker_id()
        self.builder = DigestBuilder(service, self.repo)

    def add_channel(self, channel: DigestChannel) -> None:
        """Register a channel (Slack and Teams bots plug in here)."""
        self.channels[channel.name] = channel

    # ------------------------------------------------------------------ schedules
    def set_schedule(self, owner_id: str, schedule: str | None, *,
                     timezone: str | None = None, now: datetime | None = None
                     ) -> dict[str, Any]:
        """Store the digest schedule (and time zone); the answer says when the next one runs,
        in the user's local time."""
        from store.tables import utcnow

        parsed = parse_schedule(schedule)
        prefs = self.service.preferences(owner_id)
        tz_name = (timezone or prefs.timezone or "UTC").strip()
        tz = zone(tz_name)
        now = now or utcnow()
        changes: dict[str, Any] = {
            "digest_schedule": None if parsed.off else parsed.text(), "timezone": tz_name}
        if not parsed.off and prefs.digest_schedule != parsed.text():
            changes["digest_started"] = now.isoformat()  # no digest for slots before this
        self.service.update_preferences(owner_id, **changes)
        return schedule_info(parsed, tz_name, now) | {"timezone": tz.key}

    def schedule_of(self, owner_id: str, now: datetime | None = None) -> dict[str, Any]:
        from store.tables import utcnow

        prefs = self.service.preferences(owner_id)
        return schedule_info(parse_schedule(prefs.digest_schedule), prefs.timezone,
                             now or utcnow())

    def set_email(self, owner_id: str, email: str | None) -> None:
        import re

        value = (email or "").strip() or None
        if value is not None and not re.match(_EMAIL_RE, value):
            raise InvalidInputError("That does not look like an e-mail address.")
        prefs = self.service.preferences(owner_id)
        channels = list(prefs.digest_channels)
        if value and "email" not in channels:
            channels.append("email")
        self.service.update_preferences(owner_id, digest_email=value, digest_channels=channels)

    def set_channels(self, owner_id: str, channels: Iterable[str]) -> list[str]:
        """Choose where digests go (``CHANNELS``: in_app, email, slack, teams); returns them."""
        chosen: list[str] = []
        for raw in channels:
            name = raw.strip().lower().replace("-", "_")
            name = {"app": "in_app", "inapp": "in_app", "web": "in_app", "e_mail": "email",
                    "msteams": "teams"}.get(name, name)
            if name not in CHANNELS:
                raise InvalidInputError(f"Unknown digest channel {raw.strip()[:30]!r}: choose "
                                        "from in_app, email, slack, teams.")
            if name not in chosen:
                chosen.append(name)
        self.service.update_preferences(owner_id, digest_channels=chosen)
        return chosen

    def add_channel_for(self, owner_id: str, channel: str) -> list[str]:
        """Add one channel to the user's digest channels (a bot's "digest here")."""
        now = list(self.service.preferences(owner_id).digest_channels)
        return self.set_channels(owner_id, [*now, channel])

    def unsubscribe(self, owner_id: str, channel: str = "email") -> bool:
        """Stop one channel's digests (the e-mail unsubscribe link)."""
        prefs = self.service.preferences(owner_id)
        if channel not in prefs.digest_channels:
            return False
        self.service.update_preferences(
            owner_id, digest_channels=[c for c in prefs.digest_channels if c != channel])
        logger.info("digest channel %s unsubscribed", channel)
        return True

    # ------------------------------------------------------------------ composition
    def run_cache(self, *, fresh: bool = False) -> RunCache:
        """The job facts of a run, reused for FACTS_TTL_S by later previews (same jobs)."""
        return self.builder.run_cache(fresh=fresh)

    def build(self, owner_id: str, *, now: datetime | None = None, period: str | None = None,
              cache: RunCache | None = None) -> tuple[Digest, list[int]]:
        """The digest the user would get now (not stored), and the job ids it lists."""
        return self.builder.build(owner_id, now=now, period=period, cache=cache)

    # ------------------------------------------------------------------ runs
    def period_for(self, owner_id: str, now: datetime) -> str:
        prefs = self.service.preferences(owner_id)
        schedule = parse_schedule(prefs.digest_schedule)
        tz = zone(prefs.timezone)
        slot = latest_slot(schedule, tz, now)
        return period_key(schedule, tz, slot) if slot is not None else f"now-{now:%Y%m%dT%H%M}"

    def run_user(self, owner_id: str, *, now: datetime | None = None,
                 period: str | None = None, dry_run: bool = False,
                 cache: RunCache | None = None) -> RunResult:
        """Produce and deliver the user's digest for ``period`` (default: the period of their
        latest scheduled slot, or "now-YYYYMMDDTHHMM" without a schedule) exactly once."""
        from store.tables import utcnow

        now = now or utcnow()
        period = period or self.period_for(owner_id, now)
        if dry_run:
            digest, _ = self.build(owner_id, now=now, period=period, cache=cache)
            return RunResult(user=owner_id, period=period, status="dry_run",
                             matches=len(digest.matches), changes=len(digest.changes))
        self.service.ensure_user(owner_id)
        rec = self.repo.claim(owner_id, period, self.worker, lease_s=self.lease_s, now=now)
        if rec is None:
            found = self.repo.by_period(owner_id, period)
            return RunResult(user=owner_id, period=period, status="already",
                             digest_id=found.id if found else None,
                             channels=dict(found.channels) if found else {})
        assert rec.id is not None
        try:
            return self._deliver(owner_id, rec, now, cache)
        except Exception:
            logger.exception("digest %s failed", rec.id)  # no personal data in our messages
            raise

    def _deliver(self, owner_id: str, rec: DigestRecord, now: datetime,
                 cache: RunCache | None) -> RunResult:
        assert rec.id is not None
        prefs = self.service.preferences(owner_id)
        if rec.content:  # a run that stopped half-way: same content, carry on
            digest = Digest.model_validate(rec.content)
        else:
            digest, job_ids = self.build(owner_id, now=now, period=rec.period, cache=cache)
            self.repo.store_content(rec.id, digest.model_dump(mode="json"), job_ids)
        result = RunResult(user=owner_id, period=rec.period, status="sent", digest_id=rec.id,
                           matches=len(digest.matches), changes=len(digest.changes))
        if digest.empty and prefs.digest_when_empty == "none":
            self.repo.finish(rec.id, "empty")
            result.status = "empty"
            return result
        recipient = self._recipient(owner_id, prefs)
        states = dict(rec.channels or {})
        for name in CHANNELS:
            state = (states.get(name) or {}).get("status")
            if state in ("sent", "failed", "skipped"):
                continue
            if state == "sending":
                self.repo.set_channel(rec.id, name, "failed",
                                      "interrupted while sending; not retried so that it is "
                                      "never sent twice")
                continue
            channel = self.channels.get(name)
            if name not in prefs.digest_channels:
                if name in ("in_app", "email") or channel is not None:
                    self.repo.set_channel(rec.id, name, "skipped", "not chosen by the user")
                continue
            if channel is None:
                self.repo.set_channel(rec.id, name, "skipped", "channel not available")
                continue
            self.repo.set_channel(rec.id, name, "sending")
            try:
                outcome = channel.deliver(digest, recipient, digest_id=rec.id)
            except JobfitError as exc:
                outcome = DeliveryOutcome(status="failed", reason=str(exc))
            except Exception as exc:
                logger.error("digest channel %s failed: %s", name, type(exc).__name__)
                outcome = DeliveryOutcome(status="failed", reason=type(exc).__name__)
            self.repo.set_channel(rec.id, name, outcome.status, outcome.reason,
                                  outcome.attempts)
            self.repo.renew(rec.id, self.worker)
        final = self.repo.get(owner_id, rec.id)
        channels = dict(final.channels) if final is not None else {}
        sent = any(c.get("status") == "sent" for c in channels.values())
        result.status = "sent" if sent else "failed"
        result.channels = channels
        self.repo.finish(rec.id, result.status)
        return result

    def _recipient(self, owner_id: str, prefs: UserPreferences) -> Recipient:
        user = self.service.users.get(owner_id)
        return Recipient(owner_id=owner_id, name=(user.display_name if user else "") or "",
                         email=prefs.digest_email,
                         external_ids=dict(user.external_ids) if user else {},
                         chat_url=self.chat_url)

    def run_due(self, now: datetime | None = None, *,
                shard: tuple[int, int] | None = None) -> list[RunResult]:
        """Every scheduled user whose latest slot's digest is not produced yet (missed runs
        are coalesced: only the latest period of each user is produced). ``shard=(i, n)``
        takes every n-th user from the i-th (parallel workers; claims keep them apart)."""
        from store.tables import utcnow

        now = now or utcnow()
        cache: RunCache | None = None
        out = []
        for n, (owner_id, raw) in enumerate(self.scheduled_users()):
            if shard is not None and n % shard[1] != shard[0]:
                continue
            try:
                schedule = parse_schedule(raw.get("digest_schedule"))
                tz = zone(raw.get("timezone"))
            except JobfitError:
                logger.warning("user with an invalid digest schedule skipped")
                continue
            slot = latest_slot(schedule, tz, now)
            if slot is None:
                continue
            started = raw.get("digest_started")
            if started and slot < datetime.fromisoformat(str(started)):
                continue
            period = period_key(schedule, tz, slot)
            done = self.repo.by_period(owner_id, period)
            if done is not None and done.status not in ("composing", "delivering"):
                continue
            cache = cache or self.run_cache(fresh=True)
            out.append(self.run_user(owner_id, now=now, period=period, cache=cache))
        return out

    def scheduled_users(self) -> list[tuple[str, dict[str, Any]]]:
        """(user id, preferences) of every user whose digest schedule is set, by user id."""
        return scheduled_users(self.service.engine)

    # ------------------------------------------------------------------ reading
    def history(self, owner_id: str, limit: int = 10) -> list[dict[str, Any]]:
        """The owner's last digests, newest first (no content)."""
        return [_summary(r) for r in self.repo.list(owner_id, limit=limit)]

    def latest(self, owner_id: str, *, unseen_only: bool = False,
               mark_viewed: bool = True) -> dict[str, Any] | None:
        """The newest digest (or the newest unseen one) with its content; marks it viewed."""
        if unseen_only:
            rec = self.repo.latest_unseen(owner_id)
        else:
            rec = next((r for r in self.repo.list(owner_id, limit=10) if r.content), None)
        if rec is None or rec.id is None:
            return None
        if mark_viewed:
            self.repo.mark_viewed(owner_id, rec.id)
        return {**_summary(rec), "digest": rec.content}


def scheduled_users(engine: Engine) -> list[tuple[str, dict[str, Any]]]:
    """(user id, preferences) of every user whose digest schedule is set, by user id. Needs
    only the database: the scheduler's sync reads it without loading a service."""
    from store.digests import users_with_schedule

    return users_with_schedule(engine)


def schedule_info(schedule: Schedule, tz_name: str | None, now: datetime) -> dict[str, Any]:
    tz = zone(tz_name)
    nxt = next_run(schedule, tz, now)
    return {"schedule": schedule.text(), "describe": schedule.describe(), "timezone": tz.key,
            "next_run": nxt.isoformat() if nxt else None,
            "next_run_local": local_text(nxt, tz) if nxt else None}


def _summary(rec: DigestRecord) -> dict[str, Any]:
    content = rec.content or {}
    return {"digest_id": rec.id, "period": rec.period, "status": rec.status,
            "created": rec.created.isoformat(), "viewed_at": rec.viewed_at.isoformat()
            if rec.viewed_at else None, "matches": len(content.get("matches") or []),
            "changes": len(content.get("changes") or []),
            "channels": {k: {"status": v.get("status"), "reason": v.get("reason", "")}
                         for k, v in (rec.channels or {}).items()}}
