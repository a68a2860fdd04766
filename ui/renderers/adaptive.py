"""Cards as Microsoft Teams Adaptive Cards (schema 1.5).

Buttons are ``Action.Submit`` with ``data = {"action": name, "job_ref": ref}``: Teams sends the
data back as the ``value`` of a message activity from the person who clicked (the user comes
from the authenticated activity, never from the data). The tailoring checklist uses
``Input.Toggle`` fields named ``opt_<option id>``.
"""

from __future__ import annotations

from typing import Any

from tools.card_text import bar, job_facts, skill_groups, trend_text
from tools.cards import (
    JOB_ACTIONS,
    PROMPT_ACTION,
    Digest,
    GapList,
    JobList,
    JobRef,
    ScoreCard,
    TailoringChecklist,
)

CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
#: Card colour names of the score bands.
COLOURS = {"green": "Good", "blue": "Accent", "amber": "Warning", "red": "Attention",
           "grey": "Default"}
OPTION_PREFIX = "opt_"

Element = dict[str, Any]


def _text(text: str, **style: Any) -> Element:
    return {"type": "TextBlock", "text": text, "wrap": True, **style}


def _title(job: JobRef) -> str:
    name = f"[{job.title}]({job.url})" if job.url.startswith("https://") else job.title
    return name + (f" at {job.company}" if job.company else "") + (f" (#{job.ref})"
                                                                   if job.ref else "")


def submit(action: str, label: str, ref: int | str, **extra: Any) -> Element:
    return {"type": "Action.Submit", "title": label,
            "data": {"action": action, "job_ref": str(ref), **extra}}


def job_actions(ref: int | None, actions: list[str] | None = None) -> list[Element]:
    if not ref:
        return []
    labels = dict(JOB_ACTIONS)
    wanted = actions if actions is not None else list(labels)
    return [submit(a, labels[a], ref) for a in wanted if a in labels]


def card(body: list[Element], actions: list[Element] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5",
                           "body": body}
    if actions:
        out["actions"] = actions
    return out


def score_card(c: ScoreCard) -> dict[str, Any]:
    body: list[Element] = [
        {"type": "ColumnSet", "columns": [
            {"type": "Column", "width": "auto", "items": [
                _text(f"{c.score}", size="ExtraLarge", weight="Bolder",
                      color=COLOURS[c.band])]},
            {"type": "Column", "width": "stretch", "items": [
                _text(f"Grade {c.grade}" + (f" · {c.label}" if c.label else ""),
                      weight="Bolder"),
                _text(_title(c.job), spacing="None")]}]}]
    facts = job_facts(c.job)
    if facts:
        body.append(_text(facts, isSubtle=True, spacing="Small"))
    body.append({"type": "FactSet", "facts": [
        {"title": s.label, "value": (f"{bar(s.score)} {s.score}" + (
            f" (+{s.points:.1f})" if s.points is not None else "")) if s.score is not None
         else "unknown (left out, not counted as a match)"} for s in c.sub_scores]})
    if c.matched or c.matched_preferred:
        body.append(_text("**Matched:** " + ", ".join(c.matched + c.matched_preferred),
                          color="Good"))
    if c.missing or c.missing_preferred:
        body.append(_text("**Missing:** " + ", ".join(
            [f"{s} (required)" for s in c.missing] + c.missing_preferred), color="Attention"))
    if c.top_gaps:
        body.append(_text("**Top gaps** (points if closed)"))
        body.extend(_text(f"+{g.impact}  {g.message}", spacing="None") for g in c.top_gaps)
    return card(body, job_actions(c.job.ref, ["gaps", "tailor", "interested", "applied",
                                              "dismiss"]))


def job_list_card(c: JobList) -> dict[str, Any]:
    body: list[Element] = [_text(c.title, size="Large", weight="Bolder")]
    if not c.rows:
        body.append(_text(c.empty_text))
    for row in c.rows[:15]:
        score = (f"**{row.score}** ({row.grade}) · " if row.score is not None else "")
        facts = job_facts(row.job)
        item: Element = {"type": "Container", "separator": True, "items": [
            _text(f"{row.job.position or ''}. {score}{_title(row.job)}",
                  color=COLOURS[row.band] if row.score is not None else "Default")]}
        if facts:
            item["items"].append(_text(facts, isSubtle=True, spacing="None"))
        actions = job_actions(row.job.ref, row.actions)
        if actions:
            item["items"].append({"type": "ActionSet", "actions": actions})
        body.append(item)
    if c.note:
        body.append(_text(c.note.replace("**", ""), isSubtle=True))
    return card(body)


def gaps_card(c: GapList) -> dict[str, Any]:
    head = f"Gaps for {_title(c.job)}" + (f" · {c.score}/100" if c.score is not None else "")
    body: list[Element] = [_text(head, weight="Bolder")]
    if not c.gaps:
        body.append(_text("No gaps worth points: your CV covers what this job asks."))
    for g in c.gaps[:20]:
        body.append(_text(f"**+{g.impact}** {g.message}", separator=True))
        if g.suggestion:
            body.append(_text(g.suggestion, isSubtle=True, spacing="None"))
    if c.strengths:
        body.append(_text("Strengths: " + "; ".join(c.strengths[:5]), isSubtle=True))
    return card(body, job_actions(c.job.ref, ["tailor"]))


def checklist_card(c: TailoringChecklist) -> dict[str, Any]:
    """Changes as ``Input.Toggle`` fields with a "Tailor my CV" button; requests for the user's
    own words as text with how to reply (no toggle: never submitted)."""
    body: list[Element] = [_text(f"Tailor your CV for {_title(c.job)}", weight="Bolder")]
    if not c.items:
        body.append(_text("Nothing to change: the CV already says what this job asks for."))
        return card(body)
    changes = c.changes[:15]
    for i in changes:
        body.append({"type": "Input.Toggle", "id": f"{OPTION_PREFIX}{i.id}",
                     "title": f"+{i.impact}  {i.label}",
                     "value": "true" if i.default else "false",
                     "valueOn": "true", "valueOff": "false"})
        if i.measured:
            body.append(_text(i.measured, isSubtle=True, spacing="None"))
    if c.prompts:
        body.append(_text("**To show these, I need your own words** (added as you write them):",
                          separator=True))
        for i in c.prompts[:15]:
            body.append(_text(f"- {i.label}", spacing="Small"))
            body.append(_text(i.prompt, fontType="Monospace", isSubtle=True, spacing="None"))
    return card(body, [submit("tailor_apply", "Tailor my CV", c.job.ref or 0)]
                if changes else None)


def digest_card(c: Digest) -> dict[str, Any]:
    body: list[Element] = [_text(c.title, size="Large", weight="Bolder")]
    if not c.matches:
        body.append(_text("No new matches."))
    for m in c.matches[:15]:
        score = f"**{m.score}** · " if m.score is not None else ""
        body.append({"type": "Container", "separator": True, "items": [
            _text(score + _title(m.job), color=COLOURS[m.band]),
            *([_text(job_facts(m.job), isSubtle=True, spacing="None")] if job_facts(m.job)
              else []),
            *([_text(f"Why: {m.reason}", isSubtle=True, spacing="None")] if m.reason else []),
            *([_text(f"Biggest gap: {m.gap}", isSubtle=True, spacing="None")] if m.gap
              else []),
            *([{"type": "ActionSet", "actions": job_actions(
                m.job.ref, ["analyse", "gaps", "interested", "dismiss"])}] if m.job.ref
              else [])]})
    if c.changes:
        body.append(_text("**What changed**"))
        body.extend(_text(f"- {t}", spacing="None") for t in c.changes[:10])
    if c.trends:
        body.append(_text("**Skills in demand for you**"))
        body.extend(_text(f"- {trend_text(t)}", spacing="None") for t in c.trends[:10])
    for head, group in skill_groups(c):
        body.append(_text(f"**{head}**"))
        body.extend(_text(s.detail or f"{s.skill}: +{s.impact} over {s.jobs} job(s)",
                          spacing="None") for s in group[:10])
    body.extend(_text(n, isSubtle=True) for n in c.notes[:3])
    return card(body)


def render_adaptive(c: ScoreCard | JobList | GapList | TailoringChecklist | Digest
                    ) -> dict[str, Any]:
    """Any card as an Adaptive Card (the attachment's ``content``)."""
    if isinstance(c, ScoreCard):
        return score_card(c)
    if isinstance(c, JobList):
        return job_list_card(c)
    if isinstance(c, GapList):
        return gaps_card(c)
    if isinstance(c, TailoringChecklist):
        return checklist_card(c)
    return digest_card(c)


def chosen_options(value: dict[str, Any]) -> list[str]:
    """The option ids ticked in a submitted checklist (never a request for the user's own
    words: those are answered in the chat)."""
    return [k[len(OPTION_PREFIX):] for k, v in value.items()
            if k.startswith(OPTION_PREFIX) and str(v).lower() == "true"
            and not k[len(OPTION_PREFIX):].startswith(PROMPT_ACTION + ":")]
