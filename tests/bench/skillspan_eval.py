"""SkillSpan knowledge-span precision/recall of `extract_skills`, plus extraction speed.

Run: ``python -m tests.bench.skillspan_eval [DATA_DIR]``; ``--errors`` lists the false positives
and missed spans of the train split by category instead. Tokens are joined with spaces; a
prediction maps to the tokens it touches. Overlap: a predicted span is correct if it shares a
token with a gold knowledge span; recall counts gold spans touched by a prediction. Strict:
identical token ranges. Soft-skill predictions are scored separately (they are SkillSpan
"skill" spans, not "knowledge").

The product's posting parser calls :func:`tools.knowledge.extract_knowledge`: the lexicon's
matches passed through a sentence gate and checked by a CRF tagger, both trained on SkillSpan
train, plus open-vocabulary terms (ATS keywords). The "posting parser" rows measure that call
(skills + terms); the first table is the plain ``extract_skills(text)`` call of ``jobfit
skills``. The tagger's train figures are in-sample; its out-of-fold train figures (folds by
posting and by source, and on the sparse postings) come from ``tools/data/build_span_tagger.py``.

Tune on ``train`` only; ``dev`` is the confirm split. Other scripts can call
``evaluate_split("dev")`` (or ``evaluate(path, soft)``) and read the figures from the dict.

What the figures mean: SkillSpan annotators do not mark job titles ("Senior Java Developer"),
but do mark degrees ("BSc degree") as knowledge. ``extract_skills`` drops broad areas named in
a role ("Frontend Developer", "QA engineers"; ``role_names=True`` keeps them, as the CV and
posting parsers ask) but keeps technologies named in titles ("Java") as evidence, and leaves
degrees to the qualifications parser, so both conventions cost points here without being
extraction errors. ``title_fp`` counts false
positives directly followed by a role word ("developer", "engineer", ...), ``degree_gold`` the
gold spans naming a degree, so a reader can see how much of the gap they explain.
"""

from __future__ import annotations

import bisect
import json
import re
import sys
import time
from collections import Counter
from itertools import accumulate
from pathlib import Path
from typing import Any

from tools.knowledge import extract_knowledge
from tools.skills import extract_skills, load_taxonomy
from tools.span_tagger import predicted_spans  # B/I runs: the gold spans too

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "skillspan-dev"
SPLITS = ("train", "dev")

_ROLE_WORD = re.compile(
    r"(?:developers?|engineers?|engineering|programmers?|architects?|administrators?|leads?|"
    r"managers?|analysts?|designers?|specialists?|consultants?|testers?)$",
    re.I,
)
_DEGREE = re.compile(
    r"\b(?:degrees?|diplomas?|ph\.?d|msc|bsc|ms|bs|ba|ma|master'?s?|bachelor'?s?|cand\.\w+)\b",
    re.I,
)


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]


#: ``extract_skills`` as the posting parser calls it (tools/parsing/job.py): no fuzzy matching,
#: areas named in a role kept ("Frontend Developer" names frontend work).
PARSER_OPTIONS: dict[str, bool] = {"fuzzy": False, "role_names": True}


#: What the posting parser uses (tools/parsing/job): `extract_knowledge`, the taxonomy matches
#: checked and extended by the SkillSpan tagger, plus its open-vocabulary terms (ATS keywords).
KNOWLEDGE_OPTIONS: dict[str, bool] = {"knowledge": True}


def _predict(
    text: str, tax: Any, soft: bool, options: dict[str, bool] | None
) -> list[tuple[int, int]]:
    """(start, end) of the predicted spans: soft skills when `soft`, else knowledge."""
    opts = dict(options or {})
    terms: list[tuple[int, int]] = []
    if opts.pop("knowledge", False):
        k = extract_knowledge(text)
        ments: Any = k.mentions
        if not soft and not opts.pop("no_terms", False):
            terms = [(t.start, t.end) for t in k.terms]
    else:
        ments = extract_skills(text, **opts)
    out = []
    for m in ments:
        entry = tax.get(m.skill_id)
        if entry is not None and (entry.category == "soft") == soft:
            out.append((m.start, m.end))
    return sorted(out + terms)


def _score(
    rows: list[dict[str, Any]], soft: bool, options: dict[str, bool] | None = None
) -> dict[str, float]:
    tax = load_taxonomy()
    tp_p = n_pred = tp_g = n_gold = strict = title_fp = degree_gold = 0
    seconds = 0.0
    chars = 0
    for d in rows:
        toks = d["tokens"]
        text = " ".join(toks)
        starts = []
        pos = 0
        for t in toks:
            starts.append(pos)
            pos += len(t) + 1
        t0 = time.perf_counter()
        found = _predict(text, tax, soft, options)
        seconds += time.perf_counter() - t0
        chars += len(text)
        pred = []
        for start, end in found:
            a = bisect.bisect_right(starts, start) - 1
            b = bisect.bisect_right(starts, end - 1) - 1
            pred.append((a, b))
        gold = predicted_spans(d["tags_skill" if soft else "tags_knowledge"])
        n_pred += len(pred)
        n_gold += len(gold)
        for a, b in pred:
            if any(a <= gb and ga <= b for ga, gb in gold):
                tp_p += 1
            elif b + 1 < len(toks) and _ROLE_WORD.match(toks[b + 1]):
                title_fp += 1
        tp_g += sum(any(a <= gb and ga <= b for a, b in pred) for ga, gb in gold)
        degree_gold += sum(bool(_DEGREE.search(" ".join(toks[ga : gb + 1]))) for ga, gb in gold)
        strict += len(set(pred) & set(gold))
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    sp = strict / n_pred if n_pred else 0.0
    sr = strict / n_gold if n_gold else 0.0
    return {
        "sentences": len(rows), "gold": n_gold, "pred": n_pred,
        "P": p, "R": r, "F1": _f1(p, r),
        "strict_P": sp, "strict_R": sr, "strict_F1": _f1(sp, sr),
        "title_fp": title_fp, "degree_gold": degree_gold,
        "ms_per_kb": 1000 * seconds / (chars / 1024) if chars else 0.0,
        "texts_per_s": len(rows) / seconds if seconds else 0.0,
    }


def evaluate(
    path: Path, soft: bool = False, options: dict[str, bool] | None = None
) -> dict[str, float]:
    """Overlap and strict P/R/F1 of `extract_skills` on one SkillSpan JSON-lines file
    (`options=KNOWLEDGE_OPTIONS`: of the posting parser's `extract_knowledge`)."""
    return _score(_rows(path), soft, options)


def evaluate_split(
    name: str, *, soft: bool = False, data: Path = DATA, source: str | None = None,
    options: dict[str, bool] | None = None,
) -> dict[str, float]:
    """`evaluate` on split `name` ("train" or "dev"), optionally one source ("tech"/"house");
    `options` are keyword arguments of `extract_skills` (default: the `jobfit skills` call)."""
    rows = _rows(data / f"{name}.json")
    if source is not None:
        rows = [d for d in rows if d.get("source") == source]
    return _score(rows, soft, options)


def speed(path: Path, size: int = 3000, extract: Any = extract_skills) -> dict[str, float]:
    """Time extraction on ~3 KB documents made of consecutive sentences (wall and CPU time)."""
    sents = [" ".join(json.loads(x)["tokens"]) for x in path.read_text("utf-8").splitlines()]
    docs, cur = [], ""
    for s in sents:
        cur += s + "\n"
        if len(cur) >= size:
            docs.append(cur)
            cur = ""
    extract("warm up")
    t0, c0 = time.perf_counter(), time.process_time()
    for d in docs:
        extract(d)
    sec, cpu = time.perf_counter() - t0, time.process_time() - c0
    kb = sum(len(d) for d in docs) / 1024
    return {
        "docs": len(docs), "ms_per_kb": 1000 * sec / kb, "cpu_ms_per_kb": 1000 * cpu / kb,
        "docs_per_s": len(docs) / sec,
    }


def errors(data: Path = DATA, top: int = 40) -> dict[str, Any]:
    """False positives and negatives of the knowledge spans on *train* (the tuning split only:
    reading dev errors would tune on the confirm split). Returns counts by taxonomy category,
    the most frequent false-positive surfaces (with their skill id) and missed gold spans."""
    tax = load_taxonomy()
    fp_cat: Counter[str] = Counter()
    tp_cat: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for d in _rows(data / "train.json"):
        toks = d["tokens"]
        text = " ".join(toks)
        starts = list(accumulate((len(t) + 1 for t in toks[:-1]), initial=0))
        gold = predicted_spans(d["tags_knowledge"])
        pred = []
        for m in extract_skills(text):
            entry = tax.get(m.skill_id)
            if entry is None or entry.category == "soft":
                continue
            a = bisect.bisect_right(starts, m.start) - 1
            b = bisect.bisect_right(starts, m.end - 1) - 1
            pred.append((a, b))
            if any(a <= gb and ga <= b for ga, gb in gold):
                tp_cat[entry.category] += 1
            else:
                fp_cat[entry.category] += 1
                fp[f"{m.surface} -> {m.skill_id}"] += 1
        for ga, gb in gold:
            if not any(a <= gb and ga <= b for a, b in pred):
                fn[" ".join(toks[ga : gb + 1]).lower()] += 1
    return {
        "tp_by_category": dict(tp_cat.most_common()),
        "fp_by_category": dict(fp_cat.most_common()),
        "fp": fp.most_common(top), "fn": fn.most_common(top),
    }


def main() -> None:
    if "--errors" in sys.argv:
        e = errors()
        print("train: true/false positives by category:", e["tp_by_category"], e["fp_by_category"])
        print("most frequent false positives:")
        for k, c in e["fp"]:
            print(f"  {c:3d}  {k}")
        print("most frequent missed gold spans:")
        for k, c in e["fn"]:
            print(f"  {c:3d}  {k}")
        return
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    t0 = time.perf_counter()
    load_taxonomy()
    extract_skills("warm up")
    print(f"taxonomy load + matcher build: {1000 * (time.perf_counter() - t0):.0f} ms")
    print("Overlap P/R/F1 (strict in brackets). train = tuning split, dev = confirm split.")
    head = (
        f"{'split':5} {'spans':9} {'source':6} {'gold':>5} {'pred':>5}  {'P':>5} {'R':>5} "
        f"{'F1':>5}  {'strict P/R/F1':17} {'title FP':>8} {'degree gold':>11}"
    )
    print(head)
    print("-" * len(head))
    for split in SPLITS:
        for soft in (False, True):
            for source in (None, "tech", "house") if not soft else (None,):
                r = evaluate_split(split, soft=soft, data=data, source=source)
                what = "soft/skill" if soft else "knowledge"
                print(
                    f"{split:5} {what:9} {source or 'all':6} {r['gold']:5} {r['pred']:5}  "
                    f"{r['P']:.3f} {r['R']:.3f} {r['F1']:.3f}  "
                    f"{r['strict_P']:.3f}/{r['strict_R']:.3f}/{r['strict_F1']:.3f} "
                    f"{r['title_fp']:8} {r['degree_gold']:11}"
                )
    rows = (
        ("knowledge", None, KNOWLEDGE_OPTIONS, "<- the posting parser: skills + terms"),
        ("knowledge", "tech", KNOWLEDGE_OPTIONS, ""),
        ("knowledge", "house", KNOWLEDGE_OPTIONS, ""),
        ("knowledge", None, {"knowledge": True, "no_terms": True}, "<- its skills only"),
        ("knowledge", None, PARSER_OPTIONS, "<- extract_skills, fuzzy off, role names kept"),
    )
    print("The product's posting path. train is in-sample for the tagger (trained on it): see")
    print("tools/data/build_span_tagger.py for out-of-fold train figures.")
    for split in SPLITS:
        for what, source, options, note in rows:
            r = evaluate_split(split, data=data, source=source, options=options)
            print(
                f"{split:5} {what:9} {source or 'all':6} {r['gold']:5} {r['pred']:5}  "
                f"{r['P']:.3f} {r['R']:.3f} {r['F1']:.3f}  "
                f"{r['strict_P']:.3f}/{r['strict_R']:.3f}/{r['strict_F1']:.3f} "
                f"{r['title_fp']:8} {r['degree_gold']:11}  {note}"
            )
    for split in SPLITS:
        for name, fn in (("extract_skills", extract_skills), ("extract_knowledge", _uncached)):
            s = speed(data / f"{split}.json", extract=fn)
            print(
                f"{split:5} {name} speed on {s['docs']} ~3 KB docs: {s['ms_per_kb']:.3f} ms/KB "
                f"(CPU {s['cpu_ms_per_kb']:.3f}), {s['docs_per_s']:.0f} docs/s"
            )


def _uncached(text: str) -> Any:
    return extract_knowledge(text + " ")  # a new text each call: no cache hit


if __name__ == "__main__":
    main()
