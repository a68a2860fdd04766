"""The web chat's footer ("watermark"): what is true for the model in use.

Chainlit's default footer says "LLMs can make mistakes" even when no language model runs.
:func:`footer_text` says what the offline rule-based assistant is, or that an LLM phrases the
answers while the scores come from the engine; :func:`with_footer` puts it into a translation.
"""

from __future__ import annotations

from typing import Any

OFFLINE = ("Offline assistant: no AI model. Answers are written from rules and templates; "
           "every score comes from jobfit's deterministic engine. It can misread a request: "
           "check the job's own posting before you apply.")
LLM = ("Answers are phrased by an AI model ({model}), which can make mistakes; scores, gaps and "
       "impacts come from jobfit's deterministic engine. Check important info.")


def footer_text(llm: str, model: str | None = None) -> str:
    """The footer for a ``Settings.llm`` value ("offline", "openai", "azure")."""
    if llm == "offline":
        return OFFLINE
    return LLM.format(model=model or llm)


def with_footer(translation: dict[str, Any], text: str) -> dict[str, Any]:
    """A copy of a Chainlit translation whose ``chat.watermark`` is ``text``."""
    out = dict(translation)
    chat = out.get("chat")
    if isinstance(chat, dict):
        out["chat"] = {**chat, "watermark": text}
    return out
