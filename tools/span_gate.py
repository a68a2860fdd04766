"""A sentence gate for knowledge spans: does this sentence ask for (or name) any knowledge?

A logistic regression over a sentence's words, their word classes (the static-embedder
clusters of :mod:`tools.span_tagger`), its form (bullet, short, headline, the employer's
voice) and its lexicon matches, trained on SkillSpan train (sentence = "has a gold knowledge
span") by ``tools/data/build_span_tagger.py``, shipped as feature weights in
``tools/data/span_gate.json``. Benefits, company blurbs, equal-opportunity text and application
instructions rarely carry a knowledge span; :mod:`tools.knowledge` drops the spans of a
sentence the gate scores below its threshold. Pure Python at run time (a dictionary sum).
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import cache, lru_cache
from pathlib import Path

from tools.span_tagger import BULLETS, VOICE, YOU, clusters

GATE_FILE = Path(__file__).resolve().parent / "data" / "span_gate.json"


def _form(
    words: Sequence[str], a: int, b: int, lexicon: Mapping[int, object], kept: set[int]
) -> list[str]:
    """The sentence's form features (all but its words)."""
    n = len(words)
    out = ["bias"]
    if not VOICE.isdisjoint(words) and YOU.isdisjoint(words):
        out.append("voice")
    if words and (words[0] in BULLETS or (words[0].isdigit() and n > 1 and words[1] in ".)")):
        out.append("bullet")
    out.append("n=" + ("1" if n <= 2 else "4" if n <= 4 else "8" if n <= 8 else "16" if n <= 16
                       else "32" if n <= 32 else "more"))
    if words and words[-1] == ":":
        out.append("headline")
    k = sum(1 for i in kept if a <= i < b)
    if k:
        out.append("kept=" + ("1" if k == 1 else "2" if k == 2 else "3+"))
    elif any(i in lexicon for i in range(a, b)):
        out.append("lexicon_only")
    return out


def _distinct_words(words: Sequence[str]) -> list[str]:
    return sorted({w for w in words if w[0].isalnum()})


def gate_features(
    lows: Sequence[str], a: int, b: int, lexicon: Mapping[int, object], kept: set[int]
) -> dict[str, float]:
    """Features of the sentence of tokens a..b-1 with their values (`lows`: lower-case tokens;
    `lexicon`: token indexes a taxonomy name covers; `kept`: first token indexes of the matches
    the context rules kept): its form, each distinct word, and per word class the number of its
    distinct words."""
    words = lows[a:b]
    out: dict[str, float] = dict.fromkeys(_form(words, a, b, lexicon, kept), 1.0)
    cl = clusters()
    for w in _distinct_words(words):
        out["w=" + w] = 1.0
        ids = cl.get(w)
        if ids is not None:
            out["c=" + ids[1]] = out.get("c=" + ids[1], 0.0) + 1.0
    return out


@cache
def _weights() -> dict[str, float]:
    if not GATE_FILE.exists():
        return {}
    return dict(json.loads(GATE_FILE.read_text("utf-8"))["weights"])


@lru_cache(maxsize=65536)
def _word_weight(w: str) -> float:
    weights = _weights()
    ids = clusters().get(w)
    return weights.get("w=" + w, 0.0) + (weights.get("c=" + ids[1], 0.0) if ids else 0.0)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def gate_probability(feats: dict[str, float], weights: dict[str, float]) -> float:
    """P(the sentence carries a knowledge span) for its `feats` under `weights`."""
    return _sigmoid(sum(weights.get(f, 0.0) * v for f, v in feats.items()))


def sentence_gate(
    lows: Sequence[str], a: int, b: int, lexicon: Mapping[int, object], kept: set[int]
) -> float:
    """`gate_probability(gate_features(...))` with the shipped weights, from cached per-word
    sums (1.0 when no gate ships)."""
    weights = _weights()
    if not weights:
        return 1.0
    words = lows[a:b]
    z = sum(weights.get(f, 0.0) for f in _form(words, a, b, lexicon, kept))
    return _sigmoid(z + sum(_word_weight(w) for w in _distinct_words(words)))
