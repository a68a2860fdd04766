"""The operator's commands of ``jobfit``: the job collection, its vector index, the analysis
cache, the CLI's own match, and web chat accounts.

Every command goes through the service (:func:`agent.bootstrap.build_operator_service`), which
talks to the repositories; this module only reads arguments and prints. Outputs are public
contracts (ARCHITECTURE.md): ``import --json``, ``jobs stats --json``, ``index check --json``,
``match --json``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from agent.service import JobfitService

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a report.")]

jobs_app = typer.Typer(help="The job collection: stats, expiry, search.", no_args_is_help=True)
index_app = typer.Typer(help="The vector index of jobs: check and repair.", no_args_is_help=True)
cache_app = typer.Typer(help="The analysis cache.", no_args_is_help=True)
users_app = typer.Typer(help="Web chat accounts (password login).", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    """Add the operator's commands to the ``jobfit`` app."""
    app.add_typer(jobs_app, name="jobs")
    app.add_typer(index_app, name="index")
    app.add_typer(cache_app, name="cache")
    app.command("import")(import_cmd)
    app.command("match")(match_cmd)
    app.add_typer(users_app, name="users")


def _service() -> JobfitService:
    """The service for this command (store, index and embedder from the settings)."""
    from agent.bootstrap import build_operator_service

    return build_operator_service()


# --------------------------------------------------------------------------- import


def import_cmd(
    file: Annotated[Path | None, typer.Argument(help="JSON array, JSONL or CSV of jobs.")] = None,
    rss: Annotated[str | None, typer.Option("--rss", help="RSS/Atom feed URL or file.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source name when rows "
                                               "have none (default: the file name).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import jobs (upsert by source + external id), index them, and report the batch."""
    from ui import cli as base

    if (file is None) == (rss is None):
        base._fail("give a FILE or --rss URL|FILE (one of them)")

    def go() -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        service = _service()
        service.require_embedder()
        target: str | Path = rss if rss is not None else file  # type: ignore[assignment]
        if as_json:
            summary = service.import_jobs(target, default_source=source,
                                          is_feed=rss is not None)
            base._echo_json(summary.model_dump(mode="json"))
            _fail_if_nothing_imported(summary)
            return
        columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("import", total=None, rate="")
            started = time.perf_counter()

            def progress(done: int, total: int | None) -> None:
                rate = done / max(1e-6, time.perf_counter() - started)
                bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} jobs/s")

            summary = service.import_jobs(target, progress, default_source=source,
                                          is_feed=rss is not None)
        from ui.render import print_import_summary

        print_import_summary(summary)
        _fail_if_nothing_imported(summary)

    base._run(go, source=str(rss if rss is not None else file))


def _fail_if_nothing_imported(summary: Any) -> None:
    """Exit 1 (after the summary was printed) when rows failed and none was imported."""
    from ui import cli as base

    if summary.failed and not (summary.new or summary.updated or summary.unchanged):
        base._fail(f"nothing imported: {summary.failed:,} of {summary.total:,} rows failed (see "
                   "the summary's errors)", 1)


# --------------------------------------------------------------------------- jobs


@jobs_app.command("stats")
def jobs_stats_cmd(as_json: JsonOpt = False) -> None:
    """Counts of jobs by status and by source."""
    from ui import cli as base

    def go() -> None:
        out = _service().job_stats()
        if as_json:
            base._echo_json(out)
        else:
            from ui.render import print_stats

            print_stats(out)

    base._run(go)


@jobs_app.command("expire")
def jobs_expire_cmd() -> None:
    """Mark jobs older than 30 days EXPIRED and drop them from the index."""
    from ui import cli as base

    base._run(lambda: typer.echo(f"{_service().expire_jobs()} jobs expired"))


@jobs_app.command("search")
def jobs_search_cmd(
    query: Annotated[str, typer.Argument(help='What to look for, e.g. "remote python backend".')],
    remote: Annotated[bool, typer.Option("--remote", help="Remote jobs only.")] = False,
    min_salary: Annotated[float | None, typer.Option("--min-salary", help="Annual floor.")] = None,
    location: Annotated[str | None, typer.Option("--location", help="City/region/country.")] = None,
    days: Annotated[int | None, typer.Option("--days", help="Posted within N days.")] = None,
    top: Annotated[int, typer.Option("--top", min=1)] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Hybrid search of the active jobs: text similarity fused with skill/keyword overlap."""
    from ui import cli as base

    def go() -> None:
        from tools.search import JobFilters

        filters = JobFilters(remote_only=remote, min_salary=min_salary, location=location,
                             posted_within_days=days)
        hits = _service().search_collection(query, filters=filters, k=top)
        rows = [{"job_id": h.posting.external_id, "title": h.posting.title,
                 "company": h.posting.company,
                 "location": h.posting.location.raw if h.posting.location else None,
                 "remote": h.posting.work_mode, "score": round(h.score, 4)} for h in hits]
        if as_json:
            base._echo_json({"results": rows})
        else:
            from ui.render import print_job_rows

            print_job_rows(rows)

    base._run(go)


# --------------------------------------------------------------------------- match


def match_cmd(
    cv_file: Annotated[Path, typer.Argument(help="Your CV (PDF, DOCX, TXT, MD).")],
    top: Annotated[int, typer.Option("--top", min=1)] = 10,
    min_score: Annotated[float, typer.Option("--min-score", min=0, max=100)] = 50,
    exhaustive: Annotated[bool, typer.Option(
        "--exhaustive", help="Fully score every active job (slow; checks the fast path).")] = False,
    strict: Annotated[str, typer.Option(
        "--strict", help="Hard filters from your CV, comma-separated: salary (pays ≥85 %% of "
        "your expectation), location (remote or your area), experience (your years within "
        "the job's range, -1/+2 grace).")] = "",
    as_json: JsonOpt = False,
) -> None:
    """Your best matches among the indexed jobs, fully scored and explained."""
    from ui import cli as base

    wanted = {s.strip().lower() for s in strict.split(",") if s.strip()}
    if wanted - {"salary", "location", "experience"}:
        base._fail("--strict takes salary, location and/or experience")

    def go() -> None:
        profile = base._load_cv(cv_file)
        matches = _service().match_profile(profile, k=top, min_score=min_score,
                                           exhaustive=exhaustive, strict=sorted(wanted))
        rows = [{"job_id": m.posting.external_id, "title": m.posting.title,
                 "company": m.posting.company, "score": m.result.score,
                 "grade": m.result.grade, "breakdown": m.result.breakdown()} for m in matches]
        if as_json:
            base._echo_json({"results": rows})
        else:
            from ui.render import print_matches

            print_matches(matches)

    base._run(go)


# --------------------------------------------------------------------------- index and cache


@index_app.command("check")
def index_check_cmd(as_json: JsonOpt = False) -> None:
    """Active jobs missing from the vector index, or indexed with an old content hash."""
    from ui import cli as base

    def go() -> None:
        report = _service().index_report()
        if as_json:
            base._echo_json(report)
        else:
            typer.echo(f"{report['indexed']} indexed; {len(report['missing'])} missing; "
                       f"{len(report['stale'])} stale"
                       + ("" if not (report["missing"] or report["stale"])
                          else " — run `jobfit index rebuild`"))

    base._run(go)


@index_app.command("rebuild")
def index_rebuild_cmd() -> None:
    """Re-embed and re-index missing or stale jobs; drop jobs no longer active."""
    from ui import cli as base

    def go() -> None:
        indexed, removed = _service().rebuild_index()
        typer.echo(f"re-indexed {indexed} jobs; removed {removed} entries")

    base._run(go)


@cache_app.command("clean")
def cache_clean_cmd() -> None:
    """Delete expired cached analyses."""
    from ui import cli as base

    base._run(lambda: typer.echo(f"{_service().clean_cache()} expired analyses removed"))


# --------------------------------------------------------------------------- web accounts


@users_app.command("add")
def users_add_cmd(
    name: Annotated[str, typer.Argument(help="Login name.")],
    password: Annotated[str | None, typer.Option(
        "--password", help="Password (default: asked for, or read from stdin when piped).")] = None,
) -> None:
    """Create a web chat account (or reset its password)."""
    from ui import cli as base
    from ui.users import add_user

    base._run(lambda: add_user(name, password))
