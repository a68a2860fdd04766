"""ui/chat_writes.py: the chat history's leaner step writes store what Chainlit's own data
layer stores (SQLite and PostgreSQL, see conftest.py), under concurrency too, and a failed
write neither raises nor logs chat text. Steps are written behind, in batches: a step's
updates merge, a deleted pending step is never written, readers see everything said."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from sqlalchemy import Engine

from tests.integration.test_app_data import chainlit_context
from ui import chat_history as web
from ui import chat_writes


class ChainlitsWrites(web.JobfitDataLayer):
    """The same layer with Chainlit's own step write (check, then insert, each statement in
    its own ORM session)."""

    async def execute_sql(self, query: str, parameters: dict) -> Any:
        return await web.JobfitDataLayer.execute_sql(self, query, parameters)

    async def create_step(self, step_dict: Any) -> None:
        await SQLAlchemyDataLayer.create_step(self, step_dict)


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


@pytest_asyncio.fixture
async def layers(engine: Engine) -> AsyncIterator[tuple[web.JobfitDataLayer, ChainlitsWrites]]:
    url = _url(engine)
    web.create_chat_tables(url)
    lean = web.JobfitDataLayer.for_database(url)
    plain = ChainlitsWrites.for_database(url)
    try:
        yield lean, plain
    finally:
        await lean.engine.dispose()
        await plain.engine.dispose()


def _step(thread_id: str, output: str, **extra: Any) -> dict[str, Any]:
    return {"id": str(uuid.uuid4()), "threadId": thread_id, "name": "jobfit",
            "type": "assistant_message", "output": output, "createdAt": "2026-12-07T10:00:00Z",
            "start": "2026-12-07T10:00:00Z", "end": "2026-12-07T10:00:01Z",
            "metadata": {"k": 1}, "showInput": "json", "streaming": False, "isError": False,
            "tags": ["a", "b"], **extra}


async def _rows(layer: web.JobfitDataLayer, thread_id: str) -> dict[str, Any]:
    await layer.drain()  # steps are written behind (raw SQL does not wait for them)
    thread = await layer.execute_sql(
        'SELECT "name", "userId", "metadata" FROM threads WHERE "id" = :id', {"id": thread_id})
    steps = await layer.execute_sql(
        'SELECT "name", "type", "output", "metadata", "generation", "showInput", "tags", '
        '"start", "end", "isError", "streaming" FROM steps WHERE "threadId" = :id '
        'ORDER BY "output"', {"id": thread_id})
    return {"thread": thread, "steps": steps}


async def _write_story(layer: web.JobfitDataLayer, thread_id: str) -> None:
    first, second = _step(thread_id, "a first answer"), _step(thread_id, "b second answer")
    await layer.create_step(first)  # the thread does not exist yet: made on the way
    await layer.create_step(second)
    await layer.update_step({**first, "output": "a first answer, edited", "metadata": {}})
    await layer.update_thread(thread_id, name="Your CV")
    progress = _step(thread_id, "c working on it")
    await layer.create_step(progress)
    await layer.delete_step(progress["id"])  # gone again, as a progress line is


@pytest.mark.asyncio
async def test_steps_are_stored_as_chainlit_stores_them(
        layers: tuple[web.JobfitDataLayer, ChainlitsWrites]) -> None:
    lean, plain = layers
    ours, theirs = str(uuid.uuid4()), str(uuid.uuid4())
    async with chainlit_context(ours):
        await _write_story(lean, ours)
    async with chainlit_context(theirs):
        await _write_story(plain, theirs)
    await plain.drain()  # its deletion is written behind too
    mine, chainlits = await _rows(lean, ours), await _rows(lean, theirs)
    assert mine == chainlits
    assert mine["thread"][0]["name"] == "Your CV"
    assert [s["output"] for s in mine["steps"]] == ["a first answer, edited", "b second answer"]
    # a step of an existing, named thread leaves the thread as it is
    async with chainlit_context(ours):
        await lean.create_step(_step(ours, "c third"))
    assert (await _rows(lean, ours))["thread"] == mine["thread"]
    thread = await lean.get_thread(ours)
    assert thread is not None and len(thread["steps"]) == 3


@pytest.mark.asyncio
async def test_concurrent_steps_of_many_chats_are_all_stored(
        layers: tuple[web.JobfitDataLayer, ChainlitsWrites]) -> None:
    lean, _ = layers
    threads = [str(uuid.uuid4()) for _ in range(8)]

    async def chat(thread_id: str) -> None:
        async with chainlit_context(thread_id):
            for i in range(6):
                await lean.create_step(_step(thread_id, f"answer {i}"))

    await asyncio.gather(*(chat(t) for t in threads))
    for thread_id in threads:
        rows = await _rows(lean, thread_id)
        assert len(rows["thread"]) == 1
        assert [s["output"] for s in rows["steps"]] == [f"answer {i}" for i in range(6)]


@pytest.mark.asyncio
async def test_a_failed_step_write_is_dropped_quietly(
        layers: tuple[web.JobfitDataLayer, ChainlitsWrites],
        caplog: pytest.LogCaptureFixture) -> None:
    lean, _ = layers
    thread_id = str(uuid.uuid4())
    secret = "jane.doe@example.com +44 20 7946 0958"
    with caplog.at_level(logging.WARNING):
        async with chainlit_context(thread_id):
            await lean.create_step(_step(thread_id, secret, noSuchColumn="x"))
        assert await lean.execute_sql("SELECT * FROM no_such_table", {}) is None
    rows = await _rows(lean, thread_id)
    assert rows == {"thread": [], "steps": []}  # one transaction: the thread went too
    assert "failed" in caplog.text and secret not in caplog.text


class CountingLayer(web.JobfitDataLayer):
    """Counts the step batches the layer writes (a transaction each) and the step rows in
    them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.batches = 0
        self.step_rows = 0

    async def _write_batch(self, batch: chat_writes.Batch) -> None:
        self.batches += 1
        await super()._write_batch(batch)

    def _batch_statements(self, batch: chat_writes.Batch) -> Any:
        statements = super()._batch_statements(batch)
        self.step_rows += sum(len(rows) for query, rows in statements
                              if query.startswith("INSERT INTO steps"))
        return statements


@pytest_asyncio.fixture
async def counting(engine: Engine) -> AsyncIterator[CountingLayer]:
    url = _url(engine)
    web.create_chat_tables(url)
    layer = CountingLayer.for_database(url)
    try:
        yield layer
    finally:
        await layer.engine.dispose()


@pytest.mark.asyncio
async def test_a_steps_updates_are_merged_into_one_write(counting: CountingLayer) -> None:
    thread_id = str(uuid.uuid4())
    step = _step(thread_id, "", streaming=True, end=None)
    async with chainlit_context(thread_id):
        await counting.create_step(step)
        await counting.update_step({**step, "output": "half"})
        await counting.update_step({**step, "output": "the whole answer", "streaming": False,
                                    "end": "2026-12-07T10:00:05Z", "metadata": {}})
    await counting.drain()
    assert (counting.step_rows, counting.batches) == (1, 1)
    rows = await _rows(counting, thread_id)
    assert [(s["output"], bool(s["streaming"]), s["end"]) for s in rows["steps"]] == [
        ("the whole answer", False, "2026-12-07T10:00:05Z")]
    assert rows["steps"][0]["metadata"] in ("{}", {})  # the last write's, as two upserts leave


@pytest.mark.asyncio
async def test_steps_of_many_chats_share_one_transaction(counting: CountingLayer) -> None:
    threads = [str(uuid.uuid4()) for _ in range(8)]
    for thread_id in threads:
        async with chainlit_context(thread_id):
            for i in range(3):
                await counting.create_step(_step(thread_id, f"answer {i}"))
    await asyncio.sleep(chat_writes.FLUSH_S * 3)  # the timer writes them, nobody has to ask
    assert (counting.step_rows, counting.batches) == (24, 1)
    for thread_id in threads:
        assert len((await _rows(counting, thread_id))["steps"]) == 3


@pytest.mark.asyncio
async def test_a_pending_step_deleted_is_never_written(counting: CountingLayer) -> None:
    thread_id = str(uuid.uuid4())
    keep, progress = _step(thread_id, "kept"), _step(thread_id, "working on it")
    async with chainlit_context(thread_id):
        await counting.create_step(keep)
        await counting.create_step(progress)
        await counting.delete_step(progress["id"])
    await counting.drain()
    assert counting.step_rows == 1
    assert [s["output"] for s in (await _rows(counting, thread_id))["steps"]] == ["kept"]


@pytest.mark.asyncio
async def test_readers_and_close_see_pending_steps(engine: Engine) -> None:
    url = _url(engine)
    web.create_chat_tables(url)
    layer = web.JobfitDataLayer.for_database(url)
    thread_id = str(uuid.uuid4())
    step = _step(thread_id, "just said")
    async with chainlit_context(thread_id):
        await layer.update_thread(thread_id, name="Your CV")
        await layer.create_step(step)
    thread = await layer.get_thread(thread_id)  # no wait: get_thread writes what is pending
    assert thread is not None and [s["output"] for s in thread["steps"]] == ["just said"]
    assert await layer.step_owner(step["id"]) is not None
    async with chainlit_context(thread_id):
        await layer.create_step(_step(thread_id, "said just before the server stopped"))
    await layer.close()  # what the server's shutdown calls
    other = web.JobfitDataLayer.for_database(url)
    try:
        rows = await _rows(other, thread_id)
    finally:
        await other.engine.dispose()
    assert [s["output"] for s in rows["steps"]] == [
        "just said", "said just before the server stopped"]


@pytest.mark.asyncio
async def test_one_bad_step_does_not_lose_the_batch(counting: CountingLayer,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    thread_id = str(uuid.uuid4())
    with caplog.at_level(logging.WARNING):
        async with chainlit_context(thread_id):
            await counting.create_step(_step(thread_id, "first"))
            await counting.create_step(_step(thread_id, "private text", noSuchColumn="x"))
            await counting.create_step(_step(thread_id, "third"))
        await counting.drain()
    assert [s["output"] for s in (await _rows(counting, thread_id))["steps"]] == [
        "first", "third"]
    assert "saving a chat step failed" in caplog.text and "private text" not in caplog.text


@pytest.mark.asyncio
async def test_cards_and_deletions_ride_in_the_batch(counting: CountingLayer) -> None:
    from chainlit.element import CustomElement

    thread_id = str(uuid.uuid4())
    answer, progress = _step(thread_id, "your matches"), _step(thread_id, "working on it")
    async with chainlit_context(thread_id):
        card = CustomElement(name="JobList", props={"jobs": [1, 2]}, display="inline")
        card.thread_id, card.for_id = thread_id, answer["id"]
        stray = CustomElement(name="ScoreCard", props={"score": 80}, display="inline")
        stray.thread_id, stray.for_id = thread_id, progress["id"]
        await counting.create_step(answer)
        await counting.create_step(progress)
        await counting.create_element(card)   # its thread does not exist yet
        await counting.create_element(stray)
        await counting.delete_step(progress["id"])  # the step and its card, never written
        await counting.drain()
        element = await counting.get_element(thread_id, card.id)
        gone = await counting.get_element(thread_id, stray.id)
    assert counting.batches == 1 and counting.step_rows == 1
    assert element is not None and element["props"] == {"jobs": [1, 2]}
    assert gone is None
    # a step already written, deleted later: gone in the next batch, its card with it
    async with chainlit_context(thread_id):
        await counting.delete_step(answer["id"])
        await counting.drain()
        assert await counting.get_element(thread_id, card.id) is None
    assert (await _rows(counting, thread_id))["steps"] == []
    assert counting.batches == 2
