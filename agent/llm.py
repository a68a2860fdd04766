"""The chat model factory: the offline router model, or an OpenAI-compatible / Azure LLM.

``build_chat_model(settings)`` returns a LangChain ``BaseChatModel`` with ``bind_tools``,
``invoke``/``ainvoke`` and ``stream``/``astream``:

- ``JOBFIT_LLM=offline`` (default): :class:`agent.router.OfflineChatModel` (no network).
- ``JOBFIT_LLM=openai``: ``ChatOpenAI`` (OpenAI, or any OpenAI-compatible server through
  ``OPENAI_BASE_URL``: Ollama, vLLM, LM Studio...), wrapped in :class:`FallbackChatModel`.
- ``JOBFIT_LLM=azure``: ``AzureChatOpenAI`` (endpoint, key, deployment, API version), wrapped
  the same way.

:class:`FallbackChatModel` sends each call to the LLM; when the LLM is unreachable (connection
error, timeout, 5xx/429 after the client's retries), refuses the request (bad key, unknown
model, no tool support) or sends tool-call arguments that are not JSON twice in a row, the call
goes to the offline model instead and the turn's answer starts with a notice saying so. The rest
of that turn stays offline, and after an outage further calls skip the LLM for ``cooldown_s``
seconds (no timeout wait per message). Whatever the LLM writes, two things are appended to its
final answer when needed (:func:`answer_addendum`): the forget_me confirmation question of the
turn, verbatim, and a warning about score-like figures that no tool returned.

:class:`LLMRewriter` implements ``tools.tailoring.Rewriter`` with the LLM: JSON
``{"text": ...}`` validated with pydantic, one retry, otherwise the original text is kept.

Nothing here logs prompts or answers (they carry CV text): only sizes, sections and error types.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.callbacks import (
    AsyncCallbackManager,
    AsyncCallbackManagerForLLMRun,
    BaseCallbackManager,
    CallbackManager,
    CallbackManagerForLLMRun,
)
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable, RunnableConfig, ensure_config
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, SecretStr, ValidationError

from agent.prompts import REWRITE_RETRY_PROMPT, REWRITE_SYSTEM_PROMPT, rewrite_prompt
from tools.errors import JobfitError

if TYPE_CHECKING:
    from agent.settings import Settings

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

#: Placeholder key for OpenAI-compatible servers that need none (Ollama, vLLM, LM Studio).
NO_KEY = "not-needed"


class LLMConfigError(JobfitError):
    """The language model settings are incomplete."""


class InvalidToolCallError(Exception):
    """The LLM sent tool-call arguments that are not valid JSON, twice in a row."""


# -- failures ---------------------------------------------------------------------------------
def failure_kind(exc: BaseException) -> str | None:
    """"unreachable" / "auth" / "rejected" / "invalid" for an LLM failure, None for anything
    else (a bug: re-raised)."""
    import httpx
    import openai

    if isinstance(exc, InvalidToolCallError):
        return "invalid"
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):  # incl. timeouts
        return "unreachable"
    if isinstance(exc, openai.APIStatusError):
        status = exc.status_code
        if status >= 500 or status in (408, 409, 429):
            return "unreachable"
        if status in (401, 403):
            return "auth"
        return "rejected"
    if isinstance(exc, openai.APIError):  # e.g. a response that does not parse
        return "rejected"
    return None


def _describe(exc: BaseException) -> str:
    """Error type and HTTP status only: messages can echo request content."""
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}" + (f" (HTTP {status})" if status else "")


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


def _strip_id(chunk: AIMessageChunk) -> AIMessageChunk:
    """Inner run ids are dropped so the wrapper's run id names the streamed message."""
    return chunk.model_copy(update={"id": None, "chunk_position": None})


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


# -- the wrapper ------------------------------------------------------------------------------
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
                       _describe(exc))
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
        chunks = [_strip_id(c) for c in chunks] or [AIMessageChunk(content="")]
        merged = _merge(chunks)
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

    def _stream_end(self, run: _StreamRun,
                    messages: Sequence[BaseMessage]) -> list[ChatGenerationChunk]:
        """What follows a successful streamed answer: the held tool calls, or the score note."""
        self._breaker.reset()
        tail = [ChatGenerationChunk(message=_strip_id(chunk)) for chunk in run.held]
        if not run.held and (note := self._stream_note(run.seen, messages)):
            tail.append(ChatGenerationChunk(message=note))
        return tail

    def _fallback_stream(self, chunks: list[AIMessageChunk],
                         kind: str) -> list[ChatGenerationChunk]:
        return [ChatGenerationChunk(message=c) for c in self._marked_chunks(chunks, kind)]

    # -- invoke ---------------------------------------------------------------------------
    # The four entry points (sync/async x invoke/stream) share one policy: skip the LLM while the
    # breaker is open, ask again once on invalid tool-call JSON (_Attempts), otherwise answer
    # with the offline model and a notice. Only the calls themselves differ.
    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None,
                  **kwargs: Any) -> ChatResult:
        primary, offline = self._targets()
        kind = self._skip_kind(messages)
        if kind is None:
            try:
                tries = _Attempts()
                while True:
                    message = primary.invoke(messages, self._config(run_manager, "llm"),
                                             **self._call_kwargs(stop, kwargs))
                    if tries.accepted(_invalid_names(message)):
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
                tries = _Attempts()
                while True:
                    message = await primary.ainvoke(messages, self._config(run_manager, "llm"),
                                                    **self._call_kwargs(stop, kwargs))
                    if tries.accepted(_invalid_names(message)):
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
            run = _StreamRun()
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
            run = _StreamRun()
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


class _Attempts:
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


class _StreamRun:
    """The chunks of one streamed LLM answer, across its (at most two) attempts."""

    def __init__(self) -> None:
        self.shown = False  # text already passed on (no clean fallback possible after that)
        self.seen: list[AIMessageChunk] = []
        self.held: list[AIMessageChunk] = []
        self._tries = _Attempts()
        self._started = False

    def next_attempt(self) -> bool:
        """True when another attempt must be streamed (the first, or a retry)."""
        if self._started and self._tries.accepted(_broken_calls(self.held), self.shown):
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
        return ChatGenerationChunk(message=_strip_id(chunk))


def _invalid_names(message: AIMessage) -> list[str]:
    return [str(c.get("name")) for c in message.invalid_tool_calls]


def _midstream(kind: str) -> ChatGenerationChunk:
    return ChatGenerationChunk(message=AIMessageChunk(
        content="\n\n" + MIDSTREAM_NOTICE, response_metadata={FALLBACK_KEY: kind}))


def _merge(chunks: Sequence[AIMessageChunk]) -> AIMessageChunk:
    merged = chunks[0]
    for c in chunks[1:]:
        merged = merged + c
    return merged


def _broken_calls(held: Sequence[AIMessageChunk]) -> list[str]:
    """Names of the streamed tool calls whose arguments are not a JSON object (strictly:
    LangChain's lenient partial-JSON parsing would turn them into guesses or ``{}``)."""
    if not held:
        return []
    broken = []
    for call in _merge(held).tool_call_chunks:
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


# -- factory ----------------------------------------------------------------------------------
def build_llm(settings: Settings) -> BaseChatModel | None:
    """The configured LLM client alone (no fallback), or None for ``JOBFIT_LLM=offline``."""
    if settings.llm == "offline":
        return None
    if settings.llm == "openai":
        from langchain_openai import ChatOpenAI

        key = settings.openai_api_key
        if not key and not settings.openai_base_url:
            raise LLMConfigError(
                "JOBFIT_LLM=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local "
                "OpenAI-compatible server such as Ollama or vLLM).")
        return ChatOpenAI(
            model=settings.model,
            api_key=SecretStr(key or NO_KEY),
            base_url=settings.openai_base_url,
            timeout=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )
    from langchain_openai import AzureChatOpenAI

    missing = [name for name, value in (
        ("AZURE_OPENAI_ENDPOINT", settings.azure_openai_endpoint),
        ("AZURE_OPENAI_API_KEY", settings.azure_openai_api_key)) if not value]
    if missing:
        raise LLMConfigError(f"JOBFIT_LLM=azure needs {' and '.join(missing)}.")
    return AzureChatOpenAI(
        azure_endpoint=settings.azure_openai_endpoint,
        api_key=SecretStr(settings.azure_openai_api_key or ""),
        azure_deployment=settings.azure_openai_deployment or settings.model,
        api_version=settings.azure_openai_api_version,
        model=settings.model,
        timeout=settings.llm_timeout_s,
        max_retries=settings.llm_max_retries,
    )


def build_offline_model() -> BaseChatModel:
    from agent.bootstrap import build_intent_classifier
    from agent.router import OfflineChatModel

    return OfflineChatModel(classifier=build_intent_classifier())


def build_chat_model(settings: Settings, *, cooldown_s: float = 30.0) -> BaseChatModel:
    """The chat model for the graph: offline, or the LLM with the offline fallback."""
    llm = build_llm(settings)
    offline = build_offline_model()
    if llm is None:
        return offline
    logger.info("chat model: %s %s (timeout %.0fs, %d retries), offline fallback",
                settings.llm, settings.model, settings.llm_timeout_s, settings.llm_max_retries)
    return FallbackChatModel(primary=llm, offline=offline, cooldown_s=cooldown_s)


def build_rewriter(settings: Settings) -> LLMRewriter | None:
    """The LLM rewriter for tailoring, or None offline (tailoring stays deterministic)."""
    llm = build_llm(settings)
    return None if llm is None else LLMRewriter(llm)


# -- rewriter ---------------------------------------------------------------------------------
class RewriteOutput(BaseModel):
    """What the rewriter asks the LLM for."""

    model_config = ConfigDict(extra="ignore")

    text: str = Field(min_length=1)


_FENCE = re.compile(r"^```[a-zA-Z]*\s*|\s*```$")


def parse_rewrite(content: Any) -> str:
    """The rewritten text from a model answer; ValueError/ValidationError if it is not valid."""
    raw = content if isinstance(content, str) else "".join(
        p.get("text", "") if isinstance(p, dict) else str(p) for p in content or [])
    raw = _FENCE.sub("", raw.strip()).strip()
    start, end = raw.find("{"), raw.rfind("}")
    if start < 0 or end <= start:
        raise ValueError("no JSON object in the answer")
    out = RewriteOutput.model_validate(json.loads(raw[start:end + 1]))
    if not out.text.strip():
        raise ValueError("empty text")
    return out.text.strip()


class LLMRewriter:
    """``tools.tailoring.Rewriter`` backed by a chat model.

    Asks for ``{"text": ...}``, validates it with pydantic, retries once with a correction on
    invalid JSON or a failed validation, and returns the original text when the model still
    fails or cannot be reached. The no-invention checker in ``tools.tailoring`` verifies
    whatever comes back.
    """

    def __init__(self, model: BaseChatModel, *, max_attempts: int = 2) -> None:
        self.model = model
        self.max_attempts = max_attempts
        self.attempts = 0  # model calls made (for tests and figures)

    def rewrite(self, *, section: str, text: str, job_title: str | None,
                keywords: Sequence[str]) -> str:
        """Rewrite one CV section for the job; the original text when the LLM fails."""
        if not text.strip():
            return text
        messages: list[BaseMessage] = [
            SystemMessage(REWRITE_SYSTEM_PROMPT),
            HumanMessage(rewrite_prompt(section=section, text=text, job_title=job_title,
                                        keywords=keywords)),
        ]
        for attempt in range(1, self.max_attempts + 1):
            self.attempts += 1
            try:
                answer = self.model.invoke(messages)
            except Exception as exc:  # noqa: BLE001
                if failure_kind(exc) is None:
                    raise
                logger.warning("rewrite of %s: language model failed (%s); kept the original",
                               section, _describe(exc))
                return text
            try:
                return parse_rewrite(answer.content)
            except (ValueError, ValidationError) as exc:
                logger.info("rewrite of %s: invalid answer on attempt %d (%s)", section,
                            attempt, type(exc).__name__)
                messages += [AIMessage(content=answer.content),
                             HumanMessage(REWRITE_RETRY_PROMPT)]
        logger.warning("rewrite of %s: no valid answer after %d attempts; kept the original",
                       section, self.max_attempts)
        return text
