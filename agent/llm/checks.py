"""What jobfit checks in the LLM's final answer, and appends to it, whatever the LLM wrote.

:func:`answer_addendum` adds the forget_me confirmation question of the turn (verbatim) when the
answer does not show it, and a warning about score-like figures ("82/100", "score of 82",
"+6 points") that no tool result of the conversation contains (:func:`unverified_scores`):
the LLM never produces a number we show. :class:`agent.llm.fallback.FallbackChatModel` applies
it to every answer the LLM (not the offline model) writes.

Nothing here logs the answer: only how many figures were flagged.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import BaseMessage, HumanMessage, ToolMessage

logger = logging.getLogger(__name__)

# -- numbers the LLM writes ----------------------------------------------------------------------
#: "82/100" and "score of 82": claims about a score; "+6 points": claims about an impact.
_SCORE_CLAIMS = (
    re.compile(r"(?<![\d.])(\d{1,3}(?:\.\d+)?)\s*/\s*100\b"),
    re.compile(r"\bscored?\b(?:\s+(?:of|is|was|at|=))?\s*[:=]?\s*\**\s*(\d{1,3}(?:\.\d+)?)\b",
               re.IGNORECASE),
)
_POINT_CLAIMS = re.compile(r"(?<![\w.])[+-]?(\d{1,3}(?:\.\d+)?)\s*(?:points?|pts)\b",
                           re.IGNORECASE)
#: Words that make a nearby "N/100" a sub-score claim ("skills 55/100"), not the overall score.
_SUBSCORE_WORDS = ("skill", "experience", "location", "salary", "semantic", "similar",
                   "sub-score", "subscore", "breakdown", "factor")
_OVERALL_KEYS = frozenset({"score", "before", "after"})
_DOCUMENT_CHARS = 400
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def _numbers_in(value: Any, out: set[float], overall: set[float]) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int | float):
        out.update({float(value), float(round(value))})
        if 0 <= value <= 1:
            out.add(float(round(value * 100)))
    elif isinstance(value, str):
        for raw in _NUMBER.findall(value):
            try:
                out.add(float(raw.replace(",", "")))
            except ValueError:
                continue
    elif isinstance(value, dict):
        for key, v in value.items():
            if key in _OVERALL_KEYS and isinstance(v, int | float) and not isinstance(v, bool):
                overall.update({float(v), float(round(v))})
            _numbers_in(v, out, overall)
    elif isinstance(value, list | tuple):
        for v in value:
            _numbers_in(v, out, overall)


def known_numbers(messages: Sequence[BaseMessage]) -> tuple[set[float], set[float]]:
    """(every number, the overall scores) in the tool results of the conversation; the user's
    own short messages count as both (a pasted document does not)."""
    every: set[float] = set()
    overall: set[float] = set()
    for message in messages:
        if isinstance(message, HumanMessage):
            if len(str(message.content)) <= _DOCUMENT_CHARS:  # "score this 100" in a pasted
                said: set[float] = set()                       # CV or posting never counts
                _numbers_in(str(message.content), said, overall)
                every |= said
                overall |= said
        elif isinstance(message, ToolMessage):
            content = message.content if isinstance(message.content, str) else json.dumps(
                message.content)
            try:
                _numbers_in(json.loads(content), every, overall)
            except ValueError:
                _numbers_in(content, every, overall)
    return every, overall


def unverified_scores(answer: str, messages: Sequence[BaseMessage]) -> list[str]:
    """Score-like figures in the LLM's answer that no tool result (or user message) of the
    conversation contains: made up, or injected.

    "82/100" and "score of 82" must be an overall score a tool returned, unless a sub-score
    word ("skills", "experience"...) comes just before; "+6 points" any number a tool returned.
    """
    claims: list[tuple[str, bool]] = []  # (figure, is an overall-score claim)
    for pattern in _SCORE_CLAIMS:
        for m in pattern.finditer(answer):
            before = answer[max(0, m.start() - 40):m.start()].lower()
            claims.append((m.group(1), not any(w in before for w in _SUBSCORE_WORDS)))
    claims += [(m.group(1), False) for m in _POINT_CLAIMS.finditer(answer)]
    if not claims:
        return []
    every, overall = known_numbers(messages)
    bad = [figure for figure, is_overall in claims
           if float(figure) not in (overall if is_overall else every)]
    return list(dict.fromkeys(bad))


def _score_note(bad: Sequence[str]) -> str:
    figures = ", ".join(bad)
    return (f"\n\n(Careful: {figures} above {'is' if len(bad) == 1 else 'are'} not from "
            "jobfit's scoring engine; only the scores jobfit computed are reliable.)")


def _turn_results(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            break
        if isinstance(message, ToolMessage):
            try:
                data = json.loads(str(message.content))
            except ValueError:
                continue
            if isinstance(data, dict):
                out.append(data)
    return out[::-1]


def answer_addendum(answer: str, messages: Sequence[BaseMessage]) -> str:
    """What jobfit appends to an LLM's final answer, whatever the LLM wrote:

    - the forget_me confirmation question, verbatim, when a forget_me call of this turn asked
      for confirmation and the answer does not show it (so a deletion request can never be
      pending without the user seeing it);
    - a warning when the answer states score-like figures no tool returned.
    """
    extra = ""
    for result in _turn_results(messages):
        question = result.get("message")
        if result.get("kind") == "forget_confirm" and isinstance(question, str) \
                and question not in answer and question not in extra:
            extra += "\n\n" + question
    bad = unverified_scores(answer, messages)
    if bad:
        logger.warning("LLM answer stated %d score(s) no tool returned", len(bad))
        extra += _score_note(bad)
    return extra
