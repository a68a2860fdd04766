"""What a CV has for a job: skill relevance, bullet and role relevance, the lead skills, the
job's wording to add, bullets to quantify, content with no link to the job."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz

from tools.factors import bullet_quality
from tools.preparation import prepare_job, prepare_profile
from tools.schemas import CandidateProfile, GapReport, JobPosting
from tools.skills import load_taxonomy
from tools.tailoring.document import (
    _Bullet,
    _Doc,
    _item_spans,
    _Line,
    _rebuild_skill_line,
    _split_skill_line,
)
from tools.tailoring.invention import _has_number_word
from tools.tailoring.models import MAX_LEAD_SKILLS


@dataclass
class _Analysis:
    doc: _Doc
    job: JobPosting
    skill_rank: dict[str, tuple[int, float, int]]  # cv skill id -> sort key (lower = better)
    related: dict[str, float]  # cv skill id -> weighted credit towards the job's skills
    line_skills: dict[int, list[tuple[int, int, str]]]  # line start -> (start, end, id)
    bullet_score: dict[int, float]  # bullet line start -> relevance
    entry_score: dict[int, float]  # entry index -> relevance
    lead: list[str]  # skill names for the summary's lead line
    keywords: list[tuple[int, int, str]]  # (offset, end, term to add) in doc.text
    keyword_terms: list[tuple[str, str]]  # (CV wording, job wording)
    quantify: list[_Bullet]
    drop_bullets: set[int]  # bullet line starts
    drop_items: dict[int, set[int]]  # skills line start -> item indices (or {-1}: the line)
    job_words: frozenset[str]


_WORDS = re.compile(r"[a-z][a-z+#]{3,}")
_STOP = frozenset(
    """with from that this have team teams work worked working using used across other their
    which within over into also more years year experience including well role help helped
    helping company support supported will your they them what when where about such than then
    based new good great strong make made day days week weeks each every some many most make
    join able like just only both very well""".split()
)


def _stems(text: str) -> set[str]:
    out = set()
    for w in _WORDS.findall(text.lower()):
        if w in _STOP:
            continue
        for suf in ("ing", "ed", "es", "s"):
            if w.endswith(suf) and len(w) - len(suf) >= 4:
                w = w[: -len(suf)]
                break
        out.add(w)
    return out


def _analyse(doc: _Doc, job: JobPosting, gaps: GapReport | None = None) -> _Analysis:
    taxonomy = load_taxonomy()
    parsed = doc.parsed
    pj = prepare_job(job)
    wanted = [(js, 2.0) for js in pj.required] + [(js, 1.0) for js in pj.preferred]
    order = {js.skill_id: i for i, (js, _) in enumerate(wanted)}
    required = {js.skill_id for js in pj.required}

    skill_rank: dict[str, tuple[int, float, int]] = {}
    related: dict[str, float] = {}
    for s in parsed.skills:
        sid = s.skill_id
        if sid in order:
            skill_rank[sid] = (0 if sid in required else 1, 0.0, order[sid])
            related[sid] = 2.0 if sid in required else 1.0
            continue
        best, best_i, total = 0.0, 0, 0.0
        for i, (js, w) in enumerate(wanted):
            c = taxonomy.relation_credit(sid, js.skill_id)
            total += c * w
            if c * w > best:
                best, best_i = c * w, i
        related[sid] = total
        skill_rank[sid] = (2, -best, best_i) if best > 0 else (3, 0.0, 0)

    line_starts = doc.units or [0]
    line_skills: dict[int, list[tuple[int, int, str]]] = {}
    for s in parsed.skills:
        for m in s.mentions:
            ls = line_starts[bisect.bisect_right(line_starts, m.start) - 1]
            line_skills.setdefault(ls, []).append((m.start, m.end, s.skill_id))
    for v in line_skills.values():
        v.sort()

    job_text = (job.text or job.description or "").lower()
    job_words = frozenset(_stems(job_text + " " + (job.title or "")))
    kw_plain = [k for k in job.keywords if taxonomy.lookup(k) is None]

    def relevance(start: int, text: str) -> float:
        ids = {sid for a, b, sid in line_skills.get(start, [])}
        score = sum(related.get(sid, 0.0) for sid in sorted(ids))
        low = f" {text.lower()} "
        score += 0.5 * sum(1 for k in kw_plain if f" {k} " in low)
        return score

    bullet_score: dict[int, float] = {}
    entry_score: dict[int, float] = {}
    bare_job = _bare(job.title or "")
    for e in doc.entries():
        total = 0.0
        for b in e.bullets:
            bullet_score[b.start] = relevance(b.start, b.text)
        ids = set()
        for b in e.bullets:
            ids |= {sid for _, _, sid in line_skills.get(b.start, [])}
        total = sum(related.get(sid, 0.0) for sid in sorted(ids))
        title = parsed.experience[e.index].title or ""
        if bare_job and title:
            total += 3.0 * max(0.0, fuzz.token_set_ratio(bare_job, _bare(title)) - 50) / 50
        entry_score[e.index] = round(total, 6)

    # ---- lead skills: the job's skills the CV has, in the job's order; then related CV skills
    lead: list[str] = []
    names = own_words(parsed)
    for js, _ in wanted:
        if js.skill_id in names:
            lead.append(names[js.skill_id])
    for sid in sorted((sid for sid, r in skill_rank.items() if r[0] == 2),
                      key=lambda x: skill_rank[x]):
        lead.append(names[sid])
    lead = list(dict.fromkeys(lead))[:MAX_LEAD_SKILLS]

    # ---- keywords the CV evidences in other words
    keywords, keyword_terms = _keyword_additions(doc, job, pj.required + pj.preferred, gaps)

    # ---- bullets without numbers
    weak_first = set()
    if gaps is not None:
        weak_first = {g.target.rstrip("…") for g in gaps.findings() if g.type == "weak_wording"}
    quantify = [b for e in doc.entries() for b in e.bullets
                if not bullet_quality(b.text)[0] and not _has_number_word(b.text)]
    quantify.sort(key=lambda b: (not any(b.text.startswith(w) for w in weak_first),
                                 -bullet_score.get(b.start, 0.0)))

    # ---- content with no link to the job
    drop_bullets: set[int] = set()
    comparable = bool(wanted or job.keywords)  # an empty posting relates to nothing
    for e in (doc.entries() if comparable else []):
        # a measured result is an achievement worth keeping, whatever the job
        loose = [b for b in e.bullets if bullet_score.get(b.start, 0.0) == 0
                 and not bullet_quality(b.text)[0]
                 and len(_stems(b.text) & job_words) < 2
                 and not any(related.get(sid, 0.0) > 0 or sid in order
                             for _, _, sid in line_skills.get(b.start, []))]
        if len(loose) == len(e.bullets) and loose:
            loose = loose[1:]  # keep at least one bullet per role
        drop_bullets |= {b.start for b in loose}
    drop_items: dict[int, set[int]] = {}
    canonical = {s.skill_id: s.name for s in parsed.skills}

    def named_in_job(sid: str) -> bool:
        return _in_job(names[sid], job_text) or _in_job(canonical[sid], job_text)

    for block in doc.blocks:
        if block.name != "skills" or not comparable:
            continue
        for it in block.items:
            if not isinstance(it, _Line) or not it.text.strip():
                continue
            hits = line_skills.get(it.start, [])
            if not hits:
                continue
            sl = _split_skill_line(it.text)
            if len(sl.items) < 3:
                if all(skill_rank.get(sid, (3,))[0] == 3 and not named_in_job(sid)
                       for _, _, sid in hits):
                    drop_items[it.start] = {-1}
                continue
            spans = _item_spans(it.start, sl)
            line_drops: set[int] = set()
            for idx, (lo, hi) in enumerate(spans):
                item_ids = [sid for s0, _, sid in hits if lo <= s0 < hi]
                if item_ids and all(skill_rank.get(sid, (3,))[0] == 3
                               and not named_in_job(sid) for sid in item_ids):
                    line_drops.add(idx)
            if line_drops and _rebuild_skill_line(it, it.text, hits, skill_rank, order=False,
                                                  drops=line_drops) != it.text:
                drop_items[it.start] = line_drops
    return _Analysis(doc, job, skill_rank, related, line_skills, bullet_score, entry_score, lead,
                     keywords, keyword_terms, quantify, drop_bullets, drop_items, job_words)


def own_words(parsed: CandidateProfile) -> dict[str, str]:
    """Each CV skill as the CV writes it (its first mention in the skills section, else its
    first mention anywhere), never the taxonomy's canonical name: "Starter Data JPA" is not
    "Hibernate", "OOP" is not "object oriented programming"."""
    out: dict[str, str] = {}
    for s in parsed.skills:
        spans = sorted(s.mentions, key=lambda m: (m.section != "skills", m.start))
        text = " ".join(spans[0].text.split()) if spans else ""
        out[s.skill_id] = text or s.name
    return out


def _in_job(name: str, job_text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", job_text) is not None


def _bare(title: str) -> str:
    return " ".join(re.sub(r"\b(?:senior|sr\.?|junior|jr\.?|lead|principal|staff|i{1,3})\b", " ",
                           title.lower()).split())


def _keyword_additions(
    doc: _Doc, job: JobPosting, wanted: Sequence[Any], gaps: GapReport | None
) -> tuple[list[tuple[int, int, str]], list[tuple[str, str]]]:
    """Where to add the job's wording of a skill the CV already has in other words."""
    taxonomy = load_taxonomy()
    parsed = doc.parsed
    prep = prepare_profile(parsed)
    by_id = {s.skill_id: s for s in parsed.skills}
    terms: list[tuple[str, str]] = []  # (skill id, job wording)
    seen: set[str] = set()
    for js in wanted:
        if js.skill_id not in by_id or js.skill_id in seen:
            continue
        wording = js.name
        if js.span is not None and js.span.text:
            entry = taxonomy.lookup(js.span.text)
            if entry is not None and entry.id == js.skill_id:
                wording = js.span.text
        if not _in_job(wording, (job.text or "").lower()):
            continue  # the posting never writes it this way
        seen.add(js.skill_id)
        terms.append((js.skill_id, wording))
    extra = list(job.keywords)
    if gaps is not None:
        extra += [g.target for g in gaps.findings() if g.type == "ats_keyword"]
    for kw in extra:
        entry = taxonomy.lookup(kw)
        if entry is None or entry.id not in by_id:
            continue
        # only the posting's own words: derived keywords ("api design") are not what it says
        m = re.search(rf"(?<!\w){re.escape(kw)}(?!\w)", job.text or "", re.IGNORECASE)
        if m is not None:
            terms.append((entry.id, m.group(0)))
    out: list[tuple[int, int, str]] = []
    pairs: list[tuple[str, str]] = []
    done: set[str] = set()
    used: set[int] = set()
    editable = doc.editable()
    for sid, wording in terms:
        key = wording.lower()
        if key in done or sid in done or _mentions(prep.words, prep.text_lower, wording):
            continue
        done |= {key, sid}  # one addition per skill
        skill = by_id[sid]
        spans = [m for m in skill.mentions
                 if any(a <= m.start and m.end <= b for a, b in editable)]
        if not spans:
            continue
        pref = {"skills": 0, "experience": 1, "projects": 1, "summary": 2}
        spans.sort(key=lambda sp: (pref.get(sp.section or "", 3), sp.start))
        hit = next((sp for sp in spans if sp.end not in used), None)
        if hit is None:
            continue
        used.add(hit.end)
        out.append((hit.start, hit.end, wording))
        pairs.append((hit.text, wording))
    return out, pairs


def _mentions(words: frozenset[str], text_lower: str, phrase: str) -> bool:
    phrase = phrase.lower().strip()
    if " " not in phrase and phrase.isalnum():
        return phrase in words
    return re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text_lower) is not None
