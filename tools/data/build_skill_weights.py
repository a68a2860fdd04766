"""Build ``tools/data/skill_weights.json``: how specific each skill is, from public occupation data.

A requirement like "Microsoft Office" or "management" says little about a job; "PLC" or
"pneumatics" says a lot. The weight of a skill is its inverse document frequency over
occupation profiles: every O*NET occupation (title, description and the technology examples
O*NET lists for it) and every ESCO occupation (preferred label, description) is one document,
and a skill's document frequency is the number of profiles in which ``extract_skills`` finds it.

    weight = clip(log((N + 1) / (df + 1)) / log((N + 1) / (DF_SPECIFIC + 1)), FLOOR, 1)

so a skill found in at most ``DF_SPECIFIC`` profiles weighs 1 and the most common ones FLOOR.
Skills never seen in the profiles are not listed (the engine gives them weight 1).

Run: ``python tools/data/build_skill_weights.py [SHARED_DATA_DIR]`` (default ``../shared/data``
next to the repository). Rebuild after the taxonomy changes: weights are keyed by skill id.
Sources: O*NET (CC BY 4.0) and ESCO (© European Union) — see ``tools/data/ATTRIBUTION.md``.
"""

from __future__ import annotations

import csv
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.skills import extract_skills  # noqa: E402

OUT = Path(__file__).with_name("skill_weights.json")
FLOOR = 0.25
DF_SPECIFIC = 5


def _documents(data: Path) -> list[str]:
    occ = data / "occupations"
    tech: dict[str, list[str]] = defaultdict(list)
    with open(data / "skill-taxonomy" / "onet_technology_skills.txt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            tech[row["O*NET-SOC Code"]].append(row["Example"])
    docs = []
    with open(occ / "onet_alternate_titles" / "Occupation Data.txt", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            code = row["O*NET-SOC Code"]
            docs.append("\n".join([row["Title"], row["Description"], ", ".join(tech[code])]))
    with open(occ / "esco_occupations_en" / "occupations_en.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            docs.append("\n".join([row["preferredLabel"], row.get("description") or ""]))
    return docs


def build(data: Path) -> dict[str, object]:
    docs = _documents(data)
    df: dict[str, int] = defaultdict(int)
    for text in docs:
        for sid in {m.skill_id for m in extract_skills(text, role_names=True)}:
            df[sid] += 1
    n = len(docs)
    top = math.log((n + 1) / (DF_SPECIFIC + 1))
    weights = {sid: round(max(FLOOR, min(1.0, math.log((n + 1) / (c + 1)) / top)), 3)
               for sid, c in sorted(df.items())}
    return {"documents": n, "floor": FLOOR, "df_specific": DF_SPECIFIC,
            "sources": "O*NET Occupation Data + Technology Skills (CC BY 4.0); ESCO v1.2 "
                       "occupations (European Commission)",
            "weights": {k: v for k, v in weights.items() if v < 1.0}}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    out = build(data)
    OUT.write_text(json.dumps(out, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    w = out["weights"]
    assert isinstance(w, dict)
    print(f"{OUT.name}: {len(w)} skills below weight 1 from {out['documents']} profiles")


if __name__ == "__main__":
    main()
