"""Leaner chat-history writes for Chainlit's SQL data layer (a base of ``ui.web``'s layer).

Chainlit writes a row for every message and step of a chat, from the event loop. Its
``SQLAlchemyDataLayer`` runs each statement in a new ORM session with its own transaction, and
saves a step in two: ``update_thread`` (a SELECT: does the thread exist?) and an upsert. Under
load that was the largest single cost of the web server's event loop (about a third of its CPU
in a turn; ``tests/bench/bench_load.py``). :class:`LeanWrites` keeps the same SQL and results:

- a statement runs on a plain connection in one transaction (no ORM session around it);
- a step is saved in one transaction (and deleted in one): create the thread if it is
  missing (``INSERT ... ON CONFLICT DO NOTHING``: what Chainlit's check-then-insert does when
  nothing else about the thread changes), then Chainlit's upsert of the step. The write
  comes first, so a SQLite transaction never has to upgrade a read lock (which fails at once
  when another connection wrote meanwhile, instead of waiting).

- steps, cards (custom elements) and step deletions are written **behind**: a step's create
  and its updates (a message, then its streamed text, then its end) are merged in memory and
  written together with every other chat's steps of the same moment, ``FLUSH_S`` later, in one
  transaction (on a SQLite file: ``executemany`` on a plain ``sqlite3`` connection in a
  thread). A turn wrote ~7 step transactions of two statements each, a card and a deletion;
  under load many turns now share one. Anything that reads steps, elements or feedback,
  deletes a thread or closes the layer writes what is pending first
  (:meth:`LeanWrites.drain`), so readers see what was said; a step deleted while still
  pending is never written.

Errors are logged by type only (the statement's parameters hold chat text) and the write is
dropped, as Chainlit does (in a failed batch each step is tried again on its own).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from chainlit.data.utils import queue_until_user_message
from sqlalchemy import text

if TYPE_CHECKING:
    from chainlit.step import StepDict
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

logger = logging.getLogger(__name__)

#: the connection of the transaction a step is being saved in (None: one per statement)
_transaction: ContextVar[AsyncConnection | None] = ContextVar("jobfit_chat_transaction",
                                                               default=None)


#: a statement and the rows it runs for
Statement = tuple[str, list[dict[str, Any]]]

#: seconds a step waits in memory before it is written (merged with its updates and with
#: every other chat's steps of that moment)
FLUSH_S = 0.1


def timestamp() -> str:
    """Chainlit's ``get_current_timestamp`` format (local ISO time plus "Z")."""
    return datetime.now().isoformat() + "Z"


def step_parameters(step_dict: StepDict) -> dict[str, Any]:
    """What Chainlit's upsert of a step (``SQLAlchemyDataLayer.create_step``) writes: the
    step's set fields, metadata and generation as JSON."""
    step: dict[str, Any] = dict(step_dict)
    step["showInput"] = (str(step.get("showInput", "")).lower() if "showInput" in step
                         else None)
    parameters = {key: value for key, value in step.items()
                  if value is not None and not (isinstance(value, dict) and not value)}
    parameters["metadata"] = json.dumps(step.get("metadata", {}))
    parameters["generation"] = json.dumps(step.get("generation", {}))
    return parameters


def upsert_sql(parameters: dict[str, Any], table: str = "steps") -> str:
    """The upsert of a step (or a card: ``elements``) with these parameters (only they are set
    on conflict)."""
    columns = ", ".join(f'"{key}"' for key in parameters)
    values = ", ".join(f":{key}" for key in parameters)
    updates = ", ".join(f'"{key}" = :{key}' for key in parameters if key != "id")
    return (f"INSERT INTO {table} ({columns}) VALUES ({values}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates};")


DELETE_STEP = ('DELETE FROM feedbacks WHERE "forId" = :id',
               'DELETE FROM elements WHERE "forId" = :id',
               'DELETE FROM steps WHERE "id" = :id')
THREAD_IF_MISSING = ('INSERT INTO threads ("id", "createdAt", "metadata") '
                     'VALUES (:id, :createdAt, :metadata) ON CONFLICT ("id") DO NOTHING')


class LeanWrites:
    """Mixin before ``SQLAlchemyDataLayer``: its ``execute_sql`` and ``create_step``, leaner.

    The class that uses it may transform statements in its own ``execute_sql`` (table names,
    parameter types) and call ``super().execute_sql``: every statement here, also the two of a
    step, goes through ``self.execute_sql`` first.
    """

    engine: AsyncEngine

    def clean_result(self, obj: Any) -> Any:  # provided by SQLAlchemyDataLayer
        return super().clean_result(obj)  # type: ignore[misc]

    async def execute_sql(self, query: str, parameters: dict[str, Any]) -> Any:
        """Rows as dicts (``clean_result``) or the row count; None when the statement failed
        (logged). Inside :meth:`_one_transaction`, failures propagate to it."""
        conn = _transaction.get()
        if conn is not None:
            return await self._execute(conn, query, parameters)
        try:
            async with self.engine.begin() as own:
                return await self._execute(own, query, parameters)
        except Exception as exc:
            logger.warning("chat history write failed: %s", type(exc).__name__)
            return None

    async def _execute(self, conn: AsyncConnection, query: str,
                       parameters: dict[str, Any]) -> Any:
        result = await conn.execute(text(query), parameters)
        if result.returns_rows:
            return self.clean_result([dict(row._mapping) for row in result.fetchall()])
        return result.rowcount

    @asynccontextmanager
    async def _one_transaction(self) -> AsyncIterator[None]:
        async with self.engine.begin() as conn:
            token = _transaction.set(conn)
            try:
                yield
            finally:
                _transaction.reset(token)

    # -- steps, written behind ------------------------------------------------------------
    def _pending(self) -> _Pending:
        pending: _Pending | None = self.__dict__.get("_jobfit_pending")
        if pending is None:
            pending = self.__dict__["_jobfit_pending"] = _Pending()
        return pending

    @queue_until_user_message()
    async def create_step(self, step_dict: StepDict) -> None:
        """Keep the step (merged with what is pending for it) for the next batch."""
        pending = self._pending()
        step_id = str(step_dict["id"])
        parameters = step_parameters(step_dict)
        merged = pending.steps.pop(step_id, None)
        if merged is not None:  # what two upserts in a row leave in the row
            merged.update(parameters)
            parameters = merged
        pending.steps[step_id] = parameters
        self._schedule()

    def _start_flush(self) -> asyncio.Task[None]:
        pending = self._pending()
        if pending.timer is not None:
            pending.timer.cancel()
            pending.timer = None
        task = asyncio.get_running_loop().create_task(self._flush())
        pending.task = task
        return task

    async def _flush(self) -> None:
        pending = self._pending()
        batch = pending.take()
        try:
            if batch.size:
                await self._write_items(batch)
        finally:
            pending.task = None
            if not pending.empty() and pending.timer is None:  # arrived while writing
                pending.timer = asyncio.get_running_loop().call_later(FLUSH_S,
                                                                      self._start_flush)

    async def _write_items(self, batch: Batch) -> None:
        """The batch in one transaction; when that fails, each item in its own (one bad step
        does not take the others with it)."""
        try:
            await self._write_batch(batch)
            return
        except Exception as exc:
            if batch.size == 1:
                logger.warning("saving a chat step failed: %s", type(exc).__name__)
                return
        for item in batch.split():
            try:
                await self._write_batch(item)
            except Exception as exc:
                logger.warning("saving a chat step failed: %s", type(exc).__name__)

    async def _write_batch(self, batch: Batch) -> None:
        """One transaction: the step deletions, the threads the steps and cards need (created
        if missing), the steps, the cards (an upsert each, rows with the same fields together).
        On a SQLite file it runs in a thread on a plain ``sqlite3`` connection (``executemany``,
        no ORM, one hop off the event loop for the whole batch); elsewhere through
        ``execute_sql`` on the layer's engine."""
        statements = self._batch_statements(batch)
        path = self._sqlite_file()
        if path is not None:
            await asyncio.to_thread(self._write_sqlite, path, statements)
            return
        execute = self.execute_sql  # the using class's: it may transform the statement
        async with self._one_transaction():
            for query, rows in statements:
                for row in rows:
                    await execute(query, row)

    def _batch_statements(self, batch: Batch) -> list[Statement]:
        deleted = [{"id": step_id} for step_id in batch.deletes]
        out: list[Statement] = [(query, deleted) for query in DELETE_STEP] if deleted else []
        created = timestamp()
        thread_ids = dict.fromkeys(str(row["threadId"]) for row in (*batch.steps, *batch.elements)
                                   if row.get("threadId"))
        if thread_ids:
            out.append((THREAD_IF_MISSING, [
                {"id": thread_id, "createdAt": created, "metadata": json.dumps({})}
                for thread_id in thread_ids]))
        for table, rows in (("steps", batch.steps), ("elements", batch.elements)):
            groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
            for row in rows:
                groups.setdefault(tuple(row), []).append(dict(row))
            out.extend((upsert_sql(group[0], table), group) for group in groups.values())
        return out

    def _sqlite_file(self) -> str | None:
        url = self.engine.url
        if self.engine.dialect.name != "sqlite" or url.database in (None, "", ":memory:"):
            return None
        return str(url.database)

    def _write_sqlite(self, path: str, statements: list[Statement]) -> None:
        conn = self.__dict__.get("_jobfit_sqlite")
        if conn is None:  # one connection, used by one batch at a time (flushes are serial)
            conn = sqlite3.connect(path, timeout=10, check_same_thread=False,
                                   isolation_level=None)
            # as every chat-history connection (ui/chat_history.py): WAL, no fsync per commit
            conn.execute("PRAGMA busy_timeout=10000")
            conn.execute("PRAGMA secure_delete=ON")
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self.__dict__["_jobfit_sqlite"] = conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            for query, rows in statements:
                conn.executemany(query, [_sqlite_row(row) for row in rows])
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    async def drain(self) -> None:
        """Write every pending step now (and wait for a batch being written)."""
        pending = self._pending()
        while pending.task is not None or not pending.empty():
            task = pending.task if pending.task is not None else self._start_flush()
            await asyncio.shield(task)

    @queue_until_user_message()
    async def delete_step(self, step_id: str) -> None:
        """Chainlit's three deletes (the step's feedback, cards, the step), written behind
        with the next batch; the step and its cards still pending are dropped (never
        written)."""
        pending = self._pending()
        step_id = str(step_id)
        pending.steps.pop(step_id, None)
        for element_id in [k for k, row in pending.elements.items()
                           if str(row.get("forId")) == step_id]:
            del pending.elements[element_id]
        pending.deletes[step_id] = None
        self._schedule()

    def _keep_element(self, row: dict[str, Any]) -> None:
        """A card (a custom element's row) for the next batch."""
        pending = self._pending()
        merged = pending.elements.pop(str(row["id"]), None)
        if merged is not None:
            merged.update(row)
            row = merged
        pending.elements[str(row["id"])] = row
        self._schedule()

    def _schedule(self) -> None:
        pending = self._pending()
        if pending.timer is None and pending.task is None:
            pending.timer = asyncio.get_running_loop().call_later(FLUSH_S, self._start_flush)

    # -- what reads or deletes steps sees them written first ----------------------------
    async def get_thread(self, thread_id: str) -> Any:
        await self.drain()
        return await super().get_thread(thread_id)  # type: ignore[misc]

    async def list_threads(self, *args: Any, **kwargs: Any) -> Any:
        await self.drain()
        return await super().list_threads(*args, **kwargs)  # type: ignore[misc]

    async def get_step(self, step_id: str) -> Any:
        await self.drain()
        return await super().get_step(step_id)  # type: ignore[misc]

    async def delete_thread(self, thread_id: str) -> Any:
        await self.drain()
        return await super().delete_thread(thread_id)  # type: ignore[misc]

    async def get_favorite_steps(self, user_id: str) -> Any:
        await self.drain()
        return await super().get_favorite_steps(user_id)  # type: ignore[misc]

    async def close(self) -> None:
        await self.drain()
        conn = self.__dict__.pop("_jobfit_sqlite", None)
        if conn is not None:
            conn.close()
        await super().close()  # type: ignore[misc]


def _sqlite_row(row: dict[str, Any]) -> dict[str, Any]:
    """A step's values as SQLite stores them (lists, i.e. tags, as JSON: no arrays)."""
    return {key: json.dumps(value) if isinstance(value, list) else value
            for key, value in row.items()}


class Batch(NamedTuple):
    """What one transaction writes: step deletions, steps, cards (element rows)."""

    deletes: list[str]
    steps: list[dict[str, Any]]
    elements: list[dict[str, Any]]

    @property
    def size(self) -> int:
        return len(self.deletes) + len(self.steps) + len(self.elements)

    def split(self) -> Iterator[Batch]:
        """One batch per item (a failed batch is retried item by item)."""
        for step_id in self.deletes:
            yield Batch([step_id], [], [])
        for step in self.steps:
            yield Batch([], [step], [])
        for element in self.elements:
            yield Batch([], [], [element])


class _Pending:
    """Steps and cards waiting to be written (id -> upsert parameters, in order), steps to
    delete, the timer that will write them, and the batch being written."""

    def __init__(self) -> None:
        self.steps: dict[str, dict[str, Any]] = {}
        self.elements: dict[str, dict[str, Any]] = {}
        self.deletes: dict[str, None] = {}
        self.timer: asyncio.TimerHandle | None = None
        self.task: asyncio.Task[None] | None = None

    def empty(self) -> bool:
        return not (self.steps or self.elements or self.deletes)

    def take(self) -> Batch:
        batch = Batch(list(self.deletes), list(self.steps.values()),
                      list(self.elements.values()))
        self.deletes, self.steps, self.elements = {}, {}, {}
        return batch
