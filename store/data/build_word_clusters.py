"""Build ``tools/data/word_clusters.tsv.gz``: word -> k-means cluster ids of its static vector.

Run from the repository root: ``python -m store.data.build_word_clusters [SKILLSPAN_DIR]``
(default ``../shared/data/skillspan-dev``; a minute on 2 cores). The knowledge-span tagger
(:mod:`tools.span_tagger`) uses the ids as word-class features, the classic way to let a CRF
generalise from the words it was trained on to words it has not seen (as Brown clusters do).

- Vocabulary (sorted, lower case, tokens of the extractor's tokenizer that hold a letter, at most
  30 characters): the words of SkillSpan *train* (never dev), every word of the skill
  taxonomy's names and aliases, the shipped IDF table's words (ESCO occupation profiles), the
  extractor's list of ordinary words, and the whole words of the embedder's own (uncased
  MiniLM) tokenizer vocabulary as common English (~22,000 words).
- Vector: the project's default static embedder (:class:`store.static_embeddings.StaticEmbedder`,
  the mean of the word's wordpiece vectors, L2-normalised).
- Clusters: spherical k-means at three granularities (:data:`SIZES`), seeded initial centroids
  (``numpy.random.default_rng(0)`` sample of the vocabulary), :data:`ITERATIONS` rounds; ties
  go to the lower centroid id. Single-threaded BLAS for byte-identical rebuilds.
- Output: ``word<TAB>id64<TAB>id256<TAB>id1024`` lines in word order, gzip with mtime 0, so a
  rebuild gives the same bytes.

This script lives in ``store`` because it reads the embedder (``tools`` may not import
``store``); it writes into ``tools/data``, where the tagger reads the table at run time with
no numpy and no embedder.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import gzip  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from store.embeddings import TOKENIZER_FILE  # noqa: E402
from store.static_embeddings import StaticEmbedder  # noqa: E402
from tools.skill_words import COMMON_WORDS  # noqa: E402
from tools.skills import load_taxonomy, match_names  # noqa: E402
from tools.span_tagger import CLUSTER_FILE, CLUSTER_SIZES  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "skillspan-dev"
SIZES = CLUSTER_SIZES
ITERATIONS = 25


def _words(text: str) -> set[str]:
    return {w for w in match_names(text)[0] if len(w) <= 30 and any(c.isalpha() for c in w)}


def vocabulary(data: Path) -> list[str]:
    """The sorted words to cluster (see the module docstring)."""
    words: set[str] = set()
    for line in (data / "train.json").read_text("utf-8").splitlines():
        if line.strip():
            words |= _words(" ".join(json.loads(line)["tokens"]))
    for entry in load_taxonomy():
        for name in (entry.name, *entry.aliases):
            words |= _words(name)
    idf = json.loads(gzip.decompress((ROOT / "tools" / "data" / "idf.json.gz").read_bytes()))
    for w in idf["idf"]:
        words |= _words(w)
    for w in COMMON_WORDS:
        words |= _words(w)
    vocab = json.loads(TOKENIZER_FILE.read_text("utf-8"))["model"]["vocab"]
    words |= {w for w in vocab if len(w) > 1 and w.isalpha() and w.isascii()}
    return sorted(words)


def kmeans(x: np.ndarray, k: int, seed: int = 0) -> np.ndarray:
    """Cluster id of every row of the L2-normalised `x` (spherical k-means)."""
    rng = np.random.default_rng(seed)
    cent = x[np.sort(rng.choice(len(x), size=k, replace=False))].copy()
    ids = np.zeros(len(x), dtype=np.int64)
    for _ in range(ITERATIONS):
        ids = np.argmax(x @ cent.T, axis=1)
        for c in range(k):
            members = x[ids == c]
            if len(members):
                v = members.sum(axis=0)
                cent[c] = v / max(float(np.linalg.norm(v)), 1e-12)
    return ids


def main() -> None:
    data = Path(sys.argv[1]) if len(sys.argv) > 1 else DATA
    words = vocabulary(data)
    emb = StaticEmbedder()
    x = np.concatenate([emb.embed(words[i : i + 4096]) for i in range(0, len(words), 4096)])
    x = x.astype(np.float64)
    cols = [kmeans(x, k) for k in SIZES]
    lines = ["\t".join([w, *(str(int(c[i])) for c in cols)]) for i, w in enumerate(words)]
    blob = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), compresslevel=9, mtime=0)
    CLUSTER_FILE.write_bytes(blob)
    print(f"wrote {CLUSTER_FILE} ({len(words)} words, {len(blob) / 1024:.0f} KB)")  # noqa: T201


if __name__ == "__main__":
    main()
