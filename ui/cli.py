"""The ``jobfit`` command line.

Batch commands (``score-pairs``, ``rank``, ``skills``) are public contracts: one JSON object per
line on stdout, see ARCHITECTURE.md. Heavy modules (onnxruntime, pypdf, docx) are imported only
by the commands that need them, so start-up stays fast.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from tools.errors import FileTooLargeError, InvalidInputError, JobfitError

if TYPE_CHECKING:
    from tools.ports import Embedder
    from tools.schemas import CandidateProfile, JobPosting

app = typer.Typer(
    name="jobfit",
    help="How well do I fit this job? Deterministic, explainable CV/job matching.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
logger = logging.getLogger("jobfit")

ProfileOpt = Annotated[str, typer.Option(
    "--profile", help="Scoring profile: fitted (weights fitted on real data; default), balanced "
                      "(the seed weights) or ats (like an applicant-tracking system).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a report.")]
WorkersOpt = Annotated[int, typer.Option(
    "--workers", min=0, help="Processes for parsing and scoring (0 = one per CPU, max 4).")]


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"jobfit: error: {message}", err=True)
    raise typer.Exit(code)


def _echo_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, sort_keys=False) + "\n")


def _max_bytes() -> int:
    from agent.bootstrap import get_settings

    return get_settings().max_upload_bytes


def _read_file_text(path: Path) -> str:
    from tools.parsing.text import extract_text

    if not path.exists():
        raise InvalidInputError(f"{path}: no such file")
    return extract_text(path, max_bytes=_max_bytes())


def _load_job(path: Path) -> JobPosting:
    from tools.parsing.job import parse_job

    if path.suffix.lower() == ".json":
        if not path.exists():
            raise InvalidInputError(f"{path}: no such file")
        if path.stat().st_size > _max_bytes():
            raise InvalidInputError(f"{path}: file is larger than the upload limit")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInputError(f"{path}: not valid JSON ({exc.__class__.__name__})") from None
        except RecursionError:
            raise InvalidInputError(f"{path}:1: JSON nested too deeply") from None
        if not isinstance(data, dict):
            raise InvalidInputError(f"{path}: expected one JSON object describing a job")
        return parse_job(data)
    return parse_job(_read_file_text(path))


def _load_cv(path: Path) -> CandidateProfile:
    from tools.parsing.cv import parse_cv

    return parse_cv(_read_file_text(path))


def _read_jsonl(path: Path, fields: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Yield validated objects of a JSONL file; a bad line raises with its line number.

    The file (or what is read from stdin) and each line are held to the upload limit
    (``JOBFIT_MAX_UPLOAD_MB``): the size is checked with stat before reading, and a line is read
    at most one byte past the limit, so an oversized one never sits in memory.
    """
    limit = _max_bytes()
    stdin = str(path) == "-"
    if not stdin:
        if not path.exists():
            raise InvalidInputError(f"{path}: no such file")
        size = path.stat().st_size
        if size > limit:
            raise FileTooLargeError(f"{path}: the file is {_size(size)}; the limit is "
                                    f"{_size(limit)} (JOBFIT_MAX_UPLOAD_MB)")
    handle = sys.stdin.buffer if stdin else path.open("rb")
    read = 0
    try:
        n = 0
        while raw := handle.readline(limit + 1):
            n += 1
            read += len(raw)
            if len(raw) > limit:
                raise FileTooLargeError(f"{path}:{n}: the line is longer than the limit of "
                                        f"{_size(limit)} (JOBFIT_MAX_UPLOAD_MB)")
            if read > limit:
                raise FileTooLargeError(f"{path}:{n}: the input is larger than the limit of "
                                        f"{_size(limit)} (JOBFIT_MAX_UPLOAD_MB)")
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInputError(f"{path}:{n}: not UTF-8 text") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInputError(f"{path}:{n}: invalid JSON ({exc.msg})") from None
            except RecursionError:
                raise InvalidInputError(f"{path}:{n}: JSON nested too deeply") from None
            if not isinstance(obj, dict):
                raise InvalidInputError(f"{path}:{n}: expected a JSON object")
            for f in fields:
                if not isinstance(obj.get(f), str):
                    raise InvalidInputError(f"{path}:{n}: field {f!r} must be a string")
            yield obj
    finally:
        if not stdin:
            handle.close()


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB ({n:,} bytes)"


@functools.cache
def _embedder() -> Embedder | None:
    from agent.bootstrap import build_embedder

    return build_embedder()


def _calibration() -> tuple[float, float]:
    from tools.scoring import DEFAULT_CALIBRATION

    embedder = _embedder()
    return embedder.calibration if embedder is not None else DEFAULT_CALIBRATION


def _run(fn: Any, *, source: str | None = None) -> Any:
    """Call fn, turning domain errors into one line on stderr and exit code 2. `source` (the
    input's name) prefixes what can only be caught here: JSON nested past Python's recursion
    limit inside a reader this module does not own."""
    try:
        return fn()
    except JobfitError as exc:
        _fail(str(exc))
    except RecursionError:
        _fail(f"{source or 'input'}: JSON nested too deeply")
    except KeyboardInterrupt:
        _fail("interrupted", 130)


# --------------------------------------------------------------------------- parse


@app.command("parse")
def parse_cmd(file: Path, as_json: JsonOpt = False) -> None:
    """Parse a CV (PDF, DOCX, TXT, MD) and show what was understood."""

    def go() -> None:
        profile = _load_cv(file)
        if as_json:
            _echo_json(profile.model_dump(mode="json", exclude={"text"}))
        else:
            from ui.render import print_profile

            print_profile(profile)

    _run(go)


@app.command("parse-job")
def parse_job_cmd(file: Path, as_json: JsonOpt = False) -> None:
    """Parse a job posting (text file or a JSON record) and show what was understood."""

    def go() -> None:
        job = _load_job(file)
        if as_json:
            _echo_json(job.model_dump(mode="json", exclude={"text"}))
        else:
            from ui.render import print_job

            print_job(job)

    _run(go)


# --------------------------------------------------------------------------- score


@app.command("score")
def score_cmd(
    cv: Annotated[Path, typer.Option("--cv", help="CV file (PDF, DOCX, TXT, MD).")],
    job: Annotated[Path, typer.Option("--job", help="Job posting (TXT, MD, PDF, DOCX, JSON).")],
    as_json: JsonOpt = False,
    profile: ProfileOpt = "fitted",
) -> None:
    """Score one CV against one job: score, grade, sub-scores, matches, gaps with impact."""
    if profile not in ("fitted", "balanced", "ats"):
        _fail("--profile must be 'fitted', 'balanced' or 'ats'")

    def go() -> None:
        from tools.gaps import find_gaps
        from tools.scoring import embed_pair, score_match

        prof, posting = _load_cv(cv), _load_job(job)
        embedder = _embedder() if profile != "ats" else None
        cv_vec = job_vec = None
        if embedder is not None:
            cv_vec, job_vec = embed_pair(embedder, prof, posting)
        cal = _calibration()
        result = score_match(prof, posting, profile_name=profile,  # type: ignore[arg-type]
                             cv_vector=cv_vec, job_vector=job_vec, calibration=cal)
        report = find_gaps(prof, posting, result=result, profile_name=profile,  # type: ignore[arg-type]
                           cv_vector=cv_vec, job_vector=job_vec, calibration=cal)
        if as_json:
            _echo_json({"result": result.model_dump(mode="json"),
                        "gaps": report.model_dump(mode="json")})
        else:
            from ui.render import print_score

            print_score(result, report, job=posting)

    _run(go)


@app.command("score-pairs")
def score_pairs_cmd(
    pairs: Annotated[Path, typer.Argument(
        help='JSONL of {"id", "cv", "job"} raw texts; - = stdin')],
) -> None:
    """Score CV/job text pairs: one JSON line per input with score, grade and breakdown."""

    def go() -> None:
        from tools.parsing.cv import parse_cv
        from tools.parsing.job import parse_job
        from tools.scoring import cv_embedding_text, job_embedding_text, score_match

        rows = list(_read_jsonl(pairs, ("id", "cv", "job")))
        cvs = {t: parse_cv(t) for t in dict.fromkeys(r["cv"] for r in rows)}
        jobs = {t: parse_job(t) for t in dict.fromkeys(r["job"] for r in rows)}
        vectors = _embed_all([cv_embedding_text(p) for p in cvs.values()]
                             + [job_embedding_text(j) for j in jobs.values()])
        for row in rows:
            p, j = cvs[row["cv"]], jobs[row["job"]]
            result = score_match(p, j, cv_vector=vectors.get(cv_embedding_text(p)),
                                 job_vector=vectors.get(job_embedding_text(j)),
                                 calibration=_calibration())
            _echo_json({"id": row["id"], "score": result.score, "grade": result.grade,
                        "breakdown": result.breakdown()})

    _run(go)


def _embed_all(texts: list[str]) -> dict[str, Any]:
    """Embed each distinct non-empty text once; text -> vector."""
    distinct = [t for t in dict.fromkeys(texts) if t]
    embedder = _embedder()
    if embedder is None or not distinct:
        return {}
    matrix = embedder.embed(distinct)
    return dict(zip(distinct, matrix, strict=True))


@app.command("rank")
def rank_cmd(
    cvs: Annotated[Path, typer.Option("--cvs", help='JSONL of {"id", "text"} CVs.')],
    jobs: Annotated[Path, typer.Option("--jobs", help='JSONL of {"id", "text"} jobs.')],
    top: Annotated[int, typer.Option("--top", min=1, help="Jobs to return per CV.")] = 10,
    workers: WorkersOpt = 0,
) -> None:
    """Rank jobs for each CV: one JSON line per CV with its top jobs, best first."""

    def go() -> None:
        import numpy as np

        from tools.occupations import load_model
        from tools.parsing.cv import parse_cv
        from tools.scoring import cv_embedding_text, job_embedding_text, prepare_profile
        from tools.screening import ScreeningIndex
        from ui.batch import default_workers, fork_map

        n_workers = workers or default_workers()
        if n_workers > 1:  # the parent embeds between forks: keep the tokenizer single-threaded
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        cv_rows = list(_read_jsonl(cvs, ("id", "text")))
        job_rows = list(_read_jsonl(jobs, ("id", "text")))
        cv_distinct = list(dict.fromkeys(r["text"] for r in cv_rows))
        job_distinct = list(dict.fromkeys(r["text"] for r in job_rows))
        parsed_cv = dict(zip(cv_distinct, fork_map(parse_cv, cv_distinct, workers=n_workers),
                             strict=True))
        load_model()  # once, before the workers fork (they share it)
        parsed_job = dict(zip(job_distinct, fork_map(_parse_job_with_signals, job_distinct,
                                                     workers=n_workers), strict=True))
        job_list = [parsed_job[r["text"]][0] for r in job_rows]
        cv_texts = {t: cv_embedding_text(p) for t, p in parsed_cv.items()}
        job_texts = [job_embedding_text(j) for j in job_list]
        vectors = _embed_all(list(cv_texts.values()) + job_texts)
        # every job's scoring columns, scored against each CV at once (the engine's arithmetic
        # in numpy: equal to score_many, tested)
        screening = ScreeningIndex()
        for i, row in enumerate(job_rows):
            job, signals = parsed_job[row["text"]]
            screening.add_posting(str(i), job, text_signals=signals)
        screening.freeze()
        if vectors and all(t in vectors for t in job_texts):
            screening.set_vectors(np.stack([vectors[t] for t in job_texts]))
        calibration = _calibration()

        def best_jobs(text: str) -> list[tuple[int, int]]:
            cv_vec = vectors.get(cv_texts[text]) if screening.vectors is not None else None
            screened = screening.screen(prepare_profile(parsed_cv[text]),
                                        calibration=calibration, semantic=cv_vec is not None,
                                        cv_vector=cv_vec)
            scores = screened.lower
            order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:top]
            return [(i, int(round(scores[i]))) for i in order]

        ranked = dict(zip(cv_distinct, fork_map(best_jobs, cv_distinct, workers=n_workers,
                                                min_items=2), strict=True))
        for row in cv_rows:
            _echo_json({"cv_id": row["id"], "results": [
                {"job_id": job_rows[i]["id"], "score": s} for i, s in ranked[row["text"]]]})

    _run(go)


def _parse_job_with_signals(text: str) -> tuple[Any, tuple[dict[str, float], dict[str, float]]]:
    """A posting parsed, with its term and occupation vectors (the per-job work of ranking)."""
    from tools.parsing.job import parse_job
    from tools.scoring import job_text_signals

    job = parse_job(text)
    return job, job_text_signals(job.title, job.text or job.description)


@app.command("skills")
def skills_cmd(
    texts: Annotated[Path, typer.Argument(help='JSONL of {"id", "text"}; - = stdin')],
) -> None:
    """Extract skills: one JSON line per input with canonical names and character offsets."""

    def go() -> None:
        from tools.skills import extract_skills

        for row in _read_jsonl(texts, ("id", "text")):
            found = extract_skills(row["text"])
            _echo_json({"id": row["id"], "skills": [
                {"name": m.name, "surface": m.surface, "start": m.start, "end": m.end}
                for m in found]})

    _run(go)


@app.command("occupations")
def occupations_cmd(
    titles: Annotated[Path, typer.Argument(help='JSONL of {"id", "text"} titles; - = stdin')],
    top: Annotated[int, typer.Option("--top", min=1, help="Occupations per title.")] = 10,
) -> None:
    """Normalise job titles to ESCO occupations (with O*NET codes): one JSON line per input."""

    def go() -> None:
        from tools.occupations import match_occupations

        for row in _read_jsonl(titles, ("id", "text")):
            _echo_json({"id": row["id"], "occupations": [
                {"esco_uri": m.esco_uri, "onet_soc": m.onet_soc, "title": m.title,
                 "score": m.score} for m in match_occupations(row["text"], top=top)]})

    _run(go)


# --------------------------------------------------------------------------- demo


@app.command("demo")
def demo_cmd() -> None:
    """Score the bundled sample CVs against sample jobs in the terminal (`make demo`)."""

    def go() -> None:
        from ui.render import print_demo

        print_demo()

    _run(go)


# --------------------------------------------------------------------------- store

jobs_app = typer.Typer(help="The job collection: stats, expiry, search.", no_args_is_help=True)
index_app = typer.Typer(help="The vector index of jobs: check and repair.", no_args_is_help=True)
cache_app = typer.Typer(help="The analysis cache.", no_args_is_help=True)
app.add_typer(jobs_app, name="jobs")
app.add_typer(index_app, name="index")
app.add_typer(cache_app, name="cache")


def _store() -> tuple[Any, Any, Any]:
    """(engine, embedder, index) from the settings — built once per command."""
    from agent.bootstrap import build_engine, build_index

    embedder = _embedder()
    return build_engine(), embedder, build_index(embedder)


def _stage1(engine: Any, embedder: Embedder | None, index: Any) -> Any:
    """The stage-1 indexes (keywords, places, screening columns), from the snapshot the web chat
    and `jobfit chat` share under the data directory (rebuilt when the jobs changed)."""
    from agent.bootstrap import stage1_snapshot
    from store.jobsource import load_job_indexes

    return load_job_indexes(engine, stage1_snapshot(),
                            vectors=index.vectors if embedder else None,
                            dim=embedder.dim if embedder else None)


def _require_embedder() -> Embedder:
    embedder = _embedder()
    if embedder is None:
        raise InvalidInputError("JOBFIT_EMBEDDER=none: indexing and search need an embedder")
    return embedder


@app.command("import")
def import_cmd(
    file: Annotated[Path | None, typer.Argument(help="JSON array, JSONL or CSV of jobs.")] = None,
    rss: Annotated[str | None, typer.Option("--rss", help="RSS/Atom feed URL or file.")] = None,
    source: Annotated[str | None, typer.Option("--source", help="Source name when rows "
                                               "have none (default: the file name).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Import jobs (upsert by source + external id), index them, and report the batch."""
    if (file is None) == (rss is None):
        _fail("give a FILE or --rss URL|FILE (one of them)")

    def go() -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        from store.importers import import_jobs

        engine, embedder, index = _store()
        target: str | Path = rss if rss is not None else file  # type: ignore[assignment]
        if as_json:
            summary = import_jobs(target, engine=engine, index=index,
                                  embedder=_require_embedder(), default_source=source,
                                  is_feed=rss is not None)
            _echo_json(summary.model_dump(mode="json"))
            _fail_if_nothing_imported(summary)
            return
        columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"), TimeRemainingColumn())
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("import", total=None, rate="")
            started = __import__("time").perf_counter()

            def progress(done: int, total: int | None) -> None:
                rate = done / max(1e-6, __import__("time").perf_counter() - started)
                bar.update(task, completed=done, total=total, rate=f"{rate:,.0f} jobs/s")

            summary = import_jobs(target, engine=engine, index=index,
                                  embedder=_require_embedder(), default_source=source,
                                  is_feed=rss is not None, progress=progress)
        from ui.render import print_import_summary

        print_import_summary(summary)
        _fail_if_nothing_imported(summary)

    _run(go, source=str(rss if rss is not None else file))


def _fail_if_nothing_imported(summary: Any) -> None:
    """Exit 1 (after the summary was printed) when rows failed and none was imported."""
    if summary.failed and not (summary.new or summary.updated or summary.unchanged):
        _fail(f"nothing imported: {summary.failed:,} of {summary.total:,} rows failed (see the "
              "summary's errors)", 1)


@jobs_app.command("stats")
def jobs_stats_cmd(as_json: JsonOpt = False) -> None:
    """Counts of jobs by status and by source."""

    def go() -> None:
        from agent.bootstrap import build_engine
        from store.repo import JobRepo

        repo = JobRepo(build_engine())
        by_status = {k.lower(): v for k, v in repo.count_by_status().items()}
        out: dict[str, Any] = {s: by_status.get(s, 0)
                               for s in ("active", "expired", "filled", "closed")}
        out["total"] = sum(by_status.values())
        out["by_source"] = repo.count_by_source()
        if as_json:
            _echo_json(out)
        else:
            from ui.render import print_stats

            print_stats(out)

    _run(go)


@jobs_app.command("expire")
def jobs_expire_cmd() -> None:
    """Mark jobs older than 30 days EXPIRED and drop them from the index."""

    def go() -> None:
        from store.importers import expire_jobs

        engine, _, index = _store()
        typer.echo(f"{expire_jobs(engine, index)} jobs expired")

    _run(go)


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

    def go() -> None:
        from store.jobsource import DbJobSource
        from tools.matching import search_jobs
        from tools.search import JobFilters

        engine, embedder, index = _store()
        filters = JobFilters(remote_only=remote, min_salary=min_salary, location=location,
                             posted_within_days=days)
        vector = _require_embedder().embed([query])[0]
        hits = search_jobs(query, vector=vector, index=index,
                           keywords=_stage1(engine, embedder, index).keywords,
                           jobs=DbJobSource(engine),
                           filters=filters, k=top, min_similarity=_calibration()[0])
        rows = [{"job_id": h.posting.external_id, "title": h.posting.title,
                 "company": h.posting.company,
                 "location": h.posting.location.raw if h.posting.location else None,
                 "remote": h.posting.work_mode, "score": round(h.score, 4)} for h in hits]
        if as_json:
            _echo_json({"results": rows})
        else:
            from ui.render import print_job_rows

            print_job_rows(rows)

    _run(go)


@app.command("match")
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
    wanted = {s.strip().lower() for s in strict.split(",") if s.strip()}
    if wanted - {"salary", "location", "experience"}:
        _fail("--strict takes salary, location and/or experience")

    def go() -> None:
        from agent.bootstrap import get_settings
        from store.cache import AnalysisCache, content_hash
        from store.jobsource import DbJobSource
        from tools.matching import HardFilters, match_cv
        from tools.scoring import cv_embedding_text

        profile = _load_cv(cv_file)
        engine, embedder, index = _store()
        cv_vec = embedder.embed([cv_embedding_text(profile)])[0] if embedder else None
        source = DbJobSource(engine)
        stage1 = None if exhaustive else _stage1(engine, embedder, index)
        matches = match_cv(
            profile, jobs=source, cv_vector=cv_vec, index=index,
            screening=stage1.screening if stage1 else None,
            k=top, min_score=min_score, exhaustive=exhaustive, calibration=_calibration(),
            vectors=index.vectors if cv_vec is not None else None,
            cache=AnalysisCache(engine, ttl_days=get_settings().analysis_ttl_days),
            cv_hash=content_hash(profile.text),
            hard=HardFilters(**{k: True for k in wanted}) if wanted else None,
        )
        rows = [{"job_id": m.posting.external_id, "title": m.posting.title,
                 "company": m.posting.company, "score": m.result.score,
                 "grade": m.result.grade, "breakdown": m.result.breakdown()} for m in matches]
        if as_json:
            _echo_json({"results": rows})
        else:
            from ui.render import print_matches

            print_matches(matches)

    _run(go)


@index_app.command("check")
def index_check_cmd(as_json: JsonOpt = False) -> None:
    """Active jobs missing from the vector index, or indexed with an old content hash."""

    def go() -> None:
        from store.repo import JobRepo

        engine, _, index = _store()
        report = _index_report(JobRepo(engine), index)
        if as_json:
            _echo_json(report)
        else:
            typer.echo(f"{report['indexed']} indexed; {len(report['missing'])} missing; "
                       f"{len(report['stale'])} stale"
                       + ("" if not (report["missing"] or report["stale"])
                          else " — run `jobfit index rebuild`"))

    _run(go)


def _index_report(repo: Any, index: Any) -> dict[str, Any]:
    indexed = index.hashes()
    missing: list[str] = []
    stale: list[str] = []
    active: set[str] = set()
    for record in repo.iter_active():
        key = str(record.id)
        active.add(key)
        if key not in indexed:
            missing.append(key)
        elif indexed[key] != record.content_hash:
            stale.append(key)
    orphans = sorted(set(indexed) - active, key=lambda x: (len(x), x))
    return {"indexed": len(indexed), "missing": missing, "stale": stale + orphans}


@index_app.command("rebuild")
def index_rebuild_cmd() -> None:
    """Re-embed and re-index missing or stale jobs; drop jobs no longer active."""

    def go() -> None:
        from store.repo import JobRepo, parsed_job
        from tools.scoring import job_embedding_text
        from tools.search import IndexedJob, job_metadata

        engine, _, index = _store()
        embedder = _require_embedder()
        repo = JobRepo(engine)
        report = _index_report(repo, index)
        fix = set(report["missing"]) | set(report["stale"])
        records = [r for r in repo.get_many([int(i) for i in fix]) if r.status == "ACTIVE"]
        index.delete([i for i in report["stale"] if i not in {str(r.id) for r in records}])
        for start in range(0, len(records), 500):
            chunk = records[start:start + 500]
            postings = [parsed_job(r) for r in chunk]
            vectors = embedder.embed([job_embedding_text(p) for p in postings])
            index.upsert([IndexedJob(id=str(r.id), vector=v, content_hash=r.content_hash,
                                     metadata=job_metadata(p, r.company, posted=r.imported.date()))
                          for r, p, v in zip(chunk, postings, vectors, strict=True)])
        typer.echo(f"re-indexed {len(records)} jobs; removed "
                   f"{len(report['stale']) + len(report['missing']) - len(records)} entries")

    _run(go)


@cache_app.command("clean")
def cache_clean_cmd() -> None:
    """Delete expired cached analyses."""

    def go() -> None:
        from agent.bootstrap import build_engine
        from store.cache import AnalysisCache

        typer.echo(f"{AnalysisCache(build_engine()).clean()} expired analyses removed")

    _run(go)


users_app = typer.Typer(help="Web chat accounts (password login).", no_args_is_help=True)
app.add_typer(users_app, name="users")


@app.command("chat")
def chat_cmd(
    user: Annotated[str, typer.Option("--user", help="Who is chatting (their data only).")] = (
        "local"),
    cv: Annotated[Path | None, typer.Option("--cv", help="Load this CV first.")] = None,
    trace: Annotated[bool, typer.Option(
        "--trace", help="Write one JSON line per tool call to stderr.")] = False,
) -> None:
    """Chat with jobfit in the terminal; piped stdin: one message per line, answers on stdout.

    /cv FILE loads a CV, /help lists what jobfit can do, /quit leaves. With --trace, each tool
    call is written to stderr as {"tool", "args" (no personal data), "ok"}.
    """
    from ui.chat import run_chat

    _run(lambda: run_chat(user=user, cv_file=cv, trace=trace))


@app.command("ui")
def ui_cmd(
    port: Annotated[int | None, typer.Option("--port", help="Port (default 8000).")] = None,
    host: Annotated[str | None, typer.Option("--host", help="Address (default 127.0.0.1).")] = None,
    allow_open_remote: Annotated[bool, typer.Option(
        "--allow-open-remote",
        help="Serve open mode (no login) on a non-loopback address anyway.")] = False,
) -> None:
    """Start the web chat (Chainlit) on http://127.0.0.1:8000."""
    from ui.webchat.launcher import serve

    _run(lambda: serve(host=host, port=port, allow_open_remote=allow_open_remote))


@app.command("slack")
def slack_cmd(
    port: Annotated[int, typer.Option("--port", help="HTTP port for /slack/events.")] = 3000,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    socket: Annotated[bool, typer.Option(
        "--socket", help="Socket Mode (SLACK_APP_TOKEN): no public address needed.")] = False,
) -> None:
    """Run the Slack bot alone: HTTP mode on --port, or Socket Mode with --socket."""
    from ui.slack import serve as serve_slack

    _run(lambda: serve_slack(port=port, host=host, socket=socket))


@app.command("teams-package")
def teams_package_cmd(
    out: Annotated[Path, typer.Option("--out", help="Zip to write.")] = Path("jobfit-teams.zip"),
    app_id: Annotated[str | None, typer.Option(
        "--app-id", help="The bot's Entra app id (default TEAMS_APP_ID).")] = None,
) -> None:
    """Write the Teams app package (manifest + icons) to upload in Teams."""
    from agent.bootstrap import get_settings
    from ui.teams import build_app_package

    def go() -> None:
        bot_id = app_id or get_settings().teams_app_id
        if not bot_id:
            raise InvalidInputError("Give --app-id or set TEAMS_APP_ID.")
        typer.echo(str(build_app_package(out, app_id=bot_id)))

    _run(go)


@users_app.command("add")
def users_add_cmd(
    name: Annotated[str, typer.Argument(help="Login name.")],
    password: Annotated[str | None, typer.Option(
        "--password", help="Password (default: asked for, or read from stdin when piped).")] = None,
) -> None:
    """Create a web chat account (or reset its password)."""
    from ui.users import add_user

    _run(lambda: add_user(name, password))


from ui.recruiter import register as _register_recruiter  # noqa: E402  (recruiter commands)

_register_recruiter(app)

def _register_digests() -> None:
    from ui.digest_cli import register

    register(app)


_register_digests()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs get our own clear error
    try:
        app()
    except BrokenPipeError:  # e.g. `jobfit rank ... | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
