"""Text extraction from files (STUB — being implemented)."""

from __future__ import annotations

from pathlib import Path

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def extract_text(path: str | Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Text of a PDF, DOCX (tables included), TXT or MD file, normalised.

    Raises FileTooLargeError (checked with stat before reading), UnsupportedFileTypeError,
    UnreadableFileError (corrupt / encrypted / not what the extension says), EmptyDocumentError
    (no extractable text, e.g. a scanned PDF).
    """
    raise NotImplementedError


def extract_text_from_bytes(data: bytes, filename: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Same as extract_text for an upload held in memory; type from the filename's extension."""
    raise NotImplementedError


def normalise_text(text: str) -> str:
    """Unicode NFC, unify bullets/dashes/quotes/nbsp, strip control chars, collapse runs of
    spaces, keep line structure (max two consecutive newlines)."""
    raise NotImplementedError
