"""ui/webchat/serve.py: the web server runs Chainlit's app without the nest_asyncio patch that
Chainlit's own CLI applies (pure-Python tasks and loop steps under every await), and
``jobfit ui`` uses it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ui.webchat import launcher

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import asyncio, sys
import ui.webchat.serve  # what `jobfit ui` runs
import chainlit.server
import ui.app  # the Chainlit target with every handler
print(hasattr(asyncio, "_nest_patched"), asyncio.Task is not asyncio.tasks._PyTask)
"""


def test_the_served_app_keeps_asyncios_c_tasks(tmp_path: Path) -> None:
    env = {**os.environ, "JOBFIT_DATA_DIR": str(tmp_path), "JOBFIT_LLM": "offline"}
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, cwd=ROOT, text=True,
                         capture_output=True, timeout=120, check=True).stdout.split()
    assert out[-2:] == ["False", "True"]
    # the contrast: Chainlit's CLI module swaps the task class when it is imported
    patched = subprocess.run(
        [sys.executable, "-c", "import asyncio, chainlit.cli; "
         "print(asyncio.Task is not asyncio.tasks._PyTask)"],
        env=env, cwd=ROOT, text=True, capture_output=True, timeout=120, check=True)
    assert patched.stdout.split()[-1] == "False"


def test_jobfit_ui_execs_the_nest_free_entry(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, list[str]] = {}

    def fake_execve(path: str, argv: list[str], env: dict[str, str]) -> None:
        seen["argv"] = argv
        raise SystemExit(0)

    monkeypatch.setenv("JOBFIT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("JOBFIT_AUTH", "open")
    monkeypatch.setattr(os, "execve", fake_execve)
    monkeypatch.setattr(launcher, "seed_sample_jobs", lambda settings: 0)
    from agent.bootstrap import get_settings

    get_settings.cache_clear()  # settings from this test's environment, not a cached one
    try:
        launcher.serve("127.0.0.1", 8765, seed=False)
    except SystemExit:
        pass
    finally:
        get_settings.cache_clear()
    assert (tmp_path / launcher.SECRET_FILE).exists()  # it prepared this data directory
    assert seen["argv"][1:4] == ["-m", "ui.webchat.serve", str(ROOT / "ui" / "app.py")]
    assert seen["argv"][4:] == ["--host", "127.0.0.1", "--port", "8765"]
