"""Job files read as rows: JSON arrays, JSON lines and CSV (feeds: :mod:`store.ingest.feeds`).

Rows stream as ``(row_number, dict | ImportRowError)``: line by line (JSONL, CSV) or element by
element (JSON arrays); only a JSON document that is an object is read whole (size-guarded). A
bad row is an :class:`ImportRowError` in the stream, and the file goes on.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from store.ingest.columns import column_key
from store.ingest.feeds import read_feed
from store.ingest.files import (
    MAX_DOCUMENT_BYTES,
    MAX_ROW_CHARS,
    READ_BLOCK,
    Row,
    check_readable,
    detect_encoding,
    file_format,
    open_text,
)
from store.ingest.results import ImportRowError
from tools.errors import FileTooLargeError, JobfitError, UnreadableFileError


def read_rows(path: str | Path) -> Iterator[Row]:
    """Rows of a JSON array, JSONL or CSV file as ``(row_number, dict | ImportRowError)``.

    Streams line by line (JSONL, CSV) or element by element (JSON arrays). A JSON document
    that is an object is read whole (up to :data:`MAX_DOCUMENT_BYTES`): its list of jobs
    (``jobs``/``data``/``results``/``items``/``postings``…) or the object itself as one job.
    Raises :class:`tools.errors.JobfitError` when the file cannot be read at all.
    """
    path = Path(path)
    check_readable(path)
    kind = file_format(path)
    if kind == "feed":
        yield from read_feed(path)
        return
    encoding = detect_encoding(path)
    try:
        if kind == "jsonl":
            yield from _read_jsonl(path, encoding)
        elif kind == "json":
            yield from _read_json(path, encoding)
        else:
            yield from _read_csv(path, encoding)
    except OSError as err:
        raise UnreadableFileError(f"{path.name}: could not be read ({err.strerror})") from err


def count_rows(path: str | Path) -> int | None:
    """How many rows :func:`read_rows` will yield, when cheap to know (JSONL, CSV), else None."""
    path = Path(path)
    try:
        kind = file_format(path)
        if kind == "jsonl":
            n = 0
            with open_text(path, detect_encoding(path)) as fh:
                while line := fh.readline(MAX_ROW_CHARS):
                    if line.strip():
                        n += 1
            return n
        if kind == "csv":
            return sum(1 for n, _ in _read_csv(path, detect_encoding(path), count_only=True))
    except (OSError, JobfitError, csv.Error):
        return None
    return None


def _read_jsonl(path: Path, encoding: str) -> Iterator[Row]:
    with open_text(path, encoding) as fh:
        line_no = 0
        while True:
            line = fh.readline(MAX_ROW_CHARS)
            if not line:
                return
            line_no += 1
            if not line.endswith(("\n", "\r")) and len(line) >= MAX_ROW_CHARS:
                while (rest := fh.readline(MAX_ROW_CHARS)) and not rest.endswith(("\n", "\r")):
                    pass
                yield line_no, ImportRowError(f"line longer than {MAX_ROW_CHARS} characters")
                continue
            stripped = line.strip()
            if not stripped:
                continue
            try:
                obj = json.loads(stripped)
            except ValueError as err:
                yield line_no, ImportRowError(f"invalid JSON: {_json_reason(err)}")
                continue
            if isinstance(obj, dict):
                yield line_no, obj
            else:
                yield line_no, ImportRowError(f"not a JSON object (got {_json_kind(obj)})")


def _json_reason(err: ValueError) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} at column {err.colno}"
    return str(err)


def _json_kind(obj: Any) -> str:
    if isinstance(obj, list):
        return "an array"
    if isinstance(obj, str):
        return "a string"
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return "a boolean"
    return "a number"


_WS = re.compile(r"\s*")
_LIST_KEYS = ("jobs", "data", "results", "items", "postings", "job_postings", "records",
              "entries", "hits", "positions", "vacancies")


def _read_json(path: Path, encoding: str) -> Iterator[Row]:
    with open_text(path, encoding) as fh:
        head = fh.read(4096)
        first = head.lstrip()[:1]
        fh.seek(0)
        if first == "[":
            yield from _iter_json_array(fh)
            return
    if first == "":
        return
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise FileTooLargeError(
            f"{path.name}: a JSON object over {MAX_DOCUMENT_BYTES // (1 << 20)} MB; "
            "use a JSON array or JSON lines"
        )
    with open_text(path, encoding) as fh:
        text = fh.read()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data":  # one object per line under a .json name
            yield from _read_jsonl(path, encoding)
            return
        raise UnreadableFileError(f"{path.name}: invalid JSON ({_json_reason(err)}, "
                                  f"line {err.lineno})") from err
    if isinstance(doc, dict):
        for key in _LIST_KEYS:
            inner = next((v for k, v in doc.items() if column_key(k) == key), None)
            if isinstance(inner, list):
                for n, item in enumerate(inner, start=1):
                    yield n, _object_or_error(item)
                return
        yield 1, doc
        return
    raise UnreadableFileError(f"{path.name}: expected a JSON array or object, "
                              f"got {_json_kind(doc)}")


def _object_or_error(item: Any) -> dict[str, Any] | ImportRowError:
    if isinstance(item, dict):
        return item
    return ImportRowError(f"not a JSON object (got {_json_kind(item)})")


def _iter_json_array(fh: IO[str]) -> Iterator[Row]:
    """Elements of a top-level JSON array, decoded one at a time from a growing buffer."""
    decoder = json.JSONDecoder()
    buf, pos, eof = "", 0, False

    def fill() -> None:
        nonlocal buf, pos, eof
        block = fh.read(READ_BLOCK)
        if not block:
            eof = True
        buf, pos = buf[pos:] + block, 0

    def skip_ws() -> None:
        nonlocal pos
        while True:
            m = _WS.match(buf, pos)
            pos = m.end() if m else pos
            if pos < len(buf) or eof:
                return
            fill()

    fill()
    skip_ws()
    if buf[pos:pos + 1] != "[":
        raise UnreadableFileError("invalid JSON: expected an array")
    pos += 1
    n = 0
    while True:
        skip_ws()
        if pos >= len(buf):
            yield n + 1, ImportRowError("invalid JSON: the array is not closed (truncated file?)")
            return
        if buf[pos] == "]":
            return
        if n > 0:
            if buf[pos] != ",":
                yield n + 1, ImportRowError(
                    f"invalid JSON: expected ',' or ']' after element {n}; rest of file skipped")
                return
            pos += 1
            skip_ws()
        n += 1
        while True:
            try:
                obj, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as err:
                if not eof and len(buf) - pos < MAX_ROW_CHARS:
                    fill()
                    continue
                reason = ("element too large" if not eof else _json_reason(err))
                yield n, ImportRowError(f"invalid JSON: {reason}; rest of file skipped")
                return
            if end >= len(buf) and not eof:  # a number may continue in the next block
                fill()
                continue
            break
        pos = end
        yield n, _object_or_error(obj)


def _sniff_dialect(sample: str, suffix: str) -> type[csv.Dialect] | csv.Dialect:
    header = sample.split("\n", 1)[0]
    if suffix in {".tsv", ".tab"}:
        return csv.excel_tab
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        if dialect.delimiter in header:
            dialect.doublequote = True  # exports escape quotes by doubling them
            return dialect
    except csv.Error:
        pass
    counts = {d: header.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return csv.excel

    class _Guessed(csv.excel):
        delimiter = best

    return _Guessed


def _read_csv(path: Path, encoding: str, *, count_only: bool = False) -> Iterator[Row]:
    if csv.field_size_limit() < MAX_ROW_CHARS:
        csv.field_size_limit(MAX_ROW_CHARS)
    with open_text(path, encoding) as fh:
        sample = fh.read(64 * 1024)
        fh.seek(0)
        if not sample.strip():
            return
        reader = csv.reader(fh, _sniff_dialect(sample, path.suffix.lower()))
        header: list[str] | None = None
        prev_line = 0
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                if reader.line_num == prev_line:  # the reader did not advance: give up
                    yield start, ImportRowError(f"invalid CSV: {err}; rest of file skipped")
                    return
                prev_line = reader.line_num
                yield start, ImportRowError(f"invalid CSV: {err}")
                continue
            prev_line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if count_only:
                yield start, {}
                continue
            row = {h: v for h, v in zip(header, cells, strict=False) if h}
            yield start, row
