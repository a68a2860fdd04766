"""Build ``tools/data/occupations.json.gz`` (the occupation model of ``tools/occupations.py``).

Run (the shipped file was built this way)::

    python -m store.data.embed_occupations /tmp/occ_vectors.npz     # ~2.5 min, MiniLM
    python -m tools.data.build_occupations --vectors /tmp/occ_vectors.npz   # ~45 s

Without ``--vectors`` the links use lexical evidence only (MELO concept success@1 0.603 / 0.636
on the tuning / confirm halves instead of 0.694 / 0.665). Default source:
``../shared/data/occupations`` (next to the repository). Sources (see ATTRIBUTION.md): ESCO
v1.2 occupations, ISCO
groups and broader relations; O*NET 30.0 occupation data and alternate titles; O*NET 27.0
sample of reported titles. No benchmark data (MELO) is read.

The title matcher used for the votes runs with ``pins=False`` (labels only: no aliases, exact
label pins or technology rule), so those runtime rules do not change the built links.
Each O*NET occupation is linked to ESCO concepts by our own matching (no crosswalk): see
``make_links`` — votes of its titles matched against the ESCO labels, TF-IDF cosines of label
words and of descriptions, embedding cosines of titles and "title. description" texts. Its top
``LINK_TOP`` concepts scoring at least ``LINK_RATIO`` × the best become links (weight = score /
best). An ESCO concept's ``onet_soc`` is the O*NET occupation linking to it with the highest
score, when that is at least ``SOC_MIN`` × that O*NET occupation's best link.

Output (gzip JSON): ``concepts`` = [uri, title, kind ("o" occupation / "g" ISCO group), code,
ISCO unit group, [broader concept ids], O*NET index or -1]; ``onet`` = [[soc, title]];
``labels`` = [[owner, kind, normalised text]] (owner < len(concepts): a concept, else the O*NET
occupation ``owner - len(concepts)``; kind p/a/h = ESCO preferred/alternative/hidden, t/r/o =
O*NET title/reported/alternate); ``links`` = [[onet index, concept id, weight]].
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import re
import sys
import time
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from tools.occupation_titles import label_text, stem
from tools.occupations import DATA_FILE, OccupationModel

SOURCE = Path(__file__).resolve().parents[3] / "shared" / "data" / "occupations"
TITLE_WEIGHT = 3.0
LINK_RATIO = 0.3
LINK_TOP = 10
SOC_MIN = 0.8  # of the O*NET occupation's best link
PER_LABEL = 10
_DOC_STOP = frozenset("""and the for with that this from are such their other including may
they into use using all also can which within ensure provide perform""".split())
VOTE_POWER = 3.0
VOTE_WEIGHT = 0.125
VOTE_GENERAL_BONUS = 0.05  # prior of the title matcher used for votes (see OccupationModel)
LABEL_SIM_WEIGHT = 0.1
DESC_SIM_WEIGHT = 0.1
EMB_TITLE_WEIGHT = 0.1
EMB_DOC_WEIGHT = 0.1
LINK_GENERAL_BONUS = 0.2
LINK_ISCO_FACTOR = 0.9


def _rows(path: Path, delimiter: str = ",") -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        if delimiter == "\t":
            return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        return list(csv.DictReader(f))


def _split(cell: str) -> list[str]:
    return [x.strip() for x in cell.split("\n") if x.strip()]


def load_sources(source: Path) -> dict[str, Any]:
    esco_dir = source / "esco_occupations_en"
    occ = _rows(esco_dir / "occupations_en.csv")
    groups = _rows(esco_dir / "ISCOGroups_en.csv")
    broader = _rows(esco_dir / "broaderRelationsOccPillar_en.csv")

    items: list[tuple[str, str, str, str, str, list[tuple[str, str]]]] = []
    descriptions: dict[str, str] = {}
    for g in groups:
        labels = [("p", g["preferredLabel"])] + [("a", x) for x in _split(g["altLabels"])]
        items.append((g["conceptUri"], g["preferredLabel"], "g", g["code"], g["code"], labels))
        descriptions[g["conceptUri"]] = g["description"]
    for o in occ:
        labels = ([("p", o["preferredLabel"])] + [("a", x) for x in _split(o["altLabels"])]
                  + [("h", x) for x in _split(o["hiddenLabels"])])
        items.append((o["conceptUri"], o["preferredLabel"], "o", o["code"], o["iscoGroup"],
                      labels))
        descriptions[o["conceptUri"]] = o["description"]
    items.sort(key=lambda x: x[0])
    cid = {x[0]: i for i, x in enumerate(items)}
    up: dict[int, set[int]] = defaultdict(set)
    for b in broader:
        if b["conceptUri"] in cid and b["broaderUri"] in cid:
            up[cid[b["conceptUri"]]].add(cid[b["broaderUri"]])

    onet_dir = source / "onet_alternate_titles"
    onet_rows = _rows(onet_dir / "Occupation Data.txt", "\t")
    onet = sorted((r["O*NET-SOC Code"], r["Title"]) for r in onet_rows)
    onet_desc = {r["O*NET-SOC Code"]: r["Description"] for r in onet_rows}
    oid = {soc: i for i, (soc, _t) in enumerate(onet)}
    onet_labels: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for soc, title in onet:
        onet_labels[oid[soc]].append(("t", title))
    for r in _rows(source / "onet_sample_of_reported_titles" / "Sample of Reported Titles.txt",
                   "\t"):
        if r["O*NET-SOC Code"] in oid:
            onet_labels[oid[r["O*NET-SOC Code"]]].append(("r", r["Reported Job Title"]))
    for r in _rows(onet_dir / "Alternate Titles.txt", "\t"):
        o_id = oid.get(r["O*NET-SOC Code"])
        if o_id is None:
            continue
        onet_labels[o_id].append(("o", r["Alternate Title"]))
        if r["Short Title"] not in ("", "n/a"):
            onet_labels[o_id].append(("o", r["Short Title"]))

    def dedupe(owner: int, labels: list[tuple[str, str]]) -> list[list[Any]]:
        seen: set[str] = set()
        out: list[list[Any]] = []
        for kind, text in labels:
            key = label_text(text)
            if key and key not in seen:
                seen.add(key)
                out.append([owner, kind, key])
        return out

    concept_rows = [[uri, title, kind, code, isco, sorted(up[i]), -1]
                    for i, (uri, title, kind, code, isco, _l) in enumerate(items)]
    esco_labels = [row for i, x in enumerate(items) for row in dedupe(i, x[5])]
    nc = len(items)
    all_onet_labels = [row for o in range(len(onet))
                       for row in dedupe(nc + o, onet_labels[o])]

    label_docs_c = [" ".join(t for _k, t in x[5]) for x in items]
    label_docs_o = [" ".join(t for _k, t in onet_labels[oid[soc]]) for soc, _t in onet]
    sources = {"concepts": concept_rows, "esco_labels": esco_labels, "onet": onet,
               "onet_labels": all_onet_labels,
               "label_sim": doc_similarity(label_docs_o, label_docs_c),
               "desc_sim": doc_similarity([onet_desc[soc] for soc, _t in onet],
                                          [descriptions[x[0]] for x in items])}
    return sources


def _bag(text: str) -> dict[str, float]:
    counts: dict[str, float] = defaultdict(float)
    for w in re.findall(r"[a-z]{3,}", text.lower()):
        if w not in _DOC_STOP:
            counts[stem(w)] += 1.0
    return {w: 1.0 + math.log(n) for w, n in counts.items()}


def doc_similarity(docs_o: list[str], docs_c: list[str]) -> np.ndarray:
    """TF-IDF cosine of every O*NET document (rows) with every ESCO document (columns)."""
    bags = [_bag(d) for d in docs_o + docs_c]
    df: dict[str, int] = defaultdict(int)
    for b in bags:
        for w in b:
            df[w] += 1
    n = len(bags)
    vocab = {w: i for i, w in enumerate(sorted(w for w, k in df.items() if 2 <= k <= n // 3))}
    mat = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, b in enumerate(bags):
        for w, tf in b.items():
            if w in vocab:
                mat[i, vocab[w]] = tf * math.log(n / df[w])
    mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-9)
    sims: np.ndarray = mat[: len(docs_o)] @ mat[len(docs_o):].T
    return sims


def label_votes(sources: dict[str, Any]) -> list[list[tuple[str, list[tuple[int, float]]]]]:
    """Per O*NET occupation: (kind, top ESCO concepts with scores) of each of its titles."""
    concept_rows = sources["concepts"]
    nc = len(concept_rows)
    esco_only = OccupationModel({"onet": [], "concepts": concept_rows,
                                 "labels": sources["esco_labels"], "links": []},
                               general_bonus=VOTE_GENERAL_BONUS, pins=False)
    by_onet: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for owner, kind, text in sources["onet_labels"]:
        by_onet[owner - nc].append((kind, text))
    t0 = time.perf_counter()
    votes = []
    for o in range(len(sources["onet"])):
        rows = []
        for kind, text in by_onet[o]:
            rows.append((kind, esco_only.ranked(label_text(text), PER_LABEL)))
        votes.append(rows)
        if o % 200 == 0:
            sys.stderr.write(f"  matched titles of {o}/{len(sources['onet'])} O*NET "
                             f"occupations ({time.perf_counter() - t0:.0f} s)\n")
    return votes


def make_links(sources: dict[str, Any],
               votes: list[list[tuple[str, list[tuple[int, float]]]]],
               power: float = VOTE_POWER, ratio: float = LINK_RATIO, top: int = LINK_TOP,
               label_weight: float = LABEL_SIM_WEIGHT, desc_weight: float = DESC_SIM_WEIGHT,
               title_weight: float = TITLE_WEIGHT, vote_weight: float = VOTE_WEIGHT,
               vectors: Mapping[str, np.ndarray] | None = None,
               emb_title_weight: float = EMB_TITLE_WEIGHT, emb_doc_weight: float = EMB_DOC_WEIGHT
               ) -> tuple[list[list[Any]], list[int]]:
    """Links [onet, concept, weight] and each concept's best O*NET occupation (or -1).

    The link score of an O*NET occupation and an ESCO concept is ``vote_weight`` × the mean
    (over the O*NET occupation's titles, its own title counted ``title_weight`` times) of the
    concept's title-match score to the power ``power``, plus ``label_weight`` × the TF-IDF cosine of
    their bags of label words and ``desc_weight`` × that of their descriptions; plus, with
    ``vectors`` (sentence embeddings, see store/data/embed_occupations.py), the embedding
    cosines of their titles and of their "title. description" texts; times the model's prior
    (general occupations up, ISCO groups down).
    """
    label_sim, desc_sim = sources["label_sim"], sources["desc_sim"]
    no, nc = label_sim.shape
    score = label_weight * label_sim.astype(np.float64) + desc_weight * desc_sim
    if vectors is not None:
        if (list(vectors["onet_codes"]) != [soc for soc, _t in sources["onet"]]
                or list(vectors["esco_uris"]) != [row[0] for row in sources["concepts"]]):
            raise SystemExit("the vectors file does not match these sources; re-embed")
        score += emb_title_weight * (vectors["onet_title"] @ vectors["esco_title"].T)
        score += emb_doc_weight * (vectors["onet_doc"] @ vectors["esco_doc"].T)
    for o, rows in enumerate(votes):
        total = sum(title_weight if k == "t" else 1.0 for k, _r in rows) or 1.0
        for kind, ranked in rows:
            w = vote_weight * (title_weight if kind == "t" else 1.0) / total
            for c, s in ranked:
                score[o, c] += w * s**power
    score *= _prior(sources["concepts"])[None, :]
    links: list[list[Any]] = []
    best_for_concept: dict[int, tuple[float, int]] = {}
    for o in range(no):
        order = np.lexsort((np.arange(nc), -score[o]))[:top]
        best = float(score[o, order[0]])
        if best <= 0:
            continue
        for c in order.tolist():
            s = float(score[o, c])
            if s < best * ratio:
                break
            links.append([o, c, round(s / best, 4)])
            if s > best_for_concept.get(c, (0.0, -1))[0]:
                best_for_concept[c] = (s, o)
    soc = [-1] * nc
    for c, (s, o) in best_for_concept.items():
        if s >= SOC_MIN * float(score[o].max()):
            soc[c] = o
    return links, soc


def _prior(concepts: list[list[Any]]) -> np.ndarray:
    narrower = np.zeros(len(concepts))
    for row in concepts:
        if row[2] == "o":
            for b in row[5]:
                narrower[b] += 1
    group = np.asarray([row[2] == "g" for row in concepts])
    prior: np.ndarray = np.where((narrower > 0) & ~group, 1.0 + LINK_GENERAL_BONUS, 1.0)
    return prior * np.where(group, LINK_ISCO_FACTOR, 1.0)


def embedding_texts(source: Path) -> dict[str, list[str]]:
    """The texts store/data/embed_occupations.py embeds, in the build's order."""
    esco_dir = source / "esco_occupations_en"
    rows = _rows(esco_dir / "occupations_en.csv") + _rows(esco_dir / "ISCOGroups_en.csv")
    esco = sorted((r["conceptUri"], r["preferredLabel"], r["description"]) for r in rows)
    onet = sorted((r["O*NET-SOC Code"], r["Title"], r["Description"])
                  for r in _rows(source / "onet_alternate_titles" / "Occupation Data.txt", "\t"))
    return {
        "esco_uris": [u for u, _t, _d in esco],
        "esco_title": [t for _u, t, _d in esco],
        "esco_doc": [f"{t}. {d}" for _u, t, d in esco],
        "onet_codes": [c for c, _t, _d in onet],
        "onet_title": [t for _c, t, _d in onet],
        "onet_doc": [f"{t}. {d}" for _c, t, d in onet],
    }


def build(source: Path, vectors: Path | None = None) -> dict[str, Any]:
    sources = load_sources(source)
    vecs = dict(np.load(vectors)) if vectors is not None else None
    links, soc = make_links(sources, label_votes(sources), vectors=vecs)
    concepts = [row[:6] + [soc[i]] for i, row in enumerate(sources["concepts"])]
    return {
        "version": 1,
        "concepts": concepts,
        "onet": [list(x) for x in sources["onet"]],
        "labels": sources["esco_labels"] + sources["onet_labels"],
        "links": links,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=SOURCE)
    parser.add_argument("--vectors", type=Path, default=None,
                        help="sentence embeddings from store/data/embed_occupations.py")
    args = parser.parse_args()
    data = build(args.source, args.vectors)
    raw = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    with gzip.GzipFile(DATA_FILE, "wb", compresslevel=9, mtime=0) as f:
        f.write(raw.encode("utf-8"))
    sys.stdout.write(f"{DATA_FILE.name}: {len(data['concepts'])} concepts, "
                     f"{len(data['onet'])} O*NET occupations, {len(data['labels'])} labels, "
                     f"{len(data['links'])} links, {DATA_FILE.stat().st_size / 1e6:.2f} MB\n")


if __name__ == "__main__":
    main()
