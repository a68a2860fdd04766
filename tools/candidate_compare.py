"""Side by side: 2-5 ranked candidates for one job, as a table, Markdown and CSV.

Built only from the engine's results for the neutral CV texts (:mod:`tools.candidates`), so
nothing here can show a name, contact detail, age or gender; a candidate's label is anonymous
until the recruiter opens (reveals) them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from pydantic import BaseModel, Field

from tools.candidates import CandidateRow
from tools.errors import InvalidInputError
from tools.schemas import FACTORS, JobPosting

MIN_COMPARED, MAX_COMPARED = 2, 5
_YEARS_FROM = {"dated_roles": "dated roles", "stated": "stated in the CV",
               "skill_durations": "longest skill duration"}


class ComparedCandidate(BaseModel):
    label: str
    cv_id: str
    revealed: bool = False
    rank: int
    score: int
    grade: str
    confidence: float | None = None
    factors: dict[str, int | None] = Field(default_factory=dict)
    must_met: list[str] = Field(default_factory=list)
    must_missing: list[str] = Field(default_factory=list)
    years: float | None = None
    years_from: str = ""
    #: where the evidence is: "Python → experience: “Built payment jobs in Python…”"
    evidence: list[str] = Field(default_factory=list)
    strongest: str = ""
    biggest_gap: str = ""


class Comparison(BaseModel):
    job_title: str = ""
    candidates: list[ComparedCandidate]
    blind: bool = True

    @property
    def must_total(self) -> int:
        return max((len(c.must_met) + len(c.must_missing) for c in self.candidates), default=0)


def compare_rows(rows: Sequence[CandidateRow], job: JobPosting | None = None,
                 *, evidence_items: int = 5) -> Comparison:
    """The comparison of 2-5 explained rows (``rank_candidates(..., explain=...)``)."""
    if not MIN_COMPARED <= len(rows) <= MAX_COMPARED:
        raise InvalidInputError(
            f"Compare {MIN_COMPARED} to {MAX_COMPARED} candidates (got {len(rows)}).")
    out = []
    for row in rows:
        result = row.result
        if result is None:
            raise InvalidInputError("Every compared candidate needs a full score.")
        profile = row.candidate.profile
        evidence: list[str] = []
        for ev in result.factors["skills"].evidence if "skills" in result.factors else []:
            if not ev.cv_spans or ev.credit <= 0:
                continue
            span = ev.cv_spans[0]
            snippet = " ".join(span.text.split())
            snippet = snippet if len(snippet) <= 60 else snippet[:57] + "..."
            evidence.append(f"{ev.requirement} → {span.section or 'text'}: “{snippet}”")
            if len(evidence) >= evidence_items:
                break
        out.append(ComparedCandidate(
            label=row.candidate.label, cv_id=row.candidate.cv_id,
            revealed=row.candidate.revealed, rank=row.rank, score=row.score, grade=row.grade,
            confidence=row.confidence,
            factors={n: v for n, v in result.breakdown().items() if n in FACTORS},
            must_met=row.must_met, must_missing=row.must_missing,
            years=profile.total_years, years_from=_YEARS_FROM.get(profile.years_source or "", ""),
            evidence=evidence, strongest=row.strongest, biggest_gap=row.biggest_gap))
    title = " — ".join(x for x in (job.title, job.company) if x) if job is not None else ""
    return Comparison(job_title=title, candidates=out,
                      blind=not any(c.revealed for c in out))


def _years(c: ComparedCandidate) -> str:
    if c.years is None:
        return "unknown"
    return f"{c.years:g}" + (f" ({c.years_from})" if c.years_from else "")


def _cell(value: int | None) -> str:
    return "unknown" if value is None else str(value)


def _table(cmp: Comparison) -> list[tuple[str, list[str]]]:
    total = cmp.must_total
    lines: list[tuple[str, list[str]]] = [
        ("rank", [str(c.rank) for c in cmp.candidates]),
        ("score", [f"{c.score} ({c.grade})" for c in cmp.candidates]),
        ("confidence", ["" if c.confidence is None else f"{c.confidence:.0%}"
                        for c in cmp.candidates]),
    ]
    lines += [(f, [_cell(c.factors.get(f)) for c in cmp.candidates]) for f in FACTORS]
    lines += [
        ("must-haves met", [f"{len(c.must_met)}/{total}" for c in cmp.candidates]),
        ("missing", [", ".join(c.must_missing) or "none" for c in cmp.candidates]),
        ("years", [_years(c) for c in cmp.candidates]),
        ("strongest", [c.strongest for c in cmp.candidates]),
        ("biggest gap", [c.biggest_gap or "none" for c in cmp.candidates]),
        ("evidence", ["; ".join(c.evidence) or "none" for c in cmp.candidates]),
    ]
    return lines


def comparison_markdown(cmp: Comparison) -> str:
    """A Markdown table: one column per candidate, one row per factor / fact."""
    def esc(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    head = "| | " + " | ".join(esc(c.label) for c in cmp.candidates) + " |"
    rule = "|---|" + "---|" * len(cmp.candidates)
    body = [f"| {name} | " + " | ".join(esc(v) for v in values) + " |"
            for name, values in _table(cmp)]
    title = f"**Candidates for {esc(cmp.job_title)}**" if cmp.job_title else "**Candidates**"
    note = ("_Blind screening: names, contact details, age, gender and addresses are hidden._"
            if cmp.blind else "")
    return "\n".join(x for x in [title, "", head, rule, *body, "", note] if x is not None).strip()


def comparison_csv(cmp: Comparison) -> str:
    """CSV: one row per candidate, one column per factor / fact."""
    table = _table(cmp)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["candidate", *(name for name, _ in table)])
    for i, c in enumerate(cmp.candidates):
        writer.writerow([c.label, *(values[i] for _, values in table)])
    return buf.getvalue()


def rows_markdown(rows: Sequence[CandidateRow], *, job_title: str = "",
                  blind: bool = True) -> str:
    """A ranked list as Markdown (chat answers, exports)."""
    out = [f"**Candidates for {job_title}**" if job_title else "**Candidates**", "",
           "| # | candidate | score | strongest | biggest gap | must-haves | confidence |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        must = f"{len(r.must_met)}/{len(r.must_met) + len(r.must_missing)}"
        conf = "" if r.confidence is None else f"{r.confidence:.0%}"
        label = r.candidate.label + (f" ({r.tie})" if r.tie else "")
        out.append(f"| {r.rank} | {label} | {r.score} {r.grade} | {r.strongest} | "
                   f"{r.biggest_gap or 'none'} | {must} | {conf} |".replace("\n", " "))
    if blind:
        out += ["", "_Blind screening is on: open a candidate to see who they are._"]
    return "\n".join(out)
