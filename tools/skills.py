"""Skill taxonomy and skill extraction.

The taxonomy (``tools/data/taxonomy.json``) is built by ``tools/data/build_taxonomy.py`` from
O*NET technology skills, ESCO labels and ``tools/data/curated_skills.txt``. Extraction tokenises
the text once, looks token n-grams up in a dict of alias keys (longest match wins), checks case
and context rules for ambiguous names ("Go", "R", "C"), then fuzzy-matches leftover long tokens
("Kubernets") with rapidfuzz.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from tools.schemas import SkillCategory, SkillMention

DATA_FILE = Path(__file__).resolve().parent / "data" / "taxonomy.json"
FUZZY_CUTOFF = 85.0
FUZZY_MIN_LEN = 6


@dataclass(frozen=True)
class SkillEntry:
    id: str  # stable slug, e.g. "kubernetes"
    name: str  # canonical display name, e.g. "Kubernetes"
    category: SkillCategory
    parent: str | None = None  # parent skill id, e.g. django -> python
    aliases: tuple[str, ...] = field(default_factory=tuple)
    hot: bool = False  # O*NET hot technology


# --------------------------------------------------------------------------- tokens and keys

# Words (with a trailing "+"/"#": C++, C#) and single punctuation marks; "-" separates words.
_TOKEN = re.compile(r"\w+[+#]*|[^\w\s-]")
_GAP_OK = re.compile(r"[ \t\-\u00a0]*")
_JOINERS = frozenset("/")


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _gap(text: str, end: int, start: int, left: str, right: str) -> str | None:
    """How two neighbouring tokens join in a key: "" (attached), " ", or None (no join)."""
    if end == start:
        return ""
    if not _GAP_OK.fullmatch(text, end, start):
        return None  # a line break or other text between them
    return "" if left in _JOINERS or right in _JOINERS else " "


def _key(text: str) -> str:
    """Matching key of an alias or name (case preserved): tokens joined as in running text."""
    toks = _tokens(text)
    out = []
    for i, (s, _e, t) in enumerate(toks):
        if i:
            g = _gap(text, toks[i - 1][1], s, toks[i - 1][2], t)
            out.append(" " if g is None else g)
        out.append(t)
    return "".join(out)


def _compact(text: str) -> str:
    return re.sub(r"[^\w+#]", "", text.lower())


# --------------------------------------------------------------------------- taxonomy


class Taxonomy:
    """Canonical skills, their aliases and the parent tree."""

    def __init__(self, entries: list[SkillEntry], raw_aliases: dict[str, list[str]]) -> None:
        self._by_id = {e.id: e for e in entries}
        self._by_key: dict[str, str] = {}
        self._by_compact: dict[str, str] = {}
        for e in entries:
            for a in (e.name, *raw_aliases.get(e.id, ())):
                plain = a.lstrip("=?~")
                self._by_key.setdefault(_key(plain).lower(), e.id)
                self._by_compact.setdefault(_compact(plain), e.id)
        self.raw_aliases = raw_aliases

    def __len__(self) -> int:
        return len(self._by_id)

    def __iter__(self) -> Iterator[SkillEntry]:
        return iter(self._by_id.values())

    def get(self, skill_id: str) -> SkillEntry | None:
        """Entry by id."""
        return self._by_id.get(skill_id)

    def lookup(self, name: str) -> SkillEntry | None:
        """Entry for a name or alias, case/punctuation-insensitive ("k8s" -> Kubernetes)."""
        sid = self._by_key.get(_key(name.strip()).lower())
        if sid is None:
            sid = self._by_compact.get(_compact(name))
        return self._by_id.get(sid) if sid else None

    def ancestors(self, skill_id: str) -> list[str]:
        """Parent ids from nearest to root."""
        out: list[str] = []
        e = self._by_id.get(skill_id)
        while e is not None and e.parent and e.parent not in out and e.parent != skill_id:
            out.append(e.parent)
            e = self._by_id.get(e.parent)
        return out

    def relation_credit(self, have: str, want: str) -> float:
        """Credit (0..1) that having skill id `have` gives for a requirement `want`.

        1.0 same skill; partial when related through the parent tree (e.g. have=django,
        want=python → 0.5; have=python, want=django → 0.25; siblings → 0.2); 0 otherwise.
        """
        if have == want:
            return 1.0
        if have not in self._by_id or want not in self._by_id:
            return 0.0
        if want in self.ancestors(have):
            return 0.5
        if have in self.ancestors(want):
            return 0.25
        p_have, p_want = self._by_id[have].parent, self._by_id[want].parent
        if p_have is not None and p_have == p_want:
            return 0.2
        return 0.0


@cache
def _raw() -> dict[str, Any]:
    with open(DATA_FILE, encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@cache
def load_taxonomy() -> Taxonomy:
    """The bundled taxonomy (cached; built from tools/data)."""
    entries: list[SkillEntry] = []
    raw_aliases: dict[str, list[str]] = {}
    for sid, name, cat, parent, hot, aliases in _raw()["skills"]:
        plain = tuple(dict.fromkeys(a.lstrip("=?~") for a in aliases if a.lstrip("=?~") != name))
        entries.append(SkillEntry(sid, name, cat, parent, plain, bool(hot)))
        raw_aliases[sid] = list(aliases)
    return Taxonomy(entries, raw_aliases)


# --------------------------------------------------------------------------- matcher

_PLAIN, _CASE, _CTX, _WEAK = 0, 1, 2, 3


@dataclass
class _Matcher:
    rules: dict[str, list[tuple[str, int, str | None]]]  # lower key -> (id, mode, cased key)
    prefixes: set[str]
    max_tokens: int
    fuzzy_choices: dict[str, list[str]]  # first letter -> lower keys
    fuzzy_ids: dict[str, str]
    vocab: frozenset[str]


@cache
def _matcher() -> _Matcher:
    tax = load_taxonomy()
    rules: dict[str, list[tuple[str, int, str | None]]] = {}
    fuzzy_ids: dict[str, str] = {}
    max_tokens = 1
    for e in tax:
        raw = tax.raw_aliases.get(e.id, [])
        flagged = {a.lstrip("=?~").lower() for a in raw if a[0] in "=?~"}
        forms = list(raw) if e.name.lower() in flagged else [e.name, *raw]
        for a in forms:
            flags, plain = a[: len(a) - len(a.lstrip("=?~"))], a.lstrip("=?~")
            cased = _key(plain)
            if not cased:
                continue
            mode = _WEAK if "~" in flags else _CTX if "?" in flags else (
                _CASE if "=" in flags else _PLAIN
            )
            cs = cased if ("=" in flags or "~" in flags) else None
            low = cased.lower()
            rules.setdefault(low, []).append((e.id, mode, cs))
            max_tokens = max(max_tokens, len(_tokens(plain)))
            if mode in (_PLAIN, _CASE) and re.fullmatch(r"[a-z][a-z0-9]{4,}", low):
                fuzzy_ids.setdefault(low, e.id)
    prefixes: set[str] = set()
    for low in rules:
        toks = _tokens(low)
        for i in range(1, len(toks)):
            prefixes.add(_key_from(low, toks[:i]))
    vocab = frozenset(_raw().get("vocab", ()))
    choices: dict[str, list[str]] = {}
    for k in fuzzy_ids:
        choices.setdefault(k[0], []).append(k)
    return _Matcher(rules, prefixes, max_tokens, choices, fuzzy_ids, vocab)


def _key_from(text: str, toks: list[tuple[int, int, str]]) -> str:
    return text[toks[0][0] : toks[-1][1]]


# Context that makes an ambiguous name ("R", "C", "Go") a skill.
_SEP = re.compile(r"\s*(?:[,/;|&+]|\(|\)|\band\b|\bor\b)?\s*(?:[,/;|&+(]\s*)?", re.I)
_BEFORE = re.compile(
    r"(?:\b(?:in|with|using|of|like|including|languages?|programming|knowledge|experience|"
    r"proficien\w*|skills?|e\.g\.|such as)[\s:]*)$",
    re.I,
)
_AFTER = re.compile(
    r"^\s*(?:programming|language|lang\b|developers?|development|code|coding|scripts?|"
    r"programmers?|engineers?|librar\w+|packages?|stack|ecosystem|modules?)\b",
    re.I,
)
_LIST_LINE = re.compile(
    r"\b(?:skills?|languages?|technolog\w*|stack|tools?|frameworks?|proficienc\w*|"
    r"competenc\w*|expertise|tags?)\b[^:\n]{0,25}:",
    re.I,
)
_SENT_START = re.compile(r"(?:^|[.!?:\n])[\s\"'(*•·\-]*$")
_BAD_NEXT = frozenset("&'’-")


def _candidates(text: str, toks: list[tuple[int, int, str]], m: _Matcher) -> list[list]:
    """Greedy longest exact matches: [start, end, id, mode, tok_i, tok_j]."""
    out: list[list[Any]] = []
    n = len(toks)
    i = 0
    while i < n:
        best = None
        parts: list[str] = []
        j = i
        while j < n and j - i < m.max_tokens:
            if j > i:
                g = _gap(text, toks[j - 1][1], toks[j][0], toks[j - 1][2], toks[j][2])
                if g is None:
                    break
                parts.append(g)
            parts.append(toks[j][2])
            cased = "".join(parts)
            low = cased.lower()
            rl = m.rules.get(low)
            if rl:
                hit = _pick(rl, cased)
                if hit:
                    best = (j, hit)
            if low not in m.prefixes:
                break
            j += 1
        if best is None:
            i += 1
            continue
        j, (sid, mode) = best
        out.append([toks[i][0], toks[j][1], sid, mode, i, j])
        i = j + 1
    return out


def _pick(rl: list[tuple[str, int, str | None]], cased: str) -> tuple[str, int] | None:
    cond = None
    for sid, mode, cs in rl:
        if cs is not None and cs != cased:
            continue
        if mode in (_PLAIN, _CASE):
            return sid, mode
        if cond is None:
            cond = (sid, mode)
    return cond


def _attached_badly(text: str, start: int, end: int) -> bool:
    """Part of a compound such as "R&D", "go-to", "C-suite", "Go's"."""
    nxt = text[end : end + 1]
    prv = text[start - 1 : start] if start else ""
    if nxt in _BAD_NEXT or prv in _BAD_NEXT or prv == ".":
        return True
    return nxt == "." and text[end + 1 : end + 2].isalnum()


def _in_context(text: str, cands: list[list], k: int) -> bool:
    start, end = cands[k][0], cands[k][1]
    for nb in (k - 1, k + 1):
        if 0 <= nb < len(cands) and cands[nb][3] in (_PLAIN, _CASE, -1):
            a, b = (cands[nb][1], start) if nb < k else (end, cands[nb][0])
            if b - a <= 8 and _SEP.fullmatch(text, a, b) and "\n" not in text[a:b]:
                return True
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40) : start]
    if _BEFORE.search(before) or _AFTER.match(text, end, min(len(text), end + 30)):
        return True
    return bool(_LIST_LINE.search(text, line_start, start))


def _resolve(text: str, cands: list[list]) -> list[list]:
    """Keep unconditional matches; keep ambiguous ones only in a skill context."""
    keep: list[list] = []
    for k, c in enumerate(cands):
        start, end, _sid, mode = c[0], c[1], c[2], c[3]
        if mode in (_PLAIN, _CASE):
            if end - start <= 2 and _attached_badly(text, start, end):
                continue
            keep.append(c)
            continue
        if _attached_badly(text, start, end):
            continue
        if mode == _WEAK and not _SENT_START.search(text, max(0, start - 20), start):
            keep.append(c)
        elif _in_context(text, cands, k):
            keep.append(c)
    return keep


@lru_cache(maxsize=65536)
def _fuzzy_one(word: str) -> str | None:
    from rapidfuzz import fuzz, process  # lazy: keeps importing this module cheap

    m = _matcher()
    choices = m.fuzzy_choices.get(word[0])
    if not choices:
        return None
    cutoff = FUZZY_CUTOFF if len(word) >= 9 else max(FUZZY_CUTOFF, 90.0)  # short: 1 edit max
    hit = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    if hit is None or abs(len(hit[0]) - len(word)) > 2:
        return None
    return m.fuzzy_ids[hit[0]]


def _is_wordy(low: str, vocab: frozenset[str]) -> bool:
    """True for common English words and their inflections."""
    if low in vocab:
        return True
    for suf in ("s", "es", "ed", "ing", "er", "ers", "ly", "ion", "ions"):
        if low.endswith(suf) and (low[: -len(suf)] in vocab or low[: -len(suf)] + "e" in vocab):
            return True
    return False


def _fuzzy(text: str, toks: list[tuple[int, int, str]], taken: list[list], m: _Matcher) -> list:
    covered: set[int] = set()
    for c in taken:
        covered.update(range(c[4], c[5] + 1))
    out = []
    for i, (s, e, t) in enumerate(toks):
        if i in covered or len(t) < FUZZY_MIN_LEN or not t.isalpha():
            continue
        low = t.lower()
        if low in m.rules or _is_wordy(low, m.vocab) or (t.isupper() and len(t) < 8):
            continue
        sid = _fuzzy_one(low)
        if sid is not None:
            out.append([s, e, sid, _PLAIN, i, i, True])
    return out


def extract_skills(text: str, *, fuzzy: bool = True) -> list[SkillMention]:
    """All skill mentions in `text`, sorted by start offset, non-overlapping (longest wins)."""
    if not text:
        return []
    m = _matcher()
    tax = load_taxonomy()
    toks = _tokens(text)
    found = _resolve(text, _candidates(text, toks, m))
    if fuzzy:
        found = sorted(found + _fuzzy(text, toks, found, m), key=lambda c: c[0])
    out: list[SkillMention] = []
    for c in found:
        entry = tax.get(c[2])
        if entry is None:
            continue
        out.append(
            SkillMention(
                name=entry.name, skill_id=entry.id, surface=text[c[0] : c[1]], start=c[0],
                end=c[1], fuzzy=len(c) > 6,
            )
        )
    return out
