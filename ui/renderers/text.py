"""Cards as Markdown text (also the plain fallback of rich channels)."""

from __future__ import annotations

from tools.cards import (
    Digest,
    DigestSkill,
    GapList,
    JobList,
    JobRef,
    ScoreCard,
    SubScore,
    TailoringChecklist,
)

BAND_EMOJI = {"green": "🟢", "blue": "🔵", "amber": "🟠", "red": "🔴", "grey": "⚪"}
BAR_WIDTH = 10


def bar(score: int | None, width: int = BAR_WIDTH) -> str:
    """A text bar for a 0-100 score ("unknown" when unknown)."""
    if score is None:
        return "unknown"
    full = max(0, min(width, int(round(score / 100 * width))))
    return "█" * full + "░" * (width - full)


def job_title(job: JobRef) -> str:
    """``Title at Company`` (``#ref`` appended when stored)."""
    text = job.title + (f" at {job.company}" if job.company else "")
    return text + (f" (#{job.ref})" if job.ref else "")


def job_facts(job: JobRef) -> str:
    also = f"also on: {', '.join(job.also_on)}" if job.also_on else ""
    return " · ".join(x for x in (job.location, job.remote, job.salary, also) if x)


def sub_score_line(s: SubScore) -> str:
    if s.score is None:
        return f"{s.label}: unknown (left out, not counted as a match)"
    adds = f" (+{s.points:.1f})" if s.points is not None else ""
    return f"{s.label}: {bar(s.score)} {s.score}{adds}"


def score_markdown(card: ScoreCard) -> str:
    lines = [f"{BAND_EMOJI[card.band]} **{card.score}/100** · grade {card.grade}"
             + (f" · {card.label}" if card.label else "") + f" — **{job_title(card.job)}**"]
    facts = job_facts(card.job)
    if facts:
        lines.append(facts)
    lines.extend(f"- {sub_score_line(s)}" for s in card.sub_scores)
    if card.matched or card.matched_preferred:
        lines.append("**Matched:** " + ", ".join(card.matched + card.matched_preferred))
    if card.missing or card.missing_preferred:
        lines.append("**Missing:** " + ", ".join(
            [f"{s} (required)" for s in card.missing] + card.missing_preferred))
    if card.top_gaps:
        lines.append("**Top gaps** (points if closed):")
        lines.extend(f"- +{g.impact} {g.message}" for g in card.top_gaps)
    return "\n".join(lines)


def job_list_markdown(card: JobList) -> str:
    if not card.rows:
        return f"**{card.title}**\n{card.empty_text}"
    lines = [f"**{card.title}**"]
    for row in card.rows:
        score = (f"{BAND_EMOJI[row.band]} {row.score} ({row.grade}) " if row.score is not None
                 else "")
        facts = job_facts(row.job)
        lines.append(f"{row.job.position or ''}. {score}**{job_title(row.job)}**"
                     + (f" — {facts}" if facts else ""))
    if card.note:
        lines.append(card.note)
    return "\n".join(lines)


def gaps_markdown(card: GapList) -> str:
    head = f"**Gaps for {job_title(card.job)}**" + (
        f" (score {card.score}/100)" if card.score is not None else "")
    lines = [head]
    if not card.gaps:
        lines.append("No gaps worth points: your CV covers what this job asks.")
    for g in card.gaps:
        lines.append(f"- +{g.impact} {g.message}" + (f" → {g.suggestion}" if g.suggestion
                                                      else ""))
    if card.strengths:
        lines.append("**Strengths:** " + "; ".join(card.strengths[:5]))
    return "\n".join(lines)


def checklist_markdown(card: TailoringChecklist) -> str:
    lines = [f"**Tailor your CV for {job_title(card.job)}**"]
    if not card.items:
        lines.append("Nothing to change: the CV already says what this job asks for.")
    lines.extend(f"- [{'x' if i.default else ' '}] {i.label} (+{i.impact})"
                 + (f": {i.measured}" if i.measured else "") for i in card.items)
    return "\n".join(lines)


#: The digest card's skill groups by kind, in order, with their headings.
SKILL_HEADS = {"show": "You may already have it: show it in your CV",
               "learn": "Worth learning", "": "Skills that would add the most points"}


def skill_groups(card: Digest) -> list[tuple[str, list[DigestSkill]]]:
    """The card's skills by kind (show, learn, unsaid), each with its heading."""
    return [(head, [s for s in card.skills if s.kind == kind])
            for kind, head in SKILL_HEADS.items() if any(s.kind == kind for s in card.skills)]


def digest_markdown(card: Digest) -> str:
    lines = [f"**{card.title}**"]
    if card.matches:
        lines.append("Best matches:")
        for m in card.matches:
            score = f"{BAND_EMOJI[m.band]} {m.score} " if m.score is not None else ""
            lines.append(f"- {score}{job_title(m.job)}")
            if m.reason:
                lines.append(f"  Why: {m.reason}")
            if m.gap:
                lines.append(f"  Biggest gap: {m.gap}")
    else:
        lines.append("No new matches.")
    if card.changes:
        lines.append("What changed:")
        lines.extend(f"- {c}" for c in card.changes)
    for head, group in skill_groups(card):
        lines.append(f"{head}:")
        if group:
            lines.extend(f"- {s.detail}" if s.detail else
                         f"- {s.skill}: +{s.impact} over {s.jobs} job(s)" for s in group)
    lines.extend(f"_{n}_" for n in card.notes)
    return "\n".join(lines)


def render_markdown(card: ScoreCard | JobList | GapList | TailoringChecklist | Digest) -> str:
    """Any card as Markdown."""
    if isinstance(card, ScoreCard):
        return score_markdown(card)
    if isinstance(card, JobList):
        return job_list_markdown(card)
    if isinstance(card, GapList):
        return gaps_markdown(card)
    if isinstance(card, TailoringChecklist):
        return checklist_markdown(card)
    return digest_markdown(card)


def render_summary(card: ScoreCard | JobList | GapList | TailoringChecklist | Digest) -> str:
    """One line (a notification's text)."""
    if isinstance(card, ScoreCard):
        return f"{card.score}/100 ({card.grade}) for {job_title(card.job)}"
    if isinstance(card, JobList):
        return f"{card.title}: {len(card.rows)} jobs"
    if isinstance(card, GapList):
        return f"{len(card.gaps)} gaps for {job_title(card.job)}"
    if isinstance(card, TailoringChecklist):
        return f"{len(card.items)} changes for {job_title(card.job)}"
    return f"{card.title}: {len(card.matches)} matches"
