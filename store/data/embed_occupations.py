"""Sentence embeddings used (at build time only) to link O*NET occupations to ESCO concepts.

Run: ``python -m store.data.embed_occupations [OUT.npz] [SOURCE_DIR]``, then
``python -m tools.data.build_occupations --vectors OUT.npz``. Embeds, with the local MiniLM
model (``store.embeddings.MiniLMEmbedder``), each ESCO concept's preferred label and
"label. description" and each O*NET occupation's title and "title. description". Only the links
computed from them are shipped (in ``tools/data/occupations.json.gz``), not the vectors. Lives in
``store/`` because ``tools/`` must not import the embedder.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

from store.embeddings import MiniLMEmbedder
from tools.data.build_occupations import SOURCE, embedding_texts

DEFAULT_OUT = Path(tempfile.gettempdir()) / "jobfit-occupation-vectors.npz"


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    source = Path(sys.argv[2]) if len(sys.argv) > 2 else SOURCE
    texts = embedding_texts(source)
    embedder = MiniLMEmbedder()
    arrays: dict[str, np.ndarray] = {
        "esco_uris": np.asarray(texts["esco_uris"]),
        "onet_codes": np.asarray(texts["onet_codes"]),
    }
    for key in ("esco_title", "esco_doc", "onet_title", "onet_doc"):
        arrays[key] = embedder.embed(texts[key])
    np.savez(out, **arrays)  # type: ignore[arg-type]
    sys.stdout.write(f"{out}: {len(texts['esco_uris'])} ESCO, {len(texts['onet_codes'])} O*NET\n")


if __name__ == "__main__":
    main()
