"""Typed domain models shared by every part of jobfit.

Everything here is plain pydantic: no I/O, no frameworks. Models are serialisable to JSON so
they can be cached, stored and snapshotted (golden files).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

# --------------------------------------------------------------------------- vocabularies

SkillCategory = Literal[
    "language", "framework", "database", "cloud", "tool", "method", "soft", "domain"
]
SkillSource = Literal["skills_section", "experience", "summary", "other"]
WorkMode = Literal["remote", "hybrid", "onsite"]
RemotePreference = Literal["remote", "hybrid", "onsite", "any"]
SalaryPeriod = Literal["year", "month", "week", "day", "hour"]
DegreeLevel = Literal["none", "high_school", "associate", "bachelor", "master", "phd"]
Seniority = Literal[
    "intern", "junior", "mid", "senior", "staff", "lead", "principal", "manager", "director",
    "executive",
]
EmploymentType = Literal[
    "full_time", "part_time", "contract", "temporary", "internship", "freelance"
]

#: Order used to compare seniorities (manager/director sit beside lead/principal tracks).
SENIORITY_RANK: dict[str, int] = {
    "intern": 0, "junior": 1, "mid": 2, "senior": 3, "staff": 4, "lead": 4, "manager": 4,
    "principal": 5, "director": 5, "executive": 6,
}
#: Order used to compare degree levels.
DEGREE_RANK: dict[str, int] = {
    "none": 0, "high_school": 1, "associate": 2, "bachelor": 3, "master": 4, "phd": 5,
}

FACTORS: tuple[str, ...] = ("skills", "experience", "location", "salary", "semantic")
ATS_FACTORS: tuple[str, ...] = ("skills", "experience", "keywords", "clarity")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


# --------------------------------------------------------------------------- small values


class Span(Model):
    """A piece of source text with character offsets into the text it came from."""

    text: str
    start: int
    end: int
    section: str | None = None  # the heading it sits under ("skills", "experience", …)


class SkillMention(Model):
    """One occurrence of a known skill in a text (the `jobfit skills` contract)."""

    name: str  # canonical name
    skill_id: str
    surface: str  # exactly text[start:end]
    start: int
    end: int
    fuzzy: bool = False


class SalaryRange(Model):
    """A salary, normalised to an annual amount in its own currency."""

    min: float | None = None  # annual
    max: float | None = None  # annual
    currency: str | None = None  # ISO 4217 ("USD", "GBP", "EUR") when known
    period: SalaryPeriod = "year"  # the period it was stated in
    raw: str = ""


class Location(Model):
    raw: str = ""
    city: str | None = None
    region: str | None = None  # state / province / county code or name
    country: str | None = None  # ISO-3166 alpha-2 when known ("US", "GB", "DE")
    remote: bool = False  # the text itself says remote / anywhere


# --------------------------------------------------------------------------- candidate


class PersonalInfo(Model):
    """Contact details. Personal data: never logged, never sent to an LLM unless needed."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    links: list[str] = Field(default_factory=list)
    personal: Literal[True] = True


class CandidateSkill(Model):
    name: str  # canonical
    skill_id: str
    category: SkillCategory | None = None
    sources: list[SkillSource] = Field(default_factory=list)
    mentions: list[Span] = Field(default_factory=list)

    @property
    def evidenced(self) -> bool:
        """True when the skill is used in an experience entry, not only listed."""
        return "experience" in self.sources


class ExperienceEntry(Model):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    start: str | None = None  # "YYYY-MM"
    end: str | None = None  # "YYYY-MM" or "present"
    bullets: list[str] = Field(default_factory=list)
    span: Span | None = None


class EducationEntry(Model):
    degree_level: DegreeLevel | None = None
    degree: str | None = None  # as written ("BSc Computer Science")
    field: str | None = None
    institution: str | None = None
    year: int | None = None


class CandidateProfile(Model):
    personal: PersonalInfo = Field(default_factory=PersonalInfo)
    headline: str | None = None  # current title / headline
    summary: str | None = None
    skills: list[CandidateSkill] = Field(default_factory=list)
    experience: list[ExperienceEntry] = Field(default_factory=list)
    total_years: float | None = None  # see years_source
    #: where total_years comes from: "dated_roles" (union of the entries' date ranges), "stated"
    #: ("10 years of experience" in the summary) or "skill_durations" (longest "Java (5 years)")
    years_source: Literal["dated_roles", "stated", "skill_durations"] | None = None
    seniority: Seniority | None = None
    education: list[EducationEntry] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    languages: list[str] = Field(default_factory=list)  # spoken languages
    location: Location | None = None
    remote_preference: RemotePreference | None = None
    salary_expectation: SalaryRange | None = None
    desired_roles: list[str] = Field(default_factory=list)
    sections: list[str] = Field(default_factory=list)  # headings recognised, in order
    text: str = Field(default="", repr=False)  # the normalised source text (personal data)
    #: where ``text`` came from in the text the user gave (``OffsetMap.shifts``; empty = same)
    text_shifts: list[tuple[int, int, int]] = Field(default_factory=list, repr=False)

    @property
    def skill_ids(self) -> set[str]:
        return {s.skill_id for s in self.skills}

    @property
    def highest_degree(self) -> DegreeLevel | None:
        best: DegreeLevel | None = None
        for e in self.education:
            if e.degree_level and (best is None or DEGREE_RANK[e.degree_level] > DEGREE_RANK[best]):
                best = e.degree_level
        return best

    def __repr__(self) -> str:  # never print CV contents by accident
        return f"CandidateProfile(skills={len(self.skills)}, experience={len(self.experience)})"

    __str__ = __repr__


# --------------------------------------------------------------------------- job


class JobSkill(Model):
    name: str  # canonical
    skill_id: str
    category: SkillCategory | None = None
    required: bool = True
    span: Span | None = None  # where the job asks for it


class JobTerm(Model):
    """A requirement the skill taxonomy does not name ("tekla structures", "home loans")."""

    name: str  # lower case, as the posting writes it
    required: bool = True
    span: Span | None = None  # where the job asks for it


class Qualifications(Model):
    degree_level: DegreeLevel | None = None
    degree_required: bool = True  # False when "or equivalent experience" / preferred
    fields: list[str] = Field(default_factory=list)
    certifications: list[str] = Field(default_factory=list)
    span: Span | None = None


class JobPosting(Model):
    title: str | None = None
    company: str | None = None
    location: Location | None = None
    work_mode: WorkMode | None = None
    employment_type: EmploymentType | None = None
    salary: SalaryRange | None = None
    experience_min: float | None = None
    experience_max: float | None = None
    experience_span: Span | None = None
    seniority: Seniority | None = None
    required_skills: list[JobSkill] = Field(default_factory=list)
    preferred_skills: list[JobSkill] = Field(default_factory=list)
    qualifications: Qualifications = Field(default_factory=Qualifications)
    keywords: list[str] = Field(default_factory=list)  # ATS salient terms, lower-case
    terms: list[JobTerm] = Field(default_factory=list)  # requirements not in the taxonomy
    posted_date: date | None = None
    description: str = ""
    text: str = Field(default="", repr=False)  # normalised full text
    external_id: str | None = None
    url: str | None = None
    source: str | None = None

    @property
    def all_skills(self) -> list[JobSkill]:
        return [*self.required_skills, *self.preferred_skills]


# --------------------------------------------------------------------------- scoring


def _weight_presets() -> dict[str, dict[str, float]]:
    data = json.loads((Path(__file__).parent / "data" / "weights.json").read_text("utf-8"))
    return {name: {k: float(v) for k, v in data[name].items()} for name in ("fitted", "balanced")}


#: The shipped weight presets (``tools/data/weights.json``): "fitted" on real labelled data (the
#: default) and "balanced" (the original seed weights).
WEIGHT_PRESETS = _weight_presets()


class Weights(Model):
    """Weights of the five factors: non-negative, summing to 1. Defaults: the "fitted" preset."""

    skills: float = WEIGHT_PRESETS["fitted"]["skills"]
    experience: float = WEIGHT_PRESETS["fitted"]["experience"]
    location: float = WEIGHT_PRESETS["fitted"]["location"]
    salary: float = WEIGHT_PRESETS["fitted"]["salary"]
    semantic: float = WEIGHT_PRESETS["fitted"]["semantic"]

    @model_validator(mode="after")
    def _check(self) -> Weights:
        values = [self.skills, self.experience, self.location, self.salary, self.semantic]
        if any(v < 0 for v in values):
            raise ValueError("weights must be non-negative")
        if abs(sum(values) - 1.0) > 1e-6:
            raise ValueError(f"weights must sum to 1 (got {sum(values):.3f})")
        return self

    @classmethod
    def preset(cls, name: str) -> Weights:
        """The "fitted" or "balanced" preset."""
        return cls(**WEIGHT_PRESETS[name])

    def as_dict(self) -> dict[str, float]:
        return {f: float(getattr(self, f)) for f in FACTORS}


class Evidence(Model):
    """Why a requirement is (partly) met: the job's ask and the CV text that answers it."""

    requirement: str  # e.g. "Kubernetes (required)"
    job_span: Span | None = None
    cv_spans: list[Span] = Field(default_factory=list)
    credit: float = 1.0  # 0..1 share of the requirement met
    note: str = ""


class FactorScore(Model):
    name: str
    score: float | None  # 0-100; None = unknown (left out, weights renormalised)
    weight: float  # nominal weight
    effective_weight: float = 0.0  # weight after renormalising over known factors
    #: points this factor adds to the overall score (effective weight × score); None if unknown
    contribution: float | None = None
    comment: str = ""
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def known(self) -> bool:
        return self.score is not None


class MatchResult(Model):
    score: int  # 0-100
    grade: str
    label: str
    recommended: bool
    profile: Literal["fitted", "balanced", "ats"] = "fitted"
    factors: dict[str, FactorScore]
    unknown_factors: list[str] = Field(default_factory=list)
    confidence: float  # 0..1, share of nominal weight that was known
    matched_required: list[str] = Field(default_factory=list)
    missing_required: list[str] = Field(default_factory=list)
    matched_preferred: list[str] = Field(default_factory=list)
    missing_preferred: list[str] = Field(default_factory=list)
    engine_version: str = ""

    def breakdown(self) -> dict[str, int | None]:
        """Sub-scores rounded to ints, None where unknown (the CLI contract's breakdown)."""
        return {
            name: (None if f.score is None else int(round(f.score)))
            for name, f in self.factors.items()
        }


GapType = Literal[
    "missing_skill", "experience_gap", "ats_keyword", "weak_evidence", "weak_wording",
    "location_mismatch", "salary_mismatch", "missing_qualification", "missing_term",
]
Severity = Literal["high", "medium", "low"]
CvSection = Literal["skills", "experience", "summary", "education", "certifications", "header"]


class Gap(Model):
    type: GapType
    severity: Severity
    target: str  # the skill / keyword / factor concerned
    message: str
    suggestion: str
    section: CvSection
    score_if_closed: int = 0
    impact: int = 0  # points gained overall if closed (score_if_closed - current score)


class GapReport(Model):
    score: int
    matched_required: list[str] = Field(default_factory=list)
    missing_required: list[str] = Field(default_factory=list)
    matched_preferred: list[str] = Field(default_factory=list)
    missing_preferred: list[str] = Field(default_factory=list)
    matched_qualifications: list[str] = Field(default_factory=list)
    missing_qualifications: list[str] = Field(default_factory=list)
    strengths: list[str] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    gaps: list[Gap] = Field(default_factory=list)  # sorted by impact, best first
    #: wording findings worth no points (a posting's term not used, a vague bullet): advice,
    #: not gaps
    notes: list[Gap] = Field(default_factory=list)

    def findings(self) -> list[Gap]:
        """Gaps, then notes."""
        return [*self.gaps, *self.notes]
