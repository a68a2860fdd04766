"""DOCX text (python-docx, imported lazily): body, tables, text boxes, headers and footers;
the archive's directory is checked against ``DocumentLimits`` before it is opened."""

from __future__ import annotations

import io
import logging
import zipfile
from typing import Any

from tools.errors import DocumentTooLargeError, UnreadableFileError
from tools.parsing.stuffing import hidden_docx_text
from tools.parsing.text.limits import DEFAULT_LIMITS, DocumentLimits, human_size, too_large

logger = logging.getLogger(__name__)


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
                raise too_large(name, f"the DOCX archive holds {len(members):,} files, the "
                                 f"limit is {limits.max_zip_members:,}")
            total = sum(info.file_size for info in members)
            if total > limits.max_uncompressed_bytes:
                raise too_large(name, f"the DOCX unpacks to {human_size(total)}, the limit is "
                                 f"{human_size(limits.max_uncompressed_bytes)}")
            for info in members:
                if (info.file_size >= limits.ratio_min_bytes and info.file_size
                        > limits.max_compression_ratio * max(info.compress_size, 1)):
                    ratio = info.file_size / max(info.compress_size, 1)
                    raise too_large(
                        name, f"a part of the DOCX archive is compressed {ratio:,.0f} to 1 "
                        f"({human_size(info.file_size)} unpacked), the limit is "
                        f"{limits.max_compression_ratio:,.0f} to 1")
            tags = xml_bytes = 0
            for info in members:
                if not info.is_dir():
                    n_tags, n_bytes = _xml_size(archive, info)
                    tags, xml_bytes = tags + n_tags, xml_bytes + n_bytes
            if xml_bytes > limits.max_xml_bytes:
                raise too_large(name, f"the DOCX holds {human_size(xml_bytes)} of XML, the limit "
                                 f"is {human_size(limits.max_xml_bytes)}")
            if tags > limits.max_xml_tags:
                raise too_large(name, f"the DOCX holds {tags:,} XML tags, the limit is "
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


def docx_text(data: bytes, name: str, limits: DocumentLimits = DEFAULT_LIMITS) -> str:
    """The text of a DOCX file, its archive checked against `limits` first."""
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
        raise too_large(name, f"its text is {len(text):,} characters long, the limit is "
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
