"""The attempts of one LLM call: ask again once when its tool-call JSON is invalid.

:class:`Attempts` counts the attempts of one call and raises
:class:`~agent.llm.failures.InvalidToolCallError` on the second invalid answer (the fallback
then answers with the offline model). :class:`StreamRun` holds the chunks of one streamed answer
across its attempts: text chunks are passed on as they come, tool-call chunks are held until the
message is complete, so a call whose arguments are not valid JSON can be asked again (once) or
replaced by the offline model without the graph ever seeing it.

Nothing here logs arguments: only tool names and the attempt number.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence

from langchain_core.messages import AIMessage, AIMessageChunk
from langchain_core.outputs import ChatGenerationChunk

from agent.llm.failures import InvalidToolCallError

logger = logging.getLogger(__name__)


class Attempts:
    """Ask the LLM again once when its tool-call JSON is invalid; the second failure raises."""

    def __init__(self) -> None:
        self.count = 0

    def accepted(self, broken: Sequence[str], shown: bool = False) -> bool:
        """Whether the attempt just made stands (after text was shown, it always does)."""
        self.count += 1
        if not broken or shown:
            return True
        _log_invalid(broken, self.count)
        if self.count >= 2:
            raise InvalidToolCallError("invalid tool-call JSON twice")
        return False


class StreamRun:
    """The chunks of one streamed LLM answer, across its (at most two) attempts."""

    def __init__(self) -> None:
        self.shown = False  # text already passed on (no clean fallback possible after that)
        self.seen: list[AIMessageChunk] = []
        self.held: list[AIMessageChunk] = []
        self._tries = Attempts()
        self._started = False

    def next_attempt(self) -> bool:
        """True when another attempt must be streamed (the first, or a retry)."""
        if self._started and self._tries.accepted(broken_calls(self.held), self.shown):
            return False
        self._started = True
        self.seen, self.held = [], []
        return True

    def take(self, chunk: AIMessageChunk) -> ChatGenerationChunk | None:
        """The chunk to pass on now, or None when it is a tool-call chunk held back."""
        if chunk.tool_call_chunks:
            self.held.append(chunk)
            return None
        self.seen.append(chunk)
        self.shown = self.shown or bool(chunk.content)
        return ChatGenerationChunk(message=strip_id(chunk))


def strip_id(chunk: AIMessageChunk) -> AIMessageChunk:
    """Inner run ids are dropped so the wrapper's run id names the streamed message."""
    return chunk.model_copy(update={"id": None, "chunk_position": None})


def invalid_names(message: AIMessage) -> list[str]:
    """Names of the tool calls of a complete answer whose arguments did not parse."""
    return [str(c.get("name")) for c in message.invalid_tool_calls]


def merge_chunks(chunks: Sequence[AIMessageChunk]) -> AIMessageChunk:
    """One message from its chunks (at least one)."""
    merged = chunks[0]
    for c in chunks[1:]:
        merged = merged + c
    return merged


def broken_calls(held: Sequence[AIMessageChunk]) -> list[str]:
    """Names of the streamed tool calls whose arguments are not a JSON object (strictly:
    LangChain's lenient partial-JSON parsing would turn them into guesses or ``{}``)."""
    if not held:
        return []
    broken = []
    for call in merge_chunks(held).tool_call_chunks:
        raw = (call.get("args") or "").strip()
        if not raw:
            continue
        try:
            ok = isinstance(json.loads(raw), dict)
        except ValueError:
            ok = False
        if not ok:
            broken.append(str(call.get("name")))
    return broken


def _log_invalid(names: Sequence[str], attempt: int) -> None:
    logger.warning("LLM sent tool calls whose arguments are not valid JSON (%s), attempt %d",
                   ", ".join(names), attempt)
