"""Shared vocabulary of the sample generator: occupations, places, money and helpers.

The word lists live in ``vocabulary.json`` (data, not code); this module loads them and holds
the helpers both the posting and the CV generators use.
"""


from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

#: The word lists and occupation profiles the generator draws from (vocabulary.json).
VOCABULARY: dict[str, Any] = json.loads(
    Path(__file__).with_name("vocabulary.json").read_text(encoding="utf-8"))

# --------------------------------------------------------------------------- seniorities

SENIORITIES: tuple[str, ...] = ("intern", "junior", "mid", "senior", "lead", "principal", "manager")

#: Same ordering as ``tools.schemas.SENIORITY_RANK`` (manager sits beside lead).
SENIORITY_RANK: dict[str, int] = VOCABULARY["SENIORITY_RANK"]

#: (min, max) years of experience by seniority.
YEARS: dict[str, tuple[int, int]] = VOCABULARY["YEARS"]

SALARY_FACTOR: dict[str, float] = VOCABULARY["SALARY_FACTOR"]

DEFAULT_TITLE_PREFIX: dict[str, list[str]] = VOCABULARY["DEFAULT_TITLE_PREFIX"]

# --------------------------------------------------------------------------- occupations
# Skills are written "Canonical|variant|variant": postings and CVs pick one surface form.

OCCUPATIONS: dict[str, dict[str, Any]] = VOCABULARY["OCCUPATIONS"]

#: Closely related occupations (symmetric closure applied below).
_RELATED_PAIRS: list[tuple[str, str]] = VOCABULARY["RELATED_PAIRS"]
RELATED_OCCUPATIONS: dict[str, frozenset[str]] = {
    occ: frozenset(
        [b for a, b in _RELATED_PAIRS if a == occ] + [a for a, b in _RELATED_PAIRS if b == occ]
    )
    for occ in OCCUPATIONS
}


def posting_text(job: dict[str, Any]) -> str:
    """The posting as a job board page shows it: title, company, place, pay, then the text."""
    where = " · ".join(x for x in (job.get("company"), job.get("location"),
                                   job.get("remote")) if x)
    lines = [job.get("title") or "", where]
    if job.get("salary"):
        lines.append(f"Salary: {job['salary']}")
    return "\n".join(x for x in lines if x) + "\n\n" + job.get("description", "")


def relevance(cv: dict[str, Any], job: dict[str, Any]) -> int:
    """Graded relevance of ``job`` for ``cv`` (for ranking evaluation, e.g. nDCG).

    2 = same occupation and seniority within one step; 1 = same occupation at another seniority,
    or a closely related occupation (:data:`RELATED_OCCUPATIONS`); 0 otherwise.
    """
    c_occ, j_occ = cv["occupation"], job["occupation"]
    if c_occ == j_occ:
        gap = abs(SENIORITY_RANK[cv["seniority"]] - SENIORITY_RANK[job["seniority"]])
        return 2 if gap <= 1 else 1
    return 1 if j_occ in RELATED_OCCUPATIONS.get(c_occ, frozenset()) else 0

# --------------------------------------------------------------------------- places & money

#: country code -> (currency, salary factor vs US, cities)
COUNTRIES: dict[str, tuple[str, float, list[str]]] = VOCABULARY["COUNTRIES"]
_COUNTRY_WEIGHTS: list[tuple[str, int]] = VOCABULARY["COUNTRY_WEIGHTS"]
REMOTE_LOCATIONS: dict[str, str] = VOCABULARY["REMOTE_LOCATIONS"]
REMOTE_SHARE: dict[str, float] = VOCABULARY["REMOTE_SHARE"]
CURRENCY_SYMBOL = {"USD": "$", "GBP": "£", "EUR": "€", "CAD": "CA$"}

_COMPANY_STEMS = VOCABULARY["COMPANY_STEMS"]
_INDUSTRY_SUFFIX: dict[str, list[str]] = VOCABULARY["INDUSTRY_SUFFIX"]
INDUSTRY_BLURB: dict[str, list[str]] = VOCABULARY["INDUSTRY_BLURB"]
_INDUSTRY_OF_FAMILY_DEFAULT = "tech"

BENEFITS_BY_COUNTRY: dict[str, list[str]] = VOCABULARY["BENEFITS_BY_COUNTRY"]
BENEFITS_GENERAL = VOCABULARY["BENEFITS_GENERAL"]
BENEFITS_FAMILY: dict[str, list[str]] = VOCABULARY["BENEFITS_FAMILY"]

EMPLOYERS_CONTRACT = {"trades": 0.25, "health": 0.15, "tech": 0.12, "data": 0.1}


def pick_country(rng: random.Random) -> str:
    codes = [c for c, _ in _COUNTRY_WEIGHTS]
    weights = [w for _, w in _COUNTRY_WEIGHTS]
    return rng.choices(codes, weights=weights)[0]


def pick_surface(rng: random.Random, skill: str) -> str:
    """Pick a surface form: canonical most of the time, a variant otherwise."""
    forms = skill.split("|")
    if len(forms) == 1 or rng.random() < 0.55:
        return forms[0]
    return rng.choice(forms[1:])


def canonical_skill(skill: str) -> str:
    return skill.split("|", 1)[0]


SURNAMES: list[str] = VOCABULARY["SURNAMES"]


def pick_company(rng: random.Random, industry: str) -> str:
    if industry == "legal" and rng.random() < 0.6:
        a, b = rng.sample(SURNAMES, 2)
        return f"{a} & {b} LLP"
    stem = rng.choice(_COMPANY_STEMS)
    return f"{stem} {rng.choice(_INDUSTRY_SUFFIX[industry])}"


def number_word(n: int) -> str:
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
             "ten", "eleven", "twelve"]
    return words[n] if 0 <= n < len(words) else str(n)


def salary_range(
    rng: random.Random, occ: dict[str, Any], seniority: str, country: str
) -> tuple[int, int, str]:
    currency, factor, _ = COUNTRIES[country]
    mid = occ["base"] * SALARY_FACTOR[seniority] * factor * rng.uniform(0.88, 1.14)
    spread = rng.uniform(0.08, 0.2)
    lo = int(round(mid * (1 - spread) / 1000.0)) * 1000
    hi = int(round(mid * (1 + spread) / 1000.0)) * 1000
    return lo, max(hi, lo + 2000), currency


def format_salary(rng: random.Random, lo: int, hi: int, currency: str, hourly: bool) -> str | None:
    s = CURRENCY_SYMBOL[currency]
    if rng.random() < 0.12:
        return None
    if rng.random() < 0.05:
        return rng.choice(["Competitive", "DOE", "Competitive salary + bonus", "Negotiable"])
    if hourly:
        hlo, hhi = max(12, round(lo / 2000)), max(14, round(hi / 2000))
        hhi = max(hhi, hlo + 2)
        return rng.choice([
            f"{hlo}-{hhi}/hr", f"{s}{hlo}.00 - {s}{hhi}.00 per hour", f"{s}{hlo}/hour",
            f"{s}{hlo}–{s}{hhi} an hour", f"{currency} {hlo}-{hhi} hourly",
        ])
    k_lo, k_hi = lo // 1000, hi // 1000
    options = [
        f"{s}{k_lo}K - {s}{k_hi}K", f"{s}{lo:,} - {s}{hi:,} per year", f"{s}{k_lo}k–{k_hi}k",
        f"up to {k_hi}k", f"From {s}{lo:,}", f"{currency} {lo:,} - {hi:,}", f"{lo}-{hi} {currency}",
        f"{s}{k_lo}k-{s}{k_hi}k + equity", f"{s}{(lo + hi) // 2:,} per annum",
        f"{s}{k_lo},000 – {s}{k_hi},000 a year plus bonus",
    ]
    if currency == "GBP":
        options += [f"£{lo:,} per annum", f"£{lo:,} - £{hi:,} p.a.",
                    f"£{k_lo}k-£{k_hi}k + benefits"]
    if currency == "EUR":
        eu_lo, eu_hi = f"{lo:,}".replace(",", "."), f"{hi:,}".replace(",", ".")
        options += [f"€{k_lo}k–{k_hi}k", f"{eu_lo} € - {eu_hi} € brutto/Jahr",
                    f"{eu_lo} - {eu_hi} EUR gross per year", f"€{k_lo}-{k_hi}K"]
    if currency == "CAD":
        options += [f"CAD {lo:,} - {hi:,}", f"${k_lo}K–${k_hi}K CAD"]
    return rng.choice(options)
