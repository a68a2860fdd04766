"""Built models kept between processes (tools/build_cache.py) and the occupation model's use."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tools.build_cache import CACHE_ENV, cache_dir, cached_build


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder


def _source(tmp_path: Path, text: str) -> Path:
    src = tmp_path / "model.txt"
    src.write_text(text)
    return src


def test_second_call_loads_the_built_copy_without_building(cache: Path, tmp_path: Path) -> None:
    src = _source(tmp_path, "v1")
    calls: list[int] = []

    def build() -> dict[str, int]:
        calls.append(1)
        return {"built": len(calls)}

    assert cached_build("m", [src], build, dict) == {"built": 1}
    assert cached_build("m", [src], build, dict) == {"built": 1}
    assert len(calls) == 1
    files = list(cache.glob("m-*.pickle"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.stat().st_mode) == 0o700


def test_a_changed_source_rebuilds_and_replaces_the_old_copy(cache: Path, tmp_path: Path) -> None:
    src = _source(tmp_path, "v1")
    assert cached_build("m", [src], lambda: ["old"], list) == ["old"]
    src.write_text("v2")
    assert cached_build("m", [src], lambda: ["new"], list) == ["new"]
    assert cached_build("m", [src], lambda: ["never"], list) == ["new"]
    assert len(list(cache.glob("m-*.pickle"))) == 1


def test_a_damaged_or_foreign_file_is_rebuilt(cache: Path, tmp_path: Path,
                                              caplog: pytest.LogCaptureFixture) -> None:
    src = _source(tmp_path, "v1")
    cached_build("m", [src], lambda: ["good"], list)
    (path,) = cache.glob("m-*.pickle")
    path.write_bytes(b"\x80\x05garbage")
    assert cached_build("m", [src], lambda: ["rebuilt"], list) == ["rebuilt"]
    assert "unreadable" in caplog.text
    assert cached_build("m", [src], lambda: {"x": 1}, dict) == {"x": 1}  # a list is no dict
    assert cached_build("m", [src], lambda: {"x": 2}, dict) == {"x": 1}


def test_an_unwritable_cache_directory_only_costs_the_build(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    monkeypatch.setenv(CACHE_ENV, str(blocker / "cache"))
    src = _source(tmp_path, "v1")
    assert cached_build("m", [src], lambda: ["a"], list) == ["a"]
    assert cached_build("m", [src], lambda: ["b"], list) == ["b"]
    assert not list(tmp_path.glob("**/*.tmp"))


def test_empty_setting_switches_the_cache_off(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    assert cache_dir() is None
    monkeypatch.delenv(CACHE_ENV)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache_dir() == tmp_path / "xdg" / "jobfit"


def test_occupation_model_from_the_cache_matches_a_fresh_build(tmp_path: Path) -> None:
    """Two processes: the first builds and stores the model, the second loads it; both give
    the same matches, and the second does not build."""
    script = (
        "import tools.occupations as o\n"
        "built = []\n"
        "real = o.OccupationModel.__init__\n"
        "def spy(self, *a, **k):\n"
        "    built.append(1); real(self, *a, **k)\n"
        "o.OccupationModel.__init__ = spy\n"
        "for t in ('Registered Nurse - ICU', 'Sr. Software Engineer',\n"
        "          'Public Relations Director'):\n"
        "    print([(m.title, m.score) for m in o.match_occupations(t, top=3)])\n"
        "print('built', len(built))\n")
    env = {**os.environ, CACHE_ENV: str(tmp_path / "cache"), "PYTHONPATH": os.getcwd()}
    first, second = (subprocess.run([sys.executable, "-c", script], env=env, check=True,
                                    capture_output=True, text=True).stdout for _ in range(2))
    assert first.splitlines()[-1] == "built 1"
    assert second.splitlines()[-1] == "built 0"
    assert first.splitlines()[:-1] == second.splitlines()[:-1]
    assert "software developer" in first
