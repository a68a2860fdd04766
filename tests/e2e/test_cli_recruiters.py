"""`jobfit rank-candidates`, `compare-candidates` and `pool` as subprocesses: the public JSON
contract, broken files, blind screening in the report and the exports."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
JOBFIT = str(Path(sys.executable).with_name("jobfit"))
FACTORS = {"skills", "experience", "location", "salary", "semantic"}
JOB = FIXTURES / "jobs" / "backend_engineer_sections.txt"
NAMES = ("Daniel Okafor", "Maria Gonzalez", "Olivia Bergstrom", "Sam Whitfield", "Priya Raman",
         "Tomasz Nowak")


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([JOBFIT, *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=300, env={**os.environ, **(env or {})})


@functools.cache
def backend_score() -> int:
    """What `jobfit score` gives the fixture backend CV for JOB (the pool's best candidate)."""
    single = run("score", "--cv", str(FIXTURES / "cvs" / "senior_backend_engineer.txt"),
                 "--job", str(JOB), "--json")
    assert single.returncode == 0, single.stderr
    return int(json.loads(single.stdout)["result"]["score"])


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cvs")
    for p in sorted((FIXTURES / "cvs").glob("*.txt")):
        shutil.copy(p, out / p.name)
    shutil.copy(FIXTURES / "cvs" / "registered_nurse.txt", out / "zz_nurse_copy.txt")
    (out / "corrupt.pdf").write_bytes(b"%PDF-1.4 not really")
    (out / "empty.txt").write_text("")
    (out / "picture.jpg").write_bytes(b"\xff\xd8\xff")
    return out


def test_rank_candidates_json_contract(folder: Path) -> None:
    out = run("rank-candidates", "--job", str(JOB), "--cvs", str(folder), "--top", "4", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) == {"results"} and len(data["results"]) == 4
    for row in data["results"]:
        assert set(row) == {"cv_id", "score", "grade", "breakdown"}
        assert isinstance(row["score"], int) and 0 <= row["score"] <= 100
        assert set(row["breakdown"]) == FACTORS and row["cv_id"].startswith("C-")
    scores = [r["score"] for r in data["results"]]
    assert scores == sorted(scores, reverse=True)
    # the fixture backend CV is first and scores what `jobfit score` gives it (same engine;
    # its blind text scores as its text as written)
    assert data["results"][0]["score"] == backend_score() > 70
    for name in ("corrupt.pdf", "empty.txt", "picture.jpg", "zz_nurse_copy.txt"):
        assert f"warning: {name}:" in out.stderr
    assert "same CV as registered_nurse.txt" in out.stderr
    for name in NAMES:
        assert name not in out.stdout and name not in out.stderr


def test_rank_candidates_jsonl_keeps_ids_and_zip_works(tmp_path: Path, folder: Path) -> None:
    cvs = tmp_path / "cvs.jsonl"
    texts = [p.read_text() for p in sorted((FIXTURES / "cvs").glob("*.txt"))]
    cvs.write_text("".join(json.dumps({"id": f"r{i}", "text": t}) + "\n"
                           for i, t in enumerate(texts)))
    out = run("rank-candidates", "--job", str(JOB), "--cvs", str(cvs), "--json")
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["results"]
    assert sorted(r["cv_id"] for r in rows) == sorted(f"r{i}" for i in range(len(texts)))
    archive = tmp_path / "cvs.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i, t in enumerate(texts):
            zf.writestr(f"cv{i}.txt", t)
        zf.writestr("../evil.txt", texts[0])
    out_zip = run("rank-candidates", "--job", str(JOB), "--cvs", str(archive), "--json")
    assert out_zip.returncode == 0, out_zip.stderr
    assert [r["score"] for r in json.loads(out_zip.stdout)["results"]] == [
        r["score"] for r in rows]
    assert "../evil.txt: ../evil.txt: unsafe path" in out_zip.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\nnot json\n')
    out_bad = run("rank-candidates", "--job", str(JOB), "--cvs", str(bad), "--json")
    assert out_bad.returncode == 2 and "bad.jsonl:2: invalid JSON" in out_bad.stderr


def test_rank_candidates_report_is_blind_unless_revealed(folder: Path) -> None:
    out = run("rank-candidates", "--job", str(JOB), "--cvs", str(folder), "--top", "3",
              env={"COLUMNS": "200"})
    assert out.returncode == 0, out.stderr
    assert "Candidates for Senior Backend Engineer" in out.stdout
    assert "C-" in out.stdout and "Blind screening" in out.stdout
    assert "3 file(s) not ranked" in out.stdout or "4 file(s) not ranked" in out.stdout
    for name in NAMES:
        assert name not in out.stdout
    assert "senior_backend_engineer.txt" not in out.stdout
    shown = run("rank-candidates", "--job", str(JOB), "--cvs", str(folder), "--top", "3",
                "--reveal", env={"COLUMNS": "200"})
    assert "Daniel Okafor" in shown.stdout


def test_compare_candidates_markdown_and_csv_are_blind(folder: Path) -> None:
    md = run("compare-candidates", "--job", str(JOB), "--cvs", str(folder))
    assert md.returncode == 0, md.stderr
    assert md.stdout.count("| experience |") == 1 and "must-haves met" in md.stdout
    csv_out = run("compare-candidates", "--job", str(JOB), "--cvs", str(folder), "--ids",
                  "1,2", "--format", "csv")
    assert csv_out.returncode == 0, csv_out.stderr
    lines = csv_out.stdout.splitlines()
    assert lines[0].startswith("candidate,rank,score") and len(lines) == 3
    for text in (md.stdout, csv_out.stdout):
        for name in NAMES:
            assert name not in text
        assert "@example" not in text
    one = run("compare-candidates", "--job", str(JOB), "--cvs", str(folder), "--ids", "1")
    assert one.returncode == 2 and "2 to 5" in one.stderr


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"junk")
    out = run("rank-candidates", "--job", str(JOB), "--cvs", str(tmp_path), "--json")
    assert out.returncode == 1 and "no CV could be read" in out.stderr
    missing = run("rank-candidates", "--job", str(tmp_path / "nope.txt"), "--cvs",
                  str(tmp_path))
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_pool_commands(tmp_path: Path, folder: Path) -> None:
    env = {"JOBFIT_DATA_DIR": str(tmp_path / "data")}
    added = run("pool", "add", "--user", "rita", str(folder), "--json", env=env)
    assert added.returncode == 0, added.stderr
    summary = json.loads(added.stdout)
    assert summary["added"] == 6 and summary["duplicates"] == 1 and summary["failed"] == 3
    listed = run("pool", "list", "--user", "rita", "--json", env=env)
    labels = [c["label"] for c in json.loads(listed.stdout)["candidates"]]
    assert len(labels) == 6 and all(x.startswith("C-") for x in labels)
    other = run("pool", "list", "--user", "sam", "--json", env=env)
    assert json.loads(other.stdout)["candidates"] == []
    ranked = run("pool", "rank", "--user", "rita", "--job", str(JOB), "--json", env=env)
    assert ranked.returncode == 0, ranked.stderr
    top = json.loads(ranked.stdout)["candidates"][0]
    assert top["score"] == backend_score() and top["label"].startswith("C-")
    opened = run("pool", "open", "--user", "rita", top["cv_id"], env=env)
    assert "Daniel Okafor" in opened.stdout
    assert run("pool", "open", "--user", "sam", top["cv_id"], env=env).returncode == 2
    decided = run("pool", "decide", "--user", "rita", "--job", str(JOB), top["cv_id"],
                  "shortlist", "--note", "call Monday", env=env)
    assert decided.returncode == 0, decided.stderr
    assert "shortlisted (call Monday)" in decided.stdout
    listed = run("pool", "decisions", "--user", "rita", "--job", str(JOB), "--json", env=env)
    assert json.loads(listed.stdout)["decisions"] == [
        {"label": top["cv_id"], "status": "shortlisted", "note": "call Monday",
         "job": json.loads(listed.stdout)["decisions"][0]["job"]}]
    assert json.loads(run("pool", "decisions", "--user", "sam", "--json",
                          env=env).stdout)["decisions"] == []
    removed = run("pool", "remove", "--user", "rita", top["cv_id"], env=env)
    assert removed.returncode == 0 and "5 candidates left" in removed.stdout


def test_rank_candidates_for_a_job_in_the_store(tmp_path: Path, folder: Path) -> None:
    env = {"JOBFIT_DATA_DIR": str(tmp_path / "data")}
    jobs = json.loads((ROOT / "store" / "samples" / "jobs.json").read_text())
    backend = [j for j in jobs if j["title"] == "Sr. Software Engineer, Backend"][:1]
    (tmp_path / "jobs.json").write_text(json.dumps(jobs[:2] + backend))
    imported = run("import", str(tmp_path / "jobs.json"), "--json", env=env)
    assert imported.returncode == 0, imported.stderr
    out = run("rank-candidates", "--job", str(backend[0]["external_id"]), "--cvs", str(folder),
              "--top", "2", "--json", env=env)
    assert out.returncode == 0, out.stderr
    rows = json.loads(out.stdout)["results"]
    assert len(rows) == 2 and rows[0]["score"] >= rows[1]["score"]
    missing = run("rank-candidates", "--job", "no-such-job", "--cvs", str(folder), env=env)
    assert missing.returncode == 2 and "No job 'no-such-job'" in missing.stderr
