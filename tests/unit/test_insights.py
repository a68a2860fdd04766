"""tools/insights.py: skill impacts aggregated over many jobs' gap reports."""

from __future__ import annotations

from tools.gaps import find_gaps
from tools.insights import skill_impacts
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.schemas import Gap, GapReport

CV = parse_cv("Jane Roe\nBackend developer\nSkills: Python, SQL\nExperience\n"
              "Developer, Foo (2016 - 2024)\n- Built Python services")


def _gap(target: str, impact: int, severity: str = "high") -> Gap:
    return Gap(type="missing_skill", severity=severity, target=target, message=f"no {target}",
               suggestion="", section="skills", impact=impact)


def test_aggregates_points_jobs_and_required_counts() -> None:
    reports = [
        GapReport(score=60, gaps=[_gap("Docker", 5), _gap("Kafka", 2, "medium")]),
        GapReport(score=55, gaps=[_gap("Docker", 4), _gap("AWS", 8)]),
        GapReport(score=70, gaps=[_gap("Kafka", 1, "medium"),
                                  Gap(type="experience_gap", severity="high", target="years",
                                      message="", suggestion="", section="experience",
                                      impact=9)]),
    ]
    out = skill_impacts(reports)
    assert [(s.skill, s.impact, s.jobs, s.required, s.best) for s in out] == [
        ("Docker", 9, 2, 2, 5), ("AWS", 8, 1, 1, 8), ("Kafka", 3, 2, 0, 2)]
    assert out[0].average == 4.5
    assert skill_impacts(reports, top=1)[0].skill == "Docker"


def test_real_gap_reports_from_the_engine() -> None:
    jobs = [parse_job("Backend Engineer\nAcme\nRequirements: Python, Docker, Kubernetes"),
            parse_job("Platform Engineer\nGlobex\nRequirements: Docker, Terraform, Python")]
    out = skill_impacts([find_gaps(CV, j) for j in jobs])
    by = {s.skill: s for s in out}
    assert "Docker" in by and by["Docker"].jobs == 2
    assert by["Docker"].impact == max(s.impact for s in out)
