"""Gaps between a CV and a job, each with the points closing it is worth.

Impact is measured, not guessed: for every gap a counterfactual profile is built (the skill
added and shown in experience, the years reached, the location or salary aligned…) and scored
again with the same engine, weights and text vectors. ``impact`` = the score it would get minus
the current score. Gaps are sorted by impact, then severity, then name, so the list is stable.
"""

from __future__ import annotations

import re

import numpy as np

from tools.factors import DEFAULT_CALIBRATION, bullet_quality
from tools.preparation import PreparedProfile, mentions, prepare_job, prepare_profile
from tools.schemas import (
    DEGREE_RANK,
    CandidateProfile,
    CandidateSkill,
    EducationEntry,
    Gap,
    GapReport,
    JobPosting,
    Location,
    MatchResult,
    SalaryRange,
    Weights,
)
from tools.scoring import ScoringProfile, score_many, score_match
from tools.skill_uses import SPOKEN_LANGUAGES
from tools.skills import load_taxonomy

_SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2}
MAX_KEYWORD_GAPS = 8
MAX_WORDING_GAPS = 3
#: Most requirement terms (``JobPosting.terms``) checked as gaps (each is scored again).
MAX_TERM_GAPS = 8


def with_skill(profile: CandidateProfile, skill_id: str, name: str) -> CandidateProfile:
    """The CV with the skill added and shown in experience (what closing a gap means)."""
    skills = [s for s in profile.skills if s.skill_id != skill_id]
    entry = load_taxonomy().get(skill_id)
    skills.append(CandidateSkill(name=name, skill_id=skill_id,
                                 category=entry.category if entry else None,
                                 sources=["skills_section", "experience"]))
    return profile.model_copy(update={"skills": skills})


def with_evidence(profile: CandidateProfile, skill_id: str) -> CandidateProfile:
    """The CV with a listed skill shown in experience."""
    skills = [
        s.model_copy(update={"sources": [*s.sources, "experience"]})
        if s.skill_id == skill_id and "experience" not in s.sources else s
        for s in profile.skills
    ]
    return profile.model_copy(update={"skills": skills})


#: Findings about wording: when closing one is worth no points it is a note, not a gap.
WORDING_TYPES = frozenset({"ats_keyword", "weak_wording", "weak_evidence"})


def find_gaps(
    profile: CandidateProfile,
    job: JobPosting,
    *,
    result: MatchResult | None = None,
    weights: Weights | None = None,
    profile_name: ScoringProfile = "fitted",
    cv_vector: np.ndarray | None = None,
    job_vector: np.ndarray | None = None,
    calibration: tuple[float, float] = DEFAULT_CALIBRATION,
) -> GapReport:
    """Typed gaps (missing skills, experience, keywords, evidence, wording, location, salary,
    qualifications) with severity, advice and measured impact, sorted by impact."""

    prepared_job = prepare_job(job)
    job_vectors = None if job_vector is None else job_vector[None, :]

    def rescore(p: CandidateProfile) -> int:
        # the fast path: same arithmetic as score_match, no evidence built
        overall = score_many(p, [prepared_job], weights=weights, profile_name=profile_name,
                             cv_vector=cv_vector, job_vectors=job_vectors,
                             calibration=calibration)[0]
        return int(round(overall))

    if result is None:
        result = score_match(profile, job, weights, profile_name=profile_name,
                             cv_vector=cv_vector, job_vector=job_vector, calibration=calibration)
    base = result.score
    gaps: list[Gap] = []
    prep = prepare_profile(profile)

    def add(gap: Gap, counterfactual: CandidateProfile | None) -> None:
        if counterfactual is not None:
            closed = rescore(counterfactual)
            gap.score_if_closed = max(closed, base)
            gap.impact = gap.score_if_closed - base
        else:
            gap.score_if_closed = base
        gaps.append(gap)

    # ---- skills: missing, and listed-but-never-used
    seen: set[str] = set()
    for js in job.all_skills:
        if js.skill_id in seen:
            continue
        seen.add(js.skill_id)
        credit, via = prep.credit(js.skill_id)
        kind = "required" if js.required else "preferred"
        if credit < 0.5:
            via_entry = load_taxonomy().get(via) if via else None
            partial = f" (you have the related {via_entry.name})" if via_entry else ""
            add(Gap(type="missing_skill", severity="high" if js.required else "medium",
                    target=js.name, section="skills",
                    message=f"{js.name} is {kind} and not found in your CV{partial}.",
                    suggestion=missing_skill_advice(js.skill_id, js.name)),
                with_skill(profile, js.skill_id, js.name))
        elif via == js.skill_id and not prep.evidenced.get(via, False):
            add(Gap(type="weak_evidence", severity="medium" if js.required else "low",
                    target=js.name, section="experience",
                    message=f"{js.name} is listed in your skills but no role shows you using it.",
                    suggestion=f"Add a bullet to a role where you used {js.name}, "
                               "with the result."),
                with_evidence(profile, js.skill_id))

    # ---- certifications asked for
    for cert in prepared_job.certifications:
        if not mentions(prep, cert):
            add(Gap(type="missing_qualification", severity="medium", target=cert,
                    section="certifications",
                    message=f"The job asks for {cert}; your CV does not mention it.",
                    suggestion=f"List {cert} under certifications if you hold it."),
                profile.model_copy(update={
                    "certifications": [*profile.certifications, cert],
                    "text": profile.text + "\n" + cert}))

    # ---- degree
    level = job.qualifications.degree_level
    if level and level != "none":
        have = profile.highest_degree
        if have is None or DEGREE_RANK[have] < DEGREE_RANK[level]:
            field_ = ", ".join(job.qualifications.fields[:2])
            add(Gap(type="missing_qualification",
                    severity="high" if job.qualifications.degree_required else "low",
                    target=f"{level} degree", section="education",
                    message=(f"The job asks for a {level} degree"
                             + (f" in {field_}" if field_ else "")
                             + f"; your CV shows {have or 'no degree'}."),
                    suggestion="Make your highest qualification explicit in Education, or show "
                               "equivalent experience if the job accepts it."),
                profile.model_copy(update={
                    "education": [*profile.education, EducationEntry(degree_level=level)]}))

    # ---- years of experience
    years = profile.total_years
    if job.experience_min is not None and years is not None and years < job.experience_min:
        short = job.experience_min - years
        add(Gap(type="experience_gap", severity="high" if short >= 2 else "medium",
                target="years of experience", section="experience",
                message=(f"The job asks for {job.experience_min:g}+ years; your CV shows "
                         f"{years:g}."),
                suggestion="Include all relevant roles, internships and freelance work with "
                           "dates; they count towards your total."),
            profile.model_copy(update={"total_years": job.experience_min}))

    # ---- location
    loc = result.factors.get("location")
    if loc is not None and loc.score is not None and loc.score < 80:
        target_loc = job.location or Location()
        add(Gap(type="location_mismatch", severity="medium", target="location",
                section="header", message=loc.comment + ".",
                suggestion=location_advice(profile)),
            profile.model_copy(update={"location": target_loc,
                                               "remote_preference": "any"}))

    # ---- salary
    sal = result.factors.get("salary")
    if sal is not None and sal.score is not None and sal.score < 100 and job.salary:
        top = job.salary.max if job.salary.max is not None else job.salary.min
        add(Gap(type="salary_mismatch", severity="medium" if sal.score < 50 else "low",
                target="salary", section="header", message=sal.comment + ".",
                suggestion="Check whether the range is negotiable or adjust your expectation."),
            profile.model_copy(update={"salary_expectation": SalaryRange(
                min=top, max=top, currency=job.salary.currency if job.salary else None)}))

    # ---- requirement terms the taxonomy does not name, not stated in the CV
    terms = [*prepared_job.required_terms, *prepared_job.preferred_terms]
    for term in [t for t in terms if prep.term_credit(t.name) < 1][:MAX_TERM_GAPS]:
        add(*term_gap(profile, term.name, term.required))

    # ---- ATS keywords missing from the CV text (skills and terms already covered above)
    skill_names = {s.name.lower() for s in job.all_skills} | {t.name for t in terms}
    missing_kw = [k for k in job.keywords
                  if k not in skill_names and not is_currency_code(k) and not mentions(prep, k)]
    for kw in missing_kw[:MAX_KEYWORD_GAPS]:
        add(Gap(type="ats_keyword", severity="low", target=kw, section="summary",
                message=f"The posting uses the term “{kw}”; your CV does not.",
                suggestion=f"If it describes your work, use the words “{kw}” where it fits."),
            profile.model_copy(update={"text": profile.text + "\n" + kw}))

    # ---- wording of experience bullets
    weak = [b for e in profile.experience for b in e.bullets if bullet_quality(b)[1]]
    for bullet in weak[:MAX_WORDING_GAPS]:
        short_b = bullet if len(bullet) <= 60 else bullet[:57] + "…"
        add(Gap(type="weak_wording", severity="low", target=short_b, section="experience",
                message=f"“{short_b}” says what you were responsible for, not what you achieved.",
                suggestion="Start with a strong verb and add a measurable result "
                           "(numbers, %, time or money saved)."), None)

    for g in gaps:  # a term worth no points is a wording note, like a posting's keyword
        if g.type == "missing_term" and g.impact <= 0:
            g.type, g.severity = "ats_keyword", "low"
    gaps.sort(key=lambda g: (-g.impact, _SEVERITY_ORDER[g.severity], g.type, g.target))
    notes = [g for g in gaps if g.impact <= 0 and g.type in WORDING_TYPES]
    gaps = [g for g in gaps if not (g.impact <= 0 and g.type in WORDING_TYPES)]
    return GapReport(
        score=base,
        matched_required=result.matched_required,
        missing_required=result.missing_required,
        matched_preferred=result.matched_preferred,
        missing_preferred=result.missing_preferred,
        matched_qualifications=_matched_qualifications(prep, job),
        missing_qualifications=[g.target for g in gaps if g.type == "missing_qualification"],
        strengths=_strengths(result),
        recommendations=[g.suggestion for g in gaps if g.impact > 0][:3]
        or [g.suggestion for g in gaps][:3],
        gaps=gaps,
        notes=notes,
    )


def term_gap(profile: CandidateProfile, name: str,
             required: bool) -> tuple[Gap, CandidateProfile]:
    """The gap of a requirement term the CV does not state, and the CV that states it."""
    kind = "asks for" if required else "would like"
    gap = Gap(type="missing_term", severity="high" if required else "medium", target=name,
              section="skills", message=f"The job {kind} “{name}”; your CV does not state it.",
              suggestion=f"If you have done or used “{name}”, say so in those words in a role "
                         "or your skills.")
    return gap, profile.model_copy(update={"text": profile.text + "\n" + name})


def missing_skill_advice(skill_id: str, name: str) -> str:
    """What to do about a skill the CV lacks: a spoken language is stated with a level, a soft
    skill is shown with an example; a technical skill is added if used, else learnt."""
    entry = load_taxonomy().get(skill_id)
    if skill_id in SPOKEN_LANGUAGES:
        return (f"If you speak {name}, list it under Languages with your level "
                "(e.g. native, fluent, B2).")
    if entry is not None and entry.category == "soft":
        return (f"If {name.lower()} is one of your strengths, show it with an example in a role "
                "(what you did and what came of it) rather than listing the word.")
    return (f"If you have used {name}, add it to your skills and show it in an experience "
            "bullet; otherwise consider learning it.")


#: A CV that says it is open to relocating ("willing to relocate", "open to relocation").
_RELOCATE = re.compile(r"\b(?:willing|open|happy|able|prepared|ready)\s+to\s+relocat\w*|"
                       r"\bopen\s+to\s+relocation\b|\brelocation\s*:\s*(?:yes|open)\b",
                       re.IGNORECASE)


def location_advice(profile: CandidateProfile) -> str:
    if _RELOCATE.search(profile.text or ""):
        return ("Your CV already says you are open to relocating; if this location or work "
                "mode suits you, say so in your cover letter too.")
    return "State whether you are open to relocating or to the job's work mode."


#: ISO 4217 codes of the currencies salaries are quoted in: never a keyword to add to a CV.
CURRENCY_CODES = frozenset(
    "usd cad aud nzd sgd hkd brl mxn gbp eur jpy cny rmb inr krw ils rub ngn pln czk chf "
    "sek nok dkk zar aed huf ron sar".split())  # not "try", "php": words and skills too


def is_currency_code(term: str) -> bool:
    return term.strip().lower() in CURRENCY_CODES


def _matched_qualifications(prep: PreparedProfile, job: JobPosting) -> list[str]:
    out: list[str] = []
    level = job.qualifications.degree_level
    have = prep.profile.highest_degree
    if level and level != "none" and have and DEGREE_RANK[have] >= DEGREE_RANK[level]:
        out.append(f"{level} degree")
    out += [c for c in job.qualifications.certifications if mentions(prep, c)]
    return out


def _strengths(result: MatchResult) -> list[str]:
    out: list[str] = []
    if result.matched_required:
        out.append("Matches required skills: " + ", ".join(result.matched_required[:6]))
    for name, f in result.factors.items():
        if name != "skills" and f.score is not None and f.score >= 85:
            out.append(f"{name.capitalize()}: {f.comment}")
    return out
