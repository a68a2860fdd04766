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
    from tools.factors import DEFAULT_CALIBRATION

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


def _embed_all(texts: list[str], embedder: Embedder | None = None) -> dict[str, Any]:
    """Embed each distinct non-empty text once; text -> vector."""
    distinct = [t for t in dict.fromkeys(texts) if t]
    embedder = embedder or _embedder()
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

        from tools.factors import DEFAULT_CALIBRATION
        from tools.occupations import load_model
        from tools.parsing.cv import parse_cv
        from tools.preparation import prepare_profile
        from tools.scoring import cv_embedding_text, job_embedding_text
        from tools.screening import ScreeningIndex
        from ui.batch import default_workers, fork_map

        n_workers = workers or default_workers()
        if n_workers > 1:  # the parent embeds between forks: keep the tokenizer single-threaded
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
        cv_rows = list(_read_jsonl(cvs, ("id", "text")))
        job_rows = list(_read_jsonl(jobs, ("id", "text")))
        cv_distinct = list(dict.fromkeys(r["text"] for r in cv_rows))
        job_distinct = list(dict.fromkeys(r["text"] for r in job_rows))
        held: list[Embedder | None] = []

        def load_embedder() -> None:  # while the workers parse the CVs
            held.append(_embedder())
            if held[0] is not None:
                held[0].embed(["warm up"])

        parsed_cv = dict(zip(cv_distinct, fork_map(parse_cv, cv_distinct, workers=n_workers,
                                                   meanwhile=load_embedder), strict=True))
        embedder = held[0]
        load_model()  # once, before the workers fork (they share it)
        parsed_job = dict(zip(job_distinct, fork_map(_parse_job_with_signals, job_distinct,
                                                     workers=n_workers), strict=True))
        job_list = [parsed_job[r["text"]][0] for r in job_rows]
        cv_texts = {t: cv_embedding_text(p) for t, p in parsed_cv.items()}
        job_texts = [job_embedding_text(j) for j in job_list]
        vectors = _embed_all(list(cv_texts.values()) + job_texts, embedder)
        # every job's scoring columns, scored against each CV at once (the engine's arithmetic
        # in numpy: equal to score_many, tested)
        screening = ScreeningIndex()
        for i, row in enumerate(job_rows):
            job, signals = parsed_job[row["text"]]
            screening.add_posting(str(i), job, text_signals=signals)
        screening.freeze()
        if vectors and all(t in vectors for t in job_texts):
            screening.set_vectors(np.stack([vectors[t] for t in job_texts]))
        calibration = embedder.calibration if embedder is not None else DEFAULT_CALIBRATION

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
    from tools.preparation import job_text_signals

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


from ui.cli_jobs import register as _register_operator  # noqa: E402  (jobs, index, users...)
from ui.recruiter import register as _register_recruiter  # noqa: E402  (recruiter commands)

_register_operator(app)

_register_recruiter(app)

def _register_digests() -> None:
    from ui.digest_cli import register

    register(app)


_register_digests()


def _register_tailor() -> None:
    from ui.tailor_cli import register

    register(app)


_register_tailor()


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs get our own clear error
    try:
        app()
    except BrokenPipeError:  # e.g. `jobfit rank ... | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
