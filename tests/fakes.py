"""Fakes for what cannot or need not run in unit tests."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, BaseMessage, ToolCall
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult

_WORD = re.compile(r"[a-z0-9+#]+")


class BagOfWordsEmbedder:
    """Deterministic hashed bag-of-words vectors: texts sharing words are similar."""

    name = "fake-bow"
    calibration = (0.0, 1.0)

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += 1
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, text in enumerate(texts):
            for word in _WORD.findall(text.lower()):
                h = int.from_bytes(hashlib.blake2b(word.encode(), digest_size=4).digest(), "big")
                out[i, h % self.dim] += 1.0
            norm = np.linalg.norm(out[i])
            if norm:
                out[i] /= norm
        return out


class InMemoryJobIndex:
    """Exact cosine search over vectors held in memory (tools.search.JobIndex for unit tests)."""

    def __init__(self) -> None:
        self._items: dict[str, tuple[np.ndarray, str, dict[str, object]]] = {}

    def upsert(self, jobs) -> None:  # type: ignore[no-untyped-def]
        for j in jobs:
            self._items[j.id] = (np.asarray(j.vector, dtype=np.float32), j.content_hash,
                                 dict(j.metadata))

    def delete(self, ids) -> None:  # type: ignore[no-untyped-def]
        for i in ids:
            self._items.pop(i, None)

    def query(self, vector, k, filters=None, now=None):  # type: ignore[no-untyped-def]
        from tools.search import matches_filters

        scored = [(i, float(np.dot(v, vector))) for i, (v, _, md) in self._items.items()
                  if matches_filters(md, filters, now)]
        return sorted(scored, key=lambda t: (-t[1], t[0]))[:k]

    def hashes(self) -> dict[str, str]:
        return {i: h for i, (_, h, _) in self._items.items()}

    def count(self) -> int:
        return len(self._items)

    def vectors(self, ids) -> dict[str, np.ndarray]:  # type: ignore[no-untyped-def]
        return {i: self._items[i][0] for i in ids if i in self._items}


class InMemoryJobSource:
    """tools.matching.JobSource over a list of StoredJob."""

    def __init__(self, jobs) -> None:  # type: ignore[no-untyped-def]
        self.jobs = {j.id: j for j in jobs}

    def get_jobs(self, ids):  # type: ignore[no-untyped-def]
        return [self.jobs[i] for i in ids if i in self.jobs]

    def iter_active(self, batch: int = 1000):  # type: ignore[no-untyped-def]
        items = list(self.jobs.values())
        for start in range(0, len(items), batch):
            yield items[start:start + batch]


class DictCache:
    """tools.matching.ResultCache in a dict, counting hits."""

    def __init__(self) -> None:
        self.store: dict[tuple[str, ...], object] = {}
        self.hits = 0

    def get(self, *key: str):  # type: ignore[no-untyped-def]
        value = self.store.get(key)
        self.hits += value is not None
        return value

    def put(self, *args) -> None:  # type: ignore[no-untyped-def]
        *key, result = args
        self.store[tuple(key)] = result


# --------------------------------------------------------------------------- chat model

ScriptStep = AIMessage | str | Callable[[list[BaseMessage]], AIMessage | str]


def tool_call(name: str, args: dict[str, Any] | None = None, call_id: str | None = None,
              content: str = "") -> AIMessage:
    """An AIMessage asking for one tool call (ids are made unique when not given)."""
    tool_call.counter = getattr(tool_call, "counter", 0) + 1  # type: ignore[attr-defined]
    cid = call_id or f"call_{name}_{tool_call.counter}"  # type: ignore[attr-defined]
    return AIMessage(content=content, tool_calls=[ToolCall(name=name, args=args or {}, id=cid)])


class ScriptedChatModel(GenericFakeChatModel):
    """A fake chat model that replays a script of AIMessages (tool calls included).

    ``bind_tools`` returns the model itself (and remembers the tool names), so the real graph
    can run on it. A script step may be a callable of the messages the model receives (to
    answer from a tool result). ``calls`` records what each call received. When the script
    is exhausted the model answers "(end of script)".
    """

    calls: list[list[BaseMessage]] = []
    bound_tools: list[str] = []

    def __init__(self, script: Sequence[ScriptStep], **kwargs: Any) -> None:
        super().__init__(messages=iter(()), **kwargs)
        object.__setattr__(self, "_script", list(script))
        object.__setattr__(self, "calls", [])
        object.__setattr__(self, "bound_tools", [])

    @property
    def _llm_type(self) -> str:
        return "scripted-fake"

    def add(self, *steps: ScriptStep) -> ScriptedChatModel:
        """Append steps (e.g. for the next turn)."""
        self._script.extend(steps)  # type: ignore[attr-defined]
        return self

    def bind_tools(self, tools: Sequence[Any], **kwargs: Any) -> ScriptedChatModel:  # type: ignore[override]
        self.bound_tools[:] = [getattr(t, "name", str(t)) for t in tools]
        return self

    def _next(self, messages: list[BaseMessage]) -> AIMessage:
        self.calls.append(list(messages))
        script: list[ScriptStep] = self._script  # type: ignore[attr-defined]
        step: ScriptStep = script.pop(0) if script else "(end of script)"
        if callable(step) and not isinstance(step, BaseMessage):
            step = step(list(messages))
        if isinstance(step, str):
            return AIMessage(content=step)
        return step.model_copy()

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: Any = None, **kwargs: Any) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self._next(messages))])

    def _stream(self, messages: list[BaseMessage], stop: list[str] | None = None,
                run_manager: Any = None, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        message = self._next(messages)
        chunk = AIMessageChunk(
            content=message.content, id=message.id,
            tool_call_chunks=[{"name": c["name"], "args": json.dumps(c["args"]),
                               "id": c["id"], "index": i, "type": "tool_call_chunk"}
                              for i, c in enumerate(message.tool_calls)])
        yield ChatGenerationChunk(message=chunk)
