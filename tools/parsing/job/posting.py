"""``parse_job``: a posting's raw text, a JSON object string or a record dict -> ``JobPosting``."""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Any

from tools.parsing.job.free_text import parse_text
from tools.parsing.job.record import parse_record
from tools.schemas import JobPosting

logger = logging.getLogger(__name__)


def parse_job(data: str | dict[str, Any], *, today: date | None = None) -> JobPosting:
    """Parse raw posting text, or a structured record (see the module docstring).

    Args:
        data: posting text, a JSON object string, or a dict record.
        today: reference date for relative dates ("posted 3 days ago").
    """
    if isinstance(data, dict):
        return parse_record(data, today)
    if not isinstance(data, str):
        return JobPosting()
    stripped = data.lstrip()
    if stripped.startswith("{") and len(stripped) < 5_000_000:
        try:
            obj = json.loads(stripped)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            return parse_record(obj, today)
    return parse_text(data, today)
