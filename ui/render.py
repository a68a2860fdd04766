"""Renderers: turn domain results into terminal reports (rich). Other channels add theirs here."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tools.money import format_money
from tools.schemas import CandidateProfile, GapReport, JobPosting, MatchResult


def band_colour(score: float) -> str:
    """Colour band of a score (tools.cards.band: ≥80 green, ≥60 blue, ≥40 amber, else red) as a
    terminal colour (amber is rich's yellow)."""
    from tools.cards import band

    colour = band(score)
    return "yellow" if colour == "amber" else colour


def bar(score: float | None, width: int = 20) -> Text:
    if score is None:
        return Text("unknown".ljust(width), style="dim")
    filled = int(round(score / 100 * width))
    return Text("█" * filled + "░" * (width - filled), style=band_colour(score))


def _console() -> Console:
    """Wrapped to the terminal's width on a terminal; piped or redirected, lines are written
    whole (a reader or a program gets sentences, not 80-column fragments)."""
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal:
        console.soft_wrap = True
    return console


def print_score(result: MatchResult, report: GapReport, *, job: JobPosting | None = None,
                console: Console | None = None, top_gaps: int = 6) -> None:
    con = console or _console()
    heading = ""
    if job is not None:
        heading = " — ".join(x for x in (job.title, job.company) if x)
    colour = band_colour(result.score)
    con.print(Text.assemble(("Fit ", "bold"), (f"{result.score}/100", f"bold {colour}"),
                            f"  grade {result.grade} · {result.label}",
                            ("  ✓ recommended" if result.recommended else ""),
                            (f"   {heading}" if heading else "")))
    for name, f in result.factors.items():
        value = "  ?" if f.score is None else f"{f.score:3.0f}"
        adds = (f"  weight {f.effective_weight:.0%} → +{f.contribution:.1f}"
                if f.score is not None and f.contribution is not None else "  unknown, left out")
        con.print(Text.assemble(name.ljust(11), bar(f.score, 20), f" {value}", (adds, "dim")))
        if f.comment:
            con.print(Text(" " * 11 + f.comment, style="dim"),
                      overflow=None if con.soft_wrap else "fold")
    unknown = (f"unknown (left out, weights renormalised): {', '.join(result.unknown_factors)}"
               " · " if result.unknown_factors else "")
    con.print(Text(f"{unknown}confidence {result.confidence:.0%} (share of the weights that "
                   "could be scored)", style="dim"))
    if result.matched_required or result.matched_preferred:
        con.print(Text("Matched: ", style="bold green")
                  + Text(", ".join(result.matched_required + result.matched_preferred)))
    if result.missing_required or result.missing_preferred:
        missing = [f"{s} (required)" for s in result.missing_required] + result.missing_preferred
        con.print(Text("Missing: ", style="bold red") + Text(", ".join(missing)))
    if report.gaps:
        con.print(Text("Top gaps (points if closed):", style="bold"))
        for g in report.gaps[:top_gaps]:
            con.print(Text.assemble(f"  +{g.impact:<3d}", (f"[{g.severity}] ", _sev(g.severity)),
                                    g.message))
            con.print(Text(f"        → {g.suggestion}", style="dim"))
    if report.notes:
        con.print(Text("Wording notes (no points, for a human reader):", style="bold"))
        for g in report.notes[:top_gaps]:
            con.print(Text(f"  · {g.message}", style="dim"))


def _sev(severity: str) -> str:
    return {"high": "bold red", "medium": "yellow", "low": "dim"}[severity]


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


def _badge(score: float) -> Text:
    return Text(f" {int(round(score)):>3} ", style=f"bold white on {band_colour(score)}")


def print_matches(matches: list[Any], console: Console | None = None) -> None:
    """Best matches as a table with score badges (``tools.matching.RankedMatch`` items)."""
    con = console or _console()
    if not matches:
        con.print("No job reaches the minimum score. Try --min-score 30 or import more jobs.")
        return
    table = Table(show_lines=False, box=None, pad_edge=False)
    table.add_column("score", no_wrap=True)
    table.add_column("job", ratio=1, overflow="fold")
    table.add_column("where", overflow="ellipsis", no_wrap=True, max_width=16)
    for col in ("skills", "exp", "loc", "sal", "sem"):
        table.add_column(col, justify="right", no_wrap=True)
    for m in matches:
        p, r = m.posting, m.result
        b = r.breakdown()
        job = Text(p.title or "?", style="bold") + Text(f" · {p.company}" if p.company else "")
        table.add_row(_badge(r.score) + Text(f" {r.grade}"), job,
                      p.location.raw if p.location else (p.work_mode or ""),
                      *[("?" if b[f] is None else str(b[f]))
                        for f in ("skills", "experience", "location", "salary", "semantic")])
    con.print(table)


def print_job_rows(rows: list[dict[str, Any]], console: Console | None = None) -> None:
    con = console or _console()
    if not rows:
        con.print("No active job matches that search.")
        return
    table = Table(box=None, pad_edge=False)
    for col in ("id", "title", "company", "location", "remote"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(str(r["job_id"]), r["title"] or "?", r["company"] or "",
                      r["location"] or "", r["remote"] or "")
    con.print(table)


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
