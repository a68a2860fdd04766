"""Chat channel identities, link codes and event de-duplication (``channel_links``,
``link_codes``, ``channel_events``).

A Slack (team, user) or Teams (tenant, user) identity maps to exactly one jobfit user: created
on first contact, or switched to an existing web account with a one-time code the web chat shows
("link slack"). The identity always comes from the platform's verified request.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import uuid
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from store.db import session_scope
from store.tables import ChannelEventRecord, ChannelLinkRecord, LinkCodeRecord, to_utc, utcnow

logger = logging.getLogger(__name__)

CHANNELS = ("slack", "teams")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
CODE_LENGTH = 8
CODE_TTL = timedelta(minutes=10)
EVENT_TTL = timedelta(hours=6)


def _hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def normalise_code(code: str) -> str:
    """``abcd-efgh`` / ``ABCD EFGH`` -> ``ABCDEFGH``."""
    return "".join(c for c in code.upper() if c.isalnum())


def new_owner_id(channel: str) -> str:
    """A fresh jobfit user id for a chat identity (no platform ids in it)."""
    return f"{channel}-{uuid.uuid4().hex[:24]}"


class ChannelRepo:
    """Identity links, link codes, proactive conversation references and seen events."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # -- identities ---------------------------------------------------------------------
    def find(self, channel: str, workspace: str, external_user: str) -> ChannelLinkRecord | None:
        with session_scope(self.engine) as s:
            return s.exec(select(ChannelLinkRecord).where(
                ChannelLinkRecord.channel == channel, ChannelLinkRecord.workspace == workspace,
                ChannelLinkRecord.external_user == external_user)).first()

    def resolve(self, channel: str, workspace: str, external_user: str) -> str:
        """The jobfit user of this identity, created (with a new user id) on first contact."""
        if channel not in CHANNELS:
            raise ValueError(f"unknown channel {channel!r}")
        if not workspace or not external_user:
            raise ValueError("a chat identity needs a workspace and a user")
        found = self.find(channel, workspace, external_user)
        if found is not None:
            return found.owner_id
        try:
            with session_scope(self.engine) as s:
                s.add(ChannelLinkRecord(channel=channel, workspace=workspace,
                                        external_user=external_user,
                                        owner_id=new_owner_id(channel)))
        except IntegrityError:  # created meanwhile by another request
            logger.debug("channel link created concurrently")
        found = self.find(channel, workspace, external_user)
        assert found is not None
        return found.owner_id

    def set_conversation(self, channel: str, workspace: str, external_user: str,
                         conversation: dict[str, Any]) -> None:
        """Remember where to reach this identity proactively (its DM / conversation ref)."""
        with session_scope(self.engine) as s:
            row = s.exec(select(ChannelLinkRecord).where(
                ChannelLinkRecord.channel == channel, ChannelLinkRecord.workspace == workspace,
                ChannelLinkRecord.external_user == external_user)).first()
            if row is not None and row.conversation != conversation:
                row.conversation = dict(conversation)
                row.updated = utcnow()
                s.add(row)

    def links(self, owner_id: str, channel: str | None = None) -> list[ChannelLinkRecord]:
        """The chat identities acting as this user."""
        with session_scope(self.engine) as s:
            q = select(ChannelLinkRecord).where(ChannelLinkRecord.owner_id == owner_id)
            if channel is not None:
                q = q.where(ChannelLinkRecord.channel == channel)
            return list(s.exec(q.order_by(col(ChannelLinkRecord.id))))

    def delete_links(self, owner_id: str) -> int:
        """Remove every chat identity and pending link code of this user ("forget me")."""
        with session_scope(self.engine) as s:
            n = s.exec(delete(ChannelLinkRecord).where(
                col(ChannelLinkRecord.owner_id) == owner_id)).rowcount or 0
            s.exec(delete(LinkCodeRecord).where(
                col(LinkCodeRecord.owner_id) == owner_id))
        return int(n)

    # -- link codes ---------------------------------------------------------------------
    def issue_code(self, owner_id: str, *, now: datetime | None = None) -> str:
        """A new one-time code for this web user (valid 10 minutes; older codes dropped)."""
        now = to_utc(now or utcnow())
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        with session_scope(self.engine) as s:
            s.exec(delete(LinkCodeRecord).where(
                (col(LinkCodeRecord.owner_id) == owner_id)
                | (col(LinkCodeRecord.expires) < now)))
            s.add(LinkCodeRecord(code_hash=_hash(code), owner_id=owner_id,
                                 expires=now + CODE_TTL))
        return f"{code[:4]}-{code[4:]}"

    def redeem(self, code: str, channel: str, workspace: str, external_user: str, *,
               now: datetime | None = None) -> tuple[str, str | None] | None:
        """Link this identity to the code's user; returns (new owner, previous owner or None),
        or None when the code is unknown or expired. The code is used up either way."""
        now = to_utc(now or utcnow())
        if len(normalise_code(code)) != CODE_LENGTH:
            return None
        with session_scope(self.engine) as s:
            row = s.get(LinkCodeRecord, _hash(code))
            if row is None:
                return None
            s.delete(row)
            if to_utc(row.expires) < now:
                return None
            owner = row.owner_id
            link = s.exec(select(ChannelLinkRecord).where(
                ChannelLinkRecord.channel == channel, ChannelLinkRecord.workspace == workspace,
                ChannelLinkRecord.external_user == external_user)).first()
            previous = None
            if link is None:
                s.add(ChannelLinkRecord(channel=channel, workspace=workspace,
                                        external_user=external_user, owner_id=owner))
            else:
                previous = link.owner_id if link.owner_id != owner else None
                link.owner_id = owner
                link.updated = now
                s.add(link)
        return owner, previous

    # -- events -------------------------------------------------------------------------
    def claim_event(self, event_id: str, *, now: datetime | None = None) -> bool:
        """True the first time this event id is seen (its retries get False)."""
        now = to_utc(now or utcnow())
        try:
            with session_scope(self.engine) as s:
                s.add(ChannelEventRecord(event_id=event_id[:128], seen=now))
        except IntegrityError:
            return False
        if secrets.randbelow(100) == 0:  # now and then, drop ids older than any retry
            with session_scope(self.engine) as s:
                s.exec(delete(ChannelEventRecord).where(
                    col(ChannelEventRecord.seen) < now - EVENT_TTL))
        return True
