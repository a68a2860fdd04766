"""Train the knowledge-span tagger (``span_tagger.crfsuite``) on SkillSpan train.

Run from the repository root: ``python tools/data/build_span_tagger.py [SKILLSPAN_DIR]``
(default ``../shared/data/skillspan-dev``). Only the *train* split is read. Deterministic: the
sentences are read in file order, CRFsuite's L-BFGS has no random state, folds are the posting
number modulo 4.

The script first trains 4 fold models and prints, on their out-of-fold predictions, the overlap
precision/recall of the extractor's knowledge spans for a grid of the two thresholds of
``tools.span_tagger.DROP_BELOW`` and ``tools.knowledge.TERM_FROM``; the shipped values (best
F1) were chosen from that table.
Then it trains the shipped model on all of train.

SkillSpan: Zhang, Jensen, Sonniks, Plank, NAACL 2022, https://github.com/kris927b/SkillSpan
(MIT licence).
"""

from __future__ import annotations

import bisect
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools import span_tagger  # noqa: E402
from tools.knowledge import in_list_item, list_joined, pick_terms  # noqa: E402
from tools.skills import category_of, match_names, name_at  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "skillspan-dev"
OUT = Path(__file__).resolve().parent / "span_tagger.crfsuite"
FOLDS = 4
PARAMS: dict[str, Any] = {
    "c1": 0.2, "c2": 0.05, "max_iterations": 150, "feature.possible_transitions": True,
}


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
    seqs = [
        (a, b, span_tagger.features(text, starts, ends, a, b, lex), labels[a:b])
        for a, b in span_tagger.sentences(text, gaps, starts, ends)
    ]
    return {
        "text": text, "lows": lows, "starts": starts, "ends": ends, "raw": raw, "found": found,
        "gold": gold, "seqs": seqs, "fold": row["idx"] % FOLDS, "source": row.get("source"),
    }


def train(items: list[dict[str, Any]], path: Path) -> None:
    import pycrfsuite

    trainer = pycrfsuite.Trainer(verbose=False)
    for it in items:
        for _a, _b, x, y in it["seqs"]:
            trainer.append(x, y)
    trainer.set_params(PARAMS)
    trainer.train(str(path))


def predict(items: list[dict[str, Any]], path: Path) -> None:
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


def score(
    items: list[dict[str, Any]], drop_below: float, term_from: float
) -> tuple[float, float, float]:
    """Overlap P, R, F1 of the knowledge spans `tools.knowledge` would return (skills after
    `refine`, plus terms) with these thresholds (term_from > 1: no terms)."""
    tp_p = n_pred = tp_g = n_gold = 0
    for it in items:
        text, starts, ends, probs, labels = (
            it["text"], it["starts"], it["ends"], it["probs"], it["labels"]
        )
        def whole(i: int, j: int, text: str = text, s: Any = starts, e: Any = ends) -> Any:
            return name_at(text[s[i] : e[j]])

        def listed(c: list[Any], text: str = text) -> bool:
            return in_list_item(text, c[0])

        def joined(a: list[Any], b: list[Any], text: str = text) -> bool:
            return list_joined(text, a[1], b[0])

        out = span_tagger.refine(
            it["found"], probs, labels, starts, ends, category_of, whole,
            listed, joined, drop_below=drop_below,
        )
        pred = [(c[4], c[5]) for c in out if category_of(c[2]) != "soft"]
        pred += pick_terms(it["lows"], probs, labels, out, term_from)
        gold = it["gold"]
        n_pred += len(pred)
        n_gold += len(gold)
        tp_p += sum(any(a <= gb and ga <= b for ga, gb in gold) for a, b in pred)
        tp_g += sum(any(a <= gb and ga <= b for a, b in pred) for ga, gb in gold)
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    rows = [json.loads(x) for x in (data / "train.json").read_text("utf-8").splitlines() if x]
    items = [prepare(r) for r in rows]
    tmp = OUT.with_suffix(".fold")
    for fold in range(FOLDS):
        train([it for it in items if it["fold"] != fold], tmp)
        predict([it for it in items if it["fold"] == fold], tmp)
    tmp.unlink()
    p, r, f = score(items, 0.0, 2.0)
    print(f"out-of-fold, no drop, no terms: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print("drop_below term_from   P     R     F1")
    for drop in (0.05, 0.1, 0.2, 0.3):
        for term in (2.0, 0.5, 0.6, 0.7, 0.8):
            p, r, f = score(items, drop, term)
            print(f"{drop:10.2f} {term:9.2f}  {p:.3f} {r:.3f} {f:.3f}")
    train(items, OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
