"""Zip bombs and page bombs under the file size limit: refused before they eat memory or time.

Each bomb is built here (python-docx, then ``word/document.xml`` rewritten through zipfile; fpdf2
or a hand-written PDF) and read in a subprocess that reports the error, the seconds spent in
``extract_text`` and its peak RSS above the baseline (modules imported first), so the
measurement is not disturbed by the test process itself.
"""

from __future__ import annotations

import dataclasses
import io
import json
import random
import re
import subprocess
import sys
import zipfile
import zlib
from pathlib import Path

import pytest

from tools.errors import DocumentTooLargeError, FileTooLargeError, UnreadableFileError
from tools.parsing.text import DEFAULT_LIMITS, DocumentLimits, extract_text_from_bytes

ROOT = Path(__file__).resolve().parents[2]
MB = 1024 * 1024
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
HEAD = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="'
        + W_NS.encode() + b'"><w:body>')
TAIL = b"</w:body></w:document>"
WORDS = ("python java developer engineer team lead cloud aws docker kubernetes data sql api "
         "design backend frontend react testing agile product analyst").split()

MEASURE = """
import json, resource, sys, time
import docx, pypdf  # imported before the baseline
from tools.errors import JobfitError
from tools.parsing.text import extract_text
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
try:
    text = extract_text(sys.argv[1])
    out = {"ok": True, "chars": len(text)}
except JobfitError as exc:
    out = {"ok": False, "error": type(exc).__name__, "message": str(exc)}
out["seconds"] = time.perf_counter() - t0
out["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps(out))
"""


def measure(path: Path) -> dict[str, object]:
    """extract_text(path) in a fresh interpreter: error, seconds, peak RSS growth in MB."""
    proc = subprocess.run([sys.executable, "-c", MEASURE, str(path)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def docx_template() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe - Senior Python developer, Berlin")
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def rewrite_document(path: Path, write_body: object, *, level: int = 6) -> None:
    """A python-docx file whose word/document.xml is HEAD + write_body(fh) + TAIL, streamed."""
    src = zipfile.ZipFile(io.BytesIO(docx_template()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as out:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with out.open("word/document.xml", "w", force_zip64=True) as fh:
                    fh.write(HEAD)
                    write_body(fh)  # type: ignore[operator]
                    fh.write(TAIL)
            else:
                out.writestr(info, src.read(info))


def repeated(paragraph: bytes, total: int) -> object:
    def body(fh: io.RawIOBase) -> None:
        chunk = paragraph * max(1, MB // len(paragraph))
        for _ in range(total // len(chunk)):
            fh.write(chunk)
    return body


def noisy(paragraph: bytes, total: int, noise_every: int, seed: int = 7) -> object:
    """`paragraph` repeated, one paragraph of random words in every `noise_every`: compresses
    well, but under the ratio limit."""
    rng = random.Random(seed)

    def body(fh: io.RawIOBase) -> None:
        written = i = 0
        while written < total:
            if i % noise_every == 0:
                words = " ".join(rng.choice(WORDS) for _ in range(25))
                para = f"<w:p><w:r><w:t>{words}</w:t></w:r></w:p>".encode()
            else:
                para = paragraph
            fh.write(para)
            written += len(para)
            i += 1
    return body


PARA = b"<w:p><w:r><w:t>" + b"python developer " * 50 + b"</w:t></w:r></w:p>"


# --------------------------------------------------------------------------- DOCX


def test_a_1_gb_docx_is_refused_from_its_directory(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.docx"
    rewrite_document(bomb, repeated(PARA, 1024 * MB), level=1)
    assert bomb.stat().st_size < 10 * MB  # under the upload limit
    out = measure(bomb)
    assert out["error"] == "DocumentTooLargeError"
    assert re.search(r"unpacks to 102\d\.\d MB", str(out["message"]))
    assert "the limit is 50.0 MB" in str(out["message"])
    assert float(out["seconds"]) < 2.0  # type: ignore[arg-type]
    assert float(out["peak_mb"]) < 50  # type: ignore[arg-type]


def test_a_highly_compressed_part_under_the_size_limit_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "ratio.docx"
    rewrite_document(bomb, repeated(PARA, 40 * MB), level=9)
    out = measure(bomb)
    assert out["error"] == "DocumentTooLargeError"
    assert "compressed" in str(out["message"]) and "the limit is 100 to 1" in str(out["message"])
    assert float(out["seconds"]) < 2.0  # type: ignore[arg-type]
    assert float(out["peak_mb"]) < 50  # type: ignore[arg-type]


def test_dense_markup_under_the_ratio_is_refused_by_its_tag_count(tmp_path: Path) -> None:
    # 3 MB of empty paragraphs: about 500,000 XML elements, which cost python-docx 2 s and
    # 80 MB to walk (8 M of them: 40 s and 1.2 GB); random noise keeps the ratio under 100
    rng = random.Random(3)
    noise = b"<w:p><w:r><w:t>" + rng.randbytes(30_000).hex().encode() + b"</w:t></w:r></w:p>"

    def body(fh: io.RawIOBase) -> None:
        fh.write(noise)
        fh.write(b"<w:p/>" * (3 * MB // 6))

    bomb = tmp_path / "dense.docx"
    rewrite_document(bomb, body, level=9)
    info = zipfile.ZipFile(bomb).getinfo("word/document.xml")
    assert info.file_size / info.compress_size < 100
    out = measure(bomb)
    assert out["error"] == "DocumentTooLargeError"
    assert "XML tags, the limit is 250,000" in str(out["message"])
    assert float(out["seconds"]) < 2.0  # type: ignore[arg-type]
    assert float(out["peak_mb"]) < 50  # type: ignore[arg-type]


def test_much_xml_under_the_ratio_is_refused_before_parsing(tmp_path: Path) -> None:
    bomb = tmp_path / "xml.docx"
    rewrite_document(bomb, noisy(PARA, 12 * MB, noise_every=2), level=9)
    info = zipfile.ZipFile(bomb).getinfo("word/document.xml")
    assert info.file_size / info.compress_size < 100
    out = measure(bomb)
    assert out["error"] == "DocumentTooLargeError"
    assert "MB of XML, the limit is 10.0 MB" in str(out["message"])
    assert float(out["seconds"]) < 2.0  # type: ignore[arg-type]
    assert float(out["peak_mb"]) < 50  # type: ignore[arg-type]


def test_too_many_members() -> None:
    buf = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(docx_template()))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info))
        for i in range(2_500):
            out.writestr(f"customXml/bomb{i}.xml", b"<a/>")
    with pytest.raises(DocumentTooLargeError, match=r"holds 2,51\d files, the limit is 2,000"):
        extract_text_from_bytes(buf.getvalue(), "cv.docx")


def test_a_member_that_understates_its_size_is_not_inflated_past_it() -> None:
    # The checks trust the directory's sizes: zipfile stops at the declared size and the CRC
    # check then fails, so a lying member is a damaged file, not a bomb that got through.
    body = HEAD + PARA * (20 * MB // len(PARA)) + TAIL
    buf = io.BytesIO()
    src = zipfile.ZipFile(io.BytesIO(docx_template()))
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            out.writestr(info, body if info.filename == "word/document.xml" else src.read(info))
    data = bytearray(buf.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml")
    lie = (4_000).to_bytes(4, "little")
    data[info.header_offset + 22:info.header_offset + 26] = lie  # local header
    central = data.rfind(b"PK\x01\x02", 0, data.rfind(b"PK\x05\x06"))
    while central >= 0:  # the central directory entry naming word/document.xml
        name_len = int.from_bytes(data[central + 28:central + 30], "little")
        if data[central + 46:central + 46 + name_len] == b"word/document.xml":
            data[central + 24:central + 28] = lie
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("word/document.xml").file_size == 4_000
    with pytest.raises(UnreadableFileError, match="damaged"):
        extract_text_from_bytes(bytes(data), "cv.docx")


def test_text_length_limit_docx() -> None:
    import docx

    document = docx.Document()
    for _ in range(40):
        document.add_paragraph("Python developer with ten years of backend experience. " * 2)
    buf = io.BytesIO()
    document.save(buf)
    limits = DocumentLimits(max_text_chars=1_000)
    with pytest.raises(DocumentTooLargeError, match=r"characters long, the limit is 1,000"):
        extract_text_from_bytes(buf.getvalue(), "cv.docx", limits=limits)
    assert "Python developer" in extract_text_from_bytes(buf.getvalue(), "cv.docx")


def test_a_normal_docx_still_parses(tmp_path: Path) -> None:
    path = tmp_path / "cv.docx"
    path.write_bytes(docx_template())
    out = measure(path)
    assert out["ok"] is True and int(out["chars"]) > 20  # type: ignore[call-overload]


# --------------------------------------------------------------------------- PDF


def pages_pdf(n: int, text: str = "Python developer, page {i}") -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for i in range(n):
        pdf.add_page()
        pdf.cell(text=text.format(i=i))
    return bytes(pdf.output())


def raw_pdf(content: bytes, pages: int = 1) -> bytes:
    """A minimal PDF whose `pages` pages all draw one Flate-compressed content stream."""
    stream = zlib.compress(content, 9)
    kids = b" ".join(b"%d 0 R" % (6 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ] + [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         b"/Resources << /Font << /F1 5 0 R >> >> >>"] * pages
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_with_too_many_pages(tmp_path: Path) -> None:
    path = tmp_path / "pages.pdf"
    path.write_bytes(pages_pdf(1_000))
    out = measure(path)
    assert out["error"] == "DocumentTooLargeError"
    assert "it has 1,000 pages, the limit is 300" in str(out["message"])
    assert float(out["seconds"]) < 2.0  # type: ignore[arg-type]
    assert float(out["peak_mb"]) < 50  # type: ignore[arg-type]


def test_a_flate_bomb_content_stream(tmp_path: Path) -> None:
    path = tmp_path / "flate.pdf"
    path.write_bytes(raw_pdf(b"BT /F1 12 Tf 72 720 Td (python developer) Tj ET\n" * 4_000_000))
    assert path.stat().st_size < MB  # 190 MB of content
    out = measure(path)
    assert out["error"] == "DocumentTooLargeError"
    assert "too large to decode or parse" in str(out["message"])
    assert float(out["seconds"]) < 2.0  # type: ignore[arg-type]
    assert float(out["peak_mb"]) < 100  # type: ignore[arg-type]


def test_one_content_stream_drawn_by_every_page(tmp_path: Path) -> None:
    # 300 pages (the limit) sharing one 9 MB stream: took 6 s of parsing before the budget
    path = tmp_path / "shared.pdf"
    path.write_bytes(raw_pdf(b"0 0 m 1 1 l S\n" * (9 * MB // 14), pages=300))
    out = measure(path)
    assert out["error"] == "DocumentTooLargeError"
    assert "page content decompresses to more than the limit of 20.0 MB" in str(out["message"])
    assert float(out["seconds"]) < 2.0  # type: ignore[arg-type]
    assert float(out["peak_mb"]) < 100  # type: ignore[arg-type]


def test_text_length_limit_pdf() -> None:
    data = pages_pdf(20, "Python developer with ten years of backend experience {i}")
    with pytest.raises(DocumentTooLargeError, match=r"longer than the limit of 300 characters"):
        extract_text_from_bytes(data, "cv.pdf", limits=DocumentLimits(max_text_chars=300))
    text = extract_text_from_bytes(data, "cv.pdf")
    assert "Python developer" in text and "experience 19" in text


def test_a_normal_pdf_still_parses(tmp_path: Path) -> None:
    path = tmp_path / "cv.pdf"
    path.write_bytes(pages_pdf(3))
    out = measure(path)
    assert out["ok"] is True and int(out["chars"]) > 40  # type: ignore[call-overload]


# --------------------------------------------------------------------------- the limits


def test_limits_are_documented_defaults_and_errors_are_file_too_large() -> None:
    assert DEFAULT_LIMITS == DocumentLimits()
    assert dataclasses.asdict(DEFAULT_LIMITS) == {
        "max_uncompressed_bytes": 50 * MB, "max_compression_ratio": 100.0,
        "ratio_min_bytes": MB, "max_zip_members": 2_000, "max_xml_bytes": 10 * MB,
        "max_xml_tags": 250_000, "max_pdf_pages": 300, "max_pdf_stream_bytes": 10 * MB,
        "max_pdf_content_bytes": 20 * MB, "max_text_chars": 2_000_000,
    }
    with pytest.raises(dataclasses.FrozenInstanceError):
        DEFAULT_LIMITS.max_pdf_pages = 1  # type: ignore[misc]
    assert issubclass(DocumentTooLargeError, FileTooLargeError)
