"""Conversations on PostgreSQL (DATABASE_URL is PostgreSQL): PostgresSaver / AsyncPostgresSaver
from bootstrap, resuming a thread with a rebuilt graph, and deleting one user's threads only.

Uses the server of ``JOBFIT_TEST_POSTGRES_URL`` (see conftest.py: skipped without it, failing
under CI), in a schema of its own.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage, ToolMessage

from agent.bootstrap import build_async_checkpointer, build_checkpointer, postgres_conninfo
from agent.context import Context
from agent.graph import build_graph, run_config
from agent.service import JobfitService
from agent.settings import Settings
from agent.threads import alist_user_threads, delete_user_threads, list_user_threads
from tests.fakes import ScriptedChatModel, tool_call
from tests.integration.agent_store import BACKEND_CV, build_store


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("pg-graph") / "data", n_jobs=20)
    svc.save_cv("pg-a", text=BACKEND_CV)
    yield svc
    svc.engine.dispose()


def _settings(url: str, tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, database_url=url)


def _turn(graph: Any, service: JobfitService, user: str, conv: str, text: str) -> Any:
    return graph.invoke({"messages": [HumanMessage(text)]}, config=run_config(f"{user}:{conv}"),
                        context=Context(user_id=user, service=service))


def test_conninfo_from_sqlalchemy_url() -> None:
    info = postgres_conninfo("postgresql+psycopg://u:p%40ss@h:5433/db?options=-csearch_path%3Ds")
    assert info.startswith("postgresql://u:p%40ss@h:5433/db") and "search_path" in info


def test_postgres_threads_resume_and_delete(postgres_schema_url: str, tmp_path: Path,
                                            service: JobfitService) -> None:
    settings = _settings(postgres_schema_url, tmp_path)
    saver = build_checkpointer(settings)
    assert type(saver).__name__ == "PostgresSaver"
    graph = build_graph(ScriptedChatModel([
        tool_call("search_jobs", {"query": "backend java engineer", "k": 3}), "listed",
        "hello", "hello"]), checkpointer=saver)
    listing = [json.loads(str(m.content)) for m in
               _turn(graph, service, "pg-a", "c1", "find jobs")["messages"]
               if isinstance(m, ToolMessage)][0]
    _turn(graph, service, "pg-a", "c2", "hi")
    _turn(graph, service, "pg-ab", "c1", "hi")  # a prefix-alike user id stays separate
    assert list_user_threads(saver, "pg-a") == ["pg-a:c1", "pg-a:c2"]
    # a rebuilt graph on a new saver carries on
    again = build_graph(ScriptedChatModel([tool_call("score_match", {"position": 2}), "ok"]),
                        checkpointer=build_checkpointer(settings))
    out = _turn(again, service, "pg-a", "c1", "the second one?")
    result = json.loads(str(out["messages"][-2].content))
    assert result["kind"] == "analysis"
    assert result["job"]["ref"] == listing["jobs"][1]["ref"]
    assert delete_user_threads(saver, "pg-a") == 2
    assert list_user_threads(saver, "pg-a") == []
    assert list_user_threads(saver, "pg-ab") == ["pg-ab:c1"]
    assert not again.get_state(run_config("pg-a:c1")).values


@pytest.mark.asyncio
async def test_async_postgres_saver(postgres_schema_url: str, tmp_path: Path,
                                    service: JobfitService) -> None:
    saver = await build_async_checkpointer(_settings(postgres_schema_url, tmp_path))
    assert type(saver).__name__ == "AsyncPostgresSaver"
    try:
        graph = build_graph(ScriptedChatModel([tool_call("show_profile"), "here"]),
                            checkpointer=saver)
        out = await graph.ainvoke({"messages": [HumanMessage("who am I?")]},
                                  config=run_config("pg-async:x"),
                                  context=Context(user_id="pg-async", service=service))
        assert out["messages"][-1].content == "here"
        assert await alist_user_threads(saver, "pg-async") == ["pg-async:x"]
        # the sync helper works from a worker thread against the async saver
        assert await asyncio.to_thread(delete_user_threads, saver, "pg-async") == 1
        assert await alist_user_threads(saver, "pg-async") == []
    finally:
        await saver.conn.close()  # type: ignore[attr-defined]
