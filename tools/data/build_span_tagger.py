"""Train the knowledge-span tagger and its sentence gate on SkillSpan train.

Run from the repository root: ``python tools/data/build_span_tagger.py [SKILLSPAN_DIR]``
(default ``../shared/data/skillspan-dev``; about a minute). Only the *train* split is read.
Writes ``span_tagger.crfsuite`` (the CRF, :mod:`tools.span_tagger`) and ``span_gate.json`` (the
sentence gate, :mod:`tools.span_gate`). Its word-class features read ``word_clusters.tsv.gz``
(``python -m store.data.build_word_clusters``; build that first). Deterministic: sentences are
read in file order, CRFsuite's L-BFGS has no random state, folds are fixed; a rebuild gives
the same bytes.

Before training the shipped models it prints out-of-fold overlap P / R / F1 of what
:func:`tools.knowledge.extract_knowledge` returns, for a grid of its three thresholds
(``tools.span_tagger.DROP_BELOW``, ``tools.knowledge.TERM_FROM``, ``tools.knowledge.GATE_FROM``):
- folds by posting (posting number modulo 4), overall and per source (tech, house);
- on the sparse postings only (at most 0.45 gold spans per sentence; dev, the confirm split, has
  0.34, train 0.62: the spans-per-sentence figures were given in the brief, not measured here);
- folds by source (train on tech, predict house, and the other way round): how precision
  transfers to postings of another kind.

Operating point. The criterion was declared before dev was looked at with the gate: the cell
with the best out-of-fold F1 (folds by posting), F1 rounded to 3 decimals, ties to the higher
precision (`choose`). The shipped constants must be that cell; the script says so when they
are not.

SkillSpan: Zhang, Jensen, Sonniks, Plank, NAACL 2022, https://github.com/kris927b/SkillSpan
(MIT licence).
"""

from __future__ import annotations

import bisect
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools import span_tagger  # noqa: E402
from tools.knowledge import GATE_FROM, TERM_FROM, in_list_item, list_joined, pick_terms  # noqa: E402,E501
from tools.skills import category_of, match_names, name_at  # noqa: E402
from tools.span_gate import GATE_FILE, gate_features, gate_probability  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "skillspan-dev"
OUT = Path(__file__).resolve().parent / "span_tagger.crfsuite"
GATE_OUT = GATE_FILE
FOLDS = 4
PARAMS: dict[str, Any] = {
    "c1": 0.2, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True,
}
GATE_PARAMS: dict[str, Any] = {"c1": 0.1, "c2": 1.0, "max_iterations": 200}
#: A posting is "sparse" (dev-like) with at most this many gold spans per sentence.
SPARSE = 0.45


def prepare(row: dict[str, Any]) -> dict[str, Any]:
    """The extractor's view of one SkillSpan sentence, with gold labels on its tokens."""
    toks = row["tokens"]
    text = " ".join(toks)
    word_starts, pos = [], 0
    for t in toks:
        word_starts.append(pos)
        pos += len(t) + 1
    lows, gaps, starts, ends, raw, found = match_names(text, role_names=True)
    word_of = [bisect.bisect_right(word_starts, s) - 1 for s in starts[: len(ends)]]
    gold_words = span_tagger.predicted_spans(row["tags_knowledge"])
    labels = ["O"] * len(starts)
    for k, w in enumerate(word_of):
        for a, b in gold_words:
            if a <= w <= b:
                labels[k] = "B" if k == 0 or not (a <= word_of[k - 1] <= b) else "I"
    # gold spans in token space (a span whose words hold no token, e.g. "-", is dropped)
    gold = [(t[0], t[-1]) for a, b in gold_words if (t := [k for k, w in enumerate(word_of)
                                                         if a <= w <= b])]
    lex = span_tagger.lexicon_features(raw, found, category_of)
    kept_first = {c[4] for c in found}
    sents = span_tagger.sentences(text, gaps, starts, ends)
    seqs = [
        (a, b, span_tagger.features(text, starts, ends, a, b, lex), labels[a:b]) for a, b in sents
    ]
    gates = [
        (a, b, gate_features(lows, a, b, lex, kept_first),
         "K" if any(lab != "O" for lab in labels[a:b]) else "N")
        for a, b in sents
    ]
    return {
        "text": text, "lows": lows, "starts": starts, "ends": ends, "raw": raw, "found": found,
        "gold": gold, "seqs": seqs, "gates": gates, "posting": row["idx"],
        "source": row.get("source"),
    }


def train(items: list[dict[str, Any]], path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for it in items:
        for _a, _b, x, y in it["seqs"]:
            trainer.append(x, y)
    trainer.set_params(PARAMS)
    trainer.train(str(path))


def train_gate(items: list[dict[str, Any]], path: Path) -> dict[str, float]:
    """The sentence gate's weights: a logistic regression fitted by CRFsuite on one-item
    sequences (labels K = has a knowledge span, N = has none); weight = w(K) - w(N)."""
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for it in items:
        for _a, _b, x, y in it["gates"]:
            trainer.append([x], [y])
    trainer.set_params(GATE_PARAMS)
    trainer.train(str(path))
    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    w: dict[str, float] = {}
    # (CRFsuite's weight of an attribute times its value: the features' values carry counts)
    for (attr, label), v in tagger.info().state_features.items():
        w[attr] = w.get(attr, 0.0) + (v if label == "K" else -v)
    tagger.close()
    path.unlink()
    return {k: round(v, 4) for k, v in sorted(w.items()) if round(v, 4) != 0.0}


def predict(items: list[dict[str, Any]], path: Path, gate: dict[str, float]) -> None:
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(path))
    for it in items:
        n = len(it["ends"])
        probs, labels = [0.0] * n, ["O"] * n
        for a, _b, x, _y in it["seqs"]:
            for k, lab in enumerate(tagger.tag(x)):
                labels[a + k] = lab
                probs[a + k] = 1.0 - tagger.marginal("O", k)
        it["probs"], it["labels"] = probs, labels
        it["gate"] = [(a, b, gate_probability(x, gate)) for a, b, x, _y in it["gates"]]


def predictions(
    it: dict[str, Any], drop_below: float, term_from: float, gate_from: float
) -> list[tuple[int, int]]:
    """Token ranges of the knowledge spans `tools.knowledge` would return for one item with
    these thresholds (term_from > 1: no terms; gate_from 0: no gate). As there, a sentence the
    gate shuts loses its knowledge matches (save those in a list item) before `refine` and is
    not tagged."""
    text, starts, ends, probs, labels, found = (
        it["text"], it["starts"], it["ends"], it["probs"], it["labels"], it["found"]
    )
    shut = [(a, b) for a, b, g in it["gate"] if g < gate_from] if gate_from > 0 else []
    if shut:
        probs, labels = list(probs), list(labels)
        for a, b in shut:
            probs[a:b] = [0.0] * (b - a)
            labels[a:b] = ["O"] * (b - a)
        found = [c for c in found if category_of(c[2]) == "soft" or in_list_item(text, c[0])
                 or not any(a <= c[4] < b for a, b in shut)]

    def whole(i: int, j: int) -> Any:
        return name_at(text[starts[i] : ends[j]])

    def listed(c: list[Any]) -> bool:
        return in_list_item(text, c[0])

    def joined(a: list[Any], b: list[Any]) -> bool:
        return list_joined(text, a[1], b[0])

    out = span_tagger.refine(
        found, probs, labels, starts, ends, category_of, whole,
        listed, joined, drop_below=drop_below,
    )
    pred = [(c[4], c[5]) for c in out if category_of(c[2]) != "soft"]
    return pred + pick_terms(it["lows"], probs, labels, out, term_from)


def score(
    items: list[dict[str, Any]], drop_below: float, term_from: float, gate_from: float = 0.0
) -> tuple[float, float, float]:
    """Overlap P, R, F1 of the knowledge spans `tools.knowledge` would return."""
    tp_p = n_pred = tp_g = n_gold = 0
    for it in items:
        pred = predictions(it, drop_below, term_from, gate_from)
        gold = it["gold"]
        n_pred += len(pred)
        n_gold += len(gold)
        tp_p += sum(any(a <= gb and ga <= b for ga, gb in gold) for a, b in pred)
        tp_g += sum(any(a <= gb and ga <= b for a, b in pred) for ga, gb in gold)
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def out_of_fold(items: list[dict[str, Any]], fold_of: Callable[[dict[str, Any]], Any]) -> None:
    """Fill every item's predictions from models (tagger and gate) trained without its fold."""
    tmp = OUT.with_suffix(".fold")
    for fold in sorted({fold_of(it) for it in items}):
        train([it for it in items if fold_of(it) != fold], tmp)
        gate = train_gate([it for it in items if fold_of(it) != fold], tmp.with_suffix(".gate"))
        predict([it for it in items if fold_of(it) == fold], tmp, gate)
    tmp.unlink()


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    rows = [json.loads(x) for x in (data / "train.json").read_text("utf-8").splitlines() if x]
    items = [prepare(r) for r in rows]
    grid = [(d, t, g) for d in DROPS for t in TERMS for g in GATES]
    sparse = sparse_postings(items)
    tables = {}
    for scheme, fold_of in SCHEMES.items():
        out_of_fold(items, fold_of)
        tables[scheme] = {cell: score(items, *cell) for cell in grid}
        for src in ("tech", "house"):
            part = [it for it in items if it["source"] == src]
            tables[f"{scheme}, {src}"] = {cell: score(part, *cell) for cell in grid}
        if scheme == "posting":
            tables["posting, sparse"] = {cell: score(sparse, *cell) for cell in grid}
    chosen = choose(tables["posting"])
    print("out-of-fold overlap P / R / F1; columns: folds by posting (4), by source (2: train on")
    print("one source, predict the other), and by posting within each source")
    names = list(tables)
    print("drop  terms gate  " + "  ".join(f"{n:^17}" for n in names))
    for cell in grid:
        mark = " <- shipped" if cell == chosen else ""
        print(f"{cell[0]:4.2f} {cell[1]:5.2f} {cell[2]:4.2f}  " + "  ".join(
            "{:.3f}/{:.3f}/{:.3f}".format(*tables[n][cell]) for n in names) + mark)
    print(f"chosen (criterion in the docstring): drop {chosen[0]}, terms {chosen[1]}, "
          f"gate {chosen[2]}")
    if chosen != (span_tagger.DROP_BELOW, TERM_FROM, GATE_FROM):
        print("WARNING: the shipped constants are not the chosen cell")
    train(items, OUT)
    gate = train_gate(items, OUT.with_suffix(".gate"))
    GATE_OUT.write_text(json.dumps({
        "about": "Sentence gate of tools/span_gate.py, trained on SkillSpan train by "
                 "tools/data/build_span_tagger.py; P(K) = sigmoid(sum of the weights of the "
                 "sentence's features).",
        "weights": gate,
    }, indent=0, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KB), {GATE_OUT} "
          f"({GATE_OUT.stat().st_size / 1024:.0f} KB, {len(gate)} weights)")


def sparse_postings(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The items of the postings with at most SPARSE gold spans per sentence."""
    gold: dict[int, list[int]] = {}
    for it in items:
        gold.setdefault(it["posting"], []).append(len(it["gold"]))
    keep = {p for p, g in gold.items() if sum(g) / len(g) <= SPARSE}
    return [it for it in items if it["posting"] in keep]


def choose(table: dict[tuple[float, float, float], tuple[float, float, float]]) -> tuple[
    float, float, float
]:
    """The declared criterion: the best out-of-fold F1 (rounded to 3 decimals), ties to the
    higher precision, then to the first cell of the grid."""
    return max(table, key=lambda c: (round(table[c][2], 3), table[c][0]))


SCHEMES: dict[str, Callable[[dict[str, Any]], Any]] = {
    "posting": lambda it: it["posting"] % FOLDS,
    "source": lambda it: it["source"],
}
DROPS = (0.05, 0.1, 0.2, 0.3)
TERMS = (2.0, 0.5, 0.6, 0.7, 0.8)
GATES = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)


if __name__ == "__main__":
    main()
