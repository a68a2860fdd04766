"""Distinctive words a CV and a posting share: a TF-IDF cosine with a fixed, shipped IDF.

Embeddings compare meaning but blur specifics ("pneumatics" and "hydraulics" land near
"maintenance"); on real CVs and postings a plain TF-IDF cosine ranked occupations better
than either embedder measured. This module gives jobfit that signal without fitting anything
on the user's data: the IDF table comes from the public ESCO occupation profiles
(``tools/data/build_idf.py``), so a pair scores the same whatever else is in the index.

A text's vector: words (lower case, stop words dropped, a final plural "s" removed), weight
(1 + log tf) × idf, only words in the IDF table, the :data:`CV_TERMS` / :data:`JOB_TERMS`
heaviest kept (ties by word), L2-normalised. The cosine is the sum over shared words.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Mapping
from functools import cache
from pathlib import Path

IDF_FILE = Path(__file__).parent / "data" / "idf.json.gz"
#: Heaviest words kept per CV and per posting (bounds memory per indexed job, and noise).
CV_TERMS = 100
JOB_TERMS = 40
#: Longest text read (characters); the rest is ignored.
MAX_CHARS = 100_000

_WORD = re.compile(r"[a-z][a-z0-9+#]*")
STOP_WORDS = frozenset("""
a about above across after again against all almost alone along already also although always am
among an and another any anyone anything anywhere are around as at be became because become
becomes been before being below beside besides between beyond both but by can cannot could did do
does doing done down during each either else etc even ever every everyone everything except few
for from further get give given go had has have having he her here hers herself him himself his
how however i if in including into is it its itself just least less like made make many may me
might more most much must my myself neither never nevertheless next no nobody none nor not
nothing now of off often on once one only onto or other others otherwise our ours ourselves out
over own per perhaps please put rather re same see seem seemed seems several she should since so
some somehow someone something sometime sometimes somewhere still such than that the their theirs
them themselves then there thereby therefore these they this those though through throughout thru
thus to together too toward towards under until up upon us use used using very via was we well
were what whatever when whenever where whereas wherever whether which while who whoever whole whom
whose why will with within without would yet you your yours yourself yourselves
""".split())


#: Words every CV and posting uses ("years of experience", "strong team player"): frequent in
#: job ads but rare in the occupation profiles the IDF comes from, so they would look
#: distinctive. Written by hand; plural forms are folded before this check.
BOILERPLATE = frozenset("""
ability able apply applicant application benefit best candidate career company competitive
culture current date day degree detail duty employee employer employment environment equal
excellent experience full good great help highly hire hiring ideal including job join key
knowledge level looking month new offer opportunity part people plus position preferred
professional provide qualification related required requirement responsibility responsible
role salary skill strong success successful summary support team time today using want way
week work worked working year
""".split())


#: Words of section headings ("Work History", "## Certifications", "LANGUAGES"): a line made
#: only of these is layout, not content, and is skipped.
HEADING_WORDS = frozenset("""
about academic accomplishment achievement activity additional affiliation and award background
career certificate certification competency contact core course courses education employment
experience expertise extracurricular highlight history hobby honor honour information interest
key language objective of other overview personal profile professional project publication
qualification reference relevant responsibilities responsibility skill skills summary technical
tool training volunteer work
""".split())
#: Possessive quantifiers: each letter run is taken whole, so a line that is no heading fails
#: at once instead of after trying every way of cutting its runs into four pieces.
_HEADING_LINE = re.compile(r"^[\W_]*+(?:[a-z]++[\W_]*+){1,4}+$")


def _is_heading(line: str) -> bool:
    low = line.strip().lower()
    if not low or len(low) > 40 or not _HEADING_LINE.match(low):
        return False
    names = re.findall(r"[a-z]+", low)
    return all(n in HEADING_WORDS or n.rstrip("s") in HEADING_WORDS for n in names)


def words(text: str) -> list[str]:
    """The comparable words of a text, in order (see the module doc); heading lines skipped."""
    text = text[:MAX_CHARS]
    if "\n" in text:
        text = "\n".join(line for line in text.split("\n") if not _is_heading(line))
    out = []
    for w in _WORD.findall(text.lower()):
        if len(w) < 2 or w in STOP_WORDS:
            continue
        if len(w) > 4 and w.endswith("s") and not w.endswith("ss"):
            w = w[:-1]
        if w not in BOILERPLATE:
            out.append(w)
    return out


@cache
def idf_table() -> dict[str, float]:
    with gzip.open(IDF_FILE, "rb") as fh:
        data = json.loads(fh.read().decode("utf-8"))
    return {str(k): float(v) for k, v in data["idf"].items()}


def term_vector(text: str, top: int) -> dict[str, float]:
    """The ``top`` heaviest words of ``text`` with their normalised TF-IDF weights."""
    idf = idf_table()
    weights: dict[str, float] = {}
    for w, c in Counter(words(text)).items():
        i = idf.get(w)
        if i is not None:
            weights[w] = (1.0 + math.log(c)) * i
    kept = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    norm = math.sqrt(sum(v * v for _, v in kept))
    return {w: v / norm for w, v in kept} if norm > 0 else {}


def cosine(a: Mapping[str, float], b: Mapping[str, float]) -> float:
    """Cosine of two term vectors (both normalised): the sum over shared words."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def shared_terms(a: Mapping[str, float], b: Mapping[str, float], limit: int = 8) -> list[str]:
    """The shared words that add most to the cosine, heaviest first."""
    common = [(a[w] * b[w], w) for w in a.keys() & b.keys()]
    return [w for _, w in sorted(common, key=lambda x: (-x[0], x[1]))[:limit]]
