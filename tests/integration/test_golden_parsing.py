"""Golden files for the parsed CV and job fixtures.

Each fixture in tests/fixtures/cvs (.txt) and tests/fixtures/jobs (.txt / .json) is parsed and
compared with tests/fixtures/golden/<cv|job>__<name>.json (``model_dump(mode="json")`` minus the
``text`` field). Regenerate with ``JOBFIT_UPDATE_GOLDEN=1 pytest tests/integration`` and review
every diff by eye: goldens must be *correct*, not merely what the parser printed.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
GOLDEN = FIXTURES / "golden"
TODAY = date(2025, 6, 1)  # fixed, so "– Present" ranges do not drift
UPDATE = os.environ.get("JOBFIT_UPDATE_GOLDEN") == "1"

CVS = sorted((FIXTURES / "cvs").glob("*.txt"))
JOBS = sorted(p for p in (FIXTURES / "jobs").iterdir() if p.suffix in (".txt", ".json"))


def _parse(path: Path) -> dict[str, Any]:
    if path.parent.name == "cvs":
        model: Any = parse_cv(path.read_text(encoding="utf-8"), today=TODAY)
    elif path.suffix == ".json":
        model = parse_job(json.loads(path.read_text(encoding="utf-8")), today=TODAY)
    else:
        model = parse_job(path.read_text(encoding="utf-8"), today=TODAY)
    return model.model_dump(mode="json", exclude={"text"})


def _golden_path(path: Path) -> Path:
    kind = "cv" if path.parent.name == "cvs" else "job"
    return GOLDEN / f"{kind}__{path.stem}.json"


def test_enough_fixtures() -> None:
    assert len(CVS) >= 6 and len(JOBS) >= 6


@pytest.mark.parametrize("path", CVS + JOBS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_golden(path: Path) -> None:
    got = _parse(path)
    golden = _golden_path(path)
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(got, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert golden.exists(), f"missing golden {golden.name}; run with JOBFIT_UPDATE_GOLDEN=1"
    assert got == json.loads(golden.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", CVS + JOBS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_parse_is_deterministic(path: Path) -> None:
    assert _parse(path) == _parse(path)
