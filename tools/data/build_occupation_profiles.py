"""Build ``tools/data/occupation_profiles.json.gz``: the distinctive words of each occupation.

Each ESCO v1.2 occupation's preferred label, alternative labels and description become one
TF-IDF term vector (``tools.lexical``, the :data:`TERMS` heaviest words, weights stored as
integers in thousandths). ``tools/occupation_profiles.py`` compares a CV's or a posting's words
with these profiles to tell which occupation the text reads like — for CVs whose titles are
missing or vague and postings without a usable title.

Run: ``python tools/data/build_occupation_profiles.py [SHARED_DATA_DIR]`` (after
``build_idf.py``). Source: ESCO classification, © European Union (see ATTRIBUTION.md).
"""

from __future__ import annotations

import csv
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tools.lexical import term_vector  # noqa: E402
from tools.occupation_profiles import PROFILES_FILE  # noqa: E402

TERMS = 80


def build(data: Path) -> dict[str, object]:
    path = data / "occupations" / "esco_occupations_en" / "occupations_en.csv"
    words: dict[str, int] = {}
    profiles = []
    with open(path, encoding="utf-8") as fh:
        rows = sorted(csv.DictReader(fh), key=lambda r: r["conceptUri"])
    for row in rows:
        text = " ".join([row["preferredLabel"], row.get("altLabels") or "",
                         row.get("description") or ""])
        vec = term_vector(text, TERMS)
        if not vec:
            continue
        ids = [words.setdefault(w, len(words)) for w in vec]
        profiles.append([row["conceptUri"], ids, [round(v * 1000) for v in vec.values()]])
    return {"source": "ESCO v1.2 occupations (European Commission)", "terms": TERMS,
            "words": list(words), "profiles": profiles}


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data"
    out = build(data)
    with gzip.GzipFile(PROFILES_FILE, "wb", mtime=0) as fh:
        fh.write(json.dumps(out, separators=(",", ":")).encode("utf-8"))
    profiles = out["profiles"]
    assert isinstance(profiles, list)
    print(f"{PROFILES_FILE.name}: {len(profiles)} occupation profiles")


if __name__ == "__main__":
    main()
