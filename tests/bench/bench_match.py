"""match_cv at scale: two-stage matching against 100,000 indexed jobs, vs exhaustive scoring.

    python -m tests.bench.bench_match

Environment: ``BENCH_N`` jobs (default 100,000), ``BENCH_DISTINCT`` distinct generated jobs
(default 10,000; the rest are replicas with another company, location, salary, posting date and
a slightly perturbed vector), ``BENCH_CVS`` (default 20), ``BENCH_CANDIDATES`` (stage-1 pool,
default: match_cv's), ``BENCH_EXHAUSTIVE_CVS`` (how many CVs get the exhaustive reference,
default all), ``BENCH_DIR`` (keep the built database + index there and reuse it next time;
default: a fresh temporary directory).

The store is built directly (parse, ``JobRepo.upsert_many``, ``ChromaJobIndex.upsert``), not
through the importer, so that building 100,000 jobs takes minutes. Then, per CV (embedded
once, outside the timings): ``match_cv`` two-stage cold (empty cache for this CV), again warm
(its results cached), and ``match_cv(exhaustive=True)``. Reported: p50/p95 latency of the
two-stage path (retrieval + DB fetch + scoring + cache; not the CV's embedding), recall@50 of
two-stage vs exhaustive (min_score 0), cached-lookup p50, peak RSS, build times.
Figures, not pass/fail: goals on 2 cores are p50 ≤ 100 ms, recall@50 ≥ 0.95, cached lookup
p50 ≤ 5 ms, peak RSS ≤ 1.5 GB.
"""

from __future__ import annotations

import hashlib
import os
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from store.cache import AnalysisCache, content_hash
from store.db import init_db, make_engine
from store.jobsource import DbJobSource, load_job_indexes
from store.repo import JobRepo, JobUpsert
from store.samples.generate import generate_cvs, generate_jobs, posting_text
from store.static_embeddings import StaticEmbedder
from store.vectors import ChromaJobIndex
from tools.matching import match_cv
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.schemas import JobPosting
from tools.scoring import ENGINE_VERSION, cv_embedding_text, job_embedding_text
from tools.search import IndexedJob, job_metadata
from ui.batch import default_workers, fork_map

K = 50
NOISE = 0.01  # per-dimension noise of a replica's vector (cosine to its original ≈ 0.99)


def _rss_mb() -> float:
    """Peak RSS of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _now_rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _parse(text: str) -> JobPosting:
    return parse_job(text)


def _replica(base: dict[str, Any], others: list[dict[str, Any]], i: int, r: int,
             n_distinct: int) -> dict[str, Any]:
    """Job ``i``'s replica ``r`` (r ≥ 1): same requirements, another company, place, pay, date."""
    out = dict(base)
    out["company"] = f"{base.get('company') or 'Company'} {chr(64 + r)}{r}"
    other = others[(i + 7919 * r) % n_distinct]
    out["location"] = other.get("location")
    salary = base.get("salary")
    if salary:
        f = 1.0 + 0.03 * ((r % 5) - 2)
        salary = dict(salary)
        for key in ("min", "max"):
            if salary.get(key) is not None:
                salary[key] = round(float(salary[key]) * f, -2)
        out["salary"] = salary
    if base.get("posted_date"):
        day = np.datetime64(base["posted_date"]) - np.timedelta64(r, "D")
        out["posted_date"] = str(day)
    out["external_id"] = f"bench-{i}-{r}"
    return out


def build(data: Path, n: int, n_distinct: int) -> dict[str, float]:
    times: dict[str, float] = {}
    engine = make_engine(None, data)
    init_db(engine)
    embedder = StaticEmbedder()
    embedder.load()
    index = ChromaJobIndex.persistent(data, embedder_name=embedder.name, dim=embedder.dim)

    t0 = time.perf_counter()
    raw = generate_jobs(n_distinct, seed=11)
    texts = [posting_text(r) for r in raw]
    postings = fork_map(_parse, texts, workers=default_workers())
    times["generate + parse distinct"] = time.perf_counter() - t0

    t0 = time.perf_counter()
    vecs = embedder.embed([job_embedding_text(p) for p in postings])
    times["embed distinct"] = time.perf_counter() - t0

    dumps = [p.model_dump(mode="json") for p in postings]
    hashes = [content_hash(t) for t in texts]
    rng = np.random.default_rng(11)
    repo = JobRepo(engine)
    t_db = t_index = 0.0
    chunk = 5000
    for start in range(0, n, chunk):
        rows: list[JobUpsert] = []
        parsed_rows: list[dict[str, Any]] = []
        vec_rows: list[np.ndarray] = []
        for j in range(start, min(n, start + chunk)):
            i, r = j % n_distinct, j // n_distinct
            parsed = dumps[i] if r == 0 else _replica(dumps[i], dumps, i, r, n_distinct)
            if r == 0:
                parsed = {**parsed, "external_id": f"bench-{i}-0"}
            vec = vecs[i]
            if r:
                vec = vec + rng.normal(0.0, NOISE, vec.shape).astype(np.float32)
                vec = vec / np.linalg.norm(vec)
            base = postings[i]
            salary = parsed.get("salary") or {}
            loc = parsed.get("location") or {}
            rows.append(JobUpsert(
                source="bench", external_id=parsed["external_id"], url=base.url,
                title=(base.title or "")[:500], company=parsed.get("company"),
                location=loc.get("raw") or None, remote=base.work_mode,
                salary_min=salary.get("min"), salary_max=salary.get("max"),
                salary_currency=salary.get("currency"), experience_min=base.experience_min,
                experience_max=base.experience_max,
                skills=list(dict.fromkeys(s.skill_id for s in base.all_skills)),
                keywords=list(base.keywords), parsed=parsed, text=base.text,
                content_hash=hashes[i] if r == 0 else hashlib.sha256(
                    f"{hashes[i]}:{r}".encode()).hexdigest(),
                posted=np.datetime64(parsed["posted_date"]).item()
                if parsed.get("posted_date") else None,
            ))
            parsed_rows.append(parsed)
            vec_rows.append(vec)
        t0 = time.perf_counter()
        repo.upsert_many(rows)
        ids = {rec.external_id: rec.id for rec in _by_external(engine, [r.external_id
                                                                        for r in rows])}
        t_db += time.perf_counter() - t0
        t0 = time.perf_counter()
        items = []
        for row, parsed, vec in zip(rows, parsed_rows, vec_rows, strict=True):
            # job_metadata only reads top-level fields: a model_copy of the base posting with
            # the replica's company/location/salary/date gives the replica's metadata
            p = JobPosting.model_validate({k: parsed[k] for k in
                                           ("company", "location", "salary", "posted_date",
                                            "work_mode") if parsed.get(k) is not None})
            items.append(IndexedJob(id=str(ids[row.external_id]), vector=vec,
                                    content_hash=row.content_hash, metadata=job_metadata(p)))
        index.upsert(items)
        t_index += time.perf_counter() - t0
        print(f"  {min(n, start + chunk):,} jobs stored and indexed "
              f"(db {t_db:.0f} s, index {t_index:.0f} s)", flush=True)
    times["db upsert"] = t_db
    times["chroma upsert"] = t_index
    engine.dispose()
    return times


def _by_external(engine: Any, external_ids: list[str]) -> list[Any]:
    from sqlalchemy import select

    from store.tables import JobRecord

    table = JobRecord.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        out = []
        for s in range(0, len(external_ids), 900):
            part = external_ids[s:s + 900]
            out += list(conn.execute(select(table.c.id, table.c.external_id).where(
                table.c.source == "bench", table.c.external_id.in_(part))))
        return out


def main() -> int:
    n = int(os.environ.get("BENCH_N", "100000"))
    n_distinct = min(n, int(os.environ.get("BENCH_DISTINCT", "10000")))
    n_cvs = int(os.environ.get("BENCH_CVS", "20"))
    n_exh = int(os.environ.get("BENCH_EXHAUSTIVE_CVS", str(n_cvs)))
    cand_env = os.environ.get("BENCH_CANDIDATES")
    extra: dict[str, Any] = {"candidates": int(cand_env)} if cand_env else {}
    keep = os.environ.get("BENCH_DIR")
    tmp = None
    if keep:
        data = Path(keep)
        data.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="jobfit-bench-match-")
        data = Path(tmp.name)
    print(f"cpus {os.cpu_count()}, load average {os.getloadavg()[0]:.1f}, data {data}")
    try:
        marker = data / f"built-{n}-{n_distinct}"
        if not marker.exists():
            t0 = time.perf_counter()
            times = build(data, n, n_distinct)
            times["total build"] = time.perf_counter() - t0
            print("build (s): " + "  ".join(f"{k} {v:.1f}" for k, v in times.items()))
            marker.touch()
        else:
            print(f"reusing the store built in {data}")
        return run(data, n, n_cvs, n_exh, extra)
    finally:
        if tmp is not None:
            tmp.cleanup()


def run(data: Path, n: int, n_cvs: int, n_exh: int, extra: dict[str, Any]) -> int:
    engine = make_engine(None, data)
    init_db(engine)
    embedder = StaticEmbedder()
    embedder.load()
    index = ChromaJobIndex.persistent(data, embedder_name=embedder.name, dim=embedder.dim)
    cache = AnalysisCache(engine)
    source = DbJobSource(engine)
    print(f"indexed {index.count():,} jobs; RSS now {_now_rss_mb():.0f} MB")

    t0 = time.perf_counter()
    in_memory = not os.environ.get("BENCH_NO_MEMORY_VECTORS")
    built = load_job_indexes(engine, data / f"stage1-{int(in_memory)}.pkl",
                             vectors=index.vectors if in_memory else None, dim=embedder.dim)
    keywords, places = built.keywords, built.places
    screening = None if os.environ.get("BENCH_NO_SCREENING") else built.screening
    if os.environ.get("BENCH_NO_PLACES"):
        places = {}
    print(f"keyword index + screening columns of {len(keywords):,} jobs built or loaded in "
          f"{time.perf_counter() - t0:.1f} s; RSS now {_now_rss_mb():.0f} MB")

    cvs = generate_cvs(n_cvs, seed=11)
    profiles = [parse_cv(cv["text"]) for cv in cvs]
    cv_vecs = embedder.embed([cv_embedding_text(p) for p in profiles])
    common: dict[str, Any] = dict(jobs=source, index=index, keywords=keywords,
                                  places=places or None, screening=screening,
                                  vectors=index.vectors, calibration=embedder.calibration,
                                  cache=cache, k=K, min_score=0)
    # warm-up: Chroma loads its HNSW segment on the first query
    match_cv(profiles[0], cv_vector=cv_vecs[0], cv_hash="warm-up", **common, **extra)

    cold: list[float] = []
    cold_cpu: list[float] = []  # CPU time: what wall time would be on an idle machine
    warm: list[float] = []
    exh_times: list[float] = []
    recalls: list[float] = []
    mismatched = 0
    run_tag = str(time.time_ns())  # a fresh cache key space per run (a reused BENCH_DIR)
    for i, (profile, vec) in enumerate(zip(profiles, cv_vecs, strict=True)):
        cv_hash = f"{content_hash(profile.text)}:{run_tag}"
        t0, c0 = time.perf_counter(), time.process_time()
        fast = match_cv(profile, cv_vector=vec, cv_hash=cv_hash, **common, **extra)
        cold.append((time.perf_counter() - t0) * 1000)
        cold_cpu.append((time.process_time() - c0) * 1000)
        t0 = time.perf_counter()
        again = match_cv(profile, cv_vector=vec, cv_hash=cv_hash, **common, **extra)
        warm.append((time.perf_counter() - t0) * 1000)
        if [(m.job_id, m.result) for m in again] != [(m.job_id, m.result) for m in fast]:
            mismatched += 1
        line = (f"  cv {i:2d} {cvs[i]['occupation']:<24} two-stage cold {cold[-1]:6.1f} ms, "
                f"warm {warm[-1]:6.1f} ms")
        if i < n_exh:
            t0 = time.perf_counter()
            full = match_cv(profile, cv_vector=vec, exhaustive=True, cv_hash=None,
                            **{**common, "cache": None})
            exh_times.append(time.perf_counter() - t0)
            top = {m.job_id for m in full[:K]}
            recalls.append(len(top & {m.job_id for m in fast}) / max(1, len(top)))
            scores = {m.job_id: m.result.score for m in full}
            if any(scores.get(m.job_id, m.result.score) != m.result.score for m in fast):
                mismatched += 1
            line += (f"; exhaustive {exh_times[-1]:5.1f} s, recall@{K} {recalls[-1]:.2f} "
                     f"(50th score {full[min(K, len(full)) - 1].result.score})")
        print(line, flush=True)

    keys = [(r[0], r[1], r[2], r[3]) for r in _cache_keys(engine, 200)]
    lookups = []
    for key in keys:
        t0 = time.perf_counter()
        assert cache.get(*key) is not None
        lookups.append((time.perf_counter() - t0) * 1000)

    print(f"\n{n:,} jobs, {n_cvs} CVs, k={K}, candidates={extra.get('candidates', 'default')}, "
          f"stage 1 {'screening' if screening is not None else 'rank fusion'}"
          f"{' with vectors in memory' if screening is not None and in_memory else ''}")
    print(f"two-stage match_cv cold: p50 {statistics.median(cold):.1f} ms, "
          f"p95 {_pct(cold, 0.95):.1f} ms (goal p50 ≤ 100 ms); CPU time p50 "
          f"{statistics.median(cold_cpu):.1f} ms, p95 {_pct(cold_cpu, 0.95):.1f} ms; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"two-stage match_cv warm (results cached): p50 {statistics.median(warm):.1f} ms, "
          f"p95 {_pct(warm, 0.95):.1f} ms")
    if recalls:
        print(f"recall@{K} vs exhaustive: mean {statistics.mean(recalls):.3f}, "
              f"min {min(recalls):.2f} over {len(recalls)} CVs (goal ≥ 0.95); exhaustive "
              f"p50 {statistics.median(exh_times):.1f} s")
    print(f"scores differing from the exhaustive/first run: {mismatched} CVs")
    print(f"cached analysis lookup (AnalysisCache.get): p50 {statistics.median(lookups):.2f} "
          f"ms, p95 {_pct(lookups, 0.95):.2f} ms over {len(lookups)} keys (goal p50 ≤ 5 ms)")
    print(f"peak RSS {_rss_mb():.0f} MB (goal ≤ 1,536 MB); now {_now_rss_mb():.0f} MB; "
          f"engine {ENGINE_VERSION}")
    engine.dispose()
    return 0


def _cache_keys(engine: Any, limit: int) -> list[Any]:
    from sqlalchemy import select

    from store.tables import AnalysisRecord

    t = AnalysisRecord.__table__  # type: ignore[attr-defined]
    with engine.connect() as conn:
        return list(conn.execute(select(t.c.cv_hash, t.c.job_hash, t.c.weights_hash,
                                        t.c.engine_version).limit(limit)))


if __name__ == "__main__":
    raise SystemExit(main())
