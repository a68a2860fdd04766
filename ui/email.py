"""The e-mail digest channel: multipart text + HTML over SMTP, with one-click unsubscribe.

- Both parts render the digest card (``tools.digest_card``): the text part through
  ``tools.card_text.digest_text`` (plain text, every skill), the HTML part through
  ``ui.renderers.email.digest_email`` (the Jinja2 template ``ui/templates/digest.html.j2``,
  autoescaped). Both link back to the web chat.
- ``List-Unsubscribe`` (the signed ``/digest/unsubscribe`` link the web app serves) and
  ``List-Unsubscribe-Post: List-Unsubscribe=One-Click`` (RFC 8058), plus the same link in the
  body. The link is signed with a key kept in the data directory (``digest.key``, 0600), so
  nobody can unsubscribe someone else by guessing.
- SMTP per ``JOBFIT_SMTP_*``: STARTTLS (default, port 587), SSL (465) or plain (25), optional
  login. A failed send is retried with exponential backoff (1 s, 2 s, 4 s...); a permanent
  refusal (5xx) is not retried. The outcome (sent / failed with the reason / skipped) is
  stored with the digest by the caller; the ``Message-ID`` is derived from the digest id.

E-mail addresses are personal data: never logged.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from tools.card_text import digest_text
from tools.digest import DeliveryOutcome, Digest, Recipient
from tools.digest_card import digest_card
from ui.renderers.email import digest_email

logger = logging.getLogger(__name__)

UNSUBSCRIBE_PATH = "/digest/unsubscribe"


# --------------------------------------------------------------------------- unsubscribe


def unsubscribe_key(data_dir: Path) -> bytes:
    """The signing key of unsubscribe links (created once, 0600, in the data directory)."""
    path = Path(data_dir) / "digest.key"
    if path.exists():
        return path.read_bytes()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(key)
    tmp.chmod(0o600)
    tmp.replace(path)
    return path.read_bytes()


def unsubscribe_token(key: bytes, owner_id: str, channel: str = "email") -> str:
    return hmac.new(key, f"unsubscribe:{channel}:{owner_id}".encode(), hashlib.sha256
                    ).hexdigest()[:40]


def check_unsubscribe(key: bytes, owner_id: str, token: str, channel: str = "email") -> bool:
    return bool(owner_id) and hmac.compare_digest(
        unsubscribe_token(key, owner_id, channel), token or "")


def unsubscribe_link(base_url: str, key: bytes, owner_id: str) -> str:
    query = urlencode({"u": owner_id, "t": unsubscribe_token(key, owner_id)})
    return f"{base_url.rstrip('/')}{UNSUBSCRIBE_PATH}?{query}"


# --------------------------------------------------------------------------- rendering


def render_html(d: Digest, *, name: str = "", chat_url: str = "",
                unsubscribe_url: str = "") -> str:
    """The digest as an HTML e-mail body: its card (``tools.digest_card``), rendered by
    ``ui/renderers/email.py`` like every other channel renders it."""
    return digest_email(digest_card(d), name=name, chat_url=chat_url,
                        unsubscribe_url=unsubscribe_url)


def render_plain(d: Digest, *, name: str = "", chat_url: str = "",
                 unsubscribe_url: str = "") -> str:
    """The digest as the e-mail's plain-text part: its card (every skill), as text."""
    return digest_text(digest_card(d, max_skills=None), name=name, chat_url=chat_url,
                       unsubscribe_url=unsubscribe_url)


def build_message(d: Digest, recipient: Recipient, *, sender: str, digest_id: int,
                  chat_url: str = "", unsubscribe_url: str = "") -> EmailMessage:
    """The multipart/alternative message (text, then HTML)."""
    if not recipient.email:
        raise ValueError("recipient has no e-mail address")
    msg = EmailMessage()
    msg["Subject"] = f"jobfit digest: {d.headline()} ({d.period})"
    msg["From"] = sender
    msg["To"] = recipient.email
    msg["Date"] = formatdate(localtime=False)
    domain = sender.rsplit("@", 1)[-1].strip(" >") or "jobfit.local"
    msg["Message-ID"] = f"<digest-{digest_id}.{d.period}@{domain}>"
    if unsubscribe_url:
        msg["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(render_plain(d, name=recipient.name, chat_url=chat_url,
                                 unsubscribe_url=unsubscribe_url))
    msg.add_alternative(render_html(d, name=recipient.name, chat_url=chat_url,
                                    unsubscribe_url=unsubscribe_url), subtype="html")
    return msg


# --------------------------------------------------------------------------- SMTP


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str = "starttls"  # starttls | ssl | none
    user: str | None = None
    password: str | None = None
    sender: str = "jobfit <jobfit@localhost>"
    timeout_s: float = 20.0
    retries: int = 3
    backoff_s: float = 1.0

    @classmethod
    def from_settings(cls, settings: Any) -> SmtpConfig | None:
        if not settings.smtp_host:
            return None
        port = settings.smtp_port or {"ssl": 465, "none": 25}.get(settings.smtp_security, 587)
        return cls(host=settings.smtp_host, port=int(port), security=settings.smtp_security,
                   user=settings.smtp_user, password=settings.smtp_password,
                   sender=settings.smtp_from, timeout_s=settings.smtp_timeout_s,
                   retries=settings.smtp_retries)


def _permanent(exc: BaseException) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return True
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and 500 <= code < 600


def send_message(config: SmtpConfig, msg: EmailMessage) -> None:
    """One SMTP session: connect, secure, log in, send."""
    context = ssl.create_default_context()
    client: smtplib.SMTP
    if config.security == "ssl":
        client = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout_s,
                                  context=context)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=config.timeout_s)
    with client:
        client.ehlo()
        if config.security == "starttls":
            client.starttls(context=context)
            client.ehlo()
        if config.user:
            client.login(config.user, config.password or "")
        client.send_message(msg)


class EmailChannel:
    """``tools.digest.DigestChannel`` over SMTP."""

    name = "email"

    def __init__(self, config: SmtpConfig | None, *, base_url: str, key: bytes,
                 sleep: Callable[[float], None] = time.sleep,
                 send: Callable[[SmtpConfig, EmailMessage], None] = send_message) -> None:
        self.config = config
        self.base_url = base_url.rstrip("/")
        self.key = key
        self.sleep = sleep
        self.send = send

    def deliver(self, digest: Digest, recipient: Recipient, *,
                digest_id: int) -> DeliveryOutcome:
        if not recipient.email:
            return DeliveryOutcome(status="skipped", reason="no e-mail address", attempts=0)
        if self.config is None:
            return DeliveryOutcome(status="skipped", reason="e-mail is not configured "
                                   "(JOBFIT_SMTP_HOST)", attempts=0)
        unsubscribe = unsubscribe_link(self.base_url, self.key, recipient.owner_id)
        msg = build_message(digest, recipient, sender=self.config.sender, digest_id=digest_id,
                            chat_url=self.base_url, unsubscribe_url=unsubscribe)
        attempts = 0
        reason = ""
        for attempt in range(self.config.retries + 1):
            attempts += 1
            try:
                self.send(self.config, msg)
                return DeliveryOutcome(status="sent", attempts=attempts)
            except (smtplib.SMTPException, OSError) as exc:
                reason = _reason(exc)
                logger.warning("digest e-mail attempt %d failed: %s", attempts,
                               type(exc).__name__)
                if _permanent(exc) or attempt == self.config.retries:
                    break
                self.sleep(self.config.backoff_s * (2 ** attempt))
        return DeliveryOutcome(status="failed", reason=reason, attempts=attempts)


def _reason(exc: BaseException) -> str:
    """A short reason without the address (SMTP errors may quote it)."""
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "the recipient was refused"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "SMTP login failed"
    if isinstance(code, int):
        return f"SMTP error {code}"
    if isinstance(exc, TimeoutError):
        return "SMTP server timed out"
    if isinstance(exc, ConnectionError | OSError):
        return f"could not reach the SMTP server ({type(exc).__name__})"
    return type(exc).__name__
