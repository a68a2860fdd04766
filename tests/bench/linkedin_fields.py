"""Posting-field accuracy on the real LinkedIn postings sample, against its platform fields.

Run: ``.venv/bin/python -m tests.bench.linkedin_fields [tune|confirm|all]`` (prints Markdown).
Other code calls :func:`evaluate`. Data: ``../shared/data/real-dev/linkedin-postings-sample/
postings.jsonl`` (evaluation only, read in place; override with ``JOBFIT_LINKEDIN_POSTINGS``).
Missing data -> ``evaluate`` returns ``{"available": False, ...}``.

Two ways in, both reported:

* ``text``: ``parse_job(description)`` — the description text alone (the main measure);
* ``record``: ``parse_job(record)`` where the record is what ``jobfit import`` builds
  (``store.ingest.records.to_job_record(map_record(row))``) from title, company, location and
  description only — the platform's salary / remote / level fields are NOT given to the parser.

Split: postings with an even line index (0-based) are ``tune``, odd ones ``confirm``.

Per field: ``n_platform`` (the platform states it), ``n_both`` (the description also states it,
by the rules below, which never call the parser), ``right`` / ``acc`` on the both-state subset,
``coverage`` (parser found any value, over ``n_platform``), ``precision`` (right among the
postings where the parser found a value and the platform states one, text or not; for years
asked and skills not defined), and the same accuracy with the
postings whose text's own figure differs from the platform's left out (``n_agree`` /
``acc_agree``; their ids under ``disagree``).

Rules ("text states it", judged on the description, case-insensitive):

* salary: a dollar amount ``$`` + digit (``$18``, ``$ 120,000``, ``$120K``). Platform value:
  ``salary_min``/``salary_max`` or, when only ``salary_median`` is given, that single figure as
  min = max. Amounts are annualised (HOURLY x2080, MONTHLY x12, YEARLY x1, the parser's own
  factors). Right = the parser's annual min AND max each within 5 % of the platform's (a
  one-sided parse such as "up to $X" is wrong when the platform has both ends; a single figure
  in the text is parsed as min = max and is right only when both platform ends are within 5 %
  of it). Period and
  currency are reported as separate rows (right = same period / same ISO code).
  Disagreement: the platform's figures in their own period (min and max, or the median) are
  not each within 5 % of some ``$`` amount in the text (``$`` digits, optional ``,`` groups and
  decimals, optional ``K`` = x1000; the second end of a range "$18-20" / "$18 to $20" counts).
* work mode: platform ``workplace_type`` (Onsite/Hybrid/Remote), else ``remote is True`` ->
  remote (arshkon's flag is only ever set when remote; ``null`` = unknown, not counted). Text
  states it: one of the words remote, hybrid, on-site/onsite/on site, in person, in-office,
  work from home, WFH. The text's own mode (for disagreements): "hybrid", or a part-time
  office week ("in the office twice a week", "3 days a week in the office", "4 days in the office
  and 1 day from home"), present -> hybrid;
  else only remote-family words -> remote; else only on-site-family words -> onsite; both
  families -> unclear (never a disagreement).
* location: the platform ``location`` string is split on commas without the parser: "City, ST"
  (US state code) -> city + region + US; "State, United States" -> region; "City, England,
  United Kingdom" / "City, Quebec, Canada" -> city + country; "Greater X" -> city X; "X Area"
  / "Metropolitan Area" / "Region, Country" -> no city. Text states it (text path): the
  platform city occurs in the description as a whole word. On the record path the location
  field is given, so both-state = platform-state.
* experience level: ``Entry level`` -> {intern, junior}; ``Associate`` -> {junior, mid};
  ``Mid-Senior level`` / ``Mid senior`` -> {mid, senior, staff, lead, principal, manager};
  ``Director`` -> {director, executive}. Text states it: a seniority word (senior, sr, junior,
  jr, entry level, mid-level, principal, staff engineer, lead, director, vp, head of, intern,
  associate) or "N years" in the description (record path: title or description).
* employment type: Full-time, Part-time, Contract, Internship, Temporary (Volunteer / Other
  are not comparable and left out). Text states it: full time, part time, contract, intern,
  internship, temporary, temp, seasonal.
* years asked: no platform field; coverage only, where the text says "N years" / "N+ years" /
  "N-M years" / "N year(s)" next to experience.
* skills: the platform ``skills`` list canonicalised through ``tools.skills`` (taxonomy lookup;
  names it does not know are left out); recall = canonical skills found among the parser's
  required + preferred skills, micro-averaged; ``n_both`` counts skills whose platform name
  occurs in the description as a whole word.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

DATA = Path(
    os.environ.get(
        "JOBFIT_LINKEDIN_POSTINGS",
        str(Path(__file__).resolve().parents[3] / "shared" / "data" / "real-dev"
            / "linkedin-postings-sample" / "postings.jsonl"),
    )
)
SPLITS = ("tune", "confirm", "all")
PATHS = ("text", "record")
_FACTOR = {"HOURLY": 2080.0, "MONTHLY": 12.0, "YEARLY": 1.0, "WEEKLY": 52.0, "DAILY": 260.0}
_PERIOD = {"HOURLY": "hour", "MONTHLY": "month", "YEARLY": "year", "WEEKLY": "week",
           "DAILY": "day"}
_TOL = 0.05

# ---------------------------------------------------------------- independent "text states"

_DOLLAR_RE = re.compile(r"\$\s?\d")
_AMOUNT = r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s?([kK](?![a-z]))?"
_DOLLAR_AMOUNT_RE = re.compile(rf"\$\s?{_AMOUNT}(?:\s*(?:-|–|—|to)\s*\$?\s?{_AMOUNT})?")
_MODE_WORD_RE = re.compile(
    r"(?i)\b(?:remote|hybrid|on-?site|on site|in[- ]person|in[- ]office(?!\s*365)"
    r"|work from home|wfh)\b"
)
_REMOTE_FAMILY = re.compile(r"(?i)\b(?:remote|work from home|wfh)\b")
_ONSITE_FAMILY = re.compile(r"(?i)\b(?:on-?site|on site|in[- ]person|in[- ]office(?!\s*365))\b")
_HYBRID_WORD = re.compile(
    r"(?i)\bhybrid\b"
    # a part-time office week: "in the office twice a week", "3 days a week in the office"
    r"|\b(?:in[- ]office|in[ \t]+the[ \t]+office|on-?site)[ \t]+(?:\w+[ \t]+){0,2}?"
    r"(?:once|twice|[1-4]|one|two|three|four)(?:[ \t]+days?|[ \t]+times)?[ \t]+"
    r"(?:a|per|each)[ \t]+week"
    r"|\b(?:[1-4]|one|two|three|four)[ \t]+days?[ \t]+(?:a|per|each)[ \t]+week[ \t]+"
    r"(?:in[ \t]+(?:the[ \t]+)?office|on-?site)"
    # a split week: "4 days in the office and 1 day from home"
    r"|\b(?:[1-4]|one|two|three|four)[ \t]+days?[ \t]+(?:in[ \t]+(?:the[ \t]+)?office|on-?site)"
    r"[ \t]*(?:,|and|&|/|\+)[ \t]*(?:[1-4]|one|two|three|four)[ \t]+days?[ \t]+"
    r"(?:remote(?:ly)?|from[ \t]+home|wfh)"
)
_LEVEL_WORD_RE = re.compile(
    r"(?i)\b(?:senior|sr\.?|junior|jr\.?|entry[- ]level|mid[- ]level|principal|staff engineer"
    r"|lead|director|vp|head of|intern|associate|\d{1,2}\+?\s*(?:-\s*\d{1,2}\s*)?years?)\b"
)
_EMPLOYMENT_WORD_RE = re.compile(
    r"(?i)\b(?:full[- ]?time|part[- ]?time|contract|intern|internship|temporary|temp|seasonal)\b"
)
_YEARS_WORD_RE = re.compile(
    r"(?i)\b\d{1,2}\s*\+?\s*(?:(?:-|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?)\b[^.\n]{0,40}"
    r"experience|experience[^.\n]{0,40}\b\d{1,2}\s*\+?\s*(?:years?|yrs?)\b"
)
_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
    "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
    "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi",
    "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire",
    "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York", "NC": "North Carolina",
    "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania",
    "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee",
    "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming", "DC": "District of Columbia",
}
_STATE_CODE = {v.lower(): k for k, v in _STATES.items()}
_COUNTRY = {"united states": "US", "united kingdom": "GB", "canada": "CA", "australia": "AU"}
_LEVELS: dict[str, frozenset[str]] = {
    "entry level": frozenset({"intern", "junior"}),
    "associate": frozenset({"junior", "mid"}),
    "mid-senior level": frozenset({"mid", "senior", "staff", "lead", "principal", "manager"}),
    "mid senior": frozenset({"mid", "senior", "staff", "lead", "principal", "manager"}),
    "director": frozenset({"director", "executive"}),
}
_EMPLOYMENT = {"full-time": "full_time", "part-time": "part_time", "contract": "contract",
               "internship": "internship", "temporary": "temporary"}


def _dollar_amounts(text: str) -> list[float]:
    out: list[float] = []
    for m in _DOLLAR_AMOUNT_RE.finditer(text):
        for g in (1, 4):
            if m.group(g) is None:
                continue
            v = float(m.group(g).replace(",", "") + (m.group(g + 1) or ""))
            if m.group(g + 2):
                v *= 1000
            out.append(v)
    return out


def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return False
    if b == 0:
        return a == 0
    return abs(a - b) <= _TOL * abs(b)


def platform_salary(row: dict[str, Any]) -> dict[str, Any] | None:
    """The platform's salary: own-period figures, annual min/max, period, currency."""
    period = row.get("salary_period")
    if period not in _FACTOR:
        return None
    lo, hi, med = row.get("salary_min"), row.get("salary_max"), row.get("salary_median")
    if lo is None and hi is None:
        if med is None:
            return None
        lo = hi = med
    if lo is None or hi is None:
        return None
    f = _FACTOR[period]
    return {"figures": sorted({float(lo), float(hi)}), "min": lo * f, "max": hi * f,
            "period": _PERIOD[period], "currency": row.get("salary_currency")}


def platform_work_mode(row: dict[str, Any]) -> str | None:
    wt = (row.get("workplace_type") or "").lower()
    if wt in ("onsite", "hybrid", "remote"):
        return wt
    if row.get("remote") is True:
        return "remote"
    return None


def text_work_mode(text: str) -> str | None:
    """The description's own mode by the simple rule (None: no mode word or unclear)."""
    if _HYBRID_WORD.search(text):
        return "hybrid"
    remote, onsite = bool(_REMOTE_FAMILY.search(text)), bool(_ONSITE_FAMILY.search(text))
    if remote and not onsite:
        return "remote"
    if onsite and not remote:
        return "onsite"
    return None


def platform_location(raw: str | None) -> dict[str, str | None] | None:
    if not raw or not raw.strip():
        return None
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    city: str | None = None
    region: str | None = None
    country: str | None = None
    if parts and parts[-1].lower() in _COUNTRY:
        country = _COUNTRY[parts[-1].lower()]
        parts = parts[:-1]
    if len(parts) == 2 and re.fullmatch(r"[A-Z]{2}", parts[1]) and parts[1] in _STATES:
        city, region, country = parts[0], parts[1], country or "US"
    elif len(parts) == 2:
        city = parts[0]
        if country == "US" and parts[1].lower() in _STATE_CODE:
            region = _STATE_CODE[parts[1].lower()]
    elif len(parts) == 1:
        p = re.sub(r"(?i)^greater\s+", "", parts[0])
        if country == "US" and p.lower() in _STATE_CODE:
            region = _STATE_CODE[p.lower()]
        elif country is None and not re.search(r"(?i)\b(?:area|region)\b", p):
            city = p  # "Greater Tulsa"; "Manitoba, Canada" names no city
    if city and re.search(r"(?i)\barea\b", city):
        city = None
    if not (city or region or country):
        return None
    return {"city": city, "region": region, "country": country}


def _fold(s: str | None) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", (s or "").lower()).split())


def _word_in(needle: str, hay: str) -> bool:
    return bool(needle) and re.search(
        rf"(?i)(?<![A-Za-z0-9]){re.escape(needle)}(?![A-Za-z0-9])", hay) is not None


# ---------------------------------------------------------------- loading, parsing


@lru_cache(maxsize=1)
def _rows() -> tuple[dict[str, Any], ...]:
    with DATA.open(encoding="utf-8") as fh:
        return tuple(json.loads(line) for line in fh if line.strip())


def _split_rows(split: str) -> list[tuple[int, dict[str, Any]]]:
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    rows = list(enumerate(_rows()))
    if split == "tune":
        return [(i, r) for i, r in rows if i % 2 == 0]
    if split == "confirm":
        return [(i, r) for i, r in rows if i % 2 == 1]
    return rows


def import_record(row: dict[str, Any]) -> dict[str, Any]:
    """The dict ``jobfit import`` gives parse_job for a row with only these four columns."""
    from store.ingest.columns import map_record
    from store.ingest.records import to_job_record

    keep = {k: row.get(k) for k in ("title", "company", "location", "description")}
    return to_job_record(map_record({k: v for k, v in keep.items() if v is not None}))


def _parse_all(rows: Iterable[tuple[int, dict[str, Any]]]) -> dict[tuple[str, int], Any]:
    from tools.parsing.job import parse_job

    out: dict[tuple[str, int], Any] = {}
    for i, row in rows:
        desc = row.get("description") or ""
        out[("text", i)] = parse_job(desc) if desc.strip() else None
        out[("record", i)] = parse_job(import_record(row))
    return out


# ---------------------------------------------------------------- scoring


class _Field:
    def __init__(self) -> None:
        self.n_platform = 0
        self.n_both = 0
        self.right = 0
        self.found = 0
        self.found_right = 0
        self.n_agree = 0
        self.right_agree = 0
        self.wrong_ids: list[str] = []
        self.disagree: list[str] = []

    def add(self, pid: str, *, both: bool, found: bool, right: bool,
            disagree: bool = False) -> None:
        self.n_platform += 1
        self.found += found
        self.found_right += found and right
        if not both:
            return
        self.n_both += 1
        self.right += right
        if not right:
            self.wrong_ids.append(pid)
        if disagree:
            self.disagree.append(pid)
        else:
            self.n_agree += 1
            self.right_agree += right

    def report(self) -> dict[str, Any]:
        def pct(a: int, b: int) -> float | None:
            return round(100.0 * a / b, 1) if b else None

        return {
            "n_platform": self.n_platform, "n_both": self.n_both, "right": self.right,
            "acc": pct(self.right, self.n_both),
            "coverage": pct(self.found, self.n_platform),
            "precision": pct(self.found_right, self.found),
            "n_agree": self.n_agree, "right_agree": self.right_agree,
            "acc_agree": pct(self.right_agree, self.n_agree),
            "disagree": self.disagree, "wrong_ids": self.wrong_ids,
        }


def _score_path(path: str, rows: list[tuple[int, dict[str, Any]]],
                parsed: dict[tuple[str, int], Any]) -> dict[str, dict[str, Any]]:
    from tools.skills import load_taxonomy

    tax = load_taxonomy()
    names = ("salary", "salary_min", "salary_max", "salary_currency", "salary_period",
             "work_mode", "location_city", "location_region", "location_country",
             "experience_level", "employment_type", "years_asked")
    f: dict[str, _Field] = {n: _Field() for n in names}
    sk_ref = sk_hit = sk_both = sk_both_hit = 0
    for i, row in rows:
        job = parsed[(path, i)]
        pid = str(row.get("posting_id") or i)
        desc = row.get("description") or ""
        if job is None:  # no description: nothing to parse on the text path
            continue
        # ---- salary
        ps = platform_salary(row)
        if ps is not None:
            both = bool(_DOLLAR_RE.search(desc))
            amounts = _dollar_amounts(desc)
            disagree = both and not all(
                any(_close(a, fig) for a in amounts) for fig in ps["figures"])
            s = job.salary
            ok_min = s is not None and _close(s.min, ps["min"])
            ok_max = s is not None and _close(s.max, ps["max"])
            f["salary"].add(pid, both=both, found=s is not None, right=ok_min and ok_max,
                            disagree=disagree)
            f["salary_min"].add(pid, both=both, found=s is not None and s.min is not None,
                                right=ok_min, disagree=disagree)
            f["salary_max"].add(pid, both=both, found=s is not None and s.max is not None,
                                right=ok_max, disagree=disagree)
            f["salary_currency"].add(pid, both=both, found=s is not None and bool(s.currency),
                                     right=s is not None and s.currency == ps["currency"],
                                     disagree=disagree)
            f["salary_period"].add(pid, both=both, found=s is not None,
                                   right=s is not None and s.period == ps["period"],
                                   disagree=disagree)
        # ---- work mode
        pm = platform_work_mode(row)
        if pm is not None:
            tm = text_work_mode(desc)
            f["work_mode"].add(pid, both=bool(_MODE_WORD_RE.search(desc)),
                               found=job.work_mode is not None, right=job.work_mode == pm,
                               disagree=tm is not None and tm != pm)
        # ---- location
        pl = platform_location(row.get("location"))
        if pl is not None:
            loc = job.location
            for part in ("city", "region", "country"):
                want = pl[part]
                if not want:
                    continue
                got = getattr(loc, part, None) if loc is not None else None
                if path == "record":
                    both = True
                elif part == "city":
                    both = _word_in(want, desc)
                elif part == "region":
                    both = _word_in(want, desc) or _word_in(_STATES.get(want, want), desc)
                else:
                    both = any(_word_in(n, desc) for n, c in _COUNTRY.items() if c == want) \
                        or (want == "US" and _word_in("USA", desc))
                f[f"location_{part}"].add(pid, both=both, found=bool(got),
                                          right=_fold(got) == _fold(want))
        # ---- experience level / seniority
        lv = _LEVELS.get((row.get("experience_level") or "").lower())
        if lv is not None:
            hay = desc if path == "text" else f"{row.get('title') or ''}\n{desc}"
            f["experience_level"].add(pid, both=bool(_LEVEL_WORD_RE.search(hay)),
                                      found=job.seniority is not None,
                                      right=job.seniority in lv)
        # ---- employment type
        et = _EMPLOYMENT.get((row.get("employment_type") or "").lower())
        if et is not None:
            f["employment_type"].add(pid, both=bool(_EMPLOYMENT_WORD_RE.search(desc)),
                                     found=job.employment_type is not None,
                                     right=job.employment_type == et)
        # ---- years asked (no platform field: "platform" = every posting with text)
        if desc.strip():
            both = bool(_YEARS_WORD_RE.search(desc))
            f["years_asked"].add(pid, both=both, found=job.experience_min is not None,
                                 right=job.experience_min is not None)
        # ---- skills
        if row.get("skills"):
            have = {s.skill_id for s in (*job.required_skills, *job.preferred_skills)}
            for name in dict.fromkeys(row["skills"]):
                entry = tax.lookup(name) if isinstance(name, str) and name.strip() else None
                if entry is None:
                    continue
                sk_ref += 1
                hit = entry.id in have
                sk_hit += hit
                if _word_in(name.strip(), desc):
                    sk_both += 1
                    sk_both_hit += hit
    out = {n: fld.report() for n, fld in f.items()}
    out["years_asked"]["precision"] = None  # no platform value to be right against
    out["skills_recall"] = {
        "n_platform": sk_ref, "n_both": sk_both, "right": sk_both_hit,
        "acc": round(100.0 * sk_both_hit / sk_both, 1) if sk_both else None,
        "coverage": round(100.0 * sk_hit / sk_ref, 1) if sk_ref else None,
        "precision": None,
        "n_agree": sk_both, "right_agree": sk_both_hit,
        "acc_agree": round(100.0 * sk_both_hit / sk_both, 1) if sk_both else None,
        "disagree": [], "wrong_ids": [],
    }
    return out


def evaluate(split: str = "all") -> dict[str, Any]:
    """Field accuracy of ``parse_job`` against LinkedIn's own fields on one split.

    Returns ``{"available", "split", "n_postings", "paths": {"text"|"record": {field: {...}}},
    "goals": {...}}``; each field reports n_platform, n_both, right, acc, coverage, n_agree,
    right_agree, acc_agree (percentages, None when n is 0), disagree and wrong_ids (posting
    ids). ``goals`` holds the headline figures: salary and work mode accuracy on the
    both-state subset of the text path (target >= 95 %).
    """
    if not DATA.exists():
        return {"available": False, "split": split, "reason": f"missing {DATA}"}
    rows = _split_rows(split)
    parsed = _parse_all(rows)
    paths = {p: _score_path(p, rows, parsed) for p in PATHS}
    text = paths["text"]
    return {
        "available": True, "split": split, "n_postings": len(rows), "paths": paths,
        "goals": {
            "salary_acc": text["salary"]["acc"], "salary_n": text["salary"]["n_both"],
            "salary_acc_agree": text["salary"]["acc_agree"],
            "work_mode_acc": text["work_mode"]["acc"],
            "work_mode_n": text["work_mode"]["n_both"],
            "work_mode_acc_agree": text["work_mode"]["acc_agree"],
            "target": 95.0,
        },
    }


# ---------------------------------------------------------------- Markdown

_LABELS = {
    "salary": "salary (min & max ±5 %, annual)", "salary_min": "salary min",
    "salary_max": "salary max", "salary_currency": "salary currency",
    "salary_period": "salary period", "work_mode": "work mode", "location_city": "location city",
    "location_region": "location region", "location_country": "location country",
    "experience_level": "experience level (seniority)", "employment_type": "employment type",
    "years_asked": "years asked (coverage only)", "skills_recall": "skills recall (canonical)",
}


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f} %"


def to_markdown(result: dict[str, Any]) -> str:
    if not result.get("available"):
        return f"linkedin_fields: data not available ({result.get('reason')})"
    g = result["goals"]
    lines = [f"### LinkedIn postings — split `{result['split']}` "
             f"({result['n_postings']} postings)", "",
             f"Goal (text path, target {g['target']:.0f} %): salary {_fmt(g['salary_acc'])} of "
             f"{g['salary_n']} where both state it, {_fmt(g['salary_acc_agree'])} without "
             f"text≠platform; work mode {_fmt(g['work_mode_acc'])} of {g['work_mode_n']}, "
             f"{_fmt(g['work_mode_acc_agree'])} without text≠platform. "
             "'n agree' / 'acc (agree)' leave out the postings whose text's own figure or mode "
             "differs from the platform's (last column).", ""]
    lines.append("| field | path | n platform | n both | acc (both) | coverage | precision "
                 "| n agree | acc (agree) | text≠platform |")
    lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, label in _LABELS.items():
        for path in PATHS:
            r = result["paths"][path][name]
            lines.append(
                f"| {label} | {path} | {r['n_platform']} | {r['n_both']} | {_fmt(r['acc'])} "
                f"| {_fmt(r['coverage'])} | {_fmt(r['precision'])} | {r['n_agree']} "
                f"| {_fmt(r['acc_agree'])} "
                f"| {len(r['disagree'])} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None, out: Callable[[str], Any] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    write = out or sys.stdout.write
    for split in args or ["tune", "confirm", "all"]:
        write(to_markdown(evaluate(split)) + "\n\n")


if __name__ == "__main__":
    main()
