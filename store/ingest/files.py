"""A job file on disk: size limits, readability, text encoding and format detection."""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import IO, Any

from store.ingest.results import ImportRowError
from tools.errors import UnreadableFileError

#: Largest JSON document that is not a top-level array (read whole), and largest feed.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
#: Largest single row (a JSONL line, a JSON array element, a CSV field).
MAX_ROW_CHARS = 16 * 1024 * 1024
#: Bytes (or characters) read at a time when a file is streamed.
READ_BLOCK = 1 << 20

#: One read row: ``(row_number, dict | ImportRowError)``.
Row = tuple[int, "dict[str, Any] | ImportRowError"]


def detect_encoding(path: Path) -> str:
    """utf-8-sig (BOM), utf-16 (BOM), utf-8 when the whole file decodes, else cp1252."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := fh.read(READ_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def open_text(path: Path, encoding: str) -> IO[str]:
    """The file as text in ``encoding``; undecodable bytes become U+FFFD."""
    # cp1252 leaves 5 bytes undefined: replace them rather than fail half-way through.
    return path.open("r", encoding=encoding, errors="replace", newline="")


def file_format(path: Path) -> str:
    """"json", "jsonl", "csv" or "feed", by extension, else by the first characters."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".jsonlines"}:
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in {".csv", ".tsv", ".tab"}:
        return "csv"
    if suffix in {".xml", ".rss", ".atom"}:
        return "feed"
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<"):
        return "feed"
    return "csv"


def check_readable(path: Path) -> None:
    """Raise :class:`tools.errors.UnreadableFileError` unless ``path`` is an existing file."""
    if not path.exists():
        raise UnreadableFileError(f"{path.name}: no such file")
    if not path.is_file():
        raise UnreadableFileError(f"{path.name}: not a file")

