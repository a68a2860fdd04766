"""Web chat pieces of the recruiter side: the comparison card's props, the pool upload.

The card (``public/elements/CandidateCompare.jsx``) is built only from a
``candidate_comparison`` tool result, which is blind by construction (anonymous labels, evidence
from the CVs' neutral texts); a candidate's name appears only once the recruiter opened them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ui.web import FACTORS, band

#: Uploaded file types that go to the candidate pool when several are dropped at once.
POOL_SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".zip"}


def candidate_compare_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of CandidateCompare.jsx from a ``candidate_comparison`` result."""
    cands = list(result.get("candidates") or [])
    total = max((len(c.get("must_met") or []) + len(c.get("must_missing") or [])
                 for c in cands), default=0)
    return {
        "title": result.get("job_title") or "this job",
        "blind": bool(result.get("blind", True)),
        "markdown": str(result.get("markdown") or ""),
        "csv": str(result.get("csv") or ""),
        "factors": [{"key": k, "label": label} for k, label in FACTORS],
        "candidates": [{
            "label": c.get("label"), "rank": c.get("rank"), "score": c.get("score"),
            "grade": c.get("grade"), "band": band(c.get("score")),
            "confidence": None if c.get("confidence") is None
            else int(round(float(c["confidence"]) * 100)),
            "factors": {k: (c.get("factors") or {}).get(k) for k, _ in FACTORS},
            "bands": {k: band((c.get("factors") or {}).get(k)) for k, _ in FACTORS},
            "must_met": len(c.get("must_met") or []), "must_total": total,
            "missing": list(c.get("must_missing") or []),
            "years": c.get("years"), "years_from": c.get("years_from") or "",
            "evidence": list(c.get("evidence") or [])[:5],
            "strongest": c.get("strongest") or "", "gap": c.get("biggest_gap") or "",
        } for c in cands],
    }


def candidate_list_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of CandidateList.jsx from a ``candidate_ranking`` result (decisions need a stored
    job: a pasted posting's rows get Open only)."""
    job = dict(result.get("job") or {})
    job_id = str(job.get("job_id") or "")
    verbs = {"shortlisted": "shortlist", "rejected": "reject", "interview": "interview"}
    return {
        "title": job.get("title") or "this job",
        "job_ref": job_id if job_id and job_id != "0" else None,
        "pool_size": result.get("pool_size"),
        "blind": bool(result.get("blind", True)),
        "candidates": [{
            "cv_id": c.get("cv_id"), "label": c.get("label"), "rank": c.get("rank"),
            "score": c.get("score"), "grade": c.get("grade"), "band": band(c.get("score")),
            "confidence": None if c.get("confidence") is None
            else int(round(float(c["confidence"]) * 100)),
            "strongest": c.get("strongest") or "", "gap": c.get("biggest_gap") or "",
            "must": f"{len(c.get('must_met') or [])}/"
                    f"{len(c.get('must_met') or []) + len(c.get('must_missing') or [])}",
            "tie": c.get("tie") or "",
            "status": verbs.get(str(c.get("status") or ""), ""),
        } for c in result.get("candidates") or []],
    }


def wants_pool(names: list[str]) -> bool:
    """Several CV files (or a ZIP) dropped at once make a candidate pool, not "my CV"."""
    from pathlib import Path

    suffixes = [Path(n).suffix.lower() for n in names]
    cv_like = [s for s in suffixes if s in POOL_SUFFIXES]
    return ".zip" in suffixes or (len(cv_like) >= 2 and len(cv_like) == len(suffixes))
