"""The e-mail channel against a real SMTP server on 127.0.0.1 (aiosmtpd): multipart text +
HTML, links, List-Unsubscribe, retries with backoff on a temporary refusal, no retry on a
permanent one, skipped without an address or SMTP settings."""

from __future__ import annotations

import email
import re
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tools.digest import Digest, DigestMatch, Recipient
from tools.insights import SkillImpact
from ui.email import (
    EmailChannel,
    SmtpConfig,
    check_unsubscribe,
    unsubscribe_token,
)

KEY = b"k" * 32
BASE = "http://127.0.0.1:8123"


class Sink:
    """Stores what it receives; answers the first ``refuse`` DATA commands with ``code``."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse = 0
        self.code = "451 4.3.0 try again later"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            self.refuse -= 1
            return self.code
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = _port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


def digest() -> Digest:
    now = datetime(2026, 12, 7, 8, tzinfo=UTC)
    match = DigestMatch(job_id="sample-0-00042", ref=42, title="Backend <Engineer>",
                        company="Acme & Co", location="Berlin", remote="hybrid", score=84,
                        grade="A", label="Excellent", reason="8 of 9 required skills",
                        gap="Kubernetes (required)", gap_points=6,
                        url="https://jobs.example.com/42")
    skill = SkillImpact(skill_id="kubernetes", skill="Kubernetes", kind="learn", impact=7.0,
                        jobs=12, of=30, total=84, best=9)
    return Digest(period="2026-12-07", generated=now, since=now - timedelta(days=1),
                  matches=[match], skills=[skill], measured_on=30)


def channel(port: int, **kw: Any) -> tuple[EmailChannel, list[float]]:
    sleeps: list[float] = []
    config = SmtpConfig(host="127.0.0.1", port=port, security="none",
                        sender="jobfit <digest@jobfit.test>", timeout_s=10, **kw)
    return EmailChannel(config, base_url=BASE, key=KEY, sleep=sleeps.append), sleeps


ANA = Recipient(owner_id="ana", name="Ana", email="ana@example.com")


def test_multipart_message_with_links_and_unsubscribe(smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    ch, sleeps = channel(port)
    out = ch.deliver(digest(), ANA, digest_id=7)
    assert (out.status, out.attempts, sleeps) == ("sent", 1, [])
    assert len(sink.messages) == 1 and sink.messages[0][0] == ["ana@example.com"]
    msg = email.message_from_bytes(sink.messages[0][1], policy=default)
    assert isinstance(msg, EmailMessage) and msg.get_content_type() == "multipart/alternative"
    assert msg["Subject"] == "jobfit digest: 1 new match (2026-12-07)"
    assert msg["Message-ID"] == "<digest-7.2026-12-07@jobfit.test>"
    unsub = re.fullmatch(r"<(.+)>", msg["List-Unsubscribe"])
    assert unsub is not None and msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = unsub.group(1)
    assert link == f"{BASE}/digest/unsubscribe?u=ana&t={unsubscribe_token(KEY, 'ana')}"
    assert check_unsubscribe(KEY, "ana", unsubscribe_token(KEY, "ana"))
    assert not check_unsubscribe(KEY, "bob", unsubscribe_token(KEY, "ana"))
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Hi Ana," in text and "Backend <Engineer> - Acme & Co, Berlin, hybrid - 84/100" in text
    assert "Kubernetes: +7 points on average on 12 of your top 30 matches" in text
    assert f"Open jobfit: {BASE}" in text and f"Stop these e-mails: {link}" in text
    assert "Backend &lt;Engineer&gt;" in html and "Acme &amp; Co" in html  # escaped
    assert f'href="{BASE}/?job=sample-0-00042"' in html
    assert f'href="{link.replace("&", "&amp;")}"' in html
    assert "Worth learning" in html and "+6 points if closed" in html


def test_temporary_refusals_are_retried_with_backoff(smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    sink.refuse = 2
    ch, sleeps = channel(port, retries=3, backoff_s=0.5)
    out = ch.deliver(digest(), ANA, digest_id=8)
    assert (out.status, out.attempts) == ("sent", 3) and sleeps == [0.5, 1.0]
    assert len(sink.messages) == 1


def test_permanent_refusal_and_exhausted_retries_fail(smtp: tuple[Sink, int]) -> None:
    sink, port = smtp
    sink.refuse, sink.code = 1, "550 5.1.1 mailbox unavailable"
    ch, sleeps = channel(port, retries=3)
    out = ch.deliver(digest(), ANA, digest_id=9)
    assert (out.status, out.attempts, sleeps) == ("failed", 1, [])
    assert out.reason == "SMTP error 550" and "ana@" not in out.reason
    sink.refuse, sink.code = 5, "421 4.7.0 busy"
    ch, sleeps = channel(port, retries=2)
    out = ch.deliver(digest(), ANA, digest_id=10)
    assert (out.status, out.attempts, sleeps) == ("failed", 3, [1.0, 2.0])
    assert sink.messages == []


def test_unreachable_server_and_skips() -> None:
    ch, sleeps = channel(_port(), retries=1)
    out = ch.deliver(digest(), ANA, digest_id=11)
    assert out.status == "failed" and "could not reach" in out.reason and sleeps == [1.0]
    no_address = ch.deliver(digest(), Recipient(owner_id="bob"), digest_id=12)
    assert (no_address.status, no_address.reason) == ("skipped", "no e-mail address")
    unset = EmailChannel(None, base_url=BASE, key=KEY).deliver(digest(), ANA, digest_id=13)
    assert unset.status == "skipped" and "JOBFIT_SMTP_HOST" in unset.reason
