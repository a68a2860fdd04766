"""Cards as the CLI's terminal report (rich): ``jobfit score``, ``match``, ``jobs search``,
``demo`` (and gap lists, tailoring checklists and digests for any command that shows them).

Colours follow the card's bands (amber is rich's yellow). On a terminal lines wrap to its
width; piped or redirected, each line is written whole (a reader or a program gets sentences,
not 80-column fragments).
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tools.card_text import job_facts, skill_groups, skill_text, trend_text
from tools.cards import (
    Digest,
    GapItem,
    GapList,
    JobList,
    ScoreCard,
    TailoringChecklist,
    band,
)

BAR_WIDTH = 20
NAME_WIDTH = 11  # the sub-score column of the score report
SEVERITY_STYLES = {"high": "bold red", "medium": "yellow", "low": "dim"}
#: The sub-score columns of a scored job list: factor name -> column title.
COLUMNS = (("skills", "skills"), ("experience", "exp"), ("location", "loc"),
           ("salary", "sal"), ("semantic", "sem"))

Card = ScoreCard | JobList | GapList | TailoringChecklist | Digest


def console() -> Console:
    """Wrapped to the terminal's width on a terminal; piped or redirected, lines are whole."""
    con = Console(highlight=False, soft_wrap=False)
    if not con.is_terminal:
        con.soft_wrap = True
    return con


def band_colour(score: float | None) -> str:
    """A score's band (``tools.cards.band``) as a terminal colour."""
    colour = band(score)
    return {"amber": "yellow", "grey": "bright_black"}.get(colour, colour)


def bar(score: float | None, width: int = BAR_WIDTH) -> Text:
    if score is None:
        return Text("unknown".ljust(width), style="dim")
    filled = max(0, min(width, int(round(score / 100 * width))))
    return Text("█" * filled + "░" * (width - filled), style=band_colour(score))


def badge(score: float) -> Text:
    return Text(f" {int(round(score)):>3} ", style=f"bold white on {band_colour(score)}")


def _print_long(con: Console, text: Text) -> None:
    """A line that may be long (advice, comments): folded on a terminal, whole when piped."""
    con.print(text, overflow=None if con.soft_wrap else "fold")


def _gap_lines(con: Console, gaps: list[GapItem], limit: int) -> None:
    for g in gaps[:limit]:
        con.print(Text.assemble(f"  +{g.impact:<3d}",
                                (f"[{g.severity}] " if g.severity else "",
                                 SEVERITY_STYLES.get(g.severity, "")), g.message))
        if g.suggestion:
            _print_long(con, Text(f"        → {g.suggestion}", style="dim"))


def _notes(con: Console, notes: list[str], limit: int) -> None:
    if notes:
        con.print(Text("Wording notes (no points, for a human reader):", style="bold"))
        for n in notes[:limit]:
            _print_long(con, Text(f"  · {n}", style="dim"))


def print_score_card(card: ScoreCard, con: Console | None = None, *, top_gaps: int = 6) -> None:
    """The score report: score, grade, every sub-score with its weight, points and comment
    (unknown shown as unknown), matched and missing skills, the top gaps with their points."""
    con = con or console()
    heading = " — ".join(x for x in (card.job.title if card.job.title != "Untitled job"
                                     else "", card.job.company) if x)
    con.print(Text.assemble(("Fit ", "bold"), (f"{card.score}/100",
                                               f"bold {band_colour(card.score)}"),
                            f"  grade {card.grade}" + (f" · {card.label}" if card.label else ""),
                            ("  ✓ recommended" if card.recommended else ""),
                            (f"   {heading}" if heading else "")))
    facts = job_facts(card.job)
    if facts:
        con.print(Text(facts, style="dim"))
    for s in card.sub_scores:
        value = "  ?" if s.score is None else f"{s.score:3d}"
        adds = (f"  weight {s.weight:.0%} → +{s.points:.1f}"
                if s.score is not None and s.points is not None and s.weight is not None
                else "  unknown, left out" if s.score is None else "")
        con.print(Text.assemble(s.name.ljust(NAME_WIDTH), bar(s.score), f" {value}",
                                (adds, "dim")))
        if s.comment:
            _print_long(con, Text(" " * NAME_WIDTH + s.comment, style="dim"))
    unknown = [s.name for s in card.sub_scores if s.score is None]
    said = (f"unknown (left out, weights renormalised): {', '.join(unknown)}"
            if unknown else "")
    if card.confidence is not None:
        said += (" · " if said else "") + (f"confidence {card.confidence}% (share of the "
                                           "weights that could be scored)")
    if said:
        con.print(Text(said, style="dim"))
    if card.matched or card.matched_preferred:
        con.print(Text("Matched: ", style="bold green")
                  + Text(", ".join(card.matched + card.matched_preferred)))
    if card.missing or card.missing_preferred:
        missing = [f"{s} (required)" for s in card.missing] + card.missing_preferred
        con.print(Text("Missing: ", style="bold red") + Text(", ".join(missing)))
    if card.reasons:
        con.print(Text("Why: ", style="bold") + Text("; ".join(card.reasons)))
    if card.top_gaps:
        con.print(Text("Top gaps (points if closed):", style="bold"))
        _gap_lines(con, card.top_gaps, top_gaps)
    _notes(con, card.notes, top_gaps)


def print_job_list(card: JobList, con: Console | None = None) -> None:
    """A job list: scored (badge, grade and the five sub-scores per row, "?" when unknown) or
    not (id, title, company, location, work mode)."""
    con = con or console()
    if not card.rows:
        con.print(card.empty_text)
        return
    scored = any(r.score is not None for r in card.rows)
    table = Table(show_lines=False, box=None, pad_edge=False)
    if scored:
        table.add_column("score", no_wrap=True)
        table.add_column("job", ratio=1, overflow="fold")
        table.add_column("where", overflow="ellipsis", no_wrap=True, max_width=16)
        for _, col in COLUMNS:
            table.add_column(col, justify="right", no_wrap=True)
        for row in card.rows:
            subs = {s.name: s.score for s in row.sub_scores}
            job = Text(row.job.title or "?", style="bold") + Text(
                f" · {row.job.company}" if row.job.company else "")
            if row.job.also_on:
                job += Text(f" (also on: {', '.join(row.job.also_on)})", style="dim")
            score = (badge(row.score) + Text(f" {row.grade}") if row.score is not None
                     else Text("  ?"))
            table.add_row(score, job, row.job.location or row.job.remote,
                          *[("?" if subs.get(n) is None else str(subs[n])) for n, _ in COLUMNS])
    else:
        for col in ("id", "title", "company", "location", "remote"):
            table.add_column(col, overflow="fold")
        for row in card.rows:
            table.add_row(row.job.job_id or "", row.job.title or "?", row.job.company,
                          row.job.location, row.job.remote)
    con.print(table)
    if card.note:
        _print_long(con, Text(card.note.replace("**", ""), style="dim"))


def print_gap_list(card: GapList, con: Console | None = None, *, limit: int = 20) -> None:
    """Every gap with its points (biggest first), the wording notes and the strengths."""
    con = con or console()
    score = (Text(f"  {card.score}/100", style=f"bold {band_colour(card.score)}")
             if card.score is not None else Text(""))
    con.print(Text.assemble(("Gaps for ", "bold"), (card.job.title, "bold"),
                            f" — {card.job.company}" if card.job.company else "", score))
    if not card.gaps:
        con.print("No gaps worth points: your CV covers what this job asks.")
    _gap_lines(con, card.gaps, limit)
    if len(card.gaps) > limit:
        con.print(Text(f"  … and {len(card.gaps) - limit} smaller ones", style="dim"))
    _notes(con, card.notes, limit)
    if card.strengths:
        con.print(Text("Strengths: ", style="bold green") + Text("; ".join(card.strengths)))


def print_checklist(card: TailoringChecklist, con: Console | None = None) -> None:
    """The tailoring options: [x] recommended, points, what each moves, its id."""
    con = con or console()
    con.print(Text.assemble(("Tailor your CV for ", "bold"), (card.job.title, "bold"),
                            f" — {card.job.company}" if card.job.company else ""))
    if not card.items:
        con.print("Nothing to change: the CV already says what this job asks for.")
    for n, i in enumerate(card.items, 1):
        if i.kind == "prompt":
            continue
        con.print(Text.assemble(f"{n:>2}. [{'x' if i.default else ' '}] ", (i.label, "bold"),
                                (f"  +{i.impact}" if i.impact else "", "green"),
                                (f"  ({i.id})", "dim")))
        for extra in (i.measured, i.detail):
            if extra:
                _print_long(con, Text(f"        {extra}", style="dim"))
    if card.prompts:  # requests for the user's own words: no box to tick
        con.print(Text("To show these, I need your own words (added as you write them):",
                       style="bold"))
        for i in card.prompts:
            _print_long(con, Text(f"  - {i.label}"))
            _print_long(con, Text(f"      {i.prompt}", style="cyan"))


def print_digest(card: Digest, con: Console | None = None) -> None:
    """The digest: matches with score, why and biggest gap, changes, trends, skills, notes."""
    con = con or console()
    con.print(Text(card.title + (f" ({card.period})" if card.period else ""), style="bold"))
    if card.headline:
        con.print(Text(card.headline, style="dim"))
    if not card.matches:
        con.print("No new matches.")
    for m in card.matches:
        head = badge(m.score) if m.score is not None else Text("  ?  ")
        con.print(head + Text(f" {m.grade} ") + Text(m.job.title, style="bold")
                  + Text(f" — {m.job.company}" if m.job.company else "")
                  + Text(f"  [{m.job.job_id}]" if m.job.job_id else "", style="dim"))
        facts = job_facts(m.job)
        for line in (facts, f"Why: {m.reason}" if m.reason else "",
                     f"Biggest gap: {m.gap}" if m.gap else ""):
            if line:
                _print_long(con, Text(f"      {line}", style="dim"))
    if card.changes:
        con.print(Text("What changed", style="bold"))
        for c in card.changes:
            _print_long(con, Text(f"  - {c}"))
    if card.trends:
        con.print(Text("Skills in demand for you", style="bold"))
        for t in card.trends:
            con.print(Text(f"  - {trend_text(t)}"))
    for heading, group in skill_groups(card):
        con.print(Text(heading, style="bold"))
        for s in group:
            _print_long(con, Text(f"  - {skill_text(s)}"))
    for note in card.notes:
        _print_long(con, Text(note, style="dim"))


def print_card(card: Card, con: Console | None = None) -> None:
    """Any card as a terminal report."""
    if isinstance(card, ScoreCard):
        print_score_card(card, con)
    elif isinstance(card, JobList):
        print_job_list(card, con)
    elif isinstance(card, GapList):
        print_gap_list(card, con)
    elif isinstance(card, TailoringChecklist):
        print_checklist(card, con)
    else:
        print_digest(card, con)
