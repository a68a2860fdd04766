"""Section headings in CVs and job postings.

A heading is a short line whose text (after stripping decoration such as ``#``, ``**``, ``==``,
bullets, a trailing colon, and letter-spacing like ``E X P E R I E N C E``) matches a known
variant, case-insensitively. ``Skills: Python, SQL`` is an *inline* heading: the section starts
after the colon on the same line. Everything is offset-based so callers can map any character of
the (normalised) text back to the section it sits in.

Text before the first heading belongs to the pseudo-section ``"header"``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

HEADER = "header"

CV_HEADINGS: dict[str, tuple[str, ...]] = {
    "summary": (
        "summary", "professional summary", "career summary", "executive summary", "profile",
        "professional profile", "personal profile", "career profile", "about me", "about",
        "objective", "career objective", "personal statement", "overview", "introduction",
        "summary of qualifications", "executive profile", "career overview",
        "executive summary profile",
    ),
    "experience": (
        "experience", "work experience", "professional experience", "employment history",
        "employment", "career history", "work history", "relevant experience",
        "experience history", "professional background", "career", "positions held",
        "clinical experience", "teaching experience", "industry experience",
    ),
    "skills": (
        "skills", "technical skills", "core competencies", "competencies", "tech stack",
        "key skills", "core skills", "skills and tools", "skills and technologies",
        "technologies", "tools", "tools and technologies", "areas of expertise", "expertise",
        "skill set", "skillset", "professional skills", "relevant skills", "hard skills",
        "soft skills", "programming languages", "languages and frameworks", "languages and tools",
        "technical proficiencies", "software", "it skills", "digital skills", "strengths",
        "skills summary", "clinical skills", "marketing skills", "highlights", "skill highlights",
        "core qualifications", "key qualifications", "qualifications summary",
    ),
    "education": (
        "education", "academic background", "education and training", "qualifications",
        "academic qualifications", "educational background", "training", "academics",
        "education history",
    ),
    "certifications": (
        "certifications", "certification", "certificates", "licenses", "licences",
        "licenses and certifications", "licences and certifications",
        "certifications and licenses", "certifications and licences", "accreditations",
        "professional certifications", "courses", "courses and certifications",
        "professional development", "registrations",
    ),
    "languages": ("languages", "spoken languages", "language skills", "foreign languages"),
    "projects": (
        "projects", "personal projects", "side projects", "selected projects", "key projects",
        "portfolio", "open source", "open source contributions",
    ),
    "volunteering": ("volunteering", "volunteer experience", "volunteer work", "community"),
    "awards": ("awards", "honours", "honors", "achievements", "awards and honours",
               "awards and honors", "key achievements", "accomplishments",
               "core accomplishments", "key accomplishments"),
    "publications": ("publications", "papers", "talks", "publications and talks"),
    "interests": ("interests", "hobbies", "hobbies and interests", "outside work"),
    "references": ("references", "referees"),
    "contact": ("contact", "contact details", "contact information", "personal details",
                "personal information"),
    "additional": ("additional information", "other", "misc", "miscellaneous", "affiliations",
                   "professional affiliations", "memberships", "professional memberships"),
}

JOB_HEADINGS: dict[str, tuple[str, ...]] = {
    "requirements": (
        "requirements", "requirement", "job requirements", "key requirements",
        "must have", "must haves", "must-have", "must-haves", "must have skills",
        "what you bring", "what you will bring", "what you'll bring", "what you bring to the team",
        "qualifications", "required qualifications", "minimum qualifications",
        "basic qualifications", "essential qualifications", "essential", "essential criteria",
        "essential skills", "you have", "you will have", "you'll have", "you should have",
        "what you have", "what you need", "what you'll need", "what you will need",
        "what we're looking for", "what we are looking for", "who you are",
        "we are looking for", "we're looking for", "about you", "your profile",
        "required skills", "skills", "skills and experience", "skills and qualifications",
        "experience and skills", "the ideal candidate", "ideal candidate", "your skills",
        "your experience", "requirements and qualifications", "person specification",
    ),
    "preferred": (
        "nice to have", "nice to haves", "nice-to-have", "nice-to-haves", "preferred",
        "preferred qualifications", "preferred skills", "preferred experience", "bonus",
        "bonus points", "bonus points if", "bonus points if you have", "plus", "pluses",
        "a plus", "desirable", "desirable criteria", "desired", "desired qualifications",
        "desired skills", "good to have", "extra credit", "it would be great if",
        "it would be great if you have", "even better if", "even better if you have",
        "ideally", "ideally you have", "what would be nice", "would be a plus",
        "additional qualifications", "optional",
    ),
    "responsibilities": (
        "responsibilities", "key responsibilities", "main responsibilities",
        "your responsibilities", "what you'll do", "what you will do", "what you'll be doing",
        "what you will be doing", "duties", "key duties", "main duties", "your role",
        "in this role", "in this role you will", "day to day",
        "day-to-day", "your day to day", "your mission", "what the job involves",
        "your impact", "the job", "tasks", "your tasks", "accountabilities",
    ),
    "description": (
        "description", "job description", "the role", "role", "about the role", "about the job",
        "about the position", "overview", "role overview", "position overview", "summary",
        "job summary", "position summary", "the opportunity", "opportunity",
    ),
    "about": (
        "about us", "about the company", "who we are", "company", "about the team",
        "the team", "our team", "company overview", "our mission", "our story",
    ),
    "benefits": (
        "benefits", "perks", "perks and benefits", "benefits and perks", "what we offer",
        "we offer", "why join us", "why us", "why work with us", "compensation",
        "compensation and benefits", "salary and benefits", "what's in it for you",
        "what you get", "what you'll get", "package", "salary",
    ),
    "application": (
        "how to apply", "application process", "to apply", "apply", "next steps",
        "equal opportunity", "equal opportunity employer", "eeo statement", "diversity",
        "interview process",
    ),
}

#: Sections that may start inline ("Skills: Python, Go"); "Company: Acme" or "Salary: …" are
#: header fields of a posting, not headings.
CV_INLINE: frozenset[str] = frozenset(CV_HEADINGS) - {"contact", "additional"}
JOB_INLINE: frozenset[str] = frozenset({"requirements", "preferred", "responsibilities"})

MAX_HEADING_CHARS = 60
_ABOUT_COMPANY = re.compile(r"^About\s+(?:[A-Z0-9][\w&'.-]*\s*){1,4}$")

_DECOR_LEFT = re.compile(r"^[\s#*=_~>|•·▪■◆●○◦‣⁃–—\-]+")
_DECOR_RIGHT = re.compile(r"[\s#*=_~|:：–—\-]+$")
_SPACED = re.compile(r"^(?:[A-Za-z&]\s+){2,}[A-Za-z&]$")
_WS = re.compile(r"\s+")
_NON_KEY = re.compile(r"[^a-z0-9'+ ]+")
_SPACES = re.compile(r" +")
_LINE = re.compile(r"[^\n]*")


def heading_key(text: str) -> str:
    """Lower-case comparison key: ``'&'``→``and``, curly quotes and punctuation dropped."""
    if text.startswith("\0"):
        return "\0" + text[1:].lower().replace("&", "and")
    text = text.lower().replace("’", "'").replace("&", " and ").replace("/", " and ")
    text = _NON_KEY.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def _build_index(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    index: dict[str, str] = {}
    for name, variants in table.items():
        for variant in variants:
            index.setdefault(heading_key(variant), name)
    # letter-spaced headings lose their word breaks ("K E Y   S K I L L S" -> "keyskills")
    for name, variants in table.items():
        for variant in variants:
            index.setdefault("\0" + heading_key(variant).replace(" ", ""), name)
    return index


_INDEXES: dict[int, dict[str, str]] = {}


def _index_for(table: Mapping[str, tuple[str, ...]]) -> dict[str, str]:
    index = _INDEXES.get(id(table))
    if index is None:
        index = _INDEXES[id(table)] = _build_index(table)
    return index


@dataclass(frozen=True)
class Heading:
    """A recognised heading on one line."""

    name: str  # canonical section name
    text: str  # the heading as written (decoration stripped)
    line_start: int  # offset of the line in the text
    body_start: int  # where the section's content starts (after the line, or after the colon)


@dataclass(frozen=True)
class Section:
    name: str  # canonical name or "header"
    heading: str | None
    start: int  # offset of the heading line (or 0 for the header)
    body_start: int
    end: int  # exclusive


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    """(offset, line) for every line of `text`, without the newline."""
    pos = 0
    n = len(text)
    while pos <= n:
        nl = text.find("\n", pos)
        if nl == -1:
            yield pos, text[pos:]
            return
        yield pos, text[pos:nl]
        pos = nl + 1


def _clean_heading(line: str) -> str:
    core = _DECOR_RIGHT.sub("", _DECOR_LEFT.sub("", line))
    core = core.strip()
    if _SPACED.match(core):  # "E X P E R I E N C E"
        core = "\0" + _WS.sub("", core)
    return core


def _inline_for(table: Mapping[str, tuple[str, ...]]) -> frozenset[str]:
    if table is JOB_HEADINGS:
        return JOB_INLINE
    if table is CV_HEADINGS:
        return CV_INLINE
    return frozenset(table)


def match_heading(
    line: str, table: Mapping[str, tuple[str, ...]] = CV_HEADINGS
) -> tuple[str, str, int] | None:
    """Recognise `line` as a heading: (name, heading text, body offset within the line).

    The body offset is ``len(line)`` for a heading on its own line, or the position just after
    the colon for an inline heading (``"Technical Skills: Python, Go"``).
    """
    if len(line) <= 120 and (table is CV_HEADINGS or table is JOB_HEADINGS):
        return _match_cached(line, table is JOB_HEADINGS)
    return _match_heading(line, table)


@lru_cache(maxsize=8192)
def _match_cached(line: str, job: bool) -> tuple[str, str, int] | None:
    return _match_heading(line, JOB_HEADINGS if job else CV_HEADINGS)


def _match_heading(
    line: str, table: Mapping[str, tuple[str, ...]]
) -> tuple[str, str, int] | None:
    stripped = line.strip()
    if not stripped or len(stripped) > 400:
        return None
    index = _index_for(table)
    if len(stripped) <= MAX_HEADING_CHARS:
        core = _clean_heading(stripped)
        if core and len(core) <= MAX_HEADING_CHARS:
            name = index.get(heading_key(core))
            if name is not None:
                return name, core.lstrip("\0"), len(line)
            # "Requirements (must have)", "Experience — 10 years"
            paren = core.find("(")
            if paren > 0:
                name = index.get(heading_key(core[:paren]))
                if name is not None:
                    return name, core, len(line)
            # "About Northstar Freight" in a posting: the company blurb
            if table is JOB_HEADINGS and _ABOUT_COMPANY.match(core):
                return "about", core, len(line)
    colon = stripped.find(":")
    if 0 < colon <= MAX_HEADING_CHARS:
        head = _clean_heading(stripped[:colon])
        name = index.get(heading_key(head)) if head else None
        if name is not None and name in _inline_for(table):
            body = line.find(":") + 1
            return name, head, body
    return None


#: Optional veto over an *inline* heading: accept(name, rest_of_line) -> keep it as a heading?
InlineFilter = Callable[[str, str], bool]


def find_headings(
    text: str,
    table: Mapping[str, tuple[str, ...]] = CV_HEADINGS,
    *,
    accept_inline: InlineFilter | None = None,
) -> list[Heading]:
    """Every heading line in `text`, in order."""
    out: list[Heading] = []
    for offset, line in iter_lines(text):
        hit = match_heading(line, table)
        if hit is None:
            continue
        name, head, body = hit
        if body < len(line) and accept_inline is not None and not accept_inline(name, line[body:]):
            continue
        out.append(Heading(name=name, text=head, line_start=offset, body_start=offset + body))
    return out


def split_sections(
    text: str,
    table: Mapping[str, tuple[str, ...]] = CV_HEADINGS,
    *,
    accept_inline: InlineFilter | None = None,
) -> list[Section]:
    """Cut `text` into sections at recognised headings; the first is always ``header``."""
    headings = find_headings(text, table, accept_inline=accept_inline)
    sections: list[Section] = []
    first = headings[0].line_start if headings else len(text)
    sections.append(Section(HEADER, None, 0, 0, first))
    for i, h in enumerate(headings):
        end = headings[i + 1].line_start if i + 1 < len(headings) else len(text)
        sections.append(Section(h.name, h.text, h.line_start, h.body_start, end))
    return sections


class SectionMap:
    """Which section an offset falls in (binary search over section starts)."""

    def __init__(self, sections: list[Section]) -> None:
        self.sections = sections
        self._starts = [s.start for s in sections]

    def at(self, offset: int) -> Section:
        i = bisect.bisect_right(self._starts, offset) - 1
        return self.sections[max(i, 0)]

    def name_at(self, offset: int) -> str:
        return self.at(offset).name

    def names(self) -> list[str]:
        """Recognised section names in order of first appearance (``header`` excluded)."""
        seen: list[str] = []
        for s in self.sections:
            if s.name != HEADER and s.name not in seen:
                seen.append(s.name)
        return seen

    def has(self, name: str) -> bool:
        return any(s.name == name for s in self.sections)

    def bodies(self, name: str) -> list[Section]:
        return [s for s in self.sections if s.name == name]
