"""Real-data quality evaluation of jobfit's fit score, next to baselines measured in the same run.

Run: ``python -m tests.bench.quality [--task ferr|livecareer|linkedin|skillspan|all] [--quick]``
(``make eval`` runs ``--task all``). Markdown tables go to stdout, progress to stderr, every
figure to ``--out`` as JSON (default ``data/eval/quality.json``; ``data/`` is git-ignored).

Data (evaluation only, read in place from ``../shared/data``, never copied into the repo):

* **FERR** (``real-dev/ferr-hr-relevance-A``), recruiter direction: each of the 28 jobs, rendered
  ``"Key skills and roles: " + ", ".join(jd_terms)``, ranks the resumes an HR rater graded for
  it (grades 1-7). Per-job NDCG (gain = grade - 1, linear, as in the data README) and
  Kendall tau-b against the grades, macro mean over jobs. Split by the job's line index in
  ``jds.jsonl``: even = "tune", odd = "confirm".
* **Livecareer** (``real-dev/livecareer-resumes``), job-seeker direction: each resume ranks the
  1,016 O*NET occupations, rendered as postings (title, description, up to 25 technology
  examples from ``skill-taxonomy/onet_technology_skills.txt`` in file order). An occupation is
  relevant when its O*NET-SOC code starts with one of the prefixes that
  ``category_to_onet_prefixes.csv`` gives the resume's category. NDCG@10 (binary gains),
  recall@10 and success@1, macro mean over resumes; measured with and without the resume's
  first line (usually its title). Split by resume id parity: even = "tune", odd = "confirm".
  By default all 2,115 non-empty resumes; ``--quick`` takes the 8 lowest ids per category (192).

Scorers, each ``(cv_texts, job_texts) -> (n_cv, n_job) matrix``, higher = better fit:

* ``tfidf``: scikit-learn TF-IDF (word 1-2 grams, sublinear tf, English stop words) fitted on
  the task's CV and job texts, cosine.
* ``embed-static (jobfit texts)`` / ``embed-static (raw texts)``: cosine of the default
  embedder's vectors (``agent.bootstrap.build_embedder``, as the CLI builds it) of the texts
  jobfit embeds (``cv_embedding_text`` / ``job_embedding_text`` of the parsed CV and job), and of
  the raw texts. ``--minilm`` adds the same two with MiniLM (slow).
* ``jobfit``: what ``jobfit rank`` computes (parse_cv, parse_job, prepare_profile/prepare_job,
  score_many with the embedder's vectors and calibration), unrounded. ``jobfit score-pairs``
  prints ``round`` of the same values.
* ``factor:<name>``: one factor of ``score_match`` alone (unknown = ranked last), so a tuner
  can see what each factor contributes; :func:`jobfit_factor_matrices` returns the matrices.
  Computed for FERR always, for Livecareer only with ``--factors`` (score_match is ~3x slower
  than score_many).
* ``all tied (= random order)``: one score for every pair; with the tie-aware metrics below
  this is exactly the expected figure of a random order, the floor with no information.

Ties (equal scores) are scored as the expectation over every order of the tied items (average
discount for NDCG, expected share for recall@k and success@1), so no scorer profits from the
input order. CVs are parsed with ``today`` fixed at :data:`TODAY` so the figures do not drift
with the calendar.
"""

from __future__ import annotations

import argparse
import csv
import functools
import importlib
import importlib.util
import json
import math
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from tools.ports import Embedder

DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
OUT = Path(__file__).resolve().parents[2] / "data" / "eval" / "quality.json"
#: Reference date for open-ended ranges ("2015 - Present") when parsing CVs and jobs.
TODAY = date(2026, 1, 1)
K = 10
FACTOR_NAMES = ("skills", "experience", "location", "salary", "semantic")
SPLITS = ("tune", "confirm")

Matrix = np.ndarray
Scorer = Callable[[list[str], list[str]], Matrix]


def _progress(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# =========================================================================== metrics


def _rank_spans(scores: Sequence[float] | np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each item, the 0-based rank span [first, last) its tie group occupies.

    Best score first; NaN counts as the lowest score; scores equal to 9 decimals tie.
    """
    s = np.asarray(scores, dtype=float)
    s = np.where(np.isnan(s), -np.inf, np.round(s, 9))
    n = len(s)
    order = np.argsort(-s, kind="stable")
    ss = s[order]
    new = np.ones(n, dtype=bool)
    if n > 1:
        new[1:] = ss[1:] != ss[:-1]
    gid = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    ends = np.append(starts[1:], n)
    first = np.empty(n, dtype=int)
    last = np.empty(n, dtype=int)
    first[order] = starts[gid]
    last[order] = ends[gid]
    return first, last


def _discounts(n: int, k: int | None) -> np.ndarray:
    d = 1.0 / np.log2(np.arange(n) + 2.0)
    if k is not None:
        d[k:] = 0.0
    return d


def ndcg(gains: Sequence[float] | np.ndarray, scores: Sequence[float] | np.ndarray,
         k: int | None = None) -> float:
    """NDCG of ranking items by ``scores`` (descending) with graded ``gains``, cut at ``k``.

    DCG = sum gain / log2(rank + 1) (rank from 1); tied items share the mean discount of the
    ranks they span. NaN when no item has a positive gain.
    """
    g = np.asarray(gains, dtype=float)
    n = len(g)
    if n == 0:
        return math.nan
    disc = _discounts(n, k)
    ideal = float(np.sort(g)[::-1] @ disc)
    if ideal <= 0:
        return math.nan
    first, last = _rank_spans(scores)
    cum = np.concatenate(([0.0], np.cumsum(disc)))
    mean_disc = (cum[last] - cum[first]) / (last - first)
    return float(g @ mean_disc) / ideal


def _topk_share(scores: Sequence[float] | np.ndarray, k: int) -> np.ndarray:
    """Probability each item lands in the top ``k`` when ties are ordered at random."""
    first, last = _rank_spans(scores)
    return np.clip(k - first, 0, last - first) / (last - first)


def recall_at_k(relevant: Sequence[float] | np.ndarray, scores: Sequence[float] | np.ndarray,
                k: int = K) -> float:
    """Share of the relevant items ranked in the top ``k`` (expected over tie orders); NaN
    when nothing is relevant."""
    rel = np.asarray(relevant, dtype=bool)
    if not rel.any():
        return math.nan
    return float(_topk_share(scores, k)[rel].sum() / rel.sum())


def success_at_1(relevant: Sequence[float] | np.ndarray,
                 scores: Sequence[float] | np.ndarray) -> float:
    """Probability that the top-ranked item is relevant (ties ordered at random); NaN when
    nothing is relevant."""
    rel = np.asarray(relevant, dtype=bool)
    if not rel.any():
        return math.nan
    return float(_topk_share(scores, 1)[rel].sum())


def kendall_tau(grades: Sequence[float] | np.ndarray,
                scores: Sequence[float] | np.ndarray) -> float:
    """Kendall tau-b between grades and scores (ties handled); NaN when the grades are all
    equal, 0.0 when the scores are (a constant scorer orders nothing). NaN scores rank last."""
    from scipy.stats import kendalltau

    g = np.asarray(grades, dtype=float)
    s = np.asarray(scores, dtype=float)
    if len(g) < 2 or np.all(g == g[0]):
        return math.nan
    if np.isnan(s).any():
        low = np.nanmin(s) - 1.0 if not np.isnan(s).all() else 0.0
        s = np.where(np.isnan(s), low, s)
    if np.all(s == s[0]):
        return 0.0
    return float(kendalltau(g, s, variant="b").statistic)


def is_degenerate(gains: Sequence[float] | np.ndarray) -> bool:
    """A list that cannot rank anything: fewer than 2 items or all gains equal."""
    g = np.asarray(gains, dtype=float)
    return len(g) < 2 or bool(np.all(g == g[0]))


def macro_mean(values: Sequence[float]) -> tuple[float, int]:
    """Mean of the non-NaN values and how many there were (NaN mean when none)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    return (float(v.mean()) if len(v) else math.nan), int(len(v))


# =========================================================================== tasks


@dataclass
class Query:
    """One ranked list: a job ranking CVs (``axis="job"``) or a CV ranking jobs (``"cv"``)."""

    qid: str
    split: str
    axis: str  # "job": column ``index`` of the matrix, rows ``items``; "cv": row, columns
    index: int
    items: np.ndarray  # indices on the other axis
    gains: np.ndarray  # aligned with items
    group: str = ""  # e.g. the resume's Livecareer category (per-group means in the JSON)


@dataclass
class Task:
    name: str
    cv_ids: list[str]
    cv_texts: list[str]
    job_ids: list[str]
    job_texts: list[str]
    queries: list[Query]
    notes: dict[str, Any] = field(default_factory=dict)
    graded: bool = False  # graded gains (FERR) or binary relevance (Livecareer)

    def scores_for(self, matrix: Matrix, q: Query) -> np.ndarray:
        return matrix[q.items, q.index] if q.axis == "job" else matrix[q.index, q.items]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def render_ferr_job(terms: Sequence[str]) -> str:
    return "Key skills and roles: " + ", ".join(terms)


def ferr_task(data_dir: Path = DATA) -> Task:
    """FERR-A: 28 jobs, each ranking the resumes its HR rater graded (1-7).

    Gains are grade - 1 (0-6: the lowest grade adds nothing), as in the folder README's figures.
    Split by the job's 0-based line index in jds.jsonl: even = tune, odd = confirm.
    """
    root = data_dir / "real-dev" / "ferr-hr-relevance-A"
    jds = _read_jsonl(root / "jds.jsonl")
    resumes = _read_jsonl(root / "resumes.jsonl")
    judgments = _read_jsonl(root / "judgments.jsonl")
    cv_ids = [r["resume_id"] for r in resumes]
    row = {rid: i for i, rid in enumerate(cv_ids)}
    by_job: dict[str, list[tuple[int, float]]] = {}
    for j in judgments:
        by_job.setdefault(j["jd_id"], []).append((row[j["resume_id"]], float(j["score"])))
    queries = []
    for i, jd in enumerate(jds):
        pairs = by_job.get(jd["jd_id"], [])
        queries.append(Query(
            qid=jd["jd_id"], split=SPLITS[i % 2], axis="job", index=i,
            items=np.array([p[0] for p in pairs], dtype=int),
            gains=np.array([p[1] - 1.0 for p in pairs], dtype=float)))
    return Task(name="ferr", cv_ids=cv_ids, cv_texts=[r["text"] for r in resumes],
                job_ids=[jd["jd_id"] for jd in jds],
                job_texts=[render_ferr_job(jd["jd_terms"]) for jd in jds], queries=queries,
                notes={"judgments": len(judgments)}, graded=True)


def onet_postings(data_dir: Path = DATA, max_tech: int = 25) -> tuple[list[str], list[str]]:
    """O*NET occupations as postings: (codes, texts) in Occupation Data order.

    Text = title, description and "Technology: " + up to ``max_tech`` distinct technology
    examples of the code in file order (no line when the code has none).
    """
    occ_path = data_dir / "occupations" / "onet_alternate_titles" / "Occupation Data.txt"
    tech_path = data_dir / "skill-taxonomy" / "onet_technology_skills.txt"
    tech: dict[str, list[str]] = {}
    with tech_path.open(encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in reader:
            examples = tech.setdefault(r["O*NET-SOC Code"], [])
            if r["Example"] not in examples and len(examples) < max_tech:
                examples.append(r["Example"])
    codes, texts = [], []
    with occ_path.open(encoding="utf-8") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        for r in reader:
            code = r["O*NET-SOC Code"]
            parts = [r["Title"], r["Description"]]
            if tech.get(code):
                parts.append("Technology: " + ", ".join(tech[code]))
            codes.append(code)
            texts.append("\n".join(parts))
    return codes, texts


def category_prefixes(data_dir: Path = DATA) -> dict[str, tuple[str, ...]]:
    path = data_dir / "real-dev" / "livecareer-resumes" / "category_to_onet_prefixes.csv"
    out: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["category"], []).append(r["onet_soc_prefix"])
    return {c: tuple(p) for c, p in out.items()}


def strip_first_line(text: str) -> str:
    return text.split("\n", 1)[1] if "\n" in text else ""


def livecareer_task(strip_first_line_: bool = False, *, per_category: int | None = None,
                    data_dir: Path = DATA) -> Task:
    """Livecareer resumes ranking the 1,016 O*NET occupations.

    All non-empty resumes (2,115), or the ``per_category`` lowest resume ids of each category.
    Relevant = code starts with one of the category's prefixes. Split: even resume id = tune.
    """
    root = data_dir / "real-dev" / "livecareer-resumes"
    rows = [r for r in _read_jsonl(root / "resumes.jsonl")
            if r["text"].strip() and not r.get("empty_text")]
    if per_category is not None:
        by_cat: dict[str, list[dict[str, Any]]] = {}
        for r in sorted(rows, key=lambda r: int(r["resume_id"])):
            by_cat.setdefault(r["category"], []).append(r)
        rows = [r for c in sorted(by_cat) for r in by_cat[c][:per_category]]
    codes, job_texts = onet_postings(data_dir)
    prefixes = category_prefixes(data_dir)
    relevance: dict[str, np.ndarray] = {
        c: np.array([code.startswith(p) for code in codes], dtype=float)
        for c, p in ((c, prefixes.get(c, ())) for c in {r["category"] for r in rows})}
    all_jobs = np.arange(len(codes))
    queries = [Query(qid=r["resume_id"], split=SPLITS[int(r["resume_id"]) % 2], axis="cv",
                     index=i, items=all_jobs, gains=relevance[r["category"]],
                     group=r["category"])
               for i, r in enumerate(rows)]
    texts = [strip_first_line(r["text"]) if strip_first_line_ else r["text"] for r in rows]
    return Task(
        name="livecareer" + (" (first line removed)" if strip_first_line_ else ""),
        cv_ids=[r["resume_id"] for r in rows], cv_texts=texts, job_ids=codes,
        job_texts=job_texts, queries=queries,
        notes={"resumes": len(rows), "occupations": len(codes),
               "sample": f"{per_category} lowest ids per category" if per_category else "all",
               "relevant_per_resume_mean": float(np.mean([q.gains.sum() for q in queries]))})


# =========================================================================== scorers


def tfidf_scores(cv_texts: list[str], job_texts: list[str]) -> Matrix:
    """TF-IDF cosine (word 1-2 grams, sublinear tf, English stop words), fitted on both sides."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, stop_words="english")
    m = vec.fit_transform(list(cv_texts) + list(job_texts))
    n = len(cv_texts)
    return np.asarray((m[:n] @ m[n:].T).toarray(), dtype=float)


@functools.cache
def default_embedder() -> Embedder | None:
    """The embedder the CLI uses (``agent.bootstrap.build_embedder``)."""
    from agent.bootstrap import build_embedder

    return build_embedder()


@functools.cache
def minilm_embedder() -> Embedder:
    from store.embeddings import MiniLMEmbedder

    return MiniLMEmbedder()


_VECTORS: dict[tuple[str, str], np.ndarray] = {}


def embed_texts(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    """Embed each distinct text once (memoised per embedder); blank texts get a zero vector."""
    todo = [t for t in dict.fromkeys(texts) if t.strip() and (embedder.name, t) not in _VECTORS]
    for start in range(0, len(todo), 256):
        batch = todo[start:start + 256]
        for t, v in zip(batch, embedder.embed(batch), strict=True):
            _VECTORS[(embedder.name, t)] = np.asarray(v, dtype=np.float32)
    zero = np.zeros(embedder.dim, dtype=np.float32)
    if not texts:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([_VECTORS.get((embedder.name, t), zero) for t in texts])


def embedding_cosine(cv_texts: Sequence[str], job_texts: Sequence[str],
                     embedder: Embedder) -> Matrix:
    return np.asarray(embed_texts(embedder, cv_texts) @ embed_texts(embedder, job_texts).T,
                      dtype=float)


@functools.cache
def parsed_cv(text: str) -> Any:
    from tools.parsing.cv import parse_cv

    return parse_cv(text, today=TODAY)


@functools.cache
def parsed_job(text: str) -> Any:
    from tools.parsing.job import parse_job

    return parse_job(text, today=TODAY)


def parse_all(cv_texts: Sequence[str], job_texts: Sequence[str]) -> None:
    """Parse (and memoise) every text, so scorers share the work."""
    for t in cv_texts:
        parsed_cv(t)
    for t in job_texts:
        parsed_job(t)


def jobfit_texts(cv_texts: Sequence[str], job_texts: Sequence[str]) -> tuple[list[str], list[str]]:
    """The texts jobfit embeds: cv_embedding_text / job_embedding_text of the parsed inputs."""
    from tools.scoring import cv_embedding_text, job_embedding_text

    return ([cv_embedding_text(parsed_cv(t)) for t in cv_texts],
            [job_embedding_text(parsed_job(t)) for t in job_texts])


def jobfit_scores(cv_texts: list[str], job_texts: list[str], *,
                  embedder: Embedder | None = None, use_default_embedder: bool = True,
                  weights: Any = None) -> Matrix:
    """Overall jobfit scores (unrounded), as ``jobfit rank`` computes them.

    ``embedder`` defaults to the CLI's; ``use_default_embedder=False`` with no embedder scores
    without the semantic factor. ``weights`` (a ``tools.schemas.Weights``) is for tuning.
    """
    from tools.factors import DEFAULT_CALIBRATION
    from tools.preparation import prepare_job, prepare_profile
    from tools.scoring import score_many

    if embedder is None and use_default_embedder:
        embedder = default_embedder()
    cv_embed, job_embed = jobfit_texts(cv_texts, job_texts)
    prepared_jobs = [prepare_job(parsed_job(t)) for t in job_texts]
    job_matrix: np.ndarray | None = None
    cv_matrix: np.ndarray | None = None
    calibration = DEFAULT_CALIBRATION
    if embedder is not None:
        calibration = embedder.calibration
        if all(t.strip() for t in job_embed):  # as the CLI: vectors only when every job has one
            job_matrix = embed_texts(embedder, job_embed)
            cv_matrix = embed_texts(embedder, cv_embed)
    out = np.zeros((len(cv_texts), len(job_texts)), dtype=float)
    for i, text in enumerate(cv_texts):
        cv_vec = None
        if cv_matrix is not None and cv_embed[i].strip():
            cv_vec = cv_matrix[i]
        out[i] = score_many(prepare_profile(parsed_cv(text)), prepared_jobs, weights=weights,
                            cv_vector=cv_vec, calibration=calibration,
                            job_vectors=job_matrix if cv_vec is not None else None)
    return out


def jobfit_factor_matrices(cv_texts: list[str], job_texts: list[str], *,
                           embedder: Embedder | None = None,
                           use_default_embedder: bool = True) -> dict[str, Matrix]:
    """Per-factor 0-100 matrices from ``score_match(...).factors[name].score`` (None -> NaN).

    Same parsing, vectors and calibration as :func:`jobfit_scores`. ~70 us per pair.
    """
    from tools.factors import DEFAULT_CALIBRATION
    from tools.preparation import prepare_profile
    from tools.scoring import score_match

    if embedder is None and use_default_embedder:
        embedder = default_embedder()
    cv_embed, job_embed = jobfit_texts(cv_texts, job_texts)
    calibration = embedder.calibration if embedder is not None else DEFAULT_CALIBRATION
    cv_matrix = job_matrix = None
    if embedder is not None:
        cv_matrix = embed_texts(embedder, cv_embed)
        job_matrix = embed_texts(embedder, job_embed)
    jobs = [parsed_job(t) for t in job_texts]
    out = {n: np.full((len(cv_texts), len(job_texts)), np.nan) for n in FACTOR_NAMES}
    for i, text in enumerate(cv_texts):
        prep = prepare_profile(parsed_cv(text))
        for j, job in enumerate(jobs):
            cv_vec = job_vec = None
            if cv_matrix is not None and job_matrix is not None and cv_embed[i].strip() \
                    and job_embed[j].strip():
                cv_vec, job_vec = cv_matrix[i], job_matrix[j]
            result = score_match(prep, job, cv_vector=cv_vec, job_vector=job_vec,
                                 calibration=calibration)
            for name, factor in result.factors.items():
                if name in out and factor.score is not None:
                    out[name][i, j] = factor.score
    return out


def tied_scores(cv_texts: list[str], job_texts: list[str]) -> Matrix:
    """Every pair scores the same: with tie-aware metrics, exactly the expectation of a random
    order (tau 0), the floor each metric gives with no information."""
    return np.zeros((len(cv_texts), len(job_texts)))


def embedding_scorers(embedder: Embedder, label: str) -> dict[str, Scorer]:
    """Cosine of ``embedder``'s vectors of jobfit's embedded texts and of the raw texts."""
    def of_jobfit_texts(cv: list[str], jobs: list[str]) -> Matrix:
        a, b = jobfit_texts(cv, jobs)
        return embedding_cosine(a, b, embedder)

    def of_raw_texts(cv: list[str], jobs: list[str]) -> Matrix:
        return embedding_cosine(cv, jobs, embedder)

    return {f"{label} (jobfit texts)": of_jobfit_texts, f"{label} (raw texts)": of_raw_texts}


def scorers(*, minilm: bool = False) -> dict[str, Scorer]:
    """The baselines and jobfit, by report name (factor matrices are added separately).

    The default embedder's rows are "embed-static" (the project default) or "embed-<name>"
    when ``JOBFIT_EMBEDDER`` picks another; absent when it is ``none``.
    """
    out: dict[str, Scorer] = {"all tied (= random order)": tied_scores, "tfidf": tfidf_scores}
    emb = default_embedder()
    if emb is not None:
        label = "embed-static" if emb.name.startswith("jobfit-static") else f"embed-{emb.name}"
        out |= embedding_scorers(emb, label)
    if minilm:
        out |= embedding_scorers(minilm_embedder(), "embed-minilm")
    out["jobfit"] = jobfit_scores
    return out


# =========================================================================== evaluation

GRADED_METRICS = ("ndcg", "ndcg@10", "tau", "success@1")
BINARY_METRICS = ("ndcg@10", "recall@10", "success@1")


def query_metrics(gains: np.ndarray, scores: np.ndarray, *, graded: bool) -> dict[str, float]:
    """The metrics of one ranked list.

    Graded (FERR): NDCG full and @10 with ``gains`` (grade - 1), tau-b against the gains,
    success@1 = the top item has the list's best grade. Binary (Livecareer): NDCG@10,
    recall@10, success@1.
    """
    if graded:
        return {"ndcg": ndcg(gains, scores), "ndcg@10": ndcg(gains, scores, K),
                "tau": kendall_tau(gains, scores),
                "success@1": success_at_1(gains == gains.max(), scores)}
    rel = gains > 0
    return {"ndcg@10": ndcg(gains, scores, K), "recall@10": recall_at_k(rel, scores, K),
            "success@1": success_at_1(rel, scores)}


def evaluate_matrix(task: Task, matrix: Matrix, *, graded: bool | None = None) -> dict[str, Any]:
    """Macro means per split (and over both) of every metric; degenerate lists skipped.

    ``matrix`` is (n_cv, n_job), higher = better fit; ``graded`` defaults to ``task.graded``.

    Returns ``{"splits": {split: {metric: mean, "n": lists, "skipped": n}}, "per_query":
    {qid: {metric: value}}, "per_group": {group: {metric: mean over both splits}}}``
    (``per_group`` only when the queries have groups).
    """
    graded = task.graded if graded is None else graded
    metrics = GRADED_METRICS if graded else BINARY_METRICS
    per_query: dict[str, dict[str, float]] = {}
    by_split: dict[str, list[dict[str, float]]] = {s: [] for s in SPLITS}
    skipped = dict.fromkeys(SPLITS, 0)
    for q in task.queries:
        if is_degenerate(q.gains):
            skipped[q.split] += 1
            continue
        m = query_metrics(q.gains, task.scores_for(matrix, q), graded=graded)
        per_query[q.qid] = m
        by_split[q.split].append(m)
    splits: dict[str, dict[str, float]] = {}
    for name, rows in (*by_split.items(), ("all", by_split["tune"] + by_split["confirm"])):
        out: dict[str, float] = {}
        for metric in metrics:
            out[metric] = macro_mean([r[metric] for r in rows])[0]
        out["n"] = len(rows)
        out["skipped"] = sum(skipped.values()) if name == "all" else skipped[name]
        splits[name] = out
    groups: dict[str, list[dict[str, float]]] = {}
    for q in task.queries:
        if q.group and q.qid in per_query:
            groups.setdefault(q.group, []).append(per_query[q.qid])
    per_group = {g: {m: macro_mean([r[m] for r in rows])[0] for m in metrics}
                 | {"n": len(rows)} for g, rows in sorted(groups.items())}
    return {"splits": splits, "per_query": per_query, "per_group": per_group}


def run_task(task: Task, scorer_map: dict[str, Scorer], *, factors: bool) -> dict[str, Any]:
    """Score ``task`` with every scorer (and the factor matrices when asked): figures, timings."""
    _progress(f"[{task.name}] {len(task.cv_texts)} CVs x {len(task.job_texts)} jobs, "
              f"{len(task.queries)} ranked lists")
    t0 = time.perf_counter()
    parse_all(task.cv_texts, task.job_texts)
    parse_s = time.perf_counter() - t0
    _progress(f"[{task.name}] parsed in {parse_s:.1f} s")
    results: dict[str, Any] = {}
    for name, scorer in scorer_map.items():
        t0 = time.perf_counter()
        matrix = scorer(task.cv_texts, task.job_texts)
        seconds = time.perf_counter() - t0
        results[name] = {"seconds": seconds, **evaluate_matrix(task, matrix)}
        _progress(f"[{task.name}] {name}: {seconds:.1f} s")
    if factors:
        t0 = time.perf_counter()
        mats = jobfit_factor_matrices(task.cv_texts, task.job_texts)
        seconds = time.perf_counter() - t0
        _progress(f"[{task.name}] factor matrices: {seconds:.1f} s")
        for name, matrix in mats.items():
            res = evaluate_matrix(task, matrix)
            res["seconds"] = seconds
            res["unknown_share"] = float(np.isnan(matrix).mean())
            results[f"factor:{name}"] = res
    return {"task": task.name, "notes": task.notes, "parse_seconds": parse_s,
            "split_sizes": {s: sum(q.split == s for q in task.queries) for s in SPLITS},
            "scorers": results}


# =========================================================================== reports


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return "—" if math.isnan(v) else f"{v:.3f}"
    return str(v)


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|"]
    lines += ["| " + " | ".join(_fmt(c) for c in r) + " |" for r in rows]
    return "\n".join(lines)


def ranking_table(result: dict[str, Any], metrics: Sequence[str],
                  splits: Sequence[str] = (*SPLITS, "all")) -> str:
    """Rows = scorers; columns = metric x split, then the scorer's seconds."""
    header = ["scorer"] + [f"{m} {s}" for m in metrics for s in splits] + ["s"]
    rows = []
    for name, r in result["scorers"].items():
        rows.append([name] + [r["splits"][s][m] for m in metrics for s in splits]
                    + [f"{r['seconds']:.1f}"])
    return markdown_table(header, rows)


def _split_note(result: dict[str, Any]) -> str:
    first = next(iter(result["scorers"].values()))["splits"]
    return (", ".join(f"{s}: {first[s]['n']} lists ({first[s]['skipped']} degenerate skipped)"
                      for s in SPLITS)
            + f". Parsing (shared by the jobfit rows, not in their seconds): "
              f"{result['parse_seconds']:.1f} s")


def linkedin_report() -> tuple[str, dict[str, Any]]:
    """``tests.bench.linkedin_fields.evaluate()`` as a table, when that module exists.

    Uses the module's own ``to_markdown`` when it has one; otherwise a field x value table of
    whatever flat or one-level nested dict ``evaluate()`` returns.
    """
    if importlib.util.find_spec("tests.bench.linkedin_fields") is None:
        msg = "tests/bench/linkedin_fields.py does not exist yet: LinkedIn fields skipped."
        return msg, {"skipped": msg}
    mod = importlib.import_module("tests.bench.linkedin_fields")
    t0 = time.perf_counter()
    res = mod.evaluate()
    seconds = time.perf_counter() - t0
    if hasattr(mod, "to_markdown"):
        return mod.to_markdown(res) + f"\n\n({seconds:.1f} s)", {"result": res,
                                                                  "seconds": seconds}
    cols: list[str] = []
    for v in res.values():
        if isinstance(v, dict):
            cols += [c for c in v if c not in cols]
    rows: list[list[Any]] = [
        [name] + ([v.get(c, "") for c in cols] if isinstance(v, dict) else [v])
        for name, v in res.items()]
    table = markdown_table(["field"] + (cols or ["accuracy"]), rows) + f"\n\n({seconds:.1f} s)"
    return table, {"result": res, "seconds": seconds}


def skillspan_report(data_dir: Path = DATA) -> tuple[str, dict[str, Any]]:
    """tests/bench/skillspan_eval.evaluate on the SkillSpan dev split: knowledge spans as the
    posting parser reads them (tagger + lexicon) and as the lexicon alone does; soft skills."""
    from tests.bench.skillspan_eval import KNOWLEDGE_OPTIONS
    from tests.bench.skillspan_eval import evaluate as skillspan_evaluate

    path = data_dir / "skillspan-dev" / "dev.json"
    if not path.exists():
        msg = f"{path} not found: SkillSpan skipped."
        return msg, {"skipped": msg}
    out: dict[str, Any] = {}
    rows = []
    for key, soft, options, label in (
            ("parser", False, KNOWLEDGE_OPTIONS,
             "knowledge spans, posting parser (skills + terms)"),
            ("knowledge", False, None, "knowledge spans, lexicon (extract_skills: CVs)"),
            ("soft", True, None, "soft skills vs skill")):
        r = skillspan_evaluate(path, soft, options)
        out[key] = r
        rows.append([label, int(r["gold"]), int(r["pred"]), r["P"], r["R"], r["F1"],
                     r["strict_P"], r["strict_R"], r["strict_F1"]])
    header = ["dev split", "gold", "pred", "overlap P", "R", "F1", "strict P", "R", "F1"]
    return markdown_table(header, rows), out


# =========================================================================== main


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    ap = argparse.ArgumentParser(prog="python -m tests.bench.quality", description=__doc__
                                 .split("\n")[0])
    ap.add_argument("--task", choices=("ferr", "livecareer", "linkedin", "skillspan", "all"),
                    default="all")
    ap.add_argument("--quick", action="store_true",
                    help="Livecareer on the 8 lowest resume ids per category (192) only")
    ap.add_argument("--minilm", action="store_true", help="add MiniLM cosines (slow)")
    ap.add_argument("--factors", action="store_true",
                    help="per-factor rankings on Livecareer too (slow; always on for FERR)")
    ap.add_argument("--data", type=Path, default=DATA, help="the shared data folder")
    ap.add_argument("--out", type=Path, default=OUT, help="JSON with every figure")
    args = ap.parse_args(argv)
    tasks = ("ferr", "livecareer", "linkedin", "skillspan") if args.task == "all" else (
        args.task,)
    scorer_map = scorers(minilm=args.minilm)
    emb = default_embedder()
    report: dict[str, Any] = {
        "meta": {"today": TODAY.isoformat(), "quick": args.quick,
                 "embedder": emb.name if emb is not None else None,
                 "calibration": list(emb.calibration) if emb is not None else None,
                 "python": platform.python_version()}}
    t_all = time.perf_counter()
    if "ferr" in tasks:
        res = run_task(ferr_task(args.data), scorer_map, factors=True)
        report["ferr"] = res
        print("\n## FERR-A (recruiter direction): per-job NDCG (gain = HR grade - 1) and Kendall "
              "tau-b, macro mean over jobs\n")
        print(f"Jobs: {_split_note(res)}. success@1 = the top resume has the job's best "
              "grade.\n")
        print(ranking_table(res, ("ndcg", "tau", "success@1")))
    if "livecareer" in tasks:
        report["livecareer"] = {}
        for strip in (False, True):
            task = livecareer_task(strip, per_category=8 if args.quick else None,
                                   data_dir=args.data)
            res = run_task(task, scorer_map, factors=args.factors)
            key = "without_first_line" if strip else "with_first_line"
            report["livecareer"][key] = res
            for r in res["scorers"].values():
                r.pop("per_query")  # 2,115 resumes x scorers: kept out of the JSON
            print(f"\n## Livecareer -> O*NET (job-seeker direction), "
                  f"{'first line removed' if strip else 'full text'}: NDCG@10, recall@10, "
                  "success@1, macro mean over resumes\n")
            print(f"{task.notes['resumes']} resumes ({task.notes['sample']}) x "
                  f"{task.notes['occupations']} occupations; "
                  f"{task.notes['relevant_per_resume_mean']:.1f} relevant occupations per "
                  f"resume on average. {_split_note(res)}.\n")
            print(ranking_table(res, BINARY_METRICS))
    if "linkedin" in tasks:
        table, data = linkedin_report()
        report["linkedin"] = data
        print("\n## LinkedIn postings: parsed fields vs the platform's own values\n")
        print(table)
    if "skillspan" in tasks:
        table, data = skillspan_report(args.data)
        report["skillspan"] = data
        print("\n## SkillSpan dev: skill spans\n")
        print(table)
    report["meta"]["seconds"] = time.perf_counter() - t_all
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(_jsonable(report), indent=1, sort_keys=True,
                                   allow_nan=False), encoding="utf-8")
    _progress(f"done in {report['meta']['seconds']:.0f} s; figures in {args.out}")
    return report


def _jsonable(v: Any) -> Any:
    """Plain JSON: numpy scalars as Python numbers, NaN as null."""
    if isinstance(v, dict):
        return {str(k): _jsonable(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_jsonable(x) for x in v]
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


if __name__ == "__main__":
    main()
