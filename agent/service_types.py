"""What the service hands to channels: job cards, CV summaries, analyses, and the rules for
reading a job reference; plain models and pure helpers (no store, no state).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from tools.errors import InvalidInputError, JobfitError
from tools.money import format_money
from tools.schemas import GapReport, MatchResult

if TYPE_CHECKING:
    from tools.schemas import CandidateProfile, JobPosting

logger = logging.getLogger(__name__)


FeedbackStatus = Literal["interested", "applied", "dismissed", "shortlisted", "viewed"]
FEEDBACK_STATUSES: tuple[str, ...] = ("interested", "applied", "dismissed", "shortlisted",
                                      "viewed")
STRICT_FILTERS: tuple[str, ...] = ("salary", "location", "experience")
#: How often (seconds) the service checks whether jobs were imported by another process.
JOBS_CHECK_S = 30.0
#: A pasted posting shorter than this is not a job description.
MIN_JOB_TEXT = 40
#: Longest pasted CV or posting accepted as text (characters).
MAX_TEXT_CHARS = 200_000
#: The job id of a pasted posting (not stored); its card says job_id "pasted", ref 0.
PASTED_ID = "0"
#: Where between the calibration floor and ceiling a vector neighbour counts as related enough
#: to pad search results (floor = 10th, ceiling = 99th percentile of real pairs: ~ the median).
SEARCH_FLOOR_SHARE = 0.4

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
    also_on: list[str] = Field(default_factory=list)  # other sources of the same job


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


def salary_text(posting: JobPosting) -> str | None:
    """A job's pay as people write it (the posting's own words when it has them)."""
    sal = posting.salary
    if sal is None:
        return None
    if sal.raw.strip():
        return sal.raw.strip()
    if sal.min is not None and sal.max is not None and sal.min != sal.max:
        return f"{format_money(sal.min, sal.currency)}-{format_money(sal.max, sal.currency)} a year"
    value = sal.min if sal.min is not None else sal.max
    return None if value is None else f"{format_money(value, sal.currency)} a year"


def _range_text(start: str | None, end: str | None) -> str:
    def year(v: str | None) -> str:
        if not v:
            return "?"
        return "present" if v == "present" else v[:4]

    if not start and not end:
        return ""
    return f" ({year(start)}-{year(end)})"


def summarise_profile(profile: CandidateProfile, *, cv_id: int, version: int,
                      file_name: str) -> CVSummary:
    """What was understood from a CV, without contact details."""
    skills = sorted(profile.skills, key=lambda s: (not s.evidenced, -len(s.mentions)))
    roles = []
    for e in profile.experience[:3]:
        who = ", ".join(p for p in (e.title, e.company) if p)
        if who:
            roles.append(who + _range_text(e.start, e.end))
    education = []
    for ed in profile.education[:3]:
        what = ed.degree or (ed.degree_level or "").replace("_", " ")
        text = ", ".join(p for p in (what, ed.institution) if p)
        if text:
            education.append(text + (f" ({ed.year})" if ed.year else ""))
    warnings: list[str] = []
    if not profile.skills:
        warnings.append("no known skills found")
    if not profile.experience:
        warnings.append("no work experience found")
    elif profile.total_years is None:
        warnings.append("no dates found in experience")
    if profile.location is None:
        warnings.append("no location found")
    from agent.offline.languages import detect_language

    language = detect_language(profile.text)
    if language is not None:
        warnings.insert(0, f"this CV seems to be in {language}: jobfit reads English CVs only "
                           "for now, so skills and scores may be missing; upload an English "
                           "version")
    expect = None
    if profile.salary_expectation is not None:
        expect = profile.salary_expectation.raw.strip() or None
        if expect is None:
            value = profile.salary_expectation.min or profile.salary_expectation.max
            if value:
                expect = format_money(value, profile.salary_expectation.currency) + " a year"
    return CVSummary(
        cv_id=cv_id, version=version, file_name=file_name,
        name=profile.personal.name, headline=profile.headline,
        total_years=profile.total_years, seniority=profile.seniority,
        location=profile.location.raw or None if profile.location else None,
        remote_preference=profile.remote_preference, salary_expectation=expect,
        top_skills=[s.name for s in skills[:10]], skills_count=len(profile.skills),
        recent_roles=roles, education=education, warnings=warnings,
    )


def parse_job_ref(job_ref: str) -> tuple[str, str]:
    """("id", "42") for "42" / "#42"; ("url", ...) for links; ("external", ...) otherwise."""
    ref = (job_ref or "").strip()
    if not ref:
        raise InvalidInputError("Which job? Give its id, its position in the list, or paste it.")
    if len(ref) > 2000:
        raise InvalidInputError("That job reference is too long.")
    bare = ref[1:] if ref.startswith("#") else ref
    if bare.isdigit():
        return "id", bare
    if ref.lower().startswith(("http://", "https://")):
        return "url", ref
    return "external", ref
