"""Build ``tools/data/idf.json.gz``: inverse document frequencies of occupational words.

The text-similarity factor compares a CV and a posting by the distinctive words they share
(TF-IDF cosine, ``tools/lexical.py``). Its IDF table comes from public occupation profiles:
every ESCO v1.2 occupation (preferred label, alternative labels, description) is one document.
Words found in no profile are not in the table and are ignored by the comparison (names,
addresses, typos). O*NET texts are deliberately not used: the real-data evaluation ranks
O*NET occupations, and the table must not be fitted on what it is measured against.

Run: ``python tools/data/build_idf.py [SHARED_DATA_DIR]`` (default ``../shared/data``).
Source: ESCO classification, © European Union (see ``tools/data/ATTRIBUTION.md``).
"""

from __future__ import annotations

import csv
import gzip
import json
import math
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.lexical import IDF_FILE, words  # noqa: E402


def build(data: Path) -> dict[str, object]:
    path = data / "occupations" / "esco_occupations_en" / "occupations_en.csv"
    df: Counter[str] = Counter()
    n = 0
    with open(path, encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            text = " ".join([row["preferredLabel"], row.get("altLabels") or "",
                             row.get("description") or ""])
            df.update(set(words(text)))
            n += 1
    idf = {w: round(math.log((n + 1) / (c + 1)) + 1.0, 4) for w, c in sorted(df.items())}
    return {"documents": n, "source": "ESCO v1.2 occupations (European Commission)",
            "idf": idf}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    out = build(data)
    with gzip.GzipFile(IDF_FILE, "wb", mtime=0) as fh:  # mtime 0: byte-identical rebuilds
        fh.write(json.dumps(out, sort_keys=True, separators=(",", ":")).encode("utf-8"))
    idf = out["idf"]
    assert isinstance(idf, dict)
    print(f"{IDF_FILE.name}: {len(idf)} words from {out['documents']} occupation profiles")


if __name__ == "__main__":
    main()
