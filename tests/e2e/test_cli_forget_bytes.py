"""`jobfit chat` as a subprocess: after "delete my data" + "yes, delete everything", no file
under the data directory (SQLite databases, their -wal/-shm files, Chroma) holds any byte of
the CV's name, e-mail, phone or distinctive sentence; another user's CV is still there."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.integration.test_forget_bytes import (
    KEEPER_CV,
    KEEPER_EMAIL,
    NEEDLES,
    VICTIM_CV,
    files_containing,
)

ROOT = Path(__file__).resolve().parents[2]
JOBFIT = str(Path(sys.executable).with_name("jobfit"))


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "JOBFIT_DATA_DIR": str(data_dir), "JOBFIT_LLM": "offline"}
    for key in ("DATABASE_URL", "CHROMA_HOST", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        env.pop(key, None)
    return env


def chat(data_dir: Path, user: str, *lines: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([JOBFIT, "chat", "--user", user], input="\n".join(lines) + "\n",
                          capture_output=True, text=True, env=_env(data_dir), cwd=ROOT,
                          timeout=600)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    jobs = tmp_path / "jobs.json"
    rows = json.loads((ROOT / "store" / "samples" / "jobs.json").read_text())[:40]
    jobs.write_text(json.dumps(rows))
    data = tmp_path / "data"
    out = subprocess.run([JOBFIT, "import", str(jobs), "--json"], capture_output=True,
                         text=True, env=_env(data), cwd=ROOT, timeout=600)
    assert out.returncode == 0, out.stderr
    return data


def test_cli_forget_me_leaves_no_byte_of_the_cv(data_dir: Path, tmp_path: Path) -> None:
    victim, keeper = tmp_path / "zelda.txt", tmp_path / "keeper.txt"
    victim.write_text(VICTIM_CV, encoding="utf-8")
    keeper.write_text(KEEPER_CV, encoding="utf-8")
    kept = chat(data_dir, "keeper", f"/cv {keeper}")
    assert kept.returncode == 0, kept.stderr
    first = chat(data_dir, "zelda", f"/cv {victim}", "find backend java jobs",
                 "how well do I fit the first one?", "tailor my CV for it", "apply all")
    assert first.returncode == 0, first.stderr
    assert "Quuxworth" in first.stdout and "tailored CV" in first.stdout
    assert files_containing(data_dir, NEEDLES)  # stored: the check below can see it
    # a new process, as a user coming back to delete their data
    out = chat(data_dir, "zelda", "delete my data", "yes, delete everything", "show my profile")
    assert out.returncode == 0, out.stderr
    assert "deleted all your data" in out.stdout and "Quuxworth" not in out.stdout
    assert files_containing(data_dir, NEEDLES) == {}
    assert files_containing(data_dir, (KEEPER_EMAIL,))
