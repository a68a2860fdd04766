"""The work-mode patterns compiled to skip impossible start positions match exactly what their
plain ``(?i:...)`` form matches (a speed-up must never change a parse)."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from tools.parsing import work_mode as wm

PATTERNS = [
    (wm._NEGATED_REMOTE_RE, wm._NEGATED_REMOTE),
    (wm._HYBRID_RE, wm._HYBRID),
    (wm._ONSITE_NOISE_RE, wm._ONSITE_NOISE),
]

#: Pieces that make the alternatives match, half-match and touch other words.
PIECES = [
    "remote", "Remote", "REMOTE", "remotely", "hybrid", "Hybrid", "on-site", "onsite", "on site",
    "On-Site", "in person", "in-person", "In Person", "office", "in the office", "from home",
    "not", "no", "non", "isn't", "is not", "aren't", "can't", "cannot", "without", "fully",
    "100%", "2", "٣", "two", "three", "days", "day", "a", "per", "each", "week", "twice",
    "once", "partly", "part-time", "flexible", "mix of", "and", "or", "&", "/", "+", ",",
    "gym", "interviews", "events", "phone", "telephone", "over the", "via", "audiences",
    "online", "virtually", "live", "work", "is", "possible", "unavailable", "an option",
    "not remote", "2 days in the office", "on-site gym", "in person or by phone",
    "remote and office", "3 days a week from home", "onsite once per week", "in-person events",
    "é", "x", "_", "İ", "ſ", "K", "1", "-", ".", "\n", "\t", "café", "parking", "travel",
]


def _samples() -> list[str]:
    rng = random.Random(7)
    out = []
    for _ in range(4000):
        n = rng.randint(1, 9)
        seps = [" "] * 12 + ["", "  ", "-", "\n", "_", "x", "/"]
        out.append("".join(rng.choice(PIECES) + rng.choice(seps) for _ in range(n)))
    root = Path(__file__).resolve().parents[1] / "fixtures"
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in {".txt", ".md", ".jsonl", ".json"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            out.append(text)
            if path.suffix == ".jsonl":
                for line in text.splitlines()[:200]:
                    try:
                        row = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(row, dict) and isinstance(row.get("text"), str):
                        out.append(row["text"])
    return out


@pytest.mark.parametrize(("fast", "body"), PATTERNS)
def test_fast_pattern_matches_exactly_as_the_plain_one(fast: re.Pattern[str],
                                                       body: str) -> None:
    plain = re.compile(f"(?i:{body})")
    texts = _samples()
    assert len(texts) > 4000
    hits = 0
    for text in texts:
        got = [(m.span(), m.group(0)) for m in fast.finditer(text)]
        assert got == [(m.span(), m.group(0)) for m in plain.finditer(text)], text
        assert fast.sub(" ", text) == plain.sub(" ", text)
        hits += bool(got)
    assert hits > 50  # the samples do exercise the patterns


def test_fast_pattern_keeps_word_boundaries() -> None:
    assert wm._ONSITE_NOISE_RE.search("xon-site gym") is None
    assert wm._ONSITE_NOISE_RE.search("éon-site gym") is None
    assert wm._ONSITE_NOISE_RE.search("an on-site gym").group(0) == "on-site gym"
    assert wm._HYBRID_RE.search("2 days in office").group(0) == "2 days in office"
    assert wm._HYBRID_RE.search("x2 days in office") is None
    assert wm._NEGATED_REMOTE_RE.search("It is not remote").group(0) == "is not remote"
