"""A recruiter's conversation with the offline model on the real graph and store: rank the pool
for a job, compare, decide, open; blind until opened; numbers are the service's own."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.messages import HumanMessage
from langgraph.checkpoint.sqlite import SqliteSaver

from agent.context import Context
from agent.graph import build_graph, run_config
from agent.recruiting import Recruiting
from agent.router import OfflineChatModel, route
from agent.service import JobfitService
from tests.integration.agent_store import build_store, sample_jobs
from tests.integration.test_conversation_offline import Turn
from tools.parsing.cv import parse_cv

ROOT = Path(__file__).resolve().parents[2]
CVS = [p.read_text() for p in sorted((ROOT / "tests" / "fixtures" / "cvs").glob("*.txt"))]
JOB_TEXT = (ROOT / "tests/fixtures/jobs/backend_engineer_sections.txt").read_text()
NAMES = [str(parse_cv(t).personal.name) for t in CVS]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("recchat") / "data")
    yield svc
    svc.engine.dispose()


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    conn = sqlite3.connect(str(tmp_path_factory.mktemp("cp") / "cp.db"),
                           check_same_thread=False)
    saver = SqliteSaver(conn)
    saver.setup()
    yield build_graph(OfflineChatModel(), checkpointer=saver)
    conn.close()


def say(graph: Any, service: JobfitService, user: str, text: str) -> Turn:
    out = graph.invoke({"messages": [HumanMessage(text)]}, config=run_config(f"{user}:main"),
                       context=Context(user_id=user, service=service))
    messages = list(out["messages"])
    humans = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    return Turn(messages[humans[-1] + 1:])


def _decide(text: str) -> Any:
    return route([HumanMessage(text)], ["rank_candidates", "compare_candidates",
                                        "open_candidate", "decide_candidate", "score_match",
                                        "compare", "record_feedback", "match_jobs"])


def test_recruiter_phrases_route_and_job_seeker_phrases_do_not() -> None:
    assert _decide("who fits job 3 best?").name == "rank_candidates"
    assert _decide("who fits job 3 best?").args == {"job_id": "3"}
    assert _decide("rank these CVs for job 12").args == {"job_id": "12"}
    assert _decide("show the top 5 candidates for job 7").args == {"job_id": "7", "top": 5}
    d = _decide("rank these CVs for this job:\n" + JOB_TEXT)
    assert d.name == "rank_candidates" and d.args["job_text"].startswith("Senior Backend")
    assert _decide("compare C-1a2b3c and c-4D5E6F for job 4").args == {
        "candidates": ["C-1a2b3c", "C-4d5e6f"], "job_id": "4"}
    assert _decide("shortlist C-1a2b3c for job 4: strong on APIs").args == {
        "candidate": "C-1a2b3c", "status": "shortlist", "note": "strong on APIs",
        "job_id": "4"}
    assert _decide("open C-1a2b3c").args == {"candidate": "C-1a2b3c"}
    # the job seeker's own phrases keep their meaning
    assert _decide("how well do I fit job 3?").name == "score_match"
    assert _decide("which job fits me best?").name != "rank_candidates"
    assert _decide("shortlist job 3").name == "record_feedback"
    assert _decide("compare job 3 and job 4").name == "compare"


def test_a_recruiter_conversation(graph: Any, service: JobfitService) -> None:
    user = "rina"
    desk = Recruiting(service)
    desk.add(user, files=[(f"cv{i}.txt", t.encode()) for i, t in enumerate(CVS)])
    ref = next(str(j["external_id"]) for j in sample_jobs()
               if j["title"] == "Sr. Software Engineer, Backend")

    t = say(graph, service, user, f"who fits job {ref} best?")
    assert t.calls == [("rank_candidates", {"job_id": ref})]
    expected = desk.ranking(user, ref)
    assert [c["cv_id"] for c in t.result["candidates"]] == [
        c["cv_id"] for c in expected["candidates"]]
    for c in expected["candidates"]:
        assert f"| {c['score']} {c['grade']} |" in t.answer and c["cv_id"] in t.answer
    for name in NAMES:
        assert name not in t.answer and name not in json.dumps(t.result)
    top = expected["candidates"][0]["cv_id"]

    t = say(graph, service, user, "compare the top 3 candidates")
    assert t.calls[0][0] == "compare_candidates"
    assert t.result["kind"] == "candidate_comparison" and len(t.result["candidates"]) == 3
    assert "must-haves met" in t.answer and "Blind screening" in t.answer
    assert t.result["csv"].startswith("candidate,rank,score")
    for name in NAMES:
        assert name not in t.answer

    t = say(graph, service, user, f"shortlist {top}: call on Monday")
    assert t.calls == [("decide_candidate", {"candidate": top, "status": "shortlist",
                                             "note": "call on Monday"})]
    assert "shortlisted" in t.answer and "call on Monday" in t.answer
    assert desk.decisions(user, job_ref=ref)[0]["status"] == "shortlisted"

    t = say(graph, service, user, f"open {top}")
    assert t.calls == [("open_candidate", {"candidate": top})]
    assert any(name in t.answer for name in NAMES)
    # another recruiter cannot open it
    other = say(graph, service, "someone_else", f"open {top}")
    assert other.result["kind"] == "error" and "No candidate" in other.result["message"]
