"""PDF text (pypdf, imported lazily), bounded by ``DocumentLimits``."""

from __future__ import annotations

import io
import logging
from typing import Any

from tools.errors import JobfitError, UnreadableFileError
from tools.parsing.text.limits import DEFAULT_LIMITS, DocumentLimits, human_size, too_large

logger = logging.getLogger(__name__)


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


def pdf_text(data: bytes, name: str, limits: DocumentLimits = DEFAULT_LIMITS) -> str:
    """The text of a PDF file, within `limits`."""
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
            raise too_large(name, "a stream inside this PDF is too large to decode or parse "
                             f"(limits: {human_size(limits.max_pdf_stream_bytes)} decompressed, "
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
            raise too_large(name, f"it has {declared:,} pages, the limit is "
                             f"{limits.max_pdf_pages:,}")
        pages = list(reader.pages)
    except (JobfitError, LimitReachedError):
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many types on corrupt input
        logger.info("pdf could not be parsed", exc_info=True)
        raise UnreadableFileError(f"{name} could not be read; the PDF seems damaged.") from None
    if len(pages) > limits.max_pdf_pages:  # the declared /Count may understate the tree
        raise too_large(name, f"it has {len(pages):,} pages, the limit is "
                         f"{limits.max_pdf_pages:,}")
    chunks: list[str] = []
    failed = 0
    chars = content = 0
    for page in pages:
        # pages may share one content stream: the sum over pages bounds the parsing work
        content += _pdf_content_bytes(page)
        if content > limits.max_pdf_content_bytes:
            raise too_large(name, "its page content decompresses to more than the limit of "
                             f"{human_size(limits.max_pdf_content_bytes)}")
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
            raise too_large(name, "its text is longer than the limit of "
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
