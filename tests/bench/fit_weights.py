"""Fit the default ("fitted") weight profile on the tune split of the real-data evaluation.

Run: ``python -m tests.bench.fit_weights [--write]`` (``--write`` updates the "fitted" preset in
``tools/data/weights.json``; without it the grid's best rows are only printed).

What is fitted, and on what (deterministic: a fixed grid, ties go to the first row):

* the skills : experience : text-similarity ratio, and the embedding / shared-words share inside
  text similarity (printed; the share is ``tools.factors.EMBEDDING_SHARE``, changed by hand);
* on the **tune** split only (:mod:`tests.bench.quality`): FERR-A jobs with an even index, and
  the Livecareer resumes with an even id among the 8 lowest ids per category, with and without
  their first line;
* objective = FERR Kendall tau + (FERR NDCG - 0.85) + mean Livecareer NDCG@10 (both texts).

Location and salary are unknown in those sets, so they keep their seed weights and the ratio
shares what remains. Each pair's factor scores are computed once with the engine's own factor
functions (the same values ``score_match`` combines), then recombined for every grid point
exactly as ``tools.scoring._combine`` does (unknown factors left out, the skills factor counted
at its evidence-mass scale).
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from tests.bench import quality as q

WEIGHTS_FILE = Path(__file__).resolve().parents[2] / "tools" / "data" / "weights.json"
#: Seed weights of the two factors the labelled sets cannot inform.
FIXED = {"location": 0.15, "salary": 0.10}
RATIO_STEP = 0.05
SHARES = (0.25, 0.5, 0.75, 1.0)


@dataclass
class Components:
    """Per-pair factor values of one task (NaN = unknown), as the engine computes them."""

    task: q.Task
    skills: np.ndarray
    skills_scale: np.ndarray
    experience: np.ndarray
    meaning: np.ndarray  # calibrated embedding similarity 0-100
    words: np.ndarray  # calibrated shared-words similarity 0-100


def components(task: q.Task) -> Components:
    """Every CV x job pair's skills (and its scale), experience, meaning and words scores."""
    from tools.factors import experience_factor, lexical_score, semantic_score, skills_factor
    from tools.lexical import cosine as term_cosine
    from tools.preparation import prepare_job, prepare_profile

    q.parse_all(task.cv_texts, task.job_texts)
    emb = q.default_embedder()
    n, m = len(task.cv_texts), len(task.job_texts)
    shape = (n, m)
    out = Components(task, *(np.full(shape, np.nan) for _ in range(5)))
    if emb is not None:
        cv_e, job_e = q.jobfit_texts(task.cv_texts, task.job_texts)
        cos = q.embed_texts(emb, cv_e) @ q.embed_texts(emb, job_e).T
        cal = emb.calibration
        floor, ceil = cal
        out.meaning = 100.0 * np.clip((cos - floor) / (ceil - floor), 0.0, 1.0)
        assert abs(out.meaning[0, 0] - semantic_score(float(cos[0, 0]), cal)) < 1e-6
    jobs = [prepare_job(q.parsed_job(t)) for t in task.job_texts]
    for i, text in enumerate(task.cv_texts):
        prep = prepare_profile(q.parsed_cv(text))
        for j, pj in enumerate(jobs):
            s = skills_factor(prep, pj, detailed=False)
            if s.score is not None:
                out.skills[i, j], out.skills_scale[i, j] = s.score, s.scale
            e = experience_factor(prep, pj, detailed=False,
                                  skills_share=None if s.score is None else s.score / 100)
            if e.score is not None:
                out.experience[i, j] = e.score
            if prep.terms and pj.terms:
                out.words[i, j] = lexical_score(term_cosine(prep.terms, pj.terms))
    return out


def combine(c: Components, skills: float, experience: float, text: float,
            share: float) -> np.ndarray:
    """Overall scores as ``tools.scoring._combine`` computes them (location, salary unknown)."""
    mean_w = np.where(np.isnan(c.meaning), 0.0, share)
    word_w = np.where(np.isnan(c.words), 0.0, 1.0 - share)
    tw = mean_w + word_w
    with np.errstate(invalid="ignore", divide="ignore"):
        sim = (mean_w * np.nan_to_num(c.meaning) + word_w * np.nan_to_num(c.words)) / tw
    sim = np.where(tw > 0, sim, np.nan)
    num = np.zeros(c.skills.shape)
    den = np.zeros(c.skills.shape)
    for w, x, scale in ((skills, c.skills, np.nan_to_num(c.skills_scale)),
                        (experience, c.experience, 1.0), (text, sim, 1.0)):
        ww = np.where(np.isnan(x), 0.0, w * scale)
        num += ww * np.nan_to_num(x)
        den += ww
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, num / den, 0.0)


def objective(ferr: Components, livecareer: list[Components], ratio: tuple[float, ...],
              share: float, split: str = "tune") -> dict[str, float]:
    f = q.evaluate_matrix(ferr.task, combine(ferr, *ratio, share))["splits"][split]
    lc = [q.evaluate_matrix(c.task, combine(c, *ratio, share))["splits"][split]["ndcg@10"]
          for c in livecareer]
    lc_mean = float(np.mean(lc))
    return {"objective": f["tau"] + (f["ndcg"] - 0.85) + lc_mean, "ferr_tau": f["tau"],
            "ferr_ndcg": f["ndcg"], "livecareer_ndcg10": lc_mean}


def grid() -> list[tuple[float, float, float]]:
    steps = [round(RATIO_STEP * k, 2) for k in range(1, int(round(1 / RATIO_STEP)))]
    return [(s, e, round(1 - s - e, 2)) for s, e in itertools.product(steps, steps)
            if 1 - s - e > 1e-9]


def fit() -> tuple[list[dict[str, Any]], Components, list[Components]]:
    ferr = components(q.ferr_task())
    lcs = [components(q.livecareer_task(strip, per_category=8)) for strip in (False, True)]
    rows = []
    for ratio, share in itertools.product(grid(), SHARES):
        rows.append({"ratio": ratio, "share": share, **objective(ferr, lcs, ratio, share)})
    rows.sort(key=lambda r: -round(r["objective"], 9))  # stable: ties keep grid order
    return rows, ferr, lcs


def preset(ratio: tuple[float, float, float]) -> dict[str, float]:
    """The five weights: location and salary fixed, the ratio sharing the rest."""
    rest = 1.0 - sum(FIXED.values())
    skills, experience = round(rest * ratio[0], 4), round(rest * ratio[1], 4)
    return {"skills": skills, "experience": experience, **FIXED,
            "semantic": round(rest - skills - experience, 4)}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m tests.bench.fit_weights",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--write", action="store_true", help="update tools/data/weights.json")
    args = ap.parse_args(argv)
    rows, ferr, lcs = fit()
    print("| skills : experience : text | embedding share | objective | FERR tau | FERR NDCG "
          "| Livecareer NDCG@10 |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows[:10]:
        print(f"| {' : '.join(f'{x:.2f}' for x in r['ratio'])} | {r['share']:.2f} | "
              f"{r['objective']:.3f} | {r['ferr_tau']:.3f} | {r['ferr_ndcg']:.3f} | "
              f"{r['livecareer_ndcg10']:.3f} |")
    best = rows[0]
    confirm = objective(ferr, lcs, best["ratio"], best["share"], split="confirm")
    print(f"\nbest on tune: {best['ratio']} share {best['share']}; the same on confirm: "
          + ", ".join(f"{k} {v:.3f}" for k, v in confirm.items()), file=sys.stderr)
    weights = preset(best["ratio"])
    print(f"fitted preset: {weights}", file=sys.stderr)
    if args.write:
        data = json.loads(WEIGHTS_FILE.read_text("utf-8"))
        data["fitted"] = weights
        WEIGHTS_FILE.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
        print(f"written to {WEIGHTS_FILE}", file=sys.stderr)


if __name__ == "__main__":
    main()
