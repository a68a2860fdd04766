"""The application pipeline as the service offers it: track a step, list the pipeline.

A job is named by reference (id, link, position resolved by the caller) or by its company ("I got
an interview at Copperline Labs": the user's own applications at that company first, then their
matches, then any stored job there). Feedback such as "not interested" never changes an
application's status: only these calls do.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from store.applications import OPEN_STATUSES, STATUSES, ApplicationRepo
from tools.errors import InvalidInputError, JobfitError

if TYPE_CHECKING:
    from agent.finder import FinderOps
    from agent.service_types import JobCard
    from store.tables import ApplicationRecord


class Application(BaseModel):
    """One application as lists show it."""

    model_config = ConfigDict(extra="forbid")

    job: dict[str, Any]  # the job's card (JobCard as JSON)
    status: str
    since: str  # ISO date of the current status
    days: int  # days since the current status
    applied: str | None = None  # ISO date of the "applied" step, when there was one
    note: str | None = None
    history: list[dict[str, Any]] = Field(default_factory=list)


def _day(iso: str) -> str:
    return iso[:10]


def _view(rec: ApplicationRecord, card: JobCard, now: datetime) -> Application:
    updated = rec.updated if rec.updated.tzinfo else rec.updated.replace(tzinfo=UTC)
    applied = next((s.get("at") for s in rec.history if s.get("status") == "applied"), None)
    return Application(
        job=card.model_dump(mode="json"), status=rec.status, since=updated.date().isoformat(),
        days=max(0, (now - updated).days), applied=_day(str(applied)) if applied else None,
        note=rec.note,
        history=[{"status": s.get("status"), "date": _day(str(s.get("at") or ""))}
                 for s in rec.history])


def resolve_company(service: FinderOps, owner_id: str, company: str) -> str:
    """The job ref the user most likely means by a company name. Raises InvalidInputError."""
    from store.repo import normalise_company

    key = normalise_company(company)
    if not key:
        raise InvalidInputError("Which company? e.g. \"I got an interview at Acme\".")
    ids = ApplicationRepo(service.engine).jobs_of_company(owner_id, key)
    if not ids:
        raise InvalidInputError(
            f"I don't know a job at {company.strip()[:60]}. Name the job (\"the second one\", "
            "a job id) or find it first (\"find jobs at " + company.strip()[:40] + "\").")
    return str(ids[0])


def track_application(service: FinderOps, owner_id: str, status: str, *,
                      job_ref: str | None = None, company: str | None = None,
                      note: str | None = None, now: datetime | None = None) -> Application:
    """Record a step of the owner's application for a job (by reference or company)."""
    status = (status or "").strip().lower()
    if status not in STATUSES:
        raise InvalidInputError("An application is saved, applied, interviewing, offer, "
                                "rejected or withdrawn.")
    if not job_ref and company:
        job_ref = resolve_company(service, owner_id, company)
    if not job_ref:
        raise InvalidInputError("Which job? Give its id, its position in the last list, or "
                                "the company (\"I got an interview at Acme\").")
    service.ensure_user(owner_id)
    card = service.job_card(job_ref)
    rec = ApplicationRepo(service.engine).set_status(owner_id, card.ref, status, note=note,
                                                     when=now)
    return _view(rec, card, now or datetime.now(UTC))


def list_applications(service: FinderOps, owner_id: str, *,
                      status: str | None = None, older_than_days: int | None = None,
                      now: datetime | None = None) -> list[Application]:
    """The owner's pipeline, most recently changed first. ``older_than_days`` keeps only open
    applications (saved, applied, interviewing, offer) unchanged for at least that many days."""
    if status is not None and status not in STATUSES:
        raise InvalidInputError("An application is saved, applied, interviewing, offer, "
                                "rejected or withdrawn.")
    if older_than_days is not None and not 0 <= int(older_than_days) <= 3650:
        raise InvalidInputError("Give a number of days between 0 and 3650.")
    statuses: tuple[str, ...] | None = (status,) if status else (
        OPEN_STATUSES if older_than_days is not None else None)
    at = now or datetime.now(UTC)
    records = ApplicationRepo(service.engine).list(owner_id, statuses=statuses,
                                                   older_than_days=older_than_days, now=at)
    out = []
    for rec in records:
        try:
            card = service.job_card(str(rec.job_id))
        except JobfitError:  # the job was deleted meanwhile
            continue
        out.append(_view(rec, card, at))
    return out


def application_status(service: FinderOps, owner_id: str, job_id: int) -> str | None:
    """The status of the owner's application for a job (by database id), or None."""
    rec = ApplicationRepo(service.engine).get(owner_id, job_id)
    return rec.status if rec is not None else None
