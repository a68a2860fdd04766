"""A new web chat tells its page its thread id once the thread is saved (ui/webchat/chat.py
``announce_thread``; public/jobfit.js then puts ``/thread/<id>`` in the address, so a reload
resumes the chat: tests/e2e/test_web_resume.py). Real data layer on SQLite, a Chainlit context
on a mock websocket session whose ``emit`` records what the browser would receive."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from unittest.mock import AsyncMock, Mock

import chainlit.data as cl_data
import pytest
import pytest_asyncio
from chainlit.context import ChainlitContext, context_var
from chainlit.session import WebsocketSession
from chainlit.user import User

from ui import chat_history
from ui.webchat import chat


@pytest_asyncio.fixture
async def layer(tmp_path: Path,
                monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[chat_history.JobfitDataLayer]:
    url = f"sqlite:///{tmp_path / 'jobfit.db'}"
    chat_history.create_chat_tables(url)
    data_layer = chat_history.JobfitDataLayer.for_database(url)
    monkeypatch.setattr(cl_data, "_data_layer", data_layer)
    monkeypatch.setattr(cl_data, "_data_layer_initialized", True)
    try:
        yield data_layer
    finally:
        await data_layer.engine.dispose()


def window_messages(session: Mock) -> list[object]:
    return [c.args[1] for c in session.emit.call_args_list if c.args[0] == "window_message"]


def browser_session(thread_id: str) -> Mock:
    session = Mock(spec=WebsocketSession)
    session.id, session.thread_id = str(uuid.uuid4()), thread_id
    session.has_first_interaction, session.emit = True, AsyncMock()
    return session


@pytest.mark.asyncio
async def test_the_thread_id_is_sent_once_the_thread_is_saved(
        layer: chat_history.JobfitDataLayer) -> None:
    thread = str(uuid.uuid4())
    session = browser_session(thread)
    token = context_var.set(ChainlitContext(session))
    try:
        user = await layer.create_user(User(identifier="ana"))
        assert user is not None
        announcing = asyncio.create_task(chat.announce_thread(thread))
        await asyncio.sleep(0.4)
        assert window_messages(session) == []  # not saved yet: a reload could not resume it
        await layer.update_thread(thread, name="hello", user_id=user.id)
        await asyncio.wait_for(announcing, timeout=5)
    finally:
        context_var.reset(token)
    assert window_messages(session) == [{"jobfit": "thread", "threadId": thread}]


@pytest.mark.asyncio
async def test_a_thread_never_saved_is_not_announced(layer: chat_history.JobfitDataLayer,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chat, "THREAD_WAIT_S", 0.3)
    session = browser_session(str(uuid.uuid4()))
    token = context_var.set(ChainlitContext(session))
    try:
        await asyncio.wait_for(chat.announce_thread(session.thread_id), timeout=5)
    finally:
        context_var.reset(token)
    assert window_messages(session) == []
