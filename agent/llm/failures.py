"""What counts as an LLM failure, and how it may be logged.

:func:`failure_kind` sorts an exception raised by the LLM client into the kinds the fallback
(:mod:`agent.llm.fallback`) and the rewriter (:mod:`agent.llm.rewriter`) act on; anything else
is a bug and is re-raised. :func:`describe_failure` names a failure for the logs without its
message (messages can echo request content, i.e. CV text).
"""

from __future__ import annotations


class InvalidToolCallError(Exception):
    """The LLM sent tool-call arguments that are not valid JSON, twice in a row."""


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


def describe_failure(exc: BaseException) -> str:
    """Error type and HTTP status only: messages can echo request content."""
    status = getattr(exc, "status_code", None)
    return f"{type(exc).__name__}" + (f" (HTTP {status})" if status else "")
