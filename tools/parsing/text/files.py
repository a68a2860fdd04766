"""Text of a PDF, DOCX, TXT or MD file (path or bytes): the type from the extension, the size
checked first, then the reader for the type."""

from __future__ import annotations

from pathlib import Path

from tools.errors import EmptyDocumentError, UnreadableFileError, UnsupportedFileTypeError
from tools.parsing.text.docx_reader import docx_text
from tools.parsing.text.limits import DEFAULT_LIMITS, DEFAULT_MAX_BYTES, DocumentLimits, check_size
from tools.parsing.text.normalise import normalise_text
from tools.parsing.text.pdf_reader import pdf_text

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
    check_size(size, max_bytes)
    try:
        data = p.read_bytes()
    except OSError:
        raise UnreadableFileError(f"Could not read {p.name}.") from None
    check_size(len(data), max_bytes)  # the file may have grown since stat
    return _extract(data, kind, p.name, limits)


def extract_text_from_bytes(
    data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES,
    limits: DocumentLimits = DEFAULT_LIMITS,
) -> str:
    """Same as extract_text for an upload held in memory; type from the filename's extension."""
    kind = _kind_for(filename)
    check_size(len(data), max_bytes)
    return _extract(bytes(data), kind, Path(filename).name, limits)


def _kind_for(filename: str) -> str:
    ext = Path(filename).suffix.lower()
    kind = SUPPORTED_EXTENSIONS.get(ext)
    if kind is None:
        shown = ext or "(none)"
        raise UnsupportedFileTypeError(
            f"Unsupported file type {shown}. Please upload a PDF, DOCX, TXT or MD file."
        )
    return kind


def _extract(data: bytes, kind: str, name: str, limits: DocumentLimits) -> str:
    if kind == "pdf":
        raw = pdf_text(data, name, limits)
    elif kind == "docx":
        raw = docx_text(data, name, limits)
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
