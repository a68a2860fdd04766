"""Engine benchmarks and ranking quality. Prints figures; asserts nothing about time.

Run: ``.venv/bin/python -m tests.bench.bench_engine`` (or ``make bench``).

1. Fresh analysis of one CV × one job (parse both, embed, score, gaps): p50/p95 after start-up.
2. Scoring one parsed CV against 10,000 parsed and embedded jobs (``score_many``).
3. ``jobfit rank`` end to end (subprocess, ~170 CVs × ~1,000 jobs) vs a scikit-learn TF-IDF
   cosine ranking of the same texts, measured in the same run.
4. A smoke test on the generated CV/job set (same occupation and level = 2, related = 1):
   NDCG@10 and P@10 of jobfit vs TF-IDF vs raw cosine. Generated text cannot tell whether a
   score is right — match quality is measured on real data only (``tests/bench/quality.py``,
   ``make eval``); this only catches a ranking that broke outright.
"""

from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def ndcg_at(ranked: list[int], rel: dict[int, int], k: int = 10) -> float:
    dcg = sum((2 ** rel.get(j, 0) - 1) / math.log2(i + 2) for i, j in enumerate(ranked[:k]))
    ideal = sorted(rel.values(), reverse=True)[:k]
    idcg = sum((2 ** r - 1) / math.log2(i + 2) for i, r in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


#: The TF-IDF baseline as a stand-alone ranker with the same input and output as `jobfit rank`.
TFIDF_SCRIPT = """
import json, sys
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
cvs = [json.loads(x) for x in open(sys.argv[1])]
jobs = [json.loads(x) for x in open(sys.argv[2])]
vec = TfidfVectorizer(sublinear_tf=True, stop_words="english")
jm = vec.fit_transform([j["text"] for j in jobs])
sims = (vec.transform([c["text"] for c in cvs]) @ jm.T).toarray()
for c, row in zip(cvs, sims):
    top = np.argsort(-row, kind="stable")[:10]
    print(json.dumps({"cv_id": c["id"], "results": [
        {"job_id": jobs[i]["id"], "score": round(float(row[i]) * 100)} for i in top]}))
"""


def main() -> None:
    from store.embeddings import MiniLMEmbedder
    from store.samples.generate import generate_cvs, generate_jobs, posting_text, relevance
    from store.static_embeddings import StaticEmbedder
    from tools.gaps import find_gaps
    from tools.parsing.cv import parse_cv
    from tools.parsing.job import parse_job
    from tools.preparation import prepare_job, prepare_profile
    from tools.scoring import cv_embedding_text, job_embedding_text, score_many, score_match

    n_jobs = int(os.environ.get("BENCH_JOBS", "1000"))
    n_cvs = int(os.environ.get("BENCH_CVS", "170"))
    jobs_raw = generate_jobs(n_jobs, seed=7)
    cvs_raw = generate_cvs(n_cvs, seed=7)
    job_texts = [posting_text(j) for j in jobs_raw]
    cv_texts = [c["text"] for c in cvs_raw]
    embedders = {"static (default)": StaticEmbedder(), "minilm": MiniLMEmbedder()}
    for e in embedders.values():
        e.embed(["warm up"])
    print(f"# jobfit engine benchmark — {os.cpu_count()} CPUs, {n_cvs} CVs × {n_jobs} jobs")

    # ---- 1. one fresh analysis
    parse_cv(cv_texts[0]), parse_job(job_texts[0])  # warm caches (taxonomy, regexes)
    for name, embedder in embedders.items():
        times = []
        for i in range(40):
            t0 = time.perf_counter()
            p = parse_cv(cv_texts[i % n_cvs])
            j = parse_job(job_texts[(i * 7) % n_jobs])
            cv_vec, job_vec = embedder.embed([cv_embedding_text(p), job_embedding_text(j)])
            r = score_match(p, j, cv_vector=cv_vec, job_vector=job_vec,
                            calibration=embedder.calibration)
            find_gaps(p, j, result=r, cv_vector=cv_vec, job_vector=job_vec,
                      calibration=embedder.calibration)
            times.append((time.perf_counter() - t0) * 1000)
        print(f"fresh analysis, {name} (parse CV+job, embed, score, gaps): p50 "
              f"{statistics.median(times):.1f} ms, p95 {_p(times, .95):.1f} ms (goal p50 ≤ 100 ms)")

    # ---- parse + embed throughput
    t0 = time.perf_counter()
    jobs = [parse_job(t) for t in job_texts]
    t_parse_jobs = time.perf_counter() - t0
    t0 = time.perf_counter()
    profiles = [parse_cv(t) for t in cv_texts]
    t_parse_cvs = time.perf_counter() - t0
    print(f"parse_job: {1000 * t_parse_jobs / n_jobs:.2f} ms/job; parse_cv: "
          f"{1000 * t_parse_cvs / n_cvs:.2f} ms/CV (one process)")
    vecs: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name, embedder in embedders.items():
        t0 = time.perf_counter()
        job_vecs = embedder.embed([job_embedding_text(j) for j in jobs])
        t_embed = time.perf_counter() - t0
        vecs[name] = (embedder.embed([cv_embedding_text(p) for p in profiles]), job_vecs)
        print(f"embedding, {name}: {n_jobs / t_embed:.0f} job texts/s")
    cv_vecs, job_vecs = vecs["static (default)"]
    cal = embedders["static (default)"].calibration

    # ---- 2. one CV against 10,000 jobs
    prepared = [prepare_job(j) for j in jobs]
    big = (prepared * math.ceil(10_000 / n_jobs))[:10_000]
    big_vecs = np.concatenate([job_vecs] * math.ceil(10_000 / n_jobs))[:10_000]
    runs = []
    for k in range(5):
        t0 = time.perf_counter()
        scores = score_many(prepare_profile(profiles[k]), big, cv_vector=cv_vecs[k],
                            job_vectors=big_vecs, calibration=cal)
        top = sorted(range(len(scores)), key=lambda i: -scores[i])[:10]
        runs.append(time.perf_counter() - t0)
    print(f"one parsed CV × 10,000 parsed+embedded jobs: median {statistics.median(runs):.3f} s "
          f"(goal ≤ 1 s, one process); top score {scores[top[0]]:.1f}")

    # ---- 3. end-to-end `jobfit rank` vs TF-IDF
    with tempfile.TemporaryDirectory() as tmp:
        cv_file, job_file = Path(tmp) / "cvs.jsonl", Path(tmp) / "jobs.jsonl"
        cv_file.write_text("".join(json.dumps({"id": c["id"], "text": c["text"]}) + "\n"
                                   for c in cvs_raw))
        job_file.write_text("".join(json.dumps({"id": j["external_id"], "text": t}) + "\n"
                                    for j, t in zip(jobs_raw, job_texts, strict=True)))
        jobfit = str(Path(sys.executable).with_name("jobfit"))
        rank_times = {}
        for workers in ("1", "0"):
            t0 = time.perf_counter()
            out = subprocess.run([jobfit, "rank", "--cvs", str(cv_file), "--jobs", str(job_file),
                                  "--top", "10", "--workers", workers],
                                 capture_output=True, text=True, check=True)
            rank_times[workers] = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", TFIDF_SCRIPT, str(cv_file), str(job_file)],
                       capture_output=True, text=True, check=True)
        t_tfidf_e2e = time.perf_counter() - t0
    from sklearn.feature_extraction.text import TfidfVectorizer

    t0 = time.perf_counter()
    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english")
    jm = vec.fit_transform(job_texts)
    sims = (vec.transform(cv_texts) @ jm.T).toarray()
    tfidf_top = [list(np.argsort(-row, kind="stable")[:10]) for row in sims]
    t_tfidf = time.perf_counter() - t0
    lines = out.stdout.strip().splitlines()
    t_rank = rank_times["0"]
    print(f"`jobfit rank` {n_cvs} CVs × {n_jobs} jobs end to end: {t_rank:.2f} s with "
          f"{os.cpu_count()} workers, {rank_times['1']:.2f} s with 1")
    print(f"TF-IDF cosine ranking of the same texts: {t_tfidf_e2e:.2f} s end to end as a script "
          f"(read JSONL, import sklearn, fit, rank, write), {t_tfidf:.2f} s in-process")
    print(f"ratio jobfit/TF-IDF: {t_rank / t_tfidf_e2e:.1f}× end to end (goal ≤ 5×), "
          f"{t_rank / t_tfidf:.1f}× vs in-process TF-IDF")

    # ---- 4. ranking quality
    ids = {j["external_id"]: i for i, j in enumerate(jobs_raw)}
    jobfit_top = {json.loads(x)["cv_id"]: [ids[r["job_id"]] for r in json.loads(x)["results"]]
                  for x in lines}
    ranked_by: dict[str, list[list[int]]] = {
        "jobfit (rank)": [jobfit_top[c["id"]] for c in cvs_raw],
        "TF-IDF cosine": [[int(x) for x in row] for row in tfidf_top],
    }
    for name, (cv_m, job_m) in vecs.items():
        sim = cv_m @ job_m.T
        ranked_by[f"{name.split()[0]} cosine"] = [
            [int(x) for x in np.argsort(-row, kind="stable")[:10]] for row in sim]
    for name, ranked in ranked_by.items():
        nd, prec = [], []
        for cv, r in zip(cvs_raw, ranked, strict=True):
            rel = {ji: relevance(cv, job) for ji, job in enumerate(jobs_raw)}
            rel = {k: v for k, v in rel.items() if v}
            nd.append(ndcg_at(r, rel))
            prec.append(sum(1 for j in r[:10] if rel.get(j, 0) >= 1) / 10)
        print(f"smoke test on generated data (not a quality figure) {name:16s}: "
              f"NDCG@10 {statistics.mean(nd):.3f}, "
              f"P@10 (relevant ≥1) {statistics.mean(prec):.3f}")

    # ---- memory of the parsed index
    tracemalloc.start()
    _ = [parse_job(t) for t in job_texts[:200]]
    cur, _peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"memory: ~{cur / 200 / 1024:.1f} KB per parsed job (tracemalloc)")


if __name__ == "__main__":
    main()
