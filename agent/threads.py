"""Conversation threads of a user in the LangGraph checkpointer.

Every thread id is ``"<user_id>:<conversation_id>"`` (see :func:`thread_id`), so all of one
user's conversations can be listed and deleted ("forget me") without any other index. User ids
never contain ``":"`` (the service refuses them), so one user's prefix never covers another's.

Works with the sync and async SQLite and PostgreSQL savers (one SQL query for the thread ids)
and, through ``list``, with any other saver (e.g. ``InMemorySaver`` in tests). The sync helpers
may be called from any thread except the event loop an async saver runs on.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from pathlib import Path
from typing import Any

from tools.errors import InvalidInputError

logger = logging.getLogger(__name__)

_SQLITE_SQL = ("SELECT thread_id FROM checkpoints WHERE substr(thread_id, 1, ?) = ? "
               "UNION SELECT thread_id FROM writes WHERE substr(thread_id, 1, ?) = ?")
_PG_SQL = ("SELECT thread_id FROM checkpoints WHERE left(thread_id, %s) = %s "
           "UNION SELECT thread_id FROM checkpoint_writes WHERE left(thread_id, %s) = %s")


def _prefix(user_id: str) -> str:
    if not user_id or ":" in user_id:
        raise InvalidInputError("A user id must be non-empty and cannot contain ':'.")
    return f"{user_id}:"


def thread_id(user_id: str, conversation_id: str | None = None) -> str:
    """The thread id of one conversation of a user (a new conversation id when None)."""
    return _prefix(user_id) + (conversation_id or uuid.uuid4().hex[:12])


def thread_config(user_id: str, conversation_id: str | None = None) -> dict[str, Any]:
    """The ``config`` to run the graph on that conversation."""
    return {"configurable": {"thread_id": thread_id(user_id, conversation_id)}}


def _kind(saver: Any) -> str:
    name = type(saver).__name__
    if name in ("SqliteSaver", "PostgresSaver", "AsyncSqliteSaver", "AsyncPostgresSaver"):
        return name
    return "other"


def list_user_threads(saver: Any, user_id: str) -> list[str]:
    """Thread ids of every conversation of ``user_id``, sorted."""
    prefix = _prefix(user_id)
    kind = _kind(saver)
    if kind.startswith("Async"):
        return asyncio.run_coroutine_threadsafe(
            alist_user_threads(saver, user_id), saver.loop).result()
    if kind == "SqliteSaver":
        with saver.cursor(transaction=False) as cur:
            cur.execute(_SQLITE_SQL, (len(prefix), prefix, len(prefix), prefix))
            return sorted({str(r[0]) for r in cur.fetchall()})
    if kind == "PostgresSaver":
        with saver._cursor() as cur:
            cur.execute(_PG_SQL, (len(prefix), prefix, len(prefix), prefix))
            return sorted({str(r["thread_id"]) for r in cur.fetchall()})
    found = set()
    for item in saver.list(None):
        tid = str(item.config.get("configurable", {}).get("thread_id", ""))
        if tid.startswith(prefix):
            found.add(tid)
    return sorted(found)


async def alist_user_threads(saver: Any, user_id: str) -> list[str]:
    """:func:`list_user_threads` for async savers (on their event loop)."""
    prefix = _prefix(user_id)
    kind = _kind(saver)
    if kind == "AsyncSqliteSaver":
        await saver.setup()
        async with saver.lock, saver.conn.execute(
                _SQLITE_SQL, (len(prefix), prefix, len(prefix), prefix)) as cur:
            return sorted({str(r[0]) for r in await cur.fetchall()})
    if kind == "AsyncPostgresSaver":
        async with saver._cursor() as cur:
            await cur.execute(_PG_SQL, (len(prefix), prefix, len(prefix), prefix))
            return sorted({str(r["thread_id"]) for r in await cur.fetchall()})
    found = set()
    async for item in saver.alist(None):
        tid = str(item.config.get("configurable", {}).get("thread_id", ""))
        if tid.startswith(prefix):
            found.add(tid)
    return sorted(found)


def delete_user_threads(saver: Any, user_id: str) -> int:
    """Delete every conversation of ``user_id``; returns how many threads were deleted."""
    if _kind(saver).startswith("Async"):
        return asyncio.run_coroutine_threadsafe(
            adelete_user_threads(saver, user_id), saver.loop).result()
    threads = list_user_threads(saver, user_id)
    if _kind(saver) == "SqliteSaver":
        with saver.lock:
            saver.conn.execute("PRAGMA secure_delete=ON")
    for tid in threads:
        saver.delete_thread(tid)
    if threads:
        logger.info("deleted %d conversation threads", len(threads))
    return len(threads)


_PG_TABLES = ("checkpoints", "checkpoint_blobs", "checkpoint_writes")


def sqlite_saver_path(saver: Any) -> Path | None:
    """The database file of a sync ``SqliteSaver`` (None for other savers or ``:memory:``)."""
    if _kind(saver) != "SqliteSaver":
        return None
    with saver.lock:
        rows = saver.conn.execute("PRAGMA database_list").fetchall()
    file = next((str(r[2]) for r in rows if r[1] == "main"), "")
    return Path(file) if file else None


def scrub_checkpoints(saver: Any) -> bool:
    """Leave no bytes of deleted threads in the saver's storage (after "forget me").

    SQLite: :func:`store.db.scrub_sqlite` on the checkpoint file (the write-ahead log is
    emptied and the file rebuilt from live rows). PostgreSQL: a plain ``VACUUM`` of the
    checkpoint tables. Other savers (in memory): nothing to do. Returns whether it completed.
    """
    from store.db import scrub_sqlite

    path = sqlite_saver_path(saver)
    if path is not None:
        # the savers' connections do not use secure_delete: rebuild the file (it holds only
        # conversations, so it is small next to jobfit.db)
        with saver.lock:  # this process's own writes wait; other processes hit busy_timeout
            return scrub_sqlite(path)
    if _kind(saver) == "PostgresSaver":
        with saver._cursor() as cur:  # bootstrap's pool connections are in autocommit
            if not getattr(cur.connection, "autocommit", False):
                return False
            for table in _PG_TABLES:
                cur.execute(f"VACUUM {table}")
        return True
    return _kind(saver) == "other"


async def adelete_user_threads(saver: Any, user_id: str) -> int:
    """:func:`delete_user_threads` for async savers (on their event loop)."""
    threads = await alist_user_threads(saver, user_id)
    for tid in threads:
        await saver.adelete_thread(tid)
    return len(threads)


def turn_forgot(messages: list[Any]) -> bool:
    """Whether the last turn in ``messages`` (after the last human message) ran "forget me":
    its earlier checkpoints may still be written after the deletion, so the channel purges the
    user's conversations again once the turn has ended."""
    import json

    for m in reversed(messages):
        kind = getattr(m, "type", "")
        if kind == "human":
            return False
        if kind == "tool" and "forgotten" in str(m.content):
            try:
                result = json.loads(m.content) if isinstance(m.content, str) else None
            except ValueError:
                continue
            if isinstance(result, dict) and result.get("kind") == "forgotten":
                return True
    return False
