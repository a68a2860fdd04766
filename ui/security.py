"""Web chat security: origins, sessions, login throttling, secure cookies, per-user limits.

One ASGI middleware (:class:`SecurityMiddleware`, outermost on Chainlit's FastAPI app) sees
every HTTP request and websocket handshake:

- **Origins.** A request whose ``Origin`` is neither this server's own origin nor listed in
  ``JOBFIT_ALLOWED_ORIGINS`` may only read (GET/HEAD/OPTIONS); anything that changes state, the
  socket.io connection and ``/auth/header`` (open mode's session handout) answer 403. Chainlit's
  CORS list is the same allow-list (no ``*``), so other sites get no credentialed CORS answers.
- **Open mode on loopback.** In open mode (no login) a request must name a loopback host
  (``localhost``, ``127.0.0.1``, ``[::1]``) unless ``JOBFIT_ALLOW_OPEN_REMOTE`` is set: a
  DNS-rebinding page cannot reach the local user's data through a name of its own. Signed bot
  webhooks (``/slack/``, ``/api/messages``) are exempt: they check their own signatures.
- **Sessions.** In password mode a login creates a ``web_sessions`` row whose id rides in the
  token (``metadata.jf_sid``). A token whose session is revoked (logout, password reset) or
  expired is removed from the request, so Chainlit treats it as logged out: the API answers
  401, the socket refuses to connect, the browser goes to the login page.
- **Secure cookies** when the request came over HTTPS (uvicorn applies ``X-Forwarded-Proto``
  from trusted proxies, ``FORWARDED_ALLOW_IPS``), or always/never (``JOBFIT_COOKIE_SECURE``).

The login callback (:func:`login`) throttles failed logins per account, address and pair
(:class:`ui.limits.LoginThrottle`): a locked login answers 429 with ``Retry-After`` and the same
words whether or not the account exists.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import math
import os
import secrets
import time
from collections.abc import Awaitable, Callable, Coroutine, MutableMapping
from contextvars import ContextVar
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any

from ui.limits import LoginThrottle, ThrottleRule, TokenBuckets, retry_text

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from agent.accounts import WebAccounts
    from agent.settings import Settings

logger = logging.getLogger(__name__)

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SESSION_CLAIM = "jf_sid"
AUTH_COOKIE = os.environ.get("CHAINLIT_AUTH_COOKIE_NAME", "access_token")
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}
SESSION_ENDED = "Your session has ended; please sign in again."
CROSS_ORIGIN = "Cross-origin request refused."
# Bot webhooks verify each request's signature themselves (Slack signing secret, Bot Framework
# token); in open mode they may arrive through a tunnel under its own host name.
SIGNED_WEBHOOKS = ("/slack/", "/api/messages", "/teams/")
SESSION_CACHE_S = 2.0  # a password reset in another process ends sessions within this time

_background: set[asyncio.Task[None]] = set()
_client: ContextVar[str] = ContextVar("jobfit_client", default="unknown")
_identity: ContextVar[str | None] = ContextVar("jobfit_identity", default=None)


def client_address() -> str:
    """The client address of the current request (as uvicorn saw it, proxy headers applied)."""
    return _client.get()


def current_identity() -> str | None:
    """The login (Chainlit user identifier) of the current HTTP request's valid session."""
    return _identity.get()


def set_identity(identifier: str | None) -> Any:
    """Set the current identity (tests, non-HTTP callers); returns the token to reset it."""
    return _identity.set(identifier)


def is_loopback_host(host: str) -> bool:
    """True for ``localhost``, ``127.x``, ``::1`` (with or without a port or brackets)."""
    name = host.strip().lower()
    if name.startswith("["):
        name = name[1:].split("]", 1)[0]
    elif name.count(":") == 1:
        name = name.split(":", 1)[0]
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class OriginPolicy:
    """Same origin, plus the listed origins (``scheme://host[:port]``, no path)."""

    def __init__(self, allowed: list[str]) -> None:
        self.allowed = {o.strip().rstrip("/").lower() for o in allowed if o.strip()}

    def allows(self, origin: str | None, scheme: str, host: str | None) -> bool:
        if not origin:
            return True  # not a browser cross-origin request (curl, same-origin navigation)
        origin = origin.strip().rstrip("/").lower()
        if origin in self.allowed:
            return True
        if not host:
            return False
        web_scheme = {"ws": "http", "wss": "https"}.get(scheme, scheme)
        return origin == f"{web_scheme}://{host.strip().lower()}"


# --------------------------------------------------------------------------- sessions


def decode_token(token: str) -> dict[str, Any] | None:
    """The claims of a Chainlit session token signed with our secret, else None."""
    import jwt

    secret = os.environ.get("CHAINLIT_AUTH_SECRET")
    if not secret or not token:
        return None
    try:
        claims = jwt.decode(token, secret, algorithms=["HS256"])
    except jwt.PyJWTError:
        return None
    return claims if isinstance(claims, dict) else None


def session_of(claims: dict[str, Any]) -> tuple[str, str | None]:
    """(login, session id or None) of decoded token claims."""
    meta = claims.get("metadata") or {}
    sid = meta.get(SESSION_CLAIM) if isinstance(meta, dict) else None
    return str(claims.get("identifier") or ""), (str(sid) if sid else None)


class SessionGuard:
    """Creates, checks and revokes ``web_sessions`` rows; answers are cached briefly."""

    def __init__(self, engine: Callable[[], Engine], *, cache_s: float = SESSION_CACHE_S) -> None:
        self._engine = engine
        self.cache_s = cache_s
        self._cache: dict[str, tuple[bool, float]] = {}

    def _accounts(self) -> WebAccounts:
        from agent.accounts import WebAccounts

        return WebAccounts(self._engine())

    def start(self, login: str, lifetime_s: float) -> str:
        """A new session for ``login``; returns its id (to put in the token)."""
        sid = secrets.token_urlsafe(24)
        now = datetime.now(UTC)
        self._accounts().start_session(login, sid, now + timedelta(seconds=lifetime_s), now)
        self._cache[sid] = (True, time.monotonic())
        return sid

    def is_active(self, sid: str, login: str) -> bool:
        cached = self._cache.get(sid)
        now = time.monotonic()
        if cached is not None and (not cached[0] or now - cached[1] < self.cache_s):
            return cached[0]  # a revoked session never comes back: no need to ask again
        active = self._accounts().session_active(sid, login, datetime.now(UTC))
        if len(self._cache) > 100_000:
            self._cache.clear()
        self._cache[sid] = (active, now)
        return active

    async def ais_active(self, sid: str, login: str) -> bool:
        cached = self._cache.get(sid)
        if cached is not None and (not cached[0]
                                   or time.monotonic() - cached[1] < self.cache_s):
            return cached[0]
        return await asyncio.to_thread(self.is_active, sid, login)

    def revoke(self, sid: str) -> bool:
        self._cache[sid] = (False, time.monotonic())
        return self._accounts().end_session(sid)


def token_is_current(token: str | None, guard: SessionGuard) -> bool:
    """True unless the token is ours, carries a session id, and that session has ended."""
    claims = decode_token(token or "")
    if claims is None:
        return True  # not ours to judge: Chainlit refuses it itself
    login, sid = session_of(claims)
    if (claims.get("metadata") or {}).get("mode") != "password":
        return True
    return sid is not None and guard.is_active(sid, login)


# --------------------------------------------------------------------------- middleware


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers") or []:
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def _cookie_token(cookie_header: str | None) -> str | None:
    if not cookie_header:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(cookie_header)
    except Exception:
        return None
    if AUTH_COOKIE in jar:
        return jar[AUTH_COOKIE].value
    parts, i = [], 0
    while f"{AUTH_COOKIE}_{i}" in jar:
        parts.append(jar[f"{AUTH_COOKIE}_{i}"].value)
        i += 1
    return "".join(parts) or None


def _without_auth(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Request headers without the session cookie(s) and bearer token."""
    out = []
    for key, value in headers:
        low = key.lower()
        if low == b"authorization" and value.lower().startswith(b"bearer "):
            continue
        if low == b"cookie":
            kept = [c for c in value.split(b";")
                    if not c.strip().startswith(AUTH_COOKIE.encode("latin-1"))]
            if not kept:
                continue
            value = b";".join(kept)
        out.append((key, value))
    return out


class SecurityMiddleware:
    """See the module docstring. ``mode`` is ``open`` or ``password``."""

    def __init__(self, app: Any, *, mode: str, policy: OriginPolicy, guard: SessionGuard,
                 cookie_secure: str = "auto", allow_open_remote: bool = False,
                 worker_threads: int = 0,
                 on_start: Callable[[], Coroutine[Any, Any, None]] | None = None) -> None:
        self.app, self.mode, self.policy, self.guard = app, mode, policy, guard
        self.cookie_secure, self.allow_open_remote = cookie_secure, allow_open_remote
        self.worker_threads, self.on_start = worker_threads, on_start
        self._started = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._started:  # the first request (lifespan events come before it)
            self._started = True
            if self.worker_threads:
                use_worker_threads(self.worker_threads)
            if self.on_start is not None:
                task: asyncio.Task[None] = asyncio.create_task(self.on_start())
                _background.add(task)
                task.add_done_callback(_background.discard)
        kind = scope.get("type")
        if kind not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        client = scope.get("client") or ("unknown", 0)
        _client.set(str(client[0]))
        _identity.set(None)
        host = _header(scope, b"host")
        scheme = str(scope.get("scheme") or "http")
        method = str(scope.get("method") or "GET").upper()
        path = str(scope.get("path") or "")
        if self.mode == "open" and not self.allow_open_remote and not is_loopback_host(
                host or "") and not path.startswith(SIGNED_WEBHOOKS):
            await _refuse(scope, receive, send, 403,
                          "Open mode serves only localhost; use JOBFIT_AUTH=password to share.")
            return
        origin = _header(scope, b"origin")
        if not self.policy.allows(origin, scheme, host) and (
                kind == "websocket" or method not in SAFE_METHODS or "/ws/socket.io" in path
                or path.endswith("/auth/header")):
            logger.info("refused a cross-origin %s request", method if kind == "http" else kind)
            await _refuse(scope, receive, send, 403, CROSS_ORIGIN)
            return
        ended = False
        cookie_token = _cookie_token(_header(scope, b"cookie"))
        bearer = _header(scope, b"authorization")
        token = cookie_token or (bearer[7:].strip() if bearer and bearer[:7].lower() == "bearer "
                                 else None)
        claims = decode_token(token) if token else None
        if claims is not None:
            login, sid = session_of(claims)
            meta = claims.get("metadata") or {}
            if isinstance(meta, dict) and meta.get("mode") == "password" and (
                    sid is None or not await self.guard.ais_active(sid, login)):
                ended = True
                scope = dict(scope)
                scope["headers"] = _without_auth(list(scope.get("headers") or []))
            else:
                _identity.set(login or None)
        secure = self.cookie_secure == "always" or (
            self.cookie_secure == "auto" and scheme in ("https", "wss"))
        if kind == "http" and (secure or ended):
            send = _cookie_rewriter(send, secure=secure, clear=ended and cookie_token is not None)
        await self.app(scope, receive, send)


def use_worker_threads(count: int) -> None:
    """Give the running loop's default executor ``count`` threads. Service calls, tool runs,
    password hashing and session checks all go through ``asyncio.to_thread``; Python's default
    (CPU count + 4: 6 threads on 2 cores) queued turns of different users behind each other
    while those threads mostly wait on the database."""
    from concurrent.futures import ThreadPoolExecutor

    asyncio.get_running_loop().set_default_executor(
        ThreadPoolExecutor(max_workers=count, thread_name_prefix="jobfit"))


def _cookie_rewriter(send: Send, *, secure: bool, clear: bool) -> Send:
    """Add ``Secure`` to every Set-Cookie; optionally expire the (ended) session cookie."""

    async def wrapped(message: Message) -> None:
        if message.get("type") == "http.response.start":
            headers = []
            for key, value in message.get("headers") or []:
                if key.lower() == b"set-cookie" and secure and b"secure" not in value.lower():
                    value = value + b"; Secure"
                headers.append((key, value))
            if clear and not any(k.lower() == b"set-cookie"
                                 and v.startswith(AUTH_COOKIE.encode() + b"=")
                                 for k, v in headers):
                gone = (f'{AUTH_COOKIE}=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; '
                        "HttpOnly; Path=/; SameSite=lax" + ("; Secure" if secure else ""))
                headers.append((b"set-cookie", gone.encode("latin-1")))
            message = {**message, "headers": headers}
        await send(message)

    return wrapped


async def _refuse(scope: Scope, receive: Receive, send: Send, status: int, detail: str) -> None:
    import json

    if scope.get("type") == "websocket":
        await receive()  # websocket.connect
        await send({"type": "websocket.close", "code": 1008, "reason": detail[:120]})
        return
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


# --------------------------------------------------------------------------- login & limits


class LoginLocked(Exception):
    """Too many failed logins on this account or address (the user-facing text is in
    ``message``; ``retry_after`` in seconds)."""

    def __init__(self, retry_after: float) -> None:
        self.retry_after = retry_after
        self.message = (f"Too many failed sign-ins. Try again in {retry_text(retry_after)}.")
        super().__init__(self.message)


def default_throttle() -> LoginThrottle:
    """5 failures per account from one address, 10 per account, 30 per address in 15 min;
    then 30 s, 60 s, 120 s... up to 15 min per further failure."""
    return LoginThrottle({"pair": ThrottleRule(free=5), "acct": ThrottleRule(free=10),
                          "ip": ThrottleRule(free=30)}, base_s=30.0, max_s=900.0)


def login_keys(name: str, address: str) -> list[str]:
    account = name.strip().lower()
    return [LoginThrottle.key("pair", f"{account}|{address}"),
            LoginThrottle.key("acct", account), LoginThrottle.key("ip", address)]


class WebGuard:
    """The process's security state: sessions, login throttle, per-user rate limits."""

    def __init__(self, settings: Settings, engine: Callable[[], Engine]) -> None:
        self.settings = settings
        self.sessions = SessionGuard(engine)
        self.throttle = default_throttle()
        self.turns = TokenBuckets(rate=settings.turns_per_minute / 60, burst=settings.turn_burst)
        self.uploads = TokenBuckets(rate=settings.uploads_per_minute / 60,
                                    burst=settings.upload_burst)

    @property
    def lifetime_s(self) -> float:
        return self.settings.session_hours * 3600

    async def login(self, name: str, password: str,
                    verify: Callable[[str, str], str | None]) -> tuple[str, str] | None:
        """(user id, session id) for a correct login, None for a wrong one; LoginLocked when
        this account or address must wait (checked before the password, so a locked login
        costs no hashing and says nothing about the password)."""
        from ui import metrics

        keys = login_keys(name, client_address())
        wait = self.throttle.retry_after(keys, time.monotonic())
        if wait > 0:
            metrics.LOGINS_FAILED.labels(reason="locked").inc()
            raise LoginLocked(wait)
        uid = await asyncio.to_thread(verify, name, password)
        if uid is None:
            metrics.LOGINS_FAILED.labels(reason="password").inc()
            self.throttle.record_failure(keys, time.monotonic())
            return None
        self.throttle.record_success(keys[:2])
        sid = await asyncio.to_thread(self.sessions.start, name.strip(), self.lifetime_s)
        return uid, sid

    async def logout(self, token: str | None) -> bool:
        """End the session of this token (if it has one); True when one was ended."""
        claims = decode_token(token or "")
        if claims is None:
            return False
        _, sid = session_of(claims)
        if sid is None:
            return False
        return await asyncio.to_thread(self.sessions.revoke, sid)

    def take_turn(self, user_id: str) -> str | None:
        """None when the user may send a chat turn now, else the message to show."""
        wait = self.turns.take(user_id, time.monotonic())
        if wait <= 0:
            return None
        from ui import metrics

        metrics.RATE_LIMITED.labels(kind="turn").inc()
        return (f"You're sending messages faster than I can answer. Wait "
                f"{retry_text(wait)} and send it again.")

    def take_upload(self, user_id: str) -> str | None:
        """None when the user may upload a file now, else the message to show."""
        wait = self.uploads.take(user_id, time.monotonic())
        if wait <= 0:
            return None
        from ui import metrics

        metrics.RATE_LIMITED.labels(kind="upload").inc()
        return (f"That's a lot of files at once. Wait {retry_text(wait)} before uploading "
                "another.")


def retry_after_header(seconds: float) -> dict[str, str]:
    return {"Retry-After": str(max(1, math.ceil(seconds)))}
