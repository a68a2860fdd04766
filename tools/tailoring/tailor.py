"""Applying the chosen options: the tailored Markdown CV, re-scored, with violations and notes."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from datetime import date

from tools.errors import InvalidInputError
from tools.schemas import CandidateProfile, JobPosting
from tools.tailoring.analysis import _analyse, _Analysis
from tools.tailoring.document import _build_doc, _Doc
from tools.tailoring.effect import (
    ProfileScores,
    TailoringEffect,
    default_scores,
    posting_terms,
    read_cv,
)
from tools.tailoring.evidence import EVIDENCE_ACTION, Placed, check_additions, evidence_requests
from tools.tailoring.invention import _line_violations, _Reference, _reference, _strip_md
from tools.tailoring.models import (
    ACTIONS,
    ALL_ACTIONS,
    MAX_QUANTIFY_NOTES,
    Rewriter,
    ScoreFn,
    TailoredCV,
    Violation,
)
from tools.tailoring.options import _offered, _short, measure_options
from tools.tailoring.render import _markdown, _Out, _Plan, _plan, _render
from tools.tailoring.rescoring import _default_score, _faithful, _overrides, _reparse
from tools.tailoring.rewrite import _rewrite

logger = logging.getLogger(__name__)


def _expand(chosen: Sequence[str]) -> list[str]:
    if isinstance(chosen, str):
        chosen = [chosen]
    wanted: set[str] = set()
    for c in chosen:
        key = str(c).strip().lower()
        if key == "all":
            wanted |= set(ALL_ACTIONS)
        elif key in ACTIONS:
            wanted.add(key)
        elif key.split(":", 1)[0] == EVIDENCE_ACTION:
            continue  # needs the user's sentence (``additions``), see tailoring.evidence
        else:
            raise InvalidInputError(
                f"Unknown tailoring option “{_short(key, 40)}”. Choose from: "
                + ", ".join(ACTIONS) + " (or “all”).")
    return [a for a in ACTIONS if a in wanted]


def _picked(chosen: Sequence[str]) -> list[str]:
    return [str(c).strip().lower() for c in ([chosen] if isinstance(chosen, str) else chosen)]


def _all_chosen(chosen: Sequence[str]) -> bool:
    return "all" in _picked(chosen)


def named_only(chosen: Sequence[str]) -> set[str]:
    """Actions the user named themselves (besides "all")."""
    return {c for c in _picked(chosen) if c in ACTIONS}


def tailor_cv(
    profile: CandidateProfile,
    job: JobPosting,
    chosen: Sequence[str],
    *,
    rewriter: Rewriter | None = None,
    score: ScoreFn | None = None,
    scores: ProfileScores | None = None,
    today: date | None = None,
    keep_role_order: bool = True,
    additions: Sequence[str] = (),
) -> TailoredCV:
    """The CV tailored with the chosen options, as Markdown, re-scored against the job.

    Without a rewriter the changes are deterministic (order, a lead line of matched skills, the
    job's wording beside the CV's, drops). With one, the summary and the most relevant bullets
    are also rewritten through it; any rewritten line that adds a fact the CV does not hold is
    put back as it was and reported in ``violations``.

    "all" is every option except "drop_irrelevant": nothing is dropped unless chosen by name.
    Roles keep their order unless ``keep_role_order`` is False. ``effect`` reports the four
    measures before → after (``scores``: by engine profile, see :func:`tailoring_options`).

    ``additions``: the user's own lines, ``"<role or company>: <sentence>"``, each placed as the
    last bullet of the one role it names (checked by :func:`tools.tailoring.evidence.
    check_additions`: only skills the CV states or was asked to show; an unknown or ambiguous
    role is refused). They are the user's words, so the no-invention check accepts them; they
    are listed in ``added``.
    """
    t0 = time.perf_counter()
    actions = _expand(chosen)
    score_fn = score or _default_score(job)
    doc = _build_doc(profile, today)
    an = _analyse(doc, job)
    overrides = _overrides(profile, doc.parsed)
    offered = _offered(an, keep_role_order=keep_role_order)
    by_profile = scores or default_scores(job)
    if _all_chosen(chosen):
        # "all": the options that would be offered by default (a measured gain, nothing worse)
        gains = set(measure_options(profile, doc, an, score_fn, by_profile))
        offered = {a: offered[a] and (a in gains or a in named_only(chosen)) for a in offered}
    applied = [a for a in actions if offered[a]]
    plan = _plan(an, applied, keep_role_order=keep_role_order)
    notes: list[str] = []
    named = named_only(chosen)
    for a in actions:
        if not offered[a] and a in named:
            notes.append(f"“{a}” changes nothing for this CV and job.")
    if not additions:
        for c in _picked(chosen):
            if c.split(":", 1)[0] == EVIDENCE_ACTION:
                notes.append(f"“{c}” needs your own line: “<role or company>: <what you did and "
                             "what came of it>”.")
    violations: list[Violation] = []
    ref = _reference(doc.parsed.text, doc.parsed)
    placed: list[Placed] = []
    if additions:
        asked = [r.skill_id for r in evidence_requests(doc.parsed, job)]
        placed = check_additions(doc, ref, additions, asked)
        for p in placed:
            plan.added.setdefault(p.entry, []).append(p.addition.text)
            notes.append(_added_note(p))
    if rewriter is not None:
        violations += _rewrite(doc, an, plan, rewriter, ref, notes)
    markdown, net = _finish(doc, an, plan, ref)
    reparsed = _reparse(markdown, overrides, today)
    if (plan.summary_text is not None or plan.bullet_text) and not _faithful(reparsed,
                                                                            doc.parsed):
        plan.summary_text, plan.bullet_text = None, {}
        notes.append("The rewritten lines changed how your CV reads (its roles, dates or contact "
                     "details), so they were not used.")
        markdown, net = _finish(doc, an, plan, ref)
        reparsed = _reparse(markdown, overrides, today)
    if placed and not _faithful(reparsed, doc.parsed):
        raise InvalidInputError("Your line changes how your CV reads (it looks like a role's "
                                "title or dates): write it as one sentence about what you did.")
    if not _faithful(reparsed, doc.parsed):  # never expected: keep the CV as it was
        logger.warning("tailored CV did not keep the CV's roles; options not applied")
        notes.append("These options could not be applied safely to this CV's layout.")
        applied, plan = [], _Plan()
        markdown, net = _finish(doc, an, plan, ref)
        reparsed = _reparse(markdown, overrides, today)
    violations += net
    if applied:  # advice, whatever was chosen: jobfit never writes numbers itself
        for b in an.quantify[:MAX_QUANTIFY_NOTES]:
            if b.start in plan.drop_bullets:
                continue
            notes.append(f"Bullet “{_short(b.text)}” could be quantified: add a number you can "
                         "back up (time, money, %, volume).")
    before = score_fn(profile).score
    after = score_fn(reparsed).score
    terms = posting_terms(job)
    effect = TailoringEffect(before=read_cv(profile, job, by_profile, terms),
                             after=read_cv(reparsed, job, by_profile, terms))
    logger.debug("tailored CV: %d options, %d reverted, %.0f ms", len(applied),
                 len(violations), (time.perf_counter() - t0) * 1000)
    return TailoredCV(markdown=markdown, before=before, after=after, applied=applied,
                      violations=violations, notes=notes, effect=effect,
                      measured=effect.lines(), added=[p.addition for p in placed])


def _added_note(p: Placed) -> str:
    a = p.addition
    note = f"Added to {a.role}, in your words: “{_short(a.text, 90)}”."
    if not a.with_result:
        note += (" It has no measurable result, so it does not count as shown with a result: "
                 "add a number you can back up (time, money, %, volume).")
    return note


def _finish(doc: _Doc, an: _Analysis, plan: _Plan,
            ref: _Reference) -> tuple[str, list[Violation]]:
    """Render the plan; a line holding a fact the original does not is put back (a safety net:
    rewritten lines were checked already, deterministic ones add no facts)."""
    kept: list[_Out] = []
    found_all: list[Violation] = []
    for ln in _render(doc, an, plan):
        if ln.kind == "user":  # the user's own sentence, checked when it was placed
            kept.append(ln)
            continue
        same = ln.origin is not None and _strip_md(ln.md).strip() == _strip_md(ln.origin).strip()
        found = _line_violations(ref, ln.md) if ln.md.strip() and not same else []
        if not found:
            kept.append(ln)
            continue
        back = ln.origin
        found_all += [v.model_copy(update={"reverted_to": back}) for v in found]
        if back is not None:
            bullet = ln.kind in ("bullet", "rewritten") and ln.md.startswith("- ")
            kept.append(_Out(f"- {back}" if bullet else back, back, "text"))
    return _markdown(kept), found_all
