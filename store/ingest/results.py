"""What an import reports: the summary (``jobfit import --json``) and per-row errors."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field

from tools.errors import JobfitError

#: At most this many row errors are kept in a summary / batch (``failed`` stays exact).
MAX_ERRORS = 1000
#: Longest error reason kept.
REASON_CHARS = 200

#: ``progress(done, total)``: rows handled so far and the row count when known (else None).
ProgressCallback = Callable[[int, "int | None"], None]


class ImportRowError(JobfitError):
    """A row that cannot be imported; ``str(err)`` is the short, user-safe reason."""

    @property
    def reason(self) -> str:
        return str(self)


class RowError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int
    reason: str


class ImportSummary(BaseModel):
    """The result of one import (``jobfit import --json`` prints ``model_dump()``)."""

    model_config = ConfigDict(extra="forbid")

    batch_id: int
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[RowError] = Field(default_factory=list)


def short_reason(reason: str) -> str:
    """A reason on one line, cut to :data:`REASON_CHARS`."""
    reason = " ".join(reason.split())
    return reason if len(reason) <= REASON_CHARS else reason[: REASON_CHARS - 1] + "…"


def record_failure(summary: ImportSummary, row: int, reason: str) -> None:
    """Count a failed row; keep its reason while fewer than :data:`MAX_ERRORS` are kept."""
    summary.failed += 1
    if len(summary.errors) < MAX_ERRORS:
        summary.errors.append(RowError(row=row, reason=reason))
