"""Synthetic job postings (see :mod:`store.samples.generate`)."""


from __future__ import annotations

import random
import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from store.samples.vocabulary import (
    BENEFITS_BY_COUNTRY,
    BENEFITS_FAMILY,
    BENEFITS_GENERAL,
    COUNTRIES,
    DEFAULT_TITLE_PREFIX,
    EMPLOYERS_CONTRACT,
    INDUSTRY_BLURB,
    OCCUPATIONS,
    REMOTE_LOCATIONS,
    REMOTE_SHARE,
    SENIORITIES,
    VOCABULARY,
    YEARS,
    format_salary,
    number_word,
    pick_company,
    pick_country,
    pick_surface,
    salary_range,
)

# --------------------------------------------------------------------------- job postings

_TEAMS: dict[str, list[str]] = VOCABULARY["TEAMS"]

_H_RESP = ["Responsibilities", "What you'll do", "Your role", "Key duties", "The job",
           "In this role you will", "What you will be doing", "Day to day", "Key responsibilities"]
_H_REQ = ["Requirements", "Must have", "What you bring", "Qualifications", "About you",
          "Essential skills", "You have", "Who you are", "Minimum qualifications"]
_H_NICE = ["Nice to have", "Preferred", "Bonus points", "Desirable", "Preferred qualifications",
           "Even better if you have", "Pluses"]
_H_BEN = ["Benefits", "What we offer", "Perks", "Why join us", "Compensation & benefits",
          "What's in it for you"]
_H_ABOUT = ["About us", "Who we are", "About the company", "The company"]

_REQ_ONE = VOCABULARY["REQ_ONE"]
_NICE_SKILL = VOCABULARY["NICE_SKILL"]
_SOFT = VOCABULARY["SOFT"]
_CLOSING = VOCABULARY["CLOSING"]


_EXTRA_PARAS = VOCABULARY["EXTRA_PARAS"]


def _experience_phrase(rng: random.Random, seniority: str, occ: dict[str, Any]) -> str:
    lo, hi = YEARS[seniority]
    label = lower_label(occ["label"])
    if seniority == "intern":
        return rng.choice([
            "Currently enrolled in a relevant degree programme (graduating 2027 or 2028)",
            "No prior professional experience required - students and career starters welcome",
            "You are a student looking for a 3-6 month placement",
        ])
    if lo == 0:
        return rng.choice([
            "0-2 years of experience (internships count)", "1+ year of relevant experience",
            "Up to two years of experience in a similar role", "Some experience as a "
            f"{label}, for example through an internship or apprenticeship",
        ])
    mid_hi = min(hi, lo + rng.randint(2, 4))
    return rng.choice([
        f"{lo}+ years of experience as a {label} or in a similar role",
        f"{lo}-{mid_hi} yrs experience in a comparable position",
        f"A minimum of {number_word(lo)} years' professional experience",
        f"At least {lo} years of hands-on experience",
        f"{number_word(lo).capitalize()} or more years in a {label} role",
        f"{lo}+ years' experience, ideally {mid_hi} or more",
        f"{lo} to {mid_hi} years of relevant work experience",
    ])


def _fill(rng: random.Random, template: str, pool: Sequence[str]) -> str:
    picks = rng.sample(list(pool), min(3, len(pool)))
    while len(picks) < 3:
        picks.append(picks[0])
    return template.format(a=picks[0], b=picks[1], c=picks[2])


def _bullets(rng: random.Random, items: Sequence[str], style: str) -> str:
    if style == "1.":
        return "\n".join(f"{i}. {it}" for i, it in enumerate(items, 1))
    return "\n".join(f"{style} {it}" for it in items)


def _heading(text: str, style: int) -> str:
    if style == 0:
        return text
    if style == 1:
        return text.upper()
    if style == 2:
        return f"{text}:"
    if style == 3:
        return f"## {text}"
    return f"**{text}**"


def title_for(rng: random.Random, occ: dict[str, Any], seniority: str) -> str:
    mapped = occ.get("title_map", {}).get(seniority)
    if mapped and rng.random() < 0.8:
        return str(rng.choice(mapped))
    if seniority == "manager":
        return str(rng.choice(occ["manager_titles"]))
    base = rng.choice(occ["titles"])
    return rng.choice(DEFAULT_TITLE_PREFIX[seniority]).format(t=base)


_SENTENCE_STARTS = {
    "strong", "solid", "you", "good", "practical", "demonstrable", "experience", "expertise",
    "confident", "proven", "proficiency", "hands-on", "working", "a", "an", "at", "currently",
    "no", "some", "up", "excellent", "ability", "fluent", "comfortable", "right", "exposure",
    "knowledge", "any", "familiarity", "medical", "unlimited", "commuter", "paid", "extended",
    "three", "private", "cycle", "enhanced", "pension", "health", "bike", "company",
    "relocation", "language", "mutuelle", "meal", "public", "holiday", "flexible", "intensive",
    "home", "employee", "wellbeing", "regular", "modern", "volunteering", "mental", "free",
    "gym", "shift", "tuition", "sign-on", "staff", "share", "discounts", "four-day", "overtime",
    "small", "professional", "learning", "design", "build", "own", "improve", "review", "write",
    "work", "participate", "migrate", "instrument", "turn", "maintain", "collaborate", "ship",
    "debug", "contribute", "integrate", "mentor", "partner", "communicate", "clean",
    "productionise", "monitor", "optimise", "document", "train", "run", "define", "lead",
    "reduce", "harden", "tune", "support", "report", "talk", "prioritise", "align", "create",
    "present", "prepare", "plan", "manage", "grow", "analyse", "edit", "research", "keep",
    "prospect", "negotiate", "hit", "identify", "be", "coordinate", "answer", "troubleshoot",
    "log", "handle", "advise", "source", "carry", "dispense", "counsel", "supervise", "assess",
    "administer", "educate", "respond", "deliver", "differentiate", "take", "liaise", "track",
    "install", "read", "diagnose", "follow", "produce", "draft", "organise", "file", "help",
    "use", "model", "test", "degree", "bachelor's", "ms", "bs/ms", "you've", "current",
}


def lower_label(label: str) -> str:
    """'UX Designer' -> 'UX designer' (keeps acronyms and camel-case words)."""
    return " ".join(w if sum(c.isupper() for c in w) > 1 else w.lower() for w in label.split())


def _decap(text: str) -> str:
    """Lower-case a sentence start, but not a proper noun or acronym ('SQL', 'Python')."""
    first = text.split(" ", 1)[0]
    if first[:1].isupper() and (len(first) == 1 or first[1:].islower()) and (
            first.lower() in _SENTENCE_STARTS):
        return text[:1].lower() + text[1:]
    return text


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _job_description(
    rng: random.Random, *, occ: dict[str, Any], seniority: str, title: str, company: str,
    industry: str, location: str, country: str, remote: str, core: list[str], nice: list[str],
    requirements: list[str], salary: str | None, ref: str,
) -> str:
    fam = occ["family"]
    team = rng.choice(_TEAMS[fam])
    blurb = rng.choice(INDUSTRY_BLURB[industry]).format(
        big=rng.choice(["2,000", "15,000", "40,000", "250,000", "a million"]),
        small=rng.choice(["120", "350", "600", "900", "1,200"]),
        few=rng.choice(["three", "five", "eight", "12"]))
    city = location.split(",")[0]
    mode_line = {
        "remote": rng.choice(["This is a fully remote position.", "You can work from anywhere "
                              f"in {'the ' + country if country in ('US', 'UK', 'NL') else country}"
                              " - we are remote-first.", "Remote, with occasional team meetups."]),
        "hybrid": rng.choice([f"Hybrid: {rng.randint(2, 3)} days a week in our {city} office.",
                              f"This is a hybrid role based in {city}.",
                              "We work hybrid - a few days in the office, the rest from home."]),
        "onsite": rng.choice([f"This role is based on site in {city}.", f"Location: {city} "
                              "(on-site).", ""]),
    }[remote]
    intro = rng.choice([
        f"{company} {blurb}. We're looking for a {title} to join our {team} team. {mode_line}",
        f"Are you an experienced {lower_label(occ['label'])} looking for your next challenge? "
        f"{company} {blurb}, and our {team} team is growing. {mode_line}",
        f"As a {title} at {company}, you will make a real difference to our {team} team. "
        f"{company} {blurb}. {mode_line}",
        f"Join {company} as a {title}! {company} {blurb}. {mode_line}",
        f"We are hiring a {title} in {city}. {company} {blurb}. {mode_line}",
    ]).strip()
    if seniority in ("lead", "manager", "principal"):
        intro += rng.choice([" You will lead a small team and set direction for your area.",
                             " This is a leadership role with direct reports.",
                             " You will shape strategy and grow the people around you."])
    if seniority == "intern":
        intro += " This is a paid internship with a dedicated mentor."

    resp_pool = list(occ["resp"])
    rng.shuffle(resp_pool)
    resp = [capitalise(r) for r in resp_pool[: rng.randint(4, min(7, len(resp_pool)))]]
    if rng.random() < 0.5:
        resp.append(rng.choice([
            f"Use {rng.choice(core)} and {rng.choice(nice)} every day",
            "Share knowledge and help improve how the team works",
            "Take part in planning and retrospectives", "Keep documentation up to date",
        ]))
    nice_lines = []
    for _ in range(rng.randint(2, 4)):
        nice_lines.append(_fill(rng, rng.choice(_NICE_SKILL), nice))
    nice_lines = list(dict.fromkeys(nice_lines))
    benefits = rng.sample(BENEFITS_BY_COUNTRY[country], rng.randint(2, 3))
    benefits += rng.sample(BENEFITS_GENERAL, rng.randint(2, 4))
    benefits += rng.sample(BENEFITS_FAMILY.get(fam, []), min(2, len(BENEFITS_FAMILY.get(fam,
                                                                                  []))))
    benefits = [b.format(p=rng.choice([3, 4, 5, 6])) for b in benefits]
    rng.shuffle(benefits)
    closing = [c.format(company=company, ref=ref) for c in rng.sample(_CLOSING, 2)]

    if rng.random() < 0.15:  # no headings: flowing prose
        paras = [
            intro,
            f"In this role you will {', '.join(_decap(r) for r in resp[:-1])} and "
            f"{_decap(resp[-1])}.",
            "We're looking for someone with " + "; ".join(
                _decap(r) for r in requirements) + ".",
            "It would be great if you also have " + ", ".join(
                _decap(n) for n in nice_lines) + ".",
            "We offer " + ", ".join(_decap(b) for b in benefits) + ".",
        ]
        if salary:
            paras.append(f"Salary: {salary}.")
        paras += closing
        text = "\n\n".join(paras)
    else:
        hstyle = rng.randint(0, 4)
        bstyle = rng.choice(["-", "•", "*", "-", "•", "1."])
        parts: list[str] = []
        if rng.random() < 0.3:
            parts.append(f"{_heading(rng.choice(_H_ABOUT), hstyle)}\n{company} {blurb}.")
            parts.append(f"{_heading('The role', hstyle)}\n{intro}")
        else:
            parts.append(intro)
        parts.append(f"{_heading(rng.choice(_H_RESP), hstyle)}\n{_bullets(rng, resp, bstyle)}")
        parts.append(
            f"{_heading(rng.choice(_H_REQ), hstyle)}\n{_bullets(rng, requirements, bstyle)}")
        if rng.random() < 0.85:
            parts.append(
                f"{_heading(rng.choice(_H_NICE), hstyle)}\n{_bullets(rng, nice_lines, bstyle)}")
        if salary and rng.random() < 0.6:
            parts.append(f"{_heading('Salary', hstyle)}\n{salary}")
        if rng.random() < 0.9:
            ben = _bullets(rng, benefits, bstyle)
            parts.append(f"{_heading(rng.choice(_H_BEN), hstyle)}\n{ben}")
        parts.append("\n".join(closing))
        text = "\n\n".join(parts)
    target = rng.randint(1500, 2300)
    extras = [p.format(team=team, company=company, city=city) for p in _EXTRA_PARAS]
    rng.shuffle(extras)
    while len(text) < target and extras:
        text += "\n\n" + extras.pop()
    return text[:4000]


def generate_jobs(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """Generate ``n`` synthetic job postings in the importer's seed format.

    Occupations are cycled (shuffled per cycle) so every occupation appears once ``n`` is at
    least the number of occupations; each dict also carries ``occupation`` and ``seniority``
    labels for evaluation.
    """
    rng = random.Random(f"jobs:{seed}")
    occ_keys = list(OCCUPATIONS)
    order: list[str] = []
    jobs: list[dict[str, Any]] = []
    start = date(2026, 10, 1)
    for i in range(n):
        if not order:
            order = occ_keys[:]
            rng.shuffle(order)
        occ_key = order.pop()
        occ = OCCUPATIONS[occ_key]
        seniority = rng.choices(SENIORITIES, weights=[5, 16, 26, 25, 11, 6, 11])[0]
        country = pick_country(rng)
        industry = rng.choice(occ["industries"])
        company = pick_company(rng, industry)
        title = title_for(rng, occ, seniority)
        remote_share = REMOTE_SHARE[occ["family"]]
        roll = rng.random()
        remote = "remote" if roll < remote_share else (
            "hybrid" if roll < remote_share + (0.35 if remote_share > 0.05 else 0.05)
            else "onsite")
        city = rng.choice(COUNTRIES[country][2])
        location = REMOTE_LOCATIONS[country] if remote == "remote" else city
        hourly = rng.random() < occ.get("hourly", 0.0) or (
            seniority == "intern" and rng.random() < 0.3)
        lo, hi, currency = salary_range(rng, occ, seniority, country)
        salary = format_salary(rng, lo, hi, currency, hourly)
        if seniority == "intern":
            employment = "internship"
        else:
            employment = rng.choices(
                ["full_time", "contract", "part_time", "temporary", "freelance"],
                weights=[80, 100 * EMPLOYERS_CONTRACT.get(occ["family"], 0.05), 6, 3, 2])[0]
        core_n = rng.randint(min(4, len(occ["core"])), len(occ["core"]))
        core = [pick_surface(rng, s) for s in rng.sample(occ["core"], core_n)]
        nice = [pick_surface(rng, s) for s in rng.sample(occ["nice"], rng.randint(3, 5))]
        requirements = [_experience_phrase(rng, seniority, occ)]
        pool = core[:]
        rng.shuffle(pool)
        while pool:
            take = rng.randint(1, 3)
            chunk, pool = pool[:take], pool[take:]
            if len(chunk) == 1:
                requirements.append(rng.choice(_REQ_ONE).format(a=chunk[0]))
            elif len(chunk) == 2:
                requirements.append(rng.choice([
                    "Proficiency in {a} and {b}", "Hands-on experience with {a} and {b}",
                    "Solid {a} and {b} skills"]).format(a=chunk[0], b=chunk[1]))
            else:
                requirements.append(
                    f"Working knowledge of {chunk[0]}, {chunk[1]} and {chunk[2]}")
        if rng.random() < 0.75:
            requirements.append(capitalise(rng.choice(occ["degree"])))
        if occ["certs"] and rng.random() < 0.3:
            requirements.append(f"{rng.choice(occ['certs'])} (or willingness to obtain it)")
        requirements += rng.sample(_SOFT, rng.randint(1, 2))
        if rng.random() < 0.25:
            requirements.append(f"Right to work in {country if country != 'UK' else 'the UK'}")
        ext_id = f"sample-{seed}-{i:05d}"
        slug = re.sub(r"[^a-z0-9]+", "-", f"{company} {title}".lower()).strip("-")
        description = _job_description(
            rng, occ=occ, seniority=seniority, title=title, company=company, industry=industry,
            location=location, country=country, remote=remote, core=core, nice=nice,
            requirements=requirements, salary=salary, ref=f"JR-{seed:02d}{i:05d}",
        )
        jobs.append({
            "external_id": ext_id,
            "source": "sample",
            "url": f"https://jobs.example.com/{slug}-{i:05d}",
            "title": title,
            "company": company,
            "location": location,
            "remote": remote,
            "employment_type": employment,
            "salary": salary,
            "description": description,
            "requirements": requirements,
            "skills": list(dict.fromkeys(core + nice)),
            "posted_date": (start + timedelta(days=rng.randint(0, 50))).isoformat(),
            "occupation": occ_key,
            "seniority": seniority,
        })
    return jobs
