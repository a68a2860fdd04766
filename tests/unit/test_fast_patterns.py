"""Posting patterns compiled to skip impossible start positions
(``tools.parsing.text.word_start_pattern``) match exactly what their plain ``(?i:...)`` form
matches: a speed-up must never change a parse."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from tools import lexical
from tools.parsing import work_mode as wm
from tools.parsing.job import employment

PATTERNS = [
    (wm._NEGATED_REMOTE_RE, wm._NEGATED_REMOTE),
    (wm._HYBRID_RE, wm._HYBRID),
    (wm._ONSITE_NOISE_RE, wm._ONSITE_NOISE),
    (wm._ROLE_MODE_RE, wm._ROLE_MODE),
    (wm._FULLY_REMOTE_RE, wm._FULLY_REMOTE),
    (employment._TYPE_LABEL_RE, employment._TYPE_LABEL),
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
    "this role is", "The position will be", "your job can be", "it is a", "is an", "remote-first",
    "Remote First", "fully remote", "100 % remote", "entirely", "full-time", "permanent,",
    "contract", "role", "opportunity", "Job type:", "Employment Types :", "Work type:\tPermanent",
    "position type: ", "Contract type", ":", "|",
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


@pytest.mark.parametrize(("fast", "body"), PATTERNS, ids=[
    "negated_remote", "hybrid", "onsite_noise", "role_mode", "fully_remote", "job_type_label"])
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


def test_heading_line_pattern_reads_lines_as_the_backtracking_one() -> None:
    plain = re.compile(r"^[\W_]*(?:[a-z]+[\W_]*){1,4}$")
    rng = random.Random(3)
    alphabet = "ab -_:#/1é\n\t"
    lines = ["work history", "## skills", "skills & tools:", "a b c d", "a b c d e", "", "-",
             "abc1", "é", "key skills and roles", "x_y_z_w", "a\n"]
    lines += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14)))
              for _ in range(20000)]
    found = 0
    for line in lines:
        expected = plain.match(line)
        got = lexical._HEADING_LINE.match(line)
        assert bool(got) == bool(expected), line
        if got and expected:
            assert got.span() == expected.span()
            found += 1
    assert 1000 < found < len(lines) - 1000  # both outcomes are exercised



def test_label_fuzzy_ratios_are_the_per_label_ratios() -> None:
    """``LabelIndex.fuzzy_ratios`` (one ``cdist`` call) gives exactly the float64 ratios of
    ``fuzz.token_sort_ratio`` label by label."""
    import numpy as np
    from rapidfuzz import fuzz

    from tools.occupation_labels import LabelIndex

    labels = ["software developer", "java developer", "registered nurse", "nurse assistant",
              "chef de partie", "head chef", "pastry chef", "data engineer", "civil engineer",
              "python developer", "développeur logiciel", "a", ""]
    index = LabelIndex(labels)
    rows = list(range(len(labels)))
    for query in ["python developer", "nurse", "chef", "developer java", "engineer data",
                  "zzz", "", "développeur", "senior  software developer"]:
        expected = np.asarray([fuzz.token_sort_ratio(query, index.texts[i]) for i in rows],
                              dtype=np.float64) / 100.0
        got = index.fuzzy_ratios(query, rows)
        assert got.dtype == np.float64
        assert np.array_equal(got, expected), query
    assert index.fuzzy_ratios("nurse", [2, 3])[0] > 0


def test_offset_normalisation_skips_nfc_only_when_nothing_would_change(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """``normalise_with_offsets`` leaves out the per-run NFC step for a text that is already
    NFC: text and offsets are those of running the step."""
    import unicodedata

    from tools.parsing.text import normalise_with_offsets

    rng = random.Random(11)
    alphabet = ["e", "a", " ", "  ", "\n", "\t", "•", "é", "e\u0301", "\u0301", "\u212a", "K",
                "\u1100\u1161", "\uac00", "\u00a0", "–", "ﬁ", "…", "x", "\u200b", "- ", "\r\n"]
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 25)))
             for _ in range(3000)]
    texts += ["Café crème", "Cafe\u0301 cre\u0300me", "résumé • skills", "ok"]
    fast = [normalise_with_offsets(t) for t in texts]
    monkeypatch.setattr(unicodedata, "is_normalized", lambda form, text: False)
    slow = [normalise_with_offsets(t) for t in texts]
    skipped = 0
    for t, (a, amap), (b, bmap) in zip(texts, fast, slow, strict=True):
        assert a == b, t
        assert [amap.span(i, i + 1) for i in range(len(a))] == \
            [bmap.span(i, i + 1) for i in range(len(b))], t
        skipped += not t.isascii() and unicodedata.normalize("NFC", t) == t
    assert skipped > 300  # texts that take the shortcut are covered
