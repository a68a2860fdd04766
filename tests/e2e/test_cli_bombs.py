"""Hostile input to the `jobfit` console script: one `jobfit: error:` line, never a traceback.

Zip bombs to `jobfit parse`, JSON nested 100,000 deep to every batch command, oversized lines
and files to the JSONL readers, and an import in which every row fails.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
JOBFIT = str(Path(sys.executable).with_name("jobfit"))
DEEP = "[" * 100_000 + "]" * 100_000
MB = 1024 * 1024


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None,
        data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    if data_dir is not None:
        full_env["JOBFIT_DATA_DIR"] = str(data_dir)
        full_env.pop("DATABASE_URL", None)
        full_env.pop("CHROMA_HOST", None)
    return subprocess.run([JOBFIT, *args], capture_output=True, text=True, input=stdin,
                          cwd=ROOT, env=full_env, timeout=300)


def one_error_line(out: subprocess.CompletedProcess[str], code: int = 2) -> str:
    assert out.returncode == code, (out.returncode, out.stderr[-2000:])
    assert "Traceback" not in out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("jobfit: error: "), out.stderr[-2000:]
    return lines[0]


def test_parse_zip_bomb_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Jane Doe - Python developer")
    buf = io.BytesIO()
    document.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    bomb = tmp_path / "bomb.docx"
    para = b"<w:p><w:r><w:t>" + b"python developer " * 50 + b"</w:t></w:r></w:p>"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            if info.filename == "word/document.xml":
                with out.open(info.filename, "w", force_zip64=True) as fh:
                    fh.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/'
                             b'wordprocessingml/2006/main"><w:body>')
                    chunk = para * (MB // len(para))
                    for _ in range(300):
                        fh.write(chunk)
                    fh.write(b"</w:body></w:document>")
            else:
                out.writestr(info, src.read(info))
    line = one_error_line(run("parse", str(bomb)))
    assert "bomb.docx was not read: the DOCX unpacks to" in line and "50.0 MB" in line


@pytest.mark.parametrize("command", ["skills", "score-pairs", "occupations"])
def test_deeply_nested_jsonl_line(tmp_path: Path, command: str) -> None:
    f = tmp_path / "deep.jsonl"
    f.write_text('{"id": "a", "text": "Python", "cv": "x", "job": "y"}\n' + DEEP + "\n")
    line = one_error_line(run(command, str(f)))
    assert line.endswith(f"{f}:2: JSON nested too deeply")


def test_deeply_nested_value_inside_an_object_from_stdin() -> None:
    line = one_error_line(run("skills", "-", stdin='{"id": "a", "text": ' + DEEP + "}\n"))
    assert line == "jobfit: error: -:1: JSON nested too deeply"


def test_deeply_nested_rank_and_parse_job(tmp_path: Path) -> None:
    ok = tmp_path / "ok.jsonl"
    ok.write_text('{"id": "c", "text": "Python developer"}\n')
    deep = tmp_path / "deep.jsonl"
    deep.write_text(DEEP + "\n")
    line = one_error_line(run("rank", "--cvs", str(ok), "--jobs", str(deep)))
    assert line.endswith(f"{deep}:1: JSON nested too deeply")
    job = tmp_path / "job.json"
    job.write_text(DEEP)
    assert one_error_line(run("parse-job", str(job))).endswith(f"{job}:1: JSON nested too deeply")


@pytest.mark.parametrize("name", ["deep.json", "deep.jsonl"])
def test_deeply_nested_import(tmp_path: Path, name: str) -> None:
    f = tmp_path / name
    f.write_text(DEEP + "\n")
    line = one_error_line(run("import", str(f), "--json", data_dir=tmp_path / "data"))
    assert line == f"jobfit: error: {f}: JSON nested too deeply"


@pytest.mark.parametrize("command", ["skills", "score-pairs"])
def test_oversized_line_and_file(tmp_path: Path, command: str) -> None:
    limit = {"JOBFIT_MAX_UPLOAD_MB": "1"}
    big_line = json.dumps({"id": "a", "text": "python " * 200_000, "cv": "x", "job": "y"})
    line = one_error_line(run(command, "-", stdin=big_line + "\n", env=limit))
    assert line.startswith("jobfit: error: -:1: the line is longer than the limit of 1.0 MB")
    assert "JOBFIT_MAX_UPLOAD_MB" in line
    row = json.dumps({"id": "a", "text": "python developer " * 500, "cv": "x", "job": "y"})
    many = (row + "\n") * 200  # 1.7 MB in lines of 8.5 KB
    line = one_error_line(run(command, "-", stdin=many, env=limit))
    assert "the input is larger than the limit of 1.0 MB" in line
    f = tmp_path / "big.jsonl"
    f.write_text(many)
    line = one_error_line(run(command, str(f), env=limit))
    assert line.startswith(f"jobfit: error: {f}: the file is 1.6 MB")
    assert "the limit is 1.0 MB" in line


def test_lines_within_the_limit_still_work(tmp_path: Path) -> None:
    f = tmp_path / "texts.jsonl"
    f.write_text(json.dumps({"id": "a", "text": "Senior Python developer " * 2_000}) + "\n")
    out = run("skills", str(f), env={"JOBFIT_MAX_UPLOAD_MB": "1"})
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["skills"][0]["name"] == "Python"


def test_import_where_every_row_fails(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('[1]\n"a string"\n{not json\n')
    out = run("import", str(bad), "--json", data_dir=data)
    line = one_error_line(out, code=1)
    assert line == ("jobfit: error: nothing imported: 3 of 3 rows failed (see the summary's "
                    "errors)")
    summary = json.loads(out.stdout)
    assert set(summary) == {"batch_id", "total", "new", "updated", "unchanged", "failed",
                            "errors"}
    assert (summary["total"], summary["new"], summary["failed"]) == (3, 0, 3)
    table = run("import", str(bad), data_dir=data)
    assert one_error_line(table, code=1).startswith("jobfit: error: nothing imported")
    assert "failed" in table.stdout


def test_import_with_some_rows_failing_still_succeeds(tmp_path: Path) -> None:
    mixed = tmp_path / "mixed.jsonl"
    mixed.write_text(json.dumps({"title": "Python Developer", "company": "Acme",
                                 "description": "Build APIs in Python and PostgreSQL.",
                                 "location": "Berlin"}) + "\n[1]\n")
    out = run("import", str(mixed), "--json", data_dir=tmp_path / "data")
    assert out.returncode == 0, out.stderr
    summary = json.loads(out.stdout)
    assert summary["new"] == 1 and summary["failed"] == 1
