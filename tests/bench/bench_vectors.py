"""Chroma job index: add throughput, query latency, recall vs exact search, peak RSS.

``python -m tests.bench.bench_vectors [--sizes 10000,100000] [--grid]``

Vectors are random but clustered (256-d, 200 Gaussian clusters of different spreads,
L2-normalised), like job embeddings: many near neighbours per query, so approximate search
has to work for its recall. Queries are fresh points from the same clusters. Recall@k is the
share of the exact top k (numpy, cosine) that the index returns in its top k. Filtered
recall compares with the exact top k among the jobs passing the filter. Figures only: no
pass/fail.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import tempfile
import time
from datetime import date

import numpy as np

from store.vectors import HNSW, ChromaJobIndex, HnswParams, filters_to_where
from tools.search import IndexedJob, JobFilters, day_number, matches_filters

DIM = 256
NOW = date(2025, 6, 1)
N_QUERIES = 100


def clustered(n: int, rng: np.random.Generator, centres: np.ndarray) -> np.ndarray:
    which = rng.integers(0, len(centres), size=n)
    spread = 0.35 + 0.5 * rng.random(len(centres))
    noise = rng.standard_normal((n, DIM)).astype(np.float32) / np.sqrt(DIM)
    x = centres[which] + noise * spread[which, None].astype(np.float32) * 2.0
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x.astype(np.float32)


def metadata(i: int, rng: np.random.Generator) -> dict[str, str | int | float | bool]:
    md: dict[str, str | int | float | bool] = {
        "status": "ACTIVE" if rng.random() < 0.9 else "EXPIRED",
        "work_mode": str(rng.choice(["remote", "hybrid", "onsite"], p=[0.25, 0.35, 0.4])),
        "country": str(rng.choice(["us", "gb", "de", "fr", "in"])),
        "posted": day_number(NOW) - int(rng.integers(0, 60)),
        "company": f"company {int(rng.integers(0, 2000))}",
    }
    if rng.random() < 0.7:
        md["salary_max"] = float(rng.integers(30, 250) * 1000)
    return md


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def exact_topk(base: np.ndarray, q: np.ndarray, k: int, mask: np.ndarray | None = None):
    sims = base @ q
    if mask is not None:
        sims = np.where(mask, sims, -np.inf)
    k = min(k, int(np.isfinite(sims).sum()))
    idx = np.argpartition(-sims, k - 1)[:k]
    return set(idx[np.argsort(-sims[idx])].tolist())


def run(n: int, hnsw: HnswParams, label: str) -> None:
    rng = np.random.default_rng(7)
    centres = rng.standard_normal((200, DIM)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    base = clustered(n, rng, centres)
    queries = clustered(N_QUERIES, rng, centres)
    mds = [metadata(i, rng) for i in range(n)]
    tmp = tempfile.mkdtemp(prefix="bench-chroma-")
    try:
        index = ChromaJobIndex.persistent(tmp, embedder_name=f"bench-{n}", dim=DIM, hnsw=hnsw)
        jobs = [IndexedJob(id=str(i), vector=base[i], content_hash=f"h{i}", metadata=mds[i])
                for i in range(n)]
        t0 = time.perf_counter()
        index.upsert(jobs)
        add_s = time.perf_counter() - t0
        print(f"\n== {label}: n={n:,}  M={hnsw.max_neighbors} ef_construction="
              f"{hnsw.ef_construction} ef_search={hnsw.ef_search}  write batch {index.max_batch}")
        print(f"add: {add_s:.1f} s  ({n / add_s:,.0f} vectors/s)")

        cases: list[tuple[str, JobFilters | None]] = [
            ("none", None),
            ("active", JobFilters()),
            ("remote+100k+30d", JobFilters(remote_only=True, min_salary=100_000,
                                            posted_within_days=30)),
            ("remote+200k+7d+de", JobFilters(remote_only=True, min_salary=200_000,
                                              posted_within_days=7, location="Germany")),
        ]
        queries_list = list(queries)

        def timed(k: int, filters: JobFilters | None, chroma_where: bool = False):
            out, times = [], []
            where = filters_to_where(filters, NOW)
            for q in queries_list:
                t = time.perf_counter()
                if chroma_where:  # baseline: Chroma's own filtered HNSW search
                    out.append(index._search(index._matrix([q]), k, where))
                else:
                    out.append(index.query(q, k, filters, now=NOW))
                times.append((time.perf_counter() - t) * 1000)
            return out, statistics.median(times)

        def recall(results, truths) -> float:
            vals = [len({int(i) for i, _ in r} & t) / max(1, len(t))
                    for r, t in zip(results, truths, strict=True)]
            return statistics.mean(vals)

        for name, filters in cases:
            mask = np.array([matches_filters(md, filters, NOW) for md in mds])
            line = [f"filter {name:<18} ({mask.mean():6.1%} pass):"]
            for k in (10, 50, 200):
                res, p50 = timed(k, filters)
                if k == 10:
                    line.append(f"top-10 p50 {p50:5.1f} ms;")
                    continue
                truths = [exact_topk(base, q, k, mask) for q in queries_list]
                line.append(f"top-{k} p50 {p50:5.1f} ms recall {recall(res, truths):.4f};")
            if filters is not None:
                res, p50 = timed(200, filters, chroma_where=True)
                truths = [exact_topk(base, q, 200, mask) for q in queries_list]
                line.append(f"[Chroma where: top-200 p50 {p50:5.1f} ms recall "
                            f"{recall(res, truths):.4f}]")
            print(" ".join(line))
        t0 = time.perf_counter()
        hashes = index.hashes()
        print(f"hashes(): {len(hashes):,} in {time.perf_counter() - t0:.2f} s")
        print(f"peak RSS so far: {rss_mb():,.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--grid", action="store_true",
                    help="also compare HNSW build settings on the first size")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.grid:
        for m, efc, ef in ((16, 100, 100), (16, 100, 400), (16, 200, 400), (32, 200, 200),
                           (32, 200, 400), (32, 400, 400)):
            run(sizes[0], HnswParams(max_neighbors=m, ef_construction=efc, ef_search=ef),
                f"grid M={m} efc={efc} ef={ef}")
    for n in sizes:
        run(n, HNSW, "jobfit settings")


if __name__ == "__main__":
    main()
