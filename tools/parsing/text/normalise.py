"""Text normalisation: unicode NFC, one form of bullets, dashes, quotes and spaces, table cells
marked as pipes (also with offsets tracked, ``normalise_with_offsets``), and the prefix of a
long text the parsers analyse."""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import Any

from tools.parsing.text.offsets import OffsetMap

logger = logging.getLogger(__name__)


# Characters mapped one-to-one (or deleted) before the regex passes.
_TRANSLATE: dict[int, str | None] = {
    # spaces
    0x00A0: " ", 0x1680: " ", 0x2000: " ", 0x2001: " ", 0x2002: " ", 0x2003: " ",
    0x2004: " ", 0x2005: " ", 0x2006: " ", 0x2007: " ", 0x2008: " ", 0x2009: " ",
    0x200A: " ", 0x202F: " ", 0x205F: " ", 0x3000: " ", 0x09: " ",
    # zero-width and soft hyphen
    0x200B: None, 0x200C: None, 0x200D: None, 0x2060: None, 0xFEFF: None, 0x00AD: None,
    0x180E: None, 0x200E: None, 0x200F: None,
    # line breaks
    0x2028: "\n", 0x2029: "\n", 0x0B: "\n", 0x0C: "\n", 0x85: "\n",
    # single quotes / primes
    0x2018: "'", 0x2019: "'", 0x201A: "'", 0x201B: "'", 0x2032: "'", 0x00B4: "'",
    0x02BC: "'", 0xFF07: "'",
    # double quotes
    0x201C: '"', 0x201D: '"', 0x201E: '"', 0x201F: '"', 0x2033: '"', 0x00AB: '"',
    0x00BB: '"', 0xFF02: '"',
    # dashes and minus signs
    0x2010: "-", 0x2011: "-", 0x2012: "-", 0x2013: "-", 0x2014: "-", 0x2015: "-",
    0x2212: "-", 0xFE58: "-", 0xFE63: "-", 0xFF0D: "-",
    # ellipsis
    0x2026: "...",
    # ligatures common in PDF extraction (NFC leaves them alone)
    0xFB00: "ff", 0xFB01: "fi", 0xFB02: "fl", 0xFB03: "ffi", 0xFB04: "ffl", 0xFB05: "st",
    0xFB06: "st",
    # private-use bullets emitted by Word's Symbol / Wingdings fonts
    0xF0B7: "\u2022", 0xF0A7: "\u2022", 0xF076: "\u2022", 0xF0D8: "\u2022", 0xF0FC: "\u2022",
    0xF0A8: "\u2022", 0xF06E: "\u2022", 0xF0E0: "\u2022",
}
# Remaining C0/C1 control characters (except \n) and private-use icons are dropped.
for _cp in [*range(0x00, 0x20), *range(0x7F, 0xA0)]:
    if _cp != 0x0A:
        _TRANSLATE.setdefault(_cp, None)

_PRIVATE_USE_RE = re.compile("[\ue000-\uf8ff]")
#: Any character `_TRANSLATE` or `_PRIVATE_USE_RE` would change: most texts hold none, and a
#: character-class scan is much cheaper than ``str.translate`` with a dict.
_TO_FIX_RE = re.compile(
    "[" + "".join(re.escape(chr(cp)) for cp in sorted(_TRANSLATE)) + "\ue000-\uf8ff]"
)
_BULLET_CHARS = "\u2022\u25cf\u25aa\u25e6\u25a0\u25a1\u25c6\u25c7\u25ba\u25b6\u27a2\u27a4\u2192" \
    "\u2713\u2714\u2219\u00b7\u2023\u2043\u25cb\u25fe\u25fc\u2666\u2756\u29bf\u25b8\u25b9"
_BULLET_RE = re.compile(
    rf"^[ ]*(?:[{_BULLET_CHARS}][ ]*|[*+\-][ ]+)+(?=\S)", re.MULTILINE
)
#: First characters of a line `_BULLET_RE` can rewrite (lines are edge-stripped by then).
_BULLET_FIRST = frozenset(_BULLET_CHARS + "*+-")
_SPACES_RE = re.compile(r"[ ]{2,}")
_EDGE_SPACES_RE = re.compile(r"^[ ]+|[ ]+$", re.MULTILINE)
_MANY_NEWLINES_RE = re.compile(r"\n{3,}")


def normalise_text(text: str) -> str:
    """Unicode NFC, unify bullets/dashes/quotes/nbsp, strip control chars, collapse runs of
    spaces, keep line structure (max two consecutive newlines)."""
    if not text:
        return ""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if _TO_FIX_RE.search(text) is not None:
        text = text.translate(_TRANSLATE)
        text = _PRIVATE_USE_RE.sub("", text)
    # Per line, the same steps as _EDGE_SPACES_RE, _BULLET_RE and _SPACES_RE over the whole
    # text (none of them crosses a line break), but only where they can change something.
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line:
            continue
        if line[0] == " " or line[-1] == " ":
            line = line.strip(" ")
            if not line:
                lines[i] = line
                continue
        if line[0] in _BULLET_FIRST:
            line = _BULLET_RE.sub("- ", line)
        if "  " in line:
            line = _SPACES_RE.sub(" ", line)
        lines[i] = line
    text = "\n".join(lines)
    if "\n\n\n" in text:
        text = _MANY_NEWLINES_RE.sub("\n\n", text)
    return text.strip()


_TAB_CELLS = re.compile(r"(?<=\S)[ ]*\t[ \t]*(?=\S)")
_SPACE_CELLS = re.compile(r"(?<=\S\S) {3,}(?=\S\S)")
_CRLF_RE = re.compile(r"\r\n?")
#: A non-ASCII run and the ASCII character before it: NFC never composes across an ASCII
#: character (none is the second half of a composition, and canonical reordering stops at
#: starters), so normalising these runs one by one equals normalising the whole text.
_NON_ASCII_RUN = re.compile(r"[\x00-\x7f]?[^\x00-\x7f]+")
_LEAD_WS = re.compile(r"\A\s+")
_TRAIL_WS = re.compile(r"\s+\Z")


def cells_to_pipes(text: str, *, spaces: bool = False) -> str:
    """Table cells extracted from DOCX/PDF come separated by tabs (or wide runs of spaces);
    ``normalise_text`` would fold them into one space, so mark them as " | " first."""
    if "\t" in text:
        text = _TAB_CELLS.sub(" | ", text)
    if spaces and "   " in text:
        text = _SPACE_CELLS.sub(" | ", text)
    return text


class _Tracked:
    """A text being rewritten by regex substitutions, with per-character source ranges."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = list(range(len(text)))
        self.ends = list(range(1, len(text) + 1))

    def sub(self, pattern: re.Pattern[str], repl: str | Any) -> None:
        text, starts, ends = self.text, self.starts, self.ends
        pieces: list[str] = []
        new_starts: list[int] = []
        new_ends: list[int] = []
        pos = 0
        changed = False
        for m in pattern.finditer(text):
            a, b = m.span()
            if a == b:
                continue
            r = repl if isinstance(repl, str) else repl(m)
            if r == m.group(0):
                continue
            changed = True
            pieces.append(text[pos:a])
            new_starts += starts[pos:a]
            new_ends += ends[pos:a]
            if len(r) == b - a:
                new_starts += starts[a:b]
                new_ends += ends[a:b]
            elif r:
                new_starts += [starts[a]] * len(r)
                new_ends += [ends[b - 1]] * len(r)
            pieces.append(r)
            pos = b
        if not changed:
            return
        pieces.append(text[pos:])
        new_starts += starts[pos:]
        new_ends += ends[pos:]
        self.text = "".join(pieces)
        self.starts, self.ends = new_starts, new_ends


def _fix_char(m: re.Match[str]) -> str:
    out = _TRANSLATE.get(ord(m.group(0)), "")  # private-use icons are dropped
    return out or ""


def _nfc(m: re.Match[str]) -> str:
    return unicodedata.normalize("NFC", m.group(0))


def normalise_with_offsets(
    text: str, *, cells: bool = False, space_cells: bool = False
) -> tuple[str, OffsetMap]:
    """``normalise_text(cells_to_pipes(text, spaces=space_cells) if cells else text)`` and the
    map from its offsets back to `text`, so spans found in the normalised text can point at
    what the user supplied."""
    if not text:
        return "", OffsetMap(None, None, 0)
    pre = cells_to_pipes(text, spaces=space_cells) if cells else text
    fast = normalise_text(pre)
    if fast == text:
        return fast, OffsetMap(None, None, len(text))
    t = _Tracked(text)
    if cells:
        if "\t" in text:
            t.sub(_TAB_CELLS, " | ")
        if space_cells and "   " in t.text:
            t.sub(_SPACE_CELLS, " | ")
    if "\r" in t.text:
        t.sub(_CRLF_RE, "\n")
    # An NFC text has NFC runs (they split it where NFC works independently): nothing to do.
    if not t.text.isascii() and not unicodedata.is_normalized("NFC", t.text):
        t.sub(_NON_ASCII_RUN, _nfc)
    if _TO_FIX_RE.search(t.text) is not None:
        t.sub(_TO_FIX_RE, _fix_char)
    t.sub(_EDGE_SPACES_RE, "")
    t.sub(_BULLET_RE, "- ")
    t.sub(_SPACES_RE, " ")
    if "\n\n\n" in t.text:
        t.sub(_MANY_NEWLINES_RE, "\n\n")
    t.sub(_LEAD_WS, "")
    t.sub(_TRAIL_WS, "")
    if t.text != fast:  # pragma: no cover - the steps above mirror normalise_text
        logger.warning("offset-tracked normalisation differs; offsets fall back to a scan")
        return fast, _scan_map(fast, text)
    return t.text, OffsetMap(t.starts, t.ends, len(text))


def _scan_map(norm: str, original: str) -> OffsetMap:
    """A coarse map for the case the tracked steps disagree with normalise_text: each
    character of `norm` is looked up in `original` going forward (same characters in order)."""
    starts: list[int] = []
    pos = 0
    for ch in norm:
        found = original.find(ch, pos)
        if found < 0:
            found = pos if pos < len(original) else max(len(original) - 1, 0)
        starts.append(found)
        pos = min(found + 1, len(original))
    ends = [s + 1 for s in starts]
    return OffsetMap(starts, ends, len(original))


#: Only this much of a (normalised) text is analysed; longer inputs are pasted dumps, not CVs
#: or postings, and must not stall the engine. Offsets stay valid in the full text.
MAX_PARSE_CHARS = 200_000


def analysed_prefix(text: str) -> str:
    """`text` cut to MAX_PARSE_CHARS, at a line break when there is one near the cut."""
    if len(text) <= MAX_PARSE_CHARS:
        return text
    cut = text.rfind("\n", MAX_PARSE_CHARS - 5_000, MAX_PARSE_CHARS)
    return text[: cut if cut > 0 else MAX_PARSE_CHARS]
