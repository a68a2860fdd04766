"""Passing the summary and the most relevant bullets through a rewriter, keeping only lines
that add nothing the CV does not hold."""

from __future__ import annotations

import logging
import re

from tools.parsing.cv import BULLET_RE
from tools.tailoring.analysis import _Analysis
from tools.tailoring.document import _Doc
from tools.tailoring.invention import _line_violations, _local_violations, _Reference
from tools.tailoring.models import MAX_REWRITTEN_BULLETS, Rewriter, Violation
from tools.tailoring.render import _annotated, _lead_line, _Plan

logger = logging.getLogger(__name__)


def _rewrite(doc: _Doc, an: _Analysis, plan: _Plan, rewriter: Rewriter, ref: _Reference,
             notes: list[str]) -> list[Violation]:
    """Pass the summary and the most relevant bullets through the rewriter; keep only lines
    that add nothing the CV does not hold."""
    job_title = an.job.title or ""
    keywords = list(dict.fromkeys([*an.lead, *(w for _, w in an.keyword_terms)]))
    violations: list[Violation] = []
    failed = 0

    def ask(section: str, text: str) -> str | None:
        nonlocal failed
        try:
            new = rewriter.rewrite(section=section, text=text, job_title=job_title,
                                   keywords=keywords)
        except Exception as exc:  # an adapter's failure must not lose the deterministic result
            # the type only: an adapter's message may quote the CV
            logger.warning("rewriter failed for a %s: %s", section, type(exc).__name__)
            failed += 1
            return None
        new = " ".join(BULLET_RE.sub("", str(new or "")).split())
        new = re.sub(r"^[#>|\s]+", "", new)  # no Markdown headings or quotes
        return new or None

    def accept(new: str, current: str, origin: str) -> bool:
        found = _line_violations(ref, new) + _local_violations(origin, new)
        uniq: dict[tuple[str, str], Violation] = {}
        for v in found:
            uniq.setdefault((v.kind, v.term.lower()), v)
        for v in uniq.values():
            violations.append(v.model_copy(update={"line": new, "reverted_to": current}))
        return not uniq

    summary = doc.summary()
    if summary is not None:
        lead = _lead_line(plan.lead) if plan.lead else None
        current = " ".join(x for x in (lead, _annotated(summary.text, summary.start, plan)
                                       if len(summary.lines) == 1 else summary.text) if x)
        new = ask("summary", current)
        if new is not None and new != current and accept(new, current, summary.text):
            plan.summary_text = new
    bullets = [b for e in doc.entries() for b in e.bullets if b.start not in plan.drop_bullets]
    bullets.sort(key=lambda b: -an.bullet_score.get(b.start, 0.0))
    for b in bullets[:MAX_REWRITTEN_BULLETS]:
        current = BULLET_RE.sub("", _annotated(b.raw, b.start, plan)).strip()
        new = ask("bullet", current)
        if new is not None and new != current and accept(new, current, b.text):
            plan.bullet_text[b.start] = new
    if violations:
        n = len({v.line for v in violations})
        notes.append(f"{n} rewritten line{'s' if n != 1 else ''} added facts that are not in "
                     f"your CV and {'were' if n != 1 else 'was'} put back as written.")
    if failed:
        notes.append("The rewriter failed on some lines; they are kept as written.")
    return violations
