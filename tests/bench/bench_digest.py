"""Digest generation at scale: 1,000 users x 10,000 jobs, and one preview.

    python -m tests.bench.bench_digest

Environment: ``BENCH_USERS`` (default 1,000), ``BENCH_N`` jobs (default 10,000), ``BENCH_DIR``
(keep the built store there and reuse it; default a fresh temporary directory),
``BENCH_WORKERS`` (processes for the run, default 2: the machine's cores).

The job store is built as ``bench_match`` builds it (generated postings, parsed, embedded with
the static embedder, stored and indexed directly). Users get generated CVs (parsed, stored) and
a daily schedule. Timed: ``DigestCenter.run_due`` over every user — stage-1 screening of each
CV against every job (numpy), the engine's full score for the listed jobs, skill impacts
(counterfactual re-scoring of each user's top 30 matches), trends, what changed, storing the
digest and the in-app delivery — split over ``BENCH_WORKERS`` processes by user (the
exactly-once claims make that safe); and ``DigestCenter.build`` (a preview) for 20 users.
Figures, not pass/fail: goals on 2 cores are <= 60 s for the run and <= 1 s per preview.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from store.db import init_db, make_engine
from store.samples.generate import generate_cvs
from store.static_embeddings import StaticEmbedder
from store.userdata import CVRepo
from store.users import UserPreferences, UserRepo
from store.vectors import ChromaJobIndex
from tests.bench.bench_match import build as build_jobs
from tools.parsing.cv import parse_cv
from ui.batch import fork_map

NOW = datetime.now(UTC)


def _parse(text: str) -> Any:
    return parse_cv(text)


def add_users(data: Path, n: int) -> float:
    t0 = time.perf_counter()
    engine = make_engine(None, data)
    init_db(engine)
    cvs = generate_cvs(n, seed=5)
    profiles = fork_map(_parse, [c["text"] for c in cvs], workers=2)
    users, repo = UserRepo(engine), CVRepo(engine)
    prefs = UserPreferences(digest_schedule="daily 06:00", timezone="UTC",
                            digest_started=(NOW - timedelta(days=3)).isoformat())
    for i, (cv, profile) in enumerate(zip(cvs, profiles, strict=True)):
        uid = f"bench-user-{i:04d}"
        users.create(uid, user_id=uid, preferences=prefs)
        repo.add(uid, "cv.txt", cv["text"], profile)
    engine.dispose()
    return time.perf_counter() - t0


def _service(data: Path) -> Any:
    from agent.service import JobfitService

    engine = make_engine(None, data)
    embedder = StaticEmbedder()
    embedder.load()
    index = ChromaJobIndex.persistent(data, embedder_name=embedder.name, dim=embedder.dim)
    return JobfitService(engine=engine, embedder=embedder, index=index,
                         snapshot=data / "stage1.pkl")


def _worker(args: tuple[str, int, int, str]) -> tuple[int, float, dict[str, int]]:
    data, part, parts, now = args
    service = _service(Path(data))
    service.stage1()
    center = service.digests()
    t0 = time.perf_counter()
    results = center.run_due(datetime.fromisoformat(now), shard=(part, parts))
    statuses: dict[str, int] = {}
    for r in results:
        statuses[r.status] = statuses.get(r.status, 0) + 1
    return len(results), time.perf_counter() - t0, statuses


def main() -> int:
    n_users = int(os.environ.get("BENCH_USERS", "1000"))
    n_jobs = int(os.environ.get("BENCH_N", "10000"))
    workers = int(os.environ.get("BENCH_WORKERS", "2"))
    keep = os.environ.get("BENCH_DIR")
    tmp = None
    if keep:
        data = Path(keep)
        data.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="jobfit-bench-digest-")
        data = Path(tmp.name)
    print(f"cpus {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}, data {data}")
    try:
        marker = data / f"built-digest-{n_jobs}-{n_users}"
        if not marker.exists():
            t0 = time.perf_counter()
            build_jobs(data, n_jobs, n_jobs)
            print(f"jobs built in {time.perf_counter() - t0:.0f} s")
            print(f"{n_users} users with CVs added in {add_users(data, n_users):.0f} s")
            marker.touch()
        else:
            print(f"reusing the store built in {data}")
        service = _service(data)
        from sqlalchemy import text

        with service.engine.begin() as conn:  # a reused store: start from no digest at all
            conn.execute(text("DELETE FROM digests"))
        t0 = time.perf_counter()
        service.stage1()
        print(f"stage-1 indexes ready in {time.perf_counter() - t0:.1f} s (not in the timings)")
        users = [f"bench-user-{i:04d}" for i in range(0, n_users, max(1, n_users // 20))][:20]
        center = service.digests()
        lat = []
        for uid in users:
            t0 = time.perf_counter()
            digest, _ = center.build(uid, now=NOW)
            lat.append(time.perf_counter() - t0)
        lat.sort()
        print(f"preview (one user's digest, composed): p50 {statistics.median(lat) * 1000:.0f} ms,"
              f" max {lat[-1] * 1000:.0f} ms over {len(lat)} users "
              f"(goal <= 1 s); last one: {len(digest.matches)} matches, "
              f"{len(digest.skills)} skills")
        service.engine.dispose()
        cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        ctx = mp.get_context("spawn")  # fresh processes (the parent holds Chroma's threads)
        with ctx.Pool(workers) as pool:
            parts = pool.map(_worker, [(str(data), i, workers, NOW.isoformat())
                                       for i in range(workers)])
        wall = time.perf_counter() - t0
        cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
        done = sum(p[0] for p in parts)
        statuses: dict[str, int] = {}
        for p in parts:
            for k, v in p[2].items():
                statuses[k] = statuses.get(k, 0) + v
        print(f"digest run: {done} users x {n_jobs:,} jobs in {wall:.1f} s wall on {workers} "
              f"processes ({wall / max(done, 1) * 1000:.1f} ms per user; per-process "
              f"{', '.join(f'{p[1]:.1f} s' for p in parts)}; goal <= 60 s); {statuses}")
        print(f"CPU time of the worker processes: {cpu:.0f} s ({cpu / max(done, 1) * 1000:.0f} ms"
              f" per user, start-up included) -> {cpu / workers:.0f} s on {workers} idle cores;"
              f" load average now {os.getloadavg()[0]:.1f}")
        return 0
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    raise SystemExit(main())
