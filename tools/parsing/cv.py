"""CV parsing (STUB)."""

from __future__ import annotations

from tools.schemas import CandidateProfile


def parse_cv(text: str) -> CandidateProfile:
    raise NotImplementedError
