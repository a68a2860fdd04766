"""What a user should add to their CV or learn, and which skills their jobs ask for more often.

:func:`skill_impacts` aggregates the engine's own counterfactual re-scoring (the same one
``tools.gaps.find_gaps`` measures a gap's impact with) over a set of the user's matches: for
every skill those jobs ask for that the CV lacks — or lists without showing it used — the CV is
changed (the skill added and shown in experience, or the listed skill shown in experience),
every job asking for it is scored again, and the points gained are summed and averaged. So
"Kubernetes: +7 points on average on 12 of your 30 top matches" is measured, not guessed, and
each per-job figure equals the ``impact`` of that job's gap in ``find_gaps``.

Skills are split the way a person acts on them: ``"show"`` — you may already have it (it is
listed but no role shows it used, or the CV has a closely related skill): show it in your CV;
``"learn"`` — nothing in the CV comes close.

:func:`skill_trends` counts the skills of the jobs relevant to a user in this period and the
previous one. Both are deterministic: same input, same output, ties broken by skill id.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from tools.factors import DEFAULT_CALIBRATION
from tools.gaps import with_evidence, with_skill
from tools.preparation import PreparedJob, PreparedProfile, prepare_job, prepare_profile
from tools.schemas import CandidateProfile, JobPosting, Weights
from tools.scoring import score_many
from tools.skills import load_taxonomy

ImpactKind = Literal["show", "learn"]
TrendDirection = Literal["new", "rising", "falling", "steady"]


@dataclass(frozen=True)
class ImpactJob:
    """One of the user's matches as :func:`skill_impacts` needs it: an id, the parsed posting
    and (optional) the job's text vector, used exactly as the engine uses it."""

    job_id: str
    posting: JobPosting
    vector: np.ndarray | None = None
    prepared: PreparedJob | None = None  # the posting prepared once (reused across CVs)


class SkillImpact(BaseModel):
    """One skill to show or learn, with its measured effect on the user's matches."""

    model_config = ConfigDict(extra="forbid")

    skill_id: str
    skill: str  # display name
    kind: ImpactKind
    impact: float  # average points gained on the jobs it raises (one decimal)
    jobs: int  # how many of the matches it raises
    of: int  # how many matches were measured
    total: int  # points gained summed over those jobs
    best: int  # the largest gain on one job
    related: str | None = None  # the CV skill that comes close ("show": related skill)
    listed: bool = False  # "show": listed in the CV, not shown used
    per_job: dict[str, int] = Field(default_factory=dict)  # job id -> points gained


class SkillTrend(BaseModel):
    """How often a skill is asked for by the user's relevant jobs, now and before."""

    model_config = ConfigDict(extra="forbid")

    skill_id: str
    skill: str
    count: int  # jobs this period asking for it
    previous: int  # jobs the previous period
    change: int  # count - previous
    direction: TrendDirection


def _changed(prep: PreparedProfile, profile: CandidateProfile,
             skill_id: str) -> PreparedProfile:
    """``prepare_profile(profile)`` for a counterfactual that only adds or evidences one skill:
    the text, titles and place are unchanged, so their derived data (term vector, titles,
    occupations) is reused and only the skill data is recomputed."""
    return dataclasses.replace(prep, profile=profile,
                               evidenced={**prep.evidenced, skill_id: True}, _credit={},
                               _child_of=None, _by_parent={}, _spans={})


def _rounded_scores(profile: CandidateProfile | PreparedProfile, jobs: Sequence[ImpactJob],
                    prepared: Sequence[PreparedJob], *, weights: Weights | None,
                    cv_vector: np.ndarray | None,
                    calibration: tuple[float, float]) -> list[int]:
    """The engine's rounded scores; a job without a vector is scored without the embedding,
    one with a vector exactly as ``score_match(cv_vector=..., job_vector=...)``."""
    out = [0] * len(jobs)
    with_vec = [i for i, j in enumerate(jobs) if j.vector is not None and cv_vector is not None]
    without = [i for i in range(len(jobs)) if i not in set(with_vec)]
    if with_vec:
        matrix = np.stack([jobs[i].vector for i in with_vec])  # type: ignore[misc]
        values = score_many(profile, [prepared[i] for i in with_vec], weights=weights,
                            cv_vector=cv_vector, job_vectors=matrix, calibration=calibration)
        for i, v in zip(with_vec, values, strict=True):
            out[i] = int(round(v))
    if without:
        values = score_many(profile, [prepared[i] for i in without], weights=weights,
                            calibration=calibration)
        for i, v in zip(without, values, strict=True):
            out[i] = int(round(v))
    return out


def skill_impacts(
    profile: CandidateProfile,
    matches: Sequence[ImpactJob],
    *,
    weights: Weights | None = None,
    cv_vector: np.ndarray | None = None,
    calibration: tuple[float, float] = DEFAULT_CALIBRATION,
    limit: int = 10,
    max_skills: int = 20,
) -> list[SkillImpact]:
    """The skills that would raise the most of these matches, with the measured gain.

    For each skill the jobs ask for that the CV lacks (credit below one half) or lists without
    evidence, the CV is changed as ``tools.gaps.find_gaps`` changes it and every job asking
    for the skill is re-scored by the engine; a job's gain is ``max(new, current) - current``
    (rounded scores), exactly that job's gap ``impact``.

    Args:
        profile: the user's parsed CV.
        matches: the jobs to measure on (typically the user's top 30 matches), each with its
            text vector when the semantic factor should count (``cv_vector`` too).
        weights: the scoring weights (default: the engine's).
        cv_vector: the CV's text vector (None: the semantic factor uses shared words only).
        calibration: the embedder's cosine calibration.
        limit: how many skills to return (best first).
        max_skills: how many candidate skills to measure (the most asked for first), a bound
            on the cost (one re-scoring per skill).

    Returns:
        Up to ``limit`` :class:`SkillImpact`, by total points gained, then average gain, then
        skill id; skills that raise no match are left out.
    """
    if not matches:
        return []
    prep = prepare_profile(profile)
    prepared: list[PreparedJob | None] = [m.prepared for m in matches]

    def scores(p: PreparedProfile, rows: Sequence[int]) -> list[int]:
        for i in rows:
            if prepared[i] is None:
                prepared[i] = prepare_job(matches[i].posting)
        return _rounded_scores(p, [matches[i] for i in rows],
                               [prepared[i] for i in rows],  # type: ignore[misc]
                               weights=weights, cv_vector=cv_vector, calibration=calibration)

    asked: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for i, m in enumerate(matches):
        seen: set[str] = set()
        for js in m.posting.all_skills:
            if js.skill_id in seen:
                continue
            seen.add(js.skill_id)
            asked.setdefault(js.skill_id, []).append(i)
            names.setdefault(js.skill_id, js.name)
    candidates: list[tuple[str, ImpactKind, str | None, bool]] = []
    for sid in asked:
        credit, via = prep.credit(sid)
        if credit < 0.5:
            candidates.append((sid, "show" if via else "learn", via, False))
        elif via == sid and not prep.evidenced.get(sid, False):
            candidates.append((sid, "show", None, True))
    candidates.sort(key=lambda c: (-len(asked[c[0]]), c[0]))
    base = scores(prep, range(len(matches)))
    taxonomy = load_taxonomy()
    out: list[SkillImpact] = []
    for sid, kind, via, listed in candidates[:max_skills]:
        rows = asked[sid]
        changed = _changed(prep, with_evidence(profile, sid) if listed
                           else with_skill(profile, sid, names[sid]), sid)
        new = scores(changed, rows)
        gains = {matches[i].job_id: max(n, base[i]) - base[i]
                 for i, n in zip(rows, new, strict=True)}
        raised = {k: v for k, v in gains.items() if v > 0}
        if not raised:
            continue
        total = sum(raised.values())
        via_entry = taxonomy.get(via) if via else None
        out.append(SkillImpact(
            skill_id=sid, skill=names[sid], kind=kind,
            impact=round(total / len(raised), 1), jobs=len(raised), of=len(matches),
            total=total, best=max(raised.values()),
            related=via_entry.name if via_entry is not None else None, listed=listed,
            per_job=dict(sorted(raised.items()))))
    out.sort(key=lambda s: (-s.total, -s.impact, s.skill_id))
    return out[:limit]


def skill_trends(current: Sequence[Sequence[str]], previous: Sequence[Sequence[str]], *,
                 top: int = 10, min_change: int = 1) -> list[SkillTrend]:
    """The skills most asked for by this period's jobs (one list of skill ids per job), with
    the count of the previous period and the direction: "new" (none before), "rising" /
    "falling" (changed by at least ``min_change`` jobs) or "steady". Best ``top`` by count,
    then by rise, then by skill id."""
    return trends_from_counts(_count(current), _count(previous), top=top, min_change=min_change)


def falling_skills(current: Sequence[Sequence[str]], previous: Sequence[Sequence[str]], *,
                   top: int = 3) -> list[SkillTrend]:
    """The skills asked for less than in the previous period, biggest drop first."""
    return falling_from_counts(_count(current), _count(previous), top=top)


def _count(jobs: Sequence[Sequence[str]]) -> Counter[str]:
    return Counter(s for skills in jobs for s in set(skills))


def trends_from_counts(now: Mapping[str, int], before: Mapping[str, int], *, top: int = 10,
                       min_change: int = 1) -> list[SkillTrend]:
    """:func:`skill_trends` from counts of jobs per skill id (this period, the previous)."""
    taxonomy = load_taxonomy()
    out = []
    for sid, count in now.items():
        if count <= 0:
            continue
        prev = before.get(sid, 0)
        change = count - prev
        direction: TrendDirection = (
            "new" if prev == 0 else "rising" if change >= min_change
            else "falling" if -change >= min_change else "steady")
        entry = taxonomy.get(sid)
        out.append(SkillTrend(skill_id=sid, skill=entry.name if entry else sid, count=count,
                              previous=prev, change=change, direction=direction))
    out.sort(key=lambda t: (-t.count, -t.change, t.skill_id))
    return out[:top]


def falling_from_counts(now: Mapping[str, int], before: Mapping[str, int], *,
                        top: int = 3) -> list[SkillTrend]:
    """:func:`falling_skills` from counts of jobs per skill id."""
    taxonomy = load_taxonomy()
    out = []
    for sid, prev in before.items():
        count = now.get(sid, 0)
        if count < prev:
            entry = taxonomy.get(sid)
            out.append(SkillTrend(skill_id=sid, skill=entry.name if entry else sid, count=count,
                                  previous=prev, change=count - prev, direction="falling"))
    out.sort(key=lambda t: (t.change, t.skill_id))
    return out[:top]
