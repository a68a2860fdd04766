"""Job posting parsing: raw text or a structured record -> :class:`~tools.schemas.JobPosting`.

Skills are classified *section-aware*:

* under a requirements-like heading (Requirements, Must have, What you bring, Qualifications,
  You have, About you…) → **required**;
* under a preferred-like heading (Nice to have, Preferred, Bonus, Plus, Desirable…) →
  **preferred**;
* in the intro, description or responsibilities → **required when the posting has no
  requirements section** (then that text is all we have to go on), otherwise **preferred**
  (the posting listed what it requires; tools merely named in passing are weaker asks);
* in About us / Benefits / How to apply → ignored (company description, perks);
* an inline cue in the same clause overrides the section: "preferred", "nice to have",
  "a plus", "bonus", "desirable", "ideally", "not required" → preferred; "required", "must",
  "essential", "mandatory" → required;
* a skill that ends up in both lists is required only; each list is ordered by first mention.

Structured records (``title``, ``company``, ``location``, ``salary`` as a string, a number or
``{min, max, currency[, period]}``, ``description``, ``requirements`` as a string or a list,
``skills[]``, ``posted_date``, ``url``/``job_url``, ``id``/``external_id``,
``source``/``platform``, optional ``preferred_skills``/``nice_to_have``, ``employment_type``,
``work_mode``/``remote``) go through the same text logic on a text built from the fields; the
structured fields win where present and ``skills[]`` are required (unless also listed as
preferred in the record).

Seniority comes from the title (``detect_seniority``), falling back to the minimum years asked
(``seniority_from_years``). Never raises on arbitrary text.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
from datetime import date
from typing import Any

from tools.parsing.cv import (
    analysed_prefix,
    dedupe_certifications,
    degree_level_of,
    find_certification_spans,
    may_name_degree,
)
from tools.parsing.dates import parse_posted_date
from tools.parsing.experience import detect_seniority, parse_experience_years, seniority_from_years
from tools.parsing.keywords import extract_keywords
from tools.parsing.location import detect_work_mode, find_location, parse_location
from tools.parsing.salary import find_salary, parse_salary
from tools.parsing.sections import HEADER, JOB_HEADINGS, SectionMap, iter_lines, split_sections
from tools.parsing.stuffing import SCAN_WINDOW, cap_list, defuse_stuffing
from tools.parsing.text import (
    chain_maps,
    gate_open,
    gate_text,
    normalise_text,
    normalise_with_offsets,
    remap_spans,
    scan_map,
)
from tools.schemas import (
    DEGREE_RANK,
    DegreeLevel,
    EmploymentType,
    JobPosting,
    JobSkill,
    Location,
    Qualifications,
    SalaryPeriod,
    SalaryRange,
    Span,
    WorkMode,
)
from tools.skills import extract_skills, load_taxonomy

logger = logging.getLogger(__name__)

_IGNORED_SECTIONS = frozenset({"about", "benefits", "application"})
_CONTEXT_SECTIONS = frozenset({HEADER, "description", "responsibilities"})

_PREFERRED_CUE = re.compile(
    r"\b(?:preferred|preferably|nice[- ]to[- ]have|nice to haves?|(?:is |are |would be )?"
    r"(?:a |an )?(?:big |huge |definite )?plus|an advantage|advantageous|bonus|desirable|desired|"
    r"ideally|good to have|not required|not essential|optional|beneficial)\b",
    re.IGNORECASE,
)
_REQUIRED_CUE = re.compile(
    r"\b(?:required|must|essential|mandatory|necessary|need to have)\b", re.IGNORECASE
)
#: Lower-case words one of which every match of the cue pattern above spells (cheap gates).
_PREFERRED_CUE_WORDS = (
    "prefer", "nice", "plus", "advantage", "bonus", "desir", "ideally", "good to have",
    "not required", "not essential", "optional", "beneficial",
)
_REQUIRED_CUE_WORDS = ("required", "must", "essential", "mandatory", "necessary", "need to have")
_CLAUSE_BREAK = re.compile(r"[.;!?](?:\s|$)|\n")
#: A clause: up to a sentence break (". ", "; ", end of line); "Node.js" and "2.5" stay whole.
_CLAUSE_RE = re.compile(r"(?:[^.;!?\n]|[.;!?](?=\S))+[.;!?]?")

_LABEL = re.compile(
    r"^\s*(?P<label>job title|title|position|role|company|employer|organisation|organization|"
    r"location|based in|office|salary|compensation|pay|pay range|salary range|rate|"
    r"employment type|job type|contract type|type|work mode|workplace|workplace type|remote|"
    r"posted|date posted|posted on|published|seniority|level)\s*[:：]\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_TITLE_SPLIT = re.compile(r"\s+(?:at|@)\s+|\s+[|–—·]\s+|\s+-\s+")
_PAREN = re.compile(r"\s*\(([^)]{1,60})\)\s*$")
_EMPLOYMENT: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = (
    ("internship", re.compile(r"\b(?:internship|intern(?:s)?\b|placement year)", re.IGNORECASE)),
    ("part_time", re.compile(r"\bpart[- ]?time\b", re.IGNORECASE)),
    ("freelance", re.compile(r"\bfreelance\b", re.IGNORECASE)),
    ("temporary", re.compile(r"\b(?:temporary|temp\b|seasonal)", re.IGNORECASE)),
    ("contract", re.compile(
        r"\b(?:contract(?:or)?\s+(?:role|position|basis|assignment|engagement)|"
        r"\d{1,2}[- ]months?\s+contract|fixed[- ]term|contract\s*\(|b2b contract|"
        r"contract to hire|contract-to-hire|(?:^|\|\s*)contract\s*(?:$|\|))", re.IGNORECASE)),
    ("full_time", re.compile(r"\b(?:full[- ]?time|permanent)\b", re.IGNORECASE)),
)
#: Lower-case words one of which every match of the `_EMPLOYMENT` pattern of that kind spells.
_EMPLOYMENT_GATES: dict[str, tuple[str, ...]] = {
    "internship": ("internship",),  # the text must say "internship" (see _employment_type)
    "part_time": ("part",),
    "freelance": ("freelance",),
    "temporary": ("temp", "seasonal"),
    "contract": ("contract", "fixed"),
    "full_time": ("full", "permanent"),
}
_INTERNSHIP_WORD = re.compile(r"\binternship\b", re.IGNORECASE)
_EMPLOYMENT_VALUE: tuple[tuple[EmploymentType, re.Pattern[str]], ...] = (
    *_EMPLOYMENT,
    ("contract", re.compile(r"\bcontract", re.IGNORECASE)),
)
_EQUIVALENT = re.compile(
    r"\bequivalent\b|\bor (?:relevant|comparable|similar) (?:practical |professional |work )?"
    r"experience\b|\bpreferred\b|\bpreferably\b|\bnice to have\b|\bplus\b|\bdesirable\b|"
    r"\bnot required\b|\bideally\b|\badvantage\b",
    re.IGNORECASE,
)
_FIELDS_AFTER = re.compile(r"\b(?:in|of)\s+(?P<fields>[^.;\n(]{2,160})", re.IGNORECASE)
_FIELD_CUT = re.compile(
    r"\s*(?:,?\s*\bor\s+(?:an?\s+)?(?:equivalent|relevant|comparable|similar)\b.*$|"
    r"\bpreferred\b.*$|\brequired\b.*$|\bfrom\b.*$|\bwith\b.*$|\bplus\b.*$|\bor higher\b.*$|"
    r"\band/or\b.*$)",
    re.IGNORECASE,
)
_FIELD_SPLIT = re.compile(r"\s*(?:,|/|\bor\b|\band\b|&)\s*", re.IGNORECASE)
_FIELD_DROP = re.compile(
    r"\b(?:related|relevant|similar|equivalent|field|discipline|subject|area|etc)\b|"
    r"^(?:science|arts|engineering)$",
    re.IGNORECASE,
)
#: Whole-text scans for employment type and keywords look this far (they sit near the top).
_SCAN_CHARS = 30_000
_SLUG = re.compile(r"[^a-z0-9+#]+")
_PERIOD_FACTOR: dict[str, float] = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}


# --------------------------------------------------------------------------- public


def parse_job(data: str | dict[str, Any], *, today: date | None = None) -> JobPosting:
    """Parse raw posting text, or a structured record (see the module docstring).

    Args:
        data: posting text, a JSON object string, or a dict record.
        today: reference date for relative dates ("posted 3 days ago").
    """
    if isinstance(data, dict):
        return _parse_record(data, today)
    if not isinstance(data, str):
        return JobPosting()
    stripped = data.lstrip()
    if stripped.startswith("{") and len(stripped) < 5_000_000:
        try:
            obj = json.loads(stripped)
        except ValueError:
            obj = None
        if isinstance(obj, dict):
            return _parse_record(obj, today)
    return _parse_text(data, today)


# --------------------------------------------------------------------------- text path


def _parse_text(
    raw: str,
    today: date | None,
    *,
    structured_skills: list[str] | None = None,
    structured_preferred: list[str] | None = None,
    record: bool = False,
) -> JobPosting:
    given = raw or ""
    original = defuse_stuffing(given)  # tools/parsing/stuffing.py
    full, offsets = normalise_with_offsets(original, cells=True)
    if original is not given:  # spans index the text the caller gave, not the defused one
        offsets = chain_maps(offsets, scan_map(original, given, window=SCAN_WINDOW))
    if not full.strip():
        return JobPosting(text=full)
    text = analysed_prefix(full)
    sections = split_sections(text, JOB_HEADINGS)
    smap = SectionMap(sections)

    # ---- header fields
    labels: dict[str, str] = {}
    header_lines: list[str] = []
    for _, line in iter_lines(text[: sections[1].start if len(sections) > 1 else len(text)]):
        if len(header_lines) >= 12:
            break
        if not line.strip():
            continue
        m = _LABEL.match(line) if len(line) < 300 else None
        if m:
            labels.setdefault(_label_key(m.group("label")), m.group("value"))
        header_lines.append(line.strip())
    # labelled lines further down ("Location: Leeds" under the description)
    for _, line in iter_lines(text):
        if len(line) < 200 and ":" in line:
            m = _LABEL.match(line)
            if m:
                labels.setdefault(_label_key(m.group("label")), m.group("value"))

    about_company = next(
        (s.heading[6:].strip() for s in sections
         if s.name == "about" and s.heading and s.heading.startswith("About ")
         and not s.heading.lower().startswith(("about us", "about the"))),
        None,
    )
    title, company, loc_text = _title_company_location(labels, header_lines, about_company)
    location: Location | None = parse_location(loc_text) if loc_text else None
    if location is None or not (location.city or location.region or location.country):
        # "located in Tampa, FL", "...DOELocation: Irvine, CA" glued mid-line
        stated = find_location(text[:_SCAN_CHARS])
        if stated is not None:
            location = stated.model_copy(update={"remote": bool(location and location.remote)})

    # ---- work mode, employment type
    work_mode: WorkMode | None = None
    wm_label = labels.get("work_mode")
    if wm_label:
        work_mode = detect_work_mode(wm_label)
    if work_mode is None:
        work_mode = detect_work_mode(text)
    if work_mode is None and location is not None and location.remote:
        work_mode = "remote"

    employment_type = _employment_type(labels.get("employment_type"), header_lines, text)

    # ---- salary
    salary: SalaryRange | None = None
    if labels.get("salary"):
        salary = parse_salary(labels["salary"])
    if salary is None:
        salary = find_salary(text)

    # ---- experience, seniority
    exp_min, exp_max, exp_span = parse_experience_years(text)
    if exp_span is not None:
        sec = smap.name_at(exp_span.start)
        exp_span = Span(text=exp_span.text, start=exp_span.start, end=exp_span.end,
                        section=None if sec == HEADER else sec)
    seniority = detect_seniority(title, "") if title else None
    if seniority is None and labels.get("seniority"):
        seniority = detect_seniority(labels["seniority"])
    if seniority is None:
        seniority = seniority_from_years(exp_min) if exp_min is not None else None

    # ---- skills
    title_end = text.find(title) + len(title) if title and text.find(title) >= 0 else -1
    required, preferred = _classify_skills(
        text, smap, structured_skills, structured_preferred, title_end=title_end
    )

    # ---- qualifications
    qualifications = _qualifications(text, smap)

    # ---- keywords
    kw_text = "\n".join(
        text[s.body_start:s.end] for s in sections
        if s.name in ("requirements", "preferred", "responsibilities")
    )
    if not kw_text.strip():
        kw_text = "\n".join(
            text[s.body_start:s.end] for s in sections if s.name not in _IGNORED_SECTIONS
        )
    keywords = extract_keywords(
        kw_text[:_SCAN_CHARS],
        skills=[s.name for s in (*required, *preferred)],
        exclude=[x for x in (company, loc_text) if x],
    )

    # ---- posted date
    posted: date | None = None
    if labels.get("posted"):
        posted = parse_posted_date(labels["posted"], today=today)
    if posted is None:
        for _, line in iter_lines(text):
            if len(line) < 200 and "posted" in line.lower():
                posted = parse_posted_date(line, today=today)
                if posted is not None:
                    break

    posting = JobPosting(
        title=title,
        company=company,
        location=location,
        work_mode=work_mode,
        employment_type=employment_type,
        salary=salary,
        experience_min=exp_min,
        experience_max=exp_max,
        experience_span=exp_span,
        seniority=seniority,
        required_skills=required,
        preferred_skills=preferred,
        qualifications=qualifications,
        keywords=keywords,
        posted_date=posted,
        description=full,
        text=full,
    )
    if not record:  # spans index the text the caller gave (a record's: job.text, as built)
        remap_spans(posting, offsets, given)
    return posting


_EMPLOYMENT_TAIL = re.compile(
    r"\s+[-|]\s+(?:\d{1,2}[- ]months?\s+)?(?:contract|full[- ]time|part[- ]time|permanent|"
    r"temporary|temp|internship|freelance|fixed[- ]term)\b.*$",
    re.IGNORECASE,
)
_MODE_WORDS = re.compile(r"\b(?:remote|hybrid|on-?site|in[- ]office|office|wfh)\b", re.IGNORECASE)
_EMPLOYMENT_ONLY = re.compile(
    r"^(?:\d{1,2}[- ]months?\s+)?(?:contract|full[- ]time|part[- ]time|permanent|temporary|"
    r"internship|freelance|fixed[- ]term)\b", re.IGNORECASE,
)


def _is_place(text: str) -> bool:
    if _MODE_WORDS.search(text):
        return True
    loc = parse_location(text)
    return loc is not None and bool(loc.city or loc.country or loc.region or loc.remote)


def _split_place(text: str) -> tuple[str, str | None]:
    """"Helio Energie GmbH, Berlin" -> ("Helio Energie GmbH", "Berlin")."""
    if ", " in text:
        head, tail = text.split(", ", 1)
        if head and _is_place(tail) and not _is_place(head):
            return head, tail
    return text, None


def _title_company_location(
    labels: dict[str, str], header_lines: list[str], about_company: str | None = None
) -> tuple[str | None, str | None, str | None]:
    title = labels.get("title")
    company = labels.get("company")
    loc_text = labels.get("location")
    free = [ln for ln in header_lines if not _LABEL.match(ln)]
    first = free[0] if free and len(free[0]) <= 120 else None
    second = free[1] if len(free) > 1 else None
    company_line = (
        second is not None and company is None and len(second.split()) <= 8
        and not second.endswith(".") and find_salary(second) is None
        and not _EMPLOYMENT_ONLY.match(second) and not _MODE_WORDS.fullmatch(second.strip())
    )
    if title is None and first is not None:
        if company_line or company is not None:
            title = _EMPLOYMENT_TAIL.sub("", first).strip() or None
            if company is None and title and re.search(r"\s(?:at|@)\s", title):
                title, _, company = title.partition(" at ")
        else:
            parts = [p.strip() for p in _TITLE_SPLIT.split(first) if p and p.strip()]
            parts = [p for p in parts if not _EMPLOYMENT_ONLY.match(p)]
            if parts:
                title = parts[0]
                if len(parts) > 1:
                    company, place = _split_place(parts[1])
                    if loc_text is None and place:
                        loc_text = place
                if len(parts) > 2 and loc_text is None:
                    loc_text = parts[2]
        if title:
            paren = _PAREN.search(title)
            if paren and _is_place(paren.group(1)):
                if loc_text is None:
                    loc_text = paren.group(1)
                title = title[: paren.start()].strip()
    if company is None and company_line and second is not None:
        pieces = [p.strip() for p in _TITLE_SPLIT.split(second) if p.strip()]
        pieces = [p for p in pieces if not _EMPLOYMENT_ONLY.match(p)]
        if pieces:
            company, place = _split_place(pieces[0])
            rest = [p for p in pieces[1:] if not _MODE_WORDS.fullmatch(p)]
            if loc_text is None:
                loc_text = place or (", ".join(rest) if rest else None)
    if company is None and about_company:
        company = about_company
    if company:
        company = company.strip() or None
    if loc_text:
        paren = _PAREN.search(loc_text)
        if paren and _MODE_WORDS.search(paren.group(1)) and paren.start() > 0:
            loc_text = loc_text[: paren.start()].strip()
    return title, company, loc_text


def _label_key(label: str) -> str:
    label = label.lower()
    if label in ("job title", "title", "position", "role"):
        return "title"
    if label in ("company", "employer", "organisation", "organization"):
        return "company"
    if label in ("location", "based in", "office"):
        return "location"
    if label in ("salary", "compensation", "pay", "pay range", "salary range", "rate"):
        return "salary"
    if label in ("employment type", "job type", "contract type", "type"):
        return "employment_type"
    if label in ("work mode", "workplace", "workplace type", "remote"):
        return "work_mode"
    if label in ("posted", "date posted", "posted on", "published"):
        return "posted"
    return "seniority"


def _employment_type(
    label: str | None, header_lines: list[str], text: str
) -> EmploymentType | None:
    if label:
        for kind, pattern in _EMPLOYMENT_VALUE:
            if pattern.search(label):
                return kind
    header = "\n".join(header_lines)[:5_000]
    for kind, pattern in _EMPLOYMENT_VALUE:
        if pattern.search(header):
            return kind
    text = text[:_SCAN_CHARS]
    low = gate_text(text)
    for kind, pattern in _EMPLOYMENT:
        if not gate_open(low, *_EMPLOYMENT_GATES[kind]):
            continue  # no word the pattern spells occurs in the text
        if kind == "internship" and not _INTERNSHIP_WORD.search(text):
            continue
        if pattern.search(text):
            return kind
    return None


class _Clauses:
    """Clause boundaries (sentence breaks, newlines) of a text, found once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = [0]
        self.ends: list[int] = []
        for m in _CLAUSE_BREAK.finditer(text):
            self.ends.append(m.start())
            self.starts.append(m.end())
        self.ends.append(len(text))

    def around(self, start: int, end: int) -> str:
        """The clause holding text[start:end], at most 300 characters either side."""
        i = bisect.bisect_right(self.starts, start) - 1
        a = max(self.starts[i], start - 300)
        j = bisect.bisect_left(self.ends, end)
        b = min(self.ends[j] if j < len(self.ends) else len(self.text), end + 300)
        return self.text[a:b]


def _classify_skills(
    text: str,
    smap: SectionMap,
    structured: list[str] | None,
    structured_preferred: list[str] | None,
    *,
    title_end: int = -1,
) -> tuple[list[JobSkill], list[JobSkill]]:
    taxonomy = load_taxonomy()
    has_requirements = smap.has("requirements")
    required: dict[str, JobSkill] = {}
    preferred: dict[str, JobSkill] = {}
    first_span: dict[str, Span] = {}
    pref_ids: set[str] = set()
    cue_cache: dict[str, tuple[bool, bool]] = {}
    clauses = _Clauses(text)
    # text-wide gates: a cue or degree word absent from the text is absent from every clause
    low = gate_text(text)
    pref_gate = gate_open(low, *_PREFERRED_CUE_WORDS)
    req_gate = gate_open(low, *_REQUIRED_CUE_WORDS)
    degree_gate = may_name_degree(text)

    for m in extract_skills(text, fuzzy=False, role_names=True):  # a title names the work
        sec = smap.at(m.start)
        section = sec.name
        span: Span | None = None
        if m.skill_id not in first_span:
            span = first_span[m.skill_id] = Span(
                text=m.surface, start=m.start, end=m.end,
                section=None if section == HEADER else section)
        if section in _IGNORED_SECTIONS:
            continue
        clause = clauses.around(m.start, m.end)
        cues = cue_cache.get(clause)
        if cues is None:
            cues = cue_cache[clause] = (
                pref_gate and _PREFERRED_CUE.search(clause) is not None,
                req_gate and _REQUIRED_CUE.search(clause) is not None,
            )
        entry = taxonomy.get(m.skill_id)
        if entry is not None and entry.category == "domain" and degree_gate \
                and degree_level_of(clause):
            continue  # "degree in Computer Science": a degree field, see qualifications
        if m.end <= title_end:
            is_required = True  # the title names the discipline ("Frontend Developer")
        elif section == "requirements":
            is_required = True
        elif section == "preferred":
            is_required = False
        else:  # context sections (intro, description, responsibilities) and the rest
            is_required = not has_requirements
        if m.end > title_end:
            if cues[0]:
                is_required = False
            elif cues[1]:
                is_required = True
            if is_required and _is_example_or_alternative(text, m.start, m.end):
                is_required = False  # "tools such as X, Y", "Java or Kotlin": not each a must
        target = required if is_required else preferred
        if m.skill_id in target:
            continue  # the first mention of a skill in each list wins
        if span is None:
            span = Span(text=m.surface, start=m.start, end=m.end,
                        section=None if section == HEADER else section)
        target[m.skill_id] = JobSkill(name=m.name, skill_id=m.skill_id,
                                      category=entry.category if entry else None,
                                      required=is_required, span=span)

    out_required: list[JobSkill] = []
    if structured_preferred:
        for name in structured_preferred:
            sk = _structured_skill(name, first_span, required=False)
            if sk is not None:
                pref_ids.add(sk.skill_id)
                preferred.setdefault(sk.skill_id, sk)
    if structured:
        for name in structured:
            sk = _structured_skill(name, first_span, required=True)
            if sk is None or sk.skill_id in pref_ids:
                continue
            if all(s.skill_id != sk.skill_id for s in out_required):
                out_required.append(required.get(sk.skill_id, sk))
    for sid, sk in required.items():
        if sid in pref_ids and structured_preferred:
            continue
        if all(s.skill_id != sid for s in out_required):
            out_required.append(sk)
    req_ids = {s.skill_id for s in out_required}
    out_preferred = [
        sk.model_copy(update={"required": False})
        for sid, sk in preferred.items() if sid not in req_ids
    ]
    return out_required, out_preferred


#: An example list opens before a skill on the same line: "tools such as", "e.g.", "like".
_EXAMPLE_BEFORE = re.compile(
    r"(?:\bsuch as|\be\.\s?g\.?|\beg\.|\bfor (?:example|instance)|\bincluding|\blike|\bi\.e\.)"
    r"[^.;:!?\n()]*$", re.I)
#: Alternatives: "X or Y", "X and/or Y", "X/Y" around the skill (one of them is asked for).
_OR_BEFORE = re.compile(r"(?:\bor|\band/or)\s+(?:[\w.+#-]+\s+){0,2}$", re.I)
_OR_AFTER = re.compile(r"^(?:\s+[\w.+#-]+){0,2}\s*,?\s+(?:or|and/or)\b", re.I)


def _is_example_or_alternative(text: str, start: int, end: int) -> bool:
    """Whether a skill mention is one example of a list ("such as X, Y"; "e.g. X") or one of
    alternatives ("X or Y"): the posting asks for one of them, not each."""
    before = text[max(0, start - 160):start]
    line = before.rsplit("\n", 1)[-1]
    if _EXAMPLE_BEFORE.search(line):
        return True
    after = text[end:end + 40].split("\n", 1)[0]
    return bool(_OR_BEFORE.search(line[-40:]) or _OR_AFTER.match(after))


def _structured_skill(name: Any, first_span: dict[str, Span], *, required: bool) -> JobSkill | None:
    if not isinstance(name, str) or not name.strip():
        return None
    taxonomy = load_taxonomy()
    entry = taxonomy.lookup(name.strip())
    if entry is None:
        mentions = extract_skills(name)
        if len(mentions) == 1 and len(mentions[0].surface) >= len(name.strip()) - 2:
            entry = taxonomy.get(mentions[0].skill_id)
    if entry is not None:
        return JobSkill(name=entry.name, skill_id=entry.id, category=entry.category,
                        required=required, span=first_span.get(entry.id))
    clean = " ".join(name.split())[:80]
    slug = _SLUG.sub("-", clean.lower()).strip("-")
    if not slug:
        return None
    return JobSkill(name=clean, skill_id=slug, required=required, span=None)


def _qualifications(text: str, smap: SectionMap) -> Qualifications:
    """Degree level (the lowest named in the most binding clause), whether it is required,
    fields, and certifications asked for (preferred-only certifications are left out)."""
    has_requirements = smap.has("requirements")
    relevant = [s for s in smap.sections if s.name in ("requirements", "preferred")]
    if not relevant:
        relevant = [s for s in smap.sections if s.name not in _IGNORED_SECTIONS]
    best: tuple[int, DegreeLevel, bool, Span, str] | None = None
    certs: list[str] = []
    for s in relevant:
        hits = find_certification_spans(text, s.body_start, s.end)
        sec_text = text[s.body_start:s.end]
        # no degree word in the section: no clause of it names a degree
        degrees = may_name_degree(sec_text)
        if not hits and not degrees:
            continue
        pref_gate = gate_open(gate_text(sec_text), *_PREFERRED_CUE_WORDS)
        in_pref = s.name == "preferred" or (
            has_requirements and s.name not in ("requirements", "preferred"))
        for m in _CLAUSE_RE.finditer(text, s.body_start, s.end):
            clause = m.group(0)
            if not clause.strip() or len(clause) > 2_000:
                continue
            levels = _levels_in(clause) if degrees else []
            clause_hits = [name for pos, name in hits if m.start() <= pos < m.end()]
            if not levels and (in_pref or not clause_hits):
                continue
            preferred_cue = pref_gate and _PREFERRED_CUE.search(clause) is not None
            if not in_pref and not preferred_cue:
                certs.extend(clause_hits)
            if not levels:
                continue
            level = min(levels, key=lambda lv: DEGREE_RANK[lv])
            required = not in_pref and not _EQUIVALENT.search(clause)
            priority = 1 if in_pref or preferred_cue else 0
            lead = len(clause) - len(clause.lstrip(" -*•·\t"))
            body = clause.strip(" -*•·\t")
            span = Span(text=body, start=m.start() + lead, end=m.start() + lead + len(body),
                        section=None if s.name == HEADER else s.name)
            if best is None or priority < best[0]:
                best = (priority, level, required, span, clause)
    certs = dedupe_certifications(certs)
    if best is None:
        return Qualifications(degree_level=None, degree_required=False, certifications=certs)
    _, level, required, span, clause = best
    return Qualifications(
        degree_level=level, degree_required=required, fields=_fields(clause),
        certifications=certs, span=span,
    )


def _levels_in(line: str) -> list[DegreeLevel]:
    levels: list[DegreeLevel] = []
    rest = line
    for _ in range(4):
        hit = degree_level_of(rest)
        if hit is None:
            break
        level, m = hit
        if level not in levels:
            levels.append(level)
        rest = rest[: m.start()] + " " * (m.end() - m.start()) + rest[m.end():]
    if levels == ["high_school"] and re.search(r"\bged\b", line, re.IGNORECASE) is None and \
            re.search(r"high school|secondary|a-levels?|gcse", line, re.IGNORECASE) is None:
        return []
    return levels


def _fields(line: str) -> list[str]:
    hit = degree_level_of(line)
    if hit is None:
        return []
    m = _FIELDS_AFTER.search(line, hit[1].end())
    if m is None:
        return []
    chunk = m.group("fields")
    such = re.search(r"\bsuch as\b|\be\.g\.?|\blike\b", chunk, re.IGNORECASE)
    if such:
        chunk = chunk[such.end():]
    chunk = _FIELD_CUT.sub("", chunk)
    chunk = re.sub(r"\s+(?:is|are|would be|will be)\b.*$", "", chunk, flags=re.IGNORECASE)
    out: list[str] = []
    for piece in _FIELD_SPLIT.split(chunk):
        piece = re.sub(r"^(?:an?|the)\s+", "", piece.strip(" .,:"), flags=re.IGNORECASE)
        if not piece or _FIELD_DROP.search(piece) or len(piece.split()) > 5:
            continue
        if degree_level_of(piece):
            continue
        if piece.lower() not in {o.lower() for o in out}:
            out.append(piece)
    return out


# --------------------------------------------------------------------------- record path


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "display_name", "raw", "text"):
            if isinstance(value.get(key), str):
                return str(value[key])
        return ", ".join(str(v) for v in value.values() if isinstance(v, (str, int, float)))
    if isinstance(value, (list, tuple)):
        return "\n".join(_as_text(v) for v in value)
    return ""


def _list_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[,;\n]", value) if p.strip()]
    if isinstance(value, (list, tuple)):
        return [_as_text(v).strip() for v in value if _as_text(v).strip()]
    return []


def _record_salary(value: Any, currency_hint: Any) -> SalaryRange | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        amount = float(value)
        if amount <= 0:
            return None
        parsed = parse_salary(f"{_currency_symbol(currency_hint)}{amount:.0f}")
        if parsed is not None and parsed.min is not None:
            return parsed
        return SalaryRange(min=amount, max=amount,
                           currency=currency_hint if isinstance(currency_hint, str) else None,
                           raw=str(value))
    if isinstance(value, dict):
        lo = _num(value.get("min", value.get("minimum", value.get("from"))))
        hi = _num(value.get("max", value.get("maximum", value.get("to"))))
        if lo is None and hi is None:
            return parse_salary(_as_text(value)) if _as_text(value) else None
        period_raw = str(value.get("period", value.get("interval", value.get("unit", "year"))))
        period = _period(period_raw)
        factor = _PERIOD_FACTOR[period]
        cur = value.get("currency", currency_hint)
        return SalaryRange(
            min=lo * factor if lo is not None else None,
            max=hi * factor if hi is not None else None,
            currency=str(cur).upper() if isinstance(cur, str) and cur else None,
            period=period,
            raw=json.dumps(value, sort_keys=True, default=str),
        )
    return parse_salary(_as_text(value))


def _currency_symbol(cur: Any) -> str:
    return {"USD": "$", "GBP": "£", "EUR": "€"}.get(str(cur).upper(), "") if cur else ""


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return None
    return None


def _period(raw: str) -> SalaryPeriod:
    raw = raw.lower()
    if raw.startswith(("hour", "hr")):
        return "hour"
    if raw.startswith("day") or raw == "daily":
        return "day"
    if raw.startswith("week"):
        return "week"
    if raw.startswith("month"):
        return "month"
    return "year"


def _record_date(value: Any, today: date | None) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return parse_posted_date(value, today=today)


def _parse_record(rec: dict[str, Any], today: date | None) -> JobPosting:
    title = _as_text(rec.get("title")).strip() or None
    company = _as_text(rec.get("company") or rec.get("company_name")).strip() or None
    loc_raw = _as_text(rec.get("location")).strip()
    description = _as_text(rec.get("description"))
    requirements = rec.get("requirements")
    skills = cap_list(_list_of(rec.get("skills")))
    preferred = cap_list(_list_of(rec.get("preferred_skills") or rec.get("nice_to_have")))

    lines: list[str] = []
    if title:
        lines.append(title)
    if company:
        lines.append(f"Company: {company}")
    if loc_raw:
        lines.append(f"Location: {loc_raw}")
    lines.append("")
    if description.strip():
        lines.append(description.strip())
        lines.append("")
    if isinstance(requirements, (list, tuple)):
        items = [_as_text(r).strip() for r in requirements if _as_text(r).strip()]
        if items:
            lines.append("Requirements:")
            lines.extend(f"- {i}" for i in items)
            lines.append("")
    elif isinstance(requirements, str) and requirements.strip():
        lines.append("Requirements:")
        lines.append(requirements.strip())
        lines.append("")
    if preferred:
        lines.append("Nice to have:")
        lines.extend(f"- {p}" for p in preferred)
    text = "\n".join(lines)

    job = _parse_text(text, today, structured_skills=skills, structured_preferred=preferred,
                      record=True)
    update: dict[str, Any] = {}
    if title:
        update["title"] = title
        sen = detect_seniority(title, "")
        if sen is not None:
            update["seniority"] = sen
    if company:
        update["company"] = company
    if loc_raw:
        update["location"] = parse_location(loc_raw) or Location(raw=loc_raw)
    salary = _record_salary(rec.get("salary"), rec.get("currency"))
    if salary is not None:
        update["salary"] = salary
    wm = rec.get("work_mode") or rec.get("workplace_type")
    if isinstance(wm, str) and detect_work_mode(wm):
        update["work_mode"] = detect_work_mode(wm)
    elif rec.get("remote") is True:
        update["work_mode"] = "remote"
    et = rec.get("employment_type") or rec.get("job_type")
    if isinstance(et, str):
        kind = _employment_type(et, [], "")
        if kind is not None:
            update["employment_type"] = kind
    posted = _record_date(rec.get("posted_date") or rec.get("date_posted") or rec.get("posted"),
                          today)
    if posted is not None:
        update["posted_date"] = posted
    ext = rec.get("external_id", rec.get("id"))
    if ext is not None and not isinstance(ext, (dict, list)):
        update["external_id"] = str(ext)
    url = rec.get("url") or rec.get("job_url")
    if isinstance(url, str) and url.strip():
        update["url"] = url.strip()
    src = rec.get("source") or rec.get("platform")
    if isinstance(src, str) and src.strip():
        update["source"] = src.strip()
    update["description"] = normalise_text(description) if description else ""
    return job.model_copy(update=update)


__all__ = ["parse_job"]
