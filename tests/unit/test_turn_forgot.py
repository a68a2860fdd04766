"""agent.threads.turn_forgot: which turns ran "forget me" (the channel then purges again)."""

from __future__ import annotations

import json

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

from agent.threads import turn_forgot


def _tool(result: dict[str, object]) -> ToolMessage:
    return ToolMessage(json.dumps(result), tool_call_id="1")


def test_only_a_forgotten_result_in_the_last_turn_counts() -> None:
    forgot = [HumanMessage("delete my data"), AIMessage("sure?"),
              HumanMessage("yes, delete everything"), _tool({"kind": "forgotten", "deleted": {}}),
              AIMessage("done")]
    assert turn_forgot(forgot)
    # an earlier turn's forget, then a new turn: nothing to purge now
    assert not turn_forgot([*forgot, HumanMessage("show my profile"), AIMessage("none")])
    # the word in another result, or in text, is not a forget
    assert not turn_forgot([HumanMessage("x"), _tool({"kind": "text", "text": "forgotten"}),
                            ToolMessage("forgotten but not JSON", tool_call_id="2")])
    assert not turn_forgot([])
