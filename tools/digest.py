"""Digest composition: what one user's digest holds for one period (pure, deterministic).

A :class:`Digest` has four parts:

- **matches**: jobs new since the user's last digest, scored by the engine at or above the
  user's threshold, that respect their preferences (work mode, locations, salary floor, hidden
  companies), are not dismissed or applied to, were not in an earlier digest, and are not a
  second copy of a linked duplicate; best first, each with its strongest reason and biggest gap;
- **changes**: saved or applied jobs that expired or closed, scores that moved after a CV
  update, applications without news for a while (nudges);
- **trends**: the skills most asked for by the user's relevant jobs, against the last period;
- **skills**: what to show or learn (:func:`tools.insights.skill_impacts`).

:func:`select_rows` finds the candidates with the stage-1 screening columns (one numpy pass over
every job per user, no Python loop per pair); :func:`compose_digest` filters, de-duplicates and
orders them; :func:`render_text` writes the plain-text form (the e-mail's text part, the CLI)
from the digest card (``tools.digest_card`` through ``tools.card_text.digest_text``).
:class:`DigestChannel` is the delivery port every channel (in-app, e-mail, Slack, Teams)
implements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Literal, Protocol, runtime_checkable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tools.factors import DEFAULT_CALIBRATION
from tools.insights import SkillImpact, SkillTrend
from tools.parsing.location import parse_location
from tools.preparation import PreparedProfile
from tools.schemas import JobPosting, MatchResult, Weights
from tools.screening import ScreeningIndex

DEFAULT_THRESHOLD = 60
MAX_MATCHES = 10
ChangeKind = Literal["closed", "score_moved", "nudge"]
ChannelStatus = Literal["sent", "failed", "skipped"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- the digest


class DigestMatch(_Model):
    """One new match as the digest lists it."""

    job_id: str  # the source's external id
    ref: int  # database id (buttons, links)
    title: str | None = None
    company: str | None = None
    location: str | None = None
    remote: str | None = None
    salary: str | None = None
    url: str | None = None
    score: int
    grade: str
    label: str
    reason: str = ""  # the strongest factor's comment
    gap: str | None = None  # the biggest gap ("Kubernetes (required)")
    gap_points: int | None = None  # points closing it is worth (measured), when known
    also_on: list[str] = Field(default_factory=list)  # other sources listing the same job


class DigestChange(_Model):
    """Something that changed about a job the user cares about."""

    kind: ChangeKind
    job_id: str
    ref: int
    title: str | None = None
    company: str | None = None
    text: str
    before: int | None = None  # score_moved: old and new score
    after: int | None = None
    days: int | None = None  # nudge: days without news


class Digest(_Model):
    """One user's digest for one period (``tools.digest`` module doc)."""

    period: str
    generated: datetime
    since: datetime
    threshold: int = DEFAULT_THRESHOLD
    matches: list[DigestMatch] = Field(default_factory=list)
    more: int = 0  # further new matches above the threshold not listed
    changes: list[DigestChange] = Field(default_factory=list)
    trends: list[SkillTrend] = Field(default_factory=list)
    falling: list[SkillTrend] = Field(default_factory=list)
    skills: list[SkillImpact] = Field(default_factory=list)
    measured_on: int = 0  # how many top matches the skills were measured on
    has_cv: bool = True

    @property
    def empty(self) -> bool:
        """Nothing new: no match and no change."""
        return not self.matches and not self.changes

    def headline(self) -> str:
        """One line: "3 new matches, 1 change" / "Nothing new this period"."""
        parts = []
        if self.matches:
            n = len(self.matches) + self.more
            parts.append(f"{n} new match{'es' if n != 1 else ''}")
        if self.changes:
            parts.append(f"{len(self.changes)} change{'s' if len(self.changes) != 1 else ''}")
        return ", ".join(parts) if parts else "Nothing new this period"


# --------------------------------------------------------------------------- delivery port


class Recipient(_Model):
    """Who a digest goes to, and the links back (never logged: it holds an e-mail address)."""

    owner_id: str
    name: str = ""
    email: str | None = None
    external_ids: dict[str, str] = Field(default_factory=dict)  # "slack": "U123", ...
    chat_url: str = ""  # the web chat
    unsubscribe_url: str = ""  # one click: stops this channel's digests


class DeliveryOutcome(_Model):
    """What a channel did with a digest: sent, failed (with a reason) or skipped (why)."""

    status: ChannelStatus
    reason: str = ""
    attempts: int = 1


@runtime_checkable
class DigestChannel(Protocol):
    """A way to deliver a digest (in-app, e-mail, Slack, Teams). ``deliver`` must not raise for
    delivery problems: it returns ``failed`` with a user-safe reason, or ``skipped`` when the
    channel does not apply to this recipient (no address, not linked, not configured)."""

    name: str

    def deliver(self, digest: Digest, recipient: Recipient, *,
                digest_id: int) -> DeliveryOutcome: ...


# --------------------------------------------------------------------------- candidates


class ScoredJob(_Model):
    """A job scored for the user, as composition reads it."""

    ref: int
    posting: JobPosting
    result: MatchResult
    group: int  # the duplicate group: ``duplicate_of`` or the job's own id
    salary_text: str | None = None
    also_on: list[str] = Field(default_factory=list)  # other sources listing the same job


class DigestPreferences(_Model):
    """The preferences a digest respects (a subset of ``store.users.UserPreferences``)."""

    remote: str | None = None  # remote | hybrid | onsite | any
    locations: list[str] = Field(default_factory=list)
    salary_floor: float | None = None
    salary_currency: str | None = None
    blocked_companies: list[str] = Field(default_factory=list)


_SUFFIXES = {"inc", "llc", "ltd", "limited", "plc", "gmbh", "ag", "sa", "bv", "corp",
             "corporation", "co", "company", "group", "holdings"}


def company_key(name: str | None) -> str:
    """"Acme, Inc." -> "acme" (for hidden companies)."""
    words = re.sub(r"[^\w]+", " ", (name or "").casefold().replace("&", " and ")).split()
    if words and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _SUFFIXES:
        words.pop()
    return " ".join(words)


def _mode(job: JobPosting) -> str | None:
    if job.work_mode:
        return job.work_mode
    return "remote" if job.location is not None and job.location.remote else None


def _place_matches(job: JobPosting, wanted: str) -> bool:
    where = job.location
    want = parse_location(wanted)
    if where is None or want is None:
        return True  # unknown never excludes
    if want.city and where.city:
        return want.city.casefold() == where.city.casefold()
    if want.region and where.region and (not want.country or want.country == where.country):
        return want.region.casefold() == where.region.casefold()
    if want.country and where.country:
        return want.country == where.country
    raw = (want.raw or wanted).casefold().strip()
    return bool(raw) and raw in (where.raw or "").casefold()


def passes_preferences(job: JobPosting, prefs: DigestPreferences) -> bool:
    """Whether a job respects the user's preferences; only a stated mismatch excludes."""
    blocked = {company_key(c) for c in prefs.blocked_companies if company_key(c)}
    if blocked and company_key(job.company) in blocked:
        return False
    mode = _mode(job)
    allowed = {"remote": {"remote"}, "hybrid": {"remote", "hybrid"},
               "onsite": {"onsite", "hybrid"}}.get(prefs.remote or "any")
    if allowed is not None and mode is not None and mode not in allowed:
        return False
    if prefs.locations and mode != "remote" and not any(
            _place_matches(job, w) for w in prefs.locations if w.strip()):
        return False
    if prefs.salary_floor and job.salary is not None:
        top = job.salary.max if job.salary.max is not None else job.salary.min
        same = (not job.salary.currency or not prefs.salary_currency
                or job.salary.currency == prefs.salary_currency)
        if top is not None and same and top < prefs.salary_floor:
            return False
    return True


def strongest_reason(result: MatchResult) -> str:
    """The comment of the factor adding the most points."""
    known = [f for f in result.factors.values() if f.contribution is not None and f.comment]
    if not known:
        return ""
    best = max(known, key=lambda f: (f.contribution or 0.0, f.name))
    return best.comment


def biggest_gap(result: MatchResult, impacts: Sequence[SkillImpact],
                job_key: str) -> tuple[str | None, int | None]:
    """The missing skill worth the most points on this job (measured), else the first missing
    required (then preferred) skill."""
    best: tuple[int, str] | None = None
    for s in impacts:
        points = s.per_job.get(job_key)
        if points and s.kind == "learn" and (best is None or points > best[0]):
            best = (points, s.skill)
    if best is not None:
        kind = "required" if best[1] in result.missing_required else "preferred"
        return f"{best[1]} ({kind})", best[0]
    if result.missing_required:
        return f"{result.missing_required[0]} (required)", None
    if result.missing_preferred:
        return f"{result.missing_preferred[0]} (preferred)", None
    return None, None


def compose_digest(
    *,
    period: str,
    generated: datetime,
    since: datetime,
    candidates: Sequence[ScoredJob],
    preferences: DigestPreferences,
    excluded: set[int] | frozenset[int] = frozenset(),
    excluded_groups: set[int] | frozenset[int] = frozenset(),
    changes: Sequence[DigestChange] = (),
    trends: Sequence[SkillTrend] = (),
    falling: Sequence[SkillTrend] = (),
    skills: Sequence[SkillImpact] = (),
    measured_on: int = 0,
    threshold: int = DEFAULT_THRESHOLD,
    max_matches: int = MAX_MATCHES,
    has_cv: bool = True,
    more: int = 0,
) -> Digest:
    """The digest from scored candidates (pure): filtered by threshold and preferences, never a
    job in ``excluded`` (dismissed, applied, already sent) or of a group in
    ``excluded_groups``, one job per duplicate group (the best scored, then the lowest id),
    best first (score, then id). ``more``: further eligible matches the caller left out of
    ``candidates`` (counted, not listed)."""
    kept: dict[int, ScoredJob] = {}
    for c in candidates:
        if c.result.score < threshold or c.ref in excluded or c.group in excluded_groups:
            continue
        if not passes_preferences(c.posting, preferences):
            continue
        held = kept.get(c.group)
        if held is None or (c.result.score, -c.ref) > (held.result.score, -held.ref):
            kept[c.group] = c
    ordered = sorted(kept.values(), key=lambda c: (-c.result.score, c.ref))
    matches = []
    for c in ordered[:max_matches]:
        p = c.posting
        gap, points = biggest_gap(c.result, skills, str(c.ref))
        loc = p.location
        matches.append(DigestMatch(
            job_id=p.external_id or str(c.ref), ref=c.ref, title=p.title, company=p.company,
            location=(loc.raw or None) if loc is not None else None, remote=_mode(p),
            salary=c.salary_text, url=p.url, score=c.result.score, grade=c.result.grade,
            label=c.result.label, reason=strongest_reason(c.result), gap=gap,
            gap_points=points, also_on=list(c.also_on)))
    return Digest(period=period, generated=generated, since=since, threshold=threshold,
                  matches=matches, more=max(0, len(ordered) - max_matches) + more,
                  changes=list(changes), trends=list(trends), falling=list(falling),
                  skills=list(skills), measured_on=measured_on, has_cv=has_cv)


# --------------------------------------------------------------------------- stage 1


def select_rows(
    prep: PreparedProfile,
    screening: ScreeningIndex,
    *,
    masks: Mapping[str, np.ndarray],
    k: Mapping[str, int],
    min_score: Mapping[str, float],
    weights: Weights | None = None,
    cv_vector: np.ndarray | None = None,
    vectors: Callable[[Sequence[str]], Mapping[str, np.ndarray]] | None = None,
    calibration: tuple[float, float] = DEFAULT_CALIBRATION,
) -> tuple[dict[str, list[tuple[float, str]]], np.ndarray]:
    """One screening pass of the CV over every job, then the best ``k[name]`` jobs at or above
    ``min_score[name]`` inside each boolean row mask (e.g. "new": imported since the last
    digest and not excluded; "top": every active job), as ``(score, job id)`` best first.

    The scores are the engine's (``score_many``) when the semantic factor is exact: job
    vectors in memory (``ScreeningIndex.attach_vectors``), or fetched through ``vectors`` for
    the shortlisted jobs. Also returns every job's score (lower bound where inexact) for
    relevance counts (skill trends).
    """
    semantic = cv_vector is not None and (screening.vectors is not None or vectors is not None)
    screened = screening.screen(prep, weights=weights, calibration=calibration,
                                semantic=semantic,
                                cv_vector=cv_vector if screening.vectors is not None else None)
    ids = screening.ids
    out: dict[str, list[tuple[float, str]]] = {}
    for name, mask in masks.items():
        want = k.get(name, MAX_MATCHES)
        rows = screened.shortlist(want, mask=mask, min_score=min_score.get(name, 0.0),
                                  limit=max(want * 20, 200))
        vague = [ids[r] for r in rows if not screened.exact[r]]
        if vague and semantic and vectors is not None and cv_vector is not None:
            found = vectors(vague)
            screened.set_cosines({i: float(np.dot(v, cv_vector)) for i, v in found.items()})
        values = screened.lower
        ranked = sorted(((float(values[r]), ids[r]) for r in rows), key=lambda t: (-t[0], t[1]))
        floor = min_score.get(name, 0.0)
        out[name] = [t for t in ranked if round(t[0]) >= floor][:want]
    return out, screened.lower


# --------------------------------------------------------------------------- text


def render_text(d: Digest, *, name: str = "", chat_url: str = "",
                unsubscribe_url: str = "") -> str:
    """The digest as plain text (e-mail text part, CLI, terminal chat): its card
    (``tools.digest_card``, every skill) through ``tools.card_text.digest_text``, so the text
    says what every other channel says."""
    from tools.card_text import digest_text  # the card modules import this one
    from tools.digest_card import digest_card

    return digest_text(digest_card(d, max_skills=None), name=name, chat_url=chat_url,
                       unsubscribe_url=unsubscribe_url)


def skill_line(s: SkillImpact) -> str:
    """"Kubernetes: +7 points on average on 12 of your top 30 matches (you have Docker)"."""
    why = ""
    if s.listed:
        why = " (listed, but no role shows it)"
    elif s.related:
        why = f" (you have {s.related})"
    n = "match" if s.of == 1 else "matches"
    return (f"{s.skill}: +{s.impact:g} points on average on {s.jobs} of your top {s.of} "
            f"{n}{why}")


def digest_json(d: Digest) -> dict[str, object]:
    """The public JSON form (``jobfit digest preview --format json``)."""
    data = d.model_dump(mode="json")
    data["empty"] = d.empty
    data["headline"] = d.headline()
    return data
