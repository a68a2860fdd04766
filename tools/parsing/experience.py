"""Experience requirements ("5+ years", "3-5 yrs") and seniority from titles."""

from __future__ import annotations

import re

from tools.parsing.numbers import number_word_value, number_words
from tools.schemas import Seniority, Span

# number words a posting writes its figure in ("two years", "fifteen years")
_WORDS = "|".join([*number_words(0, 15), "twenty"])
# a number: digits ("5", "1.5") or a word, optionally followed by digits in brackets ("two (2)")
_NUM = rf"(?:\d{{1,2}}(?:\.\d)?|(?:{_WORDS})(?:\s*\(\d{{1,2}}\))?)"
_YEARS = r"(?:years?|yrs?)(?:['’]s?)?\.?"
_LEAD = (
    r"(?P<lead>minimum(?:\s+of)?|a\s+minimum\s+of|min\.?|at\s+least|no\s+less\s+than"
    r"|not\s+less\s+than|more\s+than|over|in\s+excess\s+of|upwards\s+of|up\s+to|maximum(?:\s+of)?"
    r"|max\.?)\s+"
)
_EXPERIENCE_RE = re.compile(
    rf"(?i:\b(?:{_LEAD})?(?P<a>{_NUM})"
    rf"(?:\s*(?P<plus>\+)|\s*(?:-|–|—|to|or)\s*(?P<b>{_NUM})\s*\+?)?"
    rf"(?:\s+(?P<more>or\s+more|or\s+greater|plus))?"
    rf"\s*(?:-\s*)?{_YEARS}"
    rf"(?P<more2>\s+or\s+more)?"
    rf"(?P<tail>(?:\s+of)?(?:\s+(?:relevant|professional|related|hands-on|industry|work|working"
    rf"|practical|proven|commercial|solid|demonstrable|progressive))*\s+(?:experience|exp)\b)?)"
)
_AFTER_BAD_RE = re.compile(
    r"(?i:\s*(?:ago|old|of\s+age|in\s+business|in\s+operation|in\s+the\s+making|anniversary"
    r"|running|warranty|vesting|contract|lease|guarantee|degree|programm?e?|course|college"
    r"|university|bachelor\w*|plan|term|commitment|cycle|of\s+(?:combined|collective|history"
    r"|heritage|operation|existence|innovation|growth|success|trust|excellence|service|serving"
    r"|delivering|partnership|helping))\b)"
)
_BEFORE_BAD_RE = re.compile(
    r"(?i:\b(?:founded|established|celebrat\w*|since|we\s+have\s+been|(?:has|have)\s+been"
    r"\s+(?:in|around|operating|serving|helping)|for\s+(?:over|more\s+than|almost|nearly"
    r"|about|around|approximately|roughly|the\s+(?:past|last))|within|after|every|next|first"
    r"|last|past|in|for|per|each)\s*[<>~]?\s*$)"
)
_SENTENCE_BREAK_RE = re.compile(r"[.!?;\n]")
_HINT_RE = re.compile(r"(?i:yrs?\b|years?)")


def parse_experience_years(text: str) -> tuple[float | None, float | None, Span | None]:
    """Years of experience a job asks for: "5+ years" -> (5, None), "3-5 yrs" -> (3, 5),
    "minimum of two years" -> (2, None), "at least 7 years" -> (7, None). (None, None, None)
    when absent. The span locates the phrase in `text`."""
    if not text:
        return None, None, None
    # only the neighbourhood of "year"/"yr" is scanned with the full pattern
    windows: list[tuple[int, int]] = []
    for h in _HINT_RE.finditer(text):
        lo, hi = max(0, h.start() - 60), min(len(text), h.end() + 60)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
    for lo, hi in windows:
        for m in _EXPERIENCE_RE.finditer(text, lo, hi):
            result = _evaluate(text, m)
            if result is not None:
                return result
    return None, None, None


def to_number(raw: str) -> float | None:
    """A figure as written: digits, a number word, or "two (2)"; None if it is neither."""
    raw = raw.strip().lower()
    bracket = re.search(r"\((\d{1,2})\)", raw)
    if bracket:
        return float(bracket.group(1))
    value = number_word_value(raw)
    if value is not None:
        return float(value)
    try:
        return float(raw)
    except ValueError:
        return None


def _evaluate(text: str, m: re.Match[str]) -> tuple[float, float | None, Span] | None:
    a = to_number(m.group("a"))
    b = to_number(m.group("b")) if m.group("b") else None
    if a is None:
        return None
    if _AFTER_BAD_RE.match(text, m.end()):
        return None
    # the part of the sentence before the phrase
    sentence_start = max(0, m.start() - 60)
    before = text[sentence_start: m.start()]
    breaks = list(_SENTENCE_BREAK_RE.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    if _BEFORE_BAD_RE.search(before):
        # "for over 20 years", "within 2 years", "in 3 years" - unless the phrase itself says
        # experience ("experience with Python for 3+ years" keeps working)
        if not (m.group("tail") or re.search(r"(?i:experience|exp\b)", before)):
            return None
    lead = " ".join((m.group("lead") or "").lower().split())
    lo: float | None
    hi: float | None
    if b is not None:
        if b < a or b > 40:
            return None
        lo, hi = a, b
    elif lead.startswith(("up to", "max")):
        lo, hi = 0.0, a
    else:
        lo, hi = a, None
    if a > 40:
        return None
    start, end = m.start(), m.end()
    raw = text[start:end]
    stripped = raw.rstrip()
    end = start + len(stripped)
    return lo, hi, Span(text=text[start:end], start=start, end=end)


# --------------------------------------------------------------------------- seniority

_PEOPLE_MANAGER_EXCLUDED = (
    r"product|project|program|programme|account|accounts|community|social\s+media|content"
    r"|office|case|release|channel|partner|territory|property|relationship|success|customer"
    r"\s+success"
)
_SENIORITY_RULES: tuple[tuple[Seniority, re.Pattern[str]], ...] = (
    ("intern", re.compile(
        r"(?i:\b(?:intern|internship|trainee|apprentice(?:ship)?|werkstudent(?:in)?"
        r"|working\s+student|co-?op|placement\s+student|praktikant(?:in)?|stagiaire)\b)"
    )),
    ("executive", re.compile(
        r"(?i:\b(?:chief\s+[a-z]+(?:\s+[a-z]+)?\s+officer|c[etfoimpdsr]o|ciso|cxo"
        r"|(?<!vice\s)(?<!vice-)president|co-?founder|founder|managing\s+director"
        r"|general\s+manager|partner\s+\(equity\))\b)"
    )),
    ("director", re.compile(
        r"(?i:\b(?:director|vp|v\.p\.|svp|evp|avp|vice[\s-]president|head\s+of\s+department)\b)"
    )),
    ("manager", re.compile(
        r"(?i:\b(?:head\s+of|manager|mgr|group\s+lead)\b)"
    )),
    ("principal", re.compile(r"(?i:\b(?:principal|distinguished|fellow)\b)")),
    ("staff", re.compile(
        r"(?i:\bstaff\s+(?:software|engineer|developer|scientist|architect|designer|sre|data"
        r"|ml|machine|backend|back-end|front-?end|full[\s-]?stack|platform|infra\w*|security"
        r"|research\w*|product\s+designer|site|mobile|ios|android|cloud|devops)\b)"
    )),
    ("lead", re.compile(
        r"(?i:\b(?:tech(?:nical)?\s+lead|team\s+lead(?:er)?|lead(?!\s+gen)|leader)\b)"
    )),
    ("senior", re.compile(r"(?i:\b(?:senior|sr\.?|snr|iii|iv|level\s*(?:3|iii)|l5)(?!\w))")),
    ("mid", re.compile(
        r"(?i:\b(?:mid[\s-]?level|mid(?![\s-]?(?:market|size|sized|west|western|atlantic|south"
        r"|town|day|year|term|century))|intermediate|ii|level\s*(?:2|ii)|l4)\b)"
    )),
    ("junior", re.compile(
        r"(?i:\b(?:junior|jr\.?|entry[\s-]level|associate|graduate|new\s+grad|grad|beginner"
        r"|level\s*(?:1|i)|l3)(?!\w))"
    )),
)
_MANAGER_TITLE_RE = re.compile(rf"(?i:\b(?:{_PEOPLE_MANAGER_EXCLUDED})\s+manag)")
_ROMAN_ONE_RE = re.compile(r"\b(?:engineer|developer|analyst|scientist)\s+i\s*$", re.IGNORECASE)
_TEXT_LEVEL_RE = re.compile(
    r"(?i:\b(?:seniority(?:\s+level)?|experience\s+level|level)\s*[:\-]\s*"
    r"(?P<level>[a-z][a-z\s-]{2,20})"
    r"|\b(?P<entry>entry[\s-]level)\s+(?:role|position|job)|\b(?P<senior>senior[\s-]level)\s+"
    r"(?:role|position|job))"
)


def detect_seniority(title: str | None, text: str = "") -> Seniority | None:
    """Seniority from a title (and optionally text): intern, junior, mid, senior, staff, lead,
    principal, manager, director, executive."""
    if title:
        found = _seniority_of_title(title)
        if found is not None:
            return found
    if text:
        m = _TEXT_LEVEL_RE.search(text[:5000])
        if m is not None:
            if m.group("entry"):
                return "junior"
            if m.group("senior"):
                return "senior"
            level = m.group("level") or ""
            return _seniority_of_title(level.split("\n")[0])
    return None


def _seniority_of_title(title: str) -> Seniority | None:
    t = " ".join(title.split())
    if not t:
        return None
    ic_manager = _MANAGER_TITLE_RE.search(t) is not None
    for level, rx in _SENIORITY_RULES:
        m = rx.search(t)
        if m is None:
            continue
        if level == "manager" and ic_manager and not m.group(0).lower().startswith("head"):
            # "Product Manager", "Account Manager" are not people managers; keep looking
            # for another marker ("Senior Product Manager" -> senior)
            rest = rx.search(t, m.end())
            if rest is None:
                continue
        return level
    if _ROMAN_ONE_RE.search(t):
        return "junior"
    return None


def seniority_from_years(years: float | None) -> Seniority | None:
    """Fallback seniority from total years (0-1 junior, 2-4 mid, 5-8 senior, 9+ staff)."""
    if years is None:
        return None
    if years < 2:
        return "junior"
    if years < 5:
        return "mid"
    if years < 9:
        return "senior"
    return "staff"
