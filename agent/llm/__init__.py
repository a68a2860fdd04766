"""The chat model factory: the offline router model, or an OpenAI-compatible / Azure LLM.

``build_chat_model(settings)`` returns a LangChain ``BaseChatModel`` with ``bind_tools``,
``invoke``/``ainvoke`` and ``stream``/``astream``:

- ``JOBFIT_LLM=offline`` (default): :class:`agent.router.OfflineChatModel` (no network).
- ``JOBFIT_LLM=openai``: ``ChatOpenAI`` (OpenAI, or any OpenAI-compatible server through
  ``OPENAI_BASE_URL``: Ollama, vLLM, LM Studio...), wrapped in
  :class:`~agent.llm.fallback.FallbackChatModel`.
- ``JOBFIT_LLM=azure``: ``AzureChatOpenAI`` (endpoint, key, deployment, API version), wrapped
  the same way.

``build_rewriter(settings)`` returns the LLM rewriter for tailoring, or None offline.

The package, one role per module:

- :mod:`agent.llm.fallback`: :class:`FallbackChatModel`, the LLM with the offline model as
  fallback (notices, cooldown after an outage, the four invoke/stream entry points).
- :mod:`agent.llm.attempts`: one call's attempts (ask again once on invalid tool-call JSON) and
  the held chunks of a streamed answer.
- :mod:`agent.llm.failures`: which exceptions are LLM failures, and of which kind.
- :mod:`agent.llm.checks`: what is appended to an LLM's final answer (the forget_me question,
  a warning about score-like figures no tool returned).
- :mod:`agent.llm.rewriter`: :class:`LLMRewriter`, ``tools.tailoring.Rewriter`` with the LLM.

Nothing here logs prompts or answers (they carry CV text): only sizes, sections and error types.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from langchain_core.language_models import BaseChatModel
from pydantic import SecretStr

from agent.llm.fallback import FallbackChatModel
from agent.llm.rewriter import LLMRewriter
from tools.errors import JobfitError

if TYPE_CHECKING:
    from agent.settings import Settings

logger = logging.getLogger(__name__)

#: Placeholder key for OpenAI-compatible servers that need none (Ollama, vLLM, LM Studio).
NO_KEY = "not-needed"


class LLMConfigError(JobfitError):
    """The language model settings are incomplete."""


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
