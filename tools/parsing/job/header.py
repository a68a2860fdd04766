"""The posting's header: labelled fields ("Location: Leeds"), and title, company and place from
the first free lines."""

from __future__ import annotations

import re

from tools.parsing.location import parse_location
from tools.parsing.salary import find_salary

LABEL_RE = re.compile(
    r"^\s*(?P<label>job title|title|position|role|company|employer|organisation|organization|"
    r"location|based in|office|salary|compensation|pay|pay range|salary range|rate|"
    r"employment type|job type|contract type|type|work mode|workplace|workplace type|remote|"
    r"posted|date posted|posted on|published|seniority|level)\s*[:：]\s*(?P<value>.+?)\s*$",
    re.IGNORECASE,
)
_TITLE_SPLIT = re.compile(r"\s+(?:at|@)\s+|\s+[|–—·]\s+|\s+-\s+")
_PAREN = re.compile(r"\s*\(([^)]{1,60})\)\s*$")
#: Whole-text scans for employment type and keywords look this far (they sit near the top).
SCAN_CHARS = 30_000


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


def title_company_location(
    labels: dict[str, str], header_lines: list[str], about_company: str | None = None
) -> tuple[str | None, str | None, str | None]:
    """Title, company and place text from the labels, else the first free header lines."""
    title = labels.get("title")
    company = labels.get("company")
    loc_text = labels.get("location")
    free = [ln for ln in header_lines if not LABEL_RE.match(ln)]
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


def label_key(label: str) -> str:
    """The field a header label names ("Job Title" -> "title")."""
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
