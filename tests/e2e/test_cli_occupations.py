"""`jobfit occupations` run as a subprocess: the public batch contract and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
JOBFIT = str(Path(sys.executable).with_name("jobfit"))


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([JOBFIT, *args], capture_output=True, text=True, input=stdin,
                          cwd=ROOT, timeout=300)


def test_occupations_contract(tmp_path: Path) -> None:
    f = tmp_path / "titles.jsonl"
    rows = [{"id": "a", "text": "Registered Nurse - ICU (Nights)"},
            {"id": "b", "text": "Senior Java Developer | Spring, AWS"},
            {"id": "c", "text": ""}]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows) + "\n")
    out = run("occupations", str(f), "--top", "3")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c"]
    assert lines[2]["occupations"] == []
    for line in lines[:2]:
        occs = line["occupations"]
        assert 1 <= len(occs) <= 3
        assert all(set(o) == {"esco_uri", "onet_soc", "title", "score"} for o in occs)
        assert all(o["esco_uri"].startswith("http://data.europa.eu/esco/") for o in occs)
        assert all(o["onet_soc"] is None or isinstance(o["onet_soc"], str) for o in occs)
        scores = [o["score"] for o in occs]
        assert scores == sorted(scores, reverse=True) and all(0 < s <= 1 for s in scores)
    assert "nurs" in lines[0]["occupations"][0]["title"].lower()


def test_occupations_default_top_and_stdin() -> None:
    out = run("occupations", "-", stdin=json.dumps({"id": "x", "text": "accountant"}) + "\n")
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert obj["id"] == "x" and len(obj["occupations"]) == 10
    assert obj["occupations"][0]["title"] == "accountant"


def test_occupations_bad_input(tmp_path: Path) -> None:
    f = tmp_path / "titles.jsonl"
    f.write_text('{"id": "a", "text": "nurse"}\n{not json}\n')
    out = run("occupations", str(f))
    assert out.returncode == 2
    assert f"{f}:2:" in out.stderr and out.stderr.startswith("jobfit: error:")
    assert "Traceback" not in out.stderr
    f.write_text('{"id": "a", "text": 3}\n')
    out = run("occupations", str(f))
    assert out.returncode == 2 and "'text'" in out.stderr
    out = run("occupations", str(tmp_path / "missing.jsonl"))
    assert out.returncode == 2 and "no such file" in out.stderr
