"""Web chat persistence on a real database: accounts (ui/users.py) and Chainlit's chat history
(ui/chat_history.py JobfitDataLayer: Chainlit's tables beside the project database), on SQLite
and PostgreSQL (see conftest.py)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from unittest.mock import AsyncMock, Mock

import chainlit as cl
import pytest
from chainlit.context import ChainlitContext, context_var
from chainlit.session import WebsocketSession
from chainlit.types import Pagination, ThreadFilter
from chainlit.user import User
from sqlalchemy import Engine, inspect

from store.users import LoginRepo, UserRepo
from tools.errors import InvalidInputError
from ui import chat_history as web
from ui.users import add_user, verify_user


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@asynccontextmanager
async def chainlit_context(thread_id: str) -> AsyncIterator[ChainlitContext]:
    """A Chainlit context on a mock websocket session (as Chainlit's own tests build it)."""
    session = Mock(spec=WebsocketSession)
    session.id = str(uuid.uuid4())
    session.thread_id = thread_id
    session.has_first_interaction = True
    session.emit = AsyncMock()
    session.user = None
    ctx = ChainlitContext(session)
    token = context_var.set(ctx)
    try:
        yield ctx
    finally:
        context_var.reset(token)


def test_add_user_and_verify(engine: Engine) -> None:
    uid = add_user("ana", "s3cret-pass", engine=engine, quiet=True)
    assert UserRepo(engine).get(uid) is not None
    assert verify_user("ana", "s3cret-pass", engine=engine) == uid
    assert verify_user("ana", "wrong-pass", engine=engine) is None
    assert verify_user("nobody", "s3cret-pass", engine=engine) is None
    stored = LoginRepo(engine).get("ana")
    assert stored is not None and "s3cret-pass" not in stored.password_hash
    # a reset keeps the same user (and their data)
    assert add_user("ana", "n3w-password", engine=engine, quiet=True) == uid
    assert verify_user("ana", "s3cret-pass", engine=engine) is None
    assert verify_user("ana", "n3w-password", engine=engine) == uid
    other = add_user("ben", "another-pass", engine=engine, quiet=True)
    assert other != uid and LoginRepo(engine).logins() == ["ana", "ben"]
    with pytest.raises(InvalidInputError):
        add_user("cy", "short", engine=engine, quiet=True)


def test_login_survives_forgetting_the_user(engine: Engine) -> None:
    uid = add_user("dora", "s3cret-pass", engine=engine, quiet=True)
    UserRepo(engine).delete_all(uid)
    assert UserRepo(engine).get(uid) is None
    assert verify_user("dora", "s3cret-pass", engine=engine) == uid  # row re-created
    assert UserRepo(engine).get(uid) is not None


@pytest.mark.asyncio
async def test_chat_history_is_per_user_and_keeps_cards(engine: Engine) -> None:
    url = _url(engine)
    web.create_chat_tables(url)
    web.create_chat_tables(url)  # idempotent
    chat = web.chat_engine(url)
    try:
        assert set(web.CHAT_TABLES) <= set(inspect(chat).get_table_names())
    finally:
        chat.dispose()
    project = set(inspect(engine).get_table_names())
    assert "users" in project and not {t for t in project if t.startswith("cl_")}
    layer = web.JobfitDataLayer.for_database(url)
    try:
        alice = await layer.create_user(User(identifier="alice", metadata={"jobfit_id": "a1"}))
        bob = await layer.create_user(User(identifier="bob", metadata={"jobfit_id": "b1"}))
        assert alice is not None and bob is not None and alice.id != bob.id
        t_alice, t_bob = str(uuid.uuid4()), str(uuid.uuid4())
        await layer.update_thread(t_alice, name="alice chat", user_id=alice.id)
        await layer.update_thread(t_bob, name="bob chat", user_id=bob.id)
        async with chainlit_context(t_alice):
            msg = cl.Message(content="Your score", id=str(uuid.uuid4()))
            await layer.create_step(msg.to_dict())
            card = cl.CustomElement(name="ScoreCard", props={"score": 74}, display="inline")
            card.for_id = msg.id
            card.thread_id = t_alice
            await layer.create_element(card)
            download = cl.File(name="cv.md", content=b"# CV", display="inline")
            download.for_id = msg.id
            download.thread_id = t_alice
            await layer.create_element(download)  # files are not kept (no storage)

        mine = await layer.list_threads(Pagination(first=20), ThreadFilter(userId=alice.id))
        assert [t["id"] for t in mine.data] == [t_alice]
        theirs = await layer.list_threads(Pagination(first=20), ThreadFilter(userId=bob.id))
        assert [t["id"] for t in theirs.data] == [t_bob]
        assert await layer.get_thread_author(t_alice) == "alice"

        thread = await layer.get_thread(t_alice)
        assert thread is not None
        assert [s["output"] for s in thread["steps"]] == ["Your score"]
        elements = thread["elements"]
        assert [e["name"] for e in elements] == ["ScoreCard"]
        assert elements[0]["props"] == {"score": 74}  # an object again, on both back ends
        assert isinstance(thread["metadata"], dict)
    finally:
        await layer.engine.dispose()

    assert web.delete_chat_history(url, "alice") == 1
    layer = web.JobfitDataLayer.for_database(url)
    try:
        assert await layer.get_thread(t_alice) is None
        assert await layer.get_thread(t_bob) is not None
    finally:
        await layer.engine.dispose()
