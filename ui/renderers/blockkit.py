"""Cards as Slack Block Kit (``blocks`` of chat.postMessage / views.publish).

Buttons carry ``action_id`` ``jf_<action>`` and the job's database id as ``value``; the user
they act for is the one who clicked (from Slack's verified request), never the payload.
"""

from __future__ import annotations

from typing import Any

from tools.card_text import BAND_EMOJI, job_facts, skill_groups, sub_score_line, trend_text
from tools.cards import (
    JOB_ACTIONS,
    Digest,
    GapList,
    JobList,
    JobRef,
    ScoreCard,
    TailoringChecklist,
)

MAX_BLOCKS = 50  # Slack's limit per message
MAX_TEXT = 2900  # a section's text is at most 3000 characters
TAILOR_APPLY = "jf_tailor_apply"
TAILOR_OPTIONS = "jf_tailor_options"

Block = dict[str, Any]


def esc(text: str) -> str:
    """Escape Slack's control characters (``&``, ``<``, ``>``)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_TEXT] or " "}}


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_TEXT]}]}


def _title(job: JobRef) -> str:
    name = f"*{esc(job.title)}*" + (f" at {esc(job.company)}" if job.company else "")
    if job.url.startswith(("https://", "http://")):
        name = f"<{esc(job.url)}|{esc(job.title)}>" + (f" at {esc(job.company)}"
                                                      if job.company else "")
    return name + (f"  `#{job.ref}`" if job.ref else "")


def button(action: str, label: str, ref: int | str, *, style: str | None = None) -> Block:
    b: Block = {"type": "button", "action_id": f"jf_{action}",
                "text": {"type": "plain_text", "text": label[:75]}, "value": str(ref)}
    if style:
        b["style"] = style
    return b


def job_actions(ref: int | None, actions: list[str] | None = None) -> Block | None:
    if not ref:
        return None
    wanted = actions if actions is not None else [a for a, _ in JOB_ACTIONS]
    labels = dict(JOB_ACTIONS)
    return {"type": "actions", "block_id": f"job_{ref}",
            "elements": [button(a, labels[a], ref) for a in wanted if a in labels]}


def score_blocks(card: ScoreCard) -> list[Block]:
    head = (f"{BAND_EMOJI[card.band]} *{card.score}/100* · grade *{esc(card.grade)}*"
            + (f" · {esc(card.label)}" if card.label else "") + f"\n{_title(card.job)}")
    facts = job_facts(card.job)
    blocks: list[Block] = [_section(head + (f"\n{esc(facts)}" if facts else ""))]
    bars = "\n".join(f"`{esc(sub_score_line(s))}`" for s in card.sub_scores)
    blocks.append(_section(bars))
    if card.unknown:
        blocks.append(_context("Unknown: " + ", ".join(card.unknown)
                               + " (left out, weights renormalised; never counted as a match)"))
    skills = []
    if card.matched or card.matched_preferred:
        skills.append("*Matched:* " + esc(", ".join(card.matched + card.matched_preferred)))
    if card.missing or card.missing_preferred:
        skills.append("*Missing:* " + esc(", ".join(
            [f"{s} (required)" for s in card.missing] + card.missing_preferred)))
    if skills:
        blocks.append(_section("\n".join(skills)))
    if card.top_gaps:
        blocks.append(_section("*Top gaps* (points if closed)\n" + "\n".join(
            f"• *+{g.impact}* {esc(g.message)}" for g in card.top_gaps)))
    actions = job_actions(card.job.ref, ["gaps", "tailor", "interested", "applied", "dismiss"])
    if actions:
        blocks.append(actions)
    return blocks


def job_list_blocks(card: JobList) -> list[Block]:
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text",
                                                        "text": card.title[:150]}}]
    if not card.rows:
        return [*blocks, _section(esc(card.empty_text))]
    for row in card.rows:
        if len(blocks) + 3 > MAX_BLOCKS:
            break
        score = (f"{BAND_EMOJI[row.band]} *{row.score}* ({esc(row.grade)})  "
                 if row.score is not None else "")
        facts = job_facts(row.job)
        blocks.append(_section(f"{row.job.position or ''}. {score}{_title(row.job)}"
                               + (f"\n{esc(facts)}" if facts else "")))
        actions = job_actions(row.job.ref, row.actions)
        if actions:
            blocks.append(actions)
    if card.note and len(blocks) < MAX_BLOCKS:
        blocks.append(_context(esc(card.note.replace("**", ""))))
    return blocks


def gaps_blocks(card: GapList) -> list[Block]:
    score = f" · {BAND_EMOJI[card.band]} {card.score}/100" if card.score is not None else ""
    blocks: list[Block] = [_section(f"*Gaps* for {_title(card.job)}{score}")]
    if not card.gaps:
        blocks.append(_section("No gaps worth points: your CV covers what this job asks."))
    for g in card.gaps[:20]:
        blocks.append(_section(f"*+{g.impact}* {esc(g.message)}"
                               + (f"\n_{esc(g.suggestion)}_" if g.suggestion else "")))
    if card.strengths:
        blocks.append(_context("Strengths: " + esc("; ".join(card.strengths[:5]))))
    actions = job_actions(card.job.ref, ["tailor"])
    if actions:
        blocks.append(actions)
    return blocks


def checklist_blocks(card: TailoringChecklist) -> list[Block]:
    """Changes as checkboxes with a "Tailor my CV" button; requests for the user's own words
    as text with how to reply (no checkbox: never sent by the button)."""
    blocks: list[Block] = [_section(f"*Tailor your CV* for {_title(card.job)}")]
    items = card.changes[:10]  # Slack: at most 10 checkboxes
    if not card.items:
        return [*blocks, _section("Nothing to change: the CV already says what this job "
                                  "asks for.")]
    if items:
        options = [{"text": {"type": "mrkdwn", "text": f"*+{i.impact}* {esc(i.label)}"[:150]},
                    "description": {"type": "plain_text",
                                    "text": (i.measured or i.detail or " ")[:75]},
                    "value": i.id[:150]} for i in items]
        checkboxes: Block = {"type": "checkboxes", "action_id": TAILOR_OPTIONS,
                             "options": options}
        initial = [o for o, i in zip(options, items, strict=True) if i.default]
        if initial:
            checkboxes["initial_options"] = initial
        blocks.append({"type": "actions", "block_id": "tailor_options",
                       "elements": [checkboxes]})
    if card.prompts:
        blocks.append(_section("*To show these, I need your own words* (added as you write "
                               "them):\n" + "\n".join(
                                   f"• {esc(i.label)}\n    `{esc(i.prompt)}`"
                                   for i in card.prompts[:10])))
    if items:
        ref = card.job.ref if card.job.ref else 0
        blocks.append({"type": "actions", "block_id": "tailor_apply",
                       "elements": [button("tailor_apply", "Tailor my CV", ref,
                                           style="primary")]})
    return blocks


def digest_blocks(card: Digest) -> list[Block]:
    blocks: list[Block] = [{"type": "header", "text": {"type": "plain_text",
                                                        "text": card.title[:150]}}]
    if not card.matches:
        blocks.append(_section("No new matches."))
    for m in card.matches[:15]:
        score = f"{BAND_EMOJI[m.band]} *{m.score}* " if m.score is not None else ""
        facts = job_facts(m.job)
        blocks.append(_section(score + _title(m.job) + (f"\n{esc(facts)}" if facts else "")))
        why = ([f"_Why:_ {esc(m.reason)}"] if m.reason else []) + \
            ([f"_Biggest gap:_ {esc(m.gap)}"] if m.gap else [])
        if why:
            blocks.append(_context("  ·  ".join(why)[:2900]))
        actions = job_actions(m.job.ref, ["analyse", "gaps", "interested", "dismiss"])
        if actions:
            blocks.append(actions)
    if card.changes:
        blocks.append(_section("*What changed*\n" + "\n".join(
            f"• {esc(c)}" for c in card.changes[:10])[:2900]))
    if card.trends:
        blocks.append(_section("*Skills in demand for you*\n" + "\n".join(
            f"• {esc(trend_text(t))}" for t in card.trends[:10])[:2900]))
    for head, group in skill_groups(card):
        blocks.append(_section(f"*{head}*\n" + "\n".join(
            f"• {esc(s.detail)}" if s.detail else
            f"• {esc(s.skill)}: *+{s.impact}* over {s.jobs} job(s)" for s in group[:10])[:2900]))
    for note in card.notes[:3]:
        blocks.append(_context(esc(note)))
    return blocks[:MAX_BLOCKS]


def render_blocks(card: ScoreCard | JobList | GapList | TailoringChecklist | Digest
                  ) -> list[Block]:
    """Any card as Block Kit blocks."""
    if isinstance(card, ScoreCard):
        return score_blocks(card)
    if isinstance(card, JobList):
        return job_list_blocks(card)
    if isinstance(card, GapList):
        return gaps_blocks(card)
    if isinstance(card, TailoringChecklist):
        return checklist_blocks(card)
    return digest_blocks(card)


def text_blocks(markdown: str) -> list[Block]:
    """Chat text (Markdown from the model) as mrkdwn sections (``**x**`` -> ``*x*``)."""
    import re

    text = re.sub(r"\*\*(.+?)\*\*", r"*\1*", markdown)
    text = re.sub(r"^#{1,6}\s*(.+)$", r"*\1*", text, flags=re.MULTILINE)
    chunks = [text[i:i + MAX_TEXT] for i in range(0, len(text), MAX_TEXT)] or [" "]
    return [_section(c) for c in chunks[:MAX_BLOCKS]]
