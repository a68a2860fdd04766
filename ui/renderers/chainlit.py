"""Cards as the props of the web chat's custom elements (``public/elements/*.jsx``).

``ui/web.py``'s ``*_props`` functions build a card from a tool result and render it here, so the
web chat shows the same card model as Slack, Teams and e-mail.
"""

from __future__ import annotations

from typing import Any

from tools.card_text import skill_text, trend_text
from tools.cards import Digest, GapList, JobList, JobRef, ScoreCard, TailoringChecklist, band


def job_view(job: JobRef) -> dict[str, Any]:
    return {"ref": job.ref, "job_id": job.job_id, "position": job.position,
            "title": job.title or "Untitled job", "company": job.company,
            "location": job.location, "remote": job.remote, "salary": job.salary,
            "url": job.url, "score": job.score, "grade": job.grade, "band": band(job.score),
            "also_on": list(job.also_on)}


def score_props(card: ScoreCard) -> dict[str, Any]:
    """Props of ScoreCard.jsx."""
    return {
        "job": job_view(card.job), "score": card.score, "grade": card.grade,
        "label": card.label, "band": card.band,
        "bars": [{"key": s.name, "label": s.label, "value": s.score, "band": band(s.score),
                  "adds": s.points} for s in card.sub_scores],
        "matched": list(card.matched), "missing": list(card.missing),
        "matched_preferred": list(card.matched_preferred),
        "missing_preferred": list(card.missing_preferred),
        "gaps": [{"message": g.message, "impact": g.impact, "severity": g.severity,
                  "target": g.target} for g in card.top_gaps[:3]],
        "reasons": list(card.reasons[:3]), "confidence": card.confidence,
        "unknown": card.unknown,
    }


def job_list_props(card: JobList) -> dict[str, Any]:
    """Props of JobList.jsx."""
    return {"title": card.title, "jobs": [job_view(r.job) for r in card.rows],
            "note": card.note.replace("**", "")}


def checklist_props(card: TailoringChecklist) -> dict[str, Any]:
    """Props of TailorOptions.jsx."""
    return {"job": job_view(card.job),
            "options": [{"id": i.id, "label": i.label, "impact": i.impact, "action": i.action,
                         "detail": i.detail, "default": i.default, "measured": i.measured}
                        for i in card.changes],
            # requests for the user's own words: shown with how to reply, never ticked or sent
            "prompts": [{"id": i.id, "label": i.label, "prompt": i.prompt, "detail": i.detail}
                        for i in card.prompts],
            "done": False}


def gaps_props(card: GapList) -> dict[str, Any]:
    """Props of GapList.jsx."""
    return {"job": job_view(card.job), "score": card.score, "band": card.band,
            "gaps": [{"message": g.message, "suggestion": g.suggestion, "impact": g.impact,
                      "severity": g.severity, "target": g.target, "section": g.section}
                     for g in card.gaps],
            "strengths": list(card.strengths)}


def digest_props(card: Digest) -> dict[str, Any]:
    """Props of DigestCard.jsx (the caller adds ``digest_id``, ``empty_text`` and ``more``):
    matches with score, grade, label, where, salary, other sources, why and biggest gap (with
    its points), what changed, trends, the skills to show and to learn (measured lines)."""
    return {
        "period": card.period, "headline": card.headline,
        "matches": [{**job_view(m.job), "score": m.score, "grade": m.grade, "label": m.label,
                     "band": m.band, "reason": m.reason, "gap": m.gap, "gap_points": None}
                    for m in card.matches],
        "changes": list(card.changes),
        "trends": [trend_text(t) for t in card.trends],
        "show": [skill_text(s) for s in card.skills if s.kind == "show"],
        "learn": [skill_text(s) for s in card.skills if s.kind == "learn"],
        "notes": list(card.notes),
    }
