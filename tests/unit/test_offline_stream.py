"""The offline model streams several words per chunk when a channel asks (ui/streaming.py):
the same text and tool calls, far fewer chunks; word by word stays the default."""

from __future__ import annotations

import json

import pytest
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage

from agent.router import KNOWN_TOOLS, OfflineChatModel
from agent.settings import Settings
from tests.unit.test_router import ANALYSIS
from ui.streaming import WEB_STREAM_WORDS, web_model


def _answer_conversation() -> list:
    return [HumanMessage("how well do I fit job 1"),
            AIMessage("", tool_calls=[{"name": "score_match", "args": {}, "id": "a",
                                       "type": "tool_call"}]),
            ToolMessage(json.dumps(ANALYSIS), tool_call_id="a", name="score_match")]


def _sum(chunks: list[AIMessageChunk]) -> AIMessageChunk:
    total = chunks[0]
    for chunk in chunks[1:]:
        total = total + chunk
    return total


@pytest.mark.parametrize("words", [1, 5, WEB_STREAM_WORDS])
def test_chunks_of_n_words_reassemble_to_the_same_answer(words: int) -> None:
    model = OfflineChatModel(stream_words=words).bind_tools(list(KNOWN_TOOLS))
    msgs = _answer_conversation()
    full = model.invoke(msgs)
    chunks = list(model.stream(msgs))
    assert _sum(chunks).text == full.text
    n_words = len(full.text.split())
    assert n_words > 20
    assert all(len(c.text.split()) <= words for c in chunks)
    assert len(chunks) <= -(-n_words // words) + 1  # ceil, plus a leading blank
    assert chunks[-1].chunk_position == "last"


def test_tool_calls_are_one_chunk_whatever_the_size() -> None:
    model = OfflineChatModel(stream_words=WEB_STREAM_WORDS).bind_tools(list(KNOWN_TOOLS))
    msgs = [HumanMessage("what are my best matches?")]
    chunks = list(model.stream(msgs))
    assert len(chunks) == 1 and chunks[0].tool_call_chunks
    assert _sum(chunks).tool_calls[0]["name"] == model.invoke(msgs).tool_calls[0]["name"]


def test_the_web_chat_model_streams_several_words_and_the_default_one() -> None:
    assert OfflineChatModel().stream_words == 1
    model = web_model(Settings(llm="offline"))
    assert isinstance(model, OfflineChatModel) and model.stream_words == WEB_STREAM_WORDS
    bound = model.bind_tools(list(KNOWN_TOOLS))
    assert bound.stream_words == WEB_STREAM_WORDS  # kept by the graph's bind_tools copy
