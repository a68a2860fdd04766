"""Gap advice fits the gap: languages are stated, soft skills shown, relocation not asked again,
currency codes never missing keywords (issue 13)."""

from __future__ import annotations

from tools.gaps import find_gaps, is_currency_code
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.schemas import GapReport
from tools.tailoring.effect import posting_terms

CV = """Dana Levi
dana@example.com | Berlin, Germany
Willing to relocate.

Skills
Python, SQL, Docker

Experience
Backend Engineer | Acme GmbH | Jan 2019 - Present
- Built Python services that cut response times by 40%.
"""

JOB = """Backend Engineer - Tel Aviv, Israel (on-site)

Requirements
- Python and SQL
- Kubernetes
- Fluent Hebrew is a plus; English required
- Excellent communication skills
- Leadership

Salary: 30,000-40,000 ILS per month
"""


def _report() -> GapReport:
    return find_gaps(parse_cv(CV), parse_job(JOB))


def test_soft_skills_and_languages_are_not_learn_it_items() -> None:
    gaps = {g.target: g for g in [*_report().gaps, *_report().notes]
            if g.type == "missing_skill"}
    assert "Kubernetes" in gaps and "learning it" in gaps["Kubernetes"].suggestion
    soft = [g for name, g in gaps.items() if name in ("Communication", "Leadership")]
    assert soft, sorted(gaps)
    for g in soft:
        assert "learn" not in g.suggestion and "example in a role" in g.suggestion
    assert "learn" not in gaps["English"].suggestion
    assert "Languages with your level" in gaps["English"].suggestion


def test_a_cv_open_to_relocating_is_not_told_to_say_so() -> None:
    report = _report()
    loc = [g for g in [*report.gaps, *report.notes] if g.type == "location_mismatch"]
    assert loc, [g.type for g in report.gaps]
    assert "already says you are open to relocating" in loc[0].suggestion
    assert "State whether" not in loc[0].suggestion
    plain = find_gaps(parse_cv(CV.replace("Willing to relocate.\n", "")), parse_job(JOB))
    loc2 = [g for g in [*plain.gaps, *plain.notes] if g.type == "location_mismatch"]
    assert loc2 and loc2[0].suggestion.startswith("State whether")


def test_currency_codes_are_never_missing_keywords() -> None:
    job = parse_job(JOB)
    report = find_gaps(parse_cv(CV), job)
    targets = {g.target.lower() for g in [*report.gaps, *report.notes] if g.type == "ats_keyword"}
    assert not {t for t in targets if is_currency_code(t)}
    assert not [t for t in posting_terms(job) if is_currency_code(t)]
    assert is_currency_code("ILS") and is_currency_code(" eur ")
    assert not is_currency_code("PHP") and not is_currency_code("try")
