"""Ingestion throughput: N generated jobs (JSONL) into a fresh SQLite + embedded Chroma.

    python -m tests.bench.bench_ingest [--jobs 10000] [--chunk 200] [--workers N]

Prints jobs/s end to end (reading, mapping, parsing, database, embedding with the static
embedder, indexing) and where the time went, then the same file again (every row unchanged:
no parsing, no embedding). Goal: ≥ 200 jobs/s on 2 cores. A figure, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

from store.db import init_db, make_engine
from store.ingest.pipeline import import_jobs
from store.ingest.workers import default_workers
from store.samples.generate import generate_jobs
from store.static_embeddings import StaticEmbedder
from store.vectors import ChromaJobIndex


def _cpu_seconds() -> float:
    """User + system CPU of this process and its finished children (parsing workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=10_000)
    ap.add_argument("--chunk", type=int, default=200)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="jobfit-bench-ingest-") as tmp:
        data = Path(tmp)
        path = data / "jobs.jsonl"
        t0 = time.perf_counter()
        with path.open("w", encoding="utf-8") as fh:
            for job in generate_jobs(args.jobs, seed=7):
                fh.write(json.dumps(job, ensure_ascii=False) + "\n")
        print(f"generated {args.jobs:,} jobs ({path.stat().st_size / 1e6:.1f} MB) "
              f"in {time.perf_counter() - t0:.1f} s")

        engine = make_engine(None, data)
        init_db(engine)
        embedder = StaticEmbedder()
        embedder.load()
        index = ChromaJobIndex.persistent(data, embedder_name=embedder.name, dim=embedder.dim)
        workers = args.workers if args.workers is not None else default_workers()
        print(f"cpus {os.cpu_count()}, parsing workers {workers}, chunk {args.chunk}, "
              f"load average {os.getloadavg()[0]:.1f}")

        for label in ("fresh import", "re-import (unchanged)"):
            stages: dict[str, float] = {}
            cpu0 = _cpu_seconds()
            t0 = time.perf_counter()
            summary = import_jobs(path, engine=engine, index=index, embedder=embedder,
                                  chunk_size=args.chunk, workers=workers, timings=stages)
            elapsed = time.perf_counter() - t0
            cpu = _cpu_seconds() - cpu0
            counts = summary.model_dump(exclude={"errors", "batch_id"})
            print(f"\n{label}: {summary.total:,} rows in {elapsed:.1f} s = "
                  f"{summary.total / elapsed:,.0f} jobs/s   {counts}")
            print("  main-process time split (s): " + "  ".join(
                f"{k} {v:.2f}" for k, v in stages.items()))
            print("  (read = reading the file; parse = map + hash + parse here; wait = for "
                  "parsing workers; db = lookups + upserts; embed = here; index = Chroma)")
            ncpu = os.cpu_count() or 1
            print(f"  CPU {cpu:.1f} s over all processes = {cpu / summary.total * 1000:.2f} ms "
                  f"a job -> at most {summary.total * ncpu / cpu:,.0f} jobs/s on {ncpu} idle "
                  "cores")
        print(f"\nindexed {index.count():,} jobs")
        engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
