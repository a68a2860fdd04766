"""Issue 11 on the LLM path: the real ChatOpenAI client against the local OpenAI stub, on the
real graph and store. The model's tool calls reach the same tools as the offline model's: a
one-paragraph posting is scored with its title and company read, applications move by company,
preferences hide jobs (and say so), and the system prompt tells the model all of it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver

from agent.graph import build_graph
from agent.service import JobfitService
from tests.integration.agent_store import BACKEND_CV, build_store
from tests.integration.test_llm_graph import answer, ask, llm_model, results, user
from tests.openai_stub import OpenAIStub, text, tool_call

POSTING = ("Senior Java Developer at Acme, Tel Aviv (hybrid). Requirements: 5+ years Java, "
           "Spring Boot, REST APIs, PostgreSQL, Docker. Nice to have: Kafka. Salary "
           "30,000-40,000 ILS per month.")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("llm_people") / "data")
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


def test_llm_path_pasted_posting_applications_and_preferences(
        service: JobfitService, stub: OpenAIStub, saver: SqliteSaver) -> None:
    who = user()
    service.save_cv(who, text=BACKEND_CV)
    graph = build_graph(llm_model(stub), checkpointer=saver)

    stub.push(tool_call("score_match", job_text=POSTING), text("Scored."))
    state = ask(graph, service, who, "How well do I fit this job? " + POSTING)
    r = results(state)[0]
    assert r["kind"] == "analysis"
    assert (r["job"]["title"], r["job"]["company"]) == ("Senior Java Developer", "Acme")
    sent = stub.requests[0].body
    names = {t["function"]["name"] for t in sent["tools"]}
    assert {"track_application", "list_applications", "skills_to_learn"} <= names
    system = sent["messages"][0]["content"]
    assert "even one paragraph" in system and "English only" in system
    # the tool result the model reads carries the engine's score
    assert str(r["score"]) in stub.requests[1].messages[-1]["content"]

    stub.push(tool_call("search_jobs", query="backend java"), text("Here."))
    company = results(ask(graph, service, who, "find backend java jobs"))[0]["jobs"][0]["company"]
    stub.push(tool_call("track_application", status="applied", position=1), text("Noted."))
    ask(graph, service, who, "I applied to the first one")
    stub.push(tool_call("track_application", status="interviewing", company=company),
              text("Congrats!"))
    r = results(ask(graph, service, who, f"I got an interview at {company}"))[0]
    assert r["kind"] == "application" and r["status"] == "interviewing"
    assert [s["status"] for s in r["history"]] == ["applied", "interviewing"]

    stub.push(tool_call("record_feedback", status="dismissed", position=1), text("Ok."))
    r = results(ask(graph, service, who, "not interested in 1"))[0]
    assert r["application"] == "interviewing"
    assert service.applications(who)[0].status == "interviewing"

    stub.push(tool_call("update_preferences", remote="remote"), text("Saved."))
    ask(graph, service, who, "only remote jobs please")
    stub.push(tool_call("match_jobs", k=10), text("Your matches."))
    state = ask(graph, service, who, "show my best matches")
    r = results(state)[0]
    assert all(j["remote"] == "remote" for j in r["jobs"])
    assert r["hidden"] > 0 and r["preferences_applied"] == ["remote only"]
    assert answer(state) == "Your matches."
