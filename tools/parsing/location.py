"""Locations and work mode.

Locations are resolved against a compact gazetteer (``tools/data/locations.json``: ~360 major
cities with region and ISO country, US states, Canadian provinces, some other subdivisions,
country names and aliases, and supra-national areas such as "EU" or "APAC"), loaded once on
first use. A remote posting limited to an area ("Remote (EU)") gets ``region="EU"`` and no
country; ``in_area`` tells whether a country belongs to such an area.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tools.parsing.text import gate_open, gate_text
from tools.schemas import Location, WorkMode

_DATA = Path(__file__).resolve().parent.parent / "data" / "locations.json"


@dataclass
class _Gazetteer:
    countries: dict[str, str] = field(default_factory=dict)  # key -> ISO2
    iso: set[str] = field(default_factory=set)
    country_names: dict[str, str] = field(default_factory=dict)  # ISO2 -> name
    regions: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # key -> (cc, code)
    region_codes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # "ca" -> ...
    cities: dict[str, list[tuple[str, str | None, str]]] = field(default_factory=dict)
    areas: dict[str, str] = field(default_factory=dict)  # key -> area code
    area_countries: dict[str, frozenset[str]] = field(default_factory=dict)


def _key(s: str) -> str:
    """Accent-, case- and punctuation-insensitive lookup key ("München" -> "munchen")."""
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = s.casefold().replace("ß", "ss").replace("&", " and ")
    return " ".join(re.sub(r"[^\w]+", " ", s).split())


#: Region codes usable on their own ("San Francisco, CA"); other countries' codes are too
#: ambiguous as bare tokens and are only matched by name.
_CODE_COUNTRIES = ("US", "CA", "AU")


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    g = _Gazetteer()
    for code, names in raw["countries"].items():
        g.iso.add(code)
        g.country_names[code] = names[0]
        for n in names:
            g.countries.setdefault(_key(n), code)
    for cc, regions in raw["regions"].items():
        for code, names in regions.items():
            for n in names:
                g.regions.setdefault(_key(n), []).append((cc, code))
            if cc in _CODE_COUNTRIES:
                g.region_codes.setdefault(code.lower(), []).append((cc, code))
    for name, region, cc, aliases in raw["cities"]:
        for n in (name, *aliases):
            g.cities.setdefault(_key(n), []).append((name, region, cc))
    for code, spec in raw["areas"].items():
        for alias in spec["aliases"]:
            g.areas[_key(alias)] = code
        g.area_countries[code] = frozenset(spec["countries"])
    return g


# --------------------------------------------------------------------------- parse_location

_REMOTE_RE = re.compile(
    r"(?i:\b(?:remote|anywhere|worldwide|work\s+from\s+home|wfh|home[\s-]?based|telecommute"
    r"|distributed)\b)"
)
_MODE_WORDS_RE = re.compile(
    r"(?i:\b(?:fully|100\s*%|remote(?:[\s-](?:first|friendly|only|ok))?|anywhere(?:\s+in)?"
    r"|worldwide|global(?:ly)?|work\s+from\s+home|wfh|home[\s-]?based|telecommute|distributed"
    r"|hybrid|on[\s-]?site|in[\s-]office|office[\s-]based|flexible|based\s+in|based|(?-i:[Ii]n)"
    r"|greater|metropolitan\s+area|metro\s+area"
    r"|location|locations|hq|headquarters|multiple|various)\b|100\s*%)"
)
_POSTCODE_RE = re.compile(
    r"\b(?:\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{1,6})\b"
)
_SPLIT_RE = re.compile(
    r"\s*(?:[,/|;()\[\]:•·+]|\s[-–—]\s|^[-–—]\s?|\s?[-–—]$|\s(?:or|and|&)\s)\s*"
)
_AREA_IN_REMOTE_RE = re.compile(r"[A-Za-z&]")


def parse_location(text: str) -> Location | None:
    """"Berlin, Germany", "San Francisco, CA", "London (Hybrid)", "Remote - US" -> Location with
    city/region/country (ISO alpha-2) filled where known."""
    if not text or not text.strip():
        return None
    if len(text) > 200:
        return _parse_location(text)
    loc = _parse_location_cached(text)
    # a copy: callers own (and may change) the model they get
    return loc.model_copy() if loc is not None else None


@lru_cache(maxsize=4096)
def _parse_location_cached(text: str) -> Location | None:
    """CV headers and entry parts ask about the same short strings many times."""
    return _parse_location(text)


def _parse_location(text: str) -> Location | None:
    raw = " ".join(text.split())[:300]
    g = _gazetteer()
    remote = _REMOTE_RE.search(raw) is not None
    cleaned = _POSTCODE_RE.sub(" ", _MODE_WORDS_RE.sub(" ", raw))
    parts = [p.strip(" .-–—") for p in _SPLIT_RE.split(cleaned)]
    parts = [p for p in parts if p and _AREA_IN_REMOTE_RE.search(p)]
    if not parts:
        return Location(raw=raw, remote=True) if remote else None

    parts = _split_trailing_codes(parts, g)
    keys = [_key(p) for p in parts]
    # explicit country: right-most part naming a country (not the city part itself); when
    # several countries are listed ("Remote (US or Canada)") the first one
    country: str | None = None
    country_idx: int | None = None
    n_countries = sum(1 for k in keys if k in g.countries)
    order = range(len(keys)) if n_countries > 1 else range(len(keys) - 1, -1, -1)
    for i in order:
        cc = g.countries.get(keys[i])
        if cc is None and len(parts[i]) == 2 and parts[i].isupper() and parts[i] in g.iso:
            # "Berlin, DE" - an ISO code, unless it reads as a US/CA/AU region code below
            city_countries = {c[2] for j, k in enumerate(keys) if j != i
                              for c in g.cities.get(k, [])}
            if not (i > 0 and keys[i] in g.region_codes) or parts[i] in city_countries:
                cc = parts[i]
        if cc is not None:
            if i == 0 and len(keys) == 1 and keys[0] in g.cities and cc not in ("SG", "HK", "LU"):
                break  # "Mexico"? countries win; single city names are handled below
            country, country_idx = cc, i
            break

    # region hints from the other parts
    hints: list[tuple[int, str, str]] = []
    for i, k in enumerate(keys):
        if i == country_idx:
            continue
        for cc, code in g.regions.get(k, []):
            hints.append((i, cc, code))
        if i > 0 and (parts[i].isupper() or len(parts[i]) <= 3):
            for cc, code in g.region_codes.get(k, []):
                hints.append((i, cc, code))

    city: str | None = None
    region: str | None = None
    city_idx: int | None = None
    for i, k in enumerate(keys):
        cands = g.cities.get(k)
        if not cands:
            continue
        if i == country_idx and not any(c[2] == country for c in cands):
            continue
        if i > 0 and len(parts[i]) == 2 and parts[i].isupper() and k in g.region_codes:
            continue  # "Baton Rouge, LA": a state code, not Los Angeles
        best = max(
            enumerate(cands),
            key=lambda ic: (
                (2 if country and ic[1][2] == country else 0)
                + (2 if any(h[1] == ic[1][2] and h[2] == ic[1][1] for h in hints if h[0] != i)
                   else 0)
                + (1 if any(h[1] == ic[1][2] for h in hints if h[0] != i) else 0),
                -ic[0],
            ),
        )[1]
        others = [h for h in hints if h[0] != i]
        if (country and best[2] != country) or (
            not country and others and not any(h[1] == best[2] for h in others)
        ):
            # "Paris, Texas", "Vancouver, WA": another place of that name
            city, city_idx = parts[i], i
            break
        city, region, city_idx = best[0], best[1], i
        country = country or best[2]
        break

    other_hints = [h for h in hints if h[0] != city_idx]
    if other_hints:
        chosen = _pick_hint(other_hints, country)
        if chosen is not None:
            country = country or chosen[1]
            if chosen[1] == country:
                region = chosen[2]

    if city is None and parts and (region or country):
        first = parts[0]
        used = {country_idx, *(h[0] for h in other_hints)}
        if 0 not in used and len(first) <= 40 and len(first.split()) <= 4 and not any(
            ch.isdigit() for ch in first
        ):
            city = first

    area: str | None = None
    if country is None and region is None:
        for k in keys:
            if k in g.areas:
                area = g.areas[k]
                break
        if area is None and city is None and not remote:
            return None
    return Location(
        raw=raw, city=city, region=region if country else area, country=country, remote=remote
    )


def _split_trailing_codes(parts: list[str], g: _Gazetteer) -> list[str]:
    """"Sydney NSW" -> ["Sydney", "NSW"]; "Berlin Germany" -> ["Berlin", "Germany"]; a part
    with no code or country at its end ("Palm Springs") stays whole."""
    out: list[str] = []
    for p in parts:
        out.extend(_split_trailing_code(p, g))
    return out


def _split_trailing_code(p: str, g: _Gazetteer) -> list[str]:
    words = p.split()
    k = _key(p)
    if len(words) < 2 or k in g.cities or k in g.countries or k in g.regions:
        return [p]
    for n_tail in (1, 2):
        if len(words) <= n_tail:
            break
        head, tail = " ".join(words[:-n_tail]), " ".join(words[-n_tail:])
        tk = _key(tail)
        code_like = n_tail == 1 and tail.isupper() and tk in g.region_codes
        if code_like or tk in g.countries or tk in g.regions:
            return [head, tail]
    return [p]


def _pick_hint(
    hints: list[tuple[int, str, str]], country: str | None
) -> tuple[int, str, str] | None:
    if country:
        for h in hints:
            if h[1] == country:
                return h
        return None
    for preferred in ("US", "CA", "AU"):
        for h in hints:
            if h[1] == preferred:
                return h
    return hints[0]


def in_area(country: str | None, area: str | None) -> bool:
    """True when `country` (ISO2) belongs to the supra-national `area` code ("EU", "APAC")."""
    if not country or not area:
        return False
    return country in _gazetteer().area_countries.get(area, frozenset())


def country_name(code: str | None) -> str | None:
    """English name for an ISO alpha-2 code from the gazetteer ("DE" -> "Germany")."""
    if not code:
        return None
    return _gazetteer().country_names.get(code.upper())


# --------------------------------------------------------------------------- find_location

#: A place name as postings write it: capitalised words ("San Luis Obispo", "King of Prussia",
#: "St. Paul"), then up to two ", Region" / ", Country" parts.
_PLACE_WORD = r"(?:(?:St|Ft|Mt)\.|[A-Z][A-Za-z'’-]*)"
_PLACE = (
    rf"(?P<place>{_PLACE_WORD}(?:[ \t]+(?:{_PLACE_WORD}|of|de|la|del))*"
    rf"(?:,[ \t]*{_PLACE_WORD}(?:[ \t]+{_PLACE_WORD})*){{0,2}})"
)
#: Where a posting says the job is: "Location: Irvine, CA" (also glued mid-line, as scraped
#: postings are), "located in Tampa, FL", "based out of our office in Edina, MN", "in our
#: Miami office".
_LOCATION_CUES: tuple[re.Pattern[str], ...] = (
    re.compile(
        rf"(?:\b|(?<=[A-Za-z])(?=L))(?i:(?:job\s+|work\s+|office\s+)?location"
        rf"(?:\s*\((?:preferred|required)\))?)"
        rf"[ \t]*:[ \t]*\n?[ \t]*{_PLACE}"
    ),
    re.compile(
        rf"(?i:\b(?:located|based|headquartered|situated)\s+(?:in|at|out\s+of)\s+"
        rf"(?:(?:the|our|an?)\s+)?(?:(?:office|offices|headquarters|hq|studio|clinic)\s+"
        rf"(?:in|at)\s+)?(?:(?:downtown|central|beautiful|sunny|historic|greater)\s+)?){_PLACE}"
    ),
    re.compile(
        rf"(?i:\b(?:at|in|to|for|from)\s+our\s+){_PLACE}"
        rf"(?i:\s+(?:office|offices|headquarters|hq|location|branch|campus|studio|clinic"
        rf"|facility|site))\b"
    ),
)


_NOT_A_TOWN_RE = re.compile(
    r"(?i:^(?:north|south|east|west|northern|southern|eastern|western|central|mid|upper|lower"
    r"|north\s*east|north\s*west|south\s*east|south\s*west|northeast|northwest|southeast"
    r"|southwest|greater|downtown|metro)\b|\b(?:street|st|avenue|ave|road|rd|blvd|boulevard"
    r"|drive|dr|suite|lane|ln|way|parkway|pkwy|court|ct|highway|hwy|of)\.?$)"
)


def find_location(text: str) -> Location | None:
    """The place a posting's text says the job is in ("Location: Irvine, CA", "located in
    Tampa, FL", "in our Miami office"), when the gazetteer knows the place or its region or
    country. Labels come before prose; None when no such statement names a known place."""
    if not text:
        return None
    low = gate_text(text)
    if not gate_open(low, "location", "located", "based", "headquartered", "situated", "our"):
        return None
    for rx in _LOCATION_CUES:
        for m in rx.finditer(text):
            place = m.group("place").strip(" ,")
            if len(place) > 80:
                continue
            loc = parse_location(place)
            if loc is None or not loc.city or not (loc.region or loc.country):
                continue
            if _key(loc.city) not in _gazetteer().cities and (
                "," not in place or _NOT_A_TOWN_RE.search(loc.city)
            ):
                continue  # "Southern California", "1300 E Main Street, ...": no town named
            return loc
    return None


# --------------------------------------------------------------------------- work mode

_NEGATED_REMOTE_RE = re.compile(
    r"(?i:\b(?:not|no|non|isn'?t|is\s+not|are\s+not|aren'?t|cannot|can'?t|without)"
    r"[\s-]+(?:a[\s-]+|fully[\s-]+|100%[\s-]+)?remote\b"
    r"|\bremote\s+(?:work\s+)?(?:is\s+)?(?:not\s+(?:possible|available|an\s+option|offered)"
    r"|unavailable)\b)"
)
_HYBRID_RE = re.compile(
    r"(?i:\bhybrid\b|\b(?:\d|one|two|three|four)(?:\s*(?:-|to|or)\s*(?:\d|two|three|four))?\s*"
    r"days?\s*(?:a|per|/|each)?\s*(?:week\s*)?(?:in|at|from)\s+(?:the\s+|our\s+)?office\b"
    r"|\b(?:partly|partially|part[\s-]time)\s+remote\b|\bremote\s+(?:and|&|\+|/)\s*"
    r"(?:in[\s-])?office\b|\boffice\s+(?:and|&|\+|/)\s*remote\b|\bflexible\s+hybrid\b"
    r"|\bmix\s+of\s+(?:remote|office|home)"
    r"|\b(?:from\s+home|remote(?:ly)?)\s+(?:for\s+)?(?:up\s+to\s+)?(?:\d|one|two|three|four)"
    r"\s+days?\s+(?:a|per|each)\s+week\b|\b(?:\d|one|two|three|four)\s+days?\s+(?:a|per|each)"
    r"\s+week\s+(?:from\s+home|remote(?:ly)?)\b|\bin\s+(?:the\s+|our\s+)?office\s+(?:(?:\d|one|two"
    r"|three|four)\s+days?|twice|once)\s+(?:a|per|each)\s+week\b)"
)
_ONSITE_RE = re.compile(
    r"(?i:\bon[\s-]?site\b|\bin[\s-](?:the[\s-])?office\b(?!\s*(?:365|suite|products|tools|"
    r"applications|apps))|\boffice[\s-]based\b|\bin[\s-]person\b|\bon[\s-]premises?\s+role\b)"
)
_REMOTE_MODE_RE = re.compile(r"(?i:\bremote(?:ly)?\b|\bwork\s+from\s+(?:home|anywhere)\b|\bwfh\b"
                             r"|\btelecommut\w*|\bdistributed[\s-]first\b|\bhome[\s-]based\b)")
#: "remote" that is not about where you work.
_REMOTE_NOISE_RE = re.compile(
    r"(?i:\bremote\s+(?:sensing|control|controls|access|desktop|server|servers|monitoring"
    r"|patient|patients|device|devices|debugging|procedure\s+call|repository|repo|branch"
    r"|teams?\s+management|management\s+of|support\s+(?:tools|sessions)|tools|hands"
    r"|locations?|sites?|areas?|villages?|communities|diagnostics?|troubleshooting"
    r"|connectivity|connections?|installations?|deposit|learning\s+(?:students|programs?))\b)"
)
#: "on-site" / "in person" that is a perk or an activity, not where the job is done.
_ONSITE_NOISE_RE = re.compile(
    r"(?i:(?:\bremote\s*/\s*)?\bon[\s-]?site\s+(?:fitness|gym|parking|cafeteria|caf[eé]|childcare|child\s+care"
    r"|daycare|clinic|health|amenities|restaurant|dining|medical|wellness|laundry|interviews?"
    r"|visits?|training|support|audits?|inspections?|travel)\b"
    r"|\bin[\s-]person\s+(?:and|or|&|/)\s+(?:virtual|online|remote)\b"
    r"|\b(?:online|virtual(?:ly)?|live|remote(?:ly)?)\s*(?:,\s*)?(?:and|or|&|/)\s*in[\s-]person\b"
    r"|\bin[\s-]person\s+(?:[A-Za-z]+\s+)?(?:interviews?|events?|meetings?|visits?|trainings?"
    r"|sessions?|classes|chapters?|retreats?|workshops?|conferences?)\b"
    r"|\baudiences?\s+in\s+person\b"
    r"|\bin[\s-]person\s*(?:,\s*)?(?:and\s+|or\s+)?(?:over|on|by|via)\s+(?:the\s+)?"
    r"(?:tele)?phone\b|\b(?:tele)?phone\s*(?:,\s*)?(?:or|and)?\s*in[\s-]person\b)"
)
_SENTENCE_END_RE = re.compile(r"[.;!?](?:\s|$)")
_MODE_TERM = (
    r"(?:remote|hybrid|on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based"
    r"|work[\s-]from[\s-]home)"
)
_ROLE_SUBJECT = r"(?:this|the|your)\s+(?:role|position|job|opportunity|post|vacancy|work)"
#: Sentences that state where *this job* is done ("This position is remote", "This is a
#: hybrid role", "The role will be fully remote", "a remote-first company").
_ROLE_MODE_RE = re.compile(
    rf"(?i:\b{_ROLE_SUBJECT}\s+(?:is|will\s+be|would\s+be|can\s+be|is\s+considered)"
    rf"\s+(?:an?\s+)?(?:(?:fully|100\s*%|entirely|completely|primarily|full[\s-]time"
    rf"|part[\s-]time|permanent|temporary)[\s,-]+(?:and\s+)?){{0,3}}{_MODE_TERM}\b"
    rf"|\b(?:this\s+is|it\s+is|is)\s+an?\s+(?:(?:fully|100\s*%|full[\s-]time|part[\s-]time"
    rf"|permanent|temporary|contract)[\s,-]+){{0,2}}{_MODE_TERM}\s+(?:[\w-]+\s+)?"
    rf"(?:role|position|job|opportunity|internship|contract)\b"
    rf"|\b(?P<first>remote[\s-]first)\b)"
)
#: Labelled lines ("Work Location: In person", "Workplace Type: Hybrid", "Location: Remote");
#: the value may sit on the next line.
_MODE_LABEL_RE = re.compile(
    r"(?im:^[ \t]*(?:work\s+location|workplace(?:\s+type)?|work\s+(?:arrangement|model"
    r"|setting|type|mode|style|environment)|remote\s+type|(?:job\s+)?location(?:\s+type)?"
    r"|remote\s+status|working\s+(?:arrangement|model|pattern)|(?:wfh|remote|hybrid)\s+policy)"
    r"[ \t]*\n?[ \t]*[:\-–][ \t]*\n?(?P<value>[^\n]{1,100}))"
)


def detect_work_mode(text: str) -> WorkMode | None:
    """remote / hybrid / onsite from phrases such as "fully remote", "2 days in office".

    A statement about the job itself wins over words elsewhere in a posting: a labelled line
    ("Work Location: In person" -> onsite, "Workplace type: Hybrid", "Location: Remote"), then
    a sentence ("This position is remote", "This is a hybrid role", "remote-first"). Without
    one, mode words anywhere decide (remote and on-site words together -> hybrid), ignoring
    "remote" / "on-site" that are not about the workplace ("remote access", "on-site gym").
    """
    if not text:
        return None
    low = gate_text(text)
    if gate_open(low, "remote", "hybrid", "site", "office", "person", "home"):
        stated = _stated_mode(text)
        if stated is not None:
            return stated
    return _mode_from_words(text)


def _stated_mode(text: str) -> WorkMode | None:
    """The mode a labelled line or a sentence about the role states, if any."""
    for m in _MODE_LABEL_RE.finditer(text):
        value = _SENTENCE_END_RE.split(m.group("value"), maxsplit=1)[0]
        mode = _mode_from_words(value)
        if mode is not None:
            return mode
    for m in _ROLE_MODE_RE.finditer(text):
        if m.group("first"):
            lo = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
            hi = min(i for i in (text.find(".", m.end()), text.find("\n", m.end()), len(text))
                     if i >= 0)
            sentence = text[lo:hi]
            if _NEGATED_REMOTE_RE.search(sentence) is None and "hybrid" not in sentence.lower():
                return "remote"
            continue
        found = _mode_from_words(m.group(0))
        if found is not None:
            return found
    return None


def _mode_from_words(text: str) -> WorkMode | None:
    if not text:
        return None
    low = gate_text(text)
    lowered = low if low is not None else text.lower()
    if "remote" not in lowered and "hybrid" not in lowered and "office" not in lowered \
            and "site" not in lowered and "home" not in lowered and "person" not in lowered \
            and "wfh" not in lowered and "telecommut" not in lowered \
            and "premise" not in lowered:
        return None
    # Each pattern only runs when a word it spells occurs. The replacements below (" onsite ",
    # " ") spell none of the gate words and cannot join words, so gating on `text` is exact.
    if gate_open(low, "hybrid", "office", "remote", "mix", "home") and _HYBRID_RE.search(text):
        return "hybrid"
    stripped = text
    negated = False
    if gate_open(low, "remote"):
        stripped = _NEGATED_REMOTE_RE.sub(" onsite ", text)
        negated = stripped != text
        stripped = _REMOTE_NOISE_RE.sub(" ", stripped)
    if gate_open(low, "site", "person"):
        stripped = _ONSITE_NOISE_RE.sub(" ", stripped)
    remote = gate_open(low, "remote", "from", "wfh", "telecommut", "distributed", "home") \
        and _REMOTE_MODE_RE.search(stripped) is not None
    onsite = negated or (gate_open(low, "site", "office", "person", "premise")
                         and _ONSITE_RE.search(stripped) is not None)
    if remote and onsite:
        return "hybrid"
    if remote:
        return "remote"
    if onsite:
        return "onsite"
    return None


# --------------------------------------------------------------------------- similarity


def _same(a: str | None, b: str | None) -> bool | None:
    """True / False when both are known, None when either is unknown."""
    if not a or not b:
        return None
    return _key(a) == _key(b)


def location_similarity(a: Location, b: Location) -> float:
    """1.0 same city, 0.7 same region, 0.4 same country, 0 otherwise (unknown parts ignored)."""
    country = _same(a.country, b.country)
    if country is False:
        return 0.0
    g_area_a = a.region if not a.country and a.region else None
    g_area_b = b.region if not b.country and b.region else None
    region = _same(a.region, b.region)
    city = _same(a.city, b.city)
    if city and region is not False:
        return 1.0
    if region and (country or country is None) and not (g_area_a or g_area_b):
        return 0.7
    if country:
        return 0.4
    # areas: "Remote (EU)" against a location in Germany
    if g_area_a and b.country and in_area(b.country, g_area_a):
        return 0.4
    if g_area_b and a.country and in_area(a.country, g_area_b):
        return 0.4
    if g_area_a and g_area_b and g_area_a == g_area_b:
        return 0.4
    return 0.0
