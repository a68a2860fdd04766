"""The offline model as a LangChain chat model (tool calling, streaming)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ToolCall,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.tools import BaseTool
from pydantic import Field

from agent.offline.decisions import Call
from agent.offline.rules import route


def _tool_name(tool: Any) -> str | None:
    if isinstance(tool, str):
        return tool
    if isinstance(tool, BaseTool):
        return tool.name
    if isinstance(tool, dict):
        fn = tool.get("function")
        if isinstance(fn, dict) and fn.get("name"):
            return str(fn["name"])
        return str(tool["name"]) if tool.get("name") else None
    name = getattr(tool, "name", None) or getattr(tool, "__name__", None)
    return str(name) if name else None


_WORDS_RE = re.compile(r"^\s+|\S+\s*")


class OfflineChatModel(BaseChatModel):
    """jobfit's built-in chat model: rule-based intents in, templated answers out.

    Deterministic and offline. ``bind_tools`` returns a copy that knows which tools it may call;
    a request for a tool that is not bound is answered with what jobfit can do.
    """

    tool_names: tuple[str, ...] = Field(default=())
    #: nearest-exemplar fallback for paraphrases the rules do not know (agent/offline/exemplars)
    classifier: Any = Field(default=None, exclude=True)
    #: words per streamed chunk (1: word by word). A channel that batches tokens anyway (the
    #: web chat) asks for more: every chunk costs a message object and a callback round.
    stream_words: int = Field(default=1, ge=1)

    @property
    def _llm_type(self) -> str:
        return "jobfit-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "jobfit-offline", "tools": list(self.tool_names)}

    def bind_tools(
        self,
        tools: Sequence[Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> OfflineChatModel:
        """A copy of the model that may call these tools (StructuredTools, dicts or names)."""
        names = tuple(n for n in (_tool_name(t) for t in tools) if n)
        return self.model_copy(update={"tool_names": names})

    def _tools(self, kwargs: dict[str, Any]) -> tuple[str, ...]:
        extra = tuple(n for n in (_tool_name(t) for t in kwargs.get("tools") or []) if n)
        return self.tool_names + extra

    def decide(self, messages: Sequence[BaseMessage], **kwargs: Any) -> AIMessage:
        """The reply to a conversation: an AIMessage with one tool call or text."""
        decision = route(messages, self._tools(kwargs), self.classifier)
        if isinstance(decision, Call):
            n = sum(len(m.tool_calls) for m in messages if isinstance(m, AIMessage)) + 1
            call = ToolCall(name=decision.name, args=decision.args, id=f"call_{n}",
                            type="tool_call")
            return AIMessage(content="", tool_calls=[call])
        return AIMessage(content=decision.text)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.decide(messages, **kwargs))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop, None, **kwargs)

    def _chunks(self, messages: list[BaseMessage], **kwargs: Any) -> list[ChatGenerationChunk]:
        msg = self.decide(messages, **kwargs)
        if msg.tool_calls:
            tc = msg.tool_calls[0]
            chunk = AIMessageChunk(
                content="",
                tool_call_chunks=[{"name": tc["name"], "args": json.dumps(tc["args"]),
                                   "id": tc["id"], "index": 0, "type": "tool_call_chunk"}],
                chunk_position="last",
            )
            return [ChatGenerationChunk(message=chunk)]
        words = _WORDS_RE.findall(msg.text) or [""]
        step = self.stream_words
        if step > 1:
            words = ["".join(words[i:i + step]) for i in range(0, len(words), step)]
        return [
            ChatGenerationChunk(message=AIMessageChunk(
                content=w, chunk_position="last" if i == len(words) - 1 else None))
            for i, w in enumerate(words)
        ]

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # BaseChatModel reports each chunk to the callbacks (on_llm_new_token) itself
        yield from self._chunks(messages, **kwargs)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        for chunk in self._chunks(messages, **kwargs):
            yield chunk
