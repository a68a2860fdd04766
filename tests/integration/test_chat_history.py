"""The web chat history (ui/chat_history.py) on SQLite and PostgreSQL (see conftest.py).

- Every query of Chainlit's ``SQLAlchemyDataLayer`` runs on the tables jobfit creates, exactly
  as Chainlit wrote it: its layer swallows SQL errors into a log warning, so the test fails on
  any such warning. A Chainlit release that reads or writes a column the tables lack fails here
  (chainlit is pinned in constraints.txt; run this test when raising the pin).
- A history kept by earlier versions in ``cl_*`` tables of the project database is moved, once,
  and the old tables are dropped.
"""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

import chainlit as cl
import pytest
from chainlit.types import Feedback, Pagination, ThreadFilter
from chainlit.user import User
from sqlalchemy import Engine, inspect, text

from tests.integration.test_app_data import _url, chainlit_context
from ui import chat_history
from ui.security import set_identity


def _chainlit_sql_errors(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records
            if r.name.startswith("chainlit") and r.levelno >= logging.WARNING
            and "error occurred" in r.getMessage()]


@pytest.mark.asyncio
async def test_every_chainlit_query_runs_on_our_tables(engine: Engine,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    url = _url(engine)
    chat_history.create_chat_tables(url)
    layer = chat_history.JobfitDataLayer.for_database(url)
    try:
        user = await layer.create_user(User(identifier="ana", metadata={"jobfit_id": "a1"}))
        assert user is not None
        again = await layer.create_user(User(identifier="ana", metadata={"jobfit_id": "a2"}))
        assert again is not None and again.id == user.id
        found = await layer.get_user("ana")
        assert found is not None and found.metadata == {"jobfit_id": "a2"}

        thread = str(uuid.uuid4())
        await layer.update_thread(thread, name="What are my best matches?", user_id=user.id,
                                  metadata={"chat_profile": "jobfit"}, tags=["jobfit"])
        await layer.update_thread(thread, metadata={"seen": True})  # merged into the first
        async with chainlit_context(thread):
            question = cl.Message(content="what are my best matches?", author="ana",
                                  type="user_message", id=str(uuid.uuid4()))
            await layer.create_step(question.to_dict())
            answer = cl.Message(content="Here", id=str(uuid.uuid4()))
            await layer.create_step(answer.to_dict())
            answer.content = "Here are your best matches"
            await layer.update_step(answer.to_dict())
            card = cl.CustomElement(name="JobList", props={"jobs": [1, 2]}, display="inline")
            card.for_id, card.thread_id = answer.id, thread
            await layer.create_element(card)
            step = cl.Step(name="match_jobs", type="tool", id=str(uuid.uuid4()))
            await layer.create_step(step.to_dict())
            await layer.delete_step(str(step.id))

        set_identity("ana")
        feedback = await layer.upsert_feedback(Feedback(forId=answer.id, value=1,
                                                        comment="useful"))
        set_identity(None)

        assert await layer.get_thread_author(thread) == "ana"
        page = await layer.list_threads(Pagination(first=10), ThreadFilter(userId=user.id))
        assert [t["id"] for t in page.data] == [thread]
        searched = await layer.list_threads(Pagination(first=10),
                                            ThreadFilter(userId=user.id, search="best"))
        assert [t["id"] for t in searched.data] == [thread]
        liked = await layer.list_threads(Pagination(first=10),
                                         ThreadFilter(userId=user.id, feedback=1))
        assert [t["id"] for t in liked.data] == [thread]

        got = await layer.get_thread(thread)
        assert got is not None
        assert got["name"] == "What are my best matches?"
        assert got["metadata"] == {"chat_profile": "jobfit", "seen": True}
        steps = {s["output"]: s for s in got["steps"]}  # (same-millisecond steps: any order)
        assert sorted(steps) == ["Here are your best matches", "what are my best matches?"]
        assert steps["Here are your best matches"]["feedback"]["id"] == feedback
        elements = got["elements"] or []
        assert [(e["name"], e["props"]) for e in elements] == [("JobList", {"jobs": [1, 2]})]
        element = await layer.get_element(thread, str(elements[0]["id"]))
        assert element is not None and element["name"] == "JobList"

        # (favorites are off in .chainlit/config.toml: Chainlit's favorites query matches the
        # JSONB metadata with LIKE, which PostgreSQL refuses)
        async with chainlit_context(thread):
            await layer.delete_element(str(elements[0]["id"]), thread)
        after = await layer.get_thread(thread)
        assert after is not None and not after["elements"]
        set_identity("ana")
        assert await layer.delete_feedback(feedback)
        set_identity(None)
        await layer.delete_thread(thread)
        assert await layer.get_thread(thread) is None
    finally:
        set_identity(None)
        await layer.engine.dispose()
    assert _chainlit_sql_errors(caplog) == []


def _legacy_ddl(dialect: str) -> list[str]:
    """The layout of earlier versions: the same tables in the project database, named cl_*."""
    out = []
    for stmt in chat_history._ddl(dialect):
        if stmt.startswith("CREATE INDEX"):
            continue
        for table in chat_history.CHAT_TABLES:
            stmt = stmt.replace(f"EXISTS {table} (", f"EXISTS cl_{table} (")
            stmt = stmt.replace(f"REFERENCES {table}(", f"REFERENCES cl_{table}(")
        out.append(stmt)
    return out


def _write_legacy_history(engine: Engine, ids: dict[str, Any]) -> None:
    arrays = engine.dialect.name == "postgresql"
    with engine.begin() as conn:
        for stmt in _legacy_ddl(engine.dialect.name):
            conn.execute(text(stmt))
        conn.execute(text('INSERT INTO cl_users ("id", "identifier", "metadata", "createdAt") '
                          "VALUES (:id, 'bea', :meta, '2026-01-01T00:00:00Z')"),
                     {"id": ids["user"], "meta": json.dumps({"jobfit_id": "b1"})})
        conn.execute(text(
            'INSERT INTO cl_threads ("id", "createdAt", "name", "userId", "userIdentifier", '
            '"tags", "metadata") VALUES (:id, \'2026-01-01T00:00:01Z\', \'Old chat\', :user, '
            "'bea', :tags, :meta)"),
            {"id": ids["thread"], "user": ids["user"], "tags": ["jobfit"] if arrays else "[]",
             "meta": "{}"})
        conn.execute(text(
            'INSERT INTO cl_steps ("id", "name", "type", "threadId", "streaming", "output", '
            '"createdAt", "metadata") VALUES (:id, \'jobfit\', \'assistant_message\', :thread, '
            "false, 'Your score is 74', '2026-01-01T00:00:02Z', '{}')"),
            {"id": ids["step"], "thread": ids["thread"]})
        conn.execute(text(
            'INSERT INTO cl_elements ("id", "threadId", "type", "name", "display", "forId", '
            '"props") VALUES (:id, :thread, \'custom\', \'ScoreCard\', \'inline\', :step, '
            ":props)"),
            {"id": ids["element"], "thread": ids["thread"], "step": ids["step"],
             "props": json.dumps({"score": 74})})
        conn.execute(text(
            'INSERT INTO cl_feedbacks ("id", "forId", "threadId", "value", "comment") '
            "VALUES (:id, :step, :thread, 1, 'good')"),
            {"id": ids["feedback"], "step": ids["step"], "thread": ids["thread"]})


@pytest.mark.asyncio
async def test_an_old_cl_history_is_moved_once(engine: Engine,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    url = _url(engine)
    ids = {k: str(uuid.uuid4()) for k in ("user", "thread", "step", "element", "feedback")}
    _write_legacy_history(engine, ids)

    assert chat_history.create_chat_tables(url) == 1
    assert not [t for t in inspect(engine).get_table_names() if t.startswith("cl_")]
    assert chat_history.create_chat_tables(url) == 0  # nothing left to move
    layer = chat_history.JobfitDataLayer.for_database(url)
    try:
        user = await layer.get_user("bea")
        assert user is not None and user.id == ids["user"]
        page = await layer.list_threads(Pagination(first=10), ThreadFilter(userId=user.id))
        assert [t["id"] for t in page.data] == [ids["thread"]]
        thread = await layer.get_thread(ids["thread"])
        assert thread is not None and thread["name"] == "Old chat"
        assert [s["output"] for s in thread["steps"]] == ["Your score is 74"]
        assert thread["steps"][0]["feedback"]["comment"] == "good"
        assert [(e["name"], e["props"]) for e in thread["elements"] or []] == [
            ("ScoreCard", {"score": 74})]
    finally:
        await layer.engine.dispose()

    # a move cut short (rows copied, old tables not yet dropped): finished, no duplicates
    _write_legacy_history(engine, ids)
    assert chat_history.create_chat_tables(url) == 1
    chat = chat_history.chat_engine(url)
    try:
        with chat.connect() as conn:
            for table in chat_history.CHAT_TABLES:
                assert conn.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar() == 1
    finally:
        chat.dispose()
    assert not [t for t in inspect(engine).get_table_names() if t.startswith("cl_")]
    assert chat_history.delete_chat_history(url, "bea") == 1
    assert _chainlit_sql_errors(caplog) == []


def test_a_failed_move_does_not_stop_the_chat(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                                             caplog: pytest.LogCaptureFixture) -> None:
    """Another server process moving the old history at the same time (here: any error) leaves
    the chat history usable; the old tables stay for the next start."""
    url = _url(engine)
    ids = {k: str(uuid.uuid4()) for k in ("user", "thread", "step", "element", "feedback")}
    _write_legacy_history(engine, ids)

    def busy(conn: Any, legacy: list[str]) -> None:
        raise RuntimeError("lock timeout")

    monkeypatch.setattr(chat_history, "_drop_legacy", busy)
    assert chat_history.create_chat_tables(url) == 0
    assert "not moved yet (RuntimeError)" in caplog.text
    assert inspect(engine).has_table("cl_threads")
    chat = chat_history.chat_engine(url)
    try:
        assert set(chat_history.CHAT_TABLES) <= set(inspect(chat).get_table_names())
    finally:
        chat.dispose()
    monkeypatch.undo()
    assert chat_history.create_chat_tables(url) == 1
    assert not inspect(engine).has_table("cl_threads")
