"""The no-invention check: facts (skills, employers, titles, degrees, dates, numbers) in
tailored text that the original CV does not contain."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from tools.parsing.cv import EMAIL_RE, ROLE_WORDS, URL_RE, degree_level_of, parse_cv
from tools.parsing.numbers import NUMBER_WORDS
from tools.schemas import CandidateProfile
from tools.skills import extract_skills
from tools.tailoring.models import Violation, ViolationKind

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
             r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_YEAR_RE = r"(?:19[5-9]\d|20\d\d)"
_MONTH_YEAR = re.compile(
    rf"\b(?P<m>{_MONTH_RE})\.?,?\s+(?P<y>{_YEAR_RE})\b|\b(?P<mm>0?[1-9]|1[0-2])[/.](?P<y2>"
    rf"{_YEAR_RE})\b|\b(?P<y3>{_YEAR_RE})-(?P<mm3>0[1-9]|1[0-2])\b", re.IGNORECASE)
_YEAR = re.compile(rf"(?<![\d.,])({_YEAR_RE})(?![\d%])")
_NUMBER = re.compile(
    r"(?P<cur>[$£€])?\s?(?P<num>\d+(?:[.,]\d+)*)(?:\s?(?P<unit>%|percent\b|per cent\b|"
    r"k\b|m\b|bn\b|b\b|million\b|billion\b|thousand\b|x\b))?",
    re.IGNORECASE,
)
# p95, s3, 2tb (not "4k", "2M", "3x": those are numbers with a unit)
_CODE = re.compile(r"\b[a-z]+\d\w*\b|\b\d+(?!(?:k|m|bn|b|x)\b)[a-z]+\w*\b", re.IGNORECASE)
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(w for w in NUMBER_WORDS if w not in
                                                ("zero", "one")) + r")\b", re.IGNORECASE)
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9,
         "billion": 1e9}
_PROPER = re.compile(r"(?<![\w@./])([A-Z][\w&'’.-]*[\w&]|[A-Z])"
                     r"((?:\s+(?:&\s+)?[A-Z][\w&'’.-]*[\w&])*)")
_EMPLOYER_CUE = re.compile(r"(?:\b(?:at|joined|for)|@)\s*$", re.IGNORECASE)
_COMPANY_SUFFIX = re.compile(r"\b(?:inc|ltd|llc|llp|gmbh|corp|plc|ag|bv)\b\.?$", re.IGNORECASE)
_SENIOR = r"(?:senior|sr\.?|junior|jr\.?|lead|staff|principal|chief|head|associate|vp|" \
          r"vice president|director|managing)"
_ROLE = ROLE_WORDS.pattern[ROLE_WORDS.pattern.index("(?:") + 3:ROLE_WORDS.pattern.rindex(")s?")]
#: A role phrase: up to four capitalised or seniority words, a role word, "of <Name>".
_TITLE = re.compile(
    rf"\b((?:(?:[A-Z][\w&/-]*|(?i:{_SENIOR}))\s+){{0,4}}(?i:(?:{_ROLE})s?)"
    r"(?:\s+of\s+[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*)?)\b"
)
_CLAUSE = re.compile(r"\s*(?:[,;/&]|\band\b|\bor\b)\s*", re.IGNORECASE)
_ACRONYMS = frozenset(
    "kpi kpis roi okr okrs sla slas slo slos api apis ui ux ci cd b2b b2c saas qa crm p&l yoy "
    "mom emea apac us usa uk eu i we my our the a an in on of".split()
)
_MD = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,2}[.)]\s+)")


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^\w+#%$£€&' ]+", " ", text)
    return " " + " ".join(text.split()) + " "


def _contains(norm_text: str, phrase: str) -> bool:
    p = _norm(phrase)
    return bool(p.strip()) and p in norm_text


def _strip_md(line: str) -> str:
    line = _MD.sub("", line)
    return line.replace("**", "").replace("__", "").rstrip()


def _masked(text: str) -> str:
    """Contact details (e-mails, URLs) blanked out: their digits are not numbers."""
    for rx in (EMAIL_RE, URL_RE):
        text = rx.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _numbers(text: str) -> list[tuple[str, tuple[float, str]]]:
    """(as written, (value, unit)) for every number outside dates, e-mails and URLs."""
    text = _masked(text)
    spans = [m.span() for m in _MONTH_YEAR.finditer(text)] + [m.span() for m in
                                                               _YEAR.finditer(text)]
    codes = [m.span() for m in _CODE.finditer(text)]
    out: list[tuple[str, tuple[float, str]]] = []
    for m in _NUMBER.finditer(text):
        a, b = m.span("num")
        if any(s <= a < e for s, e in spans) or any(s <= a < e for s, e in codes):
            continue
        raw = m.group("num")
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
            value = float(raw.replace(",", ""))
        else:
            try:
                value = float(raw.replace(",", "."))
            except ValueError:
                continue
        unit = (m.group("unit") or "").lower()
        kind = ""
        if unit in ("%", "percent", "per cent"):
            kind = "%"
        elif unit in _MULT:
            value *= _MULT[unit]
        if m.group("cur"):
            kind = m.group("cur")
        out.append((m.group(0).strip(), (round(value, 6), kind)))
    for m in _NUMBER_WORD_RE.finditer(text):
        word = m.group(1).lower()
        out.append((m.group(1), (float(NUMBER_WORDS[word]), "")))
    return out


def _has_number_word(text: str) -> bool:
    return _NUMBER_WORD_RE.search(text) is not None


def _codes(text: str) -> list[str]:
    return [m.group(0) for m in _CODE.finditer(_masked(text))]


def _dates(text: str) -> tuple[list[tuple[str, tuple[int, int]]], list[str]]:
    """Month-year mentions ((as written, (year, month))) and years."""
    text = _masked(text)
    months: list[tuple[str, tuple[int, int]]] = []
    for m in _MONTH_YEAR.finditer(text):
        if m.group("m"):
            months.append((m.group(0), (int(m.group("y")), _MONTHS[m.group("m")[:3].lower()])))
        elif m.group("y2"):
            months.append((m.group(0), (int(m.group("y2")), int(m.group("mm")))))
        else:
            months.append((m.group(0), (int(m.group("y3")), int(m.group("mm3")))))
    return months, _YEAR.findall(text)


def _degree_levels(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in text.split("\n"):
        for clause in _CLAUSE.split(line):
            hit = degree_level_of(clause) if clause.strip() else None
            if hit is not None:
                out.append((hit[1].group(0).strip(" .,;:"), hit[0]))
    return out


@dataclass
class _Reference:
    """What the original CV contains, in comparable forms."""

    text: str
    norm: str
    words: frozenset[str]
    skill_ids: frozenset[str]
    numbers: frozenset[tuple[float, str]]
    codes: frozenset[str]
    months: frozenset[tuple[int, int]]
    years: frozenset[str]
    degrees: frozenset[str]
    employers: frozenset[str]


def _reference(original: str, parsed: CandidateProfile | None = None) -> _Reference:
    """`parsed`: the original already parsed (its employers), to save a parse."""
    from tools.parsing.text import normalise_text

    text = normalise_text(original)
    if parsed is None:
        parsed = parse_cv(text)
    nums = {v for _, v in _numbers(text)}
    nums |= {(v, "") for v, _ in nums}  # "45%" in the CV backs a plain "45" too
    months, years = _dates(text)
    return _Reference(
        text=text, norm=_norm(text), words=frozenset(_norm(text).split()),
        skill_ids=frozenset(m.skill_id for m in extract_skills(text, role_names=True)),
        numbers=frozenset(nums), codes=frozenset(c.lower() for c in _codes(text)),
        months=frozenset(v for _, v in months), years=frozenset(years),
        degrees=frozenset(level for _, level in _degree_levels(text)),
        employers=frozenset(_norm(e.company).strip() for e in parsed.experience
                            if e.company),
    )


@cache
def _vocab() -> frozenset[str]:
    from tools.skills import _raw  # the taxonomy's word list (common English and skill words)

    return frozenset(_raw().get("vocab", ()))


def _line_violations(ref: _Reference, line: str) -> list[Violation]:
    """Facts in one tailored line that the original does not contain."""
    shown = line.strip()
    text = _strip_md(line)
    if not text.strip():
        return []
    out: list[Violation] = []
    seen: set[tuple[str, str]] = set()

    def flag(kind: ViolationKind, term: str) -> None:
        key = (kind, term.lower())
        if key in seen:
            return
        seen.add(key)
        out.append(Violation(kind=kind, term=term, line=shown,
                             reason=f"“{term}” is not in your original CV"))

    mentions = extract_skills(text, role_names=True)
    covered: list[tuple[int, int]] = []
    # the CV's own words for a skill, on this line ("k8s" in "k8s (Kubernetes)")
    own = {m.skill_id for m in mentions if _contains(ref.norm, m.surface)}
    for m in mentions:
        covered.append((m.start, m.end))
        # compared with the CV's text, not canonical ids: "JPA" does not back "Hibernate";
        # another wording of a skill passes only beside the CV's own (the job's term added
        # next to it)
        if _contains(ref.norm, m.surface) or (m.skill_id in own and m.skill_id in ref.skill_ids):
            continue
        flag("skill", m.surface)
    # degrees
    for surface, level in _degree_levels(text):
        if level not in ref.degrees:
            flag("degree", surface)
    # dates
    months, years = _dates(text)
    for surface, ym in months:
        if ym not in ref.months:
            flag("date", surface)
    for y in years:
        if y not in ref.years:
            flag("date", y)
    # numbers
    for surface, value in _numbers(text):
        if value not in ref.numbers:
            flag("number", surface)
    for code in _codes(text):
        low = code.lower()
        if low in ref.codes or any(a <= text.find(code) < b for a, b in covered):
            continue
        flag("number", code)
    # titles
    for tm in _TITLE.finditer(text):
        phrase = tm.group(1).strip()
        words = phrase.split()
        # drop leading words that are not seniority words ("Experienced Backend Engineer"),
        # until the rest is a title the CV has
        while (len(words) > 1 and not _contains(ref.norm, " ".join(words))
               and re.fullmatch(_SENIOR, words[0], re.IGNORECASE) is None):
            words = words[1:]
        rest = " ".join(words)
        if _contains(ref.norm, rest):
            continue
        if len(words) == 1 and (rest[:1].islower() or tm.start() == 0):
            continue  # a generic "engineers", or a sentence that starts with a role word
        flag("title", phrase)
    # employers and other proper names
    vocab = _vocab()
    masked = _masked(text)
    for pm in _PROPER.finditer(masked):
        name = (pm.group(1) + pm.group(2)).strip(" .'’")
        if not name:
            continue
        a = pm.start()
        if any(s <= a < e for s, e in covered):
            continue
        tokens = [t.strip(".'’") for t in re.split(r"\s+|&", name) if t.strip(".'’")]
        lows = [t.lower() for t in tokens]
        if re.fullmatch(_MONTH_RE, lows[0], re.IGNORECASE) or _TITLE.fullmatch(name) \
                or degree_level_of(name):
            continue
        before = masked[max(0, a - 12):a]
        cue = _EMPLOYER_CUE.search(before)
        if cue is not None:
            # "at Google": an employer, which the CV must name as one (not only as a word,
            # e.g. inside "Google Cloud")
            if _norm(name).strip() in ref.employers or _contains(ref.norm, cue.group(0) + name):
                continue
            flag("employer", name)
            continue
        if all(t in ref.words or t in _ACRONYMS for t in lows) or _contains(ref.norm, name):
            continue
        sentence_start = not masked[:a].strip() or re.search(r"[.!?:;]\s*$", masked[:a])
        unknown = [t for t in lows if t not in ref.words and t not in _ACRONYMS]
        common = all(t in vocab for t in unknown)
        if _COMPANY_SUFFIX.search(name) or (not sentence_start and not common):
            flag("employer", name)
    return out


def check_invention(original: str, tailored: str,
                    user_lines: Sequence[str] = ()) -> list[Violation]:
    """Every skill, employer, job title, degree, date/year or number in `tailored` that
    `original` does not contain, one entry per term and line.

    Comparison ignores case and punctuation. A skill counts as present when the original's text
    contains it as written; another wording of the same skill only when the line also carries
    the CV's own wording (``k8s (Kubernetes)``), never a canonical name on its own. Numbers
    compare by value and kind (``four`` = ``4``, ``4k`` = ``4,000``; ``45%`` and ``$45`` differ).

    ``user_lines``: sentences the user supplied (``TailoredCV.added``); a line that is one of
    them, with or without a bullet mark, is the user's own and not checked.
    """
    ref = _reference(original)
    own = {" ".join(u.split()) for u in user_lines}
    out: list[Violation] = []
    for line in tailored.split("\n"):
        if own and " ".join(_strip_md(line).split()) in own:
            continue
        out += _line_violations(ref, line)
    return out


def _local_violations(origin: str, line: str) -> list[Violation]:
    """Numbers and dates in a rewritten line that its own original line does not hold (a
    number moved from another role is not this role's achievement)."""
    ref = _reference(origin, CandidateProfile())  # only numbers and dates are compared
    out = []
    for v in _line_violations(ref, line):
        if v.kind in ("number", "date"):
            out.append(v.model_copy(update={
                "reason": f"“{v.term}” is not in the original line"}))
    return out
