"""Recruiter commands of the ``jobfit`` CLI: rank and compare a pile of CVs for one job, and the
candidate pool kept in the store.

``rank-candidates`` is a public batch contract (ARCHITECTURE.md): with ``--json``, one object
``{"results": [{"cv_id", "score", "grade", "breakdown"}, ...]}`` best first. Files that cannot
be read never stop the batch: each is reported on stderr (``jobfit: warning: NAME: reason``)
and in the text report's summary. Blind screening is on: files are listed under an anonymous
label (``C-`` and 6 hex digits of the CV's content hash) unless ``--reveal`` is given; JSONL
ids are the caller's own and are kept.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tools.errors import InvalidInputError

if TYPE_CHECKING:
    from tools.candidates import Candidate
    from tools.schemas import JobPosting

pool_app = typer.Typer(help="Your candidate pool (recruiters): add, list, open, rank, decide.",
                       no_args_is_help=True)

JobOpt = Annotated[str, typer.Option(
    "--job", help="A job: its id in the job store, or a posting file (TXT, MD, PDF, DOCX, JSON).")]
CvsOpt = Annotated[Path, typer.Option(
    "--cvs", help='A folder of CVs, a ZIP of CVs, or a JSONL of {"id", "text"} (- = stdin).')]
RevealOpt = Annotated[bool, typer.Option(
    "--reveal", help="Show file names and names instead of anonymous labels (blind off).")]
UserOpt = Annotated[str, typer.Option("--user", help="The recruiter (their pool only).")]


def register(app: typer.Typer) -> None:
    """Add the recruiter commands to the ``jobfit`` app."""
    app.command("rank-candidates")(rank_candidates_cmd)
    app.command("compare-candidates")(compare_candidates_cmd)
    app.add_typer(pool_app, name="pool")


# --------------------------------------------------------------------------- batch


def _job(ref: str) -> tuple[JobPosting, Any]:
    """(posting, job vector or None) of a posting file or a job in the store."""
    from ui import cli as base

    path = Path(ref)
    if path.exists():
        posting = base._load_job(path)
        vector = None
        embedder = base._embedder()
        if embedder is not None:
            from tools.scoring import job_embedding_text

            text = job_embedding_text(posting)
            vector = embedder.embed([text])[0] if text else None
        return posting, vector
    is_link = ref.strip().lower().startswith(("http://", "https://"))
    if not ref.strip() or (not is_link and (any(sep in ref for sep in ("/", "\\"))
                                            or Path(ref).suffix)):
        raise InvalidInputError(f"{ref}: no such file")
    from agent.bootstrap import build_service

    service = build_service()
    stored = service._stored(ref)
    return stored.posting, service._job_vectors([stored]).get(stored.id)


def _read(cvs: Path, workers: int) -> tuple[list[Candidate], list[tuple[str, str]]]:
    """Candidates (parsed, embedded) and failures (name, reason) of a folder, ZIP or JSONL."""
    from tools.blind import unique_label
    from tools.candidate_files import CandidateFile, FileFailure, read_jsonl_rows, read_source
    from tools.candidates import cv_embedding_texts, read_candidate
    from ui import cli as base
    from ui.batch import default_workers, fork_map

    jsonl = str(cvs) == "-" or cvs.suffix.lower() == ".jsonl"
    if not jsonl and not cvs.exists():
        raise InvalidInputError(f"{cvs}: no such file or folder")
    if jsonl:
        results = list(read_jsonl_rows(base._read_jsonl(cvs, ("id", "text"))))
    else:
        results = list(read_source(cvs, max_bytes=base._max_bytes()))
    files = [r for r in results if isinstance(r, CandidateFile)]
    failures = [(r.name, r.reason) for r in results if isinstance(r, FileFailure)]
    n_workers = workers or default_workers()
    if n_workers > 1:
        os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    distinct = list(dict.fromkeys(f.text for f in files))
    parsed = dict(zip(distinct, fork_map(read_candidate, distinct, workers=n_workers,
                                         min_items=32), strict=True))
    out: list[Candidate] = []
    seen: dict[str, str] = {}
    labels: set[str] = set()
    from dataclasses import replace

    for f in files:
        cand = parsed[f.text]
        if jsonl:
            out.append(replace(cand, cv_id=f.name, file_name=None))
            continue
        if cand.content_hash in seen:
            failures.append((f.name, f"the same CV as {seen[cand.content_hash]}; skipped"))
            continue
        seen[cand.content_hash] = f.name
        label = unique_label(cand.content_hash, labels)
        labels.add(label)
        out.append(replace(cand, cv_id=label, file_name=f.name))
    embedder = base._embedder()
    if embedder is not None and out:
        texts = cv_embedding_texts(out)
        distinct_texts = [t for t in dict.fromkeys(texts) if t]
        vectors = dict(zip(distinct_texts, embedder.embed(distinct_texts), strict=True)) \
            if distinct_texts else {}
        for cand, text in zip(out, texts, strict=True):
            cand.vector = vectors.get(text)
    return out, failures


def _warn(failures: list[tuple[str, str]]) -> None:
    for name, reason in failures:
        typer.echo(f"jobfit: warning: {name}: {reason}", err=True)


def rank_candidates_cmd(
    job: JobOpt,
    cvs: CvsOpt,
    top: Annotated[int, typer.Option("--top", min=1, help="Candidates to return.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a report.")] = (
        False),
    reveal: RevealOpt = False,
    workers: Annotated[int, typer.Option("--workers", min=0,
                                         help="Processes for parsing (0 = per CPU, max 4).")] = 0,
) -> None:
    """Rank a pile of CVs for one job: score, grade, strongest reason, biggest gap, must-haves."""
    from ui import cli as base

    def go() -> None:
        from tools.candidates import rank_candidates
        from tools.candidates import reveal as reveal_rows

        posting, vector = _job(job)
        cands, failures = _read(cvs, workers)
        if not cands:
            _warn(failures)
            base._fail(f"no CV could be read from {cvs} ({len(failures)} failed)", 1)
        rows = rank_candidates(posting, cands, job_vector=vector, top=top,
                               calibration=base._calibration())
        if reveal:
            rows = reveal_rows(rows)
        if as_json:
            _warn(failures)
            base._echo_json({"results": [r.as_json() for r in rows]})
            return
        from ui.recruiter_render import print_candidate_rows

        print_candidate_rows(rows, posting, total=len(cands), failures=failures, blind=not reveal)

    base._run(go, source=str(cvs))


def compare_candidates_cmd(
    job: JobOpt,
    cvs: CvsOpt,
    ids: Annotated[str, typer.Option(
        "--ids", help="2-5 candidates, comma-separated (labels, JSONL ids or ranks); "
                      "default: the top 3.")] = "",
    fmt: Annotated[str, typer.Option("--format", help="md (Markdown) or csv.")] = "md",
    reveal: RevealOpt = False,
    workers: Annotated[int, typer.Option("--workers", min=0)] = 0,
) -> None:
    """Compare 2-5 candidates for one job side by side (Markdown or CSV)."""
    from ui import cli as base

    if fmt not in ("md", "csv"):
        base._fail("--format must be md or csv")

    def go() -> None:
        from tools.candidate_compare import compare_rows, comparison_csv, comparison_markdown
        from tools.candidates import explain_rows, rank_candidates
        from tools.candidates import reveal as reveal_rows

        posting, vector = _job(job)
        cands, failures = _read(cvs, workers)
        _warn(failures)
        rows = rank_candidates(posting, cands, job_vector=vector, top=None, explain=0,
                               calibration=base._calibration())
        if reveal:
            rows = reveal_rows(rows)
        wanted = [x.strip() for x in ids.split(",") if x.strip()]
        chosen = rows[:3] if not wanted else []
        by_id = {r.candidate.cv_id.lower(): r for r in rows}
        by_file = {(r.candidate.file_name or "").lower(): r for r in rows}
        for ref in wanted:
            row = by_id.get(ref.lower()) or by_file.get(ref.lower())
            if row is None and ref.isdigit() and 1 <= int(ref) <= len(rows):
                row = rows[int(ref) - 1]
            if row is None:
                raise InvalidInputError(f"no candidate {ref!r} among the CVs read")
            chosen.append(row)
        chosen = explain_rows(posting, chosen, job_vector=vector,
                              calibration=base._calibration())
        cmp = compare_rows(chosen, posting)
        typer.echo(comparison_markdown(cmp) if fmt == "md" else comparison_csv(cmp), nl=False)
        if fmt == "md":
            typer.echo("")

    base._run(go, source=str(cvs))


# --------------------------------------------------------------------------- pool


def _recruiting() -> Any:
    from agent.bootstrap import build_service
    from agent.recruiting import Recruiting

    return Recruiting(build_service())


def _job_args(job: str) -> tuple[str | None, str | None]:
    """(job_ref, job_text) for the service: a posting file's text, else a store reference."""
    from ui import cli as base

    path = Path(job)
    if not path.exists():
        return job, None
    if path.suffix.lower() == ".json":
        posting = base._load_job(path)
        return None, posting.text or posting.description
    return None, base._read_file_text(path)


def _user(user: str) -> str:
    from ui.chat import check_user

    return check_user(user)


@pool_app.command("add")
def pool_add_cmd(
    user: UserOpt,
    paths: Annotated[list[Path], typer.Argument(help="CV files, folders or ZIPs of CVs.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Add CVs to your pool (each parsed once; bad files listed; duplicates skipped)."""
    from ui import cli as base

    def go() -> None:
        import time

        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from tools.candidate_files import FileFailure, list_folder, read_file, read_source
        from ui.batch import default_workers, fork_map
        from ui.recruiter_render import print_pool_summary

        owner = _user(user)
        results: list[Any] = []
        limit = base._max_bytes()
        for p in paths:
            if not p.exists():
                results.append(FileFailure(str(p), f"{p}: no such file or folder"))
                continue
            try:
                if p.is_dir():  # files are read (PDF/DOCX extraction) by forked workers
                    items = list_folder(p)
                    todo = [i for i in items if not isinstance(i, FileFailure)]
                    read = dict(zip(todo, fork_map(
                        lambda item: read_file(*item, max_bytes=limit), todo,
                        workers=default_workers(), min_items=32), strict=True))
                    results += [i if isinstance(i, FileFailure) else read[i] for i in items]
                    continue
                results += list(read_source(p, max_bytes=limit))
            except InvalidInputError as exc:
                results.append(FileFailure(p.name, str(exc)))
            except Exception as exc:  # noqa: BLE001  (an archive refused as a whole)
                results.append(FileFailure(p.name, str(exc)))
        desk = _recruiting()

        def parse_map(fn: Any, texts: list[str]) -> list[Any]:
            return fork_map(fn, texts, workers=default_workers(), min_items=32)

        if as_json:
            summary = desk.add(owner, read=results, parse_map=parse_map)
            base._echo_json(summary.model_dump(mode="json"))
            return
        columns = (TextColumn("adding CVs"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"))
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("pool", total=len(results), rate="")
            started = time.perf_counter()

            def progress(done: int, total: int) -> None:
                rate = done / max(1e-6, time.perf_counter() - started)
                bar.update(task, completed=done, total=total, rate=f"{rate:,.1f} CVs/s")

            summary = desk.add(owner, read=results, progress=progress, parse_map=parse_map)
        print_pool_summary(summary)

    base._run(go)


@pool_app.command("list")
def pool_list_cmd(user: UserOpt,
                  as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Your pool: anonymous labels (names only for candidates you opened)."""
    from ui import cli as base

    def go() -> None:
        rows = _recruiting().list(_user(user))
        if as_json:
            base._echo_json({"candidates": rows})
            return
        for r in rows:
            who = f"  {r.get('name') or ''} ({r.get('file') or ''})" if r["opened"] else ""
            typer.echo(f"#{r['id']:<5} {r['label']}{who}")
        typer.echo(f"{len(rows)} candidates")

    base._run(go)


@pool_app.command("open")
def pool_open_cmd(user: UserOpt, candidate: Annotated[str, typer.Argument(
        help="Pool id, label (C-...) or file name.")]) -> None:
    """Open a candidate: show who they are (ends blind screening for them)."""
    from ui import cli as base

    def go() -> None:
        info = _recruiting().open(_user(user), candidate)
        for key in ("label", "name", "email", "phone", "file"):
            typer.echo(f"{key:6} {info.get(key) or '-'}")

    base._run(go)


@pool_app.command("remove")
def pool_remove_cmd(user: UserOpt, candidate: Annotated[str, typer.Argument()]) -> None:
    """Remove a candidate from your pool (with your decisions about them)."""
    from ui import cli as base

    def go() -> None:
        out = _recruiting().remove(_user(user), candidate)
        typer.echo(f"removed {out['label']}; {out['pool_size']} candidates left")

    base._run(go)


@pool_app.command("rank")
def pool_rank_cmd(user: UserOpt, job: JobOpt,
                  top: Annotated[int, typer.Option("--top", min=1)] = 10,
                  as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Rank your pool for a job in the store (or a posting file)."""
    from ui import cli as base

    def go() -> None:
        desk = _recruiting()
        owner = _user(user)
        ref, text = _job_args(job)
        out = desk.ranking(owner, ref, job_text=text, top=top)
        if as_json:
            out.pop("markdown", None)
            base._echo_json(out)
        else:
            typer.echo(out["markdown"])

    base._run(go)


@pool_app.command("decide")
def pool_decide_cmd(
    user: UserOpt, job: JobOpt,
    candidate: Annotated[str, typer.Argument(help="Pool id, label or file name.")],
    status: Annotated[str, typer.Argument(help="shortlist, reject or interview.")],
    note: Annotated[str, typer.Option("--note", help="A note kept with the decision.")] = "",
) -> None:
    """Shortlist, reject or interview a candidate for a job (with a note)."""
    from ui import cli as base

    def go() -> None:
        ref, text = _job_args(job)
        out = _recruiting().decide(_user(user), candidate, status, job_ref=ref, job_text=text,
                                   note=note)
        typer.echo(f"{out['label']}: {out['status']}" + (f" ({out['note']})" if out["note"]
                                                          else ""))

    base._run(go)


@pool_app.command("decisions")
def pool_decisions_cmd(
    user: UserOpt,
    job: Annotated[str | None, typer.Option("--job", help="Only this job (id or posting file).")]
    = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Your shortlist / rejections / interviews, with notes (for one job or all)."""
    from ui import cli as base

    def go() -> None:
        ref, text = _job_args(job) if job else (None, None)
        rows = _recruiting().decisions(_user(user), job_ref=ref, job_text=text)
        if as_json:
            base._echo_json({"decisions": rows})
            return
        for r in rows:
            typer.echo(f"{r['label']}  {r['status']:<11} {r['job']}"
                       + (f"  — {r['note']}" if r["note"] else ""))
        typer.echo(f"{len(rows)} decisions")

    base._run(go)
