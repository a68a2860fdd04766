"""A composed digest (``tools.digest.Digest``) as the chat card (``tools.cards.Digest``).

The Slack and Teams digests, the App Home tab and ``/jobfit digest`` all show this card: the
new matches with score, grade, strongest reason, biggest gap and the job's database id (so the
card's buttons work), what changed, the skills in demand (trends) and the skills to show or
learn with their measured impact. The digest e-mail renders this card too
(``ui/renderers/email.py``).
Pure and deterministic: every figure comes from the digest, i.e. from the scoring engine.
"""

from __future__ import annotations

from typing import Any

from tools import cards
from tools.card_text import NO_CV
from tools.digest import Digest, skill_line

MAX_SKILLS = 6  # skills shown per kind
ENGINE_NOTE = "Scores from jobfit's deterministic engine."


def match_rows(d: Digest) -> list[dict[str, Any]]:
    """The digest's matches as ``cards.digest`` rows."""
    rows = []
    for m in d.matches:
        gap = ""
        if m.gap:
            gap = m.gap + (f", +{m.gap_points} points if closed" if m.gap_points else "")
        rows.append({"ref": m.ref, "job_id": m.job_id, "title": m.title, "company": m.company,
                     "location": m.location, "remote": m.remote, "salary": m.salary,
                     "url": m.url, "score": m.score, "grade": m.grade, "label": m.label,
                     "reason": m.reason, "gap": gap, "also_on": m.also_on})
    return rows


def skill_rows(d: Digest, limit: int | None = MAX_SKILLS) -> list[dict[str, Any]]:
    """Skills to show first, then to learn, with their measured impact (summed points);
    ``limit`` per kind (None: all)."""
    rows = []
    for kind in ("show", "learn"):
        picked = [s for s in d.skills if s.kind == kind][:limit]
        rows += [{"skill": s.skill, "impact": s.total, "jobs": s.jobs, "kind": kind,
                  "detail": skill_line(s)} for s in picked]
    return rows


def digest_card(d: Digest, *, title: str = "Your jobfit digest",
                max_skills: int | None = MAX_SKILLS) -> cards.Digest:
    """The card of a composed digest (``max_skills`` per kind; None: all, as the e-mail's
    text part lists them)."""
    more = f" ({d.more} more in the app)" if d.more else ""
    notes = [f"Since {d.since:%d %b %Y}: {d.headline()}{more}."]
    if not d.has_cv:
        notes.append(NO_CV)
    notes.append(ENGINE_NOTE)
    trends = [{"skill": t.skill, "count": t.count, "change": t.change,
               "direction": t.direction} for t in [*d.trends, *d.falling]]
    card = cards.digest(title=title, matches=match_rows(d), skills=skill_rows(d, max_skills),
                        notes=notes, changes=[c.text for c in d.changes], period=d.period,
                        headline=d.headline(), trends=trends)
    return card.model_copy(update={"threshold": d.threshold, "since": f"{d.since:%d %b %Y}",
                                   "more": d.more, "has_cv": d.has_cv})
