"""Layout repairs for CV text extracted from PDFs, done without moving any offset.

PDF extraction often breaks one visual line into several: a date range comes out as
``"01/2012\\nto\\n05/2015"`` and an anonymised place as ``"City\\n,\\nState"``. The parser reads
lines, so these pieces are glued back by turning the line breaks between them into spaces. Every
repair replaces characters one for one, so offsets into the repaired text are offsets into the
input and spans need no mapping.
"""

from __future__ import annotations

import re

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DATE = rf"(?:{_MONTH}\.?,?[ ]?{_YEAR}|\d{{1,2}}[/.-]{_YEAR}|{_YEAR}(?:[/.-]\d{{1,2}})?)"
_NOW = r"(?:present|current(?:ly)?|now|today|to date|date|ongoing)"
#: Separators, including the mojibake PDF text has for dashes ("â€“", "ï¼" from a full-width
#: dash read in the wrong code page).
_MOJIBAKE_SEP = ("â€“", "â€”", "ï¼")
_SEP = r"(?:to|until|till|through|thru|-|–|—|~|â€“|â€”|ï¼)"

#: "DATE\nto\nDATE", "DATE to\nDATE", "DATE\nto DATE", "DATE -\nPresent" (each part alone on
#: its line, spaces around allowed).
_SPLIT_RANGE = re.compile(
    rf"^[ ]*{_DATE}[ ]*(?:\n[ ]*{_SEP}[ ]*\n|[ ]+{_SEP}[ ]*\n|\n[ ]*{_SEP}[ ]+)"
    rf"[ ]*(?:{_DATE}|{_NOW})[ ]*$",
    re.IGNORECASE | re.MULTILINE,
)
#: A line holding only a comma between two short lines: "City\n,\nState".
_LONE_COMMA = re.compile(r"(?<=[^\n])\n[ ]*,[ ]*\n(?=[^\n])")


def _spaces_for_breaks(m: re.Match[str]) -> str:
    out = m.group(0).replace("\n", " ")
    for junk in _MOJIBAKE_SEP:
        if junk in out:  # same length: "-" and spaces
            out = out.replace(junk, "-".center(len(junk)))
    return out


def join_split_lines(text: str) -> str:
    """`text` with split date ranges and "City , State" pieces on one line each; same length
    and the same characters except for the line breaks turned into spaces (and a mojibake dash
    between two dates turned into a plain one)."""
    if "\n" not in text:
        return text
    out = _SPLIT_RANGE.sub(_spaces_for_breaks, text)
    if "\n," in out:
        out = _LONE_COMMA.sub(_spaces_for_breaks, out)
    return out
