"""Benchmark: static (model2vec-style) embeddings vs MiniLM vs TF-IDF (figures only).

Run: ``python -m tests.bench.bench_static`` (~2-3 minutes on 2 cores, most of it MiniLM;
MiniLM vectors and the raw distillation outputs are cached in the temp dir for re-runs).

Prints, on the texts jobfit embeds (tools.scoring.cv_embedding_text / job_embedding_text of the
synthetic corpus: ``generate_jobs(1000, seed=7)``, ``generate_cvs(170, seed=7)``):

(a) speed of both embedders (texts/s), plus static on 2 KB raw job descriptions;
(b) agreement with MiniLM: Spearman correlation of the cosines of 300 CV/job pairs (100 at
    each relevance level);
(c) ranking quality: every CV ranks the 1,000 jobs by cosine; NDCG@10 (graded gains 0/1/2,
    ``2**rel - 1``) and P@10 (relevance >= 1), averaged over CVs, for MiniLM, every static
    variant (pooling x PCA dims x weighting), and TF-IDF on the raw texts;
(d) cosine distributions of relevance-2 vs relevance-0 pairs and suggested
    SEMANTIC_FLOOR (p95 of unrelated) / SEMANTIC_CEIL (median of relevant).
"""

from __future__ import annotations

import hashlib
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from store.data.distill_static import POOLINGS, WEIGHTINGS, build_vectors, raw_token_vectors
from store.embeddings import MiniLMEmbedder
from store.samples.generate import generate_cvs, generate_jobs, relevance
from store.static_embeddings import StaticEmbedder
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.scoring import cv_embedding_text, job_embedding_text

K = 10
MINILM_CACHE = Path(tempfile.gettempdir()) / "jobfit-bench-static-minilm.npz"


def corpus() -> dict[str, Any]:
    jobs = generate_jobs(1000, seed=7)
    cvs = generate_cvs(170, seed=7)
    t0 = time.perf_counter()
    job_texts = [job_embedding_text(parse_job(j)) for j in jobs]
    cv_texts = [cv_embedding_text(parse_cv(c["text"])) for c in cvs]
    parse_s = time.perf_counter() - t0
    rel = np.array([[relevance(c, j) for j in jobs] for c in cvs], dtype=np.int64)
    raw_jobs = [str(j.get("description") or j.get("text") or "") for j in jobs]
    return {
        "jobs": jobs,
        "cvs": cvs,
        "job_texts": job_texts,
        "cv_texts": cv_texts,
        "raw_cv": [c["text"] for c in cvs],
        "raw_jobs": raw_jobs,
        "rel": rel,
        "parse_s": parse_s,
    }


def ndcg_p_at_k(sims: np.ndarray, rel: np.ndarray, k: int = K) -> tuple[float, float]:
    """Mean NDCG@k and P@k (rel >= 1) over rows; ties broken by job index (stable)."""
    order = np.argsort(-sims, axis=1, kind="stable")[:, :k]
    top = np.take_along_axis(rel, order, axis=1)
    disc = 1.0 / np.log2(np.arange(2, k + 2))
    dcg = ((2.0**top - 1) * disc).sum(axis=1)
    ideal = -np.sort(-rel, axis=1)[:, :k]
    idcg = ((2.0**ideal - 1) * disc).sum(axis=1)
    ndcg = np.where(idcg > 0, dcg / np.maximum(idcg, 1e-12), 0.0)
    return float(ndcg.mean()), float((top >= 1).mean())


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.stats import spearmanr

    return float(spearmanr(a, b).statistic)


def timed_embed(embedder: Any, texts: list[str]) -> tuple[np.ndarray, float]:
    t0 = time.perf_counter()
    out = embedder.embed(texts)
    return out, time.perf_counter() - t0


def minilm_vectors(texts: list[str]) -> tuple[np.ndarray, float | None]:
    """MiniLM vectors (cached by text hash); seconds taken, or None when cached."""
    key = hashlib.sha256("\x00".join(texts).encode()).hexdigest()
    if MINILM_CACHE.exists():
        with np.load(MINILM_CACHE) as z:
            if str(z["key"]) == key:
                return z["vecs"], None
    emb = MiniLMEmbedder()
    emb.load()
    vecs, secs = timed_embed(emb, texts)
    np.savez(MINILM_CACHE, key=np.array(key), vecs=vecs, secs=np.array(secs))
    return vecs, secs


def pct(values: np.ndarray, qs: tuple[int, ...] = (5, 25, 50, 75, 95)) -> str:
    return "  ".join(f"p{q} {np.percentile(values, q):.3f}" for q in qs)


def main() -> None:
    c = corpus()
    rel = c["rel"]
    n_cv, n_job = rel.shape
    texts = c["cv_texts"] + c["job_texts"]
    tok_counts = StaticEmbedder()._load_tokenizer().encode_batch(c["job_texts"])
    print(
        f"corpus: {n_cv} CVs x {n_job} jobs; parse+text {c['parse_s']:.2f}s; job text mean "
        f"{np.mean([len(t) for t in c['job_texts']]):.0f} chars / "
        f"{np.mean([len(e.ids) for e in tok_counts]):.0f} tokens; relevance counts "
        f"{np.bincount(rel.ravel(), minlength=3).tolist()}"
    )

    # (a) speed -----------------------------------------------------------------------------
    print("\n(a) speed (2-core box)")
    static = StaticEmbedder()
    t0 = time.perf_counter()
    static.load()
    print(f"  static load (sha256 + np.load): {time.perf_counter() - t0:.2f}s")
    static.embed(texts[:10])  # warm-up
    best = min(timed_embed(static, texts)[1] for _ in range(3))
    print(f"  static  {len(texts)} jobfit texts: {best:.3f}s = {len(texts) / best:,.0f} texts/s")
    raw2k = [(t * 3)[:2000] for t in c["raw_jobs"]] * 2
    best = min(timed_embed(static, raw2k)[1] for _ in range(3))
    print(f"  static  {len(raw2k)} 2 KB texts:   {best:.3f}s = {len(raw2k) / best:,.0f} texts/s")
    mini, secs = minilm_vectors(texts)
    if secs is None:
        with np.load(MINILM_CACHE) as z:
            secs = float(z["secs"])
        print("  (MiniLM vectors from cache; time from the run that filled it)")
    print(f"  MiniLM  {len(texts)} jobfit texts: {secs:.1f}s = {len(texts) / secs:,.1f} texts/s")
    t0 = time.perf_counter()
    v = static.embed(texts)
    sims = v[:n_cv] @ v[n_cv:].T
    np.argsort(-sims, axis=1)[:, :K]
    print(
        f"  static embed + 170x1000 cosine + top-{K}: {time.perf_counter() - t0:.3f}s "
        f"(+ parsing {c['parse_s']:.2f}s)"
    )

    # (b)/(c) quality -----------------------------------------------------------------------
    rng = np.random.default_rng(7)
    pairs = []
    for level in (0, 1, 2):
        cand = np.argwhere(rel == level)
        pairs.append(cand[rng.choice(len(cand), size=100, replace=False)])
    pairs_arr = np.vstack(pairs)
    pi, pj = pairs_arr[:, 0], pairs_arr[:, 1]
    mini_sims = mini[:n_cv] @ mini[n_cv:].T

    def report(name: str, sims: np.ndarray, vecs_pair: np.ndarray | None = None) -> None:
        ndcg, p10 = ndcg_p_at_k(sims, rel)
        rho = spearman(sims[pi, pj], mini_sims[pi, pj])
        rho_rel = spearman(sims[pi, pj], rel[pi, pj])
        print(
            f"  {name:34s} NDCG@10 {ndcg:.3f}  P@10 {p10:.3f}  "
            f"Spearman vs MiniLM {rho:.3f}  vs relevance {rho_rel:.3f}"
        )

    print("\n(b)+(c) ranking quality (170 CVs, 1,000 jobs) and agreement (300 pairs)")
    report("MiniLM (jobfit-minilm-l6-int8)", mini_sims)
    report(f"static committed ({static.name})", sims)

    from sklearn.feature_extraction.text import TfidfVectorizer

    for label, cv_t, job_t in (
        ("TF-IDF raw texts", c["raw_cv"], c["raw_jobs"]),
        ("TF-IDF embedding texts", c["cv_texts"], c["job_texts"]),
    ):
        tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english")
        m = tfidf.fit_transform(cv_t + job_t)
        report(label, (m[:n_cv] @ m[n_cv:].T).toarray())

    print("\n  static variants (pooling / PCA dims / weighting):")
    t0 = time.perf_counter()
    raw = raw_token_vectors()
    print(f"  (raw token outputs: {time.perf_counter() - t0:.1f}s)")
    results = []
    for pooling in POOLINGS:
        for dims in (128, 256, 384):
            for weighting in WEIGHTINGS:
                vectors, info = build_vectors(raw, pooling=pooling, dims=dims, weighting=weighting)
                emb = StaticEmbedder.from_vectors(vectors.astype(np.float16))
                vv = emb.embed(texts)
                s = vv[:n_cv] @ vv[n_cv:].T
                name = f"{pooling}/{dims}/{weighting}"
                report(name, s)
                results.append((ndcg_p_at_k(s, rel)[0], name))
    best_ndcg, best_name = max(results)
    print(f"  best variant by NDCG@10: {best_name} ({best_ndcg:.3f})")

    # (d) calibration -----------------------------------------------------------------------
    print("\n(d) cosine distributions, all CV x job pairs")
    for name, s in (("static committed", sims), ("MiniLM", mini_sims)):
        r2, r1, r0 = s[rel == 2], s[rel == 1], s[rel == 0]
        print(f"  {name}")
        print(f"    rel 2 (n={r2.size:6d})  {pct(r2)}")
        print(f"    rel 1 (n={r1.size:6d})  {pct(r1)}")
        print(f"    rel 0 (n={r0.size:6d})  {pct(r0)}")
        floor, ceil = np.percentile(r0, 95), np.median(r2)
        print(f"    suggested SEMANTIC_FLOOR {floor:.2f}  SEMANTIC_CEIL {ceil:.2f}")


if __name__ == "__main__":
    main()
