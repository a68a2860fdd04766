"""Skill taxonomy and skill extraction.

The taxonomy (``tools/data/taxonomy.json``) is built by ``tools/data/build_taxonomy.py`` from
O*NET technology skills, ESCO labels and ``tools/data/curated_skills.txt``. Extraction tokenises
the text once, looks token n-grams up in a dict of alias keys (longest match wins), checks case
and context rules for ambiguous names ("Go", "R", "C"), then fuzzy-matches leftover long tokens
("Kubernets") with rapidfuzz. Names used otherwise than as a skill (a team, an employer, an
area in the employer's voice) are dropped by the rules in :mod:`tools.skill_uses`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate, compress
from operator import add, itemgetter, or_
from pathlib import Path
from typing import Any

from tools.schemas import SkillCategory, SkillMention
from tools.skill_uses import (
    BULLET,
    CONTEXT_CATEGORIES,
    SKILL_WORD_AFTER,
    drop_non_skill_uses,
)
from tools.skill_words import is_wordy

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
    prefixes: frozenset[str]  # lower keys of proper token prefixes of rule keys
    first: frozenset[str]  # lower first tokens of rule keys: a match can only start there
    single: frozenset[str]  # lower one-token rule keys
    pairs: frozenset[str]  # first two lower tokens of longer keys, concatenated
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
    vocab = frozenset(_raw().get("vocab", ()))
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
            if (
                mode in (_PLAIN, _CASE)
                and re.fullmatch(r"[a-z][a-z0-9]{4,}", low)
                and not is_wordy(low, frozenset())  # "coaching": no fuzzy target
            ):
                fuzzy_ids.setdefault(low, e.id)
    prefixes: set[str] = set()
    first: set[str] = set()
    single: set[str] = set()
    pairs: set[str] = set()
    for low in rules:
        toks = _tokens(low)
        first.add(toks[0][2])
        if len(toks) == 1:
            single.add(low)
        else:
            pairs.add(toks[0][2] + toks[1][2])
        for i in range(1, len(toks)):
            prefixes.add(_key_from(low, toks[:i]))
    choices: dict[str, list[str]] = {}
    for k in fuzzy_ids:
        choices.setdefault(k[0], []).append(k)
    return _Matcher(
        rules, frozenset(prefixes), frozenset(first), frozenset(single), frozenset(pairs),
        max_tokens, choices,
        fuzzy_ids, vocab,
    )


def _key_from(text: str, toks: list[tuple[int, int, str]]) -> str:
    return text[toks[0][0] : toks[-1][1]]


# Context that makes an ambiguous name ("R", "C", "Go") a skill.
_SEP = re.compile(r"\s*(?:[,/;|&+]|\(|\)|\band\b|\bor\b)?\s*(?:[,/;|&+(]\s*)?", re.I)
# A real list separator (not bare space): "Rust or Go", "Snowflake, dbt".
_LIST_SEP = re.compile(r"[ \t]*(?:[,/;|&+]|\band\b|\bor\b)[ \t]*(?:[,/;|&+(][ \t]*)?", re.I)
_BEFORE = re.compile(
    r"(?:\b(?:in|with|using|of|like|including|languages?|programming|knowledge|experience|"
    r"proficien\w*|skills?|e\.g\.|such as)[\s:]*)$",
    re.I,
)
_LIST_LINE = re.compile(
    r"\b(?:skills?|languages?|technolog\w*|stack|tools?|frameworks?|proficienc\w*|"
    r"competenc\w*|expertise|tags?)\b[^:\n]{0,25}:",
    re.I,
)
_SENT_START = re.compile(r"(?:^|[.!?:\n])[\s\"'(*•·\-]*$")
_BAD_NEXT = frozenset("&'’-")
# Headings that open a requirements-like list ("Requirements:", "Nice to have", "Tech stack").
_REQ_HEAD = re.compile(
    r"[ \t#*_>]*(?:requirements?|qualifications?|must[- ]haves?|nice[- ]to[- ]haves?|skills?|"
    r"what you(?:'ll| will)? bring|you have|who you are|about you|essential|desirable|"
    r"preferred|bonus|tech(?:nical)?(?: stack| skills)?|technolog\w*|tools?|stack|"
    r"competenc\w*|expertise)\b[^.\n]{0,40}$",
    re.I,
)
# What may follow a name that starts a list item for the name to be a skill: end of item, a
# separator, or a skill word ("- Airflow experience", "• Rust (3+ years)"), not prose
# ("- Go to the office", "• Swift onboarding for new hires").
_ITEM_NEXT = re.compile(
    r"[ \t]*(?:$|[,;/|(:+&]|[-–—][ \t]|(?:experience|exposure|knowledge|skills?|proficiency|"
    r"proficient|expertise|background|familiarity|programming|development|developer|"
    r"ecosystem|stack|or equivalent|\(?\d+\+?[ \t]*(?:years?|yrs))\b)",
    re.I | re.M,
)


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


def _join(text: str, gaps: list[str], starts: list[int], ends: list[int], i: int, j: int) -> str:
    """Cased key of tokens i..j, from the original text (joins checked by the caller)."""
    out = [text[starts[i] : ends[i]]]
    for k in range(i + 1, j + 1):
        tok = text[starts[k] : ends[k]]
        if gaps[k] and out[-1] != "/" and tok != "/":
            out.append(" ")
        out.append(tok)
    return "".join(out)


def _starts(lows: list[str], m: _Matcher) -> Iterator[int]:
    """Token indices where a key may start, found at C speed (map/compress/itemgetter).

    A token must be a first token of some key; then it must be a whole key, or it and the next
    token must begin a longer key (tested without the gap: a cheap superset check).
    """
    idx = list(compress(range(len(lows)), map(m.first.__contains__, lows)))
    if len(idx) < 2:
        return iter(idx)
    padded = [*lows, ""]
    firsts = itemgetter(*idx)(padded)
    nexts = itemgetter(*map((1).__add__, idx))(padded)
    ok = map(or_, map(m.single.__contains__, firsts), map(m.pairs.__contains__,
                                                          map(add, firsts, nexts)))
    return compress(idx, ok)


def _candidates(
    text: str, lows: list[str], gaps: list[str], starts: list[int], ends: list[int], m: _Matcher
) -> list[list[Any]]:
    """Greedy longest exact matches: [start, end, id, mode, tok_i, tok_j]."""
    out: list[list[Any]] = []
    n = len(lows)
    rules, prefixes, max_tokens = m.rules, m.prefixes, m.max_tokens
    nxt = 0
    for i in _starts(lows, m):
        if i < nxt:
            continue
        key = lows[i]
        best = None
        j = i
        while True:
            rl = rules.get(key)
            if rl:
                hit = _pick(rl, _join(text, gaps, starts, ends, i, j))
                if hit:
                    best = (j, hit)
            if key not in prefixes:
                break
            j += 1
            if j >= n or j - i >= max_tokens:
                break
            g = gaps[j]
            if g:
                if g.strip(" \t-\u00a0"):
                    break  # a line break or other text between them
                g = "" if lows[j - 1] == "/" or lows[j] == "/" else " "
            key = key + g + lows[j]
        if best is not None:
            j, (sid, mode) = best
            out.append([starts[i], ends[j], sid, mode, i, j])
            nxt = j + 1
    return out


def _attached_badly(text: str, start: int, end: int) -> bool:
    """Part of a compound such as "R&D", "go-to", "C-suite", "Go's"."""
    nxt = text[end : end + 1]
    prv = text[start - 1 : start] if start else ""
    if nxt in _BAD_NEXT or prv in _BAD_NEXT or prv == ".":
        return True
    return nxt == "." and text[end + 1 : end + 2].isalnum()


def _in_req_list(text: str, line_start: int) -> bool:
    """The line starting at `line_start` belongs to a list under a requirements-like heading."""
    pos = line_start
    for _ in range(15):
        if pos == 0:
            return False
        prev = text.rfind("\n", 0, pos - 1) + 1
        line = text[prev : pos - 1]
        if not line.strip() or len(line) > 120:
            return False
        if _REQ_HEAD.match(line.rstrip(" \t:*_")) or _REQ_HEAD.match(line.rstrip(" \t")):
            return True
        pos = prev
    return False


def _item_start(text: str, start: int) -> bool:
    """The name begins a bullet/list item, or a line of a requirements list."""
    line_start = text.rfind("\n", 0, start) + 1
    if line_start == start:
        return _in_req_list(text, line_start)
    if BULLET.fullmatch(text, line_start, start):
        return True
    return not text[line_start:start].strip() and _in_req_list(text, line_start)


def _joined(text: str, a: list[Any], b: list[Any], sep: re.Pattern[str]) -> bool:
    """Candidates a (left) and b (right) are separated only by a list separator on one line."""
    lo, hi = a[1], b[0]
    return hi - lo <= 8 and "\n" not in text[lo:hi] and bool(sep.fullmatch(text, lo, hi))


def _in_context(text: str, cands: list[list[Any]], k: int, kept: set[int]) -> bool:
    start, end = cands[k][0], cands[k][1]
    if k > 0 and (cands[k - 1][3] in (_PLAIN, _CASE) or k - 1 in kept):
        if _joined(text, cands[k - 1], cands[k], _SEP):
            return True
    if k + 1 < len(cands) and cands[k + 1][3] in (_PLAIN, _CASE):
        if _joined(text, cands[k], cands[k + 1], _SEP):
            return True
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 40) : start]
    if _BEFORE.search(before) or SKILL_WORD_AFTER.match(text, end, min(len(text), end + 30)):
        return True
    if _LIST_LINE.search(text, line_start, start):
        return True
    if _item_start(text, start):
        # "- Airflow experience", "• Rust or Go", "- Snowflake and dbt"
        if _ITEM_NEXT.match(text, end):
            return True
        return k + 1 < len(cands) and _joined(text, cands[k], cands[k + 1], _LIST_SEP)
    return False


def _resolve(text: str, cands: list[list[Any]]) -> list[list[Any]]:
    """Keep unconditional matches; keep ambiguous ones only in a skill context."""
    keep: list[list[Any]] = []
    kept: set[int] = set()
    for k, c in enumerate(cands):
        start, end, mode = c[0], c[1], c[3]
        if mode in (_PLAIN, _CASE):
            if end - start <= 2 and _attached_badly(text, start, end):
                continue
        elif _attached_badly(text, start, end):
            continue
        elif not (
            (mode == _WEAK and not _SENT_START.search(text, max(0, start - 20), start))
            or _in_context(text, cands, k, kept)
        ):
            continue
        keep.append(c)
        kept.add(k)
    return keep


@cache
def _area_ids() -> frozenset[str]:
    """Ids of skills in CONTEXT_CATEGORIES."""
    return frozenset(e.id for e in load_taxonomy() if e.category in CONTEXT_CATEGORIES)


@lru_cache(maxsize=65536)
def _fuzzy_one(word: str) -> str | None:
    from rapidfuzz import fuzz, process  # lazy: keeps importing this module cheap

    m = _matcher()
    choices = m.fuzzy_choices.get(word[0])  # same first letter only
    if not choices:
        return None
    cutoff = FUZZY_CUTOFF if len(word) >= 10 else max(FUZZY_CUTOFF, 90.0)  # short: 1 edit max
    n = len(word)
    near = [c for c in choices if abs(len(c) - n) <= 2]  # cheap prefilter before rapidfuzz
    if not near:
        return None
    hit = process.extractOne(word, near, scorer=fuzz.ratio, score_cutoff=cutoff)
    return None if hit is None else m.fuzzy_ids[hit[0]]


def _fuzzy_word(low: str, m: _Matcher) -> str | None:
    """Skill id a leftover lower-case token is a near miss of ("kubernets"), or None."""
    if len(low) < FUZZY_MIN_LEN or not low.isalpha() or low in m.rules or is_wordy(low, m.vocab):
        return None
    return _fuzzy_one(low)


_FUZZY_SEEN: dict[str, str | None] = {}  # token -> _fuzzy_word(token): most tokens repeat


def _fuzzy(
    text: str, lows: list[str], starts: list[int], ends: list[int], taken: list[list[Any]],
    m: _Matcher,
) -> list[list[Any]]:
    seen = _FUZZY_SEEN
    if len(seen) > 200_000:
        seen.clear()
    for t in set(lows).difference(seen):
        seen[t] = _fuzzy_word(t, m)
    hits = list(compress(range(len(lows)), map(seen.__getitem__, lows)))
    if not hits:
        return []
    covered: set[int] = set()
    for c in taken:
        covered.update(range(c[4], c[5] + 1))
    out = []
    for i in hits:
        tok = text[starts[i] : ends[i]]
        if i in covered or not tok.isalpha() or (tok.isupper() and len(tok) < 8):
            continue  # short all-caps words are acronyms, not typos
        out.append([starts[i], ends[i], seen[lows[i]], _PLAIN, i, i, True])
    return out


# Words (with a trailing "+"/"#") and single punctuation marks, captured, so that re.split
# yields [gap, token, gap, token, ..., gap]; the gaps hold only white space and "-".
_SPLIT = re.compile(r"(\w+[+#]*|[^\w\s-])")
# The same for ASCII text, where it is faster ("\x1c"-"\x1f" are white space for str patterns).
_SPLIT_ASCII = re.compile(r"(\w+[+#]*|[^\w\s\x1c-\x1f-])", re.ASCII)


def _split_lower(text: str) -> tuple[list[str], list[str], list[int], list[int]]:
    """Lower-case tokens, the gaps before them, and token start/end offsets into `text`."""
    low = text.lower()
    if len(low) == len(text):
        # Lower-casing that keeps the length maps each character to one of the same class
        # (a letter to a letter), so offsets and token boundaries hold: split the lowered text.
        parts = (_SPLIT_ASCII if low.isascii() else _SPLIT).split(low)
        lows = parts[1::2]
    else:  # "İ" lowers to two characters
        parts = _SPLIT.split(text)
        lows = "\n".join(parts[1::2]).lower().split("\n")  # "\n" is never inside a token
    acc = list(accumulate(map(len, parts)))
    return lows, parts[0::2], acc[0::2], acc[1::2]


def match_names(text: str, *, role_names: bool = False) -> tuple[
    list[str], list[str], list[int], list[int], list[list[Any]], list[list[Any]]
]:
    """The lexicon step of `extract_skills`: lower tokens, the gaps before them, their offsets,
    every taxonomy name found [start, end, id, mode, first token, last token], and those the
    context and use rules keep."""
    lows, gaps, starts, ends = _split_lower(text)
    if not lows:
        return lows, gaps, starts, ends, [], []
    raw = _candidates(text, lows, gaps, starts, ends, _matcher())
    found = drop_non_skill_uses(
        text, _resolve(text, raw), areas=_area_ids(), role_names=role_names
    )
    return lows, gaps, starts, ends, raw, found


def category_of(skill_id: str) -> str:
    """Category of a skill id ("" when unknown)."""
    e = load_taxonomy().get(skill_id)
    return e.category if e is not None else ""


def name_at(surface: str) -> tuple[str, int] | None:
    """(skill id, context mode) of a text that is a whole taxonomy name or alias, else None."""
    e = load_taxonomy().lookup(surface)
    return (e.id, _CTX) if e is not None else None


def extract_skills(
    text: str, *, fuzzy: bool = True, role_names: bool = False
) -> list[SkillMention]:
    """All skill mentions in `text`, sorted by start offset, non-overlapping (longest wins).

    A broad area named in a role or a description ("Frontend Developer", "QA engineers", "a
    Fintech startup", "cloud-based") is not a skill mention unless `role_names` is true (a CV
    parser may keep "Senior Frontend Developer" as evidence of frontend work). Job postings
    use :func:`tools.knowledge.extract_knowledge`, which checks these matches with a tagger.
    """
    if not text:
        return []
    lows, gaps, starts, ends, raw, found = match_names(text, role_names=role_names)
    if not lows:
        return []
    m = _matcher()
    if fuzzy:
        extra = _fuzzy(text, lows, starts, ends, found, m)
        if extra:
            found = sorted(found + extra, key=lambda c: c[0])
    return to_mentions(text, found)


def to_mentions(text: str, found: list[list[Any]]) -> list[SkillMention]:
    """Mentions of matches [start, end, id, ...] (a 7th item marks a fuzzy match)."""
    get = load_taxonomy().get
    out: list[SkillMention] = []
    for c in found:
        entry = get(c[2])
        if entry is None:
            continue
        out.append(
            SkillMention(
                name=entry.name, skill_id=entry.id, surface=text[c[0] : c[1]], start=c[0],
                end=c[1], fuzzy=len(c) > 6,
            )
        )
    return out
