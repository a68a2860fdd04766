"""Keyword-stuffing defence: text that a reader cannot see, or that only repeats itself, is
taken out before a CV or a posting is parsed, so stuffing does not pay.

:func:`defuse_stuffing` runs first in ``parse_cv`` and ``parse_job`` (pure, deterministic,
no-op on ordinary text: it returns the very same string when nothing is found):

* **invisible characters** — Unicode format characters (zero-width space / joiner /
  non-joiner, word joiner, BOM, soft hyphen, bidi controls, the invisible "tag" characters
  that can smuggle whole words) are deleted, so text hidden in them disappears with them;
  blank-looking letters (Hangul fillers, braille blank) become spaces.
* **repeated terms** — in a list line ("Java, Kafka, Java, SQL") an item already listed in
  the same line is dropped; a line of 20+ words of which fewer than a third are distinct
  ("java spring kafka java spring kafka ...") keeps only the first occurrence of each word;
  a line of 6+ words seen five times already is dropped the sixth time and after (a list
  line of 6+ words the second time: a list says nothing new when repeated). Items
  holding digits (dates, hours, versions) are never dropped as repeats.
* **huge keyword blocks** — a block of consecutive list lines (3+ separated items each, or
  short bullet items) keeps its first :data:`MAX_BLOCK_ITEMS` items.

Every threshold sits above what real documents do (checked on the 2,757 resumes and postings
of the quality benchmark), so ordinary text comes back unchanged apart from invisible
characters.

Hidden markup (``display:none``, ``visibility:hidden``, white or zero-size text, the ``hidden``
attribute) is dropped where HTML becomes text (:func:`hidden_html_element`, used by the job
importer) and hidden Word runs (``w:vanish``, white or 1 pt text) where DOCX becomes text
(:func:`hidden_docx_run`).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

#: Items a keyword block keeps (the rest of the block is dropped). Above every real block
#: seen: the longest skills block of 2,757 real resumes and postings (FERR, Livecareer, the
#: samples) holds 191 items, the 99th percentile 86.
MAX_BLOCK_ITEMS = 200
#: Items a structured skills list keeps (a record's ``skills`` column).
MAX_LIST_ITEMS = 60
#: A line of this many words (of 3+ characters) or more is checked for self-repetition ...
_REPEAT_MIN_WORDS = 20
#: ... and deduplicated when fewer than this share of its words are distinct.
_REPEAT_MAX_DISTINCT = 0.34
#: Lines of at least this many words are kept at most :data:`_LINE_COPIES` times (real
#: resumes repeat a bullet under several jobs; a stuffed text repeats it dozens of times).
_LINE_MIN_WORDS = 6
_LINE_COPIES = 5
#: An identical list line (6+ words) is kept once: a list says nothing new the second time.
_LIST_COPIES = 2

#: Letters that render as blank space.
_BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800\u180e\u034f")
_SEPARATORS = re.compile(r"\s*(?:[,;|•·]|\t|\s/\s)\s*")
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?:]\s*$")
_DIGIT = re.compile(r"\d")


#: Every format character (Unicode category Cf): deleted.
_FORMAT = frozenset(chr(c) for c in range(128, 0x110000)
                    if unicodedata.category(chr(c)) == "Cf") - _BLANK_LOOKING


#: How far ahead a character of the defused text is looked for in the given text when spans are
#: mapped back to it (tools.parsing.text.scan_map): a joined list's ", " must not jump ahead.
SCAN_WINDOW = 64


def strip_invisible(text: str) -> str:
    """``text`` without format characters (zero-width, bidi, tag characters, soft hyphens);
    blank-looking letters become spaces. Tabs and line breaks are kept."""
    if text.isascii():
        return text
    present = set(text)  # one pass in C; nearly always no invisible character at all
    found = present & _FORMAT
    blank = present & _BLANK_LOOKING
    if not found and not blank:
        return text
    if found:
        text = re.sub("[" + "".join(re.escape(c) for c in sorted(found)) + "]+", "", text)
    if blank:
        text = re.sub("[" + "".join(re.escape(c) for c in sorted(blank)) + "]", " ", text)
    return text


def _key(item: str) -> str:
    return " ".join(item.casefold().split()).strip(" .,;:-*•")


def _list_items(line: str) -> list[str] | None:
    """The items of a list line ("a, b, c"; 3+ short items), else None."""
    if "," not in line and ";" not in line and "|" not in line and "•" not in line \
            and "·" not in line and "\t" not in line and " / " not in line:
        return None
    items = [i for i in _SEPARATORS.split(line.strip()) if i.strip()]
    if len(items) < 3:
        return None
    words = [len(i.split()) for i in items]
    if max(words) > 6 or sum(words) / len(words) > 3:
        return None  # a sentence with commas
    return items


def _bullet_item(line: str) -> str | None:
    """The item of a short bullet line ("- Kafka"), else None."""
    m = _BULLET.match(line)
    if m is None:
        return None
    item = line[m.end():].strip()
    if not item or len(item.split()) > 3 or _DIGIT.search(item) or _SENTENCE_END.search(item):
        return None
    return item


def _dedupe_words(line: str) -> str:
    if len(line) < 4 * _REPEAT_MIN_WORDS - 1:  # too short for 20 words of 3+ letters
        return line
    words = line.split()
    if len(words) < _REPEAT_MIN_WORDS:
        return line
    keys = [_key(w) for w in words]
    long_keys = [k for k in keys if len(k) >= 3]
    if len(long_keys) < _REPEAT_MIN_WORDS \
            or len(set(long_keys)) >= _REPEAT_MAX_DISTINCT * len(long_keys):
        return line
    seen: set[str] = set()
    kept = []
    for word, key in zip(words, keys, strict=True):
        if len(key) < 3 or key not in seen:
            seen.add(key)
            kept.append(word)
    return " ".join(kept)


def _too_many_copies(line: str, copies: Counter[str], limit: int = _LINE_COPIES) -> bool:
    """Count a line of 6+ words; True once it was seen ``limit`` times."""
    if len(line) < 2 * _LINE_MIN_WORDS - 1 or len(line.split()) < _LINE_MIN_WORDS:
        return False
    key = _key(line)
    copies[key] += 1
    return copies[key] > limit


def defuse_stuffing(text: str) -> str:
    """``text`` with invisible characters, repeated terms and huge keyword blocks taken out
    (see the module docstring); the same string when there is nothing to take out."""
    if not text:
        return text
    clean = strip_invisible(text)
    lines = clean.split("\n")
    out: list[str] = []
    copies: Counter[str] = Counter()
    block_items = 0
    changed = clean is not text
    for line in lines:
        items = _list_items(line)
        bullet = _bullet_item(line) if items is None else None
        if items is None and bullet is None:
            block_items = 0
            new = _dedupe_words(line)
            if _too_many_copies(new, copies):
                changed = True
                continue
            if new is not line:
                changed = True
            out.append(new)
            continue
        if _too_many_copies(line, copies, _LIST_COPIES):
            changed = True
            continue
        kept: list[str] = []
        line_seen: set[str] = set()
        for item in items if items is not None else [bullet or ""]:
            key = _key(item)
            if block_items >= MAX_BLOCK_ITEMS:
                continue
            # numbers, dates, initials are never dropped as repeats
            if key in line_seen and not _DIGIT.search(key) and len(key) >= 2:
                continue
            line_seen.add(key)
            block_items += 1
            kept.append(item)
        if items is None:  # a bullet line: kept whole or dropped
            if kept:
                out.append(line)
            else:
                changed = True
            continue
        if len(kept) == len(items):
            out.append(line)
        else:
            changed = True
            if kept:
                tail = line.rstrip()[-1:]
                out.append(", ".join(kept) + (tail if tail in ",;|" else ""))
    if not changed:
        return text
    return "\n".join(out)


def cap_list(items: Iterable[Any], limit: int = MAX_LIST_ITEMS) -> list[Any]:
    """A structured list (a record's skills) without repeats, at most ``limit`` items."""
    seen: set[str] = set()
    out: list[Any] = []
    for item in items:
        key = _key(strip_invisible(str(item)))
        if not key or key in seen:
            continue
        seen.add(key)
        out.append(item)
        if len(out) >= limit:
            break
    return out


# --------------------------------------------------------------------------- hidden markup

_HIDDEN_STYLE = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|font-size\s*:\s*0(?:\.0*)?"
    r"(?:px|pt|em|rem|%)?\s*(?:;|$)|opacity\s*:\s*0(?:\.0*)?\s*(?:;|$)"
    r"|(?<![-\w])color\s*:\s*(?:#fff(?:fff)?\b|white\b|rgba?\(\s*255\s*,\s*255\s*,\s*255"
    r"|transparent\b)"
    r"|(?:max-)?height\s*:\s*0(?:px)?\s*(?:;|$).*overflow\s*:\s*hidden"
    r"|(?:left|top|text-indent)\s*:\s*-\d{3,}", re.IGNORECASE)


def hidden_html_element(tag: str, attrs: Iterable[tuple[str, str | None]]) -> bool:
    """Whether an HTML element is not shown to a reader (its text is then left out)."""
    values: Mapping[str, str | None] = dict(attrs)
    if "hidden" in values or (values.get("aria-hidden") or "").lower() == "true":
        return True
    if tag in ("template", "noscript"):
        return True
    style = values.get("style") or ""
    if style and _HIDDEN_STYLE.search(style):
        return True
    return tag == "font" and (values.get("color") or "").lower() in (
        "#fff", "#ffffff", "white")


def hidden_docx_run(properties: Any, qn: Any) -> bool:
    """Whether a Word run's properties (``w:rPr``) hide it: ``w:vanish``, white text
    (``w:color`` FFFFFF) or a size of 1 pt or less (``w:sz`` ≤ 2 half-points)."""
    if properties is None:
        return False
    off = ("0", "false", "off")
    vanish = properties.find(qn("w:vanish"))
    if vanish is not None and (vanish.get(qn("w:val")) or "true").lower() not in off:
        return True
    color = properties.find(qn("w:color"))
    if color is not None and (color.get(qn("w:val")) or "").upper() == "FFFFFF":
        return True
    size = properties.find(qn("w:sz"))
    if size is not None:
        try:
            return int(size.get(qn("w:val")) or "24") <= 2
        except ValueError:
            return False
    return False


def hidden_docx_text(node: Any, qn: Any) -> bool:
    """Whether a Word text node (``w:t``) sits in a hidden run (:func:`hidden_docx_run`)."""
    run = node.getparent()
    if run is None or run.tag != qn("w:r"):
        return False
    return hidden_docx_run(run.find(qn("w:rPr")), qn)
