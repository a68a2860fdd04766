"""Database fixtures: ``engine`` runs a test against SQLite and against a real PostgreSQL.

- ``sqlite``: a fresh file ``<tmp>/data/jobfit.db`` per test (the default back end, WAL).
- ``postgresql``: the server named by ``JOBFIT_TEST_POSTGRES_URL``
  (e.g. ``postgresql+psycopg://jobfit:jobfit@127.0.0.1:5432/jobfit_test``; ``.ci/run`` starts
  one). Each test session works in its own new schema (``search_path`` set through the URL),
  emptied before every test and dropped at the end, so nothing else in that database is
  touched. Without the variable the PostgreSQL cases are skipped, except under CI (``CI`` set),
  where they fail: CI must test the real server.

``engine`` is initialised (``init_db``); ``bare_engine`` is the same, empty, for schema tests.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from store.db import init_db, make_engine, normalise_url

BACKENDS = ["sqlite", "postgresql"]
PG_ENV = "JOBFIT_TEST_POSTGRES_URL"


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A URL whose connections work in a fresh schema of the test PostgreSQL database."""
    raw = os.environ.get(PG_ENV)
    if not raw:
        if os.environ.get("CI"):
            pytest.fail(
                f"{PG_ENV} is not set: under CI the store tests must run against a real "
                "PostgreSQL (.ci/run installs and starts one and exports it).",
                pytrace=False,
            )
        pytest.skip(
            f"PostgreSQL store tests skipped: set {PG_ENV}="
            "postgresql+psycopg://USER:PASSWORD@127.0.0.1:5432/DB to run them."
        )
    base = make_url(normalise_url(raw))
    schema = f"jobfit_test_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base.render_as_string(hide_password=False), Path("."))
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # a clear message, not a wall of driver output
        admin.dispose()
        pytest.fail(f"cannot use PostgreSQL at {base.render_as_string()}: {exc}", pytrace=False)
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}_chat" CASCADE'))  # web chat
        admin.dispose()


def _reset_pg_schema(url: str) -> None:
    u = make_url(url)
    schema = u.query["options"]
    assert isinstance(schema, str)
    schema = schema.split("=", 1)[1]
    engine = make_engine(url, Path("."))
    try:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}_chat" CASCADE'))  # web chat
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        engine.dispose()


@pytest.fixture(params=BACKENDS)
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database (no tables) on each back end."""
    if request.param == "sqlite":
        engine = make_engine(None, tmp_path / "data")
    else:
        url = request.getfixturevalue("postgres_schema_url")
        _reset_pg_schema(url)
        engine = make_engine(url, tmp_path)
    try:
        yield engine
    finally:
        engine.dispose()


@pytest.fixture
def engine(bare_engine: Engine) -> Engine:
    """A database with the current schema, on each back end."""
    init_db(bare_engine)
    return bare_engine
