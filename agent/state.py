"""The conversation's state, kept per thread by the checkpointer."""

from __future__ import annotations

from typing import Annotated, Any

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from typing_extensions import TypedDict


def latest(_old: Any, new: Any) -> Any:
    """Reducer: the newest write wins (several tools may write in one step)."""
    return new


class State(TypedDict, total=False):
    """What the graph remembers between turns.

    Keys:
        messages: the conversation (``add_messages``).
        last_jobs: database ids of the last job list shown, in order ("the 2nd one" is
            ``last_jobs[1]``; positions are 1-based).
        current_job: the job last analysed, gapped or tailored (database id), or None.
        current_posting: the text of a pasted posting analysed last (not stored), or None;
            set instead of ``current_job``.
        pending_forget: index in ``messages`` of the forget_me confirmation request, or None.
    """

    messages: Annotated[list[AnyMessage], add_messages]
    last_jobs: Annotated[list[int], latest]
    current_job: Annotated[int | None, latest]
    current_posting: Annotated[str | None, latest]
    pending_forget: Annotated[int | None, latest]
