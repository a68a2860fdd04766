"""Titles in CVs: anonymised placeholders, role lines near a date, the headline, prose titles.

Real resume collections replace employers and places with placeholders ("Company Name",
"City , State"); those are never a title, company or location. PDF text also leaves filler lines
("//", a stray dash or mojibake) between an entry's date and its title. The helpers here let the
entry parser skip both, find a role title a few lines from the date, read an upper-case first line
as the headline ("SENIOR HR GENERALIST"), and pick up a title said in prose ("I have worked as a
nurse manager for ...").
"""

from __future__ import annotations

import re
from collections.abc import Callable

#: Parts that only stand in for an anonymised employer or place.
_PLACEHOLDER_PART = re.compile(
    r"^(?:company name|company|employer name|city|state|country|city\s*,?\s*state"
    r"(?:\s*,?\s*country)?|location)$",
    re.IGNORECASE,
)
#: Placeholders inside a longer line: cut there so the rest splits into real parts.
_PLACEHOLDER_INLINE = re.compile(r"\bCompany Name\b|\bCity\s*,\s*State\b|\bCity\s+State\b")
_HAS_ALNUM = re.compile(r"[A-Za-z0-9]")
_WORD = re.compile(r"[A-Za-z][A-Za-z'&./+-]*")
_DIGITS = re.compile(r"\d")


def cut_placeholders(text: str) -> str:
    """`text` with inline placeholders replaced by a part separator."""
    if "Company Name" not in text and "City" not in text:
        return text
    return _PLACEHOLDER_INLINE.sub(" | ", text)


def is_placeholder(part: str) -> bool:
    return _PLACEHOLDER_PART.match(part.strip(" ,;:|-")) is not None


def is_filler_line(line: str) -> bool:
    """A line that carries nothing for an entry header: blank, punctuation or mojibake only
    ("//", "ï¼", "â€“"), or nothing but placeholders."""
    s = line.strip()
    if not s:
        return True
    if not _HAS_ALNUM.search(s) or (len(s) <= 3 and not s.isascii()):
        return True
    pieces = [p for p in re.split(r"\s*[,|/]\s*|\s{2,}", cut_placeholders(s)) if p.strip(" |")]
    return all(is_placeholder(p) for p in pieces)


def is_headline_caps(line: str) -> bool:
    """An upper-case line that reads as a job title rather than a name: "ACCOUNTANT",
    "SENIOR HR GENERALIST", "DIRECTOR OF MARKETING, COMMUNICATIONS AND IT"."""
    s = line.strip()
    if not s or len(s) > 80 or _DIGITS.search(s) or "@" in s:
        return False
    words = _WORD.findall(s)
    if not words or len(words) > 10:
        return False
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters if c.isascii())


_TITLE_CASE_WORD = re.compile(r"^(?:[A-Z][\w'&./+-]*|of|and|the|for|to|in|&|/|-|[IVX]+)$")


def looks_like_title(line: str, role_words: re.Pattern[str]) -> bool:
    """A short line shaped like a role title: a role word, no sentence punctuation."""
    s = line.strip()
    if not s or len(s) > 70 or s.endswith((".", ";", ":")) or _DIGITS.search(s):
        return False
    words = s.split()
    if len(words) > 8:
        return False
    if role_words.search(s) is None:
        return False
    return all(_TITLE_CASE_WORD.match(w) for w in words) or s.isupper()


#: "worked as a nurse manager", "I am a certified accountant", "served as Senior Buyer".
_PROSE_TITLE = re.compile(
    r"\b(?:work(?:ed|ing)|serv(?:ed|ing)|employed|hired|promoted|experience)\s+as\s+(?:an?\s+|the\s+)?"
    r"(?P<title>[A-Za-z][A-Za-z/&-]*(?:\s+[A-Za-z][A-Za-z/&-]*){0,4})",
    re.IGNORECASE,
)
_PROSE_STOP = re.compile(
    r"\s+(?:for|at|with|in|from|since|during|where|and|who|to|on|of\s+(?:a|an|the))\b.*$",
    re.IGNORECASE,
)


def titles_in_prose(text: str, role_words: re.Pattern[str], limit: int = 3) -> list[str]:
    """Role titles named in sentences ("I have worked as a nurse manager for ten years")."""
    out: list[str] = []
    if " as " not in text:
        return out
    for m in _PROSE_TITLE.finditer(text):
        title = _PROSE_STOP.sub("", m.group("title")).strip(" ,.;:-")
        words = title.split()
        # the title ends at its role word ("nurse manager", not "nurse manager responsible")
        last = max((i for i, w in enumerate(words) if role_words.fullmatch(w)), default=-1)
        if last < 0:
            continue
        title = " ".join(words[: last + 1])
        if title.casefold() not in {t.casefold() for t in out}:
            out.append(title)
        if len(out) >= limit:
            break
    return out


def caps_headline(
    header_lines: list[str], role_words: re.Pattern[str], names_skill: Callable[[str], bool]
) -> str | None:
    """The first header line when it is an upper-case job title ("ACCOUNTANT", "SENIOR HR
    GENERALIST"): it holds a role word, names a skill or field ("CONSTRUCTION MANGER III"), or
    is one word (a name has two or more)."""
    first = next((ln.strip() for ln in header_lines if ln.strip()), None)
    if first is None or not is_headline_caps(first):
        return None
    if role_words.search(first) or len(first.split()) == 1 or _FIELD_WORDS.search(first) \
            or names_skill(first.title()):
        return first
    return None


#: Fields of work a title names without a role word ("SALES SUPPORT", "IT MANAGEMENT"); no
#: one's name is made of these.
_FIELD_WORDS = re.compile(
    r"\b(?:sales|marketing|management|engineering|accounting|accounts|finance|financial|"
    r"banking|construction|operations|support|administration|administrative|design|"
    r"development|technology|it|hr|human resources|healthcare|health|education|nursing|"
    r"consulting|maintenance|logistics|security|research|production|manufacturing|aviation|"
    r"agriculture|hospitality|retail|legal|media|communications|relations|services?|"
    r"customer|business|project|program|quality|safety|payroll|insurance|real estate|"
    r"culinary|fitness|teaching|warehouse|transportation|procurement|purchasing|clinical)\b",
    re.IGNORECASE,
)


#: "position as a Staff Accountant", "the position of Claims Representative I".
_POSITION_AS = re.compile(
    r"\b(?:position|role|job|career|employment|post)\s+(?:as|of)\s+(?:an?\s+|the\s+)?"
    r"(?P<role>[A-Za-z][A-Za-z/&-]*(?:\s+(?:[A-Za-z][A-Za-z/&-]*|I{1,3}|IV)){0,5})",
    re.IGNORECASE,
)
_ROLE_TAIL = re.compile(
    r"\s+(?:where|with|within|in|at|that|which|who|for|to|and\s+(?:to|utili[sz]e|use)|"
    r"while|utili[sz]ing|using|so)\b.*$",
    re.IGNORECASE,
)


def objective_roles(line: str, role_words: re.Pattern[str]) -> list[str]:
    """Roles named in an objective line: "Seeking a position as a Staff Accountant where..."."""
    out: list[str] = []
    for m in _POSITION_AS.finditer(line):
        role = _ROLE_TAIL.sub("", m.group("role")).strip(" ,.;:-")
        if role and role_words.search(role):
            out.append(role)
    return out


def plausible_title(title: str, role_words: re.Pattern[str]) -> bool:
    """False for what the entry parser took as a title but reads as prose: a sentence fragment
    ("retain key associates in local market"), a long clause, a line starting with punctuation.
    An honest None beats a wrong title."""
    s = title.strip()
    words = s.split()
    if not words or len(words) > 10 or not s[0].isalnum():
        return False
    if s[0].islower() and len(words) > 3:
        return False
    if role_words.search(s):
        return True
    return len(words) <= 6 and all(_TITLE_CASE_WORD.match(w) for w in words)


def plausible_company(company: str) -> bool:
    """False for a sentence taken as the employer ("and similarly in economic downturn for
    ..."): it starts in lower case, runs past eight words, or ends like a sentence."""
    s = company.strip()
    words = s.split()
    if not words or len(words) > 8 or s[0].islower() or s.endswith(";"):
        return False
    return not (s.endswith(".") and words[-1][0].islower())  # "Acme Inc." is fine


_EMPLOYMENT_PREFIX = re.compile(
    r"^(?:(?:full|part)[- ]time|prn|per diem|entry[- ]level|temporary|permanent|seasonal|"
    r"contract)\s+", re.IGNORECASE,
)


def split_roles(roles: list[str]) -> list[str]:
    """"fashion designer or creative director" -> two roles; "part time or prn generalist" ->
    "generalist" (employment terms are not roles)."""
    out: list[str] = []
    for role in roles:
        for piece in re.split(r"\s+or\s+", role):
            piece = _EMPLOYMENT_PREFIX.sub("", piece.strip())
            piece = _EMPLOYMENT_PREFIX.sub("", piece)
            if piece and not _EMPLOYMENT_PREFIX.match(piece + " "):
                out.append(piece)
    return out
