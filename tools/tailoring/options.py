"""The options offered for a CV and job, each described with its measured effect."""

from __future__ import annotations

import logging
import time

from tools.schemas import CandidateProfile, GapReport, JobPosting
from tools.tailoring.analysis import _analyse, _Analysis, own_words
from tools.tailoring.document import _build_doc, _Doc, _item_spans, _Line, _split_skill_line
from tools.tailoring.effect import (
    ProfileScores,
    TailoringEffect,
    default_scores,
    posting_terms,
    read_cv,
)
from tools.tailoring.evidence import (
    EVIDENCE_ACTION,
    evidence_requests,
    request_detail,
    request_label,
    request_prompt,
)
from tools.tailoring.models import ACTIONS, ScoreFn, TailoringOption
from tools.tailoring.render import _lead_line, _ordered_entries
from tools.tailoring.rescoring import _default_score, _overrides, _render_plan, _reparse

logger = logging.getLogger(__name__)


def _offered(an: _Analysis, *, keep_role_order: bool = True) -> dict[str, bool]:
    """Which actions change the text at all."""
    doc = an.doc
    reorder = False
    for block in ([] if keep_role_order else doc.blocks):
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


def _describe(action: str, an: _Analysis) -> tuple[str, str]:
    doc = an.doc
    if action == "emphasise_skills":
        label = f"Lead your summary and skills with {_names(an.lead)}"
        detail = (f"Adds the line “{_lead_line(an.lead)}” at the top of your summary and lists "
                  "these skills first in your skills section, in your own wording.")
        return label, detail
    if action == "reorder_experience":
        n_roles = sum(1 for e in doc.entries() if [b.start for b in sorted(
            e.bullets, key=lambda b: -an.bullet_score.get(b.start, 0.0))]
            != [b.start for b in e.bullets])
        label = "Put the bullets that name the job's skills first in each role"
        detail = (f"Reorders bullets within {n_roles} role{'s' if n_roles != 1 else ''}; your "
                  "roles stay in their order and every bullet is kept.")
        return label, detail
    if action == "add_keywords":
        pairs = [f"{cv} ({job})" for cv, job in an.keyword_terms]
        label = f"Use the job's wording for skills you have: {_names(pairs)}"
        detail = ("Adds the job's term next to your own wording, only for skills your CV "
                  f"already shows: {', '.join(pairs)}.")
        return label, detail
    if action == "quantify_bullets":
        n = len(an.quantify)
        label = f"Flag {n} bullet{'s' if n != 1 else ''} without numbers to quantify yourself"
        shown = "; ".join(f"“{_short(b.text)}”" for b in an.quantify[:3])
        detail = (f"Lists bullets with no measurable result ({shown}{'…' if n > 3 else ''}). "
                  "jobfit never invents numbers: add ones you can back up. Your CV text is "
                  "not changed.")
        return label, detail
    nb = len(an.drop_bullets)
    skills = _dropped_skill_names(an)
    parts = []
    if nb:
        parts.append(f"{nb} bullet{'s' if nb != 1 else ''}")
    if skills:
        parts.append(f"{len(skills)} skill{'s' if len(skills) != 1 else ''}")
    label = f"Drop {' and '.join(parts)} unrelated to this job (only if you choose it)"
    dropped = [f"“{_short(b.text, 70)}”" for e in doc.entries() for b in e.bullets
               if b.start in an.drop_bullets]
    detail = "Removes content with no link to the job's skills or wording"
    if dropped:
        detail += f": {'; '.join(dropped)}"
    if skills:
        detail += f"{'; ' if dropped else ': '}skills {', '.join(skills)}"
    detail += (". Bullets with a measured result are kept, and every role keeps at least one. "
               "Never part of “all”.")
    return label, detail


def _dropped_skill_names(an: _Analysis) -> list[str]:
    names = own_words(an.doc.parsed)
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
    scores: ProfileScores | None = None,
    evidence: bool = False,
) -> list[TailoringOption]:
    """The options that change how this CV reads for this job, each with its measured effect.

    Each option alone is rendered, parsed again and measured (:mod:`tools.tailoring.effect`):
    the ATS keyword match, required skills shown in a role with a result, the ATS-profile and
    balanced scores (``scores``: by profile name, default the engine without text vectors).
    An option that moves none of them is not offered. ``impact`` is the change of ``score``
    (the match score the user sees). ``gaps`` (optional) puts the bullets it found weakly
    worded first in the quantify option.

    With ``evidence``, then one request per required skill the CV mentions but does not show
    in a role with a result (action ``show_in_role``, never a default): only the user's own
    sentence can show it (``tailor_cv(additions=...)``), so its effect is measured once they
    give one.
    """
    t0 = time.perf_counter()
    score_fn = score or _default_score(job)
    doc = _build_doc(profile, None)
    an = _analyse(doc, job, gaps)
    options: list[TailoringOption] = []
    for action, (effect, impact) in measure_options(profile, doc, an, score_fn,
                                                    scores or default_scores(job)).items():
        label, detail = _describe(action, an)
        default = action != "drop_irrelevant"
        options.append(TailoringOption(id=action, label=label, impact=impact, action=action,
                                       detail=detail, default=default, effect=effect,
                                       measured=effect.summary()))
    for req in evidence_requests(doc.parsed, job) if evidence else []:
        options.append(TailoringOption(
            id=f"{EVIDENCE_ACTION}:{req.skill_id}", label=request_label(req), impact=0,
            action=EVIDENCE_ACTION, detail=request_detail(req), default=False,
            prompt=request_prompt(req)))
    logger.debug("tailoring options: %d offered in %.0f ms", len(options),
                 (time.perf_counter() - t0) * 1000)
    return options


def measure_options(profile: CandidateProfile, doc: _Doc, an: _Analysis, score_fn: ScoreFn,
                    scores: ProfileScores) -> dict[str, tuple[TailoringEffect, int]]:
    """Each action that moves a measure (none for the worse), alone: its effect and its change
    of ``score_fn``."""
    job = an.job
    overrides = _overrides(profile, doc.parsed)
    terms = posting_terms(job)
    before = score_fn(profile).score
    reading = read_cv(profile, job, scores, terms)
    # rendering alone (no option) may read slightly differently: an option is credited only
    # with what it changes beyond that
    neutral = read_cv(_reparse(_render_plan(doc, an, []), overrides, None), job, scores, terms)
    out: dict[str, tuple[TailoringEffect, int]] = {}
    offered = _offered(an)
    for action in ACTIONS:
        if not offered[action]:
            continue
        reparsed = _reparse(_render_plan(doc, an, [action]), overrides, None)
        after = read_cv(reparsed, job, scores, terms)
        effect = TailoringEffect(before=reading, after=after)
        # offered when it moves a measure and makes none worse (dropping a bullet that holds
        # one of the posting's terms is not offered)
        if (effect.changed and TailoringEffect(before=neutral, after=after).changed
                and _better(effect)):
            out[action] = (effect, score_fn(reparsed).score - before)
    return out


def _better(effect: TailoringEffect) -> bool:
    """No measure gets worse."""
    b, a = effect.before, effect.after
    return (len(a.keywords_found) >= len(b.keywords_found)
            and len(a.required_shown) >= len(b.required_shown)
            and a.ats >= b.ats and a.balanced >= b.balanced)
