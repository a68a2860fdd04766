"""The CV as a document: blocks (header, sections), experience entries with header lines and
bullets, the summary, skills lines cut into items; built with the parser's own boundaries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tools.parsing.cv import (
    BULLET_RE,
    accept_inline_heading,  # the parser's own rule for "Languages: Python, Go" in skills
    parse_cv,
)
from tools.parsing.sections import CV_HEADINGS, HEADER, heading_key, iter_lines, split_sections
from tools.parsing.text import analysed_prefix
from tools.schemas import CandidateProfile
from tools.skills import extract_skills


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
    sections = split_sections(norm, CV_HEADINGS, accept_inline=accept_inline_heading)
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


def _item_spans(line_start: int, sl: _SkillLine) -> list[tuple[int, int]]:
    out = []
    pos = line_start + len(sl.prefix)
    for text, sep in sl.items:
        out.append((pos, pos + len(text)))
        pos += len(text) + len(sep)
    return out


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
