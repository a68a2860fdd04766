"""Recruiter figures: bulk import of N PDF/DOCX CVs into a pool, and ranking N CVs for one job.

    python -m tests.bench.bench_recruiters [--cvs 1000] [--workers N]

1. Writes N generated CVs (``store.samples.generate``: half PDF with fpdf2, half DOCX with
   python-docx, the writers of the bundled samples) to a temporary folder (not timed).
2. ``jobfit pool add --user bench FOLDER`` as the CLI runs it, in-process: reading every file
   (same extraction and limits as one CV), parsing each twice (as written, and its neutral
   text), the job-independent features, embedding, storing — with the CLI's rich progress bar;
   prints the rate (CVs/s) and where the time went.
3. Ranking the pool for one job (a bundled sample posting): loading the pool from the store,
   then :func:`tools.candidates.rank_candidates` on the parsed candidates — cold (first ranking
   in the process) and warm (another job). Goal: ≤ 2 s for 1,000 parsed CVs.

Figures, not pass/fail: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (parse workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def write_cvs(folder: Path, n: int) -> None:
    from store.samples import generate as g

    for i, (_, profile, text) in enumerate(g._cv_plan(n, seed=7)):
        if i % 2:
            data = g._docx_bytes(profile, skills_table=bool(i % 4 == 1))
            (folder / f"cv{i:04d}.docx").write_bytes(data)
        else:
            (folder / f"cv{i:04d}.pdf").write_bytes(g._pdf_bytes(text, f"CV {i}"))


def rank_only(n: int, workers: int) -> int:
    """Ranking N parsed CVs (read for a pool in forked workers) for three jobs: wall and CPU."""
    from agent.bootstrap import build_embedder
    from store.samples import generate as g
    from tools.candidates import cv_embedding_texts, rank_candidates, read_candidate
    from tools.parsing.job import parse_job
    from tools.scoring import job_embedding_text
    from ui.batch import default_workers, fork_map

    texts = [t for _, _, t in g._cv_plan(n, seed=7)]
    read_candidate(texts[0])  # models loaded before the fork
    t0 = time.perf_counter()
    cands = fork_map(read_candidate, texts, workers=workers or default_workers())
    print(f"read {n} CVs for a pool (two parses + features) in {time.perf_counter() - t0:.1f} s")
    emb = build_embedder()
    assert emb is not None
    for c, v in zip(cands, emb.embed(cv_embedding_texts(cands)), strict=True):
        c.vector = v
    jobs = [json.loads(line)["text"] for line in
            (ROOT / "store" / "samples" / "jobs.jsonl").read_text().splitlines()[:3]]
    for i, text in enumerate(jobs):
        posting = parse_job(text)
        jv = emb.embed([job_embedding_text(posting)])[0]
        w, c = time.perf_counter(), time.process_time()
        rows = rank_candidates(posting, cands, job_vector=jv, calibration=emb.calibration,
                               top=20)
        print(f"rank {n} parsed CVs for job {i + 1} ({posting.title}): "
              f"{time.perf_counter() - w:.2f} s wall, {time.process_time() - c:.2f} s CPU"
              f"{' (first ranking: candidates prepared)' if i == 0 else ''}; top "
              f"{rows[0].score}, 20 explained")
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cvs", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--rank-only", action="store_true",
                    help="skip the files and the store: rank N parsed generated CVs")
    args = ap.parse_args(argv)
    if args.rank_only:
        return rank_only(args.cvs, args.workers)

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from agent.recruiting import Recruiting
    from store.db import init_db, make_engine
    from tests.integration.agent_store import build_store
    from tools.candidate_files import list_folder, read_file
    from tools.candidates import rank_candidates
    from tools.parsing.job import parse_job
    from tools.scoring import job_embedding_text
    from ui.batch import default_workers, fork_map

    workers = args.workers or default_workers()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cvs"
        folder.mkdir()
        t0 = time.perf_counter()
        write_cvs(folder, args.cvs)
        size = sum(p.stat().st_size for p in folder.iterdir())
        print(f"wrote {args.cvs} CVs ({size / 1e6:.1f} MB, PDF + DOCX) in "
              f"{time.perf_counter() - t0:.1f} s (not timed below)")
        service = build_store(Path(tmp) / "data", n_jobs=5)
        make_engine(None, Path(tmp) / "data")
        init_db(service.engine)
        desk = Recruiting(service)

        def parse_map(fn, texts):  # type: ignore[no-untyped-def]
            return fork_map(fn, texts, workers=workers, min_items=32)

        started = time.perf_counter()
        cpu0 = _cpu_seconds()
        items = list_folder(folder)  # as `jobfit pool add FOLDER`: read by forked workers
        read = fork_map(lambda item: read_file(*item), items, workers=workers, min_items=32)
        read_s = time.perf_counter() - started
        columns = (TextColumn("adding CVs"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[rate]}"))
        t1 = time.perf_counter()
        with Progress(*columns, transient=False) as bar:
            task = bar.add_task("pool", total=len(read), rate="")

            def progress(done: int, total: int) -> None:
                rate = done / max(1e-6, time.perf_counter() - started)
                bar.update(task, completed=done, total=total, rate=f"{rate:,.1f} CVs/s")

            summary = desk.add("bench", read=read, progress=progress, parse_map=parse_map)
        add_s = time.perf_counter() - t1
        total_s = time.perf_counter() - started
        print(f"bulk import: {summary.added} added, {summary.failed} failed, "
              f"{summary.duplicates} duplicates of {summary.total} files in {total_s:.1f} s = "
              f"{summary.total / total_s:.1f} CVs/s (reading/extracting {read_s:.1f} s, "
              f"parsing twice + features + embedding + storing {add_s:.1f} s; "
              f"{workers} parse workers; CPU {_cpu_seconds() - cpu0:.1f} s incl. workers)")

        jobs = [json.loads(line) for line in
                (ROOT / "store" / "samples" / "jobs.jsonl").read_text().splitlines()[:3]]
        postings = [parse_job(j["text"] if "text" in j else json.dumps(j)) for j in jobs]
        emb = service.embedder
        assert emb is not None
        from tools.occupations import load_model
        from tools.skills import load_taxonomy

        t2 = time.perf_counter()
        load_model()
        load_taxonomy()
        parse_job(jobs[-1]["text"])
        print(f"loading the taxonomy and occupation models (once per process, the web chat "
              f"does it at start): {time.perf_counter() - t2:.1f} s")
        t2 = time.perf_counter()
        cands = desk.candidates("bench")
        load_s = time.perf_counter() - t2
        print(f"pool load from the store: {len(cands)} candidates in {load_s:.2f} s")
        for i, posting in enumerate(postings):
            jv = emb.embed([job_embedding_text(posting)])[0]
            t3 = time.perf_counter()
            rows = rank_candidates(posting, cands, job_vector=jv, calibration=emb.calibration,
                                   top=20)
            s = time.perf_counter() - t3
            print(f"rank {len(cands)} parsed CVs for job {i + 1} "
                  f"({posting.title or '?'}): {s:.2f} s "
                  f"{'(first: candidates prepared from stored features)' if i == 0 else ''}; "
                  f"top score {rows[0].score}")
        from agent import recruiting

        recruiting._CACHE.clear()
        for what in ("pool loaded from the store", "pool kept in memory"):
            t4 = time.perf_counter()
            desk.rank("bench", job_text=jobs[1].get("text") or postings[1].text, top=20)
            print(f"Recruiting.rank, {what} (+ rank + explain top 20): "
                  f"{time.perf_counter() - t4:.2f} s")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {rss:,.0f} MB")
        service.engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
