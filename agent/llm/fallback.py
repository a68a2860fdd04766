""":class:`FallbackChatModel`: the LLM, with the offline model answering when it cannot.

Each call goes to the LLM; when the LLM is unreachable (connection error, timeout, 5xx/429 after
the client's retries), refuses the request (bad key, unknown model, no tool support) or sends
tool-call arguments that are not JSON twice in a row (:mod:`agent.llm.attempts`), the call goes
to the offline model instead and the turn's answer starts with a notice saying so
(:data:`NOTICES`; the message carries :data:`FALLBACK_KEY` in its ``response_metadata``). The
rest of that turn stays offline, and after an outage further calls skip the LLM for
``cooldown_s`` seconds (no timeout wait per message). The LLM's own final answers get
:func:`agent.llm.checks.answer_addendum` appended.

Nothing here logs prompts or answers (they carry CV text): only error types.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import (
    AsyncCallbackManager,
    AsyncCallbackManagerForLLMRun,
    BaseCallbackManager,
    CallbackManager,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableConfig, ensure_config
from pydantic import PrivateAttr

from agent.llm.attempts import Attempts, StreamRun, invalid_names, merge_chunks, strip_id
from agent.llm.checks import answer_addendum
from agent.llm.failures import describe_failure, failure_kind

logger = logging.getLogger(__name__)

#: ``response_metadata`` key set on every message the offline model wrote in place of the LLM.
FALLBACK_KEY = "jobfit_fallback"

NOTICES = {
    "unreachable": "(The language model is unreachable, so I answered with the built-in "
                   "offline model.)",
    "auth": "(The language model refused the API key, so I answered with the built-in offline "
            "model.)",
    "rejected": "(The language model could not handle this request, so I answered with the "
                "built-in offline model.)",
    "invalid": "(The language model sent a malformed tool call twice, so I answered with the "
               "built-in offline model.)",
}
MIDSTREAM_NOTICE = ("(The language model stopped answering mid-way; please ask again — "
                    "I will use the built-in offline model until it is back.)")


class _Breaker:
    """After a failure, skip the LLM for ``cooldown_s`` seconds (shared by bound copies)."""

    def __init__(self, cooldown_s: float) -> None:
        self.cooldown_s = cooldown_s
        self._until = 0.0
        self._kind = "unreachable"
        self._lock = threading.Lock()

    def open_kind(self) -> str | None:
        with self._lock:
            return self._kind if time.monotonic() < self._until else None

    def trip(self, kind: str) -> None:
        with self._lock:
            self._kind = kind
            self._until = time.monotonic() + self.cooldown_s

    def reset(self) -> None:
        with self._lock:
            self._until = 0.0


def _turn_fallback(messages: Sequence[BaseMessage]) -> str | None:
    """The fallback kind if an earlier call of the current turn already fell back."""
    for message in reversed(messages):
        if isinstance(message, HumanMessage):
            return None
        if isinstance(message, AIMessage):
            kind = message.response_metadata.get(FALLBACK_KEY)
            if kind:
                return str(kind)
    return None


def _with_notice(content: str | list[Any], notice: str) -> str | list[Any]:
    if isinstance(content, str):
        return f"{notice}\n\n{content}" if content.strip() else notice
    return [{"type": "text", "text": notice + "\n\n"}, *content]


class FallbackChatModel(BaseChatModel):
    """An LLM that falls back to the offline model (with a notice) when it cannot answer.

    Args:
        primary: the LLM (``ChatOpenAI`` / ``AzureChatOpenAI``).
        offline: the offline router model.
        cooldown_s: after a failure, calls skip the LLM for this long (0: always try it).
    """

    primary: BaseChatModel
    offline: BaseChatModel
    cooldown_s: float = 30.0
    bound_primary: Runnable[Any, Any] | None = None
    bound_offline: Runnable[Any, Any] | None = None
    _breaker: _Breaker = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        self._breaker = _Breaker(self.cooldown_s)

    @property
    def _llm_type(self) -> str:
        return "jobfit-fallback"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"primary": getattr(self.primary, "_llm_type", "?"),
                "model": getattr(self.primary, "model_name", None)}

    def bind_tools(self, tools: Sequence[Any], *, tool_choice: str | None = None,
                   **kwargs: Any) -> FallbackChatModel:
        """Bind the tools on both the LLM and the offline model."""
        extra = dict(kwargs)
        if tool_choice is not None:
            extra["tool_choice"] = tool_choice
        bound = self.model_copy(update={
            "bound_primary": self.primary.bind_tools(tools, **extra),
            "bound_offline": self.offline.bind_tools(tools),
        })
        bound._breaker = self._breaker
        return bound

    # -- helpers ------------------------------------------------------------------------
    def _targets(self) -> tuple[Runnable[Any, Any], Runnable[Any, Any]]:
        return (self.bound_primary or self.primary, self.bound_offline or self.offline)

    def _skip_kind(self, messages: Sequence[BaseMessage]) -> str | None:
        return _turn_fallback(messages) or self._breaker.open_kind()

    def _failed(self, exc: BaseException) -> str:
        kind = failure_kind(exc)
        if kind is None:
            raise exc
        logger.warning("language model failed (%s): answering with the offline model",
                       describe_failure(exc))
        if self.cooldown_s > 0 and kind in ("unreachable", "auth"):  # outages, not bad answers
            self._breaker.trip(kind)
        return kind

    @staticmethod
    def _config(run_manager: CallbackManagerForLLMRun | AsyncCallbackManagerForLLMRun | None,
                name: str) -> RunnableConfig:
        # "nostream": the inner run must not stream to LangGraph's messages mode (the wrapper
        # streams its own chunks), or every token would appear twice.
        if run_manager is None:
            # BaseChatModel's invoke-time streaming calls _astream without a run manager: the
            # inner run then inherits the caller's callbacks from the context, so tag it only.
            tags = [*(ensure_config().get("tags") or []), "nostream"]
            return {"run_name": name, "tags": tags}
        manager: BaseCallbackManager
        if isinstance(run_manager, AsyncCallbackManagerForLLMRun):
            manager = AsyncCallbackManager(handlers=[], parent_run_id=run_manager.run_id)
        else:
            manager = CallbackManager(handlers=[], parent_run_id=run_manager.run_id)
        manager.set_handlers(run_manager.inheritable_handlers)
        manager.add_tags(run_manager.inheritable_tags)
        manager.add_metadata(run_manager.inheritable_metadata)
        manager.add_tags(["nostream"], inherit=False)
        return {"run_name": name, "callbacks": manager}

    @staticmethod
    def _call_kwargs(stop: list[str] | None, kwargs: dict[str, Any]) -> dict[str, Any]:
        return {**kwargs, "stop": stop} if stop else dict(kwargs)

    @staticmethod
    def _mark(message: AIMessage, kind: str) -> AIMessage:
        update: dict[str, Any] = {
            "response_metadata": {**message.response_metadata, FALLBACK_KEY: kind}, "id": None}
        if not message.tool_calls:
            update["content"] = _with_notice(message.content, NOTICES[kind])
        return message.model_copy(update=update)

    @staticmethod
    def _checked(message: AIMessage, messages: Sequence[BaseMessage]) -> AIMessage:
        """The LLM's final answer with :func:`answer_addendum` appended."""
        if message.tool_calls or not isinstance(message.content, str):
            return message
        extra = answer_addendum(message.content, messages)
        if not extra:
            return message
        return message.model_copy(update={"content": message.content + extra})

    @staticmethod
    def _stream_note(seen: list[AIMessageChunk],
                     messages: Sequence[BaseMessage]) -> AIMessageChunk | None:
        if not seen or any(c.tool_call_chunks or c.tool_calls for c in seen):
            return None
        answer = "".join(c.content for c in seen if isinstance(c.content, str))
        extra = answer_addendum(answer, messages)
        return AIMessageChunk(content=extra) if extra else None

    def _marked_chunks(self, chunks: list[AIMessageChunk], kind: str) -> list[AIMessageChunk]:
        chunks = [strip_id(c) for c in chunks] or [AIMessageChunk(content="")]
        merged = merge_chunks(chunks)
        if not merged.tool_calls and not merged.tool_call_chunks:
            chunks.insert(0, AIMessageChunk(content=NOTICES[kind] + (
                "\n\n" if str(merged.content).strip() else "")))
        chunks[0] = chunks[0].model_copy(update={"response_metadata": {
            **chunks[0].response_metadata, FALLBACK_KEY: kind}})
        return chunks

    def _answer(self, message: AIMessage, messages: Sequence[BaseMessage]) -> ChatResult:
        self._breaker.reset()
        return ChatResult(generations=[ChatGeneration(message=self._checked(message, messages))])

    def _fallback_answer(self, message: AIMessage, kind: str) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._mark(message, kind))])

    def _stream_end(self, run: StreamRun,
                    messages: Sequence[BaseMessage]) -> list[ChatGenerationChunk]:
        """What follows a successful streamed answer: the held tool calls, or the score note."""
        self._breaker.reset()
        tail = [ChatGenerationChunk(message=strip_id(chunk)) for chunk in run.held]
        if not run.held and (note := self._stream_note(run.seen, messages)):
            tail.append(ChatGenerationChunk(message=note))
        return tail

    def _fallback_stream(self, chunks: list[AIMessageChunk],
                         kind: str) -> list[ChatGenerationChunk]:
        return [ChatGenerationChunk(message=c) for c in self._marked_chunks(chunks, kind)]

    # -- invoke ---------------------------------------------------------------------------
    # The four entry points (sync/async x invoke/stream) share one policy: skip the LLM while the
    # breaker is open, ask again once on invalid tool-call JSON (Attempts), otherwise answer
    # with the offline model and a notice. Only the calls themselves differ.
    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:
        primary, offline = self._targets()
        kind = self._skip_kind(messages)
        if kind is None:
            try:
                tries = Attempts()
                while True:
                    message = primary.invoke(messages, self._config(run_manager, "llm"),
                                             **self._call_kwargs(stop, kwargs))
                    if tries.accepted(invalid_names(message)):
                        return self._answer(message, messages)
            except Exception as exc:  # noqa: BLE001 - classified, re-raised if not an LLM error
                kind = self._failed(exc)
        message = offline.invoke(messages, self._config(run_manager, "offline"))
        return self._fallback_answer(message, kind)

    async def _agenerate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                         run_manager: AsyncCallbackManagerForLLMRun | None = None,
                         **kwargs: Any) -> ChatResult:
        primary, offline = self._targets()
        kind = self._skip_kind(messages)
        if kind is None:
            try:
                tries = Attempts()
                while True:
                    message = await primary.ainvoke(messages, self._config(run_manager, "llm"),
                                                    **self._call_kwargs(stop, kwargs))
                    if tries.accepted(invalid_names(message)):
                        return self._answer(message, messages)
            except Exception as exc:  # noqa: BLE001
                kind = self._failed(exc)
        message = await offline.ainvoke(messages, self._config(run_manager, "offline"))
        return self._fallback_answer(message, kind)

    # -- stream ---------------------------------------------------------------------------
    # Text chunks are passed on as they come; tool-call chunks are held until the message is
    # complete, so a call whose arguments are not valid JSON can be asked again (once) or
    # replaced by the offline model without the graph ever seeing it.
    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: CallbackManagerForLLMRun | None = None,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        primary, offline = self._targets()
        kind = self._skip_kind(messages)
        if kind is None:
            run = StreamRun()
            try:
                while run.next_attempt():
                    for chunk in primary.stream(messages, self._config(run_manager, "llm"),
                                                **self._call_kwargs(stop, kwargs)):
                        if (out := run.take(chunk)) is not None:
                            yield out
                yield from self._stream_end(run, messages)
                return
            except Exception as exc:  # noqa: BLE001
                kind = self._failed(exc)
                if run.shown:
                    yield _midstream(kind)
                    return
        chunks = list(offline.stream(messages, self._config(run_manager, "offline")))
        yield from self._fallback_stream(chunks, kind)

    async def _astream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                       run_manager: AsyncCallbackManagerForLLMRun | None = None,
                       **kwargs: Any) -> AsyncIterator[ChatGenerationChunk]:
        primary, offline = self._targets()
        kind = self._skip_kind(messages)
        if kind is None:
            run = StreamRun()
            try:
                while run.next_attempt():
                    async for chunk in primary.astream(
                            messages, self._config(run_manager, "llm"),
                            **self._call_kwargs(stop, kwargs)):
                        if (out := run.take(chunk)) is not None:
                            yield out
                for tail in self._stream_end(run, messages):
                    yield tail
                return
            except Exception as exc:  # noqa: BLE001
                kind = self._failed(exc)
                if run.shown:
                    yield _midstream(kind)
                    return
        chunks = [c async for c in offline.astream(messages,
                                                    self._config(run_manager, "offline"))]
        for out in self._fallback_stream(chunks, kind):
            yield out


def _midstream(kind: str) -> ChatGenerationChunk:
    return ChatGenerationChunk(message=AIMessageChunk(
        content="\n\n" + MIDSTREAM_NOTICE, response_metadata={FALLBACK_KEY: kind}))
