"""Issue 11, "the conversation understands people", on the real graph and a real store (SQLite +
Chroma + the bundled sample jobs) with the offline model: pasted postings of any shape, a bare
link, preferences that filter and inform scores, the application pipeline, duplicates shown
once, skills across matches and other languages."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from langgraph.checkpoint.sqlite import SqliteSaver
from sqlalchemy import text

from agent.graph import build_graph
from agent.offline.postings import CANT_FETCH
from agent.router import OfflineChatModel
from agent.service import JobfitService
from tests.integration.agent_store import BACKEND_CV, build_store
from tests.integration.test_conversation_offline import Chat

ISSUE_POSTING = (
    "How well do I fit this job? Senior Java Developer at Acme, Tel Aviv (hybrid). Requirements:"
    " 5+ years Java, Spring Boot, REST APIs, PostgreSQL, Docker. Nice to have: Kafka. Salary "
    "30,000-40,000 ILS per month.")


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("people") / "data")
    yield svc
    svc.engine.dispose()


@pytest.fixture(scope="module")
def graph(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    path = tmp_path_factory.mktemp("checkpoints") / "checkpoints.db"
    conn = sqlite3.connect(str(path), check_same_thread=False)
    saver = SqliteSaver(conn)
    saver.setup()
    yield build_graph(OfflineChatModel(), checkpointer=saver)
    conn.close()


def test_the_issue_posting_in_one_paragraph_is_scored(graph: Any, service: JobfitService) -> None:
    chat = Chat(graph, service, "paste")
    chat.say(BACKEND_CV)
    t = chat.say(ISSUE_POSTING)
    assert [c[0] for c in t.calls] == ["score_match"]
    assert t.calls[0][1]["job_text"].startswith("Senior Java Developer at Acme")
    r = t.result
    assert r["kind"] == "analysis", t.answer
    assert r["job"]["title"] == "Senior Java Developer" and r["job"]["company"] == "Acme"
    assert f"**{r['score']}/100**" in t.answer and "Which job" not in t.answer
    assert "Java" in r["matched_required"] + r["missing_required"]

    for shape in (
        "rate me for: Data Engineer, Berlin. Python, SQL, Airflow, 3+ years experience.",
        "here's a job: Backend engineer (Go) at Foo GmbH, remote EU, Kubernetes, gRPC, 4+ yrs",
        "Data Analyst - SQL, Tableau, Python; 3+ years experience required; remote; €55k",
        "Job: Registered Nurse\nICU, nights\nRequirements: BLS, ACLS, 2+ years acute care",
    ):
        t = chat.say(shape)
        assert [c[0] for c in t.calls] == ["score_match"], (shape, t.answer)
        assert t.result["kind"] == "analysis", (shape, t.answer)

    # a question is never a posting
    t = chat.say("which jobs have I applied to?")
    assert [c[0] for c in t.calls] == ["list_applications"]


def test_a_link_alone_says_it_cannot_be_fetched(graph: Any, service: JobfitService) -> None:
    chat = Chat(graph, service, "linker")
    chat.say(BACKEND_CV)
    t = chat.say("https://careers.example.org/jobs/12345")
    assert t.answer == CANT_FETCH


def test_preferences_filter_lists_and_feed_the_scores(graph: Any, service: JobfitService) -> None:
    chat = Chat(graph, service, "prefs")
    chat.say(BACKEND_CV)
    before = chat.say("show my best matches").result["jobs"]
    assert any(j.get("remote") != "remote" for j in before)

    t = chat.say("only remote jobs please")
    assert t.calls == [("update_preferences", {"remote": "remote"})]
    t = chat.say("show my best matches")
    jobs = t.result["jobs"]
    assert all(j["remote"] == "remote" for j in jobs), jobs
    assert t.result["hidden"] > 0 and f"hid {t.result['hidden']} job" in t.answer
    assert "ignore my preferences" in t.answer

    t = chat.say("show all matches, ignore my preferences")
    assert t.calls == [("match_jobs", {"ignore_preferences": True, "min_score": 0})]
    assert any(j.get("remote") != "remote" for j in t.result["jobs"])

    t = chat.say("find backend engineer jobs")
    assert all(j["remote"] == "remote" for j in t.result["jobs"])
    if t.result["hidden"]:
        assert '"show them anyway"' in t.answer
    t = chat.say("show them anyway")
    assert t.calls == [("search_jobs", {"query": "backend engineer",
                                        "ignore_preferences": True})]
    assert t.result["hidden"] == 0 and "were ignored" in t.answer

    t = chat.say("salary at least 90k")
    assert service.preferences("prefs").salary_floor == 90000
    t = chat.say(ISSUE_POSTING)
    assert "salary" not in t.result["unknown_factors"], t.result
    assert t.result["breakdown"]["salary"] is not None

    t = chat.say("no salary preference")
    assert t.calls == [("update_preferences", {"clear": ["salary_floor"]})]
    assert service.preferences("prefs").salary_floor is None
    t = chat.say("any work mode")
    assert service.preferences("prefs").remote is None
    assert service.job_preferences("prefs").active is False


def test_the_application_pipeline(graph: Any, service: JobfitService) -> None:
    chat = Chat(graph, service, "apps")
    chat.say(BACKEND_CV)
    jobs = chat.say("show my best matches").result["jobs"]
    first = jobs[0]
    t = chat.say("I applied to the first one")
    assert t.calls == [("record_feedback", {"status": "applied", "position": 1})]

    t = chat.say("which jobs have I applied to?")
    assert t.calls == [("list_applications", {})]
    apps = t.result["applications"]
    assert [a["job"]["job_id"] for a in apps] == [first["job_id"]]
    assert [s["status"] for s in apps[0]["history"]] == ["applied"]  # not a second "applied"

    chat.say("show my best matches")
    t = chat.say("not interested in 1")
    assert t.calls[-1][0] == "record_feedback"
    assert "stays **applied**" in t.answer
    assert service.applications("apps")[0].status == "applied"

    company = str(first["company"])
    t = chat.say(f"I got an interview at {company}")
    assert t.calls == [("track_application", {"status": "interviewing", "company": company})]
    assert t.result["status"] == "interviewing" and t.result["job"]["job_id"] == first["job_id"]
    t = chat.say("my applications")
    assert "**interviewing**" in t.answer and company in t.answer

    t = chat.say(f"I was rejected by {company}")
    assert t.result["status"] == "rejected"
    assert [s["status"] for s in t.result["history"]] == ["applied", "interviewing", "rejected"]

    t = chat.say("remind me about applications older than 2 weeks")
    assert t.calls == [("list_applications", {"older_than_days": 14})]
    assert "No open application" in t.answer

    t = chat.say("I got an interview at Nonexistent Widgets")
    assert "don't know a job at Nonexistent Widgets" in t.answer


def test_duplicates_are_listed_once(graph: Any, service: JobfitService) -> None:
    chat = Chat(graph, service, "dups")
    chat.say(BACKEND_CV)
    jobs = chat.say("show my best matches").result["jobs"]
    a, b = jobs[0], jobs[1]
    with service.engine.begin() as conn:
        conn.execute(text("UPDATE jobs SET duplicate_of = :a, source = 'boardB' WHERE id = :b"),
                     {"a": a["ref"], "b": b["ref"]})
    try:
        t = chat.say("show my best matches")
        refs = [j["ref"] for j in t.result["jobs"]]
        assert a["ref"] in refs and b["ref"] not in refs
        shown = next(j for j in t.result["jobs"] if j["ref"] == a["ref"])
        assert shown["also_on"] == ["boardB"] and "also on: boardB" in t.answer
    finally:
        with service.engine.begin() as conn:
            conn.execute(text("UPDATE jobs SET duplicate_of = NULL WHERE id = :b"),
                         {"b": b["ref"]})


def test_skills_across_matches(graph: Any, service: JobfitService) -> None:
    chat = Chat(graph, service, "learner")
    chat.say(BACKEND_CV)
    t = chat.say("what should I learn first?")
    assert t.calls == [("skills_to_learn", {})]
    impacts, n = service.skill_insights("learner")
    assert t.result["matches"] == n and n >= 2
    assert [s["skill"] for s in t.result["skills"]] == [i.skill for i in impacts]
    if impacts:
        top = impacts[0]
        assert f"**{top.skill}**: +{top.total} points over {top.jobs} job" in t.answer
        assert top.jobs >= 1 and top.total >= top.best


@pytest.mark.parametrize("message,language", [
    ("Какие вакансии мне подходят лучше всего?", "Russian"),
    ("Wie gut passe ich zur ersten Stelle?", "German"),
])
def test_other_languages_get_an_honest_answer(graph: Any, service: JobfitService, message: str,
                                             language: str) -> None:
    t = Chat(graph, service, "polyglot").say(message)
    assert t.calls == []
    assert language in t.answer and "English only" in t.answer
    assert "didn't understand" not in t.answer

