"""Engine, schema creation and the version/migration step, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, select, text
from sqlalchemy.engine import Connection

from agent.bootstrap import build_engine
from agent.settings import Settings
from store.db import (
    SCHEMA_VERSION,
    DatabaseError,
    SchemaTooNewError,
    init_db,
    make_engine,
    normalise_url,
    schema_version,
    session_scope,
)
from store.tables import JobRecord, SchemaVersionRecord
from tools.errors import JobfitError

TABLES = {
    "schema_version", "users", "cvs", "jobs", "analyses", "matches", "feedback",
    "import_batches", "digests", "feeds",
}


def test_default_is_a_sqlite_file_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    data_dir = tmp_path / "nested" / "data"
    engine = make_engine(None, data_dir)
    try:
        assert engine.dialect.name == "sqlite"
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert (data_dir / "jobfit.db").exists()
    finally:
        engine.dispose()


def test_postgres_urls_get_the_psycopg_driver() -> None:
    assert normalise_url("postgres://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgresql://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
    assert normalise_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_url("sqlite:///x.db") == "sqlite:///x.db"


def test_init_db_creates_every_table_and_index(bare_engine: Engine) -> None:
    assert schema_version(bare_engine) is None
    assert init_db(bare_engine) == SCHEMA_VERSION
    insp = inspect(bare_engine)
    assert TABLES <= set(insp.get_table_names())
    job_indexes = {ix["name"] for ix in insp.get_indexes("jobs")}
    assert {"ix_jobs_status", "ix_jobs_status_posted", "ix_jobs_company",
            "ix_jobs_content_hash", "ix_jobs_company_key"} <= job_indexes
    uniques = {tuple(u["column_names"]) for u in insp.get_unique_constraints("jobs")}
    assert ("source", "external_id") in uniques
    for table in ("cvs", "matches", "feedback"):
        assert any(ix["column_names"][0] == "owner_id" for ix in insp.get_indexes(table))
    assert schema_version(bare_engine) == SCHEMA_VERSION


def test_init_db_is_idempotent(engine: Engine) -> None:
    with session_scope(engine) as s:
        s.add(JobRecord(source="x", external_id="1", content_hash="h"))
    for _ in range(3):
        assert init_db(engine) == SCHEMA_VERSION
    with session_scope(engine) as s:
        assert len(list(s.exec(select(SchemaVersionRecord)))) == 1  # type: ignore[call-overload]
        assert len(list(s.exec(select(JobRecord)))) == 1  # type: ignore[call-overload]


def test_migrations_run_in_order_once_and_keep_data(bare_engine: Engine) -> None:
    init_db(bare_engine, target=1, migrations={})
    with session_scope(bare_engine) as s:
        s.add(JobRecord(source="x", external_id="1", content_hash="h", title="Dev"))
    calls: list[int] = []

    def to_2(conn: Connection) -> None:
        calls.append(2)
        conn.execute(text("ALTER TABLE jobs ADD COLUMN note VARCHAR(20)"))

    def to_3(conn: Connection) -> None:
        calls.append(3)
        conn.execute(text("UPDATE jobs SET note = 'migrated'"))

    migrations = {3: to_3, 2: to_2}
    assert init_db(bare_engine, target=3, migrations=migrations) == 3
    assert calls == [2, 3]
    assert init_db(bare_engine, target=3, migrations=migrations) == 3
    assert calls == [2, 3]  # nothing ran twice
    assert schema_version(bare_engine) == 3
    with bare_engine.connect() as conn:
        assert conn.execute(text("SELECT title, note FROM jobs")).all() == [("Dev", "migrated")]


def test_a_failing_migration_changes_nothing(bare_engine: Engine) -> None:
    init_db(bare_engine, target=1, migrations={})

    def broken(conn: Connection) -> None:
        conn.execute(text("UPDATE jobs SET title = 'x'"))
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        init_db(bare_engine, target=2, migrations={2: broken})
    assert schema_version(bare_engine) == 1


def test_a_missing_migration_is_an_error(bare_engine: Engine) -> None:
    init_db(bare_engine, target=1, migrations={})
    with pytest.raises(DatabaseError, match="version 2"):
        init_db(bare_engine, target=2, migrations={})
    assert schema_version(bare_engine) == 1


def test_refuses_a_database_newer_than_the_code(bare_engine: Engine) -> None:
    init_db(bare_engine, target=SCHEMA_VERSION + 1, migrations={})
    with pytest.raises(SchemaTooNewError, match="newer") as err:
        init_db(bare_engine)
    assert isinstance(err.value, JobfitError)
    assert schema_version(bare_engine) == SCHEMA_VERSION + 1


def test_session_scope_commits_or_rolls_back(engine: Engine) -> None:
    with pytest.raises(RuntimeError):
        with session_scope(engine) as s:
            s.add(JobRecord(source="x", external_id="1", content_hash="h"))
            s.flush()
            raise RuntimeError("abort")
    with session_scope(engine) as s:
        assert s.exec(select(JobRecord)).first() is None  # type: ignore[call-overload]
        s.add(JobRecord(source="x", external_id="1", content_hash="h"))
    with session_scope(engine) as s:
        assert s.exec(select(JobRecord)).first() is not None  # type: ignore[call-overload]


def test_build_engine_uses_data_dir_or_database_url(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("JOBFIT_DATABASE_URL", raising=False)
    engine = build_engine(Settings(data_dir=tmp_path / "d"))
    try:
        assert (tmp_path / "d" / "jobfit.db").exists()
        assert schema_version(engine) == SCHEMA_VERSION
    finally:
        engine.dispose()
    url = f"sqlite:///{tmp_path / 'other.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    settings = Settings(data_dir=tmp_path / "unused")
    assert settings.database_url == url
    engine = build_engine(settings)
    try:
        assert (tmp_path / "other.db").exists()
        assert not (tmp_path / "unused").exists()
    finally:
        engine.dispose()
