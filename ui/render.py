"""The CLI's terminal reports (rich). Score reports and job lists are built as cards
(``tools/cards.py``) and rendered by ``ui/renderers/terminal.py``, like every other channel;
profiles, parsed postings, stats and import summaries are printed here."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tools import cards
from tools.cards import JobRef
from tools.money import format_money
from tools.schemas import CandidateProfile, GapReport, JobPosting, MatchResult
from ui.renderers import terminal


def _console() -> Console:
    return terminal.console()


def job_ref(job: JobPosting | None) -> JobRef:
    """The card's view of a parsed posting (title, company, where, work mode, salary)."""
    if job is None:
        return JobRef()
    return JobRef(job_id=job.external_id, title=job.title or "Untitled job",
                  company=job.company or "", location=job.location.raw if job.location else "",
                  remote=job.work_mode or "", salary=job.salary.raw if job.salary else "",
                  url=job.url or "")


def print_score(result: MatchResult, report: GapReport, *, job: JobPosting | None = None,
                console: Console | None = None, top_gaps: int = 6) -> None:
    """The score report of one analysis, rendered from its score card."""
    card = cards.score_card(result, report, job=job_ref(job), top=top_gaps)
    terminal.print_score_card(card, console or _console(), top_gaps=top_gaps)


def print_profile(profile: CandidateProfile, console: Console | None = None) -> None:
    con = console or _console()
    p = profile.personal
    con.print(Text(p.name or "(name not found)", style="bold"),
              Text(f"  {profile.headline or ''}", style="cyan"))
    rows = [
        ("Contact", ", ".join(x for x in (p.email, p.phone) if x) or "—"),
        ("Location", profile.location.raw if profile.location else "—"),
        ("Experience", f"{profile.total_years:g} years" if profile.total_years is not None
         else "unknown"),
        ("Seniority", profile.seniority or "unknown"),
        ("Remote", profile.remote_preference or "not stated"),
        ("Salary", profile.salary_expectation.raw if profile.salary_expectation else "not stated"),
        ("Education", "; ".join(" ".join(x for x in (e.degree or e.degree_level or "", e.field
                                                      or "", e.institution or "") if x)
                                for e in profile.education) or "—"),
        ("Certifications", ", ".join(profile.certifications) or "—"),
        ("Languages", ", ".join(profile.languages) or "—"),
        ("Skills", ", ".join(f"{s.name}{'' if s.evidenced else '*'}" for s in profile.skills)
         or "—"),
    ]
    table = Table(show_header=False, box=None)
    for k, v in rows:
        table.add_row(Text(k, style="bold"), v)
    con.print(table)
    for e in profile.experience:
        when = f"{e.start or '?'} – {e.end or '?'}"
        con.print(Text.assemble(("  • ", "dim"), (e.title or "?", "bold"),
                                f" at {e.company or '?'}", (f"  {when}", "dim"),
                                (f"  ({len(e.bullets)} bullets)", "dim")))
    con.print(Text("* listed but not shown in an experience entry", style="dim"))


def print_job(job: JobPosting, console: Console | None = None) -> None:
    con = console or _console()
    con.print(Text(job.title or "(title not found)", style="bold"),
              Text(f"  {job.company or ''}", style="cyan"))
    sal = job.salary
    rows = [
        ("Location", job.location.raw if job.location else "—"),
        ("Work mode", job.work_mode or "not stated"),
        ("Type", job.employment_type or "not stated"),
        ("Salary", f"{format_money(sal.min or 0, sal.currency)}–"
         f"{format_money(sal.max or sal.min or 0, sal.currency)}/year ({sal.raw})"
         if sal else "not stated"),
        ("Experience", _years(job)),
        ("Seniority", job.seniority or "not stated"),
        ("Required", ", ".join(s.name for s in job.required_skills) or "—"),
        ("Preferred", ", ".join(s.name for s in job.preferred_skills) or "—"),
        ("Degree", (job.qualifications.degree_level or "—")
         + ("" if job.qualifications.degree_required else " (or equivalent)")),
        ("Certifications", ", ".join(job.qualifications.certifications) or "—"),
        ("Keywords", ", ".join(job.keywords) or "—"),
        ("Posted", job.posted_date.isoformat() if job.posted_date else "—"),
    ]
    table = Table(show_header=False, box=None)
    for k, v in rows:
        table.add_row(Text(k, style="bold"), v)
    con.print(table)


def _years(job: JobPosting) -> str:
    lo, hi = job.experience_min, job.experience_max
    if lo is None and hi is None:
        return "not stated"
    if hi is None:
        return f"{lo:g}+ years"
    if lo is None:
        return f"up to {hi:g} years"
    return f"{lo:g}–{hi:g} years"


def print_demo(console: Console | None = None, jobs_shown: int = 3) -> None:
    """Score each bundled sample CV against the bundled sample jobs and show the best few."""
    import json
    from pathlib import Path

    from agent.bootstrap import build_embedder
    from tools.factors import DEFAULT_CALIBRATION
    from tools.gaps import find_gaps
    from tools.parsing.cv import parse_cv
    from tools.parsing.job import parse_job
    from tools.parsing.text import extract_text
    from tools.preparation import prepare_profile
    from tools.scoring import cv_embedding_text, job_embedding_text, score_many, score_match

    con = console or _console()
    samples = Path(__file__).resolve().parent.parent / "store" / "samples"
    records = json.loads((samples / "jobs.json").read_text(encoding="utf-8"))
    jobs = [parse_job(r) for r in records]
    embedder = build_embedder()
    job_vecs = embedder.embed([job_embedding_text(j) for j in jobs]) if embedder else None
    con.print(Text(f"jobfit demo: {len(jobs)} bundled sample jobs", style="bold"))
    for cv_path in sorted((samples / "cvs").iterdir()):
        if cv_path.suffix.lower() not in (".txt", ".pdf", ".docx", ".md"):
            continue
        profile = parse_cv(extract_text(cv_path))
        cv_vec = embedder.embed([cv_embedding_text(profile)])[0] if embedder else None
        cal = embedder.calibration if embedder else DEFAULT_CALIBRATION
        scores = score_many(prepare_profile(profile), jobs, cv_vector=cv_vec, calibration=cal,
                            job_vectors=job_vecs)
        best = sorted(range(len(jobs)), key=lambda i: (-scores[i], i))[:jobs_shown]
        con.rule(f"{cv_path.name}: {profile.headline or 'CV'}")
        top = best[0]
        job_vec = job_vecs[top] if job_vecs is not None else None
        result = score_match(profile, jobs[top], cv_vector=cv_vec, job_vector=job_vec,
                             calibration=cal)
        print_score(result, find_gaps(profile, jobs[top], result=result, cv_vector=cv_vec,
                                      calibration=cal,
                                      job_vector=job_vec), job=jobs[top], console=con, top_gaps=3)
        for i in best[1:]:
            con.print(Text.assemble(f"  also {int(round(scores[i]))}/100  ",
                                    (jobs[i].title or "?", "bold"), f" — {jobs[i].company}"))


NO_MATCH = "No job reaches the minimum score. Try --min-score 30 or import more jobs."
NO_SEARCH_HIT = "No active job matches that search."


def print_matches(matches: list[Any], console: Console | None = None) -> None:
    """Best matches (``tools.matching.RankedMatch`` items) as a job list card: score badges and
    the five sub-scores."""
    rows = []
    for m in matches:
        ref = job_ref(m.posting)
        rows.append({**ref.model_dump(exclude={"score", "grade", "position", "ref"}),
                     "score": m.result.score, "grade": m.result.grade,
                     "breakdown": m.result.breakdown()})
    card = cards.job_list(rows, title="Best matches", empty_text=NO_MATCH)
    terminal.print_job_list(card, console or _console())


def print_job_rows(rows: list[dict[str, Any]], console: Console | None = None) -> None:
    """Search hits (``jobfit jobs search`` rows) as a job list card (no fit score: the rows'
    score is a similarity, not a fit)."""
    listed = [{k: v for k, v in r.items() if k != "score"} for r in rows]
    card = cards.job_list(listed, title="Jobs", empty_text=NO_SEARCH_HIT)
    terminal.print_job_list(card, console or _console())


def print_stats(stats: dict[str, Any], console: Console | None = None) -> None:
    con = console or _console()
    con.print(Text(f"{stats['total']} jobs: ", style="bold")
              + Text(", ".join(f"{stats[k]} {k}" for k in ("active", "expired", "filled",
                                                          "closed"))))
    for src, n in sorted(stats["by_source"].items(), key=lambda kv: (-kv[1], kv[0])):
        con.print(f"  {src:<24} {n}")


def print_import_summary(summary: Any, console: Console | None = None) -> None:
    con = console or _console()
    table = Table(title=f"import batch {summary.batch_id}", box=None, pad_edge=False)
    for col in ("total", "new", "updated", "unchanged", "failed"):
        table.add_column(col, justify="right")
    table.add_row(*(str(getattr(summary, c)) for c in ("total", "new", "updated", "unchanged",
                                                       "failed")))
    con.print(table)
    for err in summary.errors[:10]:
        row = err["row"] if isinstance(err, dict) else err.row
        reason = err["reason"] if isinstance(err, dict) else err.reason
        con.print(Text(f"  row {row}: {reason}", style="yellow"))
    if len(summary.errors) > 10:
        con.print(Text(f"  … and {len(summary.errors) - 10} more", style="dim"))
