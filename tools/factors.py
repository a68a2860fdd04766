"""The engine's factors: each scores one side of a CV/job fit 0-100, or ``None`` (unknown).

Skills (weighted by specificity, credit through the skill taxonomy), experience (years, level,
role fit, degree, gated by relevance), location, salary, text similarity (embedding and shared
distinctive words), and the ATS profile's keyword coverage and clarity. Each returns a
:class:`Factor`; with ``detailed`` it also carries a comment and evidence. Combined by
:mod:`tools.scoring`; :mod:`tools.screening` computes the same arithmetic over every job at once
(keep the two in step, a test checks equality).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.lexical import cosine as term_cosine
from tools.lexical import shared_terms
from tools.money import format_money
from tools.preparation import PreparedJob, PreparedProfile, mentions, role_terms
from tools.requirement_terms import TERM_WEIGHT, term_specificity
from tools.schemas import DEGREE_RANK, SENIORITY_RANK, Evidence, JobPosting, JobTerm, Span
from tools.skills import load_taxonomy
from tools.specificity import mass_scale, skill_weight

#: Cosine similarity mapped to a semantic score of 0 and of 100. Each embedder carries its own
#: measured ``calibration``; this default (the default static embedder's) applies when vectors
#: arrive without one.
SEMANTIC_FLOOR = 0.31
SEMANTIC_CEIL = 0.74
DEFAULT_CALIBRATION = (SEMANTIC_FLOOR, SEMANTIC_CEIL)
#: TF-IDF cosine (``tools.lexical``) mapped to 0 and to 100: the 10th and 99th percentiles of
#: real CV/posting pairs (Livecareer resumes × O*NET occupations, FERR judged pairs).
LEXICAL_CALIBRATION = (0.0, 0.18)
#: Shares of the embedding and of the shared-words similarity in the text-similarity factor.
EMBEDDING_SHARE = 0.75
LEXICAL_SHARE = 0.25

#: Weight of a required vs a preferred skill in the skills factor.
REQUIRED_WEIGHT = 2.0
PREFERRED_WEIGHT = 1.0
#: Evidence mass of one key term when a job has no recognised skill (key terms are noisy).
KEYWORD_MASS = 0.5

_NUMBER = re.compile(r"\d")
STRONG_VERBS = frozenset(
    "achieved built created cut decreased delivered designed developed drove established "
    "grew implemented improved increased launched led managed migrated optimised optimized "
    "reduced saved scaled shipped streamlined trained automated negotiated won generated "
    "coordinated resolved mentored introduced redesigned deployed owned closed".split()
)
VAGUE_PHRASES = ("responsible for", "worked on", "helped with", "involved in", "various",
                 "duties included", "tasked with", "assisted with", "participated in")



def semantic_score(cosine: float,
                   calibration: tuple[float, float] = DEFAULT_CALIBRATION) -> float:
    """Calibrated 0-100 from a cosine: 0 at or below the floor, 100 at or above the ceiling."""
    floor, ceil = calibration
    value = (cosine - floor) / (ceil - floor)
    return 100.0 * min(1.0, max(0.0, value))



@dataclass(slots=True)
class Factor:
    """A factor's value; comment, evidence and skill lists only on the detailed path."""

    score: float | None
    comment: str = ""
    evidence: list[Evidence] | None = None
    skills: dict[str, list[str]] | None = None  # matched/missing required/preferred names
    scale: float = 1.0  # share of its nominal weight the factor gets (evidence mass)


def _cv_spans(prep: PreparedProfile, skill_id: str | None, limit: int = 2) -> list[Span]:
    if skill_id is None:
        return []
    found = prep._spans.get((skill_id, limit))
    if found is None:  # sorted once per CV and skill (score_match runs for many jobs)
        found = []
        for s in prep.profile.skills:
            if s.skill_id == skill_id:
                # prefer experience evidence over a bare listing
                found = sorted(s.mentions, key=lambda m: (m.section != "experience",
                                                          m.start))[:limit]
                break
        prep._spans[(skill_id, limit)] = found
    return list(found)


_SKILL_LISTS = ("matched_required", "missing_required", "matched_preferred", "missing_preferred")


def skills_factor(prep: PreparedProfile, pj: PreparedJob, *, detailed: bool,
                   required_share: float | None = None) -> Factor:
    """Weighted coverage of the job's skills. In the balanced profile each requirement weighs
    REQUIRED_WEIGHT or PREFERRED_WEIGHT times its specificity (``tools.specificity``), and the
    factor's own weight scales with the total (few or generic requirements → it counts less);
    the ATS profile counts requirements the way an applicant-tracking system does (unweighted).
    """
    required, preferred, certs = pj.required, pj.preferred, pj.certifications
    # requirement terms the taxonomy does not name count in the weighted (default) factor only
    req_terms, pref_terms = ((pj.required_terms, pj.preferred_terms) if required_share is None
                             else ([], []))
    if not required and not preferred and not certs and not req_terms and not pref_terms:
        if pj.job.keywords:  # no recognised skills: compare the posting's key terms instead
            kw = keywords_factor(prep, pj.job)
            kw.comment = "No recognised skills in the job; key terms compared: " + kw.comment
            if required_share is None:
                kw.scale = mass_scale(KEYWORD_MASS * len(pj.job.keywords))
            return kw
        return Factor(None, "The job lists no skills to compare.")
    get_credit = prep.credit
    # certifications named by the job count as preferred-weight requirements
    cert_hits = [mentions(prep, c) for c in certs] if certs else []
    n_req, n_pref = len(required), len(preferred) + len(certs)
    scale = 1.0
    term_earned = 0.0
    if required_share is not None:
        req_got = sum(get_credit(js.skill_id)[0] for js in required)
        pref_got = sum(get_credit(js.skill_id)[0] for js in preferred) + sum(cert_hits)
        if n_req and n_pref:
            value = required_share * req_got / n_req + (1 - required_share) * pref_got / n_pref
        else:
            value = (REQUIRED_WEIGHT * req_got + PREFERRED_WEIGHT * pref_got) / (
                REQUIRED_WEIGHT * n_req + PREFERRED_WEIGHT * n_pref)
    else:
        earned = mass = 0.0
        for js in required:
            w = REQUIRED_WEIGHT * skill_weight(js.skill_id)
            earned += w * get_credit(js.skill_id)[0]
            mass += w
        for js in preferred:
            w = PREFERRED_WEIGHT * skill_weight(js.skill_id)
            earned += w * get_credit(js.skill_id)[0]
            mass += w
        earned += PREFERRED_WEIGHT * sum(cert_hits)
        mass += PREFERRED_WEIGHT * len(certs)
        for group_terms, base in ((req_terms, REQUIRED_WEIGHT), (pref_terms, PREFERRED_WEIGHT)):
            for t in group_terms:
                w = TERM_WEIGHT * base * term_specificity(t.name)
                term_earned += w * prep.term_credit(t.name)
                mass += w
        earned += term_earned
        value = earned / mass
        scale = mass_scale(mass)
    out = Factor(100.0 * value, scale=scale)
    if not detailed:
        return out
    taxonomy = load_taxonomy()
    out.evidence = []
    names: dict[str, list[str]] = {k: [] for k in _SKILL_LISTS}
    out.skills = names
    for group, got, missing, tag in (
        (required, names["matched_required"], names["missing_required"], "required"),
        (preferred, names["matched_preferred"], names["missing_preferred"], "preferred"),
    ):
        for js in group:
            credit, via = prep.credit(js.skill_id)
            (got if credit >= 0.5 else missing).append(js.name)
            if credit <= 0:
                continue
            note = "exact"
            if via and via != js.skill_id:
                entry = taxonomy.get(via)
                note = f"related skill: {entry.name if entry else via}"
            if via and not prep.evidenced.get(via, False):
                note += "; listed but not shown in experience"
            out.evidence.append(Evidence(
                requirement=f"{js.name} ({tag})", job_span=js.span,
                cv_spans=_cv_spans(prep, via), credit=round(credit, 3), note=note))
    for cert, hit in zip(certs, cert_hits, strict=True):
        names["matched_preferred" if hit else "missing_preferred"].append(cert)
    got_pref = len(names["matched_preferred"])
    if n_req:
        out.comment = (f"{len(names['matched_required'])}/{n_req} required skills matched"
                       + (f", {got_pref}/{n_pref} preferred" if n_pref else ""))
    elif n_pref:
        out.comment = f"{got_pref}/{n_pref} preferred skills matched"
    else:
        out.comment = "No recognised skills in the job"
    if req_terms or pref_terms:
        stated = term_evidence(prep, req_terms, pref_terms, out.evidence)
        out.comment += (f"; {stated}/{len(req_terms) + len(pref_terms)} other requirement terms "
                        f"stated in your CV ({100 * term_earned / mass:.0f} of the "
                        f"{100 * value:.0f} points)")
    if scale < 1:
        out.comment += (f"; few or generic requirements recognised, so skills count "
                        f"{scale:.0%} of their weight")
    return out



def term_evidence(prep: PreparedProfile, required: list[JobTerm], preferred: list[JobTerm],
                  evidence: list[Evidence]) -> int:
    """Append the evidence of the job's requirement terms the CV states (fully or in part);
    return how many it states in full."""
    index = prep.term_index()
    stated = 0
    for group, tag in ((required, "required term"), (preferred, "preferred term")):
        for t in group:
            credit, where = index.match(t.name)
            if credit <= 0:
                continue
            stated += credit >= 1
            spans = prep.source_spans(where)
            note = ("stated in your CV" if credit >= 1 else
                    "its words appear in your CV, but not together")
            evidence.append(Evidence(requirement=f"{t.name} ({tag})", job_span=t.span,
                                     cv_spans=spans, credit=round(credit, 3), note=note))
    return stated


def years_score(years: float, job_min: float | None, job_max: float | None) -> float:
    """Graded table: meets → 100; 1 year below → 85, 2 → 70, 3 → 55, 4+ → 40; slightly over
    the maximum (≤2 y) → 95, further over → lower (85 up to 5 y over, then 70)."""
    if job_min is not None and years < job_min:
        return max(40.0, 100.0 - 15.0 * (job_min - years))
    if job_max is not None and years > job_max:
        over = years - job_max
        if over <= 2:
            return 95.0
        return 85.0 if over <= 5 else 70.0
    return 100.0


def seniority_score(cv_rank: int, job_rank: int) -> float:
    diff = cv_rank - job_rank
    if diff == 0:
        return 100.0
    if diff < 0:
        return {-1: 75.0, -2: 50.0}.get(diff, 30.0)
    return 90.0 if diff == 1 else 70.0




#: Parts of the experience factor (over what is known): years, level, role fit, degree.
YEARS_PART, LEVEL_PART, ROLE_PART, DEGREE_PART = 0.3, 0.1, 0.5, 0.1


#: Relevance (0-1) at or above which experience counts in full; below it the experience score
#: is scaled down linearly to RELEVANCE_FLOOR at relevance 0.
RELEVANCE_FULL = 0.6
RELEVANCE_FLOOR = 0.3


def experience_factor(prep: PreparedProfile, pj: PreparedJob, *, detailed: bool,
                       skills_share: float | None = None) -> Factor:
    """Years (graded table), level, role fit and degree (YEARS_PART, LEVEL_PART, ROLE_PART,
    DEGREE_PART) over what is known.

    Years only count when they are relevant: the result is scaled by how relevant the CV's roles
    are to this job — the role fit when known, else the share of the job's skills matched
    (full credit from RELEVANCE_FULL up, down to RELEVANCE_FLOOR × the score at 0).
    """
    relevance: float | None = skills_share
    profile, job = prep.profile, pj.job
    parts: list[tuple[float, float]] = []  # (weight, score)
    notes: list[str] = []
    evidence: list[Evidence] = []
    years = profile.total_years
    if (job.experience_min is not None or job.experience_max is not None) and years is not None:
        ys = years_score(years, job.experience_min, job.experience_max)
        parts.append((YEARS_PART, ys))
        if detailed:
            ask = _years_ask(job)
            notes.append(f"{years:g} years vs {ask}")
            evidence.append(Evidence(
                requirement=f"experience {ask}", job_span=job.experience_span,
                cv_spans=[e.span for e in profile.experience if e.span][:3],
                credit=round(ys / 100, 3),
                note=_YEARS_NOTE.get(profile.years_source or "", _YEARS_NOTE["dated_roles"])
                .format(years=years)))
    if job.seniority and profile.seniority:
        ss = seniority_score(SENIORITY_RANK[profile.seniority], SENIORITY_RANK[job.seniority])
        parts.append((LEVEL_PART, ss))
        if detailed and ss < 100:
            notes.append(f"{profile.seniority} vs {job.seniority} level")
    role = _role_part(prep, pj)
    if role is not None:
        title_score, how = role
        parts.append((ROLE_PART, title_score))
        relevance = title_score / 100  # the role says how relevant the years are
        if detailed:
            notes.append(f"role fit {title_score:.0f}%")
            roles = role_terms(job.title, job.text or job.description)
            named = job.title if roles == [job.title] else ", ".join(roles) or "not named"
            evidence.append(Evidence(requirement=f"role: {named}",
                                     credit=round(title_score / 100, 3), note=how))
    level = job.qualifications.degree_level
    if level and level != "none" and job.qualifications.degree_required and profile.education:
        have = profile.highest_degree
        ok = have is not None and DEGREE_RANK[have] >= DEGREE_RANK[level]
        parts.append((DEGREE_PART, 100.0 if ok else 40.0))
        if detailed:
            notes.append(f"{level} degree {'met' if ok else 'not shown'}")
            evidence.append(Evidence(requirement=f"{level} degree",
                                     job_span=job.qualifications.span,
                                     credit=1.0 if ok else 0.0,
                                     note=f"highest degree: {have or 'not stated'}"))
    if not parts:
        return Factor(None, "No experience requirement or no dated experience to compare.")
    value = sum(w * s for w, s in parts) / sum(w for w, _ in parts)
    if relevance is not None and relevance < RELEVANCE_FULL:
        gate = RELEVANCE_FLOOR + (1 - RELEVANCE_FLOOR) * relevance / RELEVANCE_FULL
        value *= gate
        if detailed:
            notes.append(f"counted at {gate:.0%}: your roles are {relevance:.0%} relevant")
    return Factor(value, "; ".join(notes), evidence)


_YEARS_NOTE = {
    "dated_roles": "{years:g} years in total from your dated roles (overlaps counted once)",
    "stated": "{years:g} years, as stated in your CV (roles not dated)",
    "skill_durations": "{years:g} years, your longest stated skill experience (roles not dated)",
}


def _role_part(prep: PreparedProfile, pj: PreparedJob) -> tuple[float, str] | None:
    """Role fit 0-100 and how it was found: the occupation similarity of the CV (its titles,
    or what its words read like) to the job (its title's occupation, corroborated by its words)
    when both have one; else the token similarity of the titles (0 at 30 % similar, 100 at
    80 %). None when neither is available."""
    if pj.occupation and prep.occupations():
        fit, cv_title = prep.role_fit(pj.occupation)
        where = f"CV title {cv_title!r}" if cv_title else "what your CV's content reads like"
        return 100.0 * fit, f"occupation similarity {fit:.0%} ({where})"
    if not pj.bare_title or not prep.titles:
        return None
    best, best_title = prep.title_similarity(pj.bare_title)
    return (min(100.0, max(0.0, (best - 30.0) / 50.0 * 100.0)),
            f"closest CV title {best_title!r}: {best:.0f}% similar wording")


def _years_ask(job: JobPosting) -> str:
    lo, hi = job.experience_min, job.experience_max
    if lo is not None and hi is not None:
        return f"{lo:g}-{hi:g} required"
    if lo is not None:
        return f"{lo:g}+ required"
    return f"up to {hi:g} wanted"


def location_factor(prep: PreparedProfile, job: JobPosting) -> Factor:
    profile = prep.profile
    pref = profile.remote_preference
    cand = profile.location
    mode = job.work_mode or ("remote" if job.location and job.location.remote else None)
    if mode is None and (job.location is None or not (job.location.city or job.location.country)):
        return Factor(None, "The job states no location or work mode.")
    if mode == "remote":
        score, note = 100.0, "Remote role"
        jl = job.location
        if jl and jl.country and cand and cand.country and jl.country != cand.country:
            score, note = 40.0, f"Remote but limited to {jl.country}; you are in {cand.country}"
        if pref == "onsite":
            score, note = min(score, 80.0), note + "; you prefer on-site work"
        return Factor(score, note)
    if cand is None or not (cand.city or cand.region or cand.country):
        if pref == "remote":
            return Factor(30.0, f"{mode or 'On-site'} role; you want remote work")
        return Factor(None, "Your location is not stated.")
    jl = job.location
    sim = prep.location_similarity(jl) if jl else 0.0
    if sim >= 1.0:
        score, where = 100.0, "same city"
    elif sim >= 0.7:
        score, where = 80.0, "same region"
    elif sim >= 0.4:
        score, where = 45.0, "same country, different city"
    else:
        score, where = 15.0, "different country"
    if mode == "hybrid" and score < 100:
        score = max(score - 5.0, 0.0)
    if pref == "remote":
        score *= 0.6
        where += "; you prefer remote"
    elif pref == "onsite" and mode == "hybrid":
        score = min(100.0, score)
    job_where = (jl.raw if jl and jl.raw else "the job's location")
    return Factor(score, f"{(mode or 'on-site').capitalize()} in {job_where}: {where}")


#: (shortfall as a share of the expectation, score) — linear in between.
SALARY_STEPS = ((0.0, 100.0), (0.05, 90.0), (0.10, 75.0), (0.20, 50.0), (0.30, 25.0),
                 (0.50, 5.0))


def salary_score(expect_min: float, job_max: float) -> float:
    if expect_min <= job_max:
        return 100.0
    gap = (expect_min - job_max) / expect_min
    prev_g, prev_s = SALARY_STEPS[0]
    for g, s in SALARY_STEPS[1:]:
        if gap <= g:
            return prev_s + (s - prev_s) * (gap - prev_g) / (g - prev_g)
        prev_g, prev_s = g, s
    return SALARY_STEPS[-1][1]


def salary_factor(prep: PreparedProfile, job: JobPosting) -> Factor:
    js, cs = job.salary, prep.profile.salary_expectation
    if js is None or (js.min is None and js.max is None):
        return Factor(None, "The job states no salary.")
    if cs is None or (cs.min is None and cs.max is None):
        return Factor(None, "Your salary expectation is not stated.")
    if js.currency and cs.currency and js.currency != cs.currency:
        return Factor(None, f"Salary in {js.currency}, expectation in {cs.currency}: "
                             "not compared.")
    job_max = js.max if js.max is not None else js.min
    expect = cs.min if cs.min is not None else cs.max
    assert job_max is not None and expect is not None
    score = salary_score(expect, job_max)
    cur = js.currency
    if score >= 100:
        return Factor(score, f"Your expectation {format_money(expect, cur)} is within the job's "
                             "range")
    return Factor(score, f"The job pays up to {format_money(job_max, cur)}, below your "
                         f"{format_money(expect, cur)}")


def keywords_factor(prep: PreparedProfile, job: JobPosting) -> Factor:
    if not job.keywords:
        return Factor(None, "The job has no ATS keywords.")
    found = [k for k in job.keywords if mentions(prep, k)]
    missing = [k for k in job.keywords if k not in found]
    score = 100.0 * len(found) / len(job.keywords)
    comment = f"{len(found)}/{len(job.keywords)} job keywords appear in the CV"
    ev = [Evidence(requirement=f"keyword: {k}", credit=0.0, note="not found in the CV")
          for k in missing[:10]]
    return Factor(score, comment, ev)


def bullet_quality(bullet: str) -> tuple[bool, bool]:
    """(has a measurable result, is vague)."""
    low = bullet.lower()
    measurable = bool(_NUMBER.search(bullet))
    vague = any(p in low for p in VAGUE_PHRASES)
    first = low.split(" ", 1)[0] if low else ""
    vague = vague or (not measurable and first not in STRONG_VERBS and len(low.split()) < 5)
    return measurable, vague


def clarity_factor(prep: PreparedProfile) -> Factor:
    profile = prep.profile
    bullets = [b for e in profile.experience for b in e.bullets]
    if not profile.skills and not bullets:
        return Factor(None, "No skills or experience bullets to assess.")
    evidenced = sum(1 for v in prep.evidenced.values() if v)
    skill_part = evidenced / len(prep.evidenced) if prep.evidenced else 0.0
    if bullets:
        q = [bullet_quality(b) for b in bullets]
        measurable = sum(1 for m, _ in q if m) / len(q)
        concrete = sum(1 for _, v in q if not v) / len(q)
    else:
        measurable = concrete = 0.0
    score = 100.0 * (0.4 * skill_part + 0.3 * min(1.0, measurable * 2) + 0.3 * concrete)
    comment = (f"{evidenced}/{len(prep.evidenced)} skills backed by experience; "
               f"{measurable:.0%} of bullets quantified")
    return Factor(score, comment)



def lexical_score(cosine: float) -> float:
    """Calibrated 0-100 of a shared-words (TF-IDF) cosine, see LEXICAL_CALIBRATION."""
    return semantic_score(cosine, LEXICAL_CALIBRATION)


def semantic_factor(cosine: float | None, detailed: bool,
                     calibration: tuple[float, float],
                     prep: PreparedProfile | None = None,
                     pj: PreparedJob | None = None) -> Factor:
    """Text similarity: the calibrated embedding cosine and the calibrated shared-words cosine,
    EMBEDDING_SHARE / LEXICAL_SHARE (either alone when the other is unknown)."""
    parts: list[tuple[float, float]] = []
    if cosine is not None:
        parts.append((EMBEDDING_SHARE, semantic_score(cosine, calibration)))
    lex: float | None = None
    if prep is not None and pj is not None and prep.terms and pj.terms:
        lex = term_cosine(prep.terms, pj.terms)
        parts.append((LEXICAL_SHARE, lexical_score(lex)))
    if not parts:
        return Factor(None, "No text to compare.")
    value = sum(w * v for w, v in parts) / sum(w for w, _ in parts)
    if not detailed:
        return Factor(value)
    bits = []
    if cosine is not None:
        bits.append(f"meaning {cosine:.2f} (0 at {calibration[0]:g}, 100 at {calibration[1]:g})")
    evidence = []
    if lex is not None:
        assert prep is not None and pj is not None
        shared = shared_terms(prep.terms, pj.terms)
        bits.append(f"shared distinctive words {lex:.2f}"
                    + (f": {', '.join(shared[:5])}" if shared else ""))
        evidence.append(Evidence(requirement="distinctive words of the posting",
                                 credit=round(lexical_score(lex) / 100, 3),
                                 note="shared: " + (", ".join(shared) if shared else "none")))
    return Factor(value, "Text similarity: " + "; ".join(bits), evidence)

