"""Synthetic CVs (see :mod:`store.samples.generate`)."""


from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from store.samples.postings import (
    capitalise,
    lower_label,
    title_for,
)
from store.samples.vocabulary import (
    COUNTRIES,
    CURRENCY_SYMBOL,
    OCCUPATIONS,
    RELATED_OCCUPATIONS,
    SENIORITIES,
    SURNAMES,
    VOCABULARY,
    YEARS,
    canonical_skill,
    pick_company,
    pick_country,
    pick_surface,
    salary_range,
)

# --------------------------------------------------------------------------- CVs

_FIRST_NAMES = VOCABULARY["FIRST_NAMES"]
_SCHOOLS: dict[str, list[str]] = VOCABULARY["SCHOOLS"]
_DEGREE_NAMES = VOCABULARY["DEGREE_NAMES"]
_SPOKEN = ["English", "Spanish", "French", "German", "Dutch", "Portuguese", "Italian", "Polish",
           "Mandarin", "Hindi", "Arabic", "Irish", "Catalan", "Japanese", "Swahili", "Turkish"]
_COUNTRY_LANG = {"US": "English", "UK": "English", "DE": "German", "FR": "French",
                 "NL": "Dutch", "CA": "English", "IE": "English", "ES": "Spanish"}
_LEVELS = ["native", "fluent", "professional working proficiency", "conversational", "basic",
           "C1", "B2", "B1"]

_IRREGULAR = VOCABULARY["IRREGULAR"]
_VERBS = {
    "design", "build", "own", "improve", "review", "write", "work", "participate", "migrate",
    "instrument", "turn", "maintain", "collaborate", "ship", "debug", "contribute", "integrate",
    "mentor", "partner", "communicate", "clean", "productionise", "model", "monitor", "optimise",
    "document", "train", "run", "define", "lead", "reduce", "harden", "tune", "support",
    "report", "talk", "prioritise", "align", "create", "present", "prepare", "plan", "manage",
    "grow", "analyse", "edit", "research", "keep", "prospect", "negotiate", "hit", "identify",
    "be", "coordinate", "answer", "troubleshoot", "log", "handle", "advise", "source", "carry",
    "dispense", "counsel", "supervise", "assess", "administer", "educate", "respond", "deliver",
    "differentiate", "take", "liaise", "track", "install", "read", "diagnose", "follow",
    "produce", "draft", "organise", "file", "help", "evolve", "conduct", "order", "use",
    "share", "explore", "invest", "test", "deploy", "evaluate", "proofread",
    "synthesise", "escalate", "automate", "investigate", "interview", "exceed", "control", "fix",
    "launch", "close", "repair", "qualify", "triage", "iterate", "give",
}


def _past(word: str) -> str:
    low = word.lower()
    if low in _IRREGULAR:
        out = _IRREGULAR[low]
    elif low.endswith("e"):
        out = low + "d"
    elif low.endswith("y") and low[-2:-1] not in "aeiou":
        out = low[:-1] + "ied"
    else:
        out = low + "ed"
    return out


_SECOND_VERBS = {
    "give", "improve", "iterate", "investigate", "escalate", "automate", "reduce", "share",
    "interview", "proofread", "exceed", "control", "fix", "report", "launch", "turn", "track",
    "close", "synthesise", "evolve", "repair", "deploy", "qualify", "optimise", "analyse",
    "mentor", "supervise", "triage",
}


def _inflect(phrase: str, fn: Any) -> str:
    """Inflect the leading verb (and verbs co-ordinated with it) of a base-form phrase."""
    words = phrase.split(" ")
    first = words[0].rstrip(",")
    if first.lower() not in _VERBS:
        return phrase
    words[0] = fn(first) + words[0][len(first):]
    converted = {0}
    for i in range(1, len(words)):
        bare = words[i].rstrip(",")
        prev = words[i - 1]
        chained = (prev == "and" and i - 2 in converted) or (
            prev.endswith(",") and i - 1 in converted)
        if (chained and bare.lower() in _VERBS) or (prev == "and" and bare in _SECOND_VERBS):
            words[i] = fn(bare) + words[i][len(bare):]
            converted.add(i)
    return " ".join(words)


def _to_past(phrase: str) -> str:
    return capitalise(_inflect(phrase, _past))


_METRICS: dict[str, list[str]] = VOCABULARY["METRICS"]
_VAGUE = VOCABULARY["VAGUE"]
_SUMMARY = VOCABULARY["SUMMARY"]
_CHANGER_FAMILIES = {"tech", "data", "design", "business", "sales", "service", "people",
                     "finance", "ops"}
_ADJ = ["Detail-oriented", "Motivated", "Pragmatic", "Curious", "Reliable", "Versatile",
        "Hard-working", "Customer-focused"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]
_NOW = date(2026, 11, 1)


def _fmt_date(d: date | None, style: int) -> str:
    if d is None:
        return ["Present", "present", "Present", "now", "Current"][style]
    return [
        f"{_MONTHS[d.month - 1][:3]} {d.year}", f"{d.year}", f"{d.month:02d}/{d.year}",
        f"{_MONTHS[d.month - 1]} {d.year}", f"{d.year}-{d.month:02d}",
    ][style]


def format_range(start: date, end: date | None, style: int) -> str:
    sep = [" - ", " – ", " to ", " – ", " - "][style]
    return f"{_fmt_date(start, style)}{sep}{_fmt_date(end, style)}"


def _years_text(months: int) -> str:
    y = months // 12
    if y < 1:
        return "less than a year"
    return f"{y} year{'s' if y != 1 else ''}" if y > 1 else "one year"


def _lower_seniority(seniority: str, steps: int) -> str:
    ladder = ["intern", "junior", "mid", "senior", "lead", "principal"]
    if seniority == "manager":
        start = 4
    else:
        start = ladder.index(seniority)
    idx = max(0, start - steps)
    return ladder[idx] if idx > 0 else "junior"


def cv_profile(rng: random.Random, idx: int, occ_key: str, seniority: str, seed: int
                ) -> dict[str, Any]:
    occ = OCCUPATIONS[occ_key]
    fam = occ["family"]
    first, last = rng.choice(_FIRST_NAMES), rng.choice(SURNAMES)
    country = pick_country(rng)
    city = rng.choice(COUNTRIES[country][2])
    ylo, yhi = YEARS[seniority]
    total_months = rng.randint(ylo * 12, yhi * 12 + 6) if yhi else rng.randint(3, 9)
    if seniority == "junior":
        total_months = max(6, total_months)
    changer_from: str | None = None
    if seniority != "intern" and fam in _CHANGER_FAMILIES and rng.random() < 0.18:
        others = [k for k in OCCUPATIONS if k != occ_key
                  and k not in RELATED_OCCUPATIONS[occ_key]]
        changer_from = rng.choice(others)

    # skills: most core, some nice, a few adjacent, plus previous career
    core = [s for s in occ["core"] if rng.random() < 0.85] or list(occ["core"][:3])
    nice = rng.sample(occ["nice"], rng.randint(2, min(6, len(occ["nice"]))))
    adjacent: list[str] = []
    for rel in sorted(RELATED_OCCUPATIONS[occ_key]):
        if rng.random() < 0.5:
            adjacent += rng.sample(OCCUPATIONS[rel]["core"] + OCCUPATIONS[rel]["nice"], 1)
    prev_skills: list[str] = []
    if changer_from:
        prev = OCCUPATIONS[changer_from]
        prev_skills = rng.sample(prev["core"], min(len(prev["core"]), rng.randint(3, 5)))
    all_skills = list(dict.fromkeys(pick_surface(rng, s) for s in core + nice + adjacent
                                    + prev_skills))
    skill_pick = [pick_surface(rng, s) for s in core + nice]

    # experience timeline, newest first
    jobs: list[dict[str, Any]] = []
    end: date | None = None
    remaining = total_months
    cursor = _NOW
    step = 0
    while remaining > 0 and len(jobs) < 6:
        dur = min(remaining, rng.randint(10, 48)) if remaining > 14 else remaining
        months = cursor.year * 12 + cursor.month - 1 - dur
        start_d = date(months // 12, months % 12 + 1, 1)
        is_prev_career = changer_from is not None and step > 0 and remaining <= total_months * 0.5
        j_occ_key = changer_from if is_prev_career and changer_from else occ_key
        j_occ = OCCUPATIONS[j_occ_key]
        j_sen = seniority if step == 0 else _lower_seniority(seniority, step)
        if is_prev_career:
            j_sen = "mid" if dur > 24 else "junior"
        if seniority == "intern":
            j_sen = "intern"
        jobs.append({
            "occ": j_occ_key, "title": title_for(rng, j_occ, j_sen),
            "company": pick_company(rng, rng.choice(j_occ["industries"])),
            "city": rng.choice(COUNTRIES[country][2]) if rng.random() < 0.8 else city,
            "start": start_d, "end": end, "fam": j_occ["family"],
        })
        remaining -= dur
        gap = rng.choice([0, 0, 0, 1, 2, 4])
        months -= gap
        cursor = date(months // 12, months % 12 + 1, 1)
        end = cursor
        step += 1
    if seniority not in ("intern", "junior") and rng.random() < 0.15 and jobs:
        anchor = rng.choice(jobs)
        ov_start = anchor["start"] + timedelta(days=rng.randint(60, 200))
        ov_end = None if anchor["end"] is None and rng.random() < 0.5 else (
            ov_start + timedelta(days=rng.randint(120, 400)))
        if ov_end and ov_end > _NOW:
            ov_end = None
        jobs.append({
            "occ": occ_key, "title": f"Freelance {occ['label']}" if rng.random() < 0.6
            else f"Part-time {occ['label']}", "company": rng.choice(["Self-employed",
                                                                      "Freelance", pick_company(
                                                                          rng, rng.choice(
                                                                              occ["industries"]))]),
            "city": city, "start": ov_start, "end": ov_end, "fam": fam, "overlap": True,
        })
        jobs.sort(key=lambda j: j["start"], reverse=True)

    for j in jobs:
        j_occ = OCCUPATIONS[j["occ"]]
        resp = rng.sample(j_occ["resp"], min(len(j_occ["resp"]), rng.randint(2, 5)))
        bullets = []
        pool = skill_pick if j["occ"] == occ_key else [pick_surface(rng, s) for s in j_occ["core"]]
        for r in resp:
            b = _to_past(r)
            roll = rng.random()
            if roll < 0.35:
                metric = rng.choice(_METRICS[j["fam"]]).format(
                    p=rng.choice([8, 12, 15, 20, 25, 30, 35, 40, 60]),
                    q=rng.choice([92, 95, 97, 98]), o=rng.choice([105, 112, 120, 134]),
                    k=rng.randint(2, 9))
                b = f"{b}, {metric}"
            elif roll < 0.65 and pool:
                b = f"{b} {rng.choice(['using', 'with', 'leveraging', 'using'])} {rng.choice(pool)}"
                if rng.random() < 0.4:
                    b += f" and {rng.choice(pool)}"
            bullets.append(b)
        if rng.random() < 0.25:
            bullets.append(rng.choice(_VAGUE))
        j["bullets"] = bullets

    # education
    level, field = rng.choice(occ["edu"])
    if changer_from and rng.random() < 0.7:
        level, field = rng.choice(OCCUPATIONS[changer_from]["edu"])
    first_start = min(j["start"] for j in jobs) if jobs else _NOW
    grad_year = first_start.year - rng.choice([0, 0, 1, 2])
    if seniority == "intern":
        grad_year = rng.choice([2027, 2028])
    school = rng.choice(_SCHOOLS[country])
    education = [{"level": level, "degree": rng.choice(_DEGREE_NAMES[level]), "field": field,
                  "school": school, "year": grad_year, "expected": seniority == "intern"}]
    if level in ("bachelor", "associate") and rng.random() < 0.2 and seniority not in (
            "intern", "junior"):
        lvl2, field2 = next(((lv, f) for lv, f in occ["edu"] if lv == "master"),
                            ("master", field))
        education.insert(0, {"level": lvl2, "degree": rng.choice(_DEGREE_NAMES[lvl2]),
                             "field": field2, "school": rng.choice(_SCHOOLS[country]),
                             "year": min(2026, grad_year + rng.randint(2, 6)),
                             "expected": False})
    if changer_from:
        education.insert(0, {"level": "associate", "degree": rng.choice(
            ["Bootcamp certificate", "Professional certificate", "Diploma"]),
            "field": occ["label"], "school": rng.choice(
                ["Online course (self-paced)", "Evening course", "Intensive programme"]),
            "year": max(j["start"].year for j in jobs), "expected": False})
    certs = rng.sample(occ["certs"], rng.randint(0, min(2, len(occ["certs"]))))
    if fam in ("health", "legal", "trades") and occ["certs"] and not certs:
        certs = [occ["certs"][0]]
    native = _COUNTRY_LANG[country] if rng.random() < 0.75 else rng.choice(_SPOKEN)
    langs = [(native, "native")]
    for lang in rng.sample(_SPOKEN, rng.randint(0, 2)):
        if lang != native:
            langs.append((lang, rng.choice(_LEVELS[1:])))
    if native != "English" and all(lg != "English" for lg, _ in langs):
        langs.append(("English", rng.choice(["fluent", "C1", "professional working proficiency"])))

    title_now = jobs[0]["title"] if jobs else title_for(rng, occ, seniority)
    summary = rng.choice(_SUMMARY).format(
        label=occ["label"], label_l=lower_label(occ["label"]), y=_years_text(total_months),
        ind=rng.choice(["fast-paced environments", f"the {rng.choice(occ['industries'])} sector",
                        "both startups and large organisations" if fam in (
                            "tech", "data", "design", "business", "sales") else
                        "several different settings", "several organisations"]),
        a=all_skills[0], b=all_skills[min(1, len(all_skills) - 1)],
        c=all_skills[min(2, len(all_skills) - 1)], r=_gerund(rng.choice(occ["resp"])),
        adj=rng.choice(_ADJ))
    if changer_from:
        before = lower_label(OCCUPATIONS[changer_from]["label"])
        summary += (f" Previously worked as a {before}; now moving into "
                    f"{lower_label(occ['label'])} work.")
    if seniority == "intern":
        summary = (f"{field} student at {school} (graduating {grad_year}) looking for a "
                   f"{lower_label(occ['label'])} internship. Familiar with {all_skills[0]} and "
                   f"{all_skills[min(1, len(all_skills) - 1)]}.")
    extras: list[str] = []
    if rng.random() < 0.3:
        lo, hi, cur = salary_range(rng, occ, seniority, country)
        extras.append(rng.choice(["Salary expectation", "Expected salary", "Desired salary"])
                      + ": " + rng.choice([f"{CURRENCY_SYMBOL[cur]}{(lo + hi) // 2:,}",
                                           f"{CURRENCY_SYMBOL[cur]}{lo // 1000}k-{hi // 1000}k",
                                           f"{cur} {hi:,} per year"]))
    if rng.random() < 0.3:
        extras.append(rng.choice(["Remote preference: remote only", "Open to hybrid or remote",
                                  "Prefers on-site work", "Willing to relocate",
                                  "Work mode: hybrid preferred", "Available for remote work"]))
    if rng.random() < 0.25:
        extras.append(f"Desired role: {title_for(rng, occ, seniority)}")
    email_user = f"{first}.{last}".lower().replace("-", "")
    return {
        "id": f"cv-{seed}-{idx:04d}", "occupation": occ_key, "seniority": seniority,
        "name": f"{first} {last}", "email": f"{email_user}@example.com",
        "phone": rng.choice([f"+1 (555) 555-{rng.randint(100, 199):04d}",
                             f"555-01{rng.randint(0, 99):02d}",
                             f"+44 555 0{rng.randint(100, 999)} {rng.randint(100, 999)}",
                             f"(555) 01{rng.randint(0, 99):02d}-{rng.randint(1000, 9999)}"]),
        "location": city, "headline": title_now, "summary": summary, "jobs": jobs,
        "education": education, "certs": certs, "skills": all_skills, "langs": langs,
        "extras": extras, "core_skills": [canonical_skill(s) for s in core],
    }


def _ing(word: str) -> str:
    w = word.lower()
    if w.endswith("ie"):
        return w[:-2] + "ying"
    if w.endswith("e") and w not in ("be", "see"):
        return w[:-1] + "ing"
    if w in ("run", "plan", "ship", "log", "hit", "set", "debug", "control"):
        return w + w[-1] + "ing"
    return w + "ing"


def _gerund(phrase: str) -> str:
    return _inflect(phrase, _ing)


CV_HEADINGS = VOCABULARY["H_CV"]


def _cv_heading(text: str, style: int) -> str:
    if style == 0:
        return text
    if style == 1:
        return text.upper()
    if style == 2:
        return f"{text}:"
    if style == 3:
        return f"{text.upper()}\n{'-' * len(text)}"
    return ""


def render_cv(rng: random.Random, p: dict[str, Any]) -> str:
    hstyle = rng.choices([0, 1, 2, 3, 4], weights=[30, 30, 12, 14, 14])[0]
    bullet = rng.choice(["•", "-", "*", "•", "-"])
    dstyle = rng.randint(0, 4)
    estyle = rng.randint(0, 3)
    sstyle = rng.randint(0, 3)
    name = p["name"].upper() if rng.random() < 0.4 else p["name"]
    contact = rng.choice([
        f"{p['email']} | {p['phone']} | {p['location']}",
        f"Email: {p['email']}\nPhone: {p['phone']}\nLocation: {p['location']}",
        f"{p['location']} · {p['phone']} · {p['email']}",
        f"{p['email']}\n{p['phone']}\n{p['location']}",
    ])
    header = f"{name}\n{p['headline']}\n{contact}" if rng.random() < 0.7 else f"{name}\n{contact}"
    sections: dict[str, str] = {}
    sections["summary"] = p["summary"]

    entries = []
    for j in p["jobs"]:
        dates = format_range(j["start"], j["end"], dstyle)
        bl = "\n".join(f"{bullet} {b}" for b in j["bullets"])
        head = [
            f"{j['title']} | {j['company']} | {j['city']}\n{dates}",
            f"{j['company']}, {j['city']} — {j['title']} ({dates})",
            f"{dates}\n{j['title']}, {j['company']}",
            f"{j['title']}\n{j['company']} · {j['city']} · {dates}",
        ][estyle]
        entries.append(f"{head}\n{bl}")
    sections["experience"] = "\n\n".join(entries)

    skills = list(p["skills"])
    if sstyle == 0:
        sections["skills"] = ", ".join(skills)
    elif sstyle == 1:
        sections["skills"] = "\n".join(f"{bullet} {s}" for s in skills)
    elif sstyle == 2:
        sections["skills"] = " | ".join(skills)
    else:
        half = max(1, len(skills) // 2)
        sections["skills"] = (f"Main: {', '.join(skills[:half])}\n"
                              f"Also: {', '.join(skills[half:]) or 'n/a'}")

    edu_lines = []
    for e in p["education"]:
        yr = f"expected {e['year']}" if e["expected"] else str(e["year"])
        edu_lines.append(rng.choice([
            f"{e['degree']} in {e['field']}, {e['school']} ({yr})",
            f"{e['degree']}, {e['field']}\n{e['school']}, {yr}",
            f"{yr} - {e['degree']} {e['field']} - {e['school']}",
        ]))
    sections["education"] = "\n".join(edu_lines)
    cert_from = min([j["start"].year for j in p["jobs"]] or [2025])
    if p["certs"]:
        sections["certs"] = "\n".join(
            f"{bullet} {c}" + (f" ({rng.randint(min(cert_from, 2026), 2026)})"
                               if rng.random() < 0.4 else "")
            for c in p["certs"])
    sections["langs"] = ", ".join(f"{lg} ({lv})" for lg, lv in p["langs"])
    if p["extras"]:
        sections["extras"] = "\n".join(p["extras"])

    order = ["summary", "experience", "skills", "education", "certs", "langs", "extras"]
    if rng.random() < 0.4:
        order = ["summary", "skills", "experience", "education", "certs", "langs", "extras"]
    if rng.random() < 0.2:
        order = ["summary", "education", "skills", "experience", "certs", "langs", "extras"]
    blocks = [header]
    for key in order:
        if key not in sections:
            continue
        h = _cv_heading(rng.choice(CV_HEADINGS[key]), hstyle)
        if key == "summary" and hstyle != 4 and rng.random() < 0.2:
            h = ""  # summary directly under the header
        if hstyle == 4 and key == "langs":
            blocks.append(f"Languages: {sections[key]}")
            continue
        blocks.append(f"{h}\n{sections[key]}" if h else sections[key])
    return "\n\n".join(blocks) + "\n"


def _cv_plan(n: int, seed: int) -> list[tuple[random.Random, dict[str, Any], str]]:
    rng = random.Random(f"cvs:{seed}")
    occ_keys = list(OCCUPATIONS)
    order: list[str] = []
    out = []
    for i in range(n):
        if not order:
            order = occ_keys[:]
            rng.shuffle(order)
        occ_key = order.pop()
        seniority = rng.choices(SENIORITIES, weights=[6, 18, 26, 24, 10, 6, 10])[0]
        profile = cv_profile(rng, i, occ_key, seniority, seed)
        out.append((rng, profile, render_cv(rng, profile)))
    return out


def generate_cvs(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """Generate ``n`` synthetic CVs: ``{"id", "occupation", "seniority", "text"}``."""
    return [{"id": p["id"], "occupation": p["occupation"], "seniority": p["seniority"],
             "text": text} for _, p, text in _cv_plan(n, seed)]
