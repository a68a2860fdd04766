"""The real graph with the REAL ChatOpenAI client against the local OpenAI-compatible stub.

Store: SQLite file + embedded Chroma + static embedder with sample jobs (tests/integration/
agent_store.py). The stub plays the LLM: it answers with scripted tool calls and text, and
records every request, so the tests check both what the graph did with the LLM's calls and
what the LLM was sent (system prompt, declared tools, tool results).
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage
from langchain_openai import ChatOpenAI
from langgraph.checkpoint.sqlite import SqliteSaver

from agent.context import Context
from agent.graph import build_graph
from agent.llm import build_llm
from agent.llm.fallback import FALLBACK_KEY, NOTICES, FallbackChatModel
from agent.llm.rewriter import LLMRewriter
from agent.prompts import SYSTEM_PROMPT
from agent.router import OfflineChatModel
from agent.service import JobfitService
from agent.settings import Settings
from tests.integration.agent_store import BACKEND_CV, NURSE_CV, build_store, sample_jobs
from tests.openai_stub import OpenAIStub, Reply, Request, text, tool_call

UNREACHABLE = NOTICES["unreachable"]
ALL_TOOLS = {"save_cv", "show_profile", "update_preferences", "search_jobs", "match_jobs",
             "score_match", "explain_gaps", "tailor_cv", "compare", "record_feedback",
             "forget_me", "track_application", "list_applications", "skills_to_learn",
             "rank_candidates", "compare_candidates", "open_candidate", "decide_candidate",
             "set_digest_schedule", "show_digest", "send_digest_now", "skill_insights"}


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("llm_graph") / "data")
    yield svc
    svc.engine.dispose()


@pytest.fixture
def stub() -> Iterator[OpenAIStub]:
    with OpenAIStub() as server:
        yield server


@pytest.fixture
def saver(tmp_path: Path) -> Iterator[SqliteSaver]:
    conn = sqlite3.connect(str(tmp_path / "checkpoints.db"), check_same_thread=False)
    cp = SqliteSaver(conn)
    cp.setup()
    yield cp
    conn.close()


def llm_model(stub: OpenAIStub, *, timeout: float = 5.0, retries: int = 0,
              cooldown_s: float = 0.0) -> FallbackChatModel:
    llm = build_llm(Settings(llm="openai", openai_base_url=stub.base_url, model="stub-model",
                             llm_timeout_s=timeout, llm_max_retries=retries))
    assert isinstance(llm, ChatOpenAI)
    return FallbackChatModel(primary=llm, offline=OfflineChatModel(), cooldown_s=cooldown_s)


def user() -> str:
    return "u" + uuid.uuid4().hex[:10]


def ask(graph: Any, service: JobfitService, who: str, message: str, conv: str = "c1",
        rewriter: Any = None) -> dict[str, Any]:
    return graph.invoke({"messages": [HumanMessage(message)]},
                        config={"configurable": {"thread_id": f"{who}:{conv}"}},
                        context=Context(user_id=who, service=service, rewriter=rewriter))


def turn_messages(state: dict[str, Any]) -> list[Any]:
    messages = state["messages"]
    last_human = max(i for i, m in enumerate(messages) if isinstance(m, HumanMessage))
    return messages[last_human + 1:]


def results(state: dict[str, Any]) -> list[dict[str, Any]]:
    return [json.loads(m.content) for m in turn_messages(state) if isinstance(m, ToolMessage)]


def answer(state: dict[str, Any]) -> str:
    last = state["messages"][-1]
    assert isinstance(last, AIMessage) and not last.tool_calls
    return str(last.content)


def backend_job() -> str:
    for job in sample_jobs():
        if job["title"] == "Sr. Software Engineer, Backend":
            return str(job["external_id"])
    raise AssertionError("sample changed")


# -- tool calling -------------------------------------------------------------------------------
def test_llm_tool_calls_run_through_the_graph(service: JobfitService, stub: OpenAIStub,
                                              saver: SqliteSaver) -> None:
    who = user()
    service.save_cv(who, text=BACKEND_CV)
    graph = build_graph(llm_model(stub), checkpointer=saver)
    stub.push(tool_call("search_jobs", query="backend engineer java", k=5),
              text("Here are 5 backend jobs; the first looks closest."))
    state = ask(graph, service, who, "find me backend engineer jobs with java")
    assert answer(state) == "Here are 5 backend jobs; the first looks closest."
    [found] = results(state)
    assert found["kind"] == "job_list"
    expected = service.search(who, "backend engineer java", k=5)
    assert [j["job_id"] for j in found["jobs"]] == [c.job_id for c in expected]
    assert [j["position"] for j in found["jobs"]] == list(range(1, len(expected) + 1))

    first, second = stub.requests
    for sent in (first, second):
        assert sent.system_prompt == SYSTEM_PROMPT
        assert set(sent.tool_names) == ALL_TOOLS
        for t in sent.body["tools"]:  # identity is never a model argument
            props = t["function"]["parameters"].get("properties", {})
            assert not {"user_id", "owner_id", "user", "runtime"} & set(props), t
    assert first.last_user_text() == "find me backend engineer jobs with java"
    assert second.last_role == "tool"
    assert second.tool_results()[0]["jobs"][0]["job_id"] == expected[0].job_id


def test_follow_up_by_position_scores_with_the_engine(service: JobfitService, stub: OpenAIStub,
                                                      saver: SqliteSaver) -> None:
    who = user()
    service.save_cv(who, text=BACKEND_CV)
    graph = build_graph(llm_model(stub), checkpointer=saver)
    stub.push(tool_call("search_jobs", query="backend engineer java"), text("Found some."))
    first = ask(graph, service, who, "backend engineer jobs with java")
    listed = results(first)[0]["jobs"]
    assert len(listed) >= 2
    stub.push(tool_call("score_match", position=2),
              lambda req: text(f"You fit **{req.tool_results()[0]['score']}/100**."))
    state = ask(graph, service, who, "how well do I fit the second one?")
    [analysis] = results(state)
    assert analysis["kind"] == "analysis"
    assert analysis["job"]["job_id"] == listed[1]["job_id"]
    expected = service.analyse(who, listed[1]["job_id"]).result.score
    assert analysis["score"] == expected
    assert answer(state) == f"You fit **{expected}/100**."  # a quoted score gets no warning
    # the LLM saw the whole conversation from the checkpointer on the second turn
    sent = stub.requests[2]
    assert [m["role"] for m in sent.messages][:3] == ["system", "user", "assistant"]
    assert sent.last_user_text() == "how well do I fit the second one?"


def test_tool_errors_come_back_to_the_llm_and_the_graph_goes_on(
        service: JobfitService, stub: OpenAIStub) -> None:
    who = user()  # no CV
    graph = build_graph(llm_model(stub))
    stub.push(tool_call("match_jobs", k=3), tool_call("no_such_tool"),
              tool_call("score_match", position="not a number"),
              text("Please upload your CV first."))
    state = ask(graph, service, who, "what fits me?")
    kinds = [r["kind"] for r in results(state)]
    assert kinds == ["error", "error", "error"]
    assert "CV" in results(state)[0]["message"]
    assert answer(state) == "Please upload your CV first."
    assert len(stub.requests) == 4


# -- streaming ------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_graph_astream_messages_streams_llm_tokens_once(service: JobfitService,
                                                              stub: OpenAIStub) -> None:
    who = user()
    service.save_cv(who, text=BACKEND_CV)
    graph = build_graph(llm_model(stub))
    reply = "Your profile: a senior backend engineer in Amsterdam with Java and SQL."
    stub.push(tool_call("show_profile"), Reply(content=reply, chunk_size=3))
    streamed: list[str] = []
    final: list[Any] = []
    async for msg, meta in graph.astream(
            {"messages": [HumanMessage("what do you know about me?")]},
            context=Context(user_id=who, service=service), stream_mode="messages"):
        if isinstance(msg, AIMessageChunk) and meta.get("langgraph_node") == "agent":
            streamed.append(str(msg.content))
        final.append(msg)
    assert "".join(streamed) == reply  # every token exactly once (no duplicate inner stream)
    assert sum(1 for s in streamed if s) >= 10
    tool_msgs = [m for m in final if isinstance(m, ToolMessage)]
    assert json.loads(tool_msgs[0].content)["kind"] == "profile"
    assert all(r.body.get("stream") for r in stub.requests)


# -- fallback inside the graph ---------------------------------------------------------------
def test_timeout_turn_is_answered_by_the_offline_model(service: JobfitService,
                                                        stub: OpenAIStub,
                                                        saver: SqliteSaver) -> None:
    who = user()
    service.save_cv(who, text=BACKEND_CV)
    graph = build_graph(llm_model(stub, timeout=0.3), checkpointer=saver)
    ref = backend_job()
    stub.push(text("too slow", delay=1.5))
    state = ask(graph, service, who, f"how well do I fit job {ref}?")
    [analysis] = results(state)
    assert analysis["kind"] == "analysis"
    assert analysis["score"] == service.analyse(who, ref).result.score
    reply = answer(state)
    assert reply.startswith(UNREACHABLE + "\n\n")
    assert str(analysis["score"]) in reply  # the offline model wrote it from the tool result
    assert state["messages"][-1].response_metadata[FALLBACK_KEY] == "unreachable"
    assert len(stub.requests) == 1  # the rest of the turn did not wait for the LLM again
    # next turn: the LLM is back
    stub.push(text("Glad to help!"))
    assert answer(ask(graph, service, who, "thanks")) == "Glad to help!"


@pytest.mark.asyncio
async def test_server_down_while_streaming_falls_back(service: JobfitService) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    llm = build_llm(Settings(llm="openai", openai_base_url=f"http://127.0.0.1:{port}/v1",
                             llm_max_retries=1, llm_timeout_s=2))
    assert llm is not None
    graph = build_graph(FallbackChatModel(primary=llm, offline=OfflineChatModel(),
                                          cooldown_s=0))
    who = user()
    service.save_cv(who, text=NURSE_CV)
    chunks: list[str] = []
    async for msg, _meta in graph.astream(
            {"messages": [HumanMessage("show my profile")]},
            context=Context(user_id=who, service=service), stream_mode="messages"):
        if isinstance(msg, AIMessageChunk):
            chunks.append(str(msg.content))
    text_ = "".join(chunks)
    assert text_.startswith(UNREACHABLE)
    assert text_.count(UNREACHABLE) == 1


# -- tailoring with the LLM rewriter ------------------------------------------------------------
def test_tailoring_with_a_lying_llm_rewriter_reverts_the_inventions(
        service: JobfitService, stub: OpenAIStub) -> None:
    who = user()
    service.save_cv(who, text=BACKEND_CV)
    ref = backend_job()
    llm = build_llm(Settings(llm="openai", openai_base_url=stub.base_url, llm_max_retries=0))
    assert llm is not None
    rewriter = LLMRewriter(llm)

    def lie(req: Request) -> Reply:  # every rewrite adds an employer and a number
        original = req.last_user_text().split("<<<ORIGINAL\n", 1)[1].split("\nORIGINAL>>>")[0]
        return text(json.dumps({"text": original + " at Initech, leading 37 Kubernetes "
                                "engineers since 2011"}))

    stub.push(*[lie] * 40)
    options = service.tailoring_options(who, ref)
    tailored = service.tailor(who, ref, [o.id for o in options], rewriter=rewriter)
    assert rewriter.attempts >= 1  # the LLM was really asked
    assert "Initech" not in tailored.markdown
    assert "37" not in tailored.markdown and "2011" not in tailored.markdown
    assert "Kubernetes" not in tailored.markdown
    assert tailored.violations  # and the user is told what was reverted
    said = " ".join(f"{v.term} {v.line}" for v in tailored.violations)
    assert "Initech" in said or "37" in said or "2011" in said, said


# -- two users at once --------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_two_users_in_parallel_threads_see_only_their_own_data(
        service: JobfitService, stub: OpenAIStub) -> None:
    alice, bob = user(), user()
    service.save_cv(alice, text=BACKEND_CV)
    service.save_cv(bob, text=NURSE_CV)

    def llm(req: Request) -> Reply:  # stateless, so concurrent requests can interleave
        if req.last_role == "user":
            return tool_call("show_profile")
        cv = req.tool_results()[-1]["cv"]
        return text(f"You are {cv['name']}, {cv['headline']}.")

    stub.push(*[llm] * 20)
    graph = build_graph(llm_model(stub))

    async def run(who: str) -> str:
        out = await graph.ainvoke({"messages": [HumanMessage("who am I?")]},
                                  context=Context(user_id=who, service=service))
        return str(out["messages"][-1].content)

    answers = await asyncio.gather(*(run(w) for w in (alice, bob, alice, bob, alice, bob)))
    for who, reply in zip((alice, bob) * 3, answers, strict=True):
        mine = service.cv_summary(who).name
        other = service.cv_summary(bob if who == alice else alice).name
        assert mine and other and mine in reply and other not in reply


def test_no_cv_text_reaches_any_log_even_at_debug(service: JobfitService, stub: OpenAIStub,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """Our code, LangChain, LangGraph, openai and httpx at DEBUG: no name, email or employer."""
    import logging

    who = user()
    graph = build_graph(llm_model(stub))
    caplog.set_level(logging.DEBUG)
    stub.push(tool_call("save_cv", text=BACKEND_CV), text("Saved."),
              Reply(status=500), tool_call("show_profile"), text("That's you."))
    ask(graph, service, who, f"here is my CV:\n{BACKEND_CV}")
    state = ask(graph, service, who, "what do you know about me?")  # LLM fails: offline
    assert answer(state).startswith(UNREACHABLE)
    logged = caplog.text.lower()
    assert len(caplog.records) > 10  # the loggers really were on
    for private in ("quillfeather", "pinecrest", "(555) 0155", "mossgate"):
        assert private not in logged, private


def test_the_system_prompt_names_every_registry_tool() -> None:
    from agent.registry import build_tools

    names = {t.name for t in build_tools()}
    assert names == ALL_TOOLS
    for name in names:
        assert f"- {name}:" in SYSTEM_PROMPT, name


def test_sync_graph_stream_messages_streams_llm_tokens_once(service: JobfitService,
                                                           stub: OpenAIStub) -> None:
    """The CLI chat streams with the sync API: same guarantee as astream."""
    who = user()
    service.save_cv(who, text=NURSE_CV)
    graph = build_graph(llm_model(stub))
    reply = "A registered nurse in Edinburgh with patient care and BLS."
    stub.push(tool_call("show_profile"), Reply(content=reply, chunk_size=2))
    streamed = [str(msg.content) for msg, meta in graph.stream(
        {"messages": [HumanMessage("who am I?")]},
        context=Context(user_id=who, service=service), stream_mode="messages")
        if isinstance(msg, AIMessageChunk) and meta.get("langgraph_node") == "agent"]
    assert "".join(streamed) == reply
    assert sum(1 for s in streamed if s) >= 20
