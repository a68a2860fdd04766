"""Which skills would raise a user's scores most, across their matches.

:func:`skill_impacts` aggregates the counterfactual impacts the gap finder measured for each job
(``Gap.impact``: points the score gains if the skill were shown in the CV) over many jobs: per
skill, the points added in total, on how many jobs, and how often it is required. Pure: the
numbers come from the deterministic engine (tools/gaps.py), never from a model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from tools.schemas import GapReport

#: Gap types that name a skill the CV lacks or does not show.
SKILL_GAPS = ("missing_skill", "weak_evidence")


@dataclass(frozen=True)
class SkillImpact:
    """One skill, aggregated over the jobs considered."""

    skill: str
    impact: int  # points added in total over those jobs
    jobs: int  # on how many of them it adds points
    required: int  # in how many of them it is required ("high" severity)
    best: int  # the most points it adds to one job

    @property
    def average(self) -> float:
        return self.impact / self.jobs if self.jobs else 0.0


def skill_impacts(reports: Iterable[GapReport], *, top: int = 10) -> list[SkillImpact]:
    """Skills ranked by the points they would add over these gap reports (one per job):
    total impact first, then the number of jobs, then the name."""
    total: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    for report in reports:
        seen: set[str] = set()
        for gap in report.gaps:
            if gap.type not in SKILL_GAPS or gap.impact <= 0:
                continue
            key = gap.target.casefold()
            if key in seen:
                continue
            seen.add(key)
            names.setdefault(key, gap.target)
            row = total.setdefault(key, [0, 0, 0, 0])
            row[0] += gap.impact
            row[1] += 1
            row[2] += 1 if gap.severity == "high" else 0
            row[3] = max(row[3], gap.impact)
    ranked = sorted(total.items(), key=lambda kv: (-kv[1][0], -kv[1][1], kv[0]))
    return [SkillImpact(skill=names[k], impact=v[0], jobs=v[1], required=v[2], best=v[3])
            for k, v in ranked[:max(0, top)]]
