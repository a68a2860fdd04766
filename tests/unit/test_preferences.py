"""tools/preferences.py: the one preference filter of every list, and preferences as the
engine's expectations (the location and salary sub-scores compare them)."""

from __future__ import annotations

from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.preferences import (
    JobPreferences,
    apply_preferences,
    expectations_key,
    hidden_reason,
    with_expectations,
)
from tools.scoring import score_match

REMOTE = parse_job("Python Developer\nAcme\nRemote\nSalary: $120,000 - $140,000 a year\n"
                   "Requirements: Python, Django")
CHICAGO = parse_job("Python Developer\nGlobex\nLocation: Chicago, IL\nOn-site role\nSalary: "
                    "$60,000 - $70,000 a year\nRequirements: Python, Django")
MADRID_HYBRID = parse_job("Python Developer\nInitech\nLocation: Madrid, Spain\nHybrid\n"
                          "Requirements: Python, Django")
CV = parse_cv("Jane Roe\nPython developer\nSkills: Python, Django, SQL\nExperience\n"
              "Developer, Foo (2018 - 2024)")


def test_remote_only_keeps_only_known_remote_jobs() -> None:
    assert (CHICAGO.work_mode, MADRID_HYBRID.work_mode) == ("onsite", "hybrid")
    prefs = JobPreferences.of(remote="remote")
    assert hidden_reason(REMOTE, prefs) is None
    assert hidden_reason(CHICAGO, prefs) == "work_mode"
    assert hidden_reason(MADRID_HYBRID, prefs) == "work_mode"
    kept, hidden = apply_preferences([REMOTE, CHICAGO, MADRID_HYBRID], prefs, lambda j: j)
    assert kept == [REMOTE] and hidden == {"work_mode": 2}


def test_salary_floor_hides_only_jobs_known_to_pay_less() -> None:
    prefs = JobPreferences.of(salary_floor=90000)
    assert hidden_reason(CHICAGO, prefs) == "salary"
    assert hidden_reason(REMOTE, prefs) is None
    assert hidden_reason(MADRID_HYBRID, prefs) is None  # no salary stated: not hidden


def test_locations_and_blocked_companies() -> None:
    prefs = JobPreferences.of(locations=["Madrid"])
    assert hidden_reason(MADRID_HYBRID, prefs) is None
    assert hidden_reason(CHICAGO, prefs) == "location"
    assert hidden_reason(REMOTE, prefs) is None  # remote work is anywhere
    assert hidden_reason(CHICAGO, JobPreferences.of(blocked_companies=["globex"])) == "company"
    assert JobPreferences.of(remote="hybrid").describe() == ["hybrid or remote"]
    assert not JobPreferences.of(remote="any").active and not JobPreferences().active


def test_expectations_feed_the_location_and_salary_sub_scores() -> None:
    plain = score_match(CV, CHICAGO)
    assert plain.factors["salary"].score is None  # nothing to compare
    prefs = JobPreferences.of(remote="remote", salary_floor=90000)
    expected = with_expectations(CV, prefs)
    assert expected.remote_preference == "remote" and expected.salary_expectation is not None
    scored = score_match(expected, CHICAGO)
    assert scored.factors["salary"].score is not None and scored.factors["salary"].score < 50
    assert "salary" not in scored.unknown_factors
    assert score_match(expected, REMOTE).factors["salary"].score == 100
    assert expectations_key(prefs) != expectations_key(JobPreferences.of(remote="remote"))
    assert expectations_key(JobPreferences()) == "" and with_expectations(CV, JobPreferences()) \
        is CV
