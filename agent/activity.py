"""What the owner did with jobs: feedback (interested, applied, dismissed...) and the
application pipeline (``agent/applications.py``).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from agent.analysis import AnalysisOps
from agent.service_core import CurrentCV
from agent.service_types import (
    FEEDBACK_STATUSES,
    FeedbackStatus,
    JobCard,
    NoCVError,
)
from tools.errors import InvalidInputError

if TYPE_CHECKING:
    from agent.applications import Application

logger = logging.getLogger(__name__)


class ActivityOps(AnalysisOps):
    """Feedback and applications of an owner."""

    def record_feedback(self, owner_id: str, job_ref: str, status: FeedbackStatus) -> JobCard:
        """Remember what the owner did with a job (interested, applied, dismissed, ...)."""
        if status not in FEEDBACK_STATUSES:
            raise InvalidInputError(
                "Feedback is one of interested, applied, dismissed, shortlisted.")
        self.ensure_user(owner_id)
        stored = self._stored(job_ref, owner_id)
        job_id = int(stored.id)
        try:
            current: CurrentCV | None = self._current_cv(owner_id)
        except NoCVError:
            current = None
        match_id = None
        result = None
        from agent.applications import application_status, track_application

        # an application's status is changed by the pipeline only: feedback such as "not
        # interested" on a job the owner applied to is recorded, but changes nothing else
        applying = application_status(self, owner_id, job_id)
        if current is not None:
            result = self._analyse_stored(owner_id, current, stored).result
            keep = applying is not None and status != "applied"
            match = self.matches.save(owner_id, current.cv_id, job_id, result.score,
                                      result.breakdown(),
                                      status="SUGGESTED" if keep else status.upper())
            assert match.id is not None
            if not keep:
                self.matches.set_status(owner_id, match.id, status.upper())
            match_id = match.id
        self.matches.add_feedback(owner_id, status, job_id=job_id, match_id=match_id)
        if status == "applied" and applying in (None, "saved"):
            track_application(self, owner_id, "applied", job_ref=str(job_id))
        elif status == "shortlisted" and applying is None:
            track_application(self, owner_id, "saved", job_ref=str(job_id))
        return self._card(stored.id, stored.posting, result)

    def track_application(self, owner_id: str, status: str, *, job_ref: str | None = None,
                          company: str | None = None, note: str | None = None) -> Application:
        """Record a step of the owner's application (agent/applications.py)."""
        from agent.applications import track_application

        return track_application(self, owner_id, status, job_ref=job_ref, company=company,
                                 note=note)

    def applications(self, owner_id: str, *, status: str | None = None,
                     older_than_days: int | None = None) -> list[Application]:
        """The owner's application pipeline, most recently changed first."""
        from agent.applications import list_applications

        return list_applications(self, owner_id, status=status,
                                 older_than_days=older_than_days)

    def feedback(self, owner_id: str, *, limit: int = 100) -> list[dict[str, Any]]:
        """The owner's recent feedback events, newest first."""
        return [{"job_ref": f.job_id, "kind": f.kind, "created": f.created}
                for f in self.matches.feedback(owner_id, limit=limit)]
