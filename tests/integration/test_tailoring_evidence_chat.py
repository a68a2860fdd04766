"""The user's own evidence through the chat (offline model, real graph and service): the
checklist asks for it, "add to <role>: <sentence>" places it and re-measures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from agent.evidence_intent import match_addition, route_addition
from agent.offline.decisions import ToolResult
from agent.service import JobfitService
from agent.trace import turn_calls
from tests.integration.test_conversation_offline import Chat, graph, service  # noqa: F401

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "tailoring"
LINE = "Cut deploy time 40% by moving the billing services to Kubernetes"


def test_match_addition_keeps_the_users_words() -> None:
    assert match_addition(f"add to Acme: {LINE}") == f"Acme: {LINE}"
    assert match_addition(f"Add this under Backend Developer at Acme Corp:  {LINE}") == \
        f"Backend Developer at Acme Corp: {LINE}"
    assert match_addition("add Python to my skills") is None
    assert match_addition("what should I add to my CV?") is None
    checklist = ToolResult("tailor_cv", {"job_id": "42"}, {"kind": "tailoring_options"}, 1)
    assert route_addition(f"add to Acme: {LINE}", [checklist]) == {
        "options": [], "additions": [f"Acme: {LINE}"], "job_id": "42"}
    assert route_addition(f"add to Acme: {LINE}", []) is None  # no tailoring in this chat
    assert route_addition("add to my blocked list: Acme", [checklist]) is None


def test_chat_adds_the_users_line_and_shows_the_effect(graph: Any,  # noqa: F811
                                                      service: JobfitService) -> None:  # noqa: F811
    chat = Chat(graph, service, "evidence-user")
    cv = (FIXTURES / "evidence_cv.txt").read_text(encoding="utf-8")
    job = (FIXTURES / "evidence_job.txt").read_text(encoding="utf-8")
    assert chat.say(cv).result["kind"] == "cv_saved"
    assert chat.say("How well do I fit this job:\n" + job).result["kind"] in ("match", "analysis",
                                                                             "gaps")
    t = chat.say("tailor my CV for it")
    ids = [o["id"] for o in t.result["options"]]
    assert "show_in_role:kubernetes" in ids
    assert "Show Kubernetes in a role: tell me where you used it and what came of it" in t.answer
    # a prompt with how to reply (a role of the CV as the example), not an option to tick
    assert ("Reply: add to Backend Developer at Acme Corp: <what you did with Kubernetes and "
            "what came of it>") in t.answer
    assert not re.search(r"^\d+\. \*\*Show Kubernetes", t.answer, re.M)

    n = ids.index("show_in_role:kubernetes") + 1
    t = chat.say(f"use option {n}")  # a request for a line, not a checkbox: it asks for the line
    assert t.calls == [] and "Kubernetes is only listed in your CV" in t.answer
    assert "add to" in t.answer
    t = chat.say("show my profile")  # "show" is no pick of the show_in_role requests
    assert t.calls == [("show_profile", {})]
    assert chat.say("tailor my CV for it").result["kind"] == "tailoring_options"

    t = chat.say(f"add to Acme: {LINE}")
    assert t.calls[-1] == ("tailor_cv", {"options": [], "additions": [f"Acme: {LINE}"]})
    traced = turn_calls(t.messages)[-1]  # `jobfit chat --trace`: the user's line is not shown
    assert traced["args"]["additions"] == [f"<{len('Acme: ' + LINE)} chars>"]
    r = t.result
    assert r["kind"] == "tailored_cv"
    assert r["added"][0]["role"] == "Backend Developer at Acme Corp"
    assert f"- {LINE}" in r["markdown"]
    assert r["reverted"] == []
    assert any("Required skills shown in a role with a result: 1/3 → 2/3" in m
               for m in r["measured"])
    assert f"- {LINE}" in t.answer and f"**{r['before']} → {r['after']}**" in t.answer
    # the answer says what was added, in the user's words, and what it moved
    assert f"Added to Backend Developer at Acme Corp, in your words: “{LINE}”" in t.answer
    assert "Required skills shown in a role with a result: 1/3 → 2/3" in t.answer.split("---")[0]
    assert t.answer.count("Added to Backend Developer at Acme Corp") == 1  # not again as a note

    t = chat.say(f"add to Gamma Inc: {LINE}")
    assert "No role in your CV matches" in t.answer
