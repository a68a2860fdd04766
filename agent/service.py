"""The application service: every user-facing operation, scoped by owner, over tools/ and store/.

The chat tools (``agent/registry.py``), the web UI's buttons (``ui/app.py``) and the CLI chat all
go through one :class:`JobfitService`, built once per process by ``agent.bootstrap``. Every
method that touches personal data takes the owner's id as its first argument (it comes from the
run's context, never from a model); numbers come from the deterministic engine only.

Job references (``job_ref``) accept the source's external id (``"sample-0-00042"``) or the
database id with or without a hash (``"42"``, ``"#42"``). Positions in the last list ("the
second one") are resolved by the caller (the registry keeps the last list in graph state).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.errors import JobfitError
from tools.schemas import GapReport, MatchResult, Weights
from tools.search import JobFilters

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from store.importers import ImportSummary
    from store.repo import UserPreferences
    from tools.ports import Embedder
    from tools.schemas import CandidateProfile
    from tools.search import JobIndex
    from tools.tailoring import Rewriter, TailoredCV, TailoringOption

logger = logging.getLogger(__name__)

FeedbackStatus = Literal["interested", "applied", "dismissed", "shortlisted", "viewed"]


class NoCVError(JobfitError):
    """The user has no CV yet."""


class JobCard(BaseModel):
    """A job as lists show it: who, where, pay, and (when a CV is known) the fit score."""

    model_config = ConfigDict(extra="forbid")

    job_id: str  # the source's external id
    ref: int  # database id (stable handle for buttons)
    title: str | None = None
    company: str | None = None
    location: str | None = None
    remote: str | None = None  # remote | hybrid | onsite | None (unknown)
    salary: str | None = None  # human text, e.g. "$90,000-110,000 a year"
    posted: date | None = None
    url: str | None = None
    score: int | None = None
    grade: str | None = None
    label: str | None = None


class CVSummary(BaseModel):
    """What jobfit understood from a CV (no contact details)."""

    model_config = ConfigDict(extra="forbid")

    cv_id: int
    version: int
    file_name: str
    name: str | None = None
    headline: str | None = None
    total_years: float | None = None
    seniority: str | None = None
    location: str | None = None
    remote_preference: str | None = None
    salary_expectation: str | None = None
    top_skills: list[str] = Field(default_factory=list)
    skills_count: int = 0
    recent_roles: list[str] = Field(default_factory=list)  # "Title, Company (2019-2024)"
    education: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # e.g. "no dates found in experience"


class Analysis(BaseModel):
    """One CV against one job: the score with evidence, and the gaps with their impact."""

    model_config = ConfigDict(extra="forbid")

    job: JobCard
    result: MatchResult
    gaps: GapReport
    cv_id: int | None = None
    cached: bool = False


class JobfitService:
    """Every operation the channels offer, over the store and the engine.

    Args:
        engine: the database (schema already migrated).
        embedder: text embedder for the semantic factor and search (None: semantic unknown,
            search by keywords only).
        index: the job vector index.
        weights: scoring weights (default balanced).
        calibration: the embedder's cosine calibration.
        analysis_ttl_days: lifetime of cached analyses.
        max_upload_bytes: largest CV file accepted.
    """

    def __init__(
        self,
        *,
        engine: Engine,
        embedder: Embedder | None,
        index: JobIndex,
        weights: Weights | None = None,
        calibration: tuple[float, float] | None = None,
        analysis_ttl_days: float = 7.0,
        max_upload_bytes: int = 10 * 1024 * 1024,
    ) -> None:
        raise NotImplementedError

    # -- users and CVs ------------------------------------------------------------------
    def ensure_user(self, owner_id: str, display_name: str | None = None) -> None:
        """Create the user row if missing (channels call this on first contact)."""
        raise NotImplementedError

    def save_cv(self, owner_id: str, *, text: str | None = None, data: bytes | None = None,
                file_name: str = "cv.txt") -> CVSummary:
        """Parse and store a CV (text, or file bytes of a PDF/DOCX/TXT/MD) as the current CV.

        Raises InvalidInputError/UnsupportedFileError/EmptyDocumentError with a user-safe message.
        """
        raise NotImplementedError

    def profile(self, owner_id: str) -> CandidateProfile:
        """The owner's current (latest) CV, parsed. Raises NoCVError."""
        raise NotImplementedError

    def cv_summary(self, owner_id: str) -> CVSummary:
        raise NotImplementedError

    def preferences(self, owner_id: str) -> UserPreferences:
        raise NotImplementedError

    def update_preferences(self, owner_id: str, **changes: Any) -> UserPreferences:
        """Merge the given fields (UserPreferences names) into the stored preferences."""
        raise NotImplementedError

    # -- jobs -----------------------------------------------------------------------------
    def job_card(self, job_ref: str) -> JobCard:
        """An ACTIVE (or any stored) job by reference. Raises NotFoundError."""
        raise NotImplementedError

    def search(self, owner_id: str, query: str, *, filters: JobFilters | None = None,
               k: int = 10) -> list[JobCard]:
        """Hybrid search; when the owner has a CV each card also carries its fit score."""
        raise NotImplementedError

    def best_matches(self, owner_id: str, *, k: int = 10, min_score: float = 50,
                     filters: JobFilters | None = None, strict: Sequence[str] = (),
                     progress: Callable[[str], None] | None = None) -> list[JobCard]:
        """Two-stage match of the current CV against the index; results saved as SUGGESTED."""
        raise NotImplementedError

    def analyse(self, owner_id: str, job_ref: str | None = None, *,
                job_text: str | None = None) -> Analysis:
        """Score and gaps of the current CV for a stored job or a pasted posting."""
        raise NotImplementedError

    def compare_jobs(self, owner_id: str, job_refs: Sequence[str]) -> list[Analysis]:
        """The current CV against several jobs, best first."""
        raise NotImplementedError

    def compare_cvs(self, owner_id: str, job_ref: str,
                    cv_ids: Sequence[int] | None = None) -> list[Analysis]:
        """Several of the owner's CVs (default: all) against one job, best first."""
        raise NotImplementedError

    def record_feedback(self, owner_id: str, job_ref: str, status: FeedbackStatus) -> JobCard:
        raise NotImplementedError

    # -- tailoring ----------------------------------------------------------------------
    def tailoring_options(self, owner_id: str, job_ref: str) -> list[TailoringOption]:
        raise NotImplementedError

    def tailor(self, owner_id: str, job_ref: str, option_ids: Sequence[str], *,
               rewriter: Rewriter | None = None) -> TailoredCV:
        raise NotImplementedError

    # -- data -------------------------------------------------------------------------------
    def forget(self, owner_id: str) -> dict[str, int]:
        """Delete everything stored for the owner (CVs, matches, feedback, preferences, chats)."""
        raise NotImplementedError

    def import_jobs(self, path: str | Path,
                    progress: Callable[[int, int | None], None] | None = None) -> ImportSummary:
        """Import a jobs file (JSON/JSONL/CSV) or feed into the shared index."""
        raise NotImplementedError

    def job_count(self) -> int:
        """Number of ACTIVE jobs."""
        raise NotImplementedError
