"""The web chat's history: Chainlit's own SQL data layer, on tables of its own.

Chainlit's ``SQLAlchemyDataLayer`` runs SQL that names its tables ``users``, ``threads``,
``steps``, ``elements`` and ``feedbacks``; jobfit has a ``users`` table of its own. So the chat
history is kept apart, under Chainlit's own names, and Chainlit's SQL runs exactly as written
(nothing rewrites it, so a Chainlit release that changes its queries keeps working as long as
the tables have its columns; ``tests/integration/test_chat_history.py`` runs every query of the
layer against them and fails on any SQL error):

- SQLite: a file of its own beside the project database (``jobfit-chat.db`` beside
  ``jobfit.db``);
- PostgreSQL: a schema of its own in the project database (``jobfit_chat``, or ``<schema>_chat``
  when the project URL sets a ``search_path``), chosen by the connections' ``search_path``.

Chainlit creates no tables; :func:`create_chat_tables` does (idempotent), and moves a history
that earlier jobfit versions kept in ``cl_*`` tables of the project database (once; the old
tables are then dropped). :func:`delete_chat_history` is what "forget me" deletes.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.utils import queue_until_user_message
from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url

from ui.chat_writes import LeanWrites
from ui.web import thread_title

if TYPE_CHECKING:
    from chainlit.element import Element, ElementDict
    from chainlit.types import Feedback

logger = logging.getLogger(__name__)

#: Chainlit's tables, parents first.
CHAT_TABLES = ("users", "threads", "steps", "elements", "feedbacks")
LEGACY_PREFIX = "cl_"  # where jobfit kept them before, in the project database
CHAT_FILE_SUFFIX = "-chat"  # jobfit.db -> jobfit-chat.db
CHAT_SCHEMA = "jobfit_chat"  # PostgreSQL, when the project URL sets no search_path
_SEARCH_PATH = re.compile(r"-c\s*search_path\s*=\s*([^\s,]+)")


# --------------------------------------------------------------------------- where it lives


def chat_schema(database_url: str) -> str | None:
    """The PostgreSQL schema of the chat history for a project URL (None off PostgreSQL)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        return None
    options = str(url.query.get("options") or "")
    match = _SEARCH_PATH.search(options)
    return f"{match.group(1).strip(chr(34))}_chat" if match else CHAT_SCHEMA


def chat_url(database_url: str) -> str:
    """The chat history's sync SQLAlchemy URL for the project database's URL."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite" and url.database and url.database != ":memory:":
        path = Path(url.database)
        url = url.set(database=str(path.with_name(
            f"{path.stem}{CHAT_FILE_SUFFIX}{path.suffix or '.db'}")))
    elif backend == "postgresql":
        schema = chat_schema(database_url)
        options = _SEARCH_PATH.sub("", str(url.query.get("options") or "")).strip()
        url = url.update_query_dict(
            {"options": f"{options} -csearch_path={schema}".strip()})
    return url.render_as_string(hide_password=False)


def async_url(database_url: str) -> str:
    """The async-driver twin of a sync SQLAlchemy URL (aiosqlite / psycopg async)."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        url = url.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: zero deleted rows (``secure_delete``: no chat text stays in free pages
    after "forget me"); WAL, committing without an fsync each (``synchronous=NORMAL``: durable
    at checkpoints, never corrupt) and waiting for a busy writer, as the project engine does
    (store/db.py). The history writes a row per message and step, so a full fsync per commit
    made the write lock the bottleneck under load."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()


def _engine(url: str) -> Engine:
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def chat_engine(database_url: str) -> Engine:
    """A sync engine on the chat history of this project database (dispose it after use)."""
    return _engine(chat_url(database_url))


# --------------------------------------------------------------------------- tables


def _ddl(dialect: str) -> list[str]:
    """Chainlit's tables as its ``SQLAlchemyDataLayer`` reads and writes them."""
    pg = dialect == "postgresql"
    uid = "UUID" if pg else "TEXT"
    js = "JSONB" if pg else "TEXT"
    arr = "TEXT[]" if pg else "TEXT"
    return [
        f"""CREATE TABLE IF NOT EXISTS users (
            "id" {uid} PRIMARY KEY, "identifier" TEXT NOT NULL UNIQUE,
            "metadata" {js} NOT NULL, "createdAt" TEXT)""",
        f"""CREATE TABLE IF NOT EXISTS threads (
            "id" {uid} PRIMARY KEY, "createdAt" TEXT, "name" TEXT, "userId" {uid},
            "userIdentifier" TEXT, "tags" {arr}, "metadata" {js},
            FOREIGN KEY ("userId") REFERENCES users("id") ON DELETE CASCADE)""",
        f"""CREATE TABLE IF NOT EXISTS steps (
            "id" {uid} PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL,
            "threadId" {uid} NOT NULL, "parentId" {uid}, "streaming" BOOLEAN NOT NULL,
            "waitForAnswer" BOOLEAN, "isError" BOOLEAN, "metadata" {js}, "tags" {arr},
            "input" TEXT, "output" TEXT, "createdAt" TEXT, "command" TEXT, "start" TEXT,
            "end" TEXT, "generation" {js}, "showInput" TEXT, "language" TEXT, "indent" INT,
            "defaultOpen" BOOLEAN, "autoCollapse" BOOLEAN,
            FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
        f"""CREATE TABLE IF NOT EXISTS elements (
            "id" {uid} PRIMARY KEY, "threadId" {uid}, "type" TEXT, "url" TEXT,
            "chainlitKey" TEXT, "name" TEXT NOT NULL, "display" TEXT, "objectKey" TEXT,
            "size" TEXT, "page" INT, "language" TEXT, "forId" {uid}, "mime" TEXT,
            "props" {js}, "autoPlay" BOOLEAN, "playerConfig" {js},
            FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
        f"""CREATE TABLE IF NOT EXISTS feedbacks (
            "id" {uid} PRIMARY KEY, "forId" {uid} NOT NULL, "threadId" {uid} NOT NULL,
            "value" INT NOT NULL, "comment" TEXT,
            FOREIGN KEY ("threadId") REFERENCES threads("id") ON DELETE CASCADE)""",
        'CREATE INDEX IF NOT EXISTS ix_threads_user ON threads ("userId")',
        'CREATE INDEX IF NOT EXISTS ix_steps_thread ON steps ("threadId")',
        'CREATE INDEX IF NOT EXISTS ix_elements_thread ON elements ("threadId")',
    ]


def create_chat_tables(database_url: str) -> int:
    """Create the chat history's tables if missing (for the project database at
    ``database_url``) and move an old ``cl_*`` history into them; returns threads moved."""
    schema = chat_schema(database_url)
    if schema is not None:
        project = _engine(database_url)
        try:
            with project.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        finally:
            project.dispose()
    engine = chat_engine(database_url)
    try:
        with engine.begin() as conn:
            for stmt in _ddl(conn.dialect.name):
                conn.execute(text(stmt))
    finally:
        engine.dispose()
    try:
        return move_legacy_history(database_url)
    except Exception as exc:  # e.g. another server process moving it at the same time
        logger.warning("old web chat history not moved yet (%s); the next start retries",
                       type(exc).__name__)
        return 0


def _columns(engine: Engine, table: str) -> list[str]:
    return [str(c["name"]) for c in inspect(engine).get_columns(table)]


def move_legacy_history(database_url: str) -> int:
    """Move the history of the old layout (``cl_*`` tables in the project database) into the
    chat history and drop the old tables; rows already there are kept (a move cut short is
    finished by the next start). Returns how many threads were in the old tables."""
    project = _engine(database_url)
    try:
        legacy = [t for t in CHAT_TABLES if inspect(project).has_table(LEGACY_PREFIX + t)]
        if not legacy:
            return 0
        with project.connect() as conn:
            moved = (conn.execute(text(f"SELECT COUNT(*) FROM {LEGACY_PREFIX}threads")).scalar()
                     if "threads" in legacy else 0)
        target = chat_engine(database_url)
        try:
            plan = [(t, [c for c in _columns(project, LEGACY_PREFIX + t)
                         if c in set(_columns(target, t))]) for t in legacy]
            if project.dialect.name == "sqlite":
                _copy_sqlite(project, target, plan)
                with project.begin() as conn:
                    _drop_legacy(conn, legacy)
            else:  # one transaction: copied and dropped together
                _copy_same_database(project, chat_schema(database_url) or CHAT_SCHEMA, plan,
                                    legacy)
        finally:
            target.dispose()
        from store.db import scrub_deleted

        scrub_deleted(project, ())  # SQLite: the old pages out of the WAL too
        logger.info("moved %d web chat threads to their own tables", moved or 0)
        return int(moved or 0)
    finally:
        project.dispose()


def _copy_sqlite(project: Engine, target: Engine, plan: list[tuple[str, list[str]]]) -> None:
    """Copy rows from the project file's ``cl_*`` tables into the chat file (ATTACH)."""
    source = project.url.database
    with target.connect() as conn:
        conn.exec_driver_sql("ATTACH DATABASE ? AS legacy", (source,))
        try:
            for table, cols in plan:
                names = ", ".join(f'"{c}"' for c in cols)
                conn.exec_driver_sql(
                    f'INSERT OR IGNORE INTO main."{table}" ({names}) '
                    f'SELECT {names} FROM legacy."{LEGACY_PREFIX}{table}"')
            conn.commit()
        finally:
            conn.exec_driver_sql("DETACH DATABASE legacy")


def _copy_same_database(project: Engine, schema: str, plan: list[tuple[str, list[str]]],
                        legacy: list[str]) -> None:
    """PostgreSQL: move rows from the project schema's ``cl_*`` tables into the chat schema
    and drop the old tables, in one transaction."""
    with project.begin() as conn:
        for table, cols in plan:
            names = ", ".join(f'"{c}"' for c in cols)
            conn.execute(text(
                f'INSERT INTO "{schema}"."{table}" ({names}) '
                f'SELECT {names} FROM "{LEGACY_PREFIX}{table}" ON CONFLICT DO NOTHING'))
        _drop_legacy(conn, legacy)


def _drop_legacy(conn: Connection, legacy: list[str]) -> None:
    for table in reversed(legacy):  # children first
        conn.execute(text(f'DROP TABLE IF EXISTS "{LEGACY_PREFIX}{table}"'))


def delete_chat_history(database_url: str, user_identifier: str) -> int:
    """Delete one Chainlit user's threads (steps, elements, feedback too); returns how many.

    Then no deleted bytes are left behind: the SQLite write-ahead log is emptied
    (``store.db.scrub_deleted``; PostgreSQL: the chat tables are vacuumed).
    """
    from store.db import scrub_deleted

    engine = chat_engine(database_url)
    try:
        with engine.begin() as conn:
            ids = [r[0] for r in conn.execute(text(
                'SELECT t."id" FROM threads t JOIN users u ON t."userId" = u."id" '
                'WHERE u."identifier" = :ident'), {"ident": user_identifier})]
            for tid in ids:
                for table in ("feedbacks", "elements", "steps"):
                    conn.execute(text(f'DELETE FROM {table} WHERE "threadId" = :id'), {"id": tid})
                conn.execute(text('DELETE FROM threads WHERE "id" = :id'), {"id": tid})
        scrub_deleted(engine, CHAT_TABLES)
        return len(ids)
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- data layer


class JobfitDataLayer(LeanWrites, SQLAlchemyDataLayer):
    """Chainlit's SQL data layer on the chat history (its SQL runs unchanged).

    Elements without file content (the score cards and job lists: custom elements, whose data
    is their props) are persisted too, so a resumed chat shows them again; files (tailored CV
    downloads) live only for the session.
    """

    @classmethod
    def for_database(cls, database_url: str) -> JobfitDataLayer:
        """The layer on the chat history of the project database at ``database_url`` (sync
        URL; its tables must exist: :func:`create_chat_tables`)."""
        return cls(conninfo=async_url(chat_url(database_url)))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)

    async def execute_sql(self, query: str, parameters: dict) -> Any:
        if self.engine.dialect.name != "postgresql":  # no arrays: lists (tags) stored as JSON
            parameters = {k: json.dumps(v) if isinstance(v, list) else v
                          for k, v in parameters.items()}
        return await super().execute_sql(query, parameters)

    async def get_all_user_threads(self, user_id: str | None = None,
                                   thread_id: str | None = None) -> Any:
        """Chainlit's query, with JSON text columns (SQLite) decoded: a resumed chat gets its
        cards' props and the steps' metadata back as objects."""
        threads = await super().get_all_user_threads(user_id=user_id, thread_id=thread_id)
        for thread in threads or []:
            thread["metadata"] = _json_value(thread.get("metadata"), {})
            thread["tags"] = _json_value(thread.get("tags"), None)
            for step in thread.get("steps") or []:
                step["metadata"] = _json_value(step.get("metadata"), {})
                step["generation"] = _json_value(step.get("generation"), None)
            for element in thread.get("elements") or []:
                element["props"] = _json_value(element.get("props"), {})
        return threads

    async def update_thread(self, thread_id: str, name: str | None = None,
                            user_id: str | None = None, metadata: dict | None = None,
                            tags: list[str] | None = None) -> None:
        """Chainlit names a chat after its first message: a pasted CV would put its text (and
        e-mail) in the sidebar. The name is the question, the job's first line, or "Your CV"."""
        await super().update_thread(thread_id, name=thread_title(name), user_id=user_id,
                                    metadata=metadata, tags=tags)

    # -- feedback: only on one's own messages (Chainlit's layer writes any id it is given) --
    async def step_owner(self, step_id: str) -> tuple[str, str] | None:
        """(thread id, owner's identifier) of a message, or None when there is no such one."""
        await self.drain()
        rows = await self.execute_sql(
            'SELECT s."threadId" AS thread, t."userIdentifier" AS owner FROM steps s '
            'JOIN threads t ON s."threadId" = t."id" WHERE s."id" = :id', {"id": step_id})
        if not isinstance(rows, list) or not rows:
            return None
        return str(rows[0]["thread"]), str(rows[0]["owner"])

    async def feedback_owner(self, feedback_id: str) -> tuple[str, str] | None:
        """(message id, owner's identifier) of a feedback row, or None."""
        await self.drain()
        rows = await self.execute_sql(
            'SELECT f."forId" AS step, t."userIdentifier" AS owner FROM feedbacks f '
            'JOIN threads t ON f."threadId" = t."id" WHERE f."id" = :id', {"id": feedback_id})
        if not isinstance(rows, list) or not rows:
            return None
        return str(rows[0]["step"]), str(rows[0]["owner"])

    async def upsert_feedback(self, feedback: Feedback) -> str:
        """Save feedback on a message of the current user's own chat (the thread is taken from
        the message, not from the request); FeedbackNotFound otherwise, nothing written."""
        from ui.security import current_identity

        owner = current_identity()
        step = await self.step_owner(feedback.forId) if owner else None
        if step is None or step[1] != owner:
            raise FeedbackNotFound(feedback.forId)
        if feedback.id:
            existing = await self.feedback_owner(feedback.id)
            if existing is not None and existing != (feedback.forId, owner):
                raise FeedbackNotFound(feedback.id)
        return str(await super().upsert_feedback(replace(feedback, threadId=step[0])))

    async def delete_feedback(self, feedback_id: str) -> bool:
        """Delete feedback the current user gave; FeedbackNotFound for anyone else's."""
        from ui.security import current_identity

        owner = current_identity()
        existing = await self.feedback_owner(feedback_id) if owner else None
        if existing is None or existing[1] != owner:
            raise FeedbackNotFound(feedback_id)
        return bool(await super().delete_feedback(feedback_id))

    async def get_element(self, thread_id: str, element_id: str) -> ElementDict | None:
        """One element of a thread (the element page of a resumed chat). Chainlit's own
        ``json.loads`` the props, which PostgreSQL's JSONB column already returns decoded."""
        await self.drain()
        rows = await self.execute_sql(
            'SELECT * FROM elements WHERE "threadId" = :thread_id AND "id" = :element_id',
            {"thread_id": thread_id, "element_id": element_id})
        if not isinstance(rows, list) or not rows:
            return None
        row = rows[0]
        keys = ("threadId", "chainlitKey", "url", "objectKey", "size", "language", "page",
                "autoPlay", "playerConfig", "forId", "mime")
        return cast("ElementDict", {
            "id": row["id"], "type": row["type"], "name": row["name"],
            "display": row["display"], "props": _json_value(row.get("props"), {}),
            **{k: row.get(k) for k in keys}})

    @queue_until_user_message()
    async def create_element(self, element: Element) -> None:
        if self.storage_provider is not None or getattr(element, "type", "") != "custom":
            if self.storage_provider is not None:
                await super().create_element(element)
            return
        if not element.for_id:
            return
        data = {k: v for k, v in element.to_dict().items() if v is not None}
        data.pop("path", None)
        if "props" in data:
            data["props"] = json.dumps(data["props"])
        for key in ("playerConfig",):
            if key in data:
                data[key] = json.dumps(data[key])
        self._keep_element(data)  # written behind, with the steps (ui/chat_writes.py)


class FeedbackNotFound(LookupError):
    """The message (or feedback) does not exist or belongs to another user's chat."""


def _json_value(value: Any, default: Any) -> Any:
    """A JSON text column as its value (already-decoded values pass through)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return default if value is None else value
