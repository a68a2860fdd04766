"""What the offline model reads from the message history: the tool results, the last
list, the job cards shown."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.messages import (
    AIMessage,
    BaseMessage,
    HumanMessage,
    ToolMessage,
)

from agent.offline.decisions import ToolResult


class Conversation:
    """What the router needs from the message history."""

    def __init__(self, messages: Sequence[BaseMessage]) -> None:
        calls: dict[str, tuple[str, dict[str, Any]]] = {}
        self.results: list[ToolResult] = []
        self.turns = 0
        self.last_human = ""
        self.trailing: list[ToolResult] = []  # results after the last AI message
        for msg in messages:
            if isinstance(msg, HumanMessage):
                self.turns += 1
                self.last_human = msg.text
                self.trailing = []
            elif isinstance(msg, AIMessage):
                self.trailing = []
                for tc in msg.tool_calls:
                    calls[tc.get("id") or ""] = (tc["name"], dict(tc.get("args") or {}))
            elif isinstance(msg, ToolMessage):
                name, args = calls.get(msg.tool_call_id, (msg.name or "", {}))
                result = ToolResult(name or msg.name or "", args, _load(msg), self.turns)
                self.results.append(result)
                self.trailing.append(result)
        last = next((m for m in reversed(messages) if m.type != "system"), None)
        self.answering = isinstance(last, ToolMessage)

    @property
    def latest(self) -> ToolResult | None:
        return self.results[-1] if self.results else None

    def last_list(self) -> list[dict[str, Any]] | None:
        """The jobs of the most recent job list (positions refer to it)."""
        for r in reversed(self.results):
            if r.kind == "job_list":
                return [j for j in r.data.get("jobs") or [] if isinstance(j, dict)]
        return None

    def job_cards(self) -> Iterator[dict[str, Any]]:
        for r in reversed(self.results):
            job = r.data.get("job")
            if isinstance(job, dict):
                yield job
            for j in r.data.get("jobs") or []:
                if isinstance(j, dict):
                    yield j
            for row in r.data.get("rows") or []:
                if isinstance(row, dict) and isinstance(row.get("job"), dict):
                    yield row["job"]


def _load(msg: ToolMessage) -> dict[str, Any]:
    content = msg.content if isinstance(msg.content, str) else msg.text
    try:
        data = json.loads(content)
    except (TypeError, ValueError):
        return {"kind": "text", "text": str(content)}
    return data if isinstance(data, dict) else {"kind": "text", "text": str(content)}


