"""Web chat accounts for ``JOBFIT_AUTH=password``: ``jobfit users add NAME`` and the login check.

Passwords are stored as salted scrypt hashes (``scrypt$n$r$p$<salt>$<hash>``, base64) in the
``logins`` table of the project database; the plain password is never stored or logged. An
account maps a login name to a jobfit user id; that id scopes every CV, match and chat.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import logging
import re
import secrets
import sys
from typing import TYPE_CHECKING

import typer

from tools.errors import InvalidInputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

logger = logging.getLogger(__name__)

MIN_PASSWORD = 8
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_N, _R, _P = 2**14, 8, 1  # scrypt cost: ~16 MB, ~50 ms


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of ``password`` in the storable ``scrypt$n$r$p$salt$hash`` form."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${_N}${_R}${_P}${b64(salt).decode()}${b64(digest).decode()}"


def check_password(password: str, stored: str) -> bool:
    """True when ``password`` matches the stored hash (constant-time compare)."""
    try:
        scheme, n, r, p, salt_b64, hash_b64 = stored.split("$")
        if scheme != "scrypt":
            return False
        salt, expected = base64.b64decode(salt_b64), base64.b64decode(hash_b64)
        digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=int(n), r=int(r),
                                p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


_DUMMY_HASH: str | None = None


def _engine(engine: Engine | None) -> Engine:
    if engine is not None:
        return engine
    from agent.bootstrap import build_engine

    return build_engine()


def _read_password(name: str) -> str:
    if sys.stdin.isatty():
        first = getpass.getpass(f"Password for {name}: ")
        if getpass.getpass("Repeat it: ") != first:
            raise InvalidInputError("The two passwords differ.")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def validate_login(name: str) -> str:
    """The login name, stripped, or InvalidInputError."""
    name = name.strip()
    if not _NAME.match(name):
        raise InvalidInputError(
            "A login name is 1-64 letters, digits or . _ @ - (starting with a letter or digit).")
    return name


def add_user(name: str, password: str | None = None, *, engine: Engine | None = None,
             quiet: bool = False) -> str:
    """Create the web chat account ``name`` (or reset its password); returns the user id.

    ``password`` None: asked for on a terminal, or read as one line from piped stdin.
    """
    from agent.accounts import WebAccounts

    name = validate_login(name)
    if password is None:
        password = _read_password(name)
    if len(password) < MIN_PASSWORD:
        raise InvalidInputError(f"The password must have at least {MIN_PASSWORD} characters.")
    owner_id, created, ended = WebAccounts(_engine(engine)).save(name, hash_password(password))
    if created:
        message = f"User {name} added; they can now log in to the web chat."
    else:
        message = f"Password of {name} changed." + (
            f" {ended} web session{'s' if ended != 1 else ''} ended." if ended else "")
    logger.info("web account saved")  # not the name: login names may be email addresses
    if not quiet:
        typer.echo(message, err=True)
    return owner_id


def verify_user(name: str, password: str, *, engine: Engine) -> str | None:
    """The user id for a correct login name and password, else None (same cost either way)."""
    from agent.accounts import WebAccounts

    global _DUMMY_HASH
    try:
        name = validate_login(name)
    except InvalidInputError:
        return None
    accounts = WebAccounts(engine)
    found = accounts.credentials(name)
    if found is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password(secrets.token_hex(8))
        check_password(password, _DUMMY_HASH)  # do not reveal which names exist by timing
        return None
    owner_id, stored = found
    if not check_password(password, stored):
        logger.info("failed login")  # not the name: login names may be email addresses
        return None
    accounts.restore_user(owner_id, name)  # data forgotten earlier: the account stays
    return owner_id
