"""Blind screening: a CV's text with who the person is taken out, before anything is scored.

A recruiter ranking a pool must not rank by name, gender, age or address, and must not see
them until they open a candidate. :func:`neutral_text` removes or neutralises, in the text the
engine reads:

- the person's name (as the CV parser found it) wherever it is written, e-mail addresses, web
  links and the phone number;
- lines that state personal facts: date or place of birth, age, gender or sex, pronouns,
  marital status, children, nationality, religion, photo, and street-address lines;
- third-person pronouns (he / she / him / her / his / hers ...) become they / their, and
  titles (Mr, Mrs, Ms, Miss, Mx) are dropped.

The same CV with another name, another pronoun or another date of birth therefore has the same
neutral text, so the same score: the invariance is by construction and tested over many CVs.
City and country stay (the location factor compares them with the job's place); a street
address does not.

:func:`blind_label` is the stable anonymous label a candidate is shown under until opened.
"""

from __future__ import annotations

import hashlib
import re

from tools.parsing.cv import EMAIL_RE, URL_RE
from tools.schemas import PersonalInfo

#: A line that states a personal fact (the label at the start of the line, or of a segment).
_PERSONAL_LINE = re.compile(
    r"^[\W_]*(?:date\s+of\s+birth|d\.?\s?o\.?\s?b\b\.?|birth\s*date|birthday|born\b"
    r"|place\s+of\s+birth|age\s*[:\-–]|age\s+\d|gender\b|sex\s*[:\-–]|pronouns?\s*[:\-–]"
    r"|marital\s+status|civil\s+status|family\s+status|number\s+of\s+children"
    r"|nationality\b|citizenship\b|religion\b|photo\s*[:\-–]|picture\s*[:\-–]"
    r"|(?:home\s+|postal\s+|street\s+)?address\s*[:\-–]|post\s*code\s*[:\-–]"
    r"|zip\s*code\s*[:\-–])",
    re.IGNORECASE,
)
#: A segment that is only a gender or an age ("Female", "34 years old", "Age 34").
_DEMOGRAPHIC_SEGMENT = re.compile(
    r"^(?:male|female|man|woman|non-?binary|m|f|\d{2}\s*(?:years?\s*old|y/?o|yrs?))\.?$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"\s*[|•·]\s*")
_PRONOUNS = {
    # "her" is both "him" and "his": all three become "their", so any swap gives one text
    "he": "they", "she": "they", "him": "their", "his": "their", "hers": "theirs",
    "her": "their", "himself": "themself", "herself": "themself", "he's": "they're",
    "she's": "they're", "he'd": "they'd", "she'd": "they'd", "he'll": "they'll",
    "she'll": "they'll",
}
_PRONOUN_RE = re.compile(
    r"\b(?:" + "|".join(sorted((re.escape(p) for p in _PRONOUNS), key=len, reverse=True))
    + r")\b", re.IGNORECASE)
_TITLE_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\b\.?\s*")
_SPACES = re.compile(r"[ \t]{2,}")

#: What the name is replaced with in the neutral text.
NAME_PLACEHOLDER = "Candidate"


def _pronoun(m: re.Match[str]) -> str:
    word = m.group(0)
    out = _PRONOUNS[word.lower()]
    return out.capitalize() if word[0].isupper() else out


def neutral_text(text: str, personal: PersonalInfo | None = None) -> str:
    """``text`` with identity and demographic cues removed (see the module doc).

    ``personal`` is what the CV parser read from the same text (its name and phone are
    removed wherever they appear); without it only patterns are removed.
    """
    out = text
    if personal is not None and personal.name:
        parts = [re.escape(p) for p in personal.name.split()]
        if parts:
            out = re.sub(r"\b" + r"[\s,.]+".join(parts) + r"\b", NAME_PLACEHOLDER, out,
                         flags=re.IGNORECASE)
    if personal is not None and personal.phone:
        out = out.replace(personal.phone, " ")
    for link in personal.links if personal is not None else ():
        if link:
            out = out.replace(link, " ")
    out = EMAIL_RE.sub(" ", out)
    out = URL_RE.sub(" ", out)
    lines = []
    for line in out.split("\n"):
        segments = _SEPARATOR.split(line) if _SEPARATOR.search(line) else [line]
        kept = [seg for seg in segments
                if not _PERSONAL_LINE.match(seg) and not _DEMOGRAPHIC_SEGMENT.match(seg.strip())]
        if segments and not kept:
            continue
        line = " | ".join(seg.strip() for seg in kept if seg.strip()) if len(segments) > 1 \
            else kept[0]
        line = _TITLE_RE.sub("", line)
        line = _PRONOUN_RE.sub(_pronoun, line)
        lines.append(_SPACES.sub(" ", line).rstrip())
    return "\n".join(lines)


def blind_label(content_hash: str, digits: int = 6) -> str:
    """The anonymous, stable label of a candidate: "C-" and the first ``digits`` hex digits of
    its content hash (more digits when another candidate of the pool has the same label:
    :func:`unique_label`)."""
    return "C-" + content_hash[:digits]


def unique_label(content_hash: str, taken: set[str]) -> str:
    """The shortest label (6 hex digits or more) of ``content_hash`` not in ``taken``."""
    for digits in range(6, len(content_hash) + 1):
        label = blind_label(content_hash, digits)
        if label not in taken:
            return label
    return blind_label(content_hash, len(content_hash))


def text_hash(text: str) -> str:
    """sha256 hex of a CV's text with runs of white space folded (what a pool de-duplicates
    by: the same CV extracted twice with other line breaks is the same candidate)."""
    return hashlib.sha256(" ".join(text.split()).encode("utf-8", "surrogatepass")).hexdigest()
