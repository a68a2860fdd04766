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

from tools.errors import InvalidInputError, JobfitError

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

ProfileOpt = Annotated[str, typer.Option("--profile", help="Scoring profile: balanced or ats.")]
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
        if not isinstance(data, dict):
            raise InvalidInputError(f"{path}: expected one JSON object describing a job")
        return parse_job(data)
    return parse_job(_read_file_text(path))


def _load_cv(path: Path) -> CandidateProfile:
    from tools.parsing.cv import parse_cv

    return parse_cv(_read_file_text(path))


def _read_jsonl(path: Path, fields: tuple[str, ...]) -> Iterator[dict[str, Any]]:
    """Yield validated objects of a JSONL file; a bad line raises with its line number."""
    if str(path) != "-" and not path.exists():
        raise InvalidInputError(f"{path}: no such file")
    handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    try:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidInputError(f"{path}:{n}: invalid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise InvalidInputError(f"{path}:{n}: expected a JSON object")
            for f in fields:
                if not isinstance(obj.get(f), str):
                    raise InvalidInputError(f"{path}:{n}: field {f!r} must be a string")
            yield obj
    except UnicodeDecodeError:
        raise InvalidInputError(f"{path}: not UTF-8 text") from None
    finally:
        if handle is not sys.stdin:
            handle.close()


@functools.cache
def _embedder() -> Embedder | None:
    from agent.bootstrap import build_embedder

    return build_embedder()


def _calibration() -> tuple[float, float]:
    from tools.scoring import DEFAULT_CALIBRATION

    embedder = _embedder()
    return embedder.calibration if embedder is not None else DEFAULT_CALIBRATION


def _run(fn: Any) -> Any:
    """Call fn, turning domain errors into one line on stderr and exit code 2."""
    try:
        return fn()
    except JobfitError as exc:
        _fail(str(exc))
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
    profile: ProfileOpt = "balanced",
) -> None:
    """Score one CV against one job: score, grade, sub-scores, matches, gaps with impact."""
    if profile not in ("balanced", "ats"):
        _fail("--profile must be 'balanced' or 'ats'")

    def go() -> None:
        from tools.gaps import find_gaps
        from tools.scoring import embed_pair, score_match

        prof, posting = _load_cv(cv), _load_job(job)
        embedder = _embedder() if profile == "balanced" else None
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

        from tools.parsing.cv import parse_cv
        from tools.parsing.job import parse_job
        from tools.scoring import (
            cv_embedding_text,
            job_embedding_text,
            prepare_job,
            prepare_profile,
            score_many,
        )
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
        parsed_job = dict(zip(job_distinct, fork_map(parse_job, job_distinct, workers=n_workers),
                              strict=True))
        job_list = [parsed_job[r["text"]] for r in job_rows]
        prepared_jobs = [prepare_job(j) for j in job_list]
        cv_texts = {t: cv_embedding_text(p) for t, p in parsed_cv.items()}
        job_texts = [job_embedding_text(j) for j in job_list]
        vectors = _embed_all(list(cv_texts.values()) + job_texts)
        job_matrix = None
        if vectors and all(t in vectors for t in job_texts):
            job_matrix = np.stack([vectors[t] for t in job_texts])
        calibration = _calibration()

        def best_jobs(text: str) -> list[tuple[int, int]]:
            cv_vec = vectors.get(cv_texts[text]) if job_matrix is not None else None
            scores = score_many(prepare_profile(parsed_cv[text]), prepared_jobs,
                                cv_vector=cv_vec, calibration=calibration,
                                job_vectors=job_matrix if cv_vec is not None else None)
            order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:top]
            return [(i, int(round(scores[i]))) for i in order]

        ranked = dict(zip(cv_distinct, fork_map(best_jobs, cv_distinct, workers=n_workers,
                                                min_items=2), strict=True))
        for row in cv_rows:
            _echo_json({"cv_id": row["id"], "results": [
                {"job_id": job_rows[i]["id"], "score": s} for i, s in ranked[row["text"]]]})

    _run(go)


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


# --------------------------------------------------------------------------- demo


@app.command("demo")
def demo_cmd() -> None:
    """Score the bundled sample CVs against a few bundled sample jobs (what `make run` shows)."""

    def go() -> None:
        from ui.render import print_demo

        print_demo()

    _run(go)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damaged PDFs get our own clear error
    try:
        app()
    except BrokenPipeError:  # e.g. `jobfit rank ... | head`
        sys.stderr.close()


if __name__ == "__main__":
    main()
