"""Golden score breakdowns: every fixture CV against every fixture job.

The golden file holds, per pair, the overall score, grade, sub-scores, unknown factors and the
top gaps with their impact. Semantic similarity is left out here (no embedder, so the factor is
unknown) to keep the file independent of floating-point details of the ONNX runtime; the
embedder is tested on its own. Regenerate with ``JOBFIT_UPDATE_GOLDEN=1`` and review the diff.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tests.integration.test_golden_parsing import CVS, GOLDEN, JOBS, TODAY
from tools.gaps import find_gaps
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.scoring import score_match

UPDATE = os.environ.get("JOBFIT_UPDATE_GOLDEN") == "1"
GOLDEN_FILE = GOLDEN / "scores.json"


def _job(path: Path) -> Any:
    if path.suffix == ".json":
        return parse_job(json.loads(path.read_text(encoding="utf-8")), today=TODAY)
    return parse_job(path.read_text(encoding="utf-8"), today=TODAY)


def _breakdowns() -> dict[str, Any]:
    out: dict[str, Any] = {}
    jobs = {p.stem: _job(p) for p in JOBS}
    for cv_path in CVS:
        profile = parse_cv(cv_path.read_text(encoding="utf-8"), today=TODAY)
        for name, job in jobs.items():
            result = score_match(profile, job)
            report = find_gaps(profile, job, result=result)
            out[f"{cv_path.stem} × {name}"] = {
                "score": result.score,
                "grade": result.grade,
                "breakdown": result.breakdown(),
                "unknown": result.unknown_factors,
                "missing_required": result.missing_required,
                "top_gaps": [[g.type, g.target, g.impact] for g in report.gaps[:3]],
            }
    return out


def test_golden_score_breakdowns() -> None:
    got = _breakdowns()
    if UPDATE:
        GOLDEN_FILE.write_text(json.dumps(got, indent=1, ensure_ascii=False) + "\n",
                               encoding="utf-8")
    assert GOLDEN_FILE.exists(), "missing golden scores.json; run with JOBFIT_UPDATE_GOLDEN=1"
    want = json.loads(GOLDEN_FILE.read_text(encoding="utf-8"))
    assert got == want


def test_each_cv_scores_best_on_its_own_kind_of_job() -> None:
    """Sanity of the whole pipeline: the nurse fits the nurse job best, and so on."""
    pairs = {
        "registered_nurse": "registered_nurse_icu",
        "senior_backend_engineer": "backend_engineer_sections",
        "marketing_manager_caps": "marketing_manager_hybrid",
    }
    got = _breakdowns()
    for cv, job in pairs.items():
        scores = {k.split(" × ")[1]: v["score"] for k, v in got.items()
                  if k.startswith(cv + " × ")}
        assert max(scores, key=lambda j: scores[j]) == job, (cv, scores)
