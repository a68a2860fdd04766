"""HTML descriptions as plain text, leaving out what a reader does not see."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

_HTML_HINT = re.compile(r"<\s*/?\s*(?:p|br|li|ul|ol|div|span|strong|b|em|i|h[1-6]|a|table|tr|td)"
                        r"\b[^>]*>", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "tr", "table", "section", "article", "header", "footer", "hr"})
_SKIP_TAGS = frozenset({"script", "style", "head"})


_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source",
                        "area", "base", "embed", "param", "track"})


class _TextFromHtml(HTMLParser):
    """Text of HTML, leaving out what a reader does not see: scripts and styles, and elements
    hidden by style or attribute (``tools.parsing.stuffing.hidden_html_element``: hidden
    keyword blocks are a stuffing trick)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._open: list[str] = []  # open elements, innermost last
        self._hidden_at: list[int] = []  # depths of open hidden elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        from tools.parsing.stuffing import hidden_html_element

        if tag not in _VOID_TAGS:
            self._open.append(tag)
            if hidden_html_element(tag, attrs):
                self._hidden_at.append(len(self._open))
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:  # close it and anything left open inside it
            while self._open:
                if self._hidden_at and self._hidden_at[-1] >= len(self._open):
                    self._hidden_at.pop()
                if self._open.pop() == tag:
                    break
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._hidden_at:
            self.parts.append(data)


_MANY_NEWLINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment: block tags become line breaks, list items bullets."""
    parser = _TextFromHtml()
    try:
        parser.feed(value)
        parser.close()
    except Exception:  # HTMLParser is lenient; never let markup stop an import
        return html.unescape(re.sub(r"<[^>]+>", " ", value))
    text = "".join(parser.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def maybe_html(value: Any) -> Any:
    """A string (or each string of a list) as plain text when it looks like HTML."""
    if isinstance(value, str) and _HTML_HINT.search(value):
        return html_to_text(value)
    if isinstance(value, list):
        return [maybe_html(v) for v in value]
    return value
