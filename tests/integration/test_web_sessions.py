"""Web sessions and feedback ownership on a real database (SQLite and PostgreSQL, see
conftest.py): ``web_sessions`` rows (store/users.py WebSessionRepo, ui/security.py SessionGuard),
a password reset ending every session, and the data layer refusing feedback on another user's
messages (ui/web.py)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import chainlit as cl
import pytest
from chainlit.types import Feedback
from chainlit.user import User
from sqlalchemy import Engine, text

from store.users import WebSessionRepo
from tests.integration.test_app_data import _url, chainlit_context
from ui import chat_history as web
from ui.security import SessionGuard, set_identity
from ui.users import add_user


def test_sessions_are_active_until_revoked_or_expired(engine: Engine) -> None:
    repo = WebSessionRepo(engine)
    now = datetime.now(UTC)
    repo.create("ana", "s1", now + timedelta(hours=8))
    repo.create("ana", "s2", now + timedelta(hours=8))
    repo.create("ben", "s3", now + timedelta(hours=8))
    repo.create("ana", "old", now - timedelta(seconds=1))
    assert repo.is_active("s1", "ana", now)
    assert not repo.is_active("s1", "ben", now)  # a session belongs to one login
    assert not repo.is_active("old", "ana", now)
    assert not repo.is_active("nope", "ana", now)
    assert repo.revoke("s1") and not repo.revoke("s1")
    assert not repo.is_active("s1", "ana", now)
    assert repo.is_active("s2", "ana", now)
    assert repo.revoke_all("ana") == 1  # s2 (s1 already ended)
    assert not repo.is_active("s2", "ana", now) and repo.is_active("s3", "ben", now)
    assert repo.purge(now) == 1  # the expired one


def test_a_password_reset_ends_every_session_of_that_login(engine: Engine) -> None:
    add_user("cora", "first-password", engine=engine, quiet=True)
    add_user("dan", "other-password", engine=engine, quiet=True)
    guard = SessionGuard(lambda: engine, cache_s=0)
    phone, laptop = guard.start("cora", 3600), guard.start("cora", 3600)
    other = guard.start("dan", 3600)
    assert guard.is_active(phone, "cora") and guard.is_active(laptop, "cora")
    add_user("cora", "second-password", engine=engine, quiet=True)
    assert not guard.is_active(phone, "cora") and not guard.is_active(laptop, "cora")
    assert guard.is_active(other, "dan")


def test_guard_caches_answers_briefly_and_revocation_at_once(engine: Engine) -> None:
    guard = SessionGuard(lambda: engine, cache_s=60)
    sid = guard.start("eve", 3600)
    WebSessionRepo(engine).revoke_all("eve")  # another process (jobfit users add)
    assert guard.is_active(sid, "eve")  # cached: ends within cache_s
    guard.cache_s = 0
    assert not guard.is_active(sid, "eve")
    sid2 = guard.start("eve", 3600)
    guard.cache_s = 60
    assert guard.revoke(sid2) and not guard.is_active(sid2, "eve")  # this process: at once


@pytest.mark.asyncio
async def test_feedback_only_on_ones_own_messages(engine: Engine) -> None:
    url = _url(engine)
    web.create_chat_tables(url)
    layer = web.JobfitDataLayer.for_database(url)
    chat = web.chat_engine(url)
    try:
        alice = await layer.create_user(User(identifier="alice", metadata={}))
        bob = await layer.create_user(User(identifier="bob", metadata={}))
        assert alice is not None and bob is not None
        t_alice, t_bob = str(uuid.uuid4()), str(uuid.uuid4())
        await layer.update_thread(t_alice, name="a", user_id=alice.id)
        await layer.update_thread(t_bob, name="b", user_id=bob.id)
        async with chainlit_context(t_alice):
            a_msg = cl.Message(content="alice's answer", id=str(uuid.uuid4()))
            await layer.create_step(a_msg.to_dict())
        async with chainlit_context(t_bob):
            b_msg = cl.Message(content="bob's answer", id=str(uuid.uuid4()))
            await layer.create_step(b_msg.to_dict())

        set_identity("alice")
        # the thread id comes from the message, whatever the request says
        fid = await layer.upsert_feedback(Feedback(forId=a_msg.id, value=1, threadId=t_bob,
                                                   comment="great"))
        set_identity("bob")
        with pytest.raises(web.FeedbackNotFound):
            await layer.upsert_feedback(Feedback(forId=a_msg.id, value=0, comment="spam"))
        with pytest.raises(web.FeedbackNotFound):  # overwrite alice's row through its id
            await layer.upsert_feedback(Feedback(forId=b_msg.id, value=0, id=fid, comment="x"))
        with pytest.raises(web.FeedbackNotFound):
            await layer.delete_feedback(fid)
        with pytest.raises(web.FeedbackNotFound):
            await layer.upsert_feedback(Feedback(forId=str(uuid.uuid4()), value=1))
        set_identity(None)
        with pytest.raises(web.FeedbackNotFound):
            await layer.upsert_feedback(Feedback(forId=a_msg.id, value=1))

        with chat.connect() as conn:
            rows = conn.execute(text('SELECT "id", "threadId", "value", "comment" '
                                     'FROM feedbacks')).fetchall()
        assert [(str(r[0]), str(r[1]), r[2], r[3]) for r in rows] == [
            (fid, t_alice, 1, "great")]

        set_identity("alice")
        assert await layer.upsert_feedback(replace(
            Feedback(forId=a_msg.id, value=0, comment="changed"), id=fid)) == fid
        assert await layer.delete_feedback(fid)
        with chat.connect() as conn:
            assert conn.execute(text("SELECT COUNT(*) FROM feedbacks")).scalar() == 0
    finally:
        set_identity(None)
        await layer.engine.dispose()
        chat.dispose()
