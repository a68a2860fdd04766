"""The plan (what the chosen options change) and its rendering back to Markdown, keeping
every header line, entry header and education line verbatim."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from tools.parsing.cv import BULLET_RE
from tools.parsing.sections import HEADER
from tools.tailoring.analysis import _Analysis
from tools.tailoring.document import _Doc, _Entry, _Item, _Line, _rebuild_skill_line, _Summary


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
    #: the user's own sentences by role (index into the parsed experience), placed last
    added: dict[int, list[str]] = field(default_factory=dict)


def _plan(an: _Analysis, actions: Sequence[str], *, keep_role_order: bool = True) -> _Plan:
    """What ``actions`` change. Roles keep their (reverse-chronological) order unless
    ``keep_role_order`` is False: "reorder_experience" then also moves less relevant roles
    down; otherwise it orders bullets within each role only."""
    plan = _Plan()
    if "emphasise_skills" in actions:
        plan.lead = list(an.lead)
        plan.order_skills = True
    if "reorder_experience" in actions:
        plan.order_bullets = True
        plan.order_entries = not keep_role_order
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
    out += [_Out(f"- {text}", None, "user") for text in plan.added.get(e.index, [])]
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
