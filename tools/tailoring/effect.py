"""What a tailoring changes that matters to how a CV is read, before → after.

Four measures, all deterministic and computed on the CV text as a reader (or an ATS) sees it:

* **ATS keyword match rate**: the posting's own terms (its skill requirements and key terms,
  exactly as the posting writes them) that the CV text contains as written — what keyword
  scanners such as Jobscan report.
* **Required skills shown in a role with a result**: required skills the CV names in an
  experience bullet that carries a measurable result, against those it mentions anywhere.
* **ATS-profile score** and **balanced score**: the engine's ``ats`` and ``balanced`` profiles
  (:mod:`tools.scoring`).

An option whose effect changes none of them is not offered.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from tools.factors import bullet_quality
from tools.gaps import is_currency_code
from tools.preparation import mentions, prepare_job, prepare_profile
from tools.schemas import CandidateProfile, JobPosting, MatchResult, Model
from tools.scoring import score_match
from tools.skills import extract_skills

#: Score functions by engine profile name ("ats", "balanced").
ProfileScores = Mapping[str, Callable[[CandidateProfile], MatchResult]]

#: The engine profiles reported before → after.
PROFILES = ("ats", "balanced")


class Reading(Model):
    """How one version of the CV reads against the job."""

    keywords_found: list[str]  # the posting's terms the CV contains as written
    keywords_total: int
    required_mentioned: list[str]  # required skills (canonical names) the CV mentions
    required_shown: list[str]  # … of which named in a bullet with a measurable result
    ats: int
    balanced: int


class TailoringEffect(Model):
    """Before → after of the four measures, for one option or a tailored CV."""

    before: Reading
    after: Reading

    @property
    def changed(self) -> bool:
        b, a = self.before, self.after
        return (len(b.keywords_found) != len(a.keywords_found)
                or len(b.required_shown) != len(a.required_shown)
                or b.ats != a.ats or b.balanced != a.balanced)

    @property
    def keywords_added(self) -> list[str]:
        return [k for k in self.after.keywords_found if k not in self.before.keywords_found]

    def lines(self) -> list[str]:
        """One line per measure, ``before → after`` (unchanged measures included, so the
        reader sees what did not move)."""
        b, a = self.before, self.after
        out = []
        if b.keywords_total:
            out.append(f"ATS keyword match: {_rate(len(b.keywords_found), b.keywords_total)} → "
                       f"{_rate(len(a.keywords_found), a.keywords_total)}")
        if b.required_mentioned or a.required_mentioned:
            out.append("Required skills shown in a role with a result: "
                       f"{len(b.required_shown)}/{len(b.required_mentioned)} → "
                       f"{len(a.required_shown)}/{len(a.required_mentioned)}")
        out.append(f"ATS-profile score: {b.ats} → {a.ats}")
        out.append(f"Balanced score: {b.balanced} → {a.balanced}")
        return out

    def summary(self) -> str:
        """The measures that moved, in one sentence ("" when none did)."""
        b, a = self.before, self.after
        parts = []
        if len(b.keywords_found) != len(a.keywords_found):
            parts.append(f"ATS keyword match {_rate(len(b.keywords_found), b.keywords_total)} → "
                         f"{_rate(len(a.keywords_found), a.keywords_total)}")
        if len(b.required_shown) != len(a.required_shown):
            parts.append(f"required skills shown in a role with a result "
                         f"{len(b.required_shown)} → {len(a.required_shown)}")
        if b.ats != a.ats:
            parts.append(f"ATS-profile score {b.ats} → {a.ats}")
        if b.balanced != a.balanced:
            parts.append(f"balanced score {b.balanced} → {a.balanced}")
        return "; ".join(parts)


def _rate(found: int, total: int) -> str:
    return f"{found}/{total} ({round(100 * found / total)}%)" if total else "0/0"


def posting_terms(job: JobPosting) -> list[str]:
    """The posting's own terms, as it writes them: the text of each skill requirement, then its
    key terms, each once (case-insensitive) and only when the posting's text contains it."""
    text = job.text or job.description or ""
    out: dict[str, str] = {}

    def add(term: str) -> None:
        term = " ".join(term.split()).strip(" .,;:")
        if not term or term.lower() in out:
            return
        m = re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text, re.IGNORECASE)
        if m is not None:
            out[term.lower()] = m.group(0)

    pj = prepare_job(job)
    for js in pj.required + pj.preferred:
        add(js.span.text if js.span is not None and js.span.text else js.name)
    for kw in job.keywords:
        if not is_currency_code(kw):  # "ils" from a salary line is not a term to cover
            add(kw)
    return list(out.values())


def default_scores(job: JobPosting) -> dict[str, Callable[[CandidateProfile], MatchResult]]:
    """The engine's ``ats`` and ``balanced`` profiles without text vectors (a caller with an
    embedder passes its own, see :func:`read_cv`)."""

    def scorer(name: str) -> Callable[[CandidateProfile], MatchResult]:
        def score(profile: CandidateProfile) -> MatchResult:
            return score_match(prepare_profile(profile), job, profile_name=name)  # type: ignore[arg-type]

        return score

    return {name: scorer(name) for name in PROFILES}


def read_cv(profile: CandidateProfile, job: JobPosting, scores: ProfileScores,
            terms: list[str] | None = None) -> Reading:
    """The four measures for one version of the CV (``profile`` parsed from its text)."""
    terms = posting_terms(job) if terms is None else terms
    prep = prepare_profile(profile)
    found = [t for t in terms if mentions(prep, t)]
    pj = prepare_job(job)
    have = {s.skill_id for s in profile.skills}
    shown_ids: set[str] = set()
    for e in profile.experience:
        for b in e.bullets:
            if bullet_quality(b)[0]:
                shown_ids |= {m.skill_id for m in extract_skills(b, role_names=True)}
    required = [js for js in pj.required if js.skill_id in have]
    return Reading(
        keywords_found=found, keywords_total=len(terms),
        required_mentioned=[js.name for js in required],
        required_shown=[js.name for js in required if js.skill_id in shown_ids],
        ats=scores["ats"](profile).score, balanced=scores["balanced"](profile).score,
    )
