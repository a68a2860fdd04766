"""The store commands as a user runs them: import, stats, index check, match, search, expire."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "store" / "samples"
JOBFIT = str(Path(sys.executable).with_name("jobfit"))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("jobfit-data")


def run(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "JOBFIT_DATA_DIR": str(data_dir)}
    env.pop("DATABASE_URL", None)
    env.pop("CHROMA_HOST", None)
    return subprocess.run([JOBFIT, *args], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=600)


@pytest.fixture(scope="module")
def imported(data_dir: Path) -> dict[str, object]:
    out = run(data_dir, "import", str(SAMPLES / "jobs.json"), "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def test_import_summary_contract(imported: dict[str, object], data_dir: Path) -> None:
    assert set(imported) == {"batch_id", "total", "new", "updated", "unchanged", "failed",
                             "errors"}
    assert imported["total"] == imported["new"] == 320
    again = json.loads(run(data_dir, "import", str(SAMPLES / "jobs.json"), "--json").stdout)
    assert again["unchanged"] == 320 and again["new"] == 0
    assert again["batch_id"] != imported["batch_id"]


def test_stats_and_index_check(imported: dict[str, object], data_dir: Path) -> None:
    stats = json.loads(run(data_dir, "jobs", "stats", "--json").stdout)
    assert stats["active"] == 320 and stats["expired"] == 0
    assert stats["by_source"] == {"sample": 320}
    check = json.loads(run(data_dir, "index", "check", "--json").stdout)
    assert check == {"indexed": 320, "missing": [], "stale": []}


def test_match_contract_and_exhaustive_agreement(imported: dict[str, object],
                                                 data_dir: Path) -> None:
    cv = str(SAMPLES / "cvs" / "registered_nurse.txt")
    out = run(data_dir, "match", cv, "--top", "5", "--min-score", "40", "--json")
    assert out.returncode == 0, out.stderr
    results = json.loads(out.stdout)["results"]
    assert results and len(results) <= 5
    for r in results:
        assert set(r) == {"job_id", "title", "company", "score", "grade", "breakdown"}
        assert r["job_id"].startswith("sample-") and r["score"] >= 40
    assert "nurse" in results[0]["title"].lower() or "rn" in results[0]["title"].lower()
    scores = [r["score"] for r in results]
    assert scores == sorted(scores, reverse=True)
    full = json.loads(run(data_dir, "match", cv, "--top", "5", "--min-score", "40",
                          "--exhaustive", "--json").stdout)["results"]
    assert [r["job_id"] for r in full][:3] == [r["job_id"] for r in results][:3]
    table = run(data_dir, "match", cv, "--top", "3")
    assert table.returncode == 0 and "skills" in table.stdout


def test_search_filters(imported: dict[str, object], data_dir: Path) -> None:
    out = run(data_dir, "jobs", "search", "python backend", "--remote", "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["results"]
    assert rows and all(r["remote"] == "remote" for r in rows)


def test_bad_import_input(data_dir: Path, tmp_path: Path) -> None:
    bad = tmp_path / "jobs.json"
    bad.write_text("[{not json")
    out = run(data_dir, "import", str(bad), "--json")
    # nothing imported and rows failed: the summary is printed, then exit 1 with one line
    assert out.returncode == 1, out.stderr
    assert out.stderr.startswith("jobfit: error: nothing imported")
    summary = json.loads(out.stdout)
    assert summary["failed"] >= 1 and "JSON" in summary["errors"][0]["reason"]
    missing = run(data_dir, "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.startswith("jobfit: error:")


def test_expire_and_cache_clean(imported: dict[str, object], data_dir: Path) -> None:
    out = run(data_dir, "jobs", "expire")
    assert out.returncode == 0 and "expired" in out.stdout
    assert run(data_dir, "cache", "clean").returncode == 0


def test_match_strict_location(imported: dict[str, object], data_dir: Path) -> None:
    cv = str(SAMPLES / "cvs" / "registered_nurse.txt")
    loose = json.loads(run(data_dir, "match", cv, "--min-score", "0", "--top", "400",
                           "--json").stdout)["results"]
    strict = json.loads(run(data_dir, "match", cv, "--min-score", "0", "--top", "400",
                            "--strict", "location", "--json").stdout)["results"]
    assert len(strict) < len(loose)
    assert all(r["breakdown"]["location"] is None or r["breakdown"]["location"] >= 45
               for r in strict)
