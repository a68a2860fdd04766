"""Reading a pile of CVs at once: a folder, a ZIP archive, many uploaded files, or a JSONL.

Every file goes through the same extraction, limits and errors as a single CV
(:func:`tools.parsing.text.extract_text_from_bytes`). One bad file never stops the batch: each
input yields either a :class:`CandidateFile` or a :class:`FileFailure` with a user-safe reason.

A ZIP archive is read in memory, never extracted to disk, and is checked from its directory
before any member is decompressed (:class:`ArchiveLimits`): number of members, each member's
and the total uncompressed size, the compression ratio, and member names (absolute paths and
``..`` are refused, as are encrypted members and archives inside the archive). A member's
declared size is not trusted: it is read at most one byte past the limit.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from tools.errors import JobfitError
from tools.parsing.text import (
    DEFAULT_LIMITS,
    DEFAULT_MAX_BYTES,
    SUPPORTED_EXTENSIONS,
    DocumentLimits,
    extract_text_from_bytes,
)


@dataclass(frozen=True)
class ArchiveLimits:
    """What a ZIP of CVs may hold; beyond any of these the archive is refused as a whole."""

    #: Entries in the archive's directory (files and folders).
    max_members: int = 5_000
    #: Sum of the members' uncompressed sizes.
    max_total_bytes: int = 1024 * 1024 * 1024
    #: Uncompressed / compressed size of a member of at least ``ratio_min_bytes``.
    max_ratio: float = 100.0
    ratio_min_bytes: int = 1024 * 1024


DEFAULT_ARCHIVE_LIMITS = ArchiveLimits()


@dataclass(frozen=True)
class CandidateFile:
    """One CV's text and where it came from (a file name, a path in a ZIP, or a JSONL id)."""

    name: str
    text: str


@dataclass(frozen=True)
class FileFailure:
    """An input that could not be read, and why (safe to show: never quotes the document)."""

    name: str
    reason: str


ReadResult = CandidateFile | FileFailure


class ArchiveError(JobfitError):
    """The ZIP archive as a whole is refused (corrupt, or beyond ``ArchiveLimits``)."""


def read_upload(name: str, data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES,
                limits: DocumentLimits = DEFAULT_LIMITS) -> ReadResult:
    """One uploaded file's text, or why it could not be read."""
    try:
        return CandidateFile(name, extract_text_from_bytes(data, name, max_bytes=max_bytes,
                                                           limits=limits))
    except JobfitError as exc:
        return FileFailure(name, str(exc))


def read_uploads(files: Iterable[tuple[str, bytes]], *, max_bytes: int = DEFAULT_MAX_BYTES,
                 limits: DocumentLimits = DEFAULT_LIMITS,
                 archive: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) -> Iterator[ReadResult]:
    """Uploaded files (name, bytes): CVs, and ZIP archives of CVs, in order."""
    for name, data in files:
        if name.lower().endswith(".zip"):
            try:
                yield from read_zip_bytes(data, name=name, max_bytes=max_bytes, limits=limits,
                                          archive=archive)
            except ArchiveError as exc:
                yield FileFailure(name, str(exc))
        else:
            yield read_upload(name, data, max_bytes=max_bytes, limits=limits)


def read_folder(folder: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                limits: DocumentLimits = DEFAULT_LIMITS) -> Iterator[ReadResult]:
    """Every file under ``folder`` (recursively, sorted, hidden files and links skipped)."""
    for item in list_folder(folder):
        if isinstance(item, FileFailure):
            yield item
        else:
            yield read_file(*item, max_bytes=max_bytes, limits=limits)


def list_folder(folder: Path) -> list[tuple[str, Path] | FileFailure]:
    """The files :func:`read_folder` reads, as (name, path), sorted; links are failures.
    Reading them one by one with :func:`read_file` gives the same results (in parallel)."""
    paths = sorted(p for p in folder.rglob("*")
                   if not any(part.startswith(".") for part in p.relative_to(folder).parts))
    out: list[tuple[str, Path] | FileFailure] = []
    for path in paths:
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            out.append(FileFailure(name, f"{name} is a link; links are not followed."))
        elif path.is_file():
            out.append((name, path))
    return out


def read_file(name: str, path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
              limits: DocumentLimits = DEFAULT_LIMITS) -> ReadResult:
    """One CV file's text, or why it could not be read."""
    if SUPPORTED_EXTENSIONS.get(path.suffix.lower()) is None:
        return FileFailure(name, _unsupported(name))
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return FileFailure(name, f"{name} is {_mb(size)}; the limit is {_mb(max_bytes)}.")
        data = path.read_bytes()
    except OSError:
        return FileFailure(name, f"Could not read {name}.")
    return read_upload(name, data, max_bytes=max_bytes, limits=limits)


def read_zip(path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
             limits: DocumentLimits = DEFAULT_LIMITS,
             archive: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) -> Iterator[ReadResult]:
    """The CVs in a ZIP file (see the module doc). Raises ArchiveError for the whole archive."""
    try:
        handle = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ArchiveError(f"{path.name} is not a readable ZIP archive.") from None
    with handle:
        yield from _members(handle, path.name, max_bytes, limits, archive)


def read_zip_bytes(data: bytes, *, name: str, max_bytes: int = DEFAULT_MAX_BYTES,
                   limits: DocumentLimits = DEFAULT_LIMITS,
                   archive: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) -> Iterator[ReadResult]:
    import io

    try:
        handle = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ArchiveError(f"{name} is not a readable ZIP archive.") from None
    with handle:
        yield from _members(handle, name, max_bytes, limits, archive)


def _members(handle: zipfile.ZipFile, archive_name: str, max_bytes: int,
             limits: DocumentLimits, archive: ArchiveLimits) -> Iterator[ReadResult]:
    infos = handle.infolist()
    if len(infos) > archive.max_members:
        raise ArchiveError(f"{archive_name} has {len(infos):,} entries; the limit is "
                           f"{archive.max_members:,}.")
    total = sum(i.file_size for i in infos)
    if total > archive.max_total_bytes:
        raise ArchiveError(f"{archive_name} unpacks to {_mb(total)}; the limit is "
                           f"{_mb(archive.max_total_bytes)}.")
    for info in sorted(infos, key=lambda i: i.filename):
        if info.is_dir():
            continue
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            yield FileFailure(name, f"{name}: unsafe path in the archive (absolute or '..').")
            continue
        if any(p.startswith(".") or p == "__MACOSX" for p in parts):
            continue
        if info.flag_bits & 0x1:
            yield FileFailure(name, f"{name} is encrypted.")
            continue
        if name.lower().endswith(".zip"):
            yield FileFailure(name, f"{name}: archives inside the archive are not read.")
            continue
        if SUPPORTED_EXTENSIONS.get(PurePosixPath(name).suffix.lower()) is None:
            yield FileFailure(name, _unsupported(name))
            continue
        if info.file_size > max_bytes:
            yield FileFailure(name, f"{name} is {_mb(info.file_size)}; the limit is "
                                    f"{_mb(max_bytes)}.")
            continue
        if (info.file_size >= archive.ratio_min_bytes
                and info.file_size > archive.max_ratio * max(info.compress_size, 1)):
            ratio = info.file_size / max(info.compress_size, 1)
            yield FileFailure(name, f"{name} compresses {ratio:,.0f} to 1 (limit "
                                    f"{archive.max_ratio:,.0f}): refused as a zip bomb.")
            continue
        try:
            with handle.open(info) as fh:
                data = fh.read(max_bytes + 1)  # the declared size may lie
        except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, EOFError):
            yield FileFailure(name, f"{name} could not be decompressed (corrupt archive member).")
            continue
        if len(data) > max_bytes:
            yield FileFailure(name, f"{name} unpacks past the limit of {_mb(max_bytes)}.")
            continue
        yield read_upload(name, data, max_bytes=max_bytes, limits=limits)


def read_jsonl_rows(rows: Iterable[dict[str, str]]) -> Iterator[ReadResult]:
    """Validated ``{"id", "text"}`` rows (the caller checked the JSON): blank texts fail."""
    for row in rows:
        text = row["text"]
        if not text.strip():
            yield FileFailure(row["id"], f"{row['id']}: the text is empty.")
        else:
            yield CandidateFile(row["id"], text)


def read_source(source: Path, *, max_bytes: int = DEFAULT_MAX_BYTES,
                limits: DocumentLimits = DEFAULT_LIMITS,
                archive: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS) -> Iterator[ReadResult]:
    """A folder, a ZIP, or a single CV file (JSONL is read by the caller's line reader)."""
    if source.is_dir():
        yield from read_folder(source, max_bytes=max_bytes, limits=limits)
    elif source.suffix.lower() == ".zip":
        yield from read_zip(source, max_bytes=max_bytes, limits=limits, archive=archive)
    elif source.suffix.lower() == ".jsonl":
        raise ArchiveError(f"{source.name}: read JSONL with its line reader.")
    else:
        try:
            data = source.read_bytes() if source.stat().st_size <= max_bytes else None
        except OSError:
            yield FileFailure(source.name, f"Could not read {source.name}.")
            return
        if data is None:
            yield FileFailure(source.name, f"{source.name} is larger than {_mb(max_bytes)}.")
            return
        yield read_upload(source.name, data, max_bytes=max_bytes, limits=limits)


def parse_jsonl_bytes(data: bytes, name: str) -> list[dict[str, str]]:
    """Rows of an uploaded JSONL of ``{"id", "text"}``; a malformed line raises with its number."""
    from tools.errors import InvalidInputError

    rows = []
    for n, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except (json.JSONDecodeError, RecursionError):
            raise InvalidInputError(f"{name}:{n}: invalid JSON") from None
        if not isinstance(obj, dict) or not isinstance(obj.get("id"), str) \
                or not isinstance(obj.get("text"), str):
            raise InvalidInputError(f"{name}:{n}: expected {{\"id\": str, \"text\": str}}")
        rows.append({"id": obj["id"], "text": obj["text"]})
    return rows


def _unsupported(name: str) -> str:
    kinds = ", ".join(sorted({e.lstrip(".").upper() for e in SUPPORTED_EXTENSIONS}))
    return f"{name}: not a CV file jobfit reads ({kinds})."


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"
