"""The `jobfit` console script, run as a subprocess: public batch contracts and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SAMPLES = ROOT / "store" / "samples"
JOBFIT = str(Path(sys.executable).with_name("jobfit"))
FACTORS = {"skills", "experience", "location", "salary", "semantic"}


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([JOBFIT, *args], capture_output=True, text=True, input=stdin,
                          cwd=ROOT, timeout=300)


def first(pattern: str, folder: Path) -> Path:
    found = sorted(folder.glob(pattern))
    assert found, f"no {pattern} in {folder}"
    return found[0]


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    cvs = sorted((FIXTURES / "cvs").glob("*.txt"))
    jobs = sorted((FIXTURES / "jobs").glob("*.txt"))
    return {"cv0": cvs[0].read_text(), "cv1": cvs[1].read_text(),
            "job0": jobs[0].read_text(), "job1": jobs[1].read_text()}


def test_score_pairs_contract(tmp_path: Path, texts: dict[str, str]) -> None:
    pairs = tmp_path / "pairs.jsonl"
    rows = [{"id": "a", "cv": texts["cv0"], "job": texts["job0"]},
            {"id": "b", "cv": texts["cv1"], "job": texts["job1"]},
            {"id": "c", "cv": texts["cv0"], "job": texts["job0"]}]
    pairs.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = run("score-pairs", str(pairs))
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["id"] for x in lines] == ["a", "b", "c"]
    for x in lines:
        assert set(x) == {"id", "score", "grade", "breakdown"}
        assert 0 <= x["score"] <= 100 and isinstance(x["score"], int)
        assert set(x["breakdown"]) == FACTORS
    assert lines[0] == {**lines[2], "id": "a"}  # same input, same output


def test_rank_contract(tmp_path: Path, texts: dict[str, str]) -> None:
    cvs = tmp_path / "cvs.jsonl"
    jobs = tmp_path / "jobs.jsonl"
    cvs.write_text(json.dumps({"id": "c1", "text": texts["cv0"]}) + "\n"
                   + json.dumps({"id": "c2", "text": texts["cv1"]}) + "\n")
    jobs.write_text("".join(json.dumps({"id": f"j{i}", "text": texts[k]}) + "\n"
                            for i, k in enumerate(["job0", "job1", "job0"])))
    out = run("rank", "--cvs", str(cvs), "--jobs", str(jobs), "--top", "2")
    assert out.returncode == 0, out.stderr
    lines = [json.loads(x) for x in out.stdout.splitlines()]
    assert [x["cv_id"] for x in lines] == ["c1", "c2"]
    for x in lines:
        assert len(x["results"]) == 2
        scores = [r["score"] for r in x["results"]]
        assert scores == sorted(scores, reverse=True)
        assert set(x["results"][0]) == {"job_id", "score"}


def test_rank_agrees_with_score_pairs(tmp_path: Path, texts: dict[str, str]) -> None:
    cvs = tmp_path / "cvs.jsonl"
    jobs = tmp_path / "jobs.jsonl"
    pairs = tmp_path / "pairs.jsonl"
    cvs.write_text(json.dumps({"id": "c", "text": texts["cv0"]}) + "\n")
    jobs.write_text(json.dumps({"id": "j", "text": texts["job1"]}) + "\n")
    pairs.write_text(json.dumps({"id": "p", "cv": texts["cv0"], "job": texts["job1"]}) + "\n")
    ranked = json.loads(run("rank", "--cvs", str(cvs), "--jobs", str(jobs)).stdout)
    scored = json.loads(run("score-pairs", str(pairs)).stdout)
    assert ranked["results"][0]["score"] == scored["score"]


def test_skills_contract_offsets() -> None:
    text = "Built services in Python and Go on k8s; Postgres and React.js at Google."
    out = run("skills", "-", stdin=json.dumps({"id": "t", "text": text}) + "\n")
    assert out.returncode == 0, out.stderr
    obj = json.loads(out.stdout)
    assert obj["id"] == "t"
    names = {s["name"] for s in obj["skills"]}
    assert {"Python", "Kubernetes", "PostgreSQL", "React"} <= names
    for s in obj["skills"]:
        assert set(s) == {"name", "surface", "start", "end"}
        assert text[s["start"]:s["end"]] == s["surface"]
    assert all(s["surface"] != "Go" or s["start"] != text.index("Google") for s in obj["skills"])


def test_score_report_and_json() -> None:
    cv = first("*.txt", FIXTURES / "cvs")
    job = first("*.txt", FIXTURES / "jobs")
    out = run("score", "--cv", str(cv), "--job", str(job))
    assert out.returncode == 0, out.stderr
    assert "Fit" in out.stdout and "/100" in out.stdout and "skills" in out.stdout
    js = run("score", "--cv", str(cv), "--job", str(job), "--json")
    data = json.loads(js.stdout)
    assert set(data["result"]["factors"]) == FACTORS
    ats = json.loads(run("score", "--cv", str(cv), "--job", str(job), "--json",
                         "--profile", "ats").stdout)
    assert set(ats["result"]["factors"]) == {"skills", "experience", "keywords", "clarity"}


def test_parse_commands() -> None:
    cv = first("*.txt", FIXTURES / "cvs")
    out = run("parse", str(cv), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["skills"]
    job = first("*.json", FIXTURES / "jobs")
    out = run("parse-job", str(job), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["title"]
    assert run("parse", str(first("*.docx", SAMPLES / "cvs"))).returncode == 0
    assert run("parse", str(first("*.pdf", SAMPLES / "cvs"))).returncode == 0


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("empty.pdf", b"", "PDF"),
    ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "PDF"),
    ("broken.docx", b"PK\x03\x04garbage", "DOCX"),
    ("cv.exe", b"MZ", "supported"),
    ("blank.txt", b"   \n  ", "no text"),
])
def test_bad_files_give_one_clear_line(tmp_path: Path, name: str, content: bytes,
                                       needle: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    out = run("parse", str(path))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jobfit: error:")
    assert needle.lower() in lines[0].lower()


def test_missing_file_and_too_large(tmp_path: Path) -> None:
    out = run("parse", str(tmp_path / "nope.txt"))
    assert out.returncode == 2 and "no such file" in out.stderr
    big = tmp_path / "big.txt"
    big.write_text("python " * 200_000)  # ~1.4 MB
    out = subprocess.run([JOBFIT, "parse", str(big)], capture_output=True, text=True,
                         env={"JOBFIT_MAX_UPLOAD_MB": "1", "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "MB" in out.stderr or "large" in out.stderr.lower()


def test_bad_jsonl_line_is_reported_with_line_number(tmp_path: Path) -> None:
    f = tmp_path / "texts.jsonl"
    f.write_text('{"id": "a", "text": "Python"}\n{not json}\n')
    out = run("skills", str(f))
    assert out.returncode == 2
    assert ":2:" in out.stderr and "Traceback" not in out.stderr
    f.write_text('{"id": "a"}\n')
    out = run("score-pairs", str(f))
    assert out.returncode == 2 and "'cv'" in out.stderr


def test_rank_output_does_not_depend_on_workers(tmp_path: Path) -> None:
    cvs = tmp_path / "cvs.jsonl"
    jobs = tmp_path / "jobs.jsonl"
    cvs.write_text((SAMPLES / "cvs.jsonl").read_text())
    jobs.write_text((SAMPLES / "jobs.jsonl").read_text())
    one = run("rank", "--cvs", str(cvs), "--jobs", str(jobs), "--top", "5", "--workers", "1")
    two = run("rank", "--cvs", str(cvs), "--jobs", str(jobs), "--top", "5", "--workers", "2")
    assert one.returncode == 0 and two.returncode == 0, one.stderr + two.stderr
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) == len(cvs.read_text().splitlines())
    assert "Traceback" not in two.stderr and "fork" not in two.stderr.lower()
