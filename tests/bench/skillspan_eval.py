"""SkillSpan knowledge-span precision/recall of `extract_skills`, plus extraction speed.

Run: ``python -m tests.bench.skillspan_eval [DATA_DIR]``. Tokens are joined with spaces; a
prediction maps to the tokens it touches. Overlap: a predicted span is correct if it shares a
token with a gold knowledge span; recall counts gold spans touched by a prediction. Strict:
identical token ranges. Soft-skill predictions are scored separately (they are SkillSpan
"skill" spans, not "knowledge").
"""

from __future__ import annotations

import bisect
import json
import sys
import time
from pathlib import Path

from tools.skills import extract_skills, load_taxonomy

DATA = Path(__file__).resolve().parents[3] / "shared" / "data" / "skillspan-dev"


def spans(tags: list[str]) -> list[tuple[int, int]]:
    out, i = [], 0
    while i < len(tags):
        if tags[i] == "B" or (tags[i] == "I" and (i == 0 or tags[i - 1] == "O")):
            j = i + 1
            while j < len(tags) and tags[j] == "I":
                j += 1
            out.append((i, j - 1))
            i = j
        else:
            i += 1
    return out


def evaluate(path: Path, soft: bool = False) -> dict[str, float]:
    tax = load_taxonomy()
    tp_p = n_pred = tp_g = n_gold = strict = 0
    seconds = 0.0
    chars = 0
    rows = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    for d in rows:
        toks = d["tokens"]
        text = " ".join(toks)
        starts = []
        pos = 0
        for t in toks:
            starts.append(pos)
            pos += len(t) + 1
        t0 = time.perf_counter()
        ments = extract_skills(text)
        seconds += time.perf_counter() - t0
        chars += len(text)
        pred = []
        for m in ments:
            entry = tax.get(m.skill_id)
            if entry is None or (entry.category == "soft") != soft:
                continue
            a = bisect.bisect_right(starts, m.start) - 1
            b = bisect.bisect_right(starts, m.end - 1) - 1
            pred.append((a, b))
        gold = spans(d["tags_skill" if soft else "tags_knowledge"])
        n_pred += len(pred)
        n_gold += len(gold)
        tp_p += sum(any(a <= gb and ga <= b for ga, gb in gold) for a, b in pred)
        tp_g += sum(any(a <= gb and ga <= b for a, b in pred) for ga, gb in gold)
        strict += len(set(pred) & set(gold))
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    sp = strict / n_pred if n_pred else 0.0
    sr = strict / n_gold if n_gold else 0.0
    return {
        "sentences": len(rows), "gold": n_gold, "pred": n_pred,
        "P": p, "R": r, "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "strict_P": sp, "strict_R": sr, "strict_F1": 2 * sp * sr / (sp + sr) if sp + sr else 0.0,
        "ms_per_kb": 1000 * seconds / (chars / 1024), "texts_per_s": len(rows) / seconds,
    }


def speed(path: Path, size: int = 3000) -> dict[str, float]:
    """Time extraction on ~3 KB documents made of consecutive sentences."""
    sents = [" ".join(json.loads(x)["tokens"]) for x in path.read_text("utf-8").splitlines()]
    docs, cur = [], ""
    for s in sents:
        cur += s + "\n"
        if len(cur) >= size:
            docs.append(cur)
            cur = ""
    extract_skills("warm up")
    t0 = time.perf_counter()
    for d in docs:
        extract_skills(d)
    sec = time.perf_counter() - t0
    kb = sum(len(d) for d in docs) / 1024
    return {"docs": len(docs), "ms_per_kb": 1000 * sec / kb, "docs_per_s": len(docs) / sec}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    t0 = time.perf_counter()
    load_taxonomy()
    extract_skills("warm up")
    print(f"taxonomy load + matcher build: {1000 * (time.perf_counter() - t0):.0f} ms")
    for split in ("train", "dev"):
        path = data / f"{split}.json"
        for soft in (False, True):
            r = evaluate(path, soft)
            what = "soft skills vs skill spans" if soft else "knowledge spans (non-soft)"
            print(
                f"{split:5} {what:27} gold={r['gold']:5} pred={r['pred']:5}  "
                f"overlap P={r['P']:.3f} R={r['R']:.3f} F1={r['F1']:.3f}  "
                f"strict P={r['strict_P']:.3f} R={r['strict_R']:.3f} F1={r['strict_F1']:.3f}"
            )
        s = speed(path)
        print(
            f"{split:5} speed on {s['docs']} ~3 KB docs: {s['ms_per_kb']:.3f} ms/KB, "
            f"{s['docs_per_s']:.0f} docs/s"
        )


if __name__ == "__main__":
    main()
