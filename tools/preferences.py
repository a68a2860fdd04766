"""A user's job preferences as the domain sees them: a filter over postings and expectations
for the engine.

One filter for every list (best matches, search, digests): :func:`hidden_reason` says why a
posting is hidden by the preferences (or None), :func:`apply_preferences` splits a list into the
kept items and a count of hidden ones per reason. Only what is *known* to contradict a preference
hides a job (a job with no stated salary is not hidden by a salary floor) except for "remote
only", which keeps only jobs known to be remote.

:func:`with_expectations` gives the engine the preferences as the candidate's expectations
(work mode, place, salary floor), so the location and salary sub-scores compare them instead of
reporting "unknown". Pure: no framework, no I/O.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from tools.money import format_money
from tools.parsing.location import parse_location
from tools.schemas import CandidateProfile, JobPosting, Location, SalaryRange

T = TypeVar("T")

#: Reasons a job is hidden, in the order they are checked (and reported).
REASONS = ("company", "work_mode", "location", "salary")


@dataclass(frozen=True)
class JobPreferences:
    """What filters and informs a user's lists (a subset of the stored preferences)."""

    remote: str | None = None  # remote | hybrid | onsite | any
    locations: tuple[str, ...] = ()
    salary_floor: float | None = None
    salary_currency: str | None = None
    blocked_companies: tuple[str, ...] = ()
    _places: tuple[Location, ...] = field(default=(), compare=False, repr=False)

    @classmethod
    def of(cls, remote: str | None = None, locations: Iterable[str] = (),
           salary_floor: float | None = None, salary_currency: str | None = None,
           blocked_companies: Iterable[str] = ()) -> JobPreferences:
        places = tuple(p for p in (parse_location(x) for x in locations if x and x.strip())
                       if p is not None and (p.city or p.region or p.country))
        return cls(remote=remote, locations=tuple(x for x in locations if x and x.strip()),
                   salary_floor=salary_floor, salary_currency=salary_currency,
                   blocked_companies=tuple(c for c in blocked_companies if c and c.strip()),
                   _places=places)

    @property
    def active(self) -> bool:
        """Whether any preference filters lists."""
        return bool(self.remote in ("remote", "hybrid") or self._places
                    or self.salary_floor or self.blocked_companies)

    def describe(self) -> list[str]:
        """The filtering preferences in words, e.g. ["remote only", "salary at least 90,000"]."""
        out = []
        if self.remote == "remote":
            out.append("remote only")
        elif self.remote == "hybrid":
            out.append("hybrid or remote")
        if self._places:
            out.append("in " + " or ".join(self.locations))
        if self.salary_floor:
            out.append(f"salary at least {format_money(self.salary_floor)}")
        if self.blocked_companies:
            out.append("not from " + ", ".join(self.blocked_companies))
        return out


def _work_mode(job: JobPosting) -> str | None:
    if job.work_mode:
        return str(job.work_mode)
    return "remote" if job.location is not None and job.location.remote else None


def _same_place(want: Location, job: Location) -> bool:
    def eq(a: str | None, b: str | None) -> bool:
        return bool(a) and bool(b) and str(a).casefold() == str(b).casefold()

    if want.city:
        return eq(want.city, job.city) and (not want.country or not job.country
                                            or eq(want.country, job.country))
    if want.region:
        return eq(want.region, job.region) and (not want.country or not job.country
                                                or eq(want.country, job.country))
    return eq(want.country, job.country)


def hidden_reason(job: JobPosting, prefs: JobPreferences) -> str | None:
    """Why the preferences hide this job ("company", "work_mode", "location", "salary"), or None."""
    if prefs.blocked_companies and job.company:
        name = job.company.strip().casefold()
        if any(name == b.strip().casefold() for b in prefs.blocked_companies):
            return "company"
    mode = _work_mode(job)
    if prefs.remote == "remote" and mode != "remote":
        return "work_mode"
    if prefs.remote == "hybrid" and mode == "onsite":
        return "work_mode"
    if prefs._places and mode != "remote":
        loc = job.location
        if loc is not None and (loc.city or loc.region or loc.country) and not any(
                _same_place(p, loc) for p in prefs._places):
            return "location"
    if prefs.salary_floor and job.salary is not None:
        top = job.salary.max if job.salary.max is not None else job.salary.min
        same_currency = not (prefs.salary_currency and job.salary.currency
                             and prefs.salary_currency != job.salary.currency)
        if top is not None and same_currency and top < prefs.salary_floor:
            return "salary"
    return None


def apply_preferences(items: Sequence[T], prefs: JobPreferences,
                      posting: Callable[[T], JobPosting]) -> tuple[list[T], dict[str, int]]:
    """(kept items in order, hidden count per reason) for any list of jobs."""
    kept: list[T] = []
    hidden: dict[str, int] = {}
    for item in items:
        reason = hidden_reason(posting(item), prefs)
        if reason is None:
            kept.append(item)
        else:
            hidden[reason] = hidden.get(reason, 0) + 1
    return kept, hidden


def with_expectations(profile: CandidateProfile, prefs: JobPreferences) -> CandidateProfile:
    """The profile with the stated preferences as its expectations (they win over the CV's)."""
    update: dict[str, object] = {}
    if prefs.remote:
        update["remote_preference"] = prefs.remote
    if prefs._places:
        update["location"] = prefs._places[0]
    if prefs.salary_floor:
        update["salary_expectation"] = SalaryRange(
            min=float(prefs.salary_floor), currency=prefs.salary_currency,
            raw=format_money(prefs.salary_floor))
    return profile.model_copy(update=update) if update else profile


def expectations_key(prefs: JobPreferences) -> str:
    """A short stable key of the expectations (part of cache keys of preference-aware scores)."""
    place = prefs._places[0] if prefs._places else None
    parts = [prefs.remote or "", f"{place.city}|{place.region}|{place.country}" if place else "",
             f"{prefs.salary_floor or ''}", prefs.salary_currency or ""]
    return "" if not any(parts) else "p:" + ";".join(parts)
