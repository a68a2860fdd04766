"""Text extraction from files (PDF, DOCX, TXT, MD) and text normalisation.

Every public function either returns non-empty text or raises a ``JobfitError``
subclass whose message is safe to show a user (it never quotes the document). The size limit is
checked before anything is read or parsed, and what a document may unpack to is bounded
(``DocumentLimits``: uncompressed size, compression ratio and member count of a DOCX archive,
checked from its directory before python-docx opens it; PDF pages, decompressed stream size and
extracted text length), so a zip or page bomb under the file size limit is refused with
``DocumentTooLargeError`` instead of eating memory. pypdf and python-docx are imported lazily so
that the CLI starts fast.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tools.errors import (
    DocumentTooLargeError,
    EmptyDocumentError,
    FileTooLargeError,
    JobfitError,
    UnreadableFileError,
    UnsupportedFileTypeError,
)
from tools.parsing.stuffing import hidden_docx_text

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class DocumentLimits:
    """What a PDF or DOCX may unpack to; beyond any of these, ``DocumentTooLargeError``.

    The defaults are far above any real CV or posting (a long DOCX CV unpacks to well under
    1 MB, a CV PDF has a few pages of tens of KB of content each) and low enough that the worst
    file within all of them parses in bounded memory and time.
    """

    #: Sum of the uncompressed sizes of a DOCX archive's members (from its directory).
    max_uncompressed_bytes: int = 50 * 1024 * 1024
    #: Uncompressed / compressed size of any one member of at least ``ratio_min_bytes``.
    max_compression_ratio: float = 100.0
    #: Members smaller than this are not held to the ratio (tiny XML parts compress very well
    #: and cannot hurt).
    ratio_min_bytes: int = 1024 * 1024
    #: Entries in a DOCX archive's directory.
    max_zip_members: int = 2_000
    #: Uncompressed size of a DOCX's XML parts (images and other binary parts not included), which
    #: bounds the text and the XML trees python-docx builds. Measured while streaming them.
    max_xml_bytes: int = 10 * 1024 * 1024
    #: Markup tags ("<") in a DOCX's XML parts, counted while streaming them (bounds the XML
    #: trees python-docx builds; python-docx's blank template alone holds about 24,000).
    max_xml_tags: int = 250_000
    #: Pages of a PDF (checked before any page is read).
    max_pdf_pages: int = 300
    #: Decompressed size of any one PDF stream (pypdf stops decoding beyond it).
    max_pdf_stream_bytes: int = 10 * 1024 * 1024
    #: Decompressed page content streams of a PDF, summed over its pages (a stream shared by
    #: many pages counts once per page).
    max_pdf_content_bytes: int = 20 * 1024 * 1024
    #: Characters of text extracted from a PDF or DOCX (PDF extraction stops there).
    max_text_chars: int = 2_000_000


DEFAULT_LIMITS = DocumentLimits()

#: Extensions we read, mapped to the reader used.
SUPPORTED_EXTENSIONS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
}

_SCANNED_MESSAGE = (
    "This PDF has no extractable text; it looks like a scanned document or an image. "
    "Please upload a text-based PDF or a DOCX file."
)


# --------------------------------------------------------------------------- public API


def extract_text(
    path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
    limits: DocumentLimits = DEFAULT_LIMITS,
) -> str:
    """Text of a PDF, DOCX (tables included), TXT or MD file: PDF and DOCX text normalised
    (``normalise_text``), TXT and MD text as written, newlines unified (``\\r\\n`` -> ``\\n``,
    as Python's text mode reads a file). The parsers normalise their own copy and report
    offsets into the text they were given, so spans index what this returns.

    Raises FileTooLargeError (checked with stat before reading), DocumentTooLargeError (a PDF
    or DOCX beyond `limits`: zip bomb, too many pages, too much text), UnsupportedFileTypeError,
    UnreadableFileError (corrupt / encrypted / not what the extension says), EmptyDocumentError
    (no extractable text, e.g. a scanned PDF).
    """
    p = Path(path)
    kind = _kind_for(p.name)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise UnreadableFileError(f"File not found: {p.name}") from None
    except OSError:
        raise UnreadableFileError(f"Could not open {p.name}.") from None
    if not p.is_file():
        raise UnreadableFileError(f"{p.name} is not a regular file.")
    _check_size(size, max_bytes)
    try:
        data = p.read_bytes()
    except OSError:
        raise UnreadableFileError(f"Could not read {p.name}.") from None
    _check_size(len(data), max_bytes)  # the file may have grown since stat
    return _extract(data, kind, p.name, limits)


def extract_text_from_bytes(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
    limits: DocumentLimits = DEFAULT_LIMITS,
) -> str:
    """Same as extract_text for an upload held in memory; type from the filename's extension."""
    kind = _kind_for(filename)
    _check_size(len(data), max_bytes)
    return _extract(bytes(data), kind, Path(filename).name, limits)


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


# --------------------------------------------------------------------------- offset tracking

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


class OffsetMap:
    """Where each character of a normalised text came from in the text it was made from.

    ``span(a, b)`` turns offsets into the normalised text into offsets into the original: the
    first character's source start and the last character's source end. A character that
    replaced several (a collapsed run of spaces, CRLF, a composed accent) maps to all of them;
    several characters made from one (a ligature, an ellipsis) all map to that one.
    """

    __slots__ = ("_ends", "_length", "_starts")

    def __init__(self, starts: list[int] | None, ends: list[int] | None, length: int) -> None:
        self._starts = starts
        self._ends = ends
        self._length = length  # of the original text

    @property
    def identity(self) -> bool:
        return self._starts is None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original (start, end) of the normalised text's [start, end)."""
        if self._starts is None or self._ends is None:
            return start, end
        n = len(self._starts)
        if n == 0:
            return 0, 0
        if end <= start:  # empty span: anchor it where its position maps to
            pos = self._starts[start] if start < n else self._length
            return pos, pos
        a = self._starts[min(start, n - 1)]
        b = self._ends[min(end, n) - 1]
        return a, max(a, b)


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
    if not t.text.isascii():
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


def remap_spans(model: Any, offsets: OffsetMap, original: str) -> None:
    """Point every ``Span`` inside `model` (a pydantic model, or a list of them) at
    `original`: offsets through `offsets`, text re-read from `original`. In place."""
    from pydantic import BaseModel

    from tools.schemas import Span

    if offsets.identity:
        return
    stack: list[Any] = [model]
    while stack:
        obj = stack.pop()
        if isinstance(obj, Span):
            a, b = offsets.span(obj.start, obj.end)
            obj.start, obj.end, obj.text = a, b, original[a:b]
        elif isinstance(obj, BaseModel):
            stack.extend(v for v in obj.__dict__.values() if isinstance(v, (BaseModel, list)))
        elif isinstance(obj, list):
            stack.extend(v for v in obj if isinstance(v, (BaseModel, list)))


def chain_maps(first: OffsetMap, second: OffsetMap) -> OffsetMap:
    """The map of ``first`` (C -> B) followed by ``second`` (B -> A): C -> A."""
    if second.identity:
        return first
    n = first._length if first.identity else len(first._starts or [])
    starts: list[int] = []
    ends: list[int] = []
    for i in range(n):
        a, b = second.span(*first.span(i, i + 1))
        starts.append(a)
        ends.append(b)
    return OffsetMap(starts, ends, second._length)


def scan_map(norm: str, original: str, *, window: int = 64) -> OffsetMap:
    """A coarse map from `norm` to the `original` it was made from by dropping and rejoining
    parts (tools.parsing.stuffing): each character of `norm` is looked up in `original` going
    forward, a letter or digit at most `window` characters ahead, a separator (space,
    punctuation) only right where the scan is — a separator that was inserted ("a, b" from a
    tab-separated list) maps to the current place without moving it."""
    starts: list[int] = []
    pos = 0
    n = len(original)
    for ch in norm:
        ahead = window if ch.isalnum() else 2
        found = original.find(ch, pos, pos + ahead)
        if found < 0:
            starts.append(min(pos, max(n - 1, 0)))
            continue
        starts.append(found)
        pos = min(found + 1, n)
    ends = [s + 1 for s in starts]
    return OffsetMap(starts, ends, n)


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


#: Characters ``re.IGNORECASE`` matches to an ASCII letter although ``str.lower`` does not turn
#: them into it (dotless i, long s) or changes the length (dotted capital I -> "i" + U+0307).
_FOLD_TRAPS = ("\u0130", "\u0131", "\u017f")


def gate_text(text: str) -> str | None:
    """``text.lower()`` for cheap substring gates in front of case-insensitive regexes: when a
    lower-case word is not in it, no ``re.IGNORECASE`` pattern spelling that word can match.

    Same length as `text` (offsets agree). None when `text` holds a character for which that
    reasoning fails; callers then skip their gates and run the regexes.
    """
    if not text.isascii() and any(t in text for t in _FOLD_TRAPS):
        return None
    return text.lower()


def gate_open(low: str | None, *words: str) -> bool:
    """True when one of the lower-case `words` occurs in `low` (or there is no gate text)."""
    if low is None:
        return True
    for w in words:
        if w in low:
            return True
    return False


# --------------------------------------------------------------------------- helpers


def _kind_for(filename: str) -> str:
    ext = Path(filename).suffix.lower()
    kind = SUPPORTED_EXTENSIONS.get(ext)
    if kind is None:
        shown = ext or "(none)"
        raise UnsupportedFileTypeError(
            f"Unsupported file type {shown}. Please upload a PDF, DOCX, TXT or MD file."
        )
    return kind


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLargeError(
            f"The file is too large ({_human(size)}, {size} bytes); the limit is "
            f"{_human(max_bytes)} ({max_bytes} bytes)."
        )


def _human(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} B"


def _extract(data: bytes, kind: str, name: str, limits: DocumentLimits) -> str:
    if kind == "pdf":
        raw = _pdf_text(data, name, limits)
    elif kind == "docx":
        raw = _docx_text(data, name, limits)
    else:
        # A text file is returned as written (newlines unified, as Python's text mode reads
        # it), so offsets the parsers report index the user's own file.
        raw = _plain_text(data, name)
        if "\r" in raw:
            raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        if not normalise_text(raw):
            raise EmptyDocumentError(f"{name} contains no text.")
        return raw
    text = normalise_text(raw)
    if not text:
        if kind == "pdf":
            raise EmptyDocumentError(_SCANNED_MESSAGE)
        raise EmptyDocumentError(f"{name} contains no text.")
    return text


def _too_large(name: str, detail: str) -> DocumentTooLargeError:
    """`detail` says which limit and what the file had (no document content)."""
    return DocumentTooLargeError(
        f"{name} was not read: {detail}. Please upload a smaller document."
    )


#: pypdf's per-stream parsing budget (its default, 2,000,000 tokens, took 6 s and 300 MB on one
#: stream) and form XObjects drawn per page (pypdf allows 5,000; a CV page draws a handful).
_PDF_TOKENS = 500_000
_PDF_FORMS_PER_PAGE = 100


def _pdf_configuration(limits: DocumentLimits) -> dict[str, int]:
    """pypdf limits (``pypdf.Configuration``) so that no one stream decodes past
    ``limits.max_pdf_stream_bytes``: pypdf raises LimitReachedError there."""
    n = limits.max_pdf_stream_bytes
    return {
        "zlib_maximum_output_length": n,
        "lzw_maximum_output_length": n,
        "run_length_maximum_output_length": n,
        "brotli_maximum_output_length": n,
        "jbig2_maximum_output_length": n,
        "array_based_stream_maximum_output_length": n,
        "image_maximum_buffer_size": n,
        "stream_decoding_work_maximum_length": 4 * n,
        "stream_parsing_work_maximum_count": _PDF_TOKENS,
        "xform_maximum_invocations_per_extraction": _PDF_FORMS_PER_PAGE,
    }


def _pdf_text(data: bytes, name: str, limits: DocumentLimits = DEFAULT_LIMITS) -> str:
    if b"%PDF-" not in data[:1024]:
        raise UnreadableFileError(f"{name} is not a valid PDF file.")
    try:
        from pypdf import PdfReader, apply_configuration
        from pypdf.errors import LimitReachedError
    except ImportError:  # pragma: no cover - dependency missing
        raise UnreadableFileError("PDF support is not installed.") from None
    with apply_configuration(None, **_pdf_configuration(limits)):
        try:
            return _pdf_pages_text(PdfReader, data, name, limits)
        except LimitReachedError:
            logger.info("pdf beyond a pypdf limit", exc_info=True)
            raise _too_large(name, "a stream inside this PDF is too large to decode or parse "
                             f"(limits: {_human(limits.max_pdf_stream_bytes)} decompressed, "
                             f"{_PDF_TOKENS:,} tokens per stream)") from None


def _pdf_pages_text(reader_cls: Any, data: bytes, name: str, limits: DocumentLimits) -> str:
    from pypdf.errors import LimitReachedError

    try:
        reader = reader_cls(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                ok = bool(reader.decrypt(""))
            except Exception:  # noqa: BLE001 - any failure means we cannot read it
                ok = False
            if not ok:
                raise UnreadableFileError(
                    f"{name} is password-protected. Please upload an unprotected copy."
                )
        declared = _pdf_declared_pages(reader)
        if declared is not None and declared > limits.max_pdf_pages:
            raise _too_large(name, f"it has {declared:,} pages, the limit is "
                             f"{limits.max_pdf_pages:,}")
        pages = list(reader.pages)
    except (JobfitError, LimitReachedError):
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many types on corrupt input
        logger.info("pdf could not be parsed", exc_info=True)
        raise UnreadableFileError(f"{name} could not be read; the PDF seems damaged.") from None
    if len(pages) > limits.max_pdf_pages:  # the declared /Count may understate the tree
        raise _too_large(name, f"it has {len(pages):,} pages, the limit is "
                         f"{limits.max_pdf_pages:,}")
    chunks: list[str] = []
    failed = 0
    chars = content = 0
    for page in pages:
        # pages may share one content stream: the sum over pages bounds the parsing work
        content += _pdf_content_bytes(page)
        if content > limits.max_pdf_content_bytes:
            raise _too_large(name, "its page content decompresses to more than the limit of "
                             f"{_human(limits.max_pdf_content_bytes)}")
        try:
            text = page.extract_text() or ""
        except LimitReachedError:
            raise
        except Exception:  # noqa: BLE001 - one bad page should not lose the others
            failed += 1
            logger.info("pdf page text extraction failed", exc_info=True)
            continue
        chars += len(text) + 2
        if chars > limits.max_text_chars:  # stop reading pages as soon as it is too long
            raise _too_large(name, "its text is longer than the limit of "
                             f"{limits.max_text_chars:,} characters")
        chunks.append(text)
    if failed and failed == len(pages):
        raise UnreadableFileError(f"{name} could not be read; the PDF seems damaged.")
    return "\n\n".join(chunks)


def _pdf_content_bytes(page: Any) -> int:
    """Decoded size of a page's content streams (pypdf caches the decoded data, so text
    extraction does not decode them again); 0 when they cannot be decoded (extraction then
    reports the page as failed)."""
    from pypdf.errors import LimitReachedError

    try:
        contents = page.get("/Contents")
        if contents is None:
            return 0
        obj = contents.get_object()
        streams = obj if isinstance(obj, list) else [obj]
        return sum(len(s.get_object().get_data()) for s in streams)
    except LimitReachedError:
        raise
    except Exception:  # noqa: BLE001 - damaged streams are the extraction's concern
        return 0


def _pdf_declared_pages(reader: Any) -> int | None:
    """The page tree's /Count, read without walking the tree (None when missing or odd)."""
    try:
        count = reader.trailer["/Root"]["/Pages"]["/Count"]
        return int(count)
    except Exception:  # noqa: BLE001 - the tree walk decides then
        return None


_ZIP_DAMAGED = "{name} could not be read; the DOCX file seems damaged or is not a Word document."
#: Bytes an XML part may start with before its first "<" (byte order marks, whitespace).
_XML_LEAD = b"\xef\xbb\xbf\xff\xfe\x00 \t\r\n"


def _check_zip(data: bytes, name: str, limits: DocumentLimits) -> None:
    """Refuse an archive beyond `limits` before python-docx opens it.

    First from its directory alone (nothing decompressed): member count, total declared size,
    each large member's compression ratio. zipfile never inflates a member past its declared
    ``file_size`` (a member that lies fails its CRC check), so the declared sizes bound what
    can be read. Then the XML parts are streamed through in 1 MB chunks, their size summed and
    their tags counted: a few MB of ``<w:p/>`` compress under the ratio yet cost lxml and
    python-docx about 150 bytes and 4 microseconds each.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > limits.max_zip_members:
                raise _too_large(name, f"the DOCX archive holds {len(members):,} files, the "
                                 f"limit is {limits.max_zip_members:,}")
            total = sum(info.file_size for info in members)
            if total > limits.max_uncompressed_bytes:
                raise _too_large(name, f"the DOCX unpacks to {_human(total)}, the limit is "
                                 f"{_human(limits.max_uncompressed_bytes)}")
            for info in members:
                if (info.file_size >= limits.ratio_min_bytes and info.file_size
                        > limits.max_compression_ratio * max(info.compress_size, 1)):
                    ratio = info.file_size / max(info.compress_size, 1)
                    raise _too_large(
                        name, f"a part of the DOCX archive is compressed {ratio:,.0f} to 1 "
                        f"({_human(info.file_size)} unpacked), the limit is "
                        f"{limits.max_compression_ratio:,.0f} to 1")
            tags = xml_bytes = 0
            for info in members:
                if not info.is_dir():
                    n_tags, n_bytes = _xml_size(archive, info)
                    tags, xml_bytes = tags + n_tags, xml_bytes + n_bytes
            if xml_bytes > limits.max_xml_bytes:
                raise _too_large(name, f"the DOCX holds {_human(xml_bytes)} of XML, the limit is "
                                 f"{_human(limits.max_xml_bytes)}")
            if tags > limits.max_xml_tags:
                raise _too_large(name, f"the DOCX holds {tags:,} XML tags, the limit is "
                                 f"{limits.max_xml_tags:,}")
    except DocumentTooLargeError:
        raise
    except Exception:  # noqa: BLE001 - BadZipFile, bad CRC, struct errors... on corrupt input
        logger.info("docx archive unreadable", exc_info=True)
        raise UnreadableFileError(_ZIP_DAMAGED.format(name=name)) from None


def _xml_size(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> tuple[int, int]:
    """How many "<" an XML member holds and its size, read in 1 MB chunks ((0, 0) for a member
    that is not XML, e.g. an image)."""
    count = size = 0
    with archive.open(info) as fh:
        chunk = fh.read(1 << 20)
        if not chunk.lstrip(_XML_LEAD).startswith(b"<"):
            return 0, 0
        while chunk:
            count += chunk.count(b"<")
            size += len(chunk)
            chunk = fh.read(1 << 20)
    return count, size


def _docx_text(data: bytes, name: str, limits: DocumentLimits = DEFAULT_LIMITS) -> str:
    if not data.startswith(b"PK"):
        raise UnreadableFileError(f"{name} is not a valid DOCX file.")
    _check_zip(data, name, limits)
    try:
        import docx
    except ImportError:  # pragma: no cover - dependency missing
        raise UnreadableFileError("DOCX support is not installed.") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # noqa: BLE001 - zipfile / lxml / KeyError on corrupt input
        logger.info("docx could not be parsed", exc_info=True)
        raise UnreadableFileError(_ZIP_DAMAGED.format(name=name)) from None
    try:
        text = _docx_document_text(document)
    except Exception:  # noqa: BLE001
        logger.info("docx text extraction failed", exc_info=True)
        raise UnreadableFileError(f"{name} could not be read.") from None
    if len(text) > limits.max_text_chars:
        raise _too_large(name, f"its text is {len(text):,} characters long, the limit is "
                         f"{limits.max_text_chars:,}")
    return text


def _docx_document_text(document: Any) -> str:
    from docx.oxml.ns import qn

    blocks: list[str] = []
    seen_parts: set[int] = set()

    def header_footer(attr: str) -> list[str]:
        out: list[str] = []
        for section in document.sections:
            for variant in (attr, f"first_page_{attr}", f"even_page_{attr}"):
                try:
                    part = getattr(section, variant)
                    if part.is_linked_to_previous and variant != attr:
                        continue
                    element = part._element
                except Exception:  # noqa: BLE001 - missing parts are fine
                    continue
                if id(element) in seen_parts:
                    continue
                seen_parts.add(id(element))
                out.extend(_container_blocks(element, qn))
        return out

    blocks.extend(header_footer("header"))
    blocks.extend(_container_blocks(document.element.body, qn))
    blocks.extend(header_footer("footer"))
    return "\n".join(b for b in blocks if b.strip())


def _container_blocks(element: Any, qn: Any) -> list[str]:
    """Paragraphs and tables of a body / header / footer / cell, in document order."""
    p_tag, tbl_tag = qn("w:p"), qn("w:tbl")
    sdt_tag, content_tag = qn("w:sdt"), qn("w:sdtContent")
    out: list[str] = []
    for child in element.iterchildren():
        if child.tag == p_tag:
            out.append(_paragraph_text(child, qn))
            out.extend(_textbox_blocks(child, qn))
        elif child.tag == tbl_tag:
            out.extend(_table_blocks(child, qn))
        elif child.tag == sdt_tag:  # content controls wrap paragraphs / tables
            for content in child.iterchildren(content_tag):
                out.extend(_container_blocks(content, qn))
    return out


def _paragraph_text(p: Any, qn: Any) -> str:
    t_tag, tab_tag, br_tag, cr_tag = qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")
    txbx_tag = qn("w:txbxContent")
    parts: list[str] = []
    for node in p.iter(t_tag, tab_tag, br_tag, cr_tag, txbx_tag):
        if node.tag == t_tag:
            # skip text inside text boxes anchored in this paragraph (handled separately),
            # and hidden text (vanished, white, 1 pt: tools/parsing/stuffing.py)
            if _inside(node, txbx_tag, p) or hidden_docx_text(node, qn):
                continue
            parts.append(node.text or "")
        elif node.tag == tab_tag:
            if not _inside(node, txbx_tag, p):
                parts.append("\t")
        elif node.tag in (br_tag, cr_tag):
            if not _inside(node, txbx_tag, p):
                parts.append("\n")
    return "".join(parts)


def _inside(node: Any, tag: str, stop: Any) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag == tag:
            return True
        parent = parent.getparent()
    return False


def _textbox_blocks(p: Any, qn: Any) -> list[str]:
    txbx_tag = qn("w:txbxContent")
    out: list[str] = []
    seen: set[str] = set()
    for box in p.iter(txbx_tag):
        if _inside(box, txbx_tag, p):
            continue  # nested boxes are covered by their outer box
        text = "\n".join(b for b in _container_blocks(box, qn) if b.strip())
        # Word stores each text box twice (DrawingML + VML fallback): keep one copy
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def _table_blocks(tbl: Any, qn: Any) -> list[str]:
    tr_tag, tc_tag = qn("w:tr"), qn("w:tc")
    out: list[str] = []
    for row in tbl.iterchildren(tr_tag):
        cells: list[str] = []
        for cell in row.iter(tc_tag):
            if _inside(cell, tc_tag, row):
                continue  # cells of nested tables come through their outer cell
            text = "\n".join(b for b in _container_blocks(cell, qn) if b.strip()).strip()
            if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                cells.append(text)
        if not cells:
            continue
        if any("\n" in c for c in cells):
            out.extend(cells)  # layout tables: one block per cell keeps the lines intact
        else:
            out.append(" | ".join(cells))
    return out


_TEXT_ENCODINGS = ("utf-8", "cp1252", "latin-1")


def _plain_text(data: bytes, name: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return _decode(data[3:], name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise UnreadableFileError(f"{name} could not be decoded as text.") from None
    if data.startswith(b"%PDF-") or data.startswith(b"PK\x03\x04") or b"\x00" in data[:4096]:
        raise UnreadableFileError(
            f"{name} does not look like a text file; check the file extension."
        )
    return _decode(data, name)


def _decode(data: bytes, name: str) -> str:
    for encoding in _TEXT_ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError(f"{name} could not be decoded as text.")  # pragma: no cover
