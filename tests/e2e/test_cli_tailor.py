"""`jobfit tailor` as a subprocess: the checklist asks for evidence; --add places your line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "tailoring"
JOBFIT = str(Path(sys.executable).with_name("jobfit"))
CV, JOB = str(FIXTURES / "evidence_cv.txt"), str(FIXTURES / "evidence_job.txt")
LINE = "Cut deploy time 40% by moving the billing services to Kubernetes"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([JOBFIT, "tailor", "--cv", CV, "--job", JOB, *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_lists_the_evidence_request() -> None:
    out = run("--json")
    assert out.returncode == 0, out.stderr
    ids = [o["id"] for o in json.loads(out.stdout)["options"]]
    assert "show_in_role:kubernetes" in ids
    text = run()  # as text: a line to add, not an option to pick
    assert text.returncode == 0, text.stderr
    assert ('--add "Backend Developer at Acme Corp: <what you did with Kubernetes and what came '
            'of it>"') in text.stdout
    assert "[show_in_role:kubernetes]" not in text.stdout


def test_add_places_the_line_and_reports_before_after() -> None:
    out = run("--add", f"Acme: {LINE}", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["added"][0]["role"] == "Backend Developer at Acme Corp"
    assert f"- {LINE}" in data["markdown"].split("\n")
    assert data["violations"] == []
    before, after = data["effect"]["before"], data["effect"]["after"]
    assert "Kubernetes" in after["required_shown"] and "Kubernetes" not in before["required_shown"]
    text = run("--add", f"Acme: {LINE}")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith(f"Score: {data['before']} → {data['after']}")
    assert "Required skills shown in a role with a result: 1/3 → 2/3" in text.stdout


def test_refuses_an_ambiguous_role() -> None:
    out = run("--add", f"Developer: {LINE}")
    assert out.returncode == 2
    assert "matches 2 roles" in out.stderr and out.stdout == ""
