"""Text extraction from files (PDF, DOCX, TXT, MD) and text normalisation.

Every public function either returns non-empty text or raises a ``JobfitError``
subclass whose message is safe to show a user (it never quotes the document). The size limit is
checked before anything is read or parsed, and what a document may unpack to is bounded
(``DocumentLimits``: uncompressed size, compression ratio and member count of a DOCX archive,
checked from its directory before python-docx opens it; PDF pages, decompressed stream size and
extracted text length), so a zip or page bomb under the file size limit is refused with
``DocumentTooLargeError`` instead of eating memory. pypdf and python-docx are imported lazily so
that the CLI starts fast.

The modules: ``files`` (``extract_text``, ``extract_text_from_bytes``: type, size, reader),
``limits`` (``DocumentLimits``), ``pdf_reader`` and ``docx_reader`` (one reader each),
``normalise`` (``normalise_text``, ``cells_to_pipes``, ``analysed_prefix``), ``offsets``
(``normalise_with_offsets`` and the ``OffsetMap`` that maps spans back to the caller's text)
and ``gates`` (``gate_text`` / ``gate_open``, substring gates in front of regexes;
``word_start_pattern``, a case-insensitive pattern that skips impossible start positions).
"""

from tools.parsing.text.files import SUPPORTED_EXTENSIONS, extract_text, extract_text_from_bytes
from tools.parsing.text.gates import gate_open, gate_text, word_start_pattern
from tools.parsing.text.limits import DEFAULT_LIMITS, DEFAULT_MAX_BYTES, DocumentLimits
from tools.parsing.text.normalise import (
    MAX_PARSE_CHARS,
    analysed_prefix,
    cells_to_pipes,
    normalise_text,
    normalise_with_offsets,
)
from tools.parsing.text.offsets import OffsetMap, chain_maps, remap_spans, scan_map

__all__ = [
    "DEFAULT_LIMITS",
    "DEFAULT_MAX_BYTES",
    "MAX_PARSE_CHARS",
    "SUPPORTED_EXTENSIONS",
    "DocumentLimits",
    "OffsetMap",
    "analysed_prefix",
    "cells_to_pipes",
    "chain_maps",
    "extract_text",
    "extract_text_from_bytes",
    "gate_open",
    "gate_text",
    "normalise_text",
    "normalise_with_offsets",
    "remap_spans",
    "scan_map",
    "word_start_pattern",
]
