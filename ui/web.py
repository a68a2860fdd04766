"""Web chat rendering: cards and texts (the chat history is ``ui/chat_history.py``).

- ``*_props`` turn tool results (the dicts of agent/registry.py, see the contract) into the
  props of the custom elements in ``public/elements/*.jsx`` through the channel-neutral card
  model (``tools/cards.py``, rendered by ``ui/renderers/chainlit.py``); ``*_markdown`` are text
  fallbacks.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from typing import Any

from tools import cards

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- cards

FACTORS = cards.FACTORS  # the five sub-scores and their labels (tools/cards.py)


def band(score: float | None) -> str:
    """Colour band of a score: green ≥80, blue ≥60, amber ≥40, red below, grey unknown."""
    return cards.band(score)


def score_card_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of ScoreCard.jsx from an "analysis" tool result (via the card model)."""
    from tools.cards import ScoreCard, card_from_result
    from ui.renderers.chainlit import score_props

    card = card_from_result({**result, "kind": "analysis"})
    assert isinstance(card, ScoreCard)
    return score_props(card)


def job_list_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of JobList.jsx from a "job_list" tool result (via the card model)."""
    from tools.cards import JobList, card_from_result
    from ui.renderers.chainlit import job_list_props as props

    card = card_from_result({**result, "kind": "job_list"})
    assert isinstance(card, JobList)
    return props(card)


def tailor_options_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of TailorOptions.jsx from a "tailoring_options" tool result (via the card
    model)."""
    from tools.cards import TailoringChecklist, card_from_result
    from ui.renderers.chainlit import checklist_props

    card = card_from_result({**result, "kind": "tailoring_options"})
    assert isinstance(card, TailoringChecklist)
    return checklist_props(card)


def gaps_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of GapList.jsx from a "gaps" tool result (via the card model)."""
    from tools.cards import GapList, card_from_result
    from ui.renderers.chainlit import gaps_props as props

    card = card_from_result({**result, "kind": "gaps"})
    assert isinstance(card, GapList)
    return props(card)


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value not in (None, "") else "—"


def comparison_markdown(result: Mapping[str, Any]) -> str:
    """A Markdown table of a "comparison" tool result."""
    rows = result.get("rows") or []
    head = "| # | Job | CV | Score | Skills | Exp. | Loc. | Salary | Fit | Missing |\n"
    head += "|---|---|---|---|---|---|---|---|---|---|\n"
    lines = []
    for i, row in enumerate(rows, 1):
        job = row.get("job") or {}
        bd = row.get("breakdown") or {}
        name = f"{job.get('title') or 'Job'} — {job.get('company') or ''}".strip(" —")
        lines.append("| " + " | ".join(_cell(v) for v in (
            i, name, row.get("cv_id"), f"{row.get('score')} ({row.get('grade')})",
            *(bd.get(k) if bd.get(k) is not None else "unknown" for k, _ in FACTORS),
            ", ".join((row.get("missing_required") or [])[:4]))) + " |")
    return head + "\n".join(lines)


def cv_summary_markdown(cv: Mapping[str, Any]) -> str:
    """What jobfit understood from a CV (no contact details)."""
    lines = [f"**CV saved** — {cv.get('file_name') or 'pasted text'} (version {cv.get('version')})"]
    who = ", ".join(str(x) for x in (cv.get("name"), cv.get("headline")) if x)
    if who:
        lines.append(f"- **Who:** {who}")
    if cv.get("total_years") is not None:
        seniority = f" ({cv['seniority']})" if cv.get("seniority") else ""
        lines.append(f"- **Experience:** {cv['total_years']:.1f} years{seniority}")
    if cv.get("location"):
        lines.append(f"- **Location:** {cv['location']}")
    skills = list(cv.get("top_skills") or [])
    if skills:
        more = int(cv.get("skills_count") or len(skills)) - len(skills)
        lines.append(f"- **Skills:** {', '.join(skills)}" + (f" and {more} more" if more > 0
                                                            else ""))
    for role in list(cv.get("recent_roles") or [])[:3]:
        lines.append(f"- {role}")
    for warning in cv.get("warnings") or []:
        lines.append(f"- ⚠️ {warning}")
    return "\n".join(lines)


def tailored_markdown(result: Mapping[str, Any]) -> str:
    """The header of a tailored CV message: before → after and what changed."""
    job = result.get("job") or {}
    before, after = result.get("before"), result.get("after")
    delta = (after - before) if isinstance(before, int) and isinstance(after, int) else None
    sign = f" ({delta:+d})" if delta is not None else ""
    lines = [f"### Tailored CV for {job.get('title') or 'the job'}"
             + (f" at {job['company']}" if job.get("company") else ""),
             f"**Score {before} → {after}**{sign}. Download it below as DOCX or Markdown."]
    added = [a for a in result.get("added") or [] if isinstance(a, Mapping)]
    if added:  # the user's own lines, placed as written
        lines.append("\n".join(f"Added to {a.get('role') or 'your role'}, in your words: "
                               f"“{a.get('text') or ''}”" for a in added))
    measured = [str(x) for x in result.get("measured") or []]
    if measured:
        lines.append("\n".join(f"- {m}" for m in measured))
    reverted = result.get("reverted") or []
    if reverted:
        lines.append("Kept as it was (a change would not have been truthful or helpful):")
        lines.extend(f"- {r.get('reason', '')}" for r in reverted[:5])
    return "\n\n".join(lines)


def short_summary(result: Mapping[str, Any]) -> str:
    """One line for a tool step's output (never CV text)."""
    kind = result.get("kind")
    if kind == "job_list":
        return f"{len(result.get('jobs') or [])} jobs"
    if kind in ("analysis", "gaps"):
        job = result.get("job") or {}
        return f"{job.get('title') or 'job'}: {result.get('score')}/100"
    if kind == "tailoring_options":
        return f"{len(result.get('options') or [])} options"
    if kind == "tailored_cv":
        return f"score {result.get('before')} → {result.get('after')}"
    if kind == "error":
        return f"error: {result.get('message', '')}"
    if kind == "cv_saved":
        return "CV saved"
    return str(kind or "done")


def jsonable(items: Iterable[Any]) -> list[Any]:
    """Pydantic models (or plain values) as JSON-ready objects."""
    return [i.model_dump(mode="json") if hasattr(i, "model_dump") else i for i in items]


# --------------------------------------------------------------------------- chat text

#: Paragraphs of an answer that point to what to do next (kept below a card).
_HINT = re.compile(r"^\s*(?:Next\b|Reply\b|Ask\b|Tip\b|Try\b)", re.IGNORECASE)


def beyond_card(answer: str) -> str:
    """What an offline answer adds to the card shown above it: its "Next: …" / "Reply …"
    hints; the rest (the card's content as plain text, a CV summary again) is dropped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", answer) if p.strip()]
    return "\n\n".join(p for p in paragraphs if _HINT.match(p))


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
#: A first message this long, or on this many lines, is pasted text (a CV or a posting).
_PASTED_CHARS, _PASTED_LINES = 300, 4
TITLE_CHARS = 80


def thread_title(text: str | None) -> str | None:
    """A chat's title from its first message: the question itself; for pasted text, the job's
    first line ("Job: …") or "Your CV" — never CV text, e-mails or phone numbers."""
    if text is None or not text.strip():
        return None  # a file-only first message: never overwrite a name with nothing
    text = text.strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(text) > _PASTED_CHARS or len(lines) >= _PASTED_LINES:
        if _EMAIL.search(text) or _PHONE.search(text):
            return "Your CV"  # contact details: a CV, whose lines are personal
        head = re.sub(r"\s+", " ", lines[0])[:TITLE_CHARS - 5]
        return f"Job: {head}"
    clean = _PHONE.sub("…", _EMAIL.sub("…", " ".join(text.split())))
    return clean if len(clean) <= TITLE_CHARS else clean[:TITLE_CHARS - 1].rstrip() + "…"
