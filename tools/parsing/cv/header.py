"""The CV header (the lines before the first heading): name, e-mail, phone, links, headline and
location."""

from __future__ import annotations

import re

from tools.parsing.cv.patterns import DATE_RANGE_RE, ROLE_WORDS
from tools.parsing.location import parse_location
from tools.parsing.sections import match_heading
from tools.schemas import Location, PersonalInfo

EMAIL_RE = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}")
URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s|,;()<>]{2,200}|"
    r"\b(?:linkedin\.com|github\.com|gitlab\.com|behance\.net|dribbble\.com|medium\.com|"
    r"kaggle\.com|stackoverflow\.com)/[^\s|,;()<>]{1,200}"
)
URL_HINTS = ("http", "www.", "linkedin.com", "github.com", "gitlab.com", "behance.net",
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


def header_info(
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
