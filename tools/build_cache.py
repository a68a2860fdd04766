"""Built engine models kept on disk between processes.

Some of the engine's models are built from shipped data every time a process starts: the
occupation model indexes 95,000 labels in about a second, which every ``jobfit`` command, chat
worker and web server paid again. :func:`cached_build` keeps such a model in the user's cache
directory and loads it back in a few tens of milliseconds.

A cached file is used only when its key matches: a hash of every file the model is built from
(its data files and the source of the code that builds it) plus the Python and numpy versions,
so an upgrade, a rebuilt data file or an edited module rebuilds it. The file holds only what is
built from jobfit's own shipped data (no CV, no posting), in a directory only the user can
write (created 0700, files 0600). A damaged file is rebuilt; a cache directory that cannot be
written is skipped (the model is built as before).

Where: ``$JOBFIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/jobfit``, else ``~/.cache/jobfit``;
``JOBFIT_CACHE_DIR=""`` (empty) switches the cache off.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

logger = logging.getLogger(__name__)

T = TypeVar("T")

CACHE_ENV = "JOBFIT_CACHE_DIR"
#: Bump when the file layout changes.
FORMAT = 1


def cache_dir() -> Path | None:
    """The cache directory, or None when caching is switched off."""
    raw = os.environ.get(CACHE_ENV)
    if raw is not None:
        return Path(raw).expanduser() if raw.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "jobfit"


def source_key(sources: Sequence[Path]) -> str:
    """A hash of the files a model is built from, the format and the library versions."""
    h = hashlib.sha256(f"{FORMAT}|{sys.version_info[:2]}|{np.__version__}".encode())
    for path in sources:
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:24]


def cached_build(name: str, sources: Sequence[Path], build: Callable[[], T],
                 kind: type[T]) -> T:
    """``build()``, or the copy of its result cached for exactly these ``sources``."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{source_key(sources)}.pickle"
    try:
        with path.open("rb") as fh:
            found = pickle.load(fh)  # noqa: S301 - our own file, in the user's own 0700 directory
        if isinstance(found, kind):
            return found
        logger.warning("cached %s model is not one; rebuilding", name)
    except OSError:  # not cached yet (or the directory is not there / not a directory)
        pass
    except Exception:  # a damaged or foreign file: rebuild and replace it
        logger.warning("cached %s model unreadable; rebuilding", name)
    built = build()
    _store(folder, path, name, built)
    return built


def _store(folder: Path, path: Path, name: str, built: object) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")  # concurrent writers never collide
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(built, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError as exc:  # read-only home, full disk: work without the cache
        logger.info("cannot cache the %s model in %s (%s)", name, folder, exc.strerror or exc)
        if tmp.is_file():
            tmp.unlink()
        return
    for old in folder.glob(f"{name}-*.pickle"):  # models of older versions
        if old != path:
            old.unlink(missing_ok=True)
