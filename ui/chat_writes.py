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

Errors are logged by type only (the statement's parameters hold chat text) and the write is
dropped, as Chainlit does.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import TYPE_CHECKING, Any

from chainlit.data.utils import queue_until_user_message
from sqlalchemy import text

if TYPE_CHECKING:
    from chainlit.step import StepDict
    from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

logger = logging.getLogger(__name__)

#: the connection of the transaction a step is being saved in (None: one per statement)
_transaction: ContextVar[AsyncConnection | None] = ContextVar("jobfit_chat_transaction",
                                                               default=None)


def _timestamp() -> str:
    """Chainlit's ``get_current_timestamp`` format (local ISO time plus "Z")."""
    return datetime.now().isoformat() + "Z"


def step_upsert(step_dict: StepDict) -> tuple[str, dict[str, Any]]:
    """Chainlit's upsert of a step (``SQLAlchemyDataLayer.create_step``), as SQL + params."""
    step: dict[str, Any] = dict(step_dict)
    step["showInput"] = (str(step.get("showInput", "")).lower() if "showInput" in step
                         else None)
    parameters = {key: value for key, value in step.items()
                  if value is not None and not (isinstance(value, dict) and not value)}
    parameters["metadata"] = json.dumps(step.get("metadata", {}))
    parameters["generation"] = json.dumps(step.get("generation", {}))
    columns = ", ".join(f'"{key}"' for key in parameters)
    values = ", ".join(f":{key}" for key in parameters)
    updates = ", ".join(f'"{key}" = :{key}' for key in parameters if key != "id")
    query = (f"INSERT INTO steps ({columns}) VALUES ({values}) "
             f"ON CONFLICT (id) DO UPDATE SET {updates};")
    return query, parameters


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

    @queue_until_user_message()
    async def create_step(self, step_dict: StepDict) -> None:
        """The thread (if missing) and the step, in one transaction."""
        query, parameters = step_upsert(step_dict)
        execute = self.execute_sql  # the using class's: it may transform the statement
        try:
            async with self._one_transaction():
                await execute(THREAD_IF_MISSING, {"id": step_dict["threadId"],
                                                  "createdAt": _timestamp(),
                                                  "metadata": json.dumps({})})
                await execute(query, parameters)
        except Exception as exc:
            logger.warning("saving a chat step failed: %s", type(exc).__name__)

    @queue_until_user_message()
    async def delete_step(self, step_id: str) -> None:
        """Chainlit's three deletes (the step's feedback, elements, the step) in one
        transaction."""
        execute = self.execute_sql
        try:
            async with self._one_transaction():
                for query in DELETE_STEP:
                    await execute(query, {"id": step_id})
        except Exception as exc:
            logger.warning("deleting a chat step failed: %s", type(exc).__name__)
