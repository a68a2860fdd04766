"""The CLI's text output when piped, and its help (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, tmp_path: Path) -> str:
    env = {**os.environ, "JOBFIT_DATA_DIR": str(tmp_path), "JOBFIT_LLM": "offline",
           "COLUMNS": "80"}
    out = subprocess.run([str(Path(sys.executable).parent / "jobfit"), *args], env=env,
                         cwd=ROOT, capture_output=True, text=True, timeout=600, check=True)
    return out.stdout


def test_piped_output_is_not_wrapped_mid_sentence(tmp_path: Path) -> None:
    out = run("demo", tmp_path=tmp_path)
    lines = out.splitlines()
    advice = [ln for ln in lines if ln.strip().startswith("→ ")]
    assert advice, out[:2000]
    # each piece of advice is one whole line ending its sentence, however long
    for ln in advice:
        assert ln.rstrip().endswith((".", ")", "…")), ln
    assert any(len(ln) > 80 for ln in lines)


def test_help_says_what_demo_is(tmp_path: Path) -> None:
    out = run("--help", tmp_path=tmp_path)
    assert "what `make run` shows" not in out
    assert "make demo" in out
