"""CV parsing: raw CV text -> :class:`~tools.schemas.CandidateProfile`.

Deterministic and offline. The pipeline:

1. ``normalise_with_offsets``: the parser works on the normalised text (stored in
   ``profile.text``) and every Span is mapped back at the end, so offsets (skill mentions, entry
   spans) index the text the caller passed in.
2. Sections are cut at recognised headings (``tools.parsing.sections``); text before the first
   heading is the *header* (name, contact, headline, location).
3. Experience entries are anchored on lines holding a date range. The entry header is built
   from that line (minus the dates) plus, when title or company is still missing, up to two
   adjacent lines above and one below. Parts are split on ``|``, dashes, commas, ``at`` and
   classified as title (holds a role word), company, then location. Only experience sections
   are searched; a CV without an experience heading is searched everywhere except in other
   recognised sections, skipping lines that look like education.
4. ``total_years`` is the *union* of the entries' ranges (``years_from_ranges``); without dated
   roles, an explicit "N years of experience" in the summary or header, else the longest
   per-skill duration ("Java (5 years)"); ``years_source`` says which (``tools.parsing.cv_years``).
5. Skills come from ``extract_skills`` over the whole text; each mention's section gives its
   source: skills section → ``skills_section``; experience section, an experience entry or a
   projects section → ``experience``; summary (or the intro paragraph of a CV without
   headings) → ``summary``; anything else → ``other``. Mentions inside the languages section and
   mentions of spoken languages are dropped.

Nothing here logs CV text. An empty or whitespace-only text returns an empty profile.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from tools.parsing.cv_certifications import (
    dedupe_certifications,  # noqa: F401 - re-exported, job.py imports it from here
    find_certification_spans,  # noqa: F401 - re-exported, job.py imports it from here
    find_certifications,
)
from tools.parsing.cv_languages import (
    SPOKEN_LANGUAGE_RE,
    SPOKEN_LANGUAGE_SET,
    parse_languages,
)
from tools.parsing.cv_layout import join_split_lines
from tools.parsing.cv_titles import (
    caps_headline,
    cut_placeholders,
    is_filler_line,
    is_placeholder,
    looks_like_title,
    objective_roles,
    plausible_company,
    plausible_title,
    split_roles,
    titles_in_prose,
)
from tools.parsing.cv_years import total_years as derive_total_years
from tools.parsing.dates import parse_date_range
from tools.parsing.experience import detect_seniority, seniority_from_years
from tools.parsing.location import parse_location
from tools.parsing.salary import find_salary
from tools.parsing.sections import (
    CV_HEADINGS,
    HEADER,
    SectionMap,
    iter_lines,
    match_heading,
    split_sections,
)
from tools.parsing.stuffing import SCAN_WINDOW, defuse_stuffing
from tools.parsing.text import (
    chain_maps,
    gate_open,
    gate_text,
    normalise_with_offsets,
    remap_spans,
    scan_map,
)
from tools.schemas import (
    CandidateProfile,
    CandidateSkill,
    DegreeLevel,
    EducationEntry,
    ExperienceEntry,
    Location,
    PersonalInfo,
    RemotePreference,
    SalaryRange,
    SkillSource,
    Span,
)
from tools.skills import extract_skills, load_taxonomy

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- shared patterns

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_SEASON = r"(?:spring|summer|autumn|fall|winter)"
_YEAR = r"(?:19[5-9]\d|20\d\d)"
_DATE = (
    rf"(?:(?:{_MONTH}\.?|{_SEASON}),?\s?{_YEAR}|\d{{1,2}}[/.]{_YEAR}|{_YEAR}[/.-]\d{{1,2}}(?!\d)"
    rf"|{_YEAR})"
)
_NOW = r"(?:present|current(?:ly)?|now|today|ongoing|to date|date)"
_DASH = r"\s*(?:-|–|—|~|to|until|till|through|thru)\s*"
DATE_RANGE_RE = re.compile(
    rf"(?<![\w/.]){_DATE}{_DASH}(?:{_DATE}|{_NOW})(?![\w/])|(?:since|from)\s+{_DATE}(?![\w/])",
    re.IGNORECASE,
)
YEAR_RE = re.compile(rf"(?<!\d){_YEAR}(?!\d)")
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")

BULLET_RE = re.compile(r"^\s*(?:[-*•·▪■◦‣⁃●○►➢✓✔>–—]|\d{1,2}[.)])\s*")
_PART_SPLIT = re.compile(
    r"\s+[|–—·•@]\s+|\s*\|\s*|\s+-\s+|\t+|,\s+|\s+at\s+|\s*[()\[\]]\s*|\s{3,}"
)
_EDGE_JUNK = re.compile(r"^[\s,;:|–—\-·•()\[\]]+|[\s,;:|–—\-·•()\[\]]+$")
_EDGE_SOFT = re.compile(r"^[\s,;:|–—\-·•]+|[\s,;:|–—\-·•]+$")


def _tidy(text: str) -> str:
    """Strip separators at the edges; drop parentheses only when unbalanced."""
    text = _EDGE_SOFT.sub("", text)
    while text.endswith(")") and text.count("(") < text.count(")"):
        text = _EDGE_SOFT.sub("", text[:-1])
    while text.startswith("(") and text.count("(") > text.count(")"):
        text = _EDGE_SOFT.sub("", text[1:])
    if text.endswith("(") or (text.count("(") > text.count(")") and "(" in text):
        text = _EDGE_SOFT.sub("", text[: text.rfind("(")])
    return text

ROLE_WORDS = re.compile(
    r"\b(?:engineer|developer|programmer|manager|analyst|scientist|nurse|designer|consultant|"
    r"director|specialist|assistant|coordinator|lead|intern|internship|officer|administrator|"
    r"architect|teacher|accountant|representative|associate|technician|head|executive|owner|"
    r"founder|co-founder|cofounder|vp|president|cto|ceo|cfo|coo|cmo|editor|writer|copywriter|"
    r"marketer|strategist|advisor|adviser|researcher|fellow|lecturer|professor|tutor|trainee|"
    r"apprentice|clerk|cashier|supervisor|operator|planner|producer|recruiter|partner|"
    r"principal|sre|devops|practitioner|therapist|pharmacist|physician|doctor|paralegal|lawyer|"
    r"attorney|solicitor|agent|buyer|chef|cook|driver|mechanic|electrician|volunteer|worker|"
    r"instructor|auditor|controller|bookkeeper|salesperson|receptionist|midwife|carer|"
    r"caregiver|aide|barista|server|waiter|waitress|merchandiser|estimator|surveyor|"
    r"expert|generalist|freelancer|contractor|member|staff|scrum master|product owner|"
    r"advocate|counsell?or|educator|interviewer|methodologist|transporter|stocker|detective|"
    r"keyholder|faculty|banker|teller|inspector|investigator|dispatcher|coach|trainer|pilot|"
    r"attendant|bartender|housekeeper|custodian|janitor|labou?rer|foreman|superintendent|"
    r"machinist|welder|carpenter|plumber|technologist|hygienist|dietitian|nutritionist|"
    r"paramedic|phlebotomist|underwriter|adjuster|appraiser|broker|realtor|examiner|"
    r"photographer|illustrator|animator|artist|journalist|reporter|translator|interpreter|"
    r"librarian|secretary|stylist|cosmetologist|baker|liaison|facilitator|dean|registrar|"
    r"chaplain|pastor|psychologist|caseworker|organi[sz]er|drafter|draftsman|paraprofessional|"
    r"scheduler|courier|nanny|leader|hostess|clinician|observer)s?\b",
    re.IGNORECASE,
)
COMPANY_HINTS = re.compile(
    r"\b(?:inc|ltd|llc|llp|gmbh|corp|corporation|plc|co|company|group|hospital|clinic|"
    r"university|college|bank|agency|labs?|solutions|technologies|technology|systems|studios?|"
    r"partners|health|healthcare|ag|sa|bv|foundation|trust|nhs|council|consulting|media|"
    r"software|services|ventures|capital|holdings|institute|analytics|retail|logistics|"
    r"insurance|pharma|industries|enterprises|store|stores|restaurant|hotel|school)\b\.?",
    re.IGNORECASE,
)
_COMPANY_SUFFIX = re.compile(
    r"\b(?:inc|ltd|llc|llp|gmbh|corp|plc|ag|bv|s\.?a)\b\.?$", re.IGNORECASE
)
_EDU_LINE = re.compile(
    r"\b(?:university|universit[äa]t|college|school|academy|institute of|polytechnic|"
    r"bootcamp|b\.?sc|m\.?sc|ph\.?d|bachelor|master'?s|mba|diploma|degree|gcses?|a-levels)\b",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- education

_DEGREE_PATTERNS: tuple[tuple[DegreeLevel, re.Pattern[str]], ...] = (
    ("phd", re.compile(
        r"\b(?:ph\.?\s?d\.?|doctorate|doctoral degree|doctor of philosophy|d\.phil|dphil|"
        r"ed\.d\.?|edd|md)(?![\w])", re.IGNORECASE)),
    ("master", re.compile(
        r"\b(?:master'?s?(?:\s+degree)?|m\.?sc\.?|msc|m\.s\.|m\.a\.|m\.eng\.?|meng|mba|m\.b\.a\.|"
        r"mphil|m\.phil|mres|llm|msn|mph|m\.ed\.?|med\b(?=\s+in)|mfa|mas)(?![\w])",
        re.IGNORECASE)),
    ("master", re.compile(
        r"\b(?:MS|MA)(?=\s+(?:in\s+)?[A-Z])(?!\s+(?:Office|Excel|Word|Access|Teams|Project|"
        r"SQL|Outlook|PowerPoint|Dynamics|Visio|Azure|Windows|Paint)\b)")),
    ("bachelor", re.compile(
        r"\b(?:bachelor'?s?(?:\s+degree)?|b\.?sc\.?|bsc|b\.s\.|b\.a\.|b\.eng\.?|beng|bba|"
        r"b\.b\.a\.|bsn|b\.?tech|llb|b\.com|bcom|bfa|undergraduate degree|"
        r"four-year degree|4-year degree|ba\s*\(hons\)|bsc\s*\(hons\))(?![\w])",
        re.IGNORECASE)),
    ("bachelor", re.compile(r"\b(?:BS|BA)(?=\s+(?:in\s+|\(Hons\)\s+)?[A-Z])")),
    ("associate", re.compile(
        r"\b(?:associate'?s?\s+degree|associate of (?:applied )?(?:arts|science)|a\.a\.s\.?|"
        r"a\.a\.|a\.s\.|aas|hnd|hnc|foundation degree|adn)(?![\w])", re.IGNORECASE)),
    ("high_school", re.compile(
        r"\b(?:high school diploma|high school|ged|a-levels?|a levels?|gcses?|"
        r"secondary school|abitur|baccalaureate|matura|leaving certificate)(?![\w])",
        re.IGNORECASE)),
)
_DEGREE_WORD_FIELD = re.compile(
    r"(?:of|in)\s+(?:science|arts|engineering|business administration)?\s*(?:in|of)?\s*"
    r"(?P<field>[A-Z][\w&'/ -]{1,60})",
)
_INSTITUTION_RE = re.compile(
    r"\b(?:university|universit[äa]t|college|school|academy|institute|polytechnic|"
    r"hochschule|bootcamp|conservatoire|ecole|école)\b",
    re.IGNORECASE,
)
_EDU_SPLIT = re.compile(r"\s+\|\s+|\s*\|\s*|\s+[-–—]\s+|,\s+|\s+at\s+|\s+from\s+|\s*:\s+")
_FIELD_STOP = re.compile(
    r"\s*(?:,|;|\||–|—|\(|\s-\s|\bat\b|\bfrom\b|\d).*$", re.IGNORECASE
)


def degree_level_of(text: str) -> tuple[DegreeLevel, re.Match[str]] | None:
    """Highest degree level named in `text` and the match that names it. Short texts are
    cached: postings ask this of the same clause once per skill mention."""
    if len(text) <= 1_000:
        return _degree_level_cached(text)
    return _degree_level(text)


@lru_cache(maxsize=2048)
def _degree_level_cached(text: str) -> tuple[DegreeLevel, re.Match[str]] | None:
    return _degree_level(text)


#: Per `_DEGREE_PATTERNS` entry: lower-case words one of which each of its matches spells
#: (checked on the lower-cased text), or for the case-sensitive patterns, exact strings.
_DEGREE_GATES: tuple[tuple[tuple[str, ...], bool], ...] = (
    (("phd", "ph.", "ph d", "doctor", "phil", "ed.d", "edd", "md"), False),
    (("master", "m.s", "m.a", "m.e", "m.b", "m.p", "msc", "mba", "mres", "llm", "msn", "mph",
      "med", "mfa", "mas", "meng"), False),
    (("MS", "MA"), True),
    (("bachelor", "b.s", "b.a", "b.e", "b.b", "b.t", "b.c", "bsc", "beng", "bba", "bsn", "btech",
      "llb", "bcom", "bfa", "undergraduate", "four-year", "4-year", "hons"), False),
    (("BS", "BA"), True),
    (("associate", "a.a", "a.s.", "aas", "hnd", "hnc", "foundation degree", "adn"), False),
    (("high school", "ged", "a-level", "a level", "gcse", "secondary school", "abitur",
      "baccalaureate", "matura", "leaving certificate"), False),
)


def may_name_degree(text: str) -> bool:
    """False when `degree_level_of` finds nothing in `text`, nor in any part of it (a cheap
    substring check; True does not promise a degree)."""
    low = gate_text(text)
    for gate, exact in _DEGREE_GATES:
        if gate_open(text, *gate) if exact else gate_open(low, *gate):
            return True
    return False


def _degree_level(text: str) -> tuple[DegreeLevel, re.Match[str]] | None:
    low = gate_text(text)
    for (level, pattern), (gate, exact) in zip(_DEGREE_PATTERNS, _DEGREE_GATES, strict=True):
        if not (gate_open(text, *gate) if exact else gate_open(low, *gate)):
            continue  # no word the pattern spells occurs: it cannot match
        m = pattern.search(text)
        if m:
            return level, m
    return None


def _field_after(text: str, m: re.Match[str]) -> str | None:
    rest = text[m.end():]
    rest = re.sub(r"^\s*(?:\(hons\)|honours|hons\.?)?\s*", "", rest, flags=re.IGNORECASE)
    rest = re.sub(
        r"^(?:of|in)\s+(?:(?:applied\s+)?(?:science|arts|engineering)\s+)?(?:(?:in|of)\s+)?",
        "", rest, flags=re.IGNORECASE,
    )
    rest = rest.lstrip(" :,-")
    rest = _FIELD_STOP.sub("", rest).strip(" .,")
    if not rest or _INSTITUTION_RE.search(rest) or len(rest) > 60:
        return None
    if not rest[0].isalpha():
        return None
    word = m.group(0).lower()
    if not rest and "mba" in word:
        return "Business Administration"
    return rest


_COURSE_RE = re.compile(r"\b(?:bootcamp|boot camp|course|nanodegree)\b", re.IGNORECASE)


def _institution(parts: list[str]) -> str | None:
    """The part naming a school, plus a following short place part ("…California, Davis")."""
    for i, p in enumerate(parts):
        if _INSTITUTION_RE.search(p) and not degree_level_of(p):
            inst = _tidy(p)
            if i + 1 < len(parts):
                nxt = _tidy(parts[i + 1])
                if (nxt and len(nxt.split()) <= 2 and nxt[0].isupper()
                        and not degree_level_of(nxt) and not _INSTITUTION_RE.search(nxt)
                        and not ROLE_WORDS.search(nxt)):
                    inst = f"{inst}, {nxt}"
            return inst or None
    return None


def parse_education_lines(lines: list[str]) -> list[EducationEntry]:
    """Education entries from the lines of an education section (or candidate lines)."""
    entries: list[EducationEntry] = []
    current: EducationEntry | None = None
    for raw in lines:
        line = BULLET_RE.sub("", raw).strip()
        if not line:
            continue
        hit = degree_level_of(line)
        if hit is not None:
            level, m = hit
            cleaned = DATE_RANGE_RE.sub(" ", line)
            cleaned = YEAR_RE.sub(" ", cleaned)
            cleaned = re.sub(r"\(\s*\)|\[\s*\]", " ", cleaned)
            parts = [p.strip() for p in _EDU_SPLIT.split(cleaned) if p and p.strip(" ,-|")]
            degree = next((p for p in parts if degree_level_of(p)), m.group(0))
            degree = _tidy(degree)
            own = degree_level_of(degree)
            field_ = _field_after(degree, own[1]) if own else None
            if field_ is None and m.group(0).lower().replace(".", "") == "mba":
                field_ = "Business Administration"
            current = EducationEntry(degree_level=level, degree=degree or m.group(0), field=field_)
            entries.append(current)
            current.institution = _institution(parts)
            years = [int(y) for y in YEAR_RE.findall(line)]
            if years:
                current.year = max(years)
            continue
        if (current is None or current.institution is not None) and (
            _INSTITUTION_RE.search(line) or _COURSE_RE.search(line)
        ) and len(line) <= 160:
            # a course or school without a recognised degree ("Web Development Bootcamp")
            cleaned = YEAR_RE.sub(" ", DATE_RANGE_RE.sub(" ", line))
            parts = [p.strip() for p in _EDU_SPLIT.split(cleaned) if p and p.strip(" ,-|")]
            if parts:
                current = EducationEntry(degree_level=None, degree=_tidy(parts[0]) or None)
                current.institution = _institution(parts[1:]) or (
                    _tidy(parts[1]) if len(parts) > 1 else None)
                years = [int(y) for y in YEAR_RE.findall(line)]
                current.year = max(years) if years else None
                entries.append(current)
            continue
        if current is None:
            continue
        if current.institution is None and _INSTITUTION_RE.search(line):
            parts = [p for p in _PART_SPLIT.split(line) if p and p.strip()]
            inst = next((p for p in parts if _INSTITUTION_RE.search(p)), line)
            current.institution = _EDGE_JUNK.sub("", YEAR_RE.sub("", inst)) or None
        if current.year is None:
            years = [int(y) for y in YEAR_RE.findall(line)]
            if years:
                current.year = max(years)
    return entries


# --------------------------------------------------------------------------- certifications

#: Only this much of a (normalised) text is analysed; longer inputs are pasted dumps, not CVs
#: or postings, and must not stall the engine. Offsets stay valid in the full text.
MAX_PARSE_CHARS = 200_000


def analysed_prefix(text: str) -> str:
    """`text` cut to MAX_PARSE_CHARS, at a line break when there is one near the cut."""
    if len(text) <= MAX_PARSE_CHARS:
        return text
    cut = text.rfind("\n", MAX_PARSE_CHARS - 5_000, MAX_PARSE_CHARS)
    return text[: cut if cut > 0 else MAX_PARSE_CHARS]


def _cert_from_line(line: str) -> str | None:
    line = BULLET_RE.sub("", line).strip()
    if ", " in line:  # "Registered Nurse (RN), Texas Board of Nursing" -> the credential
        line = line.split(", ", 1)[0]
    line = re.sub(
        rf"\s*[(\[,–—-]?\s*(?:issued\s+|obtained\s+|expires?\s+)?(?:{_MONTH}\.?\s+)?{_YEAR}"
        rf"(?:\s*(?:-|–|to)\s*(?:(?:{_MONTH}\.?\s+)?{_YEAR}|present))?\s*[)\]]?\s*$",
        "", line, flags=re.IGNORECASE,
    )
    line = _tidy(line)
    return line if 2 <= len(line) <= 120 else None


# --------------------------------------------------------------------------- preferences

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

# --------------------------------------------------------------------------- contact

EMAIL_RE = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s|,;()<>]{2,200}|"
    r"\b(?:linkedin\.com|github\.com|gitlab\.com|behance\.net|dribbble\.com|medium\.com|"
    r"kaggle\.com|stackoverflow\.com)/[^\s|,;()<>]{1,200}"
)
_URL_HINTS = ("http", "www.", "linkedin.com", "github.com", "gitlab.com", "behance.net",
              "dribbble.com", "medium.com", "kaggle.com", "stackoverflow.com")
PHONE_RE = re.compile(r"(?<![\w+])\+?\(?\d{1,4}\)?(?:[ .-]?\(?\d{1,5}\)?){2,6}(?![\w])")
_NAME_RE = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ'’.\-]+(?: [A-Za-zÀ-ÖØ-öø-ÿ'’.\-]+){1,4}$")
_NAME_BAD = re.compile(
    r"\b(?:curriculum|vitae|resume|résumé|cv|profile|contact|page)\b", re.IGNORECASE
)
_HEADER_SPLIT = re.compile(r"\s+[|•·]\s+|\s*\|\s*|\s{3,}|\t+|\s+[–—-]\s+")
_CREDENTIALS = re.compile(
    r"(?:,\s*(?:RN|LPN|NP|APRN|BSN|MSN|DNP|MD|DO|PhD|Ph\.D\.|MBA|MSc|BSc|MA|BA|CPA|CFA|PMP|PE|"
    r"CISSP|ACCA|CIPD|FCCA|ACA|Esq\.?))+$"
)
_BARE_SITE = re.compile(
    r"(?<![@\w.])[a-z0-9][\w-]{1,60}\.(?:dev|io|me|com|co\.uk|net|org|site|app|page|design)"
    r"(?:/[^\s|,;()<>]*)?(?![\w.@])",
    re.IGNORECASE,
)
_LABEL_RE = re.compile(
    r"^(?:e-?mail|phone|tel|telephone|mobile|cell|location|address|based in|linkedin|github|"
    r"website|portfolio|name)\s*[:：]\s*",
    re.IGNORECASE,
)

_NOT_EXPERIENCE = frozenset({
    "skills", "education", "certifications", "languages", "projects", "volunteering", "awards",
    "publications", "interests", "references",
})


# --------------------------------------------------------------------------- entries


@dataclass
class _Line:
    start: int
    text: str
    section: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class _Entry:
    anchor: int  # index into lines
    first: int  # first header line index
    last_header: int
    start: str
    end: str
    parts: list[str] = field(default_factory=list)


def _is_bullet(line: str) -> bool:
    return bool(BULLET_RE.match(line)) and not DATE_RANGE_RE.match(BULLET_RE.sub("", line))


def _split_parts(text: str) -> list[str]:
    parts = []
    for p in _PART_SPLIT.split(cut_placeholders(text)):
        p = _EDGE_JUNK.sub("", p or "")
        if p and any(c.isalpha() for c in p) and not is_placeholder(p):
            parts.append(p)
    return parts


def _headerish(line: str) -> bool:
    s = line.strip()
    return (
        bool(s)
        and len(s) <= 90
        and not _is_bullet(s)
        and not s.endswith((".", ";"))
        and len(s.split()) <= 12
    )


def _find_range(line: str, today: date | None) -> tuple[re.Match[str], tuple[str, str]] | None:
    m = DATE_RANGE_RE.search(line)
    if m is None:
        return None
    rng = parse_date_range(m.group(0), today=today)
    if rng is None:
        rng = parse_date_range(line, today=today)
    if rng is None:
        return None
    return m, rng


_QUALIFIER = re.compile(
    r"^(?:part[- ]time|full[- ]time|contract|contractor|freelance|temporary|temp|internship|"
    r"permanent|fixed[- ]term|maternity cover|hybrid|on-?site)$",
    re.IGNORECASE,
)
_REMOTE_PART = re.compile(r"^(?:remote|fully remote|remote-first)$", re.IGNORECASE)
_CAPS_LINE = re.compile(r"^[^a-z,]*[A-Z]{2,}[^a-z,]*(?:,[^,]{0,40}){0,3}$")


def _clean_parts(parts: list[str]) -> tuple[list[str], list[str]]:
    """Drop employment-type qualifiers; pull out "Remote" as a location."""
    kept: list[str] = []
    remote: list[str] = []
    for p in parts:
        if _QUALIFIER.match(p):
            continue
        if _REMOTE_PART.match(p):
            remote.append(p)
            continue
        kept.append(p)
    return kept, remote


def _classify(
    above: list[str], rem: list[str], below: list[str]
) -> tuple[str | None, str | None, str | None]:
    """Title, company and location from an entry's header parts.

    The date line's own parts (`rem`) hold the title when a line above names the employer
    ("ACME CORP, Berlin" / "Data Analyst 06/2017 - 02/2019"); otherwise the first part with a
    role word is the title, the first other part the company and the rest the location.
    """
    above, r1 = _clean_parts(above)
    rem, r2 = _clean_parts(rem)
    below, r3 = _clean_parts(below)
    remote = r1 + r2 + r3
    title = company = None
    rest: list[str] = []
    if above and rem and any(ROLE_WORDS.search(p) for p in rem) and not any(
        ROLE_WORDS.search(p) and not COMPANY_HINTS.search(p) for p in above
    ):
        title = ", ".join(rem)
        company = above[0]
        rest = above[1:] + below
    else:
        parts = above + rem + below
        role_idx = next(
            (i for i, p in enumerate(parts)
             if ROLE_WORDS.search(p) and not _COMPANY_SUFFIX.search(p)),
            None,
        )
        places = {i for i, p in enumerate(parts) if _is_place_part(p)}
        if role_idx is None and parts:
            role_idx = next(
                (i for i, p in enumerate(parts)
                 if not COMPANY_HINTS.search(p) and i not in places), None
            ) if len(parts) > 1 else (None if places else 0)
        for i, p in enumerate(parts):
            if i == role_idx:
                title = p
            elif company is None and i not in places:
                company = p
            else:
                rest.append(p)
    loc_parts = [r for r in rest if len(r.split()) <= 4] + remote
    return title, company, ", ".join(loc_parts) or None


def _is_place_part(part: str) -> bool:
    if len(part.split()) > 4 or COMPANY_HINTS.search(part) or ROLE_WORDS.search(part):
        return False
    loc = parse_location(part)
    return loc is not None and bool(loc.city or loc.country or loc.remote)


def _looks_educational(line: str) -> bool:
    if degree_level_of(line) is not None:
        return True
    return bool(_INSTITUTION_RE.search(line)) and not ROLE_WORDS.search(line)


def _prose_above_title(line: str, parts: list[str]) -> bool:
    """With a title in hand, a longer line above without an employer cue is prose."""
    s = line.strip()
    return (len(s.split()) > 4 and any(ROLE_WORDS.search(p) for p in parts)
            and not COMPANY_HINTS.search(s) and not _CAPS_LINE.match(s))


def _absorb_fillers(
    e: _Entry, lines: list[_Line], allowed: list[bool], used: set[int], stop: int
) -> int:
    """Take the placeholder / filler lines after the entry's header into it ("Company Name",
    "City , State", "//"); the index of the first line after them."""
    nxt = e.last_header + 1
    limit = min(stop, nxt + 3)
    while nxt < limit and allowed[nxt] and nxt not in used \
            and lines[nxt].text.strip() and is_filler_line(lines[nxt].text):
        e.last_header = nxt
        used.add(nxt)
        nxt += 1
    return nxt


def _parse_entries(
    lines: list[_Line], allowed: list[bool], today: date | None
) -> tuple[list[ExperienceEntry], list[tuple[int, int]], list[int]]:
    """Experience entries among `lines` whose `allowed` flag is set; their offsets and the
    offset where each entry's header lines end."""
    anchors: list[_Entry] = []
    used: set[int] = set()
    for i, ln in enumerate(lines):
        if not allowed[i] or len(ln.text) > 200 or not _HAS_YEAR.search(ln.text):
            continue
        found = _find_range(ln.text, today)
        if found is None:
            continue
        m, (start, end) = found
        remainder = ln.text[: m.start()] + " | " + ln.text[m.end():]
        remainder = BULLET_RE.sub("", remainder)
        parts = _split_parts(remainder)
        if ln.section != "experience" and _looks_educational(ln.text):
            continue
        if len(remainder.split()) > 14 and remainder.rstrip().endswith((".", ",", ";")):
            continue  # a sentence that mentions dates ("... since October 2010."), not a header
        anchors.append(_Entry(anchor=i, first=i, last_header=i, start=start, end=end,
                              parts=parts))
        used.add(i)

    groups: list[tuple[list[str], list[str], list[str]]] = []
    for k, e in enumerate(anchors):
        prev_floor = anchors[k - 1].anchor if k else -1
        rem = e.parts
        above: list[str] = []
        j = e.anchor - 1
        if len(rem) < 2:
            fillers = 0  # placeholder / punctuation lines ("City , State", "//") are skipped
            while j > prev_floor and e.anchor - j - fillers <= 2 and fillers <= 3 \
                    and len(above + rem) < 2:
                cand = lines[j]
                if (not allowed[j] or not cand.text.strip() or not _headerish(cand.text)
                        or j in used):
                    break
                if is_filler_line(cand.text):
                    fillers += 1
                    j -= 1
                    continue
                if _prose_above_title(cand.text, above + rem):
                    break  # the previous entry's last line, not this one's employer
                above = _split_parts(cand.text) + above
                used.update(range(j, e.first))
                e.first = j
                j -= 1
        elif j > prev_floor and allowed[j] and j not in used and _headerish(lines[j].text):
            above_text = lines[j].text.strip()
            rem_has_role = any(ROLE_WORDS.search(p) for p in rem)
            if _CAPS_LINE.match(above_text) or (COMPANY_HINTS.search(above_text)
                                                and not ROLE_WORDS.search(above_text)) or (
                not rem_has_role and ROLE_WORDS.search(above_text)
                and len(above_text.split()) <= 6
            ):
                above = _split_parts(above_text)
                used.add(j)
                e.first = j
        below: list[str] = []
        nxt = e.anchor + 1
        nxt_anchor = anchors[k + 1].anchor if k + 1 < len(anchors) else len(lines)
        nxt = _absorb_fillers(e, lines, allowed, used, nxt_anchor)
        if e.last_header > e.anchor:  # after placeholders only a role line is the title
            if not any(ROLE_WORDS.search(p) for p in above + rem) and nxt < nxt_anchor \
                    and allowed[nxt] and looks_like_title(lines[nxt].text, ROLE_WORDS):
                below = _split_parts(lines[nxt].text)
                e.last_header = nxt
                used.add(nxt)
        elif (len(above + rem) < 2 and nxt < len(lines) and allowed[nxt]
                and _headerish(lines[nxt].text) and len(lines[nxt].text.split()) <= 6
                and nxt not in used and DATE_RANGE_RE.search(lines[nxt].text) is None
                and (k + 1 >= len(anchors) or anchors[k + 1].anchor > nxt + 1)):
            below = _split_parts(lines[nxt].text)
            e.last_header = nxt
            used.add(nxt)
        _absorb_fillers(e, lines, allowed, used, nxt_anchor)
        groups.append((above, rem, below))

    entries: list[ExperienceEntry] = []
    offsets: list[tuple[int, int]] = []
    header_ends: list[int] = []
    for k, e in enumerate(anchors):
        stop = anchors[k + 1].first if k + 1 < len(anchors) else len(lines)
        bullets: list[str] = []
        last = e.last_header
        for j in range(e.last_header + 1, stop):
            if not allowed[j] or (lines[j].section != "experience"
                                  and _looks_educational(lines[j].text)):
                break
            t = BULLET_RE.sub("", lines[j].text).strip()
            if t:
                bullets.append(t)
                last = j
        title, company, location = _classify(*groups[k])
        if title is not None and not plausible_title(title, ROLE_WORDS):
            title = None
        if company is not None and not plausible_company(company):
            company = None
        entries.append(ExperienceEntry(
            title=title, company=company, location=location, start=e.start, end=e.end,
            bullets=bullets, span=None,
        ))
        offsets.append((lines[e.first].start, lines[last].end))
        header_ends.append(lines[e.last_header].end)
    return entries, offsets, header_ends


# --------------------------------------------------------------------------- header


def _header_info(
    header_lines: list[str],
) -> tuple[PersonalInfo, str | None, Location | None, list[str]]:
    """Name, contact, headline and location from the lines before the first heading."""
    info = PersonalInfo()
    headline: str | None = None
    location: Location | None = None
    leftovers: list[str] = []
    joined = "\n".join(header_lines)
    em = EMAIL_RE.search(joined)
    if em:
        info.email = em.group(0).rstrip(".")
    links: list[str] = []
    for m in URL_RE.finditer(joined):
        url = m.group(0).rstrip(".,")
        if url not in links and (em is None or url not in em.group(0)):
            links.append(url)
    if not links:
        for m in _BARE_SITE.finditer(EMAIL_RE.sub(" ", joined)):
            links.append(m.group(0).rstrip(".,"))
    info.links = links
    for line in header_lines:
        if info.phone:
            break
        scrubbed = EMAIL_RE.sub(" ", URL_RE.sub(" ", line))
        scrubbed = DATE_RANGE_RE.sub(" ", scrubbed)
        for m in PHONE_RE.finditer(scrubbed):
            digits = sum(c.isdigit() for c in m.group(0))
            if 9 <= digits <= 15:
                info.phone = m.group(0).strip()
                break
    for raw in header_lines:
        segments = [s.strip() for s in _HEADER_SPLIT.split(raw) if s and s.strip()]
        for seg in segments:
            label = _LABEL_RE.match(seg)
            label_name = label.group(0).lower() if label else ""
            value = seg[label.end():].strip() if label else seg
            if not value:
                continue
            if EMAIL_RE.search(value) or URL_RE.search(value) or value in links:
                continue
            if info.phone and info.phone in value:
                continue
            if sum(c.isdigit() for c in value) >= 7:
                continue
            if label_name.startswith("name"):
                info.name = value
                continue
            if label_name.startswith(("location", "address", "based")):
                if location is None:
                    location = parse_location(value)
                continue
            if label:
                continue
            if info.name is None:
                value = _CREDENTIALS.sub("", value) if _NAME_RE.match(
                    _CREDENTIALS.sub("", value)) else value
            if info.name is None and _NAME_RE.match(value) and not _NAME_BAD.search(value) \
                    and not ROLE_WORDS.search(value) and match_heading(value) is None:
                info.name = value.title() if value.isupper() else value
                continue
            if headline is None and ROLE_WORDS.search(value) and len(value.split()) <= 12 \
                    and not value.endswith("."):
                headline = value
                continue
            if location is None and len(value.split()) <= 6 and not value.endswith("."):
                loc = parse_location(value)
                if loc is not None and (loc.city or loc.country or loc.remote):
                    location = loc
                    continue
            leftovers.append(value)
    return info, headline, location, leftovers


# --------------------------------------------------------------------------- main entry


_SOURCE_ORDER: tuple[SkillSource, ...] = ("skills_section", "experience", "summary", "other")
_SECTION_SOURCE: dict[str, SkillSource] = {
    "skills": "skills_section",
    "experience": "experience",
    "projects": "experience",
    "summary": "summary",
}


def parse_cv(text: str, *, today: date | None = None) -> CandidateProfile:
    """Parse a CV's text into a :class:`CandidateProfile` (see the module docstring).

    Args:
        text: raw CV text (PDF/DOCX extraction output, pasted text…).
        today: reference date for open-ended ranges ("– Present"); defaults to today.
    """
    given = text or ""
    original = defuse_stuffing(given)  # tools/parsing/stuffing.py
    full, offsets = normalise_with_offsets(original, cells=True, space_cells=True)
    if original is not given:  # spans index the text the caller gave, not the defused one
        offsets = chain_maps(offsets, scan_map(original, given, window=SCAN_WINDOW))
    if not full.strip():
        return CandidateProfile(text=full)
    # split date ranges / "City , State" glued back; same length, so offsets agree with full
    norm = join_split_lines(analysed_prefix(full))

    sections = split_sections(norm, CV_HEADINGS, accept_inline=_accept_inline)
    smap = SectionMap(sections)
    has_exp_section = smap.has("experience")

    lines: list[_Line] = []
    for off, raw_line in iter_lines(norm):
        lines.append(_Line(off, raw_line, smap.name_at(off)))
    # inline headings: the heading part of the line is not content
    heading_lines = {s.start for s in sections if s.name != HEADER}

    # ---- experience
    if has_exp_section:
        allowed = [ln.section == "experience" and ln.start not in heading_lines for ln in lines]
    else:
        allowed = [
            ln.section not in _NOT_EXPERIENCE and ln.start not in heading_lines
            for ln in lines
        ]
    entries, entry_offsets, header_ends = _parse_entries(lines, allowed, today)
    for entry, (a, b) in zip(entries, entry_offsets, strict=True):
        entry.span = Span(text=full[a:b], start=a, end=b, section="experience")

    # ---- header
    first_entry_line = min(
        (i for i, ln in enumerate(lines) if entry_offsets and ln.start == entry_offsets[0][0]),
        default=len(lines),
    )
    header_lines: list[str] = []
    intro: tuple[int, int] | None = None
    for i, ln in enumerate(lines):
        if ln.section != HEADER or i >= first_entry_line:
            break
        if len(ln.text) > 120 or (len(ln.text.split()) > 14 and ln.text.rstrip().endswith(".")):
            if intro is None:
                intro = (ln.start, ln.end)
            else:
                intro = (intro[0], ln.end)
            continue
        if intro is not None:
            if not ln.text.strip():
                break
            intro = (intro[0], ln.end)
            continue
        if len([h for h in header_lines if h.strip()]) < 8:
            header_lines.append(ln.text)
    personal, headline, location, _ = _header_info([h for h in header_lines if h.strip()])
    caps = caps_headline(
        header_lines, ROLE_WORDS, lambda t: bool(extract_skills(t, role_names=True))
    )
    if caps is not None and (headline is None or _part_of(headline, caps)
                             or _part_of(personal.name, caps)):
        if _part_of(personal.name, caps):
            personal.name = None  # "CLIENT RELATIONS ADVOCATE" is a title, not a name
        headline = caps  # the whole line: "SENIOR VP - INFORMATION TECHNOLOGY"
    headline_span: tuple[int, int] | None = None
    if headline:
        pos = norm.find(headline, 0, intro[0] if intro else len(norm))
        if pos >= 0:
            headline_span = (pos, pos + len(headline))

    # ---- summary
    summary: str | None = None
    summary_regions: list[tuple[int, int]] = []
    for s in smap.bodies("summary"):
        body = norm[s.body_start:s.end].strip()
        if body:
            summary_regions.append((s.body_start, s.end))
            if summary is None:
                summary = " ".join(body.split())
    if summary is None and intro is not None:
        summary = " ".join(norm[intro[0]:intro[1]].split())
        summary_regions.append(intro)

    # ---- total years: dated roles, else a stated figure, else the longest skill duration
    total_years, years_source = derive_total_years(
        [(e.start, e.end) for e in entries if e.start and e.end],
        [norm[a:b] for a, b in summary_regions] + [norm[:sections[0].end]],
        [norm[s.body_start:s.end] for s in smap.bodies("skills")] or [norm],
        lambda name: bool(extract_skills(name, fuzzy=False, role_names=True)),
        today=today,
    )

    # ---- latest title, seniority
    latest = _latest(entries)
    if headline is None and latest is not None:
        headline = latest.title
    if headline is None and summary:
        headline = next(iter(titles_in_prose(summary, ROLE_WORDS)), None)
    seniority = detect_seniority(latest.title) if latest and latest.title else None
    if seniority is None and headline:
        seniority = detect_seniority(headline)
    if seniority is None:
        seniority = seniority_from_years(total_years)

    # ---- skills
    excluded = _excluded_regions(norm, entries, entry_offsets, header_ends)
    if headline_span is not None:
        summary_regions.append(headline_span)
    skills = _skills(norm, smap, entry_offsets, summary_regions, excluded)

    # ---- education
    edu_lines: list[str] = []
    for s in smap.bodies("education"):
        edu_lines.extend(norm[s.body_start:s.end].split("\n"))
    if not edu_lines:
        edu_lines = [
            ln.text for ln in lines
            if ln.section in (HEADER, "summary", "additional") and _EDU_LINE.search(ln.text)
            and degree_level_of(ln.text)
        ]
    education = parse_education_lines(edu_lines)

    # ---- certifications
    certs: list[str] = []
    for s in smap.bodies("certifications"):
        for ln_text in norm[s.body_start:s.end].split("\n"):
            for piece in _cert_pieces(ln_text):
                c = _cert_from_line(piece)
                if c and c.casefold() not in {x.casefold() for x in certs}:
                    certs.append(c)
    cert_scope = "\n".join(
        norm[s.body_start:s.end] for s in sections if s.name not in ("education", "certifications")
    )
    for c in find_certifications(cert_scope):
        if not any(c.casefold() in x.casefold() for x in certs):
            certs.append(c)

    # ---- spoken languages
    lang_text = "\n".join(norm[s.body_start:s.end] for s in smap.bodies("languages"))
    languages = parse_languages(lang_text)

    # ---- preferences
    remote_pref = _remote_preference(norm)
    salary = _salary_expectation(norm)
    desired = _desired_roles(norm)

    profile = CandidateProfile(
        personal=personal,
        headline=headline,
        summary=summary,
        skills=skills,
        experience=entries,
        total_years=total_years,
        years_source=years_source,
        seniority=seniority,
        education=education,
        certifications=certs,
        languages=languages,
        location=location,
        remote_preference=remote_pref,
        salary_expectation=salary,
        desired_roles=desired,
        sections=smap.names(),
        text=full,
    )
    remap_spans(profile, offsets, given)
    return profile


def _part_of(a: str | None, b: str) -> bool:
    """`a` (whitespace and case aside) is `b` or a part of it."""
    if not a:
        return False
    return " ".join(a.split()).casefold() in " ".join(b.split()).casefold()


def _accept_inline(name: str, rest: str) -> bool:
    """"Languages: Python, Go" inside a skills block is a sub-label, not spoken languages."""
    if name == "languages":
        return SPOKEN_LANGUAGE_RE.search(rest) is not None
    return True


def _cert_pieces(line: str) -> list[str]:
    line = BULLET_RE.sub("", line).strip()
    if not line:
        return []
    if ";" in line or " | " in line:
        return [p for p in re.split(r"\s*[;|]\s*", line) if p.strip()]
    return [line]


def _latest(entries: list[ExperienceEntry]) -> ExperienceEntry | None:
    if not entries:
        return None

    def key(e: ExperienceEntry) -> tuple[str, str]:
        end = "9999-99" if e.end == "present" else (e.end or "")
        return end, e.start or ""

    best = entries[0]
    for e in entries[1:]:
        if key(e) > key(best):
            best = e
    return best


def _excluded_regions(
    norm: str,
    entries: list[ExperienceEntry],
    entry_offsets: list[tuple[int, int]],
    header_ends: list[int],
) -> list[tuple[int, int]]:
    """Text that names no skill of the candidate: URLs, e-mails, employer names in headers
    ("Northwind Logistics" is not logistics experience)."""
    out: list[tuple[int, int]] = []
    low = norm.lower()
    if any(t in low for t in _URL_HINTS):
        out += [(m.start(), m.end()) for m in URL_RE.finditer(norm)]
    if "@" in norm:
        out += [(m.start(), m.end()) for m in _email_matches(norm)]
    for entry, (a, _), h_end in zip(entries, entry_offsets, header_ends, strict=True):
        if not entry.company:
            continue
        pos = norm.find(entry.company, a, h_end)
        if pos >= 0:
            out.append((pos, pos + len(entry.company)))
    return out


def _email_matches(text: str) -> list[re.Match[str]]:
    """``EMAIL_RE.finditer(text)``, scanning only near each "@": a match holds exactly one "@"
    (the local part cannot), at most 64 characters after its start and at most 576 before its
    end, and EMAIL_RE has no look-arounds, so the windows below contain every match."""
    windows: list[tuple[int, int]] = []
    at = text.find("@")
    while at >= 0:
        lo, hi = max(0, at - 64), min(len(text), at + 600)
        if windows and lo <= windows[-1][1]:
            windows[-1] = (windows[-1][0], hi)
        else:
            windows.append((lo, hi))
        at = text.find("@", at + 1)
    return [m for lo, hi in windows for m in EMAIL_RE.finditer(text, lo, hi)]


def _skills(
    norm: str,
    smap: SectionMap,
    entry_offsets: list[tuple[int, int]],
    summary_regions: list[tuple[int, int]],
    excluded: list[tuple[int, int]],
) -> list[CandidateSkill]:
    taxonomy = load_taxonomy()
    by_id: dict[str, CandidateSkill] = {}
    spoken_sections = {
        s.start for s in smap.bodies("languages")
        if SPOKEN_LANGUAGE_RE.search(norm, s.body_start, s.end)
    }
    for m in extract_skills(norm, role_names=True):  # a CV title is evidence
        if m.surface.casefold() in SPOKEN_LANGUAGE_SET or m.name.casefold() in SPOKEN_LANGUAGE_SET:
            continue
        if any(a < m.end and m.start < b for a, b in excluded):
            continue
        sec = smap.at(m.start)
        section = sec.name
        if section == "languages":
            if sec.start in spoken_sections:
                continue
            section = "skills"  # "Languages: Python, Go" — programming languages
        if m.fuzzy and section != "skills":
            continue  # fuzzy hits in prose are too often ordinary words ("caching")
        source: SkillSource = _SECTION_SOURCE.get(section, "other")
        if source == "other" and any(a <= m.start < b for a, b in entry_offsets):
            source = "experience"
        if source == "other" and any(a <= m.start < b for a, b in summary_regions):
            source = "summary"
        skill = by_id.get(m.skill_id)
        if skill is None:
            entry = taxonomy.get(m.skill_id)
            skill = CandidateSkill(
                name=m.name, skill_id=m.skill_id, category=entry.category if entry else None
            )
            by_id[m.skill_id] = skill
        if source not in skill.sources:
            skill.sources.append(source)
        skill.mentions.append(Span(text=m.surface, start=m.start, end=m.end,
                                   section=None if section == HEADER else section))
    for skill in by_id.values():
        skill.sources.sort(key=_SOURCE_ORDER.index)
    return list(by_id.values())


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


def _remote_preference(norm: str) -> RemotePreference | None:
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


def _salary_expectation(norm: str) -> SalaryRange | None:
    for _, line in _lines_with(norm, ("salary", "expect", "compensation", "rate", "pay")):
        if len(line) > 300 or not _SALARY_CUE.search(line):
            continue
        sal = find_salary(line)
        if sal is not None and (sal.min is not None or sal.max is not None):
            return sal
    return None


def _desired_roles(norm: str) -> list[str]:
    roles: list[str] = []

    def add(role: str) -> None:
        role = _EDGE_JUNK.sub("", role.strip())
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
