"""Messages of a ``jobfit chat`` session read from a pipe.

A script is one message per line (``printf 'find python jobs\\nshow my matches\\n' | jobfit
chat``), with ``\"\"\"``-fenced blocks for multi-line messages. But a CV or a posting piped in
whole (``jobfit chat < cv.txt``) is a document: read line by line, its lines would run as
commands ("Applied machine learning to ..." marks a job applied, "Location: Berlin" changes a
preference, a line about GDPR starts a deletion dialogue). :func:`split_messages` therefore
looks at the whole input first: when it reads like a document (section headings, bullets, date
ranges, contact details, paragraphs of prose) and not like a script (commands, questions), the
whole input is ONE message, which the chat treats as a pasted CV or posting.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MULTILINE = '"""'

_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣]|\d{1,2}[.)])\s+\S")
_DATE_RANGE = re.compile(
    r"\b(?:19|20)\d\d\s*(?:-|–|—|to|until)\s*(?:(?:19|20)\d\d|present|current|now|today)\b",
    re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
_PHONE = re.compile(r"\+?\d[\d ()./-]{7,}\d")
_QUESTION = re.compile(r"\?\s*$")
#: Lines a chat script is made of: short requests and answers.
_CHAT_LINE = re.compile(
    r"^(?:hi|hello|hey|yes|no|ok|thanks|show|find|search|what|how|which|why|tailor|compare"
    r"|explain|list|give|tell|i applied|i'm interested|dismiss|delete|forget|block|set|only"
    r"|change|update|help|more)\b", re.IGNORECASE)


def _heading(line: str) -> float:
    from tools.parsing.sections import CV_HEADINGS, JOB_HEADINGS, match_heading

    stripped = line.strip()
    for table in (CV_HEADINGS, JOB_HEADINGS):
        found = match_heading(stripped, table)
        if found is not None:
            return 1.0 if found[2] >= len(stripped) else 0.5
    return 0.0


def looks_like_document(text: str) -> bool:
    """Whether a piped input is one document (a CV, a posting) rather than a chat script."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2 or any(ln.strip() == MULTILINE for ln in lines):
        return False  # one line, or a script that marks its multi-line messages itself
    commands = sum(1 for ln in lines if ln.lstrip().startswith("/"))
    if len(lines) < 4:  # a short text: a document when one of its lines is a paragraph
        return commands == 0 and any(len(ln) > 300 for ln in lines)
    chat = sum(1 for ln in lines if _QUESTION.search(ln) or (
        len(ln) <= 80 and _CHAT_LINE.match(ln.strip()) and not _BULLET.match(ln)))
    headings = sum(_heading(ln) for ln in lines)
    doc = (headings
           + 0.5 * sum(1 for ln in lines if _BULLET.match(ln))
           + min(3, len(_DATE_RANGE.findall(text)))
           + (2 if _EMAIL.search(text) else 0) + (1 if _PHONE.search(text) else 0)
           + sum(1 for ln in lines if len(ln) > 160)
           + (1 if re.search(r"\n\s*\n", text.strip()) else 0))
    script = 2 * commands + chat
    if headings >= 2 and doc >= 4 and commands == 0:
        return True
    return doc >= 4 and doc > 1.5 * script


def read_fenced(lines: Iterable[str]) -> str:
    """The lines up to the closing \"\"\" of a fenced block (the opening one already read)."""
    block: list[str] = []
    for line in lines:
        if line.strip() == MULTILINE:
            break
        block.append(line.rstrip("\n"))
    return "\n".join(block).strip()


def split_messages(text: str) -> list[str]:
    """The messages of a piped input: the whole input when it is a document, else one per
    line (empty lines skipped) with ``\"\"\"``-fenced blocks as one message each."""
    if looks_like_document(text):
        return [text.strip()]
    out: list[str] = []
    lines = iter(text.splitlines())
    for line in lines:
        message = read_fenced(lines) if line.strip() == MULTILINE else line.strip()
        if message:
            out.append(message)
    return out
