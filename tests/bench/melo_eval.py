"""MELO (English) title → ESCO occupation linking: ``tools.occupations`` vs baselines.

Run: ``python -m tests.bench.melo_eval [DATA_DIR]`` (default
``../shared/data/real-dev/melo-en``; evaluation only, nothing is copied).

Each query (an O*NET occupation title) is linked to one ESCO concept (an occupation
or an ISCO group); its relevant corpus elements are all surface forms of that concept. We rank
concepts with ``OccupationModel.ranked`` and report

- concept level: success@1/@10, MRR (= MAP, one relevant concept per query);
- element level, as the benchmark defines it (success@k: a relevant element in the top k; MRR;
  MAP over all relevant elements), with the elements of our ranked concepts in two orders:
  "heads first" (the closest surface form of each of the top 10 concepts, then the other forms
  concept by concept) and "concept blocks" (all forms of concept 1, then of concept 2, ...;
  best for MAP), forms within a concept by their own label score;
- a character TF-IDF baseline (scikit-learn, char_wb 2-4-grams over the surface forms) measured
  in the same run, and the published baselines (element level).

Queries at an even line index were used for tuning; odd ones confirm. Also prints latency.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from tools import occupations as occ

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "real-dev" / "melo-en"
HEADS = 10
DEPTH = 200  # concepts ranked per query


def _tsv(path: Path) -> list[list[str]]:
    return [line.rstrip("\n").split("\t") for line in path.open(encoding="utf-8") if line.strip()]


def metrics(ranked: Sequence[str], relevant: set[str]) -> tuple[float, float, float, float]:
    """success@1, success@10, reciprocal rank, average precision of one ranking."""
    hits = 0
    precision_sum = 0.0
    first = 0
    for i, e in enumerate(ranked, 1):
        if e in relevant:
            hits += 1
            precision_sum += hits / i
            if not first:
                first = i
    return (float(first == 1), float(0 < first <= 10), 1.0 / first if first else 0.0,
            precision_sum / len(relevant) if relevant else 0.0)


def summarise(rows: list[tuple[float, float, float, float]]) -> dict[str, float]:
    arr = np.asarray(rows) if rows else np.zeros((0, 4))
    return {k: float(arr[:, i].mean()) if len(arr) else 0.0
            for i, k in enumerate(("success_1", "success_10", "mrr", "map"))}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    queries = _tsv(data / "queries.tsv")
    elements = dict(_tsv(data / "corpus_elements.tsv"))
    concept_of = dict(_tsv(data / "concept_mapping.tsv"))
    elems_of: dict[str, list[str]] = defaultdict(list)
    for e, c in concept_of.items():
        elems_of[c].append(e)
    relevant: dict[str, set[str]] = defaultdict(set)
    for qid, _zero, e, _one in _tsv(data / "annotations.tsv"):
        relevant[qid].add(e)
    gold_concepts = {q: {concept_of[e] for e in es} for q, es in relevant.items()}
    ids = sorted(elements)
    texts = [elements[e] for e in ids]

    t0 = time.perf_counter()
    model = occ.load_model()
    load_s = time.perf_counter() - t0
    elem_index = occ.LabelIndex(texts)  # element-level label scores for the interleaving

    concept_rows: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
    element_rows: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
    block_rows: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
    latencies: list[float] = []
    for n, (qid, text) in enumerate(queries):
        split = "even" if n % 2 == 0 else "odd"
        occ._ranked.cache_clear()
        t = time.perf_counter()
        matches = occ.match_occupations(text, top=10)
        latencies.append(time.perf_counter() - t)
        del matches
        core = occ.split_seniority(text)[0]
        ranked = model.ranked(core, DEPTH)
        uris = [model.concepts[c].uri for c, _s in ranked]
        for key in (split, "all"):
            concept_rows[key].append(metrics(uris, gold_concepts[qid]))
        # Element level. Within a concept, elements by their own label score. "blocks": all
        # elements of concept 1, then of concept 2, ...; "heads first": the best element of
        # each of the top HEADS concepts, then the rest in blocks.
        lid, lsc = elem_index.search(occ.label_text(core), limit=2000)
        own = {ids[i]: float(s) for i, s in zip(lid.tolist(), lsc.tolist(), strict=True)}
        per_concept = [sorted(elems_of.get(u, ()), key=lambda e: (-own.get(e, 0.0), e))
                       for u in uris]
        per_concept = [es for es in per_concept if es]
        blocks = [e for es in per_concept for e in es]
        heads = [es[0] for es in per_concept[:HEADS]]
        head_set = set(heads)
        inter = heads + [e for e in blocks if e not in head_set]
        for key in (split, "all"):
            element_rows[key].append(metrics(inter, relevant[qid]))
            block_rows[key].append(metrics(blocks, relevant[qid]))

    char_rows = char_tfidf_baseline(queries, ids, texts, relevant)
    print(f"MELO ({data.name}): {len(queries):,} queries, {len(elements):,} surface forms, "
          f"{len(set(concept_of.values())):,} concepts")
    print(f"model load {load_s:.2f} s; tools.occupations: "
          f"{len(model.concepts)} concepts, {model.index.n} labels")
    header = f"{'method':44s} {'split':5s} {'s@1':>6s} {'s@10':>6s} {'MRR':>6s} {'MAP':>6s}"
    print(header)
    for name, rows in (("occupations, element level (heads first)", element_rows),
                       ("occupations, element level (concept blocks)", block_rows),
                       ("occupations, concept level", concept_rows),
                       ("char TF-IDF (this run), element level", char_rows)):
        for split in ("even", "odd", "all"):
            m = summarise(rows[split])
            print(f"{name:44s} {split:5s} {m['success_1']:6.3f} {m['success_10']:6.3f} "
                  f"{m['mrr']:6.3f} {m['map']:6.3f}")
    print("published baselines (element level, all queries):")
    for row in _tsv(data / "published_baselines.tsv")[1:]:
        name, map_, rr, s1, s10 = row
        print(f"  {name:42s} {'all':5s} {float(s1):6.3f} {float(s10):6.3f} {float(rr):6.3f} "
              f"{float(map_):6.3f}")
    lat = sorted(latencies)
    warm = time_warm(occ.match_occupations, [q for _i, q in queries])
    ow_cold, ow_warm = time_weights([q for _i, q in queries])
    print(f"match_occupations cold (cache cleared): p50 {1e3 * statistics.median(lat):.2f} ms, "
          f"p95 {1e3 * lat[int(0.95 * len(lat))]:.2f} ms; warm p50 {1e3 * warm:.3f} ms")
    print(f"occupation_weights cold p50 {1e3 * ow_cold:.2f} ms, warm p50 {1e6 * ow_warm:.1f} µs")


def time_warm(fn: Callable[[str], object], texts: list[str]) -> float:
    out = []
    for t in texts:
        fn(t)
        s = time.perf_counter()
        fn(t)
        out.append(time.perf_counter() - s)
    return statistics.median(out)


def time_weights(texts: list[str]) -> tuple[float, float]:
    occ._weights.cache_clear()
    cold, warm = [], []
    for t in texts:
        s = time.perf_counter()
        occ.occupation_weights(t)
        cold.append(time.perf_counter() - s)
        s = time.perf_counter()
        occ.occupation_weights(t)
        warm.append(time.perf_counter() - s)
    return statistics.median(cold), statistics.median(warm)


def char_tfidf_baseline(queries: list[list[str]], ids: list[str], texts: list[str],
                        relevant: dict[str, set[str]]
                        ) -> dict[str, list[tuple[float, float, float, float]]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), lowercase=True,
                          sublinear_tf=True)
    docs = vec.fit_transform(texts)
    q = vec.transform([t for _i, t in queries])
    sims = (q @ docs.T).toarray()
    rows: dict[str, list[tuple[float, float, float, float]]] = defaultdict(list)
    id_arr = np.asarray(ids)
    for n, (qid, _t) in enumerate(queries):
        order = np.lexsort((id_arr, -sims[n]))[:3000]
        ranked = id_arr[order].tolist()
        for key in ("even" if n % 2 == 0 else "odd", "all"):
            rows[key].append(metrics(ranked, relevant[qid]))
    return rows


if __name__ == "__main__":
    main()
