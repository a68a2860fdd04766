"""What a document may be and unpack to before it is read, and the errors that say so."""

from __future__ import annotations

from dataclasses import dataclass

from tools.errors import DocumentTooLargeError, FileTooLargeError

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


def check_size(size: int, max_bytes: int) -> None:
    """Raise FileTooLargeError when `size` exceeds `max_bytes`."""
    if size > max_bytes:
        raise FileTooLargeError(
            f"The file is too large ({human_size(size)}, {size} bytes); the limit is "
            f"{human_size(max_bytes)} ({max_bytes} bytes)."
        )


def human_size(n: int) -> str:
    """A byte count as shown to users ("1.5 MB")."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n} B"


def too_large(name: str, detail: str) -> DocumentTooLargeError:
    """`detail` says which limit and what the file had (no document content)."""
    return DocumentTooLargeError(
        f"{name} was not read: {detail}. Please upload a smaller document."
    )
