"""Text extraction (real PDF / DOCX files built on the fly) and normalisation."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tools.errors import (
    EmptyDocumentError,
    FileTooLargeError,
    JobfitError,
    UnreadableFileError,
    UnsupportedFileTypeError,
)
from tools.parsing.text import (
    DEFAULT_MAX_BYTES,
    extract_text,
    extract_text_from_bytes,
    normalise_text,
)

# --------------------------------------------------------------------------- builders


def make_pdf(lines: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=12)
    for line in lines:
        pdf.cell(0, 10, line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def make_multipage_pdf(pages: list[str]) -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.cell(0, 10, text)
    return bytes(pdf.output())


def make_image_pdf() -> bytes:
    """A 'scanned' page: one raster image and no text layer."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(img).text((10, 10), "Jane Doe - Python developer", fill="black")
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(buf, x=10, y=10, w=180)
    return bytes(pdf.output())


def make_blank_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    return bytes(pdf.output())


def make_encrypted_pdf(user_password: str = "hunter2") -> bytes:
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(make_pdf(["Secret CV text"])))
    writer = PdfWriter()
    for page in reader.pages:
        writer.add_page(page)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def make_docx(with_table: bool = True, header: str | None = None, footer: str | None = None
              ) -> bytes:
    import docx

    d = docx.Document()
    d.add_heading("Jane Doe", level=1)
    d.add_paragraph("Senior Python developer in Berlin")
    d.add_paragraph("Built data pipelines with Airflow", style="List Bullet")
    if with_table:
        table = d.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Skills"
        table.cell(0, 1).text = "Kubernetes, Terraform"
        table.cell(1, 0).text = "Languages"
        table.cell(1, 1).text = "German, English"
    d.add_paragraph("References on request")
    if header:
        d.sections[0].header.paragraphs[0].text = header
    if footer:
        d.sections[0].footer.paragraphs[0].text = footer
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --------------------------------------------------------------------------- PDF


def test_pdf_text_extracted(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.pdf", make_pdf(["Jane Doe", "Python, SQL, Docker", "Berlin"]))
    text = extract_text(p)
    assert "Jane Doe" in text
    assert "Python, SQL, Docker" in text
    assert "Berlin" in text
    assert text == text.strip()


def test_pdf_multiple_pages(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.pdf", make_multipage_pdf(["Page one text", "Page two text"]))
    text = extract_text(p)
    assert text.index("Page one") < text.index("Page two")


def test_pdf_from_bytes_and_str_path(tmp_path: Path) -> None:
    data = make_pdf(["Hello PDF"])
    assert "Hello PDF" in extract_text_from_bytes(data, "upload.PDF")
    p = write(tmp_path, "x.pdf", data)
    assert "Hello PDF" in extract_text(str(p))


@pytest.mark.parametrize("builder", [make_image_pdf, make_blank_pdf])
def test_scanned_pdf_raises_empty_document(tmp_path: Path, builder) -> None:
    p = write(tmp_path, "scan.pdf", builder())
    with pytest.raises(EmptyDocumentError) as info:
        extract_text(p)
    msg = str(info.value)
    assert "scanned" in msg
    assert "text-based PDF" in msg and "DOCX" in msg


def test_corrupt_pdf_raises_unreadable(tmp_path: Path) -> None:
    p = write(tmp_path, "bad.pdf", b"%PDF-1.7\n" + b"\x00garbage\xff" * 50)
    with pytest.raises((UnreadableFileError, EmptyDocumentError)):
        extract_text(p)


def test_truncated_pdf_raises_jobfit_error(tmp_path: Path) -> None:
    data = make_pdf(["Some text"])
    p = write(tmp_path, "trunc.pdf", data[: len(data) // 3])
    with pytest.raises(JobfitError):
        extract_text(p)


def test_non_pdf_with_pdf_extension(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.pdf", b"just some plain text pretending")
    with pytest.raises(UnreadableFileError) as info:
        extract_text(p)
    assert "pretending" not in str(info.value)


def test_docx_renamed_to_pdf(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.pdf", make_docx())
    with pytest.raises(UnreadableFileError):
        extract_text(p)


def test_encrypted_pdf_raises_unreadable(tmp_path: Path) -> None:
    p = write(tmp_path, "locked.pdf", make_encrypted_pdf())
    with pytest.raises(UnreadableFileError) as info:
        extract_text(p)
    assert "password" in str(info.value)
    assert "Secret" not in str(info.value)


def test_pdf_encrypted_with_empty_user_password_is_read() -> None:
    # permissions-only protection: readers open these without asking for a password
    assert "Secret CV text" in extract_text_from_bytes(make_encrypted_pdf(""), "cv.pdf")


# --------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_and_table(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.docx", make_docx())
    text = extract_text(p)
    assert "Jane Doe" in text
    assert "Built data pipelines with Airflow" in text
    assert "Skills | Kubernetes, Terraform" in text
    assert "Languages | German, English" in text
    # document order kept: table sits between the bullet and the closing paragraph
    assert text.index("Airflow") < text.index("Kubernetes") < text.index("References")


def test_docx_header_and_footer(tmp_path: Path) -> None:
    data = make_docx(header="jane@example.com | +49 30 1234", footer="Page footer note")
    text = extract_text_from_bytes(data, "cv.docx")
    assert text.startswith("jane@example.com")
    assert text.rstrip().endswith("Page footer note")


def test_docx_layout_table_with_multiline_cells() -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=1, cols=2)
    left = t.cell(0, 0)
    left.text = "EXPERIENCE"
    left.add_paragraph("Acme Corp 2019 - 2023")
    right = t.cell(0, 1)
    right.text = "SKILLS"
    right.add_paragraph("Go, Rust")
    buf = io.BytesIO()
    d.save(buf)
    text = extract_text_from_bytes(buf.getvalue(), "cv.docx")
    lines = text.splitlines()
    assert "EXPERIENCE" in lines and "Acme Corp 2019 - 2023" in lines
    assert "SKILLS" in lines and "Go, Rust" in lines


def test_docx_merged_cells_not_repeated() -> None:
    import docx

    d = docx.Document()
    t = d.add_table(rows=1, cols=3)
    merged = t.cell(0, 0).merge(t.cell(0, 1))
    merged.text = "Wide cell"
    t.cell(0, 2).text = "Right"
    buf = io.BytesIO()
    d.save(buf)
    text = extract_text_from_bytes(buf.getvalue(), "cv.docx")
    assert text.count("Wide cell") == 1
    assert "Wide cell | Right" in text


def test_docx_nested_table() -> None:
    import docx

    d = docx.Document()
    outer = d.add_table(rows=1, cols=1)
    inner = outer.cell(0, 0).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "Inner A"
    inner.cell(0, 1).text = "Inner B"
    buf = io.BytesIO()
    d.save(buf)
    text = extract_text_from_bytes(buf.getvalue(), "cv.docx")
    assert text.count("Inner A") == 1 and "Inner B" in text


def test_empty_docx_raises_empty() -> None:
    import docx

    buf = io.BytesIO()
    docx.Document().save(buf)
    with pytest.raises(EmptyDocumentError):
        extract_text_from_bytes(buf.getvalue(), "empty.docx")


def test_corrupt_docx(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.docx", b"PK\x03\x04 this is not really a zip archive")
    with pytest.raises(UnreadableFileError):
        extract_text(p)


def test_pdf_renamed_to_docx(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.docx", make_pdf(["Hello"]))
    with pytest.raises(UnreadableFileError):
        extract_text(p)


def test_zip_that_is_not_docx() -> None:
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(UnreadableFileError):
        extract_text_from_bytes(buf.getvalue(), "cv.docx")


# --------------------------------------------------------------------------- TXT / MD


def test_txt_utf8(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.txt", "Zoë Müller\r\nPython • SQL\n".encode())
    # as written (newlines unified), so parser offsets index the user's own file
    assert extract_text(p) == "Zoë Müller\nPython • SQL\n"


def test_txt_utf8_bom(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.txt", "\ufeffJosé García".encode())
    assert extract_text(p) == "José García"


def test_txt_cp1252_fallback(tmp_path: Path) -> None:
    raw = "Salary \u201cnegotiable\u201d \u2013 \u20ac50k caf\u00e9"
    p = write(tmp_path, "cv.txt", raw.encode("cp1252"))
    assert extract_text(p) == raw


def test_txt_latin1_fallback() -> None:
    data = "na\u00efve r\u00e9sum\u00e9".encode("latin-1") + b"\x81"  # 0x81 undefined in cp1252
    text = extract_text_from_bytes(data, "cv.txt")
    assert text.startswith("na\u00efve r\u00e9sum\u00e9")


def test_txt_utf16() -> None:
    assert extract_text_from_bytes("Hello CV".encode("utf-16"), "cv.txt") == "Hello CV"


def test_md_file(tmp_path: Path) -> None:
    p = write(tmp_path, "cv.md", b"# Jane\n\n* Python\n* Go\n\n\n\n\nEnd")
    assert extract_text(p) == "# Jane\n\n* Python\n* Go\n\n\n\n\nEnd"


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"\xef\xbb\xbf \n"])
def test_empty_txt_raises(content: bytes) -> None:
    with pytest.raises(EmptyDocumentError):
        extract_text_from_bytes(content, "cv.txt")


def test_binary_with_txt_extension() -> None:
    with pytest.raises(UnreadableFileError):
        extract_text_from_bytes(b"\x00\x01\x02binary\x00", "cv.txt")
    with pytest.raises(UnreadableFileError):
        extract_text_from_bytes(make_pdf(["x"]), "cv.txt")


# --------------------------------------------------------------------------- limits & types


def test_too_large_checked_before_reading(tmp_path: Path, monkeypatch) -> None:
    p = write(tmp_path, "big.txt", b"x" * 2048)

    def boom(self):  # pragma: no cover - must not be called
        raise AssertionError("file was read")

    monkeypatch.setattr(Path, "read_bytes", boom)
    with pytest.raises(FileTooLargeError) as info:
        extract_text(p, max_bytes=1024)
    msg = str(info.value)
    assert "2048" in msg and "1024" in msg


def test_too_large_bytes() -> None:
    with pytest.raises(FileTooLargeError) as info:
        extract_text_from_bytes(b"a" * 101, "cv.pdf", max_bytes=100)
    assert "101" in str(info.value) and "100" in str(info.value)


def test_exactly_at_limit_is_fine() -> None:
    assert extract_text_from_bytes(b"a" * 100, "cv.txt", max_bytes=100) == "a" * 100


def test_default_limit_is_ten_mb() -> None:
    assert DEFAULT_MAX_BYTES == 10 * 1024 * 1024


@pytest.mark.parametrize("name", ["cv.doc", "cv.rtf", "cv.odt", "cv", "photo.png", "cv.pdf.exe"])
def test_unsupported_extension(tmp_path: Path, name: str) -> None:
    with pytest.raises(UnsupportedFileTypeError):
        extract_text_from_bytes(b"hello", name)
    p = write(tmp_path, name, b"hello")
    with pytest.raises(UnsupportedFileTypeError):
        extract_text(p)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError):
        extract_text(tmp_path / "nope.pdf")


def test_directory_is_unreadable(tmp_path: Path) -> None:
    d = tmp_path / "folder.txt"
    d.mkdir()
    with pytest.raises(UnreadableFileError):
        extract_text(d)


def test_errors_do_not_leak_content() -> None:
    secret = b"SSN 123-45-6789 private"
    for name in ("cv.pdf", "cv.docx"):
        with pytest.raises(JobfitError) as info:
            extract_text_from_bytes(secret, name)
        assert "123-45" not in str(info.value)


# --------------------------------------------------------------------------- normalise_text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\u2022 Python", "- Python"),
        ("\u25cf Go\n\u25aa Rust\n\u25e6 Java", "- Go\n- Rust\n- Java"),
        ("* item\n+ item\n- item", "- item\n- item\n- item"),
        ("\u2013 dash bullet", "- dash bullet"),
        ("\u2014 em bullet", "- em bullet"),
        ("   \u2022    indented", "- indented"),
        ("\u2022Python", "- Python"),
        ("\uf0b7 Word symbol bullet", "- Word symbol bullet"),
        ("\u27a2 arrow", "- arrow"),
        ("**bold** text", "**bold** text"),
        ("-5 degrees", "-5 degrees"),
        ("Python \u2022 Java", "Python \u2022 Java"),
        ("2018 \u2013 2021", "2018 - 2021"),
        ("\u201cquoted\u201d and \u2018single\u2019", "\"quoted\" and 'single'"),
        ("a\u00a0b\u202fc", "a b c"),
        ("zero\u200bwidth\ufeff", "zerowidth"),
        ("soft\u00adhyphen", "softhyphen"),
        ("a\x00b\x07c\x1bd", "abcd"),
        ("tab\tseparated", "tab separated"),
        ("many     spaces", "many spaces"),
        ("line1\r\nline2\rline3", "line1\nline2\nline3"),
        ("a\n\n\n\n\nb", "a\n\nb"),
        ("trailing   \n  leading", "trailing\nleading"),
        ("\ufb01nance o\ufb03ce", "finance office"),
        ("Cafe\u0301", "Caf\u00e9"),
        ("page\x0cbreak", "page\nbreak"),
        ("icon\ue001 phone", "icon phone"),
        ("", ""),
        ("   \n  ", ""),
    ],
)
def test_normalise_text(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_normalise_keeps_lines() -> None:
    raw = "EXPERIENCE\nAcme \u2013 Engineer\n\n\u2022 Built things\n\u2022 Shipped"
    assert normalise_text(raw) == "EXPERIENCE\nAcme - Engineer\n\n- Built things\n- Shipped"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_normalise_never_crashes_and_is_idempotent(s: str) -> None:
    out = normalise_text(s)
    assert isinstance(out, str)
    assert "\n\n\n" not in out
    assert "  " not in out
    assert normalise_text(out) == out


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=2000), st.sampled_from(["a.txt", "a.md", "a.pdf", "a.docx"]))
def test_extract_from_arbitrary_bytes_only_raises_jobfit_errors(data: bytes, name: str) -> None:
    try:
        out = extract_text_from_bytes(data, name)
    except JobfitError:
        return
    assert out.strip()
