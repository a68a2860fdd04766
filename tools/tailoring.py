"""CV tailoring: deterministic options, a tailored Markdown CV, and a no-invention check.

The original CV text is cut into blocks (the header, each section, each experience entry with its
header lines and bullets) with the parser's own section and entry boundaries. Each option adds to
a *plan* (a summary line, a skills order, an entry/bullet order, keyword annotations, drops); the
plan is rendered back to Markdown that keeps every header line, entry header and education line
verbatim, so ``parse_cv`` reads the same contact line, roles, dates and degrees again.

Impacts are measured, not guessed: the CV is rendered with one option, parsed again and scored
with the same scorer; ``impact`` is that score minus the original's (it may be 0, and the option
then says so). Nothing is invented: every tailored line is compared with the original CV
(:func:`check_invention`) and rewriter lines that add a skill, employer, title, degree, date or
number are put back as they were and reported.

No frameworks here (a test enforces it); python-docx is imported lazily by :func:`to_docx`.
"""

from __future__ import annotations

import bisect
import io
import logging
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Literal, Protocol, get_args

from rapidfuzz import fuzz

from tools.errors import InvalidInputError
from tools.parsing.cv import (
    BULLET_RE,
    DATE_RANGE_RE,
    EMAIL_RE,
    ROLE_WORDS,
    URL_RE,
    _accept_inline,  # the parser's own rule for "Languages: Python, Go" inside a skills block
    analysed_prefix,
    degree_level_of,
    parse_cv,
)
from tools.parsing.sections import CV_HEADINGS, HEADER, heading_key, iter_lines, split_sections
from tools.schemas import CandidateProfile, GapReport, JobPosting, MatchResult, Model
from tools.scoring import bullet_quality, prepare_job, prepare_profile, score_match
from tools.skills import extract_skills, load_taxonomy

logger = logging.getLogger(__name__)

TailoringAction = Literal[
    "emphasise_skills", "reorder_experience", "add_keywords", "quantify_bullets", "drop_irrelevant"
]
#: Option ids, in the order options are listed.
ACTIONS: tuple[TailoringAction, ...] = get_args(TailoringAction)

ViolationKind = Literal["skill", "employer", "title", "degree", "date", "number"]

#: Skills named in the summary's lead line.
MAX_LEAD_SKILLS = 8
#: Bullets sent to a rewriter (the most relevant first), besides the summary.
MAX_REWRITTEN_BULLETS = 12
#: Bullets listed by the quantify option.
MAX_QUANTIFY_NOTES = 8


class TailoringOption(Model):
    """One checkbox the user can tick."""

    id: str
    label: str
    impact: int  # points gained overall with this option alone (measured by re-scoring)
    action: TailoringAction
    detail: str
    default: bool


class Violation(Model):
    """A fact in tailored text that the original CV does not contain."""

    kind: ViolationKind
    term: str
    line: str
    reverted_to: str | None = None
    reason: str


class TailoredCV(Model):
    markdown: str
    before: int
    after: int
    applied: list[str]
    violations: list[Violation]
    notes: list[str]


class Rewriter(Protocol):
    """Rewrites a summary or a bullet for a job (an LLM adapter implements it)."""

    def rewrite(self, *, section: str, text: str, job_title: str, keywords: list[str]) -> str: ...


ScoreFn = Callable[[CandidateProfile], MatchResult]


def _default_score(job: JobPosting) -> ScoreFn:
    def score(profile: CandidateProfile) -> MatchResult:
        return score_match(prepare_profile(profile), job)

    return score


# =========================================================================== the document


@dataclass
class _Bullet:
    start: int  # offset of the line in the text
    raw: str  # the line as written
    text: str  # without the bullet marker


@dataclass
class _Entry:
    index: int  # into profile.experience
    start: int
    header: list[str]
    bullets: list[_Bullet]


@dataclass
class _Line:
    start: int
    text: str


@dataclass
class _Summary:
    start: int
    lines: list[str]  # the summary's lines as written

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.lines).split())


_Item = _Line | _Entry | _Summary


@dataclass
class _Block:
    name: str  # canonical section name or "header"
    heading: str | None  # Markdown heading text
    inline_label: str | None  # "Tools" when a continuation block started inline ("Tools: …")
    items: list[_Item]


@dataclass
class _Doc:
    text: str  # normalised text the offsets refer to
    tail: str  # text beyond the parser's analysed prefix (kept verbatim)
    blocks: list[_Block]
    parsed: CandidateProfile
    has_headings: bool
    units: list[int] = field(default_factory=list)  # sorted starts of lines, bullets, headings

    def entries(self) -> list[_Entry]:
        return [it for b in self.blocks for it in b.items if isinstance(it, _Entry)]

    def editable(self) -> list[tuple[int, int]]:
        """Text ranges where words may be added: bullets, the summary, skills lines (never a
        header line: it holds the name, titles, employers and dates)."""
        out: list[tuple[int, int]] = []
        for b in self.blocks:
            for it in b.items:
                if isinstance(it, _Entry):
                    out += [(x.start, x.start + len(x.raw)) for x in it.bullets]
                elif isinstance(it, _Summary):
                    out.append((it.start, it.start + len("\n".join(it.lines))))
                elif b.name == "skills":
                    out.append((it.start, it.start + len(it.text)))
        return out

    def summary(self) -> _Summary | None:
        for b in self.blocks:
            for it in b.items:
                if isinstance(it, _Summary):
                    return it
        return None


_DECOR_L = re.compile(r"^[\s#*=_~>|•·▪■◆●○◦‣⁃–—\-]+")
_DECOR_R = re.compile(r"[\s#*=_~|:：–—\-]+$")
_SPACED = re.compile(r"^(?:[A-Za-z&]\s+){2,}[A-Za-z&]$")


def _heading_text(raw: str, name: str) -> str:
    core = _DECOR_R.sub("", _DECOR_L.sub("", raw)).strip()
    if _SPACED.match(core):  # "K E Y S K I L L S": spell the variant it stands for
        squashed = core.replace(" ", "").lower()
        for variant in CV_HEADINGS.get(name, ()):
            if heading_key(variant).replace(" ", "") == squashed:
                return variant.title()
    return core or name.title()


def _synthesise_text(profile: CandidateProfile) -> str:
    """A plain CV text from a profile that carries no source text."""
    p = profile.personal
    out = [x for x in (p.name, profile.headline) if x]
    contact = [x for x in (profile.location.raw if profile.location else None, p.email, p.phone)
               if x]
    if contact:
        out.append(" | ".join(contact))
    if profile.summary:
        out += ["", "Summary", profile.summary]
    if profile.skills:
        out += ["", "Skills", ", ".join(s.name for s in profile.skills)]
    if profile.experience:
        out += ["", "Experience"]
        for e in profile.experience:
            when = " – ".join(_month_year(d) for d in (e.start, e.end) if d)
            out.append(" | ".join(x for x in (e.title, e.company, when) if x))
            out += [f"- {b}" for b in e.bullets]
            out.append("")
    if profile.education:
        out += ["", "Education"]
        for ed in profile.education:
            out.append(", ".join(str(x) for x in (ed.degree, ed.institution, ed.year) if x))
    if profile.certifications:
        out += ["", "Certifications", *profile.certifications]
    return "\n".join(out).strip()


def _month_year(value: str) -> str:
    if value == "present":
        return "Present"
    m = re.fullmatch(r"(\d{4})-(\d{2})", value)
    return f"{m.group(2)}/{m.group(1)}" if m else value


def _build_doc(profile: CandidateProfile, today: date | None) -> _Doc:
    source = profile.text or _synthesise_text(profile)
    parsed = parse_cv(source, today=today)
    full = parsed.text
    norm = analysed_prefix(full)
    tail = full[len(norm):]
    sections = split_sections(norm, CV_HEADINGS, accept_inline=_accept_inline)
    lines = [(off, ln) for off, ln in iter_lines(norm)]

    # experience entries: header lines, then the bullet lines the parser read
    entry_at: dict[int, tuple[_Entry, int]] = {}  # first line offset -> (entry, end offset)
    for k, e in enumerate(parsed.experience):
        if e.span is None:
            continue
        a, b = e.span.start, e.span.end
        inside = [(off, ln) for off, ln in lines if a <= off < b and ln.strip()]
        n_b = len(e.bullets)
        head, tail_lines = inside[: len(inside) - n_b], inside[len(inside) - n_b:]
        if not head or [BULLET_RE.sub("", ln).strip() for _, ln in tail_lines] != e.bullets:
            continue  # not the shape we expect: leave these lines as they are
        bullets = [_Bullet(off, ln, BULLET_RE.sub("", ln).strip()) for off, ln in tail_lines]
        entry_at[a] = (_Entry(k, a, [ln for _, ln in head], bullets), b)

    summary_span = _find_summary(parsed.summary, lines, sections)

    blocks: list[_Block] = []
    prev_name: str | None = None
    for s in sections:
        inline = s.name != HEADER and s.body_start > s.start and norm[s.body_start - 1] != "\n" \
            and "\n" not in norm[s.start:s.body_start]
        heading: str | None = None
        label: str | None = None
        if s.name != HEADER:
            raw_head = norm[s.start:s.body_start].split("\n", 1)[0]
            if inline and s.name == prev_name:
                label = raw_head.rstrip()  # "Tools:" inside a skills block: a sub-label
            else:
                heading = _heading_text(raw_head.rstrip(": "), s.name)
        items: list[_Item] = []
        pos = s.body_start
        end = s.end
        if inline:  # "Tools: Python, R": the body starts after the colon's spaces
            while pos < end and norm[pos] == " ":
                pos += 1
        while pos < end:
            nl = norm.find("\n", pos, end)
            stop = end if nl < 0 else nl
            text = norm[pos:stop]
            if pos in entry_at:
                entry, e_end = entry_at[pos]
                items.append(entry)
                nxt = norm.find("\n", max(e_end, pos), end)
                pos = end if nxt < 0 else nxt + 1
                continue
            if summary_span is not None and pos == summary_span[0]:
                s_lines = norm[summary_span[0]:summary_span[1]].split("\n")
                items.append(_Summary(pos, s_lines))
                nxt = norm.find("\n", summary_span[1], end)
                pos = end if nxt < 0 else nxt + 1
                continue
            if label is not None and pos == s.body_start:
                text = label + text
                label = None
            items.append(_Line(pos, text))
            pos = stop + 1
        while items and isinstance(items[-1], _Line) and not items[-1].text.strip():
            items.pop()
        while items and isinstance(items[0], _Line) and not items[0].text.strip():
            items.pop(0)
        if heading is None and blocks and s.name != HEADER:
            blocks[-1].items.extend(items)  # a continuation of the previous block
        else:
            blocks.append(_Block(s.name, heading, None, items))
        prev_name = s.name
    units = {s.start for s in sections}
    for blk in blocks:
        for it in blk.items:
            if isinstance(it, _Entry):
                off = it.start
                for h in it.header:
                    units.add(off)
                    off += len(h) + 1
                units |= {x.start for x in it.bullets}
            else:
                units.add(it.start)
    return _Doc(norm, tail, blocks, parsed, has_headings=len(sections) > 1,
                units=sorted(units))


def _find_summary(summary: str | None, lines: list[tuple[int, str]],
                  sections: list[Any]) -> tuple[int, int] | None:
    """Offsets of the run of lines the parser read as the summary."""
    if not summary:
        return None
    target = summary.split()
    n = len(lines)
    for i in range(n):
        off, ln = lines[i]
        if not ln.strip():
            continue
        words = ln.split()
        # the summary may start inside an inline heading line ("Summary: Backend engineer …")
        for s in sections:
            if s.name == "summary" and s.start == off and off < s.body_start < off + len(ln):
                words = ln[s.body_start - off:].split()
                off = s.body_start
        if not words or words != target[: len(words)]:
            continue
        got = list(words)
        j = i
        while len(got) < len(target) and j + 1 < n and lines[j + 1][1].strip():
            j += 1
            got += lines[j][1].split()
        if got == target:
            return off, lines[j][0] + len(lines[j][1])
    return None


# =========================================================================== analysis


@dataclass
class _SkillLine:
    """A skills-section line cut into a label and items (depth-0 separators)."""

    prefix: str  # bullet marker and label ("- Languages: ")
    items: list[tuple[str, str]]  # (item text, separator after it)


_LABEL = re.compile(r"^([^:,;|()]{1,40}:)\s*")


def _split_skill_line(raw: str) -> _SkillLine:
    marker = BULLET_RE.match(raw)
    prefix = raw[: marker.end()] if marker else ""
    rest = raw[len(prefix):]
    lab = _LABEL.match(rest)
    if lab:
        prefix += lab.group(0)
        rest = rest[lab.end():]
    items: list[tuple[str, str]] = []
    depth = 0
    start = 0
    i = 0
    n = len(rest)
    while i < n:
        c = rest[i]
        if c in "([":
            depth += 1
        elif c in ")]":
            depth = max(0, depth - 1)
        elif depth == 0 and c in ",;|•·":
            j = i
            while j > start and rest[j - 1] == " ":
                j -= 1
            k = i + 1
            while k < n and rest[k] == " ":
                k += 1
            items.append((rest[start:j], rest[j:k]))
            start = i = k
            continue
        i += 1
    items.append((rest[start:], ""))
    return _SkillLine(prefix, [(t, s) for t, s in items])


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
    names = {s.skill_id: s.name for s in parsed.skills}
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
                if all(skill_rank.get(sid, (3,))[0] == 3 and not _in_job(names[sid], job_text)
                       for _, _, sid in hits):
                    drop_items[it.start] = {-1}
                continue
            spans = _item_spans(it.start, sl)
            line_drops: set[int] = set()
            for idx, (lo, hi) in enumerate(spans):
                item_ids = [sid for s0, _, sid in hits if lo <= s0 < hi]
                if item_ids and all(skill_rank.get(sid, (3,))[0] == 3
                               and not _in_job(names[sid], job_text) for sid in item_ids):
                    line_drops.add(idx)
            if line_drops and _rebuild_skill_line(it, it.text, hits, skill_rank, order=False,
                                                  drops=line_drops) != it.text:
                drop_items[it.start] = line_drops
    return _Analysis(doc, job, skill_rank, related, line_skills, bullet_score, entry_score, lead,
                     keywords, keyword_terms, quantify, drop_bullets, drop_items, job_words)


def _in_job(name: str, job_text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(name.lower())}(?!\w)", job_text) is not None


def _item_spans(line_start: int, sl: _SkillLine) -> list[tuple[int, int]]:
    out = []
    pos = line_start + len(sl.prefix)
    for text, sep in sl.items:
        out.append((pos, pos + len(text)))
        pos += len(text) + len(sep)
    return out


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


# =========================================================================== plan and render


@dataclass
class _Plan:
    lead: list[str] = field(default_factory=list)
    order_skills: bool = False
    order_entries: bool = False
    order_bullets: bool = False
    annotations: list[tuple[int, int, str]] = field(default_factory=list)
    drop_bullets: set[int] = field(default_factory=set)
    drop_items: dict[int, set[int]] = field(default_factory=dict)
    summary_text: str | None = None  # a rewriter's summary
    bullet_text: dict[int, str] = field(default_factory=dict)  # a rewriter's bullets


def _plan(an: _Analysis, actions: Sequence[str]) -> _Plan:
    plan = _Plan()
    if "emphasise_skills" in actions:
        plan.lead = list(an.lead)
        plan.order_skills = True
    if "reorder_experience" in actions:
        plan.order_entries = plan.order_bullets = True
    if "add_keywords" in actions:
        plan.annotations = list(an.keywords)
    if "drop_irrelevant" in actions:
        plan.drop_bullets = set(an.drop_bullets)
        plan.drop_items = {k: set(v) for k, v in an.drop_items.items()}
    return plan


def _lead_line(names: list[str]) -> str:
    # no "Label:" form: "Core skills: …" would read as a skills heading to the parser
    if len(names) == 1:
        return f"Skilled in {names[0]}."
    return f"Skilled in {', '.join(names[:-1])} and {names[-1]}."


def _annotated(text: str, start: int, plan: _Plan) -> str:
    """`text` (which starts at offset `start`) with the plan's keyword additions."""
    end = start + len(text)
    adds = sorted((b, w) for a, b, w in plan.annotations if start <= a and b <= end)
    for b, w in reversed(adds):
        i = b - start
        text = f"{text[:i]} ({w}){text[i:]}"
    return text


@dataclass
class _Out:
    md: str
    origin: str | None  # the original line this one stands for (None: added)
    kind: str = "text"  # "text", "heading", "bullet", "blank", "summary", "rewritten"


def _render(doc: _Doc, an: _Analysis, plan: _Plan) -> list[_Out]:
    out: list[_Out] = []
    summary = doc.summary()
    lead = _lead_line(plan.lead) if plan.lead else None
    summary_added = False
    for bi, block in enumerate(doc.blocks):
        if (lead and summary is None and not summary_added and doc.has_headings
                and (block.name != HEADER)):
            out += [_Out("", None, "blank"), _Out("## Summary", None, "heading"),
                    _Out(lead, None, "summary")]
            summary_added = True
        if block.heading is not None:
            if out:
                out.append(_Out("", None, "blank"))
            out.append(_Out(f"## {block.heading}", block.heading, "heading"))
        items = list(block.items)
        if plan.order_entries:
            items = _ordered_entries(items, an)
        if block.name == "skills":
            items = _ordered_skill_lines(items, an, plan) if plan.order_skills else items
        prev_entry = False
        for it in items:
            if isinstance(it, _Entry):
                if out and out[-1].kind != "blank" and out[-1].kind != "heading":
                    out.append(_Out("", None, "blank"))
                out += _render_entry(it, an, plan)
                prev_entry = True
                continue
            if isinstance(it, _Summary):
                out += _render_summary(it, doc, plan, lead)
                continue
            if prev_entry and it.text.strip():
                out.append(_Out("", None, "blank"))
            prev_entry = False
            if not it.text.strip():
                if out and out[-1].kind != "blank":
                    out.append(_Out("", None, "blank"))
                continue
            text = _annotated(it.text, it.start, plan)
            if block.name == "skills":
                ordered = _skills_line(text, it, an, plan)
                if ordered is None:
                    continue
                text = ordered
            kind = "bullet" if BULLET_RE.match(text) and text.lstrip().startswith("-") else "text"
            out.append(_Out(text, it.text, kind))
        if bi == 0 and block.name == HEADER and lead and summary is None and \
                not doc.has_headings and not summary_added:
            summary_added = True  # no headings and no intro: nowhere safe to add a summary
    if lead and summary is None and not summary_added and doc.has_headings:
        out += [_Out("", None, "blank"), _Out("## Summary", None, "heading"),
                _Out(lead, None, "summary")]
    if doc.tail.strip():
        out += [_Out("", None, "blank")] + [_Out(ln, ln) for ln in doc.tail.strip().split("\n")]
    return out


def _render_summary(it: _Summary, doc: _Doc, plan: _Plan, lead: str | None) -> list[_Out]:
    original = "\n".join(it.lines)
    if plan.summary_text is not None:
        return [_Out(plan.summary_text, original, "rewritten")]
    lines = [_annotated(ln, it.start + sum(len(x) + 1 for x in it.lines[:i]), plan)
             for i, ln in enumerate(it.lines)]
    if not any(BULLET_RE.match(ln) for ln in lines):  # a wrapped paragraph: one line
        lines = [" ".join(" ".join(lines).split())]
        origins = [it.text]
    else:
        origins = list(it.lines)
    out = [_Out(ln, o) for ln, o in zip(lines, origins, strict=True)]
    if lead is None:
        return out
    in_header = any(x is it for x in doc.blocks[0].items)
    if in_header:  # an intro paragraph under the name: the lead goes on its first line
        return [_Out(f"{lead} {lines[0]}", origins[0], "summary"), *out[1:]]
    return [_Out(lead, None, "summary"), *out]


def _render_entry(e: _Entry, an: _Analysis, plan: _Plan) -> list[_Out]:
    out = [_Out(h, h) for h in e.header]
    bullets = [b for b in e.bullets if b.start not in plan.drop_bullets]
    if plan.order_bullets:
        bullets = sorted(bullets, key=lambda b: -an.bullet_score.get(b.start, 0.0))
    for b in bullets:
        if b.start in plan.bullet_text:
            out.append(_Out(f"- {plan.bullet_text[b.start]}", b.text, "rewritten"))
            continue
        raw = _annotated(b.raw, b.start, plan)
        text = BULLET_RE.sub("", raw).strip()
        out.append(_Out(f"- {text}", b.text, "bullet"))
    return out


def _ordered_entries(items: list[_Item], an: _Analysis) -> list[_Item]:
    """Runs of consecutive entries with the least relevant roles moved down (stable)."""
    out: list[_Item] = []
    run: list[_Entry] = []

    def flush() -> None:
        # roles at least half as relevant as the best keep their order; the others move below
        top = max((an.entry_score.get(x.index, 0.0) for x in run), default=0.0)

        def rank(x: _Entry) -> int:
            return 0 if top <= 0 or an.entry_score.get(x.index, 0.0) >= top / 2 else 1

        ordered: list[_Entry] = sorted(run, key=rank)
        out.extend(ordered)
        run.clear()

    for it in items:
        if isinstance(it, _Entry):
            run.append(it)
        elif isinstance(it, _Line) and not it.text.strip() and run:
            continue
        else:
            flush()
            out.append(it)
    flush()
    return out


def _line_rank(start: int, an: _Analysis) -> tuple[int, float, int] | None:
    hits = an.line_skills.get(start, [])
    ranks = [an.skill_rank.get(sid, (3, 0.0, 0)) for _, _, sid in hits]
    return min(ranks) if ranks else None


def _ordered_skill_lines(items: list[_Item], an: _Analysis, plan: _Plan) -> list[_Item]:
    """Skill-bearing lines sorted by their best skill; other lines keep their places."""
    slots = [i for i, it in enumerate(items) if isinstance(it, _Line) and it.text.strip()
             and _line_rank(it.start, an) is not None]
    lines = [it for it in items if isinstance(it, _Line)]
    ordered = sorted((it for it in lines if any(it is items[i] for i in slots)),
                     key=lambda it: _line_rank(it.start, an) or (3, 0.0, 0))
    out = list(items)
    for i, it in zip(slots, ordered, strict=True):
        out[i] = it
    return out


def _skills_line(text: str, it: _Line, an: _Analysis, plan: _Plan) -> str | None:
    """A skills line with its items ordered by relevance and irrelevant ones dropped."""
    drops = plan.drop_items.get(it.start, set())
    if -1 in drops:
        return None
    if not plan.order_skills and not drops:
        return text
    return _rebuild_skill_line(it, text, an.line_skills.get(it.start, []), an.skill_rank,
                               order=plan.order_skills, drops=drops)


def _rebuild_skill_line(it: _Line, text: str, hits: list[tuple[int, int, str]],
                        skill_rank: dict[str, tuple[int, float, int]], *, order: bool,
                        drops: set[int]) -> str | None:
    """`text` (the line `it`, maybe annotated) with skill items reordered and/or dropped; the
    line unchanged when that would hide a kept skill from the parser (an ambiguous name such
    as "Helm" is only read as a skill inside a list)."""
    sl_orig = _split_skill_line(it.text)
    sl = _split_skill_line(text)
    if len(sl.items) != len(sl_orig.items) or len(sl.items) < 3:
        return text
    spans = _item_spans(it.start, sl_orig)
    ranks: list[tuple[int, float, int] | None] = []
    for a, b in spans:
        r = [skill_rank.get(sid, (3, 0.0, 0)) for s0, _, sid in hits if a <= s0 < b]
        ranks.append(min(r) if r else None)
    texts = [t for t, _ in sl.items]
    seps = [s for _, s in sl.items]
    keep = [i for i in range(len(texts)) if i not in drops]
    if order:
        slots = [i for i in keep if ranks[i] is not None]
        ordered = sorted(slots, key=lambda i: ranks[i] or (3, 0.0, 0))
        perm = dict(zip(slots, ordered, strict=True))
        keep = [perm.get(i, i) for i in keep]
    if not keep:
        return None
    sep = next((s for s in seps if s), ", ")
    result = sl.prefix + sep.join(texts[i].strip() for i in keep)
    before = {m.skill_id for m in extract_skills(text, role_names=True)}
    dropped = {sid for s0, _, sid in hits
               if any(a <= s0 < b for i, (a, b) in enumerate(spans) if i in drops)}
    if not (before - dropped) <= {m.skill_id for m in extract_skills(result, role_names=True)}:
        return text
    return result


def _markdown(lines: list[_Out]) -> str:
    """Join rendered lines; consecutive plain lines get a hard line break ("  ")."""
    md: list[str] = []
    for i, ln in enumerate(lines):
        text = ln.md.rstrip()
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        plain = ln.kind in ("text", "summary") and not text.startswith("- ")
        if plain and nxt is not None and nxt.kind in ("text", "summary", "rewritten") \
                and nxt.md.strip() and not nxt.md.startswith("- "):
            text += "  "
        md.append(text)
    out = "\n".join(md)
    out = re.sub(r"\n{3,}", "\n\n", out)
    return out.strip() + "\n"


# =========================================================================== scoring


_OVERRIDABLE = ("location", "remote_preference", "salary_expectation", "desired_roles",
                "total_years", "seniority", "languages")


def _overrides(profile: CandidateProfile, parsed: CandidateProfile) -> dict[str, Any]:
    """Fields the caller set differently from what the CV text says (preferences, an older
    reference date): they apply to the tailored CV too, so the comparison is fair."""
    if not profile.text:
        return {}
    return {f: getattr(profile, f) for f in _OVERRIDABLE
            if getattr(profile, f) != getattr(parsed, f)}


def _reparse(markdown: str, overrides: dict[str, Any], today: date | None) -> CandidateProfile:
    p = parse_cv(markdown, today=today)
    return p.model_copy(update=overrides) if overrides else p


# =========================================================================== no invention

_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH_RE = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|"
             r"aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_YEAR_RE = r"(?:19[5-9]\d|20\d\d)"
_MONTH_YEAR = re.compile(
    rf"\b(?P<m>{_MONTH_RE})\.?,?\s+(?P<y>{_YEAR_RE})\b|\b(?P<mm>0?[1-9]|1[0-2])[/.](?P<y2>"
    rf"{_YEAR_RE})\b|\b(?P<y3>{_YEAR_RE})-(?P<mm3>0[1-9]|1[0-2])\b", re.IGNORECASE)
_YEAR = re.compile(rf"(?<![\d.,])({_YEAR_RE})(?![\d%])")
_NUMBER = re.compile(
    r"(?P<cur>[$£€])?\s?(?P<num>\d+(?:[.,]\d+)*)(?:\s?(?P<unit>%|percent\b|per cent\b|"
    r"k\b|m\b|bn\b|b\b|million\b|billion\b|thousand\b|x\b))?",
    re.IGNORECASE,
)
# p95, s3, 2tb (not "4k", "2M", "3x": those are numbers with a unit)
_CODE = re.compile(r"\b[a-z]+\d\w*\b|\b\d+(?!(?:k|m|bn|b|x)\b)[a-z]+\w*\b", re.IGNORECASE)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}
_NUMBER_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                      "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12})
_NUMBER_WORD_RE = re.compile(r"\b(" + "|".join(w for w in _NUMBER_WORDS if w not in
                                                ("zero", "one")) + r")\b", re.IGNORECASE)
_MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "bn": 1e9, "b": 1e9,
         "billion": 1e9}
_PROPER = re.compile(r"(?<![\w@./])([A-Z][\w&'’.-]*[\w&]|[A-Z])"
                     r"((?:\s+(?:&\s+)?[A-Z][\w&'’.-]*[\w&])*)")
_EMPLOYER_CUE = re.compile(r"(?:\b(?:at|joined|for)|@)\s*$", re.IGNORECASE)
_COMPANY_SUFFIX = re.compile(r"\b(?:inc|ltd|llc|llp|gmbh|corp|plc|ag|bv)\b\.?$", re.IGNORECASE)
_SENIOR = r"(?:senior|sr\.?|junior|jr\.?|lead|staff|principal|chief|head|associate|vp|" \
          r"vice president|director|managing)"
_ROLE = ROLE_WORDS.pattern[ROLE_WORDS.pattern.index("(?:") + 3:ROLE_WORDS.pattern.rindex(")s?")]
#: A role phrase: up to four capitalised or seniority words, a role word, "of <Name>".
_TITLE = re.compile(
    rf"\b((?:(?:[A-Z][\w&/-]*|(?i:{_SENIOR}))\s+){{0,4}}(?i:(?:{_ROLE})s?)"
    r"(?:\s+of\s+[A-Z][\w&-]*(?:\s+[A-Z][\w&-]*)*)?)\b"
)
_CLAUSE = re.compile(r"\s*(?:[,;/&]|\band\b|\bor\b)\s*", re.IGNORECASE)
_ACRONYMS = frozenset(
    "kpi kpis roi okr okrs sla slas slo slos api apis ui ux ci cd b2b b2c saas qa crm p&l yoy "
    "mom emea apac us usa uk eu i we my our the a an in on of".split()
)
_MD = re.compile(r"^\s*(?:#{1,6}\s+|[-*+]\s+|\d{1,2}[.)]\s+)")


def _norm(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^\w+#%$£€&' ]+", " ", text)
    return " " + " ".join(text.split()) + " "


def _contains(norm_text: str, phrase: str) -> bool:
    p = _norm(phrase)
    return bool(p.strip()) and p in norm_text


def _strip_md(line: str) -> str:
    line = _MD.sub("", line)
    return line.replace("**", "").replace("__", "").rstrip()


def _masked(text: str) -> str:
    """Contact details (e-mails, URLs) blanked out: their digits are not numbers."""
    for rx in (EMAIL_RE, URL_RE):
        text = rx.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _numbers(text: str) -> list[tuple[str, tuple[float, str]]]:
    """(as written, (value, unit)) for every number outside dates, e-mails and URLs."""
    text = _masked(text)
    spans = [m.span() for m in _MONTH_YEAR.finditer(text)] + [m.span() for m in
                                                               _YEAR.finditer(text)]
    codes = [m.span() for m in _CODE.finditer(text)]
    out: list[tuple[str, tuple[float, str]]] = []
    for m in _NUMBER.finditer(text):
        a, b = m.span("num")
        if any(s <= a < e for s, e in spans) or any(s <= a < e for s, e in codes):
            continue
        raw = m.group("num")
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", raw):
            value = float(raw.replace(",", ""))
        else:
            try:
                value = float(raw.replace(",", "."))
            except ValueError:
                continue
        unit = (m.group("unit") or "").lower()
        kind = ""
        if unit in ("%", "percent", "per cent"):
            kind = "%"
        elif unit in _MULT:
            value *= _MULT[unit]
        if m.group("cur"):
            kind = m.group("cur")
        out.append((m.group(0).strip(), (round(value, 6), kind)))
    for m in _NUMBER_WORD_RE.finditer(text):
        word = m.group(1).lower()
        out.append((m.group(1), (float(_NUMBER_WORDS[word]), "")))
    return out


def _has_number_word(text: str) -> bool:
    return _NUMBER_WORD_RE.search(text) is not None


def _codes(text: str) -> list[str]:
    return [m.group(0) for m in _CODE.finditer(_masked(text))]


def _dates(text: str) -> tuple[list[tuple[str, tuple[int, int]]], list[str]]:
    """Month-year mentions ((as written, (year, month))) and years."""
    text = _masked(text)
    months: list[tuple[str, tuple[int, int]]] = []
    for m in _MONTH_YEAR.finditer(text):
        if m.group("m"):
            months.append((m.group(0), (int(m.group("y")), _MONTHS[m.group("m")[:3].lower()])))
        elif m.group("y2"):
            months.append((m.group(0), (int(m.group("y2")), int(m.group("mm")))))
        else:
            months.append((m.group(0), (int(m.group("y3")), int(m.group("mm3")))))
    return months, _YEAR.findall(text)


def _degree_levels(text: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for line in text.split("\n"):
        for clause in _CLAUSE.split(line):
            hit = degree_level_of(clause) if clause.strip() else None
            if hit is not None:
                out.append((hit[1].group(0).strip(" .,;:"), hit[0]))
    return out


@dataclass
class _Reference:
    """What the original CV contains, in comparable forms."""

    text: str
    norm: str
    words: frozenset[str]
    skill_ids: frozenset[str]
    numbers: frozenset[tuple[float, str]]
    codes: frozenset[str]
    months: frozenset[tuple[int, int]]
    years: frozenset[str]
    degrees: frozenset[str]
    employers: frozenset[str]


def _reference(original: str, parsed: CandidateProfile | None = None) -> _Reference:
    """`parsed`: the original already parsed (its employers), to save a parse."""
    from tools.parsing.text import normalise_text

    text = normalise_text(original)
    if parsed is None:
        parsed = parse_cv(text)
    nums = {v for _, v in _numbers(text)}
    nums |= {(v, "") for v, _ in nums}  # "45%" in the CV backs a plain "45" too
    months, years = _dates(text)
    return _Reference(
        text=text, norm=_norm(text), words=frozenset(_norm(text).split()),
        skill_ids=frozenset(m.skill_id for m in extract_skills(text, role_names=True)),
        numbers=frozenset(nums), codes=frozenset(c.lower() for c in _codes(text)),
        months=frozenset(v for _, v in months), years=frozenset(years),
        degrees=frozenset(level for _, level in _degree_levels(text)),
        employers=frozenset(_norm(e.company).strip() for e in parsed.experience
                            if e.company),
    )


@cache
def _vocab() -> frozenset[str]:
    from tools.skills import _raw  # the taxonomy's word list (common English and skill words)

    return frozenset(_raw().get("vocab", ()))


def _line_violations(ref: _Reference, line: str) -> list[Violation]:
    """Facts in one tailored line that the original does not contain."""
    shown = line.strip()
    text = _strip_md(line)
    if not text.strip():
        return []
    out: list[Violation] = []
    seen: set[tuple[str, str]] = set()

    def flag(kind: ViolationKind, term: str) -> None:
        key = (kind, term.lower())
        if key in seen:
            return
        seen.add(key)
        out.append(Violation(kind=kind, term=term, line=shown,
                             reason=f"“{term}” is not in your original CV"))

    mentions = extract_skills(text, role_names=True)
    covered: list[tuple[int, int]] = []
    for m in mentions:
        covered.append((m.start, m.end))
        if m.skill_id in ref.skill_ids or _contains(ref.norm, m.surface):
            continue
        flag("skill", m.surface)
    # degrees
    for surface, level in _degree_levels(text):
        if level not in ref.degrees:
            flag("degree", surface)
    # dates
    months, years = _dates(text)
    for surface, ym in months:
        if ym not in ref.months:
            flag("date", surface)
    for y in years:
        if y not in ref.years:
            flag("date", y)
    # numbers
    for surface, value in _numbers(text):
        if value not in ref.numbers:
            flag("number", surface)
    for code in _codes(text):
        low = code.lower()
        if low in ref.codes or any(a <= text.find(code) < b for a, b in covered):
            continue
        flag("number", code)
    # titles
    for tm in _TITLE.finditer(text):
        phrase = tm.group(1).strip()
        words = phrase.split()
        # drop leading words that are not seniority words ("Experienced Backend Engineer"),
        # until the rest is a title the CV has
        while (len(words) > 1 and not _contains(ref.norm, " ".join(words))
               and re.fullmatch(_SENIOR, words[0], re.IGNORECASE) is None):
            words = words[1:]
        rest = " ".join(words)
        if _contains(ref.norm, rest):
            continue
        if len(words) == 1 and (rest[:1].islower() or tm.start() == 0):
            continue  # a generic "engineers", or a sentence that starts with a role word
        flag("title", phrase)
    # employers and other proper names
    vocab = _vocab()
    masked = _masked(text)
    for pm in _PROPER.finditer(masked):
        name = (pm.group(1) + pm.group(2)).strip(" .'’")
        if not name:
            continue
        a = pm.start()
        if any(s <= a < e for s, e in covered):
            continue
        tokens = [t.strip(".'’") for t in re.split(r"\s+|&", name) if t.strip(".'’")]
        lows = [t.lower() for t in tokens]
        if re.fullmatch(_MONTH_RE, lows[0], re.IGNORECASE) or _TITLE.fullmatch(name) \
                or degree_level_of(name):
            continue
        before = masked[max(0, a - 12):a]
        cue = _EMPLOYER_CUE.search(before)
        if cue is not None:
            # "at Google": an employer, which the CV must name as one (not only as a word,
            # e.g. inside "Google Cloud")
            if _norm(name).strip() in ref.employers or _contains(ref.norm, cue.group(0) + name):
                continue
            flag("employer", name)
            continue
        if all(t in ref.words or t in _ACRONYMS for t in lows) or _contains(ref.norm, name):
            continue
        sentence_start = not masked[:a].strip() or re.search(r"[.!?:;]\s*$", masked[:a])
        unknown = [t for t in lows if t not in ref.words and t not in _ACRONYMS]
        common = all(t in vocab for t in unknown)
        if _COMPANY_SUFFIX.search(name) or (not sentence_start and not common):
            flag("employer", name)
    return out


def check_invention(original: str, tailored: str) -> list[Violation]:
    """Every skill, employer, job title, degree, date/year or number in `tailored` that
    `original` does not contain, one entry per term and line.

    Comparison ignores case and punctuation; a skill counts as present when the original has
    the same canonical skill (``k8s`` → ``Kubernetes`` is not invented). Numbers compare by
    value and kind (``four`` = ``4``, ``4k`` = ``4,000``; ``45%`` and ``$45`` differ).
    """
    ref = _reference(original)
    out: list[Violation] = []
    for line in tailored.split("\n"):
        out += _line_violations(ref, line)
    return out


def _local_violations(origin: str, line: str) -> list[Violation]:
    """Numbers and dates in a rewritten line that its own original line does not hold (a
    number moved from another role is not this role's achievement)."""
    ref = _reference(origin, CandidateProfile())  # only numbers and dates are compared
    out = []
    for v in _line_violations(ref, line):
        if v.kind in ("number", "date"):
            out.append(v.model_copy(update={
                "reason": f"“{v.term}” is not in the original line"}))
    return out


# =========================================================================== public API


def _run_scores(doc: _Doc, an: _Analysis, actions: Sequence[str], score: ScoreFn,
                overrides: dict[str, Any], today: date | None) -> tuple[str, int]:
    md = _markdown(_render(doc, an, _plan(an, actions)))
    return md, score(_reparse(md, overrides, today)).score


def _offered(an: _Analysis) -> dict[str, bool]:
    doc = an.doc
    reorder = False
    for block in doc.blocks:
        items = [it for it in block.items if not (isinstance(it, _Line) and not it.text.strip())]
        if [id(x) for x in _ordered_entries(items, an)] != [id(x) for x in items]:
            reorder = True
    for e in doc.entries():
        order = sorted(e.bullets, key=lambda b: -an.bullet_score.get(b.start, 0.0))
        if [b.start for b in order] != [b.start for b in e.bullets]:
            reorder = True
    return {
        "emphasise_skills": bool(an.lead),
        "reorder_experience": reorder,
        "add_keywords": bool(an.keywords),
        "quantify_bullets": bool(an.quantify),
        "drop_irrelevant": bool(an.drop_bullets or an.drop_items),
    }


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _names(items: list[str], n: int = 3) -> str:
    if len(items) <= n:
        return ", ".join(items)
    return ", ".join(items[:n]) + f" and {len(items) - n} more"


def _impact_note(impact: int) -> str:
    if impact > 0:
        return f" Measured: +{impact} points on the match score."
    if impact < 0:
        return f" Measured: {impact} points on the match score."
    return " Measured: no change to the match score"


def _describe(action: str, an: _Analysis, impact: int) -> tuple[str, str]:
    doc = an.doc
    if action == "emphasise_skills":
        label = f"Lead your summary and skills with {_names(an.lead)}"
        detail = (f"Adds the line “{_lead_line(an.lead)}” at the top of your summary and lists "
                  "these skills first in your skills section, in your own wording.")
        if impact == 0:
            detail += (_impact_note(0) + " (the score already counts these skills); it puts "
                       "them where a recruiter looks first.")
        else:
            detail += _impact_note(impact)
        return label, detail
    if action == "reorder_experience":
        entries = doc.entries()
        moved: list[str] = []
        items = [it for b in doc.blocks for it in _ordered_entries(list(b.items), an)
                 if isinstance(it, _Entry)]
        before_pos = {e.index: i for i, e in enumerate(entries)}
        down = [e for i, e in enumerate(items) if i > before_pos[e.index]]
        if down:
            names = [" at ".join(x for x in (doc.parsed.experience[e.index].title,
                                             doc.parsed.experience[e.index].company) if x)
                     for e in down]
            moved.append(f"{_names([f'“{n}”' for n in names], 2)} move"
                         f"{'s' if len(down) == 1 else ''} below your more relevant roles")
        n_roles = sum(1 for e in entries if [b.start for b in sorted(
            e.bullets, key=lambda b: -an.bullet_score.get(b.start, 0.0))]
            != [b.start for b in e.bullets])
        if n_roles:
            moved.append(f"bullets that name the job's skills come first in {n_roles} "
                         f"role{'s' if n_roles != 1 else ''}")
        label = "Move your most relevant roles and bullets to the top"
        joined = "; ".join(moved)
        detail = joined[:1].upper() + joined[1:] + "." + (
            _impact_note(impact) + (" (order does not change what is counted); it helps a "
                                    "reader find the relevant work first." if impact == 0
                                    else ""))
        return label, detail
    if action == "add_keywords":
        pairs = [f"{cv} ({job})" for cv, job in an.keyword_terms]
        label = f"Use the job's wording for skills you have: {_names(pairs)}"
        detail = ("Adds the job's term next to your own wording, only for skills your CV "
                  f"already shows: {', '.join(pairs)}.")
        detail += _impact_note(impact) + (
            " (jobfit already reads both wordings as the same skill); keyword searches "
            "that use the job's term will now find them." if impact == 0 else "")
        return label, detail
    if action == "quantify_bullets":
        n = len(an.quantify)
        label = f"Flag {n} bullet{'s' if n != 1 else ''} without numbers to quantify yourself"
        shown = "; ".join(f"“{_short(b.text)}”" for b in an.quantify[:3])
        detail = (f"Lists bullets with no measurable result ({shown}{'…' if n > 3 else ''}). "
                  "jobfit never invents numbers: add ones you can back up. Your CV text is "
                  "not changed." + _impact_note(impact) + ".")
        return label, detail
    nb = len(an.drop_bullets)
    skills = _dropped_skill_names(an)
    parts = []
    if nb:
        parts.append(f"{nb} bullet{'s' if nb != 1 else ''}")
    if skills:
        parts.append(f"{len(skills)} skill{'s' if len(skills) != 1 else ''}")
    label = f"Drop {' and '.join(parts)} unrelated to this job"
    dropped = [f"“{_short(b.text, 50)}”" for e in doc.entries() for b in e.bullets
               if b.start in an.drop_bullets][:3]
    detail = "Removes content with no link to the job's skills or wording"
    if dropped:
        detail += f": {'; '.join(dropped)}"
    if skills:
        detail += f"{'; ' if dropped else ': '}skills {', '.join(skills)}"
    detail += (". Bullets with a measured result are kept, and every role keeps at least one."
               + _impact_note(impact)
               + ("." if impact else " (unrelated content is not scored); it makes the CV "
                  "shorter."))
    return label, detail


def _dropped_skill_names(an: _Analysis) -> list[str]:
    names = {s.skill_id: s.name for s in an.doc.parsed.skills}
    out: list[str] = []
    for block in an.doc.blocks:
        for it in block.items:
            if not isinstance(it, _Line) or it.start not in an.drop_items:
                continue
            drops = an.drop_items[it.start]
            hits = an.line_skills.get(it.start, [])
            if -1 in drops:
                out += [names[sid] for _, _, sid in hits]
                continue
            spans = _item_spans(it.start, _split_skill_line(it.text))
            for idx in sorted(drops):
                a, b = spans[idx]
                out += [names[sid] for s0, _, sid in hits if a <= s0 < b]
    return list(dict.fromkeys(out))


def tailoring_options(
    profile: CandidateProfile,
    job: JobPosting,
    gaps: GapReport | None = None,
    *,
    score: ScoreFn | None = None,
) -> list[TailoringOption]:
    """The options that change something for this CV and job, each with its measured impact.

    ``impact`` = the score of the CV tailored with that option alone (rendered, parsed again,
    scored with ``score``) minus the original's score. ``gaps`` (optional) puts the bullets
    it found weakly worded first in the quantify option.
    """
    t0 = time.perf_counter()
    score_fn = score or _default_score(job)
    doc = _build_doc(profile, None)
    an = _analyse(doc, job, gaps)
    overrides = _overrides(profile, doc.parsed)
    before = score_fn(profile).score
    options: list[TailoringOption] = []
    offered = _offered(an)
    for action in ACTIONS:
        if not offered[action]:
            continue
        _, after = _run_scores(doc, an, [action], score_fn, overrides, None)
        impact = after - before
        label, detail = _describe(action, an, impact)
        default = impact >= 0 and action != "drop_irrelevant"
        options.append(TailoringOption(id=action, label=label, impact=impact,
                                       action=action,
                                       detail=detail, default=default))
    logger.debug("tailoring options: %d offered in %.0f ms", len(options),
                 (time.perf_counter() - t0) * 1000)
    return options


def _expand(chosen: Sequence[str]) -> list[str]:
    if isinstance(chosen, str):
        chosen = [chosen]
    wanted: set[str] = set()
    for c in chosen:
        key = str(c).strip().lower()
        if key == "all":
            wanted |= set(ACTIONS)
        elif key in ACTIONS:
            wanted.add(key)
        else:
            raise InvalidInputError(
                f"Unknown tailoring option “{_short(key, 40)}”. Choose from: "
                + ", ".join(ACTIONS) + " (or “all”).")
    return [a for a in ACTIONS if a in wanted]


def tailor_cv(
    profile: CandidateProfile,
    job: JobPosting,
    chosen: Sequence[str],
    *,
    rewriter: Rewriter | None = None,
    score: ScoreFn | None = None,
    today: date | None = None,
) -> TailoredCV:
    """The CV tailored with the chosen options, as Markdown, re-scored against the job.

    Without a rewriter the changes are deterministic (order, a lead line of matched skills, the
    job's wording beside the CV's, drops). With one, the summary and the most relevant bullets
    are also rewritten through it; any rewritten line that adds a fact the CV does not hold is
    put back as it was and reported in ``violations``.
    """
    t0 = time.perf_counter()
    actions = _expand(chosen)
    score_fn = score or _default_score(job)
    doc = _build_doc(profile, today)
    an = _analyse(doc, job)
    overrides = _overrides(profile, doc.parsed)
    offered = _offered(an)
    applied = [a for a in actions if offered[a]]
    plan = _plan(an, applied)
    notes: list[str] = []
    picked = [chosen] if isinstance(chosen, str) else list(chosen)
    named = set() if any(str(c).strip().lower() == "all" for c in picked) else set(actions)
    for a in actions:
        if not offered[a] and a in named:
            notes.append(f"“{a}” changes nothing for this CV and job.")
    violations: list[Violation] = []
    ref = _reference(doc.parsed.text, doc.parsed)
    if rewriter is not None:
        violations += _rewrite(doc, an, plan, rewriter, ref, notes)
    markdown, net = _finish(doc, an, plan, ref)
    reparsed = _reparse(markdown, overrides, today)
    if (plan.summary_text is not None or plan.bullet_text) and not _faithful(reparsed,
                                                                            doc.parsed):
        plan.summary_text, plan.bullet_text = None, {}
        notes.append("The rewritten lines changed how your CV reads (its roles, dates or contact "
                     "details), so they were not used.")
        markdown, net = _finish(doc, an, plan, ref)
        reparsed = _reparse(markdown, overrides, today)
    if not _faithful(reparsed, doc.parsed):  # never expected: keep the CV as it was
        logger.warning("tailored CV did not keep the CV's roles; options not applied")
        notes.append("These options could not be applied safely to this CV's layout.")
        applied, plan = [], _Plan()
        markdown, net = _finish(doc, an, plan, ref)
        reparsed = _reparse(markdown, overrides, today)
    violations += net
    if "quantify_bullets" in applied:
        for b in an.quantify[:MAX_QUANTIFY_NOTES]:
            if b.start in plan.drop_bullets:
                continue
            notes.append(f"Bullet “{_short(b.text)}” could be quantified: add a number you can "
                         "back up (time, money, %, volume).")
    before = score_fn(profile).score
    after = score_fn(reparsed).score
    logger.debug("tailored CV: %d options, %d reverted, %.0f ms", len(applied),
                 len(violations), (time.perf_counter() - t0) * 1000)
    return TailoredCV(markdown=markdown, before=before, after=after, applied=applied,
                      violations=violations, notes=notes)


def _finish(doc: _Doc, an: _Analysis, plan: _Plan,
            ref: _Reference) -> tuple[str, list[Violation]]:
    """Render the plan; a line holding a fact the original does not is put back (a safety net:
    rewritten lines were checked already, deterministic ones add no facts)."""
    kept: list[_Out] = []
    found_all: list[Violation] = []
    for ln in _render(doc, an, plan):
        same = ln.origin is not None and _strip_md(ln.md).strip() == _strip_md(ln.origin).strip()
        found = _line_violations(ref, ln.md) if ln.md.strip() and not same else []
        if not found:
            kept.append(ln)
            continue
        back = ln.origin
        found_all += [v.model_copy(update={"reverted_to": back}) for v in found]
        if back is not None:
            bullet = ln.kind in ("bullet", "rewritten") and ln.md.startswith("- ")
            kept.append(_Out(f"- {back}" if bullet else back, back, "text"))
    return _markdown(kept), found_all


def _faithful(new: CandidateProfile, old: CandidateProfile) -> bool:
    """The tailored CV reads as the same person with the same roles and education."""
    return (_entries_key(new) == _entries_key(old)
            and [e.model_dump() for e in new.education] == [e.model_dump() for e in old.education]
            and (new.personal.name, new.personal.email, new.personal.phone)
            == (old.personal.name, old.personal.email, old.personal.phone))


def _entries_key(p: CandidateProfile) -> list[tuple[str, str, str, str]]:
    """Experience entries as sorted (title, company, start, end): order-free."""
    return sorted((e.title or "", e.company or "", e.start or "", e.end or "")
                  for e in p.experience)


def _rewrite(doc: _Doc, an: _Analysis, plan: _Plan, rewriter: Rewriter, ref: _Reference,
             notes: list[str]) -> list[Violation]:
    """Pass the summary and the most relevant bullets through the rewriter; keep only lines
    that add nothing the CV does not hold."""
    job_title = an.job.title or ""
    keywords = list(dict.fromkeys([*an.lead, *(w for _, w in an.keyword_terms)]))
    violations: list[Violation] = []
    failed = 0

    def ask(section: str, text: str) -> str | None:
        nonlocal failed
        try:
            new = rewriter.rewrite(section=section, text=text, job_title=job_title,
                                   keywords=keywords)
        except Exception as exc:  # an adapter's failure must not lose the deterministic result
            # the type only: an adapter's message may quote the CV
            logger.warning("rewriter failed for a %s: %s", section, type(exc).__name__)
            failed += 1
            return None
        new = " ".join(BULLET_RE.sub("", str(new or "")).split())
        new = re.sub(r"^[#>|\s]+", "", new)  # no Markdown headings or quotes
        return new or None

    def accept(new: str, current: str, origin: str) -> bool:
        found = _line_violations(ref, new) + _local_violations(origin, new)
        uniq: dict[tuple[str, str], Violation] = {}
        for v in found:
            uniq.setdefault((v.kind, v.term.lower()), v)
        for v in uniq.values():
            violations.append(v.model_copy(update={"line": new, "reverted_to": current}))
        return not uniq

    summary = doc.summary()
    if summary is not None:
        lead = _lead_line(plan.lead) if plan.lead else None
        current = " ".join(x for x in (lead, _annotated(summary.text, summary.start, plan)
                                       if len(summary.lines) == 1 else summary.text) if x)
        new = ask("summary", current)
        if new is not None and new != current and accept(new, current, summary.text):
            plan.summary_text = new
    bullets = [b for e in doc.entries() for b in e.bullets if b.start not in plan.drop_bullets]
    bullets.sort(key=lambda b: -an.bullet_score.get(b.start, 0.0))
    for b in bullets[:MAX_REWRITTEN_BULLETS]:
        current = BULLET_RE.sub("", _annotated(b.raw, b.start, plan)).strip()
        new = ask("bullet", current)
        if new is not None and new != current and accept(new, current, b.text):
            plan.bullet_text[b.start] = new
    if violations:
        n = len({v.line for v in violations})
        notes.append(f"{n} rewritten line{'s' if n != 1 else ''} added facts that are not in "
                     f"your CV and {'were' if n != 1 else 'was'} put back as written.")
    if failed:
        notes.append("The rewriter failed on some lines; they are kept as written.")
    return violations


# =========================================================================== DOCX

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def to_docx(markdown: str) -> bytes:
    """A clean .docx from tailored Markdown: headings, bullets, bold; the first line (the
    name) as the title and entry lines with dates in bold."""
    import docx  # lazy: python-docx is only needed for the export

    document = docx.Document()
    ids: dict[str, str] = {}

    def styled(text: str, style: str) -> Any:
        # set the style id on the XML: the public setter looks the style up on every call,
        # which makes a two-page CV take ~0.3 s
        if style not in ids:
            ids[style] = document.styles[style].style_id
        para = document.add_paragraph()
        para._p.style = ids[style]
        if text:
            _add_runs(para, text)
        return para

    first = True
    for raw in markdown.split("\n"):
        line = raw.rstrip()
        if not line.strip():
            continue
        m = re.match(r"^(#{1,6})\s+(.*)$", line)
        if m:
            level = min(len(m.group(1)) - 1, 9)
            styled(_BOLD.sub(r"\1", m.group(2)).strip(), f"Heading {level}" if level else "Title")
            first = False
            continue
        b = re.match(r"^\s*[-*+]\s+(.*)$", line)
        if b:
            styled(b.group(1), "List Bullet")
            first = False
            continue
        if first and len(line) <= 80:
            styled(_BOLD.sub(r"\1", line).strip(), "Title")
            first = False
            continue
        first = False
        para = document.add_paragraph()
        _add_runs(para, line.strip(), bold=DATE_RANGE_RE.search(line) is not None)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _add_runs(para: Any, text: str, *, bold: bool = False) -> None:
    pos = 0
    for m in _BOLD.finditer(text):
        if m.start() > pos:
            para.add_run(text[pos:m.start()]).bold = bold or None
        para.add_run(m.group(1)).bold = True
        pos = m.end()
    if pos < len(text):
        para.add_run(text[pos:]).bold = bold or None
