"""What a CV says the candidate wants: work mode, salary expectation and target roles."""

from __future__ import annotations

import re

from tools.parsing.cv.patterns import EDGE_JUNK_RE, ROLE_WORDS
from tools.parsing.cv.titles import objective_roles, split_roles
from tools.parsing.salary import find_salary
from tools.schemas import RemotePreference, SalaryRange

_REMOTE_PREFS: tuple[tuple[RemotePreference, re.Pattern[str]], ...] = (
    ("any", re.compile(
        r"\b(?:willing to relocate|open to relocation|open to relocating|happy to relocate|"
        r"flexible (?:on|about) (?:location|work arrangements?)|open to any (?:work )?"
        r"(?:arrangement|setup|location)|remote,? hybrid,? or on-?site|any work arrangement)\b",
        re.IGNORECASE)),
    ("remote", re.compile(
        r"\b(?:open to remote|prefer(?:s|ring|ence for)? (?:fully )?remote|remote[- ]only|"
        r"seeking (?:a )?(?:fully )?remote|looking for (?:a )?(?:fully )?remote|"
        r"remote (?:work|roles?|positions?) preferred|fully remote preferred|"
        r"work(?:ing)? remotely preferred|available for remote)\b",
        re.IGNORECASE)),
    ("hybrid", re.compile(
        r"\b(?:prefer(?:s|ring|ence for)? (?:a )?hybrid|open to hybrid|hybrid preferred|"
        r"seeking (?:a )?hybrid|looking for (?:a )?hybrid|hybrid (?:work|roles?) preferred)\b",
        re.IGNORECASE)),
    ("onsite", re.compile(
        r"\b(?:prefer(?:s|ring|ence for)? (?:working )?on-?site|on-?site only|"
        r"prefer(?:s)? (?:to work )?in[- ](?:the )?office|office-based preferred)\b",
        re.IGNORECASE)),
)
_SALARY_CUE = re.compile(
    r"\b(?:salary|expect(?:ed|ation|ations|ing)|desired (?:compensation|pay|rate)|"
    r"day rate|hourly rate|target (?:compensation|salary|pay)|compensation)\b",
    re.IGNORECASE,
)
_ROLE_SEEK = re.compile(
    r"\b(?:seeking|looking for|targeting|pursuing|aiming for|hoping to (?:find|land)|"
    r"(?:to\s+)?(?:obtain|secure))\s+"
    r"(?:an?\s+|new\s+|my\s+first\s+|first\s+|the\s+)*"
    r"(?P<role>[A-Za-z][A-Za-z/&+.\- ]{2,60}?)\s+(?:roles?|positions?|jobs?|opportunit(?:y|ies)|"
    r"posts?)\b",
    re.IGNORECASE,
)
_ROLE_LIST = re.compile(
    r"\b(?:target(?:ed)? roles?|desired roles?|desired positions?|roles? sought|"
    r"open to roles?|looking for roles?|career goals?|target positions?)\s*(?:as|:)\s*"
    r"(?P<roles>[^\n]{2,200}?)(?=\.\s|\.?$|\n)",
    re.IGNORECASE,
)
_ROLE_BAD = re.compile(
    r"^(?:new|challenging|exciting|remote|hybrid|suitable|full[- ]time|part[- ]time)$",
    re.IGNORECASE,
)


def _lines_with(norm: str, triggers: tuple[str, ...]) -> list[tuple[int, str]]:
    """(line number, line) of the lines containing one of the lower-case `triggers`: a cheap
    substring gate so the phrase regexes only run where they can match."""
    lower = norm.lower()
    if not any(t in lower for t in triggers):
        return []
    out = []
    for i, (line, low) in enumerate(zip(norm.split("\n"), lower.split("\n"), strict=True)):
        if any(t in low for t in triggers):
            out.append((i, line))
    return out


_REMOTE_TRIGGERS: dict[str, tuple[str, ...]] = {
    "any": ("relocat", "flexible", "any "),
    "remote": ("remote",),
    "hybrid": ("hybrid",),
    "onsite": ("site", "office"),
}


def remote_preference(norm: str) -> RemotePreference | None:
    """The first preference phrase in the text wins (documented order, deterministic)."""
    best: tuple[tuple[int, int], RemotePreference] | None = None
    for mode, pattern in _REMOTE_PREFS:
        for i, line in _lines_with(norm, _REMOTE_TRIGGERS[mode]):
            m = pattern.search(line)
            if m is None:
                continue
            if best is None or (i, m.start()) < best[0]:
                best = ((i, m.start()), mode)
            break
    return best[1] if best else None


def salary_expectation(norm: str) -> SalaryRange | None:
    """The salary the CV asks for, from a line with a salary cue ("Salary expectation: ...")."""
    for _, line in _lines_with(norm, ("salary", "expect", "compensation", "rate", "pay")):
        if len(line) > 300 or not _SALARY_CUE.search(line):
            continue
        sal = find_salary(line)
        if sal is not None and (sal.min is not None or sal.max is not None):
            return sal
    return None


def desired_roles(norm: str) -> list[str]:
    """Roles the CV says the candidate is after ("Target roles: ...", "seeking a ... role")."""
    roles: list[str] = []

    def add(role: str) -> None:
        role = EDGE_JUNK_RE.sub("", role.strip())
        role = re.sub(r"^(?:a|an|the)\s+", "", role, flags=re.IGNORECASE)
        role = re.sub(r"\s+(?:roles?|positions?|jobs?)$", "", role, flags=re.IGNORECASE)
        if not role or len(role) > 60 or _ROLE_BAD.match(role):
            return
        if role.casefold() not in {r.casefold() for r in roles}:
            roles.append(role)

    for _, line in _lines_with(norm, ("role", "position", "goal")):
        for m in _ROLE_LIST.finditer(line):
            for piece in re.split(r"\s*(?:,|;|/|\bor\b|\band\b)\s*", m.group("roles")):
                piece = piece.strip().rstrip(".")
                if piece:
                    add(piece)
    seek = ("seeking", "looking for", "targeting", "pursuing", "aiming for", "hoping to",
            "obtain", "secure")
    for _, line in _lines_with(norm, seek):
        found = [m.group("role") for m in _ROLE_SEEK.finditer(line)]
        for role in split_roles(found + objective_roles(line, ROLE_WORDS)):
            if ROLE_WORDS.search(role):
                add(role)
    return roles
