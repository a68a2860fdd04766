"""agent/offline/ parts one by one: posting detection, languages, typos, slots, intents; the
chat trace; the web footer and pipeline props."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.offline.decisions import Call, Reply
from agent.offline.intents import route_language, route_offline
from agent.offline.languages import detect_language
from agent.offline.postings import find_posting, only_link, posting_signals, split_request
from agent.offline.slots import company_after, job_reference, number_of_days
from agent.offline.typos import correct_typos
from agent.trace import trace_lines
from ui.footer import OFFLINE, footer_text, with_footer
from ui.pipeline import applications_props

ISSUE = ("How well do I fit this job? Senior Java Developer at Acme, Tel Aviv (hybrid). "
         "Requirements: 5+ years Java, Spring Boot, REST APIs, PostgreSQL, Docker. Nice to have: "
         "Kafka. Salary 30,000-40,000 ILS per month.")


def test_the_issue_posting_is_found_without_its_question() -> None:
    found = find_posting(ISSUE)
    assert found is not None and not found.gaps
    assert found.text.startswith("Senior Java Developer at Acme")
    assert split_request(ISSUE)[0] == "How well do I fit this job"
    gaps = find_posting("What am I missing for this job? " + ISSUE.split("? ", 1)[1])
    assert gaps is not None and gaps.gaps


@pytest.mark.parametrize("message", [
    "how well do I fit the second one?", "which jobs have I applied to?",
    "how well do I fit it", "find remote python developer jobs in Berlin over 80k",
    "I want senior python developer roles with django and docker in berlin",
    "What's the best way to prepare for a Java developer interview?",
    "rate me for the first one", "here's a job: https://example.com/jobs/1",
])
def test_questions_and_requests_are_not_postings(message: str) -> None:
    assert find_posting(message) is None


def test_posting_signals_rise_with_posting_features() -> None:
    assert posting_signals("hello there") == 0
    assert posting_signals("Data Engineer. Requirements: Python, SQL, Airflow, 3+ years") >= 7


def test_links() -> None:
    assert only_link("https://jobs.example.com/1") and only_link("check this: https://x.io/j/2")
    assert not only_link("find python jobs") and not only_link("python jobs at https://x.io "
                                                                "in Berlin with Django")


def test_languages() -> None:
    assert detect_language("Какие вакансии мне подходят лучше всего?") is not None
    assert detect_language("Wie gut passe ich zur ersten Stelle?") == "German"
    assert detect_language("Hangi işler bana uygun?") == "Turkish"
    for english in ("show my best matches", "find jobs in München", "I like Die Zeit a lot",
                    "ok", "Senior Java Developer at Acme"):
        assert detect_language(english) is None, english
    reply = route_language("Wie gut passe ich zur ersten Stelle?")
    assert isinstance(reply, Reply) and "German" in reply.text and "English only" in reply.text


def test_typos_are_corrected_conservatively() -> None:
    assert correct_typos("what are my bset mtaches") == "what are my best matches"
    assert correct_typos("I got an intreview at Copperline Labs") == \
        "I got an interview at Copperline Labs"
    for kept in ("compare the top three", "find sql analyst jobs", "my watches",
                 "I applied at Mtaches Inc", "https://x.io/mtaches"):
        assert correct_typos(kept) == kept


def test_slots() -> None:
    assert job_reference("i got an interview for the second one") == {"position": 2}
    assert job_reference("rejected for it") == {}
    assert job_reference("rejected by globex") is None
    assert company_after("I was rejected by Globex Corp. Sad.", "by") == "Globex Corp"
    assert company_after("I have an interview with Acme next week", "with") == "Acme"
    assert number_of_days("older than 2 weeks") == 14 and number_of_days("a month") == 30
    assert number_of_days("no news") is None


def test_intents() -> None:
    assert route_offline("which jobs have I applied to?") == Call("list_applications", {})
    assert route_offline("I got an interview at Copperline Labs") == Call(
        "track_application", {"status": "interviewing", "company": "Copperline Labs"})
    assert route_offline("what should I learn first?") == Call("skills_to_learn", {})
    assert route_offline("what am I missing for the second one?") is None  # one job's gaps
    assert route_offline("no salary preference") == Call("update_preferences",
                                                         {"clear": ["salary_floor"]})
    assert route_offline("I applied to the first one") is None  # feedback, by the rules


def test_trace_lines_hide_pasted_text() -> None:
    call = {"name": "score_match", "args": {"job_text": "secret posting"}, "id": "c1",
            "type": "tool_call"}
    messages = [HumanMessage("older"), HumanMessage(ISSUE), AIMessage("", tool_calls=[call]),
                ToolMessage(json.dumps({"kind": "error", "message": "x"}), tool_call_id="c1"),
                AIMessage("answer")]
    assert [json.loads(x) for x in trace_lines(messages)] == [
        {"tool": "score_match", "args": {"job_text": "<14 chars>"}, "ok": False}]


def test_footer_and_pipeline_props() -> None:
    assert footer_text("offline") == OFFLINE and "LLMs" not in OFFLINE
    assert "gpt-x" in footer_text("openai", "gpt-x")
    assert with_footer({"chat": {"watermark": "old", "a": 1}}, "new") == {
        "chat": {"watermark": "new", "a": 1}}
    props = applications_props({"applications": [
        {"job": {"title": "A", "company": "X", "ref": 1}, "status": "applied",
         "since": "2026-01-01", "days": 3},
        {"job": {"title": "B", "company": "Y", "ref": 2}, "status": "interviewing",
         "since": "2026-01-02", "days": 2, "applied": "2025-12-20"}]})
    assert [c["status"] for c in props["columns"]] == ["applied", "interviewing"]
    assert props["total"] == 2 and props["columns"][1]["rows"][0]["applied"] == "2025-12-20"


def test_a_cv_in_another_language_gets_an_honest_warning() -> None:
    from agent.service_types import summarise_profile
    from tools.parsing.cv import parse_cv

    german = parse_cv("Max Mustermann\nSoftwareentwickler\nBerufserfahrung\nEntwickler bei der "
                      "Firma Beispiel GmbH (2018 - 2024). Ich bin für die Entwicklung und den "
                      "Betrieb der Plattform verantwortlich und arbeite mit dem Team an neuen "
                      "Funktionen.\nKenntnisse: Java, Python, SQL")
    summary = summarise_profile(german, cv_id=1, version=1, file_name="cv.txt")
    assert summary.warnings[0].startswith("this CV seems to be in German")
    english = parse_cv("Jane Roe\nSoftware developer\nExperience\nDeveloper at Foo (2018 - "
                       "2024). I build and run the platform with the team.\nSkills: Java")
    assert not any("seems to be in" in w for w in summarise_profile(
        english, cv_id=1, version=1, file_name="cv.txt").warnings)
