"""Tool-call traces of a chat turn: one JSON object per tool call, without personal data.

``jobfit chat --trace`` writes them to stderr so a conversation can be checked from outside::

    {"tool": "score_match", "args": {"job_text": "<312 chars>"}, "ok": true}

Texts the user pasted (a CV, a posting, a note) are replaced by their length; ids, positions,
filters, statuses and company names are kept. ``ok`` is false when the tool answered an error.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

#: Arguments that carry the user's own text: shown as their length only.
PRIVATE_ARGS = frozenset({"text", "job_text", "note", "cv_text", "additions"})


def _safe(args: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in args.items():
        if key in PRIVATE_ARGS and isinstance(value, str):
            out[key] = f"<{len(value)} chars>"
        elif key in PRIVATE_ARGS and isinstance(value, list):  # the user's own lines
            out[key] = [f"<{len(str(v))} chars>" for v in value]
        else:
            out[key] = value
    return out


def turn_calls(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """The tool calls of the last turn (after the last human message), with their outcome."""
    humans = [i for i, m in enumerate(messages) if isinstance(m, HumanMessage)]
    turn = messages[humans[-1] + 1:] if humans else messages
    outcome: dict[str, bool] = {}
    for m in turn:
        if isinstance(m, ToolMessage):
            ok = m.status != "error"
            try:
                data = json.loads(m.content) if isinstance(m.content, str) else {}
                ok = ok and not (isinstance(data, dict) and data.get("kind") == "error")
            except ValueError:
                pass
            outcome[m.tool_call_id] = ok
    calls = []
    for m in turn:
        if isinstance(m, AIMessage):
            for c in m.tool_calls:
                calls.append({"tool": c["name"], "args": _safe(dict(c.get("args") or {})),
                              "ok": outcome.get(c.get("id") or "", False)})
    return calls


def trace_lines(messages: Sequence[BaseMessage]) -> list[str]:
    """The turn's trace as JSON lines (no trailing newline)."""
    return [json.dumps(c, ensure_ascii=False, sort_keys=False, default=str)
            for c in turn_calls(messages)]
