"""Who a user is and what is kept of them: chat identities (Slack, Teams) linked to a user,
web chat password accounts, and "forget me" (every stored byte of the user, conversations
included).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from agent.activity import ActivityOps
from tools.errors import InvalidInputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

logger = logging.getLogger(__name__)


class AccountOps(ActivityOps):
    """Identities and deletion of a user's data."""

    def forget(self, owner_id: str) -> dict[str, int]:
        """Delete everything stored for the owner (CVs, matches, feedback, preferences, chats),
        leaving none of its bytes in the database files (see :meth:`purge_conversations`)."""
        from store.db import scrub_deleted

        self._check_owner(owner_id)
        from store.jobaccess import delete_private_jobs

        private_jobs = delete_private_jobs(self.engine, owner_id, self.index)
        counts = self.users.delete_all(owner_id)
        counts["channel_links"] = self.channels.delete_links(owner_id)
        if private_jobs:
            counts["private_jobs"] = private_jobs
        with self._users_lock:
            self._known_users.discard(owner_id)
        self._current.drop(lambda k: k == owner_id)
        self._analyses.drop(lambda k: k[0] == owner_id)
        scrub_deleted(self.engine)
        counts["conversations"] = self.purge_conversations(owner_id)
        logger.info("forgot a user: %s", counts)
        return counts

    def purge_conversations(self, owner_id: str) -> int:
        """Delete every conversation thread of the owner and scrub the checkpoint store (no
        deleted bytes left in SQLite files or the write-ahead log); returns how many threads.

        :meth:`forget` calls it; a channel calls it again when a turn that forgot the user
        has ended: the graph saves each step's checkpoint in the background, so the steps of
        that turn from before the deletion (which still hold the whole conversation) may land
        after it.
        """
        from agent.threads import delete_user_threads, scrub_checkpoints

        self._check_owner(owner_id)
        if self.checkpointer is None:
            return 0
        deleted = delete_user_threads(self.checkpointer, owner_id)
        scrub_checkpoints(self.checkpointer)
        return deleted

    @staticmethod
    def is_admin(admins: str | Iterable[str] | None, *names: str | None,
                 open_mode: bool = False) -> bool:
        """Whether a chat user may import into the shared store: open mode's local user, or
        one of ``names`` (login, user id) listed in ``admins`` (``JOBFIT_ADMINS``). See
        ``store.jobaccess``."""
        from store.jobaccess import chat_user_is_admin

        return chat_user_is_admin(admins, *names, open_mode=open_mode)

    def channel_user(self, channel: str, workspace: str, external_user: str) -> str:
        """The jobfit user of a verified chat identity (created on first contact)."""
        owner = self.channels.resolve(channel, workspace, external_user)
        self.ensure_user(owner, f"{channel} user")
        return owner

    def issue_link_code(self, owner_id: str) -> str:
        """A one-time code (10 minutes) that links a Slack or Teams identity to this user."""
        self._check_owner(owner_id)
        self.ensure_user(owner_id)
        return self.channels.issue_code(owner_id)

    def link_channel(self, code: str, channel: str, workspace: str, external_user: str) -> str:
        """Make this chat identity act as the code's user; the data of the chat-only account
        it used before is deleted. Raises InvalidInputError on a bad or expired code."""
        linked = self.channels.redeem(code, channel, workspace, external_user)
        if linked is None:
            raise InvalidInputError("That link code is not valid (codes work once, for 10 "
                                    "minutes): say \"link slack\" or \"link teams\" in the "
                                    "web chat for a new one.")
        owner, previous = linked
        if previous and previous.startswith(("slack-", "teams-")) \
                and not self.channels.links(previous):
            self.forget(previous)
        return owner

    def web_accounts(self) -> WebAccounts:
        """The web chat's password accounts (``JOBFIT_AUTH=password``)."""
        return WebAccounts(self.engine)


class WebAccounts:
    """Web chat accounts: a login name -> (its jobfit user, a password hash), and the login
    sessions a password reset ends. Hashing and checking passwords is the web channel's
    (``ui/users.py``); this keeps the records, through the repositories.

    Stands alone (an engine is all it needs) so ``jobfit users add`` and the login check run
    without the embedder and index a full service loads.
    """

    def __init__(self, engine: Engine) -> None:
        from store.users import LoginRepo, UserRepo, WebSessionRepo

        self.logins = LoginRepo(engine)
        self.users = UserRepo(engine)
        self.sessions = WebSessionRepo(engine)

    def save(self, name: str, password_hash: str) -> tuple[str, bool, int]:
        """Create the account ``name`` or replace its password hash: (its user id, whether it
        was created, how many web sessions of it the reset ended)."""
        existing = self.logins.get(name)
        if existing is None:
            owner_id = self.users.get_or_create_external("web", name, display_name=name).id
            self.logins.set(name, owner_id, password_hash)
            return owner_id, True, 0
        owner_id = existing.owner_id
        self.restore_user(owner_id, name)
        self.logins.set(name, owner_id, password_hash)
        return owner_id, False, self.sessions.revoke_all(name)  # sign out every device

    def credentials(self, name: str) -> tuple[str, str] | None:
        """(user id, password hash) of the account ``name``, or None."""
        rec = self.logins.get(name)
        return None if rec is None else (rec.owner_id, rec.password_hash)

    def restore_user(self, owner_id: str, name: str) -> None:
        """Re-create the account's user row when its data was forgotten (the account stays)."""
        if self.users.get(owner_id) is None:
            self.users.create(name, external_ids={"web": name}, user_id=owner_id)

    def exist(self) -> bool:
        """Whether any web account exists."""
        return bool(self.logins.logins())

    # ------------------------------------------------------------------ login sessions
    def start_session(self, name: str, session_id: str, expires: datetime, now: datetime) -> None:
        """Record a new login session of the account ``name`` (expired ones are dropped)."""
        self.sessions.purge(now)
        self.sessions.create(name, session_id, expires)

    def session_active(self, session_id: str, name: str, now: datetime) -> bool:
        """Whether the session exists for this account, is not revoked and has not expired."""
        return bool(self.sessions.is_active(session_id, name, now))

    def end_session(self, session_id: str) -> bool:
        """End one session (logout); True when it was active."""
        return bool(self.sessions.revoke(session_id))
