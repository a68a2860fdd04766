"""The owner's CVs and preferences: parse and store a CV, the current CV (parsed and embedded
once), what was understood from it, and the preferences that filter lists and inform scores.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import ValidationError

from agent.service_core import CurrentCV, ServiceCore
from agent.service_types import (
    CVSummary,
    NoCVError,
    summarise_profile,
)
from tools.errors import FileTooLargeError, InvalidInputError, JobfitError
from tools.search import JobFilters

if TYPE_CHECKING:
    from store.users import UserPreferences
    from tools.preferences import JobPreferences
    from tools.schemas import CandidateProfile, JobPosting

logger = logging.getLogger(__name__)

T = TypeVar("T")


class ProfileOps(ServiceCore):
    """CVs and preferences of an owner (every method takes the owner's id first)."""

    def save_cv(self, owner_id: str, *, text: str | None = None, data: bytes | None = None,
                file_name: str = "cv.txt") -> CVSummary:
        """Parse and store a CV (text, or file bytes of a PDF/DOCX/TXT/MD) as the current CV.

        Raises InvalidInputError/UnsupportedFileError/EmptyDocumentError with a user-safe message.
        """
        from tools.errors import EmptyDocumentError
        from tools.parsing.cv import parse_cv
        from tools.parsing.text import extract_text_from_bytes

        if (text is None) == (data is None):
            raise InvalidInputError("Give the CV as text or as a file.")
        if data is not None:
            raw = extract_text_from_bytes(data, file_name, max_bytes=self.max_upload_bytes)
        else:
            assert text is not None
            if len(text.encode("utf-8", "replace")) > self.max_upload_bytes:
                raise FileTooLargeError("That CV is larger than the upload limit.")
            raw = text
        if not raw.strip():
            raise EmptyDocumentError("The CV is empty.")
        profile = parse_cv(raw)
        if not (profile.skills or profile.experience or profile.education):
            raise InvalidInputError(
                "That does not look like a CV: no skills, experience or education found.")
        safe_name = Path(file_name or "cv.txt").name[:200] or "cv.txt"
        record = self._as_user(owner_id, lambda: self.cvs.add(owner_id, safe_name, raw, profile))
        assert record.id is not None
        self._current.drop(lambda k: k == owner_id)
        self._analyses.drop(lambda k: k[0] == owner_id)
        return summarise_profile(profile, cv_id=record.id, version=record.version,
                                 file_name=record.file_name)

    def _current_cv(self, owner_id: str) -> CurrentCV:
        """The owner's latest CV, parsed and embedded (memoised by CV id)."""
        head = self.cvs.latest_head(owner_id)
        if head is None:
            raise NoCVError("You have no CV yet: paste it or upload a file (PDF, DOCX, TXT).")
        cv_id, digest = head
        found = self._current.get(owner_id)
        if found is not None and found.cv_id == cv_id:
            return self._with_expectations(owner_id, found)
        record = self.cvs.get(owner_id, cv_id)
        if record is None:  # deleted meanwhile
            raise NoCVError("You have no CV yet: paste it or upload a file (PDF, DOCX, TXT).")
        return self._with_expectations(
            owner_id, self._remember_cv(owner_id, cv_id, digest, self.cvs.profile(record)))

    def _remember_cv(self, owner_id: str, cv_id: int, digest: str,
                     profile: CandidateProfile) -> CurrentCV:
        from tools.scoring import cv_embedding_text

        vector = None
        text = cv_embedding_text(profile)
        if self.embedder is not None and text:
            vector = self.embedder.embed([text])[0]
        current = CurrentCV(cv_id, digest, profile, vector)
        self._current.put(owner_id, current)
        return current

    def profile(self, owner_id: str) -> CandidateProfile:
        """The owner's current (latest) CV, parsed. Raises NoCVError."""
        return self._current_cv(owner_id).profile

    def has_cv(self, owner_id: str) -> bool:
        return self.cvs.latest(owner_id) is not None

    def cv_summary(self, owner_id: str) -> CVSummary:
        """What was understood from the owner's current CV. Raises NoCVError."""
        record = self.cvs.latest(owner_id)
        if record is None or record.id is None:
            raise NoCVError("You have no CV yet: paste it or upload a file (PDF, DOCX, TXT).")
        return summarise_profile(self.cvs.profile(record), cv_id=record.id,
                                 version=record.version, file_name=record.file_name)

    def list_cvs(self, owner_id: str) -> list[CVSummary]:
        """Every CV the owner stored, oldest first."""
        return [summarise_profile(self.cvs.profile(r), cv_id=r.id, version=r.version,
                                  file_name=r.file_name)
                for r in self.cvs.list(owner_id) if r.id is not None]

    def preferences(self, owner_id: str) -> UserPreferences:
        """The owner's stored preferences (defaults when the user is new)."""
        from store.users import UserPreferences

        if self.users.get(owner_id) is None:
            return UserPreferences()
        return self.users.preferences(owner_id)

    def update_preferences(self, owner_id: str, **changes: Any) -> UserPreferences:
        """Merge the given fields (UserPreferences names) into the stored preferences."""
        from store.users import UserPreferences

        unknown = sorted(set(changes) - set(UserPreferences.model_fields))
        if unknown:
            raise InvalidInputError(f"Unknown preference: {', '.join(unknown)}.")
        current = self._as_user(owner_id, lambda: self.users.preferences(owner_id))
        try:
            merged = UserPreferences.model_validate(
                {**current.model_dump(mode="json"), **changes})
        except ValidationError as exc:
            fields = sorted({str(e["loc"][0]) for e in exc.errors() if e.get("loc")})
            raise InvalidInputError(
                f"Invalid value for {', '.join(fields) or 'a preference'}.") from None
        self.users.set_preferences(owner_id, merged)
        return merged

    def job_preferences(self, owner_id: str) -> JobPreferences:
        """The owner's preferences that filter lists and inform scores (tools.preferences)."""
        from tools.preferences import JobPreferences

        try:
            p = self.preferences(owner_id)
        except JobfitError:
            return JobPreferences()
        return JobPreferences.of(remote=p.remote, locations=p.locations,
                                 salary_floor=p.salary_floor, salary_currency=p.salary_currency,
                                 blocked_companies=p.blocked_companies)

    def _with_expectations(self, owner_id: str, current: CurrentCV) -> CurrentCV:
        """The current CV with the owner's preferences as its expectations (work mode, place,
        salary floor); its hash changes with them, so cached scores stay right."""
        from tools.preferences import expectations_key, with_expectations

        prefs = self.job_preferences(owner_id)
        key = expectations_key(prefs)
        if not key:
            return current
        from store.cache import content_hash

        return CurrentCV(current.cv_id, current.cv_hash,
                          with_expectations(current.profile, prefs), current.vector,
                          expectations=content_hash(f"{self.weights_hash}|{key}"))

    def _weights_key(self, current: CurrentCV) -> str:
        """The weights' hash, or the hash of weights and expectations when preferences apply."""
        return current.expectations or self.weights_hash

    def preference_filter(self, owner_id: str, postings: Sequence[T],
                          posting: Callable[[T], JobPosting]) -> tuple[list[T], dict[str, int]]:
        """The one preference filter of every list (matches, search, digests): the items kept,
        and how many the owner's preferences hid per reason (work_mode, location, salary...)."""
        from tools.preferences import apply_preferences

        return apply_preferences(postings, self.job_preferences(owner_id), posting)

    def _filters(self, owner_id: str, filters: JobFilters | None) -> JobFilters:
        """The given filters plus the owner's blocked companies."""
        filters = filters or JobFilters()
        try:
            blocked = self.preferences(owner_id).blocked_companies
        except JobfitError:
            blocked = []
        if blocked:
            filters = filters.model_copy(update={
                "exclude_companies": sorted({*filters.exclude_companies, *blocked})})
        return filters
