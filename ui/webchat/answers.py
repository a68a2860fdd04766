"""One agent turn in the web chat: the graph streamed with ``astream`` (tokens batched into
the answer bubble, tool calls as steps, results as cards, a progress line while a long tool
runs)."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Mapping
from typing import Any

import chainlit as cl
from chainlit.utils import utc_now

from tools.errors import JobfitError
from ui import web
from ui.webchat.cards import render_result
from ui.webchat.runtime import Runtime, call, graph_thread_id, guarded, say

logger = logging.getLogger(__name__)

AGENT_NODE = "agent"  # the graph node whose model output is the answer
STREAM_INTERVAL_S = 0.05  # batch streamed tokens over this window


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content
                       if not isinstance(p, dict) or p.get("type", "text") == "text")
    return ""


def _step_input(name: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Tool arguments as shown in a step (pasted CV or job text is summarised, not shown)."""
    shown = dict(args)
    for key in ("text", "job_text"):
        if isinstance(shown.get(key), str):
            shown[key] = f"<{len(shown[key])} characters>"
    return shown


def parse_result(content: Any) -> dict[str, Any]:
    try:
        result = json.loads(_text_of(content))
    except (TypeError, ValueError):
        return {"kind": "text", "text": _text_of(content)}
    return result if isinstance(result, dict) else {"kind": "text", "text": str(result)}


class _Answer:
    """The streamed answer bubble. Tokens are sent in small batches (at most every
    ``STREAM_INTERVAL_S``), so a fast model does not flood the socket and the browser with one
    event per word while cards are rendering; a slow model still streams word by word."""

    def __init__(self) -> None:
        self.message: cl.Message | None = None
        self.buffer = ""
        self.last = 0.0
        #: a card already shows this turn's result: keep the answer whole and send only what
        #: the card does not say (the offline model's answer repeats the card as plain text)
        self.condense = False

    async def add(self, token: str) -> None:
        if not token:
            return
        self.buffer += token
        if not self.condense and time.perf_counter() - self.last >= STREAM_INTERVAL_S:
            await self.flush()

    async def flush(self) -> None:
        if not self.buffer:
            return
        if self.message is None:
            self.message = cl.Message(content="")
        token, self.buffer = self.buffer, ""
        await self.message.stream_token(token)
        self.last = time.perf_counter()
        await asyncio.sleep(0)  # let other requests (element code, files) through

    async def close(self) -> None:
        if self.condense and self.message is None:
            self.buffer = web.beyond_card(self.buffer)
        await self.flush()
        if self.message is not None:
            await self.message.send()
        self.message, self.last = None, 0.0


class _Progress:
    """A "working on it" line with elapsed seconds while a long tool runs (matching against
    the whole index, search, comparisons, tailoring); removed when the result arrives."""

    LABELS = {"match_jobs": "Matching your CV against {n:,} jobs",
              "search_jobs": "Searching {n:,} jobs",
              "compare": "Comparing", "tailor_cv": "Tailoring your CV"}

    def __init__(self) -> None:
        self.message: cl.Message | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self, runtime: Runtime, tool: str) -> None:
        label = self.LABELS.get(tool)
        if label is None or self.message is not None:
            return
        if "{n" in label:
            label = label.format(n=await call(runtime.service.job_count))
        self.message = await say(f"⏳ {label}…")
        self.task = asyncio.create_task(self._tick(self.message, label))

    @staticmethod
    async def _tick(message: cl.Message, label: str) -> None:
        started = time.perf_counter()
        while True:
            await asyncio.sleep(1.0)
            message.content = f"⏳ {label}… {time.perf_counter() - started:.0f} s"
            await message.update()

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.message is not None:
            await self.message.remove()
        self.message, self.task = None, None


async def run_turn(runtime: Runtime, uid: str, text: str) -> None:
    """One user message through the graph: tokens streamed, tool calls as steps, cards."""
    from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage

    from agent.context import Context

    if runtime.graph is None:
        raise JobfitError("The chat agent is not available in this installation.")
    from agent.graph import run_config

    config = run_config(graph_thread_id(uid, cl.context.session.thread_id))
    context = Context(user_id=uid, service=runtime.service, rewriter=runtime.rewriter)
    answer, progress = _Answer(), _Progress()
    calls: dict[str, tuple[str, dict[str, Any], str]] = {}
    started = time.perf_counter()
    forgotten = False
    try:
        async for mode, data in runtime.graph.astream(
                {"messages": [HumanMessage(text)]}, config=config, context=context,
                stream_mode=["messages", "updates"],
                durability="exit"):  # one checkpoint per turn, not one per step (load)
            if mode == "messages":
                chunk, meta = data
                if not isinstance(chunk, AIMessageChunk | AIMessage):
                    continue
                if (meta or {}).get("langgraph_node", AGENT_NODE) != AGENT_NODE:
                    continue  # e.g. an LLM rewriting CV lines inside a tool: not the answer
                await answer.add(_text_of(chunk.content))
                continue
            for update in (data or {}).values():
                messages = update.get("messages") if isinstance(update, dict) else None
                for m in messages or []:
                    if isinstance(m, AIMessage) and m.tool_calls:
                        await answer.close()  # text before tool calls: close that bubble
                        for tc in m.tool_calls:
                            calls[str(tc.get("id"))] = (tc["name"], dict(tc.get("args") or {}),
                                                        utc_now())
                            await progress.start(runtime, tc["name"])
                    elif isinstance(m, ToolMessage):
                        await progress.stop()
                        result = parse_result(m.content)
                        if result.get("kind") == "error":
                            from ui import metrics

                            metrics.TOOL_ERRORS.labels(tool=str(m.name or "unknown")).inc()
                        forgotten = forgotten or result.get("kind") == "forgotten"
                        await send_tool_step(calls.pop(str(m.tool_call_id), None), result)
                        shown = await guarded("render", render_result(result))
                        if shown is not None and runtime.settings.llm == "offline":
                            answer.condense = True
    finally:  # also on errors and on Stop: the progress ticker must not outlive the turn
        await progress.stop()
        if forgotten:  # this turn's earlier checkpoints (the whole chat) may land after forget
            await call(runtime.service.purge_conversations, uid)
    await answer.close()
    logger.info("turn done in %.0f ms", (time.perf_counter() - started) * 1000)


async def send_tool_step(call_info: tuple[str, dict[str, Any], str] | None,
                         result: Mapping[str, Any]) -> None:
    """A finished tool call as a collapsible step (sent whole, so it sits above its card)."""
    if call_info is None:
        return
    name, args, start = call_info
    step = cl.Step(name=name, type="tool", show_input="json")
    step.input = _step_input(name, args)
    step.output = web.short_summary(result)
    step.is_error = result.get("kind") == "error"
    step.start, step.end = start, utc_now()
    await step.send()
