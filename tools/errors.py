"""Errors whose message is safe to show a user (no CV text, no stack details)."""

from __future__ import annotations


class JobfitError(Exception):
    """Base class: ``str(err)`` is a short, user-safe explanation."""


class UnreadableFileError(JobfitError):
    """The file could not be opened or decoded (corrupt, wrong type, encrypted)."""


class EmptyDocumentError(JobfitError):
    """The document holds no extractable text (e.g. a scanned PDF)."""


class FileTooLargeError(JobfitError):
    """The file is larger than the configured limit; it was not read."""


class UnsupportedFileTypeError(JobfitError):
    """The file extension is not one jobfit can read."""


class InvalidInputError(JobfitError):
    """Input data is malformed (bad JSON line, missing field, invalid weights)."""


class DocumentTooLargeError(FileTooLargeError):
    """The document unpacks to more than a configured limit (uncompressed size, compression
    ratio, archive members, PDF pages, decompressed stream or text length): a zip or page
    bomb. It was not parsed; the message names the limit and what the file had."""
