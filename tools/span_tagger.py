"""A learned tagger of knowledge spans, used to check and extend lexicon skill matches.

The tagger is a linear-chain CRF (CRFsuite) trained on SkillSpan train (job-posting sentences
with annotated *knowledge* spans; Zhang et al., NAACL 2022, MIT licence) by
``tools/data/build_span_tagger.py``; the model ships as ``tools/data/span_tagger.crfsuite``.
It reads the extractor's own tokens (``tools.skills``) one sentence at a time, with features of
the word (lower form, shape, suffix, and its word classes: k-means clusters of the project's
static embedder vectors at 64 / 256 / 1,024 classes, ``tools/data/word_clusters.tsv.gz``, so
that words unseen in training still carry a signal), its neighbours (words, classes), cue words
("experience with", "degree in"), list position, the employer's voice, and the lexicon: whether
a taxonomy name covers the token, of which category and match mode, and whether the context
rules kept it.

Two uses, both deterministic and offline (no score comes from the tagger):
- a precision check: a taxonomy match whose tokens all have P(inside a knowledge span) below
  ``DROP_BELOW`` is dropped (see `refine` for what is always kept);
- a recall aid: a predicted span whose whole text is a taxonomy name or alias becomes a
  mention; other predicted spans are open-vocabulary terms (:mod:`tools.knowledge`).
A sentence gate (:mod:`tools.span_gate`) decides first which sentences are tagged at all.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).resolve().parent / "data" / "span_tagger.crfsuite"
#: Word -> k-means cluster ids of its static-embedder vector at three granularities, built by
#: ``python -m store.data.build_word_clusters`` (word classes generalise to unseen words).
CLUSTER_FILE = Path(__file__).resolve().parent / "data" / "word_clusters.tsv.gz"
CLUSTER_SIZES = (64, 256, 1024)

#: A lexicon match whose tokens all have P(inside a knowledge span) below this is dropped
#: (tuned on out-of-fold predictions of SkillSpan train; see build_span_tagger.py).
DROP_BELOW = 0.05
#: A span the tagger predicts is admitted when its mean P(inside) is at least this.
ADMIT_FROM = 0.5

# Cue words that open a knowledge span within the next few tokens.
_CUES = frozenset(
    """experience experienced knowledge understanding familiarity familiar proficiency
    proficient expertise expert skills skill background degree degrees bachelor master masters
    phd msc bsc in with of using like including such e.g. certification certified
    """.split()
)
VOICE = frozenset({"we", "our", "us", "we're", "ours"})
YOU = frozenset({"you", "your", "candidate", "required", "requirements", "must"})
BULLETS = frozenset("-*•·▪◦‣–—>")
_SHAPE = re.compile(r"(.)\1+")


def _shape(tok: str) -> str:
    out = []
    for ch in tok:
        if ch.isupper():
            out.append("X")
        elif ch.islower():
            out.append("x")
        elif ch.isdigit():
            out.append("d")
        else:
            out.append(ch)
    return _SHAPE.sub(r"\1\1", "".join(out))[:8]


@cache
def clusters() -> dict[str, tuple[str, ...]]:
    """Word -> its cluster ids, one per size of CLUSTER_SIZES (empty when no table ships)."""
    if not CLUSTER_FILE.exists():
        return {}
    out = {}
    for line in gzip.decompress(CLUSTER_FILE.read_bytes()).decode("utf-8").splitlines():
        w, *ids = line.split("\t")
        out[w] = tuple(ids)
    return out


#: Which cluster granularities (indexes into CLUSTER_SIZES) the tagger reads on the word, and
#: on its neighbours (measured out-of-fold; the neighbours' shapes were dropped at no loss).
CLUSTER_OWN: tuple[int, ...] = (0, 1, 2)
CLUSTER_NEAR: tuple[int, ...] = (1,)


@lru_cache(maxsize=65536)
def _word_features(tok: str) -> tuple[tuple[str, ...], tuple[tuple[str, ...], tuple[str, ...], str,
                                                              str]]:
    """(features of the word itself, those it gives its neighbours: (as the previous word, as
    the next word, as the word two before, as the word two after))."""
    low = tok.lower()
    ids = clusters().get(low)
    own: tuple[str, ...] = ("w=" + low, "s=" + _shape(tok), "x3=" + low[-3:])
    prev: tuple[str, ...] = ("-1w=" + low,)
    nxt: tuple[str, ...] = ("+1w=" + low,)
    if ids is not None:
        own += tuple(f"c{g}={ids[g]}" for g in CLUSTER_OWN)
        prev += tuple(f"-1c{g}={ids[g]}" for g in CLUSTER_NEAR)
        nxt += tuple(f"+1c{g}={ids[g]}" for g in CLUSTER_NEAR)
    return own, (prev, nxt, "-2w=" + low, "+2w=" + low)


def sentences(text: str, gaps: Sequence[str], starts: Sequence[int], ends: Sequence[int]) -> list[
    tuple[int, int]
]:
    """Token ranges [a, b) of the sentences: split at line breaks and at ". " before a capital."""
    out = []
    a = 0
    n = len(ends)
    for i in range(1, n):
        if "\n" in gaps[i]:
            out.append((a, i))
            a = i
        elif gaps[i] and text[ends[i - 1] - 1] in ".!?;" and text[starts[i]].isupper():
            out.append((a, i))
            a = i
    if a < n:
        out.append((a, n))
    return out


def features(
    text: str, starts: Sequence[int], ends: Sequence[int], a: int, b: int,
    lex: dict[int, tuple[tuple[str, ...], ...]],
) -> list[list[str]]:
    """CRF features of tokens a..b-1 (one sentence); `lex` maps a token index to its lexicon
    features (see `lexicon_features`)."""
    toks = [text[starts[i] : ends[i]] for i in range(a, b)]
    lows = [t.lower() for t in toks]
    n = len(toks)
    sent: list[str] = []
    if not VOICE.isdisjoint(lows) and YOU.isdisjoint(lows):
        sent.append("voice")
    if toks and (toks[0] in BULLETS or (toks[0].isdigit() and n > 1 and toks[1] in ".)")):
        sent.append("bullet")
    if n <= 4:
        sent.append("short")
    if toks and toks[-1] == ":":
        sent.append("headline")
    wfs = [_word_features(t) for t in toks]
    wf = [w[1] for w in wfs]
    lx = [lex.get(i) for i in range(a, b)]
    after_colon = False
    cue_at = -10
    out: list[list[str]] = []
    last = n - 1
    for k in range(n):
        f = [*wfs[k][0], *sent]
        if k:
            f += wf[k - 1][0]
            if k > 1:
                f.append(wf[k - 2][2])
            if lx[k - 1]:
                f += lx[k - 1][1]  # type: ignore[index]
        else:
            f.append("BOS")
        if k < last:
            f += wf[k + 1][1]
            if k + 1 < last:
                f.append(wf[k + 2][3])
            if lx[k + 1]:
                f += lx[k + 1][2]  # type: ignore[index]
        else:
            f.append("EOS")
        if k < 3:
            f.append(_POS[k])
        if after_colon:
            f.append("after_colon")
        if k - cue_at <= 4:
            f.append("cue")
        if lx[k]:
            f += lx[k][0]  # type: ignore[index]
        out.append(f)
        low = lows[k]
        if low in _CUES:
            cue_at = k
        elif low == ":":
            after_colon = True
    return out


_POS = ("pos=0", "pos=1", "pos=2")


def lexicon_features(
    raw: Sequence[Sequence[Any]], kept: Sequence[Sequence[Any]], category: Callable[[str], str],
) -> dict[int, tuple[tuple[str, ...], ...]]:
    """Per token index: the category, match mode and position of the taxonomy name covering it
    (`raw`: all lexicon candidates [start, end, id, mode, i, j]), and whether the context rules
    kept that name (`kept`); as (own features, as the previous token's, as the next token's)."""
    out: dict[int, tuple[tuple[str, ...], ...]] = {}
    kept_tokens = {c[4] for c in kept}
    for c in raw:
        cat = category(c[2])
        k = "k" if c[4] in kept_tokens else "r"
        for i in range(c[4], c[5] + 1):
            pos = "B" if i == c[4] else "I"
            out[i] = (
                ("t=" + cat, f"tm={c[3]}", "t" + pos, "t" + k, f"t{k}={cat}"),
                ("-1t=" + cat, "-1t" + k),
                ("+1t=" + cat, "+1t" + k),
            )
    return out


@cache
def _tagger() -> Any:
    import pycrfsuite  # lazy: keeps importing this module cheap

    t = pycrfsuite.Tagger()
    t.open(str(MODEL_FILE))
    return t


def inside_probabilities(
    text: str, starts: Sequence[int], ends: Sequence[int], gaps: Sequence[str],
    lex: dict[int, tuple[tuple[str, ...], ...]],
    sents: Sequence[tuple[int, int]] | None = None,
) -> tuple[list[float], list[str]]:
    """The best label path (B/I/O) for every token, and P(token inside a knowledge span) for
    the tokens a taxonomy name covers or the path puts in a span (0 for the others, which
    nothing reads). Only the sentences `sents` (default: all) are tagged; the tokens of the
    others stay "O" with P 0."""
    n = len(ends)
    probs = [0.0] * n
    labels = ["O"] * n
    tagger = _tagger()
    for a, b in sentences(text, gaps, starts, ends) if sents is None else sents:
        path = tagger.tag(features(text, starts, ends, a, b, lex))
        for k, lab in enumerate(path):
            if lab != "O" or a + k in lex:
                labels[a + k] = lab
                probs[a + k] = 1.0 - tagger.marginal("O", k)
    return probs, labels


def predicted_spans(labels: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges (i, j), inclusive, of the B/I runs in `labels`."""
    out = []
    i, n = 0, len(labels)
    while i < n:
        if labels[i] != "O":
            j = i + 1
            while j < n and labels[j] == "I":
                j += 1
            out.append((i, j - 1))
            i = j
        else:
            i += 1
    return out


#: Categories of names kept whatever the tagger says when matched unconditionally (mode 0/1).
#: Empty: keeping technologies ("Java" in "Java Developer") lost 0.03 precision for 0.007
#: recall on out-of-fold SkillSpan train (F1 0.711 vs 0.719).
SURE_CATEGORIES: frozenset[str] = frozenset()


def refine(
    found: Sequence[list[Any]], probs: Sequence[float], labels: Sequence[str],
    starts: Sequence[int], ends: Sequence[int], category: Callable[[str], str],
    name_at: Callable[[int, int], tuple[str, int] | None],
    protected: Callable[[list[Any]], bool] = lambda c: False,
    joined: Callable[[list[Any], list[Any]], bool] = lambda a, b: False,
    drop_below: float = DROP_BELOW, admit_from: float = ADMIT_FROM,
) -> list[list[Any]]:
    """`found` without the knowledge matches the tagger rejects, plus the predicted spans whose
    whole text is a taxonomy name or alias (`name_at(i, j)` gives (skill id, mode) for tokens
    i..j, or None). Sorted by start. A match for which `protected` is true is kept, and so is
    a match `joined` to a kept neighbour as items of one list (`joined(left, right)`): the
    tagger's confidence fades along long lists ("SAS, SQL, R, Python, Tableau, Excel").

    (Admitting a name the context rules set aside because a predicted span covers it was
    measured too: no gain on out-of-fold SkillSpan train once the spans are terms.)"""
    out = [
        c for c in found
        if max(probs[c[4] : c[5] + 1]) >= drop_below
        or (cat := category(c[2])) == "soft"  # the tagger judges knowledge, not soft skills
        or (c[3] <= 1 and cat in SURE_CATEGORIES)
        or protected(c)
    ]
    if len(out) < len(found):
        out = _with_list_neighbours(found, out, joined)
    taken = bytearray(len(probs))
    for c in out:
        taken[c[4] : c[5] + 1] = b"\x01" * (c[5] - c[4] + 1)
    added = False
    for i, j in predicted_spans(labels):
        if any(taken[i : j + 1]) or sum(probs[i : j + 1]) / (j - i + 1) < admit_from:
            continue
        hit = name_at(i, j)
        if hit is not None and category(hit[0]) != "soft":
            out.append([starts[i], ends[j], hit[0], hit[1], i, j])
            added = True
    if added:
        out.sort(key=lambda c: c[4])
    return out


def _with_list_neighbours(
    found: Sequence[list[Any]], out: list[list[Any]],
    joined: Callable[[list[Any], list[Any]], bool],
) -> list[list[Any]]:
    """`out` plus the matches of `found` (sorted by start) joined to a kept one, transitively."""
    keep = {id(c) for c in out}
    changed = True
    while changed:
        changed = False
        for k, c in enumerate(found):
            if id(c) in keep:
                continue
            if (k and id(found[k - 1]) in keep and joined(found[k - 1], c)) or (
                k + 1 < len(found) and id(found[k + 1]) in keep and joined(c, found[k + 1])
            ):
                keep.add(id(c))
                changed = True
    return [c for c in found if id(c) in keep]
