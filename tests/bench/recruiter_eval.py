"""The recruiter direction of the real-data evaluation (FERR-A) run through ``rank-candidates``.

Run: ``python -m tests.bench.recruiter_eval`` (about 1-2 minutes). For each of the 28 FERR jobs
the resumes its HR rater graded are written to a JSONL (``{"id", "text"}``) and the job's
posting to a text file, both in a temporary folder, and ``jobfit rank-candidates --job JOB.txt
--cvs CVS.jsonl --top N --json`` ranks them (in-process through the CLI app, so models load
once). A resume's score for the metrics is minus its position in the output (the order is by the
unrounded score, as printed best first). Next to it, in the same run, and with the same loaders
and metrics as ``tests/bench/quality.py``:

* ``tfidf``: the TF-IDF baseline;
* ``jobfit (quality.py)``: the engine as ``quality.py`` scores it (text as written, parsed with
  ``today`` fixed at ``quality.TODAY``);
* ``rank_candidates, text as written``: :func:`tools.candidates.rank_candidates` on the same
  parses (shows that the pool path is the same engine: equal figures);
* ``rank_candidates, blind``: the same on the neutral texts (what blind screening scores);
* ``jobfit rank-candidates (CLI)``: the command, blind, parsing with today's date.

Data: ``../shared/data/real-dev/ferr-hr-relevance-A``, read in place, never copied.
"""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from tests.bench import quality as q


def _matrix_from_orders(task: q.Task, orders: dict[int, list[str]]) -> np.ndarray:
    """(n_cv, n_job) scores: minus each resume's position in the job's output."""
    row = {cid: i for i, cid in enumerate(task.cv_ids)}
    m = np.full((len(task.cv_ids), len(task.job_ids)), -1e9)
    for j, ids in orders.items():
        for pos, cid in enumerate(ids):
            m[row[cid], j] = -pos
    return m


def cli_orders(task: q.Task) -> tuple[dict[int, list[str]], float]:
    """Each job's resume order from ``jobfit rank-candidates --json`` (in-process)."""
    from typer.testing import CliRunner

    from ui.cli import app

    runner = CliRunner()
    orders: dict[int, list[str]] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for query in task.queries:
            job = Path(tmp) / f"job{query.index}.txt"
            job.write_text(task.job_texts[query.index], encoding="utf-8")
            cvs = Path(tmp) / f"cvs{query.index}.jsonl"
            cvs.write_text("".join(json.dumps({"id": task.cv_ids[i], "text": task.cv_texts[i]})
                                   + "\n" for i in query.items), encoding="utf-8")
            res = runner.invoke(app, ["rank-candidates", "--job", str(job), "--cvs", str(cvs),
                                      "--top", str(len(query.items)), "--json", "--workers", "1"])
            if res.exit_code != 0:
                raise RuntimeError(f"rank-candidates failed for {query.qid}: {res.output[-500:]}")
            line = [x for x in res.stdout.splitlines() if x.startswith("{")][-1]
            orders[query.index] = [r["cv_id"] for r in json.loads(line)["results"]]
    return orders, time.perf_counter() - started


def pool_orders(task: q.Task, *, blind: bool) -> dict[int, list[str]]:
    """Each job's order from ``rank_candidates`` on the quality harness's parses (fixed today)."""
    from tools.candidates import Candidate, cv_embedding_texts, rank_candidates, read_candidate
    from tools.factors import DEFAULT_CALIBRATION
    from tools.parsing.cv import parse_cv
    from tools.scoring import job_embedding_text

    parse = functools.partial(parse_cv, today=q.TODAY)
    emb = q.default_embedder()
    cands: dict[int, Candidate] = {}
    for query in task.queries:
        for i in query.items:
            if i in cands:
                continue
            text = task.cv_texts[i]
            if blind:
                c = read_candidate(text, cv_id=task.cv_ids[i], parse=parse)
            else:
                c = Candidate(cv_id=task.cv_ids[i], profile=q.parsed_cv(text))
            cands[i] = c
    if emb is not None:
        items = list(cands.values())
        for c, v in zip(items, q.embed_texts(emb, cv_embedding_texts(items)), strict=True):
            c.vector = v if np.any(v) else None
    orders = {}
    for query in task.queries:
        job = q.parsed_job(task.job_texts[query.index])
        jv = None
        if emb is not None and job_embedding_text(job):
            jv = q.embed_texts(emb, [job_embedding_text(job)])[0]
        rows = rank_candidates(job, [cands[i] for i in query.items], job_vector=jv, top=None,
                               explain=0,
                               calibration=emb.calibration if emb else DEFAULT_CALIBRATION)
        orders[query.index] = [r.candidate.cv_id for r in rows]
    return orders


def main() -> dict[str, Any]:
    task = q.ferr_task()
    q.parse_all(task.cv_texts, task.job_texts)
    results: dict[str, Any] = {}
    results["tfidf"] = q.evaluate_matrix(task, q.tfidf_scores(task.cv_texts, task.job_texts))
    results["jobfit (quality.py)"] = q.evaluate_matrix(
        task, q.jobfit_scores(task.cv_texts, task.job_texts))
    for blind in (False, True):
        name = "rank_candidates, " + ("blind" if blind else "text as written")
        results[name] = q.evaluate_matrix(task, _matrix_from_orders(task, pool_orders(
            task, blind=blind)))
    orders, seconds = cli_orders(task)
    results["jobfit rank-candidates (CLI)"] = q.evaluate_matrix(
        task, _matrix_from_orders(task, orders))
    print(f"FERR-A through rank-candidates ({len(task.queries)} jobs; CLI {seconds:.1f} s)\n")
    print("| scorer | NDCG tune | NDCG confirm | τ tune | τ confirm |")
    print("|---|---:|---:|---:|---:|")
    for name, res in results.items():
        s = res["splits"]
        print(f"| {name} | {s['tune']['ndcg']:.3f} | {s['confirm']['ndcg']:.3f} | "
              f"{s['tune']['tau']:.3f} | {s['confirm']['tau']:.3f} |")
    sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
