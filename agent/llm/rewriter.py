"""The LLM rewriter for tailoring: ``tools.tailoring.Rewriter`` backed by a chat model.

:class:`LLMRewriter` asks for JSON ``{"text": ...}``, validates it with pydantic
(:func:`parse_rewrite`), asks once more on an invalid answer, and otherwise keeps the original
text. Built by :func:`agent.llm.build_rewriter` (None offline: tailoring stays deterministic).

Nothing here logs prompts or answers (they carry CV text): only sections and error types.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agent.llm.failures import describe_failure, failure_kind
from agent.prompts import REWRITE_RETRY_PROMPT, REWRITE_SYSTEM_PROMPT, rewrite_prompt

logger = logging.getLogger(__name__)


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
                               section, describe_failure(exc))
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
