"""Terminal reports of the recruiter commands (rich): ranked candidates and pool summaries."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tools.candidates import CandidateRow
from tools.schemas import JobPosting
from ui.renderers.terminal import band_colour


def _console() -> Console:
    return Console(highlight=False, soft_wrap=False)


def print_candidate_rows(rows: Sequence[CandidateRow], job: JobPosting, *, total: int,
                         failures: Sequence[tuple[str, str]] = (), blind: bool = True,
                         console: Console | None = None) -> None:
    """Ranked candidates: score, grade, strongest reason, biggest gap, must-haves, confidence,
    ties; then what could not be read."""
    con = console or _console()
    heading = " — ".join(x for x in (job.title, job.company) if x) or "this job"
    con.print(Text.assemble(("Candidates for ", "bold"), (heading, "bold"),
                            f"  ({len(rows)} of {total} shown)"))
    table = Table(show_lines=False, expand=False)
    for name in ("#", "candidate", "score", "strongest reason", "biggest gap",
                 "must-haves", "conf."):
        table.add_column(name, overflow="fold")
    for r in rows:
        must = f"{len(r.must_met)}/{len(r.must_met) + len(r.must_missing)} met"
        if r.must_missing:
            must += "; missing " + ", ".join(r.must_missing)
        label = Text(r.candidate.label)
        if r.tie:
            label.append(f"\n{r.tie}", style="yellow")
        conf = "" if r.confidence is None else f"{r.confidence:.0%}"
        table.add_row(str(r.rank), label,
                      Text(f"{r.score} {r.grade}", style=band_colour(r.score)),
                      r.strongest, r.biggest_gap or "none", must, conf)
    con.print(table)
    if blind:
        con.print(Text("Blind screening: names, contact details, age, gender and addresses are "
                       "hidden and never scored; --reveal shows file names.", style="dim"))
    if failures:
        con.print(Text(f"{len(failures)} file(s) not ranked:", style="bold red"))
        for name, reason in failures:
            con.print(Text(f"  {name}: {reason}", style="red"))


def print_pool_summary(summary: Any, console: Console | None = None) -> None:
    con = console or _console()
    con.print(Text.assemble(("Pool: ", "bold"),
                            f"{summary.added} added, {summary.duplicates} duplicates skipped, "
                            f"{summary.failed} failed, of {summary.total} files; "
                            f"{summary.pool_size} candidates in your pool"))
    for err in summary.errors:
        con.print(Text(f"  {err['file']}: {err['reason']}", style="red"))
