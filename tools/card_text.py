"""Cards (``tools/cards.py``) as Markdown text: the offline chat's answers (the chat adds only
its "Next: ..." hints), the plain fallback of Slack and Teams messages and notifications.

One function per card kind, all pure. The rich channels (``ui/renderers``: Block Kit, Adaptive
Cards, e-mail HTML, the web chat's elements, the terminal) render the same cards and share the
small helpers here (bars, job facts, skill groups), so every channel says the same.
"""

from __future__ import annotations

from tools.cards import (
    Digest,
    DigestSkill,
    DigestTrend,
    GapItem,
    GapList,
    JobList,
    JobRef,
    JobRow,
    ScoreCard,
    SubScore,
    TailoringChecklist,
)

BAND_EMOJI = {"green": "🟢", "blue": "🔵", "amber": "🟠", "red": "🔴", "grey": "⚪"}
BAR_WIDTH = 10
GAPS_SHOWN = 6  # gaps listed in text; the rest are counted
SUGGESTIONS_SHOWN = 3  # gaps whose suggestion is written out
DETAIL_CHARS = 240  # a tailoring option's detail is cut (at a word) beyond this
PASTED = "pasted"  # the job id of a pasted posting (``agent.service``)
UNKNOWN = "unknown (left out, not counted as a match)"


def bar(score: int | None, width: int = BAR_WIDTH) -> str:
    """A text bar for a 0-100 score ("unknown" when unknown)."""
    if score is None:
        return "unknown"
    full = max(0, min(width, int(round(score / 100 * width))))
    return "█" * full + "░" * (width - full)


def num(x: float) -> str:
    """A number as written: 7, 7.5 (never 7.0)."""
    return f"{x:g}" if isinstance(x, float) else str(x)


def points(x: float) -> str:
    return f"{num(x)} point" + ("" if x == 1 else "s")


def job_title(job: JobRef) -> str:
    """``Title at Company`` (``#ref`` appended when stored): plain, for one-line summaries."""
    text = job.title + (f" at {job.company}" if job.company else "")
    return text + (f" (#{job.ref})" if job.ref else "")


def job_heading(job: JobRef) -> str:
    """``**Title** — Company``: how answers name a job."""
    return f"**{job.title}**" + (f" — {job.company}" if job.company else "")


def job_facts(job: JobRef) -> str:
    """Location · work mode · salary · other sources listing the job."""
    also = f"also on: {', '.join(job.also_on)}" if job.also_on else ""
    return " · ".join(x for x in (job.location, job.remote, job.salary, also) if x)


def job_id_tag(job: JobRef) -> str:
    """The source's id in backticks (what a user types to pick the job again); "" for a pasted
    posting (job id "pasted", ref 0: not in the collection)."""
    return f"`{job.job_id}`" if job.job_id and job.job_id != PASTED else ""


def sub_score_line(s: SubScore) -> str:
    if s.score is None:
        return f"{s.label}: {UNKNOWN}"
    adds = f" (+{s.points:.1f})" if s.points is not None else ""
    return f"{s.label}: {bar(s.score)} {s.score}{adds}"


def gap_text(g: GapItem, *, suggestion: bool = False) -> str:
    """"Kafka is required — Add a Kafka project (**+9** points if closed)"."""
    text = g.message or g.target or "gap"
    if suggestion and g.suggestion:
        text += f" — {g.suggestion}"
    if g.impact > 0:
        text += f" (**+{g.impact}** {'point' if g.impact == 1 else 'points'} if closed)"
    return text


def grade_text(grade: str, label: str) -> str:
    """" (grade **B**, good fit)" or ""."""
    if not grade:
        return ""
    label = label.lower()
    if label and not label.endswith(("fit", "match")):
        label += " fit"
    return f" (grade **{grade}**" + (f", {label}" if label else "") + ")"


# --------------------------------------------------------------------------- cards


def score_markdown(card: ScoreCard) -> str:
    lines = [f"{job_heading(card.job)}: **{card.score}/100**"
             f"{grade_text(card.grade, card.label)}."]
    facts = " · ".join(x for x in (job_facts(card.job), job_id_tag(card.job)) if x)
    if facts:
        lines.append(facts)
    lines.extend(f"- {sub_score_line(s)}" for s in card.sub_scores)
    if card.matched or card.matched_preferred:
        lines.append("**Matched:** " + ", ".join(card.matched + card.matched_preferred))
    if card.missing or card.missing_preferred:
        lines.append("**Missing:** " + ", ".join(
            [f"{s} (required)" for s in card.missing] + card.missing_preferred))
    if card.reasons:
        lines += ["", "Why:", *(f"- {x}" for x in card.reasons)]
    if card.top_gaps:
        lines += ["", "Top gaps:", *(f"- {gap_text(g)}" for g in card.top_gaps)]
    if card.unknown:
        lines += ["", "Not known, scored neutrally (never counted as a match): "
                  + ", ".join(u.lower() for u in card.unknown) + "."]
    return "\n".join(lines)


def job_row_line(row: JobRow) -> str:
    """"2. **Title** — Company · Berlin · hybrid · €70k · fit **62** (C) · `id`"."""
    bits = [job_heading(row.job)]
    where = " · ".join(x for x in (row.job.location, row.job.remote) if x)
    bits += [x for x in (where, row.job.salary) if x]
    if row.score is not None:
        bits.append(f"fit **{row.score}**" + (f" ({row.grade})" if row.grade else ""))
    bits += [x for x in (job_id_tag(row.job),) if x]
    if row.job.also_on:
        bits.append("also on: " + ", ".join(row.job.also_on))
    return f"{row.job.position or ''}. " + " · ".join(bits)


def job_list_markdown(card: JobList) -> str:
    lines = ([card.empty_text] if not card.rows
             else [f"{card.title} ({len(card.rows)}):", *map(job_row_line, card.rows)])
    if card.note:
        lines += ["", card.note]
    return "\n".join(lines)


def gaps_markdown(card: GapList) -> str:
    score = f" (you're at **{card.score}/100**)" if card.score is not None else ""
    if not card.gaps:
        lines = [f"No gaps worth points for {job_heading(card.job)}{score}: your CV covers what "
                 "it asks."]
    else:
        lines = [f"What's missing for {job_heading(card.job)}{score}, biggest impact first:"]
        lines.extend(f"{i}. {gap_text(g, suggestion=i <= SUGGESTIONS_SHOWN)}"
                     for i, g in enumerate(card.gaps[:GAPS_SHOWN], 1))
        if len(card.gaps) > GAPS_SHOWN:
            more = len(card.gaps) - GAPS_SHOWN
            lines.append(f"…and {more} smaller {'one' if more == 1 else 'ones'}.")
    if card.strengths:
        lines += ["", "Strengths: " + "; ".join(card.strengths[:4]) + "."]
    return "\n".join(lines)


def _detail(text: str) -> str:
    if len(text) <= DETAIL_CHARS:
        return text
    return text[:DETAIL_CHARS].rsplit(" ", 1)[0] + "…"


def prompt_lines(card: TailoringChecklist) -> list[str]:
    """The checklist's requests for the user's own words, as text: each instruction and how to
    reply (never numbered or ticked: they are answered in the chat)."""
    if not card.prompts:
        return []
    lines = ["To show these, I need your own words (I add them as written, nothing for you):"]
    for i in card.prompts:
        lines.append(f"- **{i.label or i.id}** — {i.prompt}")
    return lines


def checklist_markdown(card: TailoringChecklist) -> str:
    if not card.items:
        return (f"Your CV is already well tailored for {job_heading(card.job)}: no changes to "
                "suggest.")
    lines = [f"Ways to tailor your CV for {job_heading(card.job)}:"]
    for n, i in enumerate(card.items, 1):  # numbered by position: "use option 2" picks it
        if i.kind == "prompt":
            continue
        line = f"{n}. **{i.label or i.id}**"
        if i.impact > 0:
            line += f" (+{points(i.impact)})"
        if i.measured:  # what the option moves, before -> after
            line += f" — {i.measured}"
        if i.detail:
            line += f" — {_detail(i.detail)}"
        if i.default:
            line += " *(recommended)*"
        lines.append(line + (f" `{i.id}`" if i.id else ""))
    if card.prompts:
        lines += ["", *prompt_lines(card)]
    return "\n".join(lines)


#: The digest card's skill groups by kind, in order, with their headings.
SKILL_HEADS = {"show": "You may already have it: show it in your CV",
               "learn": "Worth learning", "": "Skills that would add the most points"}


def skill_groups(card: Digest) -> list[tuple[str, list[DigestSkill]]]:
    """The card's skills by kind (show, learn, unsaid), each with its heading."""
    return [(head, [s for s in card.skills if s.kind == kind])
            for kind, head in SKILL_HEADS.items() if any(s.kind == kind for s in card.skills)]


def skill_text(s: DigestSkill) -> str:
    """The measured line of a skill, or its summed impact."""
    return s.detail or f"{s.skill}: +{s.impact} over {s.jobs} job(s)"


def trend_change(t: DigestTrend) -> str:
    """"new", "up 3", "down 2" or "steady"."""
    return {"new": "new", "rising": f"up {t.change}", "falling": f"down {-t.change}"}.get(
        t.direction, "steady")


def trend_text(t: DigestTrend) -> str:
    """"Kubernetes: 12 jobs, up 3" (a ``DigestTrend``)."""
    return f"{t.skill}: {t.count} jobs, {trend_change(t)}"


def digest_markdown(card: Digest, *, title: bool = True) -> str:
    """The digest (``title=False``: without its title line, under the chat's own heading)."""
    lines = [f"**{card.title}**" + (f" ({card.period})" if card.period else "")] if title else []
    if card.matches:
        lines.append("Best matches:")
        for m in card.matches:
            score = f"{BAND_EMOJI[m.band]} {m.score} " if m.score is not None else ""
            facts = " · ".join(x for x in (job_facts(m.job), job_id_tag(m.job)) if x)
            lines.append(f"- {score}{job_title(m.job)}" + (f" — {facts}" if facts else ""))
            if m.reason:
                lines.append(f"  Why: {m.reason}")
            if m.gap:
                lines.append(f"  Biggest gap: {m.gap}")
    else:
        lines.append("No new matches.")
    if card.changes:
        lines.append("What changed:")
        lines.extend(f"- {c}" for c in card.changes)
    if card.trends:
        lines.append("Skills in demand for you:")
        lines.extend(f"- {trend_text(t)}" for t in card.trends)
    for head, group in skill_groups(card):
        lines.append(f"{head}:")
        lines.extend(f"- {skill_text(s)}" for s in group)
    lines.extend(f"_{n}_" for n in card.notes)
    return "\n".join(lines)


NO_CV = "Upload your CV to get matches: jobfit has no CV for you yet."


def digest_text(card: Digest, *, name: str = "", chat_url: str = "",
                unsubscribe_url: str = "") -> str:
    """The digest card as plain text, no Markdown (the digest e-mail's text part, ``jobfit
    digest preview --format text``): greeting, headline, every match with score, grade, id,
    why, biggest gap, salary, other sources and link, what changed, trends, the skills to show
    and to learn (measured lines), the card's notes and the links back."""
    lines = [f"Hi {name}," if name else "Hi,", "",
             card.title + (f" ({card.period})" if card.period else "")
             + (f": {card.headline}." if card.headline else "")]
    if not card.has_cv:
        lines += ["", NO_CV]
    since = f", since {card.since}" if card.since else ""
    if card.matches:
        least = f"score {card.threshold}+" if card.threshold is not None else "best first"
        lines += ["", f"NEW MATCHES ({least}{since})"]
        for n, m in enumerate(card.matches, 1):
            where = ", ".join(x for x in (m.job.company, m.job.location, m.job.remote) if x)
            grade = ", ".join(x for x in (m.grade, m.label) if x)
            score = f"{m.score}/100" + (f" ({grade})" if grade else "") if m.score is not None \
                else "score unknown"
            lines.append(f"{n}. {m.job.title}" + (f" - {where}" if where else "")
                         + f" - {score}" + (f" [{m.job.job_id}]" if m.job.job_id else ""))
            extra = [f"Why: {m.reason}" if m.reason else "",
                     f"Biggest gap: {m.gap}" if m.gap else "",
                     f"Salary: {m.job.salary}" if m.job.salary else "",
                     f"Also on: {', '.join(m.job.also_on)}" if m.job.also_on else "",
                     m.job.url]
            lines.extend(f"   {x}" for x in extra if x)
        if card.more:
            lines.append(f"... and {card.more} more in the app.")
    elif card.has_cv:
        least = f" at or above {card.threshold}" if card.threshold is not None else ""
        lines += ["", f"No new jobs{least}{' since ' + card.since if card.since else ''}."]
    if card.changes:
        lines += ["", "WHAT CHANGED", *(f"- {c}" for c in card.changes)]
    if card.trends:
        lines += ["", "SKILLS IN DEMAND FOR YOU (jobs this period, vs the previous one)"]
        lines += [f"- {t.skill}: {t.count} jobs ({trend_change(t)})"
                  for t in card.trends]
    for head, group in skill_groups(card):
        lines += ["", head.upper().replace(": ", " - "), *(f"- {skill_text(s)}" for s in group)]
    said = (NO_CV, f"Since {card.since}:") if card.since else (NO_CV,)  # said above already
    notes = [n for n in card.notes if not n.startswith(said)]
    if notes:
        lines += ["", *notes]
    if chat_url:
        lines += ["", f"Open jobfit: {chat_url}"]
    if unsubscribe_url:
        lines += [f"Stop these e-mails: {unsubscribe_url}"]
    return "\n".join(lines) + "\n"


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
