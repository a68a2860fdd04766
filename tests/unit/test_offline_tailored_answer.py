"""The offline chat's answer to a tailored CV lists the user's own lines (in their words), what
they moved and the tailoring's notes; a checklist of requests only asks for the user's words."""

from __future__ import annotations

import json
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.offline.conversation import Conversation
from agent.offline.render import render_results

LINE = "Cut deploy time 40% by moving the billing services to Kubernetes"
JOB = {"ref": 3, "job_id": "s-3", "title": "Platform Engineer", "company": "Globex"}


def _answer(result: dict[str, Any]) -> str:
    messages = [HumanMessage("add to Acme: " + LINE),
                AIMessage("", tool_calls=[{"name": "tailor_cv", "args": {}, "id": "c1"}]),
                ToolMessage(json.dumps(result), tool_call_id="c1", name="tailor_cv")]
    return render_results(Conversation(messages))


def test_tailored_answer_lists_the_added_lines_and_notes() -> None:
    text = _answer({
        "kind": "tailored_cv", "job": JOB, "before": 61, "after": 66, "applied": [],
        "measured": ["Required skills shown in a role with a result: 1/3 → 2/3"],
        "added": [{"role": "Backend Developer at Acme Corp", "text": LINE,
                   "skills": ["Kubernetes"], "with_result": True},
                  {"role": "Developer at Initech", "text": "Ran Kubernetes clusters",
                   "skills": ["Kubernetes"], "with_result": False}],
        "notes": ["Added to Backend Developer at Acme Corp, in your words: “Cut deploy…”.",
                  "Added to Developer at Initech, in your words: “Ran Kubernetes clusters”. It "
                  "has no measurable result…",
                  "“drop_irrelevant” changes nothing for this CV and job."],
        "reverted": [], "markdown": f"# CV\n- {LINE}"})
    head = text.split("---")[0]
    assert "score **61 → 66**" in head
    assert f"Added to Backend Developer at Acme Corp, in your words: “{LINE}”" in head
    assert ("Added to Developer at Initech, in your words: “Ran Kubernetes clusters” (no "
            "measurable result yet") in head
    assert "Before → after: Required skills shown in a role with a result: 1/3 → 2/3." in head
    assert "- “drop_irrelevant” changes nothing for this CV and job." in head
    assert head.count("Added to ") == 2  # the notes about the added lines are not repeated


def test_checklist_of_requests_only_asks_for_the_users_words() -> None:
    messages = [HumanMessage("tailor my CV for it"),
                AIMessage("", tool_calls=[{"name": "tailor_cv", "args": {}, "id": "c1"}]),
                ToolMessage(json.dumps({"kind": "tailoring_options", "job": JOB, "options": [
                    {"id": "show_in_role:kubernetes", "label": "Show Kubernetes in a role",
                     "impact": 0, "action": "show_in_role", "detail": "", "default": False,
                     "prompt": "Reply: add to Acme: <what you did with Kubernetes>"}]}),
                    tool_call_id="c1", name="tailor_cv")]
    text = render_results(Conversation(messages))
    assert "Reply: add to Acme: <what you did with Kubernetes>" in text
    assert "apply all" not in text and "use option" not in text
