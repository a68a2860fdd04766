"""What a job posting asks a candidate to know: skill mentions and open-vocabulary terms.

The taxonomy matches of :func:`tools.skills.match_names` (the lexicon step of
``extract_skills``, role names kept, no fuzzy matching) first pass a sentence gate
(:mod:`tools.span_gate`): a sentence that reads as carrying no knowledge (benefits, company
blurb, application instructions) keeps only its soft skills and its list-item matches, and is
not tagged (which also saves time). The rest are checked and extended by the SkillSpan tagger
(:mod:`tools.span_tagger`):
- a match the tagger reads as not a knowledge span in its context is dropped, unless it sits in
  a list item (few SkillSpan sentences are list items; a posting's bullets name what the job
  asks for or does) or is listed next to a kept match ("Python, Tableau, Excel");
- a predicted span whose whole text is a taxonomy name becomes a mention;
- the other predicted spans ("predictive processing", "service topology") are *terms*. Terms
  have no skill id; the posting parser adds them to the posting's ATS keywords, which are
  compared with the CV's text.
Measured by ``tests/bench/skillspan_eval.py``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tools.schemas import SkillMention, Span
from tools.skill_uses import BULLET
from tools.skills import category_of, match_names, name_at, to_mentions
from tools.span_gate import sentence_gate
from tools.span_tagger import (
    inside_probabilities,
    lexicon_features,
    predicted_spans,
    refine,
    sentences,
)

#: A predicted span with no taxonomy name is a term when its mean P(inside) is at least this
#: (tuned on out-of-fold predictions of SkillSpan train, tools/data/build_span_tagger.py).
TERM_FROM = 0.5
#: A sentence the gate (tools/span_gate.py) gives P(carries a knowledge span) below this keeps
#: no knowledge match and no term (soft skills stay); chosen on out-of-fold SkillSpan train.
GATE_FROM = 0.2
#: Longest term kept, in tokens (longer predictions are clauses, not names).
TERM_MAX_TOKENS = 6


def in_list_item(text: str, start: int) -> bool:
    """Offset `start` is on a line that begins with a list-item marker ("- ", "• ", "2. ")."""
    return BULLET.match(text, text.rfind("\n", 0, start) + 1) is not None


# What may stand between two items of one list: a separator, then at most one word on the
# same line ("Tableau, Advanced Excel", "Snowflake, dbt and Fivetran", "SQL/NoSQL").
_LIST_GAP = re.compile(
    r"[ \t]*(?:[,;/|&]|\band\b|\bor\b)[ \t]*(?:(?:and|or)[ \t]+)?(?:[\w.+#-]+[ \t]+)?",
    re.I,
)


def list_joined(text: str, left_end: int, right_start: int) -> bool:
    """text[left_end:right_start] joins two items of one list."""
    if right_start - left_end > 24:
        return False
    return _LIST_GAP.fullmatch(text, left_end, right_start) is not None


@dataclass(frozen=True)
class Knowledge:
    mentions: tuple[SkillMention, ...]  # taxonomy skills, sorted by start
    terms: tuple[Span, ...]  # open-vocabulary knowledge terms, sorted by start


def extract_knowledge(text: str) -> Knowledge:
    """Skill mentions and open-vocabulary knowledge terms of a job posting's `text`."""
    kept, terms = _tag(text)
    return Knowledge(
        tuple(to_mentions(text, [list(c) for c in kept])),
        tuple(Span(text=text[a:b], start=a, end=b) for a, b in terms),
    )


@lru_cache(maxsize=16)  # the posting parser asks for the skills and, later, the terms
def _tag(text: str) -> tuple[tuple[tuple[Any, ...], ...], tuple[tuple[int, int], ...]]:
    lows, gaps, starts, ends, raw, found = match_names(text, role_names=True)
    if not lows:
        return (), ()
    lex = lexicon_features(raw, found, category_of)
    sents = sentences(text, gaps, starts, ends)
    gates = gate_sentences(lows, sents, lex, found)
    found = [
        c for c in found
        if gates[_sentence_of(sents, c[4])] or category_of(c[2]) == "soft"
        or in_list_item(text, c[0])
    ]
    probs, labels = inside_probabilities(
        text, starts, ends, gaps, lex, [s for s, g in zip(sents, gates, strict=True) if g]
    )
    kept = refine(
        found, probs, labels, starts, ends, category_of,
        lambda i, j: name_at(text[starts[i] : ends[j]]), lambda c: in_list_item(text, c[0]),
        lambda a, b: list_joined(text, a[1], b[0]),
    )
    terms = [(starts[i], ends[j]) for i, j in pick_terms(lows, probs, labels, kept)]
    return tuple(tuple(c) for c in kept), tuple(terms)


def gate_sentences(
    lows: list[str], sents: list[tuple[int, int]], lex: dict[int, Any], found: list[list[Any]],
    gate_from: float | None = None,
) -> list[bool]:
    """Per sentence: whether the gate lets its knowledge spans through (P >= `gate_from`,
    default GATE_FROM). A shut sentence is not tagged and keeps only its soft skills and the
    matches in a list item (kept whatever the tagger says, as in `refine`)."""
    limit = GATE_FROM if gate_from is None else gate_from
    if limit <= 0:
        return [True] * len(sents)
    firsts = {c[4] for c in found}
    return [sentence_gate(lows, a, b, lex, firsts) >= limit for a, b in sents]


def _sentence_of(sents: list[tuple[int, int]], i: int) -> int:
    """Index of the sentence (token ranges [a, b), in order, covering all tokens) of token i."""
    return bisect.bisect_right(sents, (i, float("inf"))) - 1


def pick_terms(
    lows: list[str], probs: list[float], labels: list[str], kept: list[list[Any]],
    term_from: float = TERM_FROM,
) -> list[tuple[int, int]]:
    """Token ranges (i, j), inclusive, of the predicted spans that are terms: trimmed of
    punctuation, at most TERM_MAX_TOKENS long, not all digits, clear of the `kept` matches, and
    with a mean P(inside) of at least `term_from`."""
    covered = bytearray(len(lows))
    for c in kept:
        covered[c[4] : c[5] + 1] = b"\x01" * (c[5] - c[4] + 1)
    out = []
    for i, j in predicted_spans(labels):
        while i <= j and not lows[i][0].isalnum():
            i += 1
        while j >= i and not lows[j][0].isalnum():
            j -= 1
        if (
            i > j or j - i >= TERM_MAX_TOKENS or any(covered[i : j + 1])
            or sum(probs[i : j + 1]) / (j - i + 1) < term_from
            or all(t.isdigit() for t in lows[i : j + 1])
        ):
            continue
        out.append((i, j))
    return out
