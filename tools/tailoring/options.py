"""The options offered for a CV and job, each described with its measured effect."""

from __future__ import annotations

import logging
import time

from tools.schemas import CandidateProfile, GapReport, JobPosting
from tools.tailoring.analysis import _analyse, _Analysis
from tools.tailoring.document import _build_doc, _Entry, _item_spans, _Line, _split_skill_line
from tools.tailoring.models import ACTIONS, ScoreFn, TailoringOption
from tools.tailoring.render import _lead_line, _ordered_entries
from tools.tailoring.rescoring import _default_score, _overrides, _run_scores

logger = logging.getLogger(__name__)


def _offered(an: _Analysis) -> dict[str, bool]:
    doc = an.doc
    reorder = False
    for block in doc.blocks:
        items = [it for it in block.items if not (isinstance(it, _Line) and not it.text.strip())]
        if [id(x) for x in _ordered_entries(items, an)] != [id(x) for x in items]:
            reorder = True
    for e in doc.entries():
        order = sorted(e.bullets, key=lambda b: -an.bullet_score.get(b.start, 0.0))
        if [b.start for b in order] != [b.start for b in e.bullets]:
            reorder = True
    return {
        "emphasise_skills": bool(an.lead),
        "reorder_experience": reorder,
        "add_keywords": bool(an.keywords),
        "quantify_bullets": bool(an.quantify),
        "drop_irrelevant": bool(an.drop_bullets or an.drop_items),
    }


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _names(items: list[str], n: int = 3) -> str:
    if len(items) <= n:
        return ", ".join(items)
    return ", ".join(items[:n]) + f" and {len(items) - n} more"


def _impact_note(impact: int) -> str:
    if impact > 0:
        return f" Measured: +{impact} points on the match score."
    if impact < 0:
        return f" Measured: {impact} points on the match score."
    return " Measured: no change to the match score"


def _describe(action: str, an: _Analysis, impact: int) -> tuple[str, str]:
    doc = an.doc
    if action == "emphasise_skills":
        label = f"Lead your summary and skills with {_names(an.lead)}"
        detail = (f"Adds the line “{_lead_line(an.lead)}” at the top of your summary and lists "
                  "these skills first in your skills section, in your own wording.")
        if impact == 0:
            detail += (_impact_note(0) + " (the score already counts these skills); it puts "
                       "them where a recruiter looks first.")
        else:
            detail += _impact_note(impact)
        return label, detail
    if action == "reorder_experience":
        entries = doc.entries()
        moved: list[str] = []
        items = [it for b in doc.blocks for it in _ordered_entries(list(b.items), an)
                 if isinstance(it, _Entry)]
        before_pos = {e.index: i for i, e in enumerate(entries)}
        down = [e for i, e in enumerate(items) if i > before_pos[e.index]]
        if down:
            names = [" at ".join(x for x in (doc.parsed.experience[e.index].title,
                                             doc.parsed.experience[e.index].company) if x)
                     for e in down]
            moved.append(f"{_names([f'“{n}”' for n in names], 2)} move"
                         f"{'s' if len(down) == 1 else ''} below your more relevant roles")
        n_roles = sum(1 for e in entries if [b.start for b in sorted(
            e.bullets, key=lambda b: -an.bullet_score.get(b.start, 0.0))]
            != [b.start for b in e.bullets])
        if n_roles:
            moved.append(f"bullets that name the job's skills come first in {n_roles} "
                         f"role{'s' if n_roles != 1 else ''}")
        label = "Move your most relevant roles and bullets to the top"
        joined = "; ".join(moved)
        detail = joined[:1].upper() + joined[1:] + "." + (
            _impact_note(impact) + (" (order does not change what is counted); it helps a "
                                    "reader find the relevant work first." if impact == 0
                                    else ""))
        return label, detail
    if action == "add_keywords":
        pairs = [f"{cv} ({job})" for cv, job in an.keyword_terms]
        label = f"Use the job's wording for skills you have: {_names(pairs)}"
        detail = ("Adds the job's term next to your own wording, only for skills your CV "
                  f"already shows: {', '.join(pairs)}.")
        detail += _impact_note(impact) + (
            " (jobfit already reads both wordings as the same skill); keyword searches "
            "that use the job's term will now find them." if impact == 0 else "")
        return label, detail
    if action == "quantify_bullets":
        n = len(an.quantify)
        label = f"Flag {n} bullet{'s' if n != 1 else ''} without numbers to quantify yourself"
        shown = "; ".join(f"“{_short(b.text)}”" for b in an.quantify[:3])
        detail = (f"Lists bullets with no measurable result ({shown}{'…' if n > 3 else ''}). "
                  "jobfit never invents numbers: add ones you can back up. Your CV text is "
                  "not changed." + _impact_note(impact) + ".")
        return label, detail
    nb = len(an.drop_bullets)
    skills = _dropped_skill_names(an)
    parts = []
    if nb:
        parts.append(f"{nb} bullet{'s' if nb != 1 else ''}")
    if skills:
        parts.append(f"{len(skills)} skill{'s' if len(skills) != 1 else ''}")
    label = f"Drop {' and '.join(parts)} unrelated to this job"
    dropped = [f"“{_short(b.text, 50)}”" for e in doc.entries() for b in e.bullets
               if b.start in an.drop_bullets][:3]
    detail = "Removes content with no link to the job's skills or wording"
    if dropped:
        detail += f": {'; '.join(dropped)}"
    if skills:
        detail += f"{'; ' if dropped else ': '}skills {', '.join(skills)}"
    detail += (". Bullets with a measured result are kept, and every role keeps at least one."
               + _impact_note(impact)
               + ("." if impact else " (unrelated content is not scored); it makes the CV "
                  "shorter."))
    return label, detail


def _dropped_skill_names(an: _Analysis) -> list[str]:
    names = {s.skill_id: s.name for s in an.doc.parsed.skills}
    out: list[str] = []
    for block in an.doc.blocks:
        for it in block.items:
            if not isinstance(it, _Line) or it.start not in an.drop_items:
                continue
            drops = an.drop_items[it.start]
            hits = an.line_skills.get(it.start, [])
            if -1 in drops:
                out += [names[sid] for _, _, sid in hits]
                continue
            spans = _item_spans(it.start, _split_skill_line(it.text))
            for idx in sorted(drops):
                a, b = spans[idx]
                out += [names[sid] for s0, _, sid in hits if a <= s0 < b]
    return list(dict.fromkeys(out))


def tailoring_options(
    profile: CandidateProfile,
    job: JobPosting,
    gaps: GapReport | None = None,
    *,
    score: ScoreFn | None = None,
) -> list[TailoringOption]:
    """The options that change something for this CV and job, each with its measured impact.

    ``impact`` = the score of the CV tailored with that option alone (rendered, parsed again,
    scored with ``score``) minus the original's score. ``gaps`` (optional) puts the bullets
    it found weakly worded first in the quantify option.
    """
    t0 = time.perf_counter()
    score_fn = score or _default_score(job)
    doc = _build_doc(profile, None)
    an = _analyse(doc, job, gaps)
    overrides = _overrides(profile, doc.parsed)
    before = score_fn(profile).score
    options: list[TailoringOption] = []
    offered = _offered(an)
    for action in ACTIONS:
        if not offered[action]:
            continue
        _, after = _run_scores(doc, an, [action], score_fn, overrides, None)
        impact = after - before
        label, detail = _describe(action, an, impact)
        default = impact >= 0 and action != "drop_irrelevant"
        options.append(TailoringOption(id=action, label=label, impact=impact,
                                       action=action,
                                       detail=detail, default=default))
    logger.debug("tailoring options: %d offered in %.0f ms", len(options),
                 (time.perf_counter() - t0) * 1000)
    return options
