"""DOCX export of a tailored Markdown CV (python-docx): an adapter outside the pure core."""

from __future__ import annotations

import io
import re
from typing import Any

from tools.parsing.cv import DATE_RANGE_RE

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def to_docx(markdown: str) -> bytes:
    """A clean .docx from tailored Markdown: headings, bullets, bold; the first line (the
    name) as the title and entry lines with dates in bold."""
    import docx  # lazy: python-docx is only needed for the export

    document = docx.Document()
    ids: dict[str, str] = {}

    def styled(text: str, style: str) -> Any:
        # set the style id on the XML: the public setter looks the style up on every call,
        # which makes a two-page CV take ~0.3 s
        if style not in ids:
            ids[style] = document.styles[style].style_id
        para = document.add_paragraph()
        para._p.style = ids[style]
        if text:
            _add_runs(para, text)
        return para

    first = True
    for raw in markdown.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        if m:
            level = min(len(m.group(1)) - 1, 9)
            styled(_BOLD.sub(r"\1", m.group(2)).strip(), f"Heading {level}" if level else "Title")
            first = False
            continue
        b = re.match(r"^\s*[-*+]\s+(.*)$", line)
        if b:
            styled(b.group(1), "List Bullet")
            first = False
            continue
        if first and len(line) <= 80:
            styled(_BOLD.sub(r"\1", line).strip(), "Title")
            first = False
            continue
        first = False
        para = document.add_paragraph()
        _add_runs(para, line.strip(), bold=DATE_RANGE_RE.search(line) is not None)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _add_runs(para: Any, text: str, *, bold: bool = False) -> None:
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            para.add_run(text[pos:m.start()]).bold = bold or None
        para.add_run(m.group(1)).bold = True
        pos = m.end()
    if pos < len(text):
        para.add_run(text[pos:]).bold = bold or None
