"""The per-run context of the graph: who is talking, and the objects tools act through.

Passed as ``graph.invoke(..., context=Context(...))``. The user id reaches the tools only from
here, never from a model's tool arguments, so no tool can be asked to act for someone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from agent.service import JobfitService
    from tools.tailoring import Rewriter


@dataclass(frozen=True)
class Context:
    """Args:
    user_id: the owner every tool acts for (no ':' in it).
    service: the process's JobfitService.
    rewriter: an LLM rewriter for tailoring (None: deterministic rewording only).
    """

    user_id: str
    service: JobfitService
    rewriter: Rewriter | None = None
