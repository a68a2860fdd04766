"""What the offline model decides for one turn, and the tool results it reads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Call:
    """Call one tool with these arguments."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """Answer directly with this text."""

    text: str


Decision = Call | Reply


@dataclass(frozen=True)
class ToolResult:
    """One tool result found in the conversation, with the call that produced it."""

    name: str
    args: dict[str, Any]
    data: dict[str, Any]
    turn: int  # number of human messages before it

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))
