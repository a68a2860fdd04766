"""Cards as e-mail HTML (the digest e-mail; inline styles only, as mail clients want).

:func:`digest_email` is the whole digest e-mail body, rendered from the digest card (the same
card Slack, Teams and the web chat show) with the Jinja2 template ``ui/templates/digest.html.j2``;
the other functions are HTML fragments of each card. Every text is HTML-escaped; links are
only ``http(s)``.
"""

from __future__ import annotations

from functools import cache
from html import escape
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape

from tools.card_text import job_facts, skill_groups, skill_text
from tools.cards import (
    Digest,
    DigestMatch,
    GapList,
    JobList,
    JobRef,
    ScoreCard,
    TailoringChecklist,
)
from tools.digest_card import ENGINE_NOTE

HEX = {"green": "#1f7a3f", "blue": "#1f5fa8", "amber": "#b26a00", "red": "#b3261e",
       "grey": "#6b6b6b"}
FONT = "font-family:Helvetica,Arial,sans-serif;"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
FOOTER = "Scores come from jobfit's deterministic engine."


def _http(url: str) -> bool:
    return url.startswith(("https://", "http://"))


def _title(job: JobRef) -> str:
    name = escape(job.title)
    if job.url.startswith(("https://", "http://")):
        name = f'<a href="{escape(job.url, quote=True)}" style="color:#1f5fa8">{name}</a>'
    return f"<b>{name}</b>" + (f" at {escape(job.company)}" if job.company else "")


def _badge(score: int | None, band: str) -> str:
    text = "?" if score is None else str(score)
    return (f'<span style="display:inline-block;min-width:2.4em;text-align:center;'
            f'background:{HEX.get(band, HEX["grey"])};color:#fff;border-radius:4px;'
            f'padding:2px 6px;font-weight:bold">{text}</span>')


def _bar(score: int | None, band: str) -> str:
    if score is None:
        return '<span style="color:#6b6b6b">unknown (left out)</span>'
    return (f'<span style="display:inline-block;width:120px;height:8px;background:#e5e5e5;'
            f'border-radius:4px"><span style="display:block;width:{int(score * 1.2)}px;'
            f'height:8px;background:{HEX.get(band, HEX["grey"])};border-radius:4px">'
            f'</span></span> {score}')


def score_html(c: ScoreCard) -> str:
    from tools.cards import band

    rows = "".join(
        f"<tr><td>{escape(s.label)}</td><td>{_bar(s.score, band(s.score))}"
        + (f" (+{s.points:.1f})" if s.score is not None and s.points is not None else "")
        + "</td></tr>" for s in c.sub_scores)
    parts = [f"<p>{_badge(c.score, c.band)} grade {escape(c.grade)} — {_title(c.job)}</p>",
             f'<table style="{FONT}font-size:13px">{rows}</table>']
    if c.matched or c.matched_preferred:
        parts.append(f"<p><b>Matched:</b> {escape(', '.join(c.matched + c.matched_preferred))}"
                     "</p>")
    if c.missing or c.missing_preferred:
        missing = [f"{s} (required)" for s in c.missing] + c.missing_preferred
        parts.append(f"<p><b>Missing:</b> {escape(', '.join(missing))}</p>")
    if c.top_gaps:
        parts.append("<ul>" + "".join(f"<li><b>+{g.impact}</b> {escape(g.message)}</li>"
                                      for g in c.top_gaps) + "</ul>")
    return "".join(parts)


def job_list_html(c: JobList) -> str:
    items = "".join(f"<li>{_badge(r.score, r.band) + ' ' if r.score is not None else ''}"
                    f"{_title(r.job)}<br><small>{escape(job_facts(r.job))}</small></li>"
                    for r in c.rows)
    note = f'<p style="color:#6b6b6b">{escape(c.note.replace("**", ""))}</p>' if c.note else ""
    return f"<h3>{escape(c.title)}</h3>" + (f"<ol>{items}</ol>" if items
                                            else f"<p>{escape(c.empty_text)}</p>") + note


def gaps_html(c: GapList) -> str:
    score = f" {_badge(c.score, c.band)}" if c.score is not None else ""
    items = "".join(f"<li><b>+{g.impact}</b> {escape(g.message)}"
                    + (f"<br><small>{escape(g.suggestion)}</small>" if g.suggestion else "")
                    + "</li>" for g in c.gaps)
    strengths = (f"<p><b>Strengths:</b> {escape('; '.join(c.strengths))}</p>" if c.strengths
                 else "")
    return f"<h3>Gaps for {_title(c.job)}{score}</h3><ul>{items}</ul>{strengths}"


def checklist_html(c: TailoringChecklist) -> str:
    items = "".join(f"<li>{'☑' if i.default else '☐'} +{i.impact} {escape(i.label)}"
                    + (f"<br><small>{escape(i.measured)}</small>" if i.measured else "")
                    + "</li>" for i in c.changes)
    asks = "".join(f"<li>{escape(i.label)}<br><code>{escape(i.prompt)}</code></li>"
                   for i in c.prompts)
    own = (f"<p>To show these, I need your own words (added as you write them):</p>"
           f"<ul>{asks}</ul>" if asks else "")
    return f"<h3>Tailor your CV for {_title(c.job)}</h3><ul>{items}</ul>{own}"


def digest_html(c: Digest) -> str:
    """The digest card as the whole e-mail body (:func:`digest_email`, without links back)."""
    return digest_email(c)


def render_html(c: ScoreCard | JobList | GapList | TailoringChecklist | Digest) -> str:
    """Any card as an HTML fragment for e-mail."""
    if isinstance(c, ScoreCard):
        return score_html(c)
    if isinstance(c, JobList):
        return job_list_html(c)
    if isinstance(c, GapList):
        return gaps_html(c)
    if isinstance(c, TailoringChecklist):
        return checklist_html(c)
    return digest_html(c)


@cache
def _env() -> Environment:
    return Environment(loader=FileSystemLoader(str(TEMPLATES)),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True,
                       lstrip_blocks=True)


def digest_email(c: Digest, *, name: str = "", chat_url: str = "",
                 unsubscribe_url: str = "") -> str:
    """The digest card as a whole HTML e-mail: every match with score (band colour), grade,
    label, where, salary, other sources, why and biggest gap (points if closed); what changed;
    the skills in demand; the skills to show or learn with their measured impact; the card's
    notes; links back to the chat (a job opens there) and the one-click unsubscribe."""
    chat_url = chat_url if _http(chat_url) else ""

    def job_link(m: DigestMatch) -> str:
        if chat_url and m.job.job_id:
            return f"{chat_url.rstrip('/')}/?{urlencode({'job': m.job.job_id})}"
        return m.job.url if _http(m.job.url) else "#"

    return _env().get_template("digest.html.j2").render(
        c=c, name=name, chat_url=chat_url,
        unsubscribe_url=unsubscribe_url if _http(unsubscribe_url) else "",
        notes=[n for n in c.notes if n != ENGINE_NOTE], footer=FOOTER, job_link=job_link,
        colour=lambda b: HEX.get(b, HEX["grey"]), skill_groups=skill_groups(c),
        skill_text=skill_text)
