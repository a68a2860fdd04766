"""Engine, schema and sessions.

Back ends: an embedded SQLite file ``<data_dir>/jobfit.db`` by default (WAL journal, foreign
keys on), or whatever ``DATABASE_URL`` names (PostgreSQL through psycopg 3; ``postgres://`` and
``postgresql://`` URLs are given the ``+psycopg`` driver).

Schema and migrations (no Alembic): the tables are the SQLModel metadata of ``store.tables``;
the ``schema_version`` table holds one row with the version the database is at. ``init_db`` runs
on start-up and is idempotent:

1. fresh database (no version row, no jobfit tables) → create every table, store
   ``SCHEMA_VERSION``;
2. stored version == ``SCHEMA_VERSION`` → only create tables that are missing;
3. stored version < ``SCHEMA_VERSION`` → run ``MIGRATIONS[v]`` for every v from stored+1 up to
   ``SCHEMA_VERSION`` in order, storing each version as it lands, then create missing tables;
4. stored version > ``SCHEMA_VERSION`` → refuse with ``SchemaTooNewError`` (an older jobfit must
   not write to a database a newer one has migrated).

All of it runs in one transaction (both back ends have transactional DDL), under an advisory
lock on PostgreSQL so that two processes starting together do not migrate twice.

To change the schema: edit ``store/tables.py``, bump ``SCHEMA_VERSION``, and add
``MIGRATIONS[new_version] = fn`` where ``fn(conn)`` brings a database at the previous version
up to the new one using SQL both back ends accept (``ALTER TABLE … ADD COLUMN …``, data
back-fills). A brand-new table needs no migration: step 3 ends by creating missing tables.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, inspect, select, text
from sqlalchemy.engine import Connection, make_url
from sqlmodel import Session, SQLModel, create_engine

import store.tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from store.tables import SchemaVersionRecord, utcnow
from tools.errors import JobfitError

logger = logging.getLogger(__name__)

#: The schema version this code writes. Bump it together with a new MIGRATIONS entry.
SCHEMA_VERSION = 2

Migration = Callable[[Connection], None]


def _add_columns(conn: Connection, table: str, columns: Mapping[str, str],
                 indexes: Mapping[str, str] = {}) -> None:  # noqa: B006 - read only
    """``ALTER TABLE table ADD COLUMN`` for each missing column (``name -> SQL type and
    default``), then ``CREATE INDEX`` for each missing index (``index name -> column``)."""
    inspector = inspect(conn)
    have = {c["name"] for c in inspector.get_columns(table)}
    for name, ddl in columns.items():
        if name not in have:
            conn.execute(text(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {ddl}'))
    have_ix = {ix["name"] for ix in inspect(conn).get_indexes(table)}
    for ix_name, column in indexes.items():
        if ix_name not in have_ix:
            conn.execute(text(f'CREATE INDEX "{ix_name}" ON "{table}" ("{column}")'))


def _to_2(conn: Connection) -> None:
    """Schema 2: job provenance and private sources (``store.jobaccess``), and the process
    running each import batch (``store.recovery``). Jobs imported before keep ``created_by``
    empty (unknown) and no batch; all of them stay shared."""
    _add_columns(conn, "jobs", {
        "owner_id": "VARCHAR(64)",
        "created_by": "VARCHAR(100) NOT NULL DEFAULT ''",
        "batch_id": "INTEGER",
    }, {"ix_jobs_owner_id": "owner_id", "ix_jobs_batch_id": "batch_id"})
    stamp = "TIMESTAMP WITH TIME ZONE" if conn.dialect.name == "postgresql" else "DATETIME"
    _add_columns(conn, "import_batches", {
        "actor": "VARCHAR(100) NOT NULL DEFAULT ''",
        "owner_id": "VARCHAR(64)",
        "runner": "VARCHAR(200) NOT NULL DEFAULT ''",
        "heartbeat": stamp,
    })


#: ``MIGRATIONS[v]`` upgrades a database at version v-1 to version v.
MIGRATIONS: dict[int, Migration] = {2: _to_2}

_PG_LOCK_ID = 0x6A6F62666974  # "jobfit"


class SchemaTooNewError(JobfitError):
    """The database was migrated by a newer jobfit than this one."""


class DatabaseError(JobfitError):
    """The database could not be opened or initialised."""


def normalise_url(database_url: str) -> str:
    """Give bare PostgreSQL URLs the psycopg 3 driver (``postgres://`` too)."""
    url = database_url.strip()
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        # deleted rows are overwritten with zeros, not left in free pages ("forget me")
        cursor.execute("PRAGMA secure_delete=ON")
    finally:
        cursor.close()


def make_engine(database_url: str | None, data_dir: Path) -> Engine:
    """An engine for ``database_url``, or for the SQLite file ``<data_dir>/jobfit.db``."""
    if database_url:
        url = make_url(normalise_url(database_url))
    else:
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        url = make_url(f"sqlite:///{(data_dir / 'jobfit.db').resolve()}")
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    logger.info("database: %s", url.render_as_string(hide_password=True))
    return engine


def sqlite_path(engine: Engine) -> Path | None:
    """The database file of a SQLite engine (None for PostgreSQL or an in-memory SQLite)."""
    url = engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def scrub_sqlite(path: Path, *, vacuum: bool = True) -> bool:
    """Leave no deleted bytes in a SQLite database file and its WAL.

    Runs ``wal_checkpoint(TRUNCATE)`` (old page images in ``-wal`` are copied back and the
    log emptied), then ``VACUUM`` (the file is rebuilt from its live rows: no free pages or
    freed cell space keeps deleted data, whichever connection deleted it), then checkpoints
    again. Returns False when another connection's open read kept part of the WAL (the
    next checkpoint, at the latest when the last connection closes, empties it).
    Used after "forget me"; costs about one copy of the database file.
    """
    import sqlite3

    path = Path(path)
    if not path.is_file():
        return True
    conn = sqlite3.connect(str(path), timeout=30, isolation_level=None)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if vacuum:
            conn.execute("VACUUM")
        busy, _log, _done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    finally:
        conn.close()
    if busy:
        logger.warning("%s: a reader kept the write-ahead log from being emptied", path.name)
    return not busy


#: Tables holding a user's personal data (what ``UserRepo.delete_all`` deletes from).
PERSONAL_TABLES = ("feedback", "applications", "matches", "cvs", "analyses", "candidate_statuses",
                   "candidates", "digests", "users")


def scrub_deleted(engine: Engine, tables: tuple[str, ...] = PERSONAL_TABLES) -> bool:
    """Leave no bytes of just-deleted personal rows in the database files.

    SQLite: :func:`scrub_sqlite` on the database file without ``VACUUM`` (the connections of
    :func:`make_engine` delete with ``secure_delete=ON``, so freed space is already zeros;
    with 100,000 jobs the file is over 1 GB, and rebuilding it would block every writer for
    seconds). PostgreSQL: a plain ``VACUUM`` of ``tables`` (dead row versions are pruned and
    their space marked reusable; it does not lock the tables against reads or writes and
    costs a pass over each table). Returns whether the scrub completed."""
    path = sqlite_path(engine)
    if path is not None:
        return scrub_sqlite(path, vacuum=False)
    if engine.dialect.name != "postgresql":
        return False
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        for table in tables:
            conn.execute(text(f'VACUUM "{table}"'))
    return True


def _stored_version(conn: Connection) -> int | None:
    table = SchemaVersionRecord.__table__  # type: ignore[attr-defined]
    row = conn.execute(select(table.c.version).where(table.c.id == 1)).first()
    return None if row is None else int(row[0])


def _set_version(conn: Connection, version: int, *, insert: bool) -> None:
    table = SchemaVersionRecord.__table__  # type: ignore[attr-defined]
    if insert:
        conn.execute(table.insert().values(id=1, version=version, updated=utcnow()))
    else:
        conn.execute(
            table.update().where(table.c.id == 1).values(version=version, updated=utcnow())
        )


def init_db(
    engine: Engine,
    *,
    target: int | None = None,
    migrations: Mapping[int, Migration] | None = None,
) -> int:
    """Create or migrate the schema (idempotent); returns the version the database is at.

    ``target``/``migrations`` default to ``SCHEMA_VERSION``/``MIGRATIONS`` (tests override them).
    Raises ``SchemaTooNewError`` when the database is newer than ``target``.
    """
    target = SCHEMA_VERSION if target is None else target
    migrations = MIGRATIONS if migrations is None else migrations
    metadata = SQLModel.metadata
    version_table = SchemaVersionRecord.__table__  # type: ignore[attr-defined]
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_ID})
        version_table.create(conn, checkfirst=True)
        stored = _stored_version(conn)
        if stored is None:
            existing = set(inspect(conn).get_table_names()) - {version_table.name}
            ours = {t.name for t in metadata.sorted_tables} - {version_table.name}
            if existing & ours:
                # Tables without a version row: only a pre-versioning jobfit made those, and
                # version 1 is the first schema, so they are at version 1.
                stored = 1
                logger.warning("schema_version missing; assuming version 1")
            else:
                metadata.create_all(conn)
                _set_version(conn, target, insert=True)
                logger.info("database schema created at version %d", target)
                return target
            _set_version(conn, stored, insert=True)
        if stored > target:
            raise SchemaTooNewError(
                f"The database is at schema version {stored}, newer than this jobfit "
                f"understands ({target}). Upgrade jobfit or point DATABASE_URL elsewhere."
            )
        for version in range(stored + 1, target + 1):
            migrate = migrations.get(version)
            if migrate is None:
                raise DatabaseError(f"No migration to schema version {version}.")
            logger.info("migrating database schema %d -> %d", version - 1, version)
            migrate(conn)
            _set_version(conn, version, insert=False)
        metadata.create_all(conn)  # tables added since: checkfirst, existing ones untouched
    return target


def schema_version(engine: Engine) -> int | None:
    """The version stored in the database, or None before ``init_db``."""
    with engine.connect() as conn:
        if not inspect(conn).has_table(SchemaVersionRecord.__tablename__):
            return None
        return _stored_version(conn)


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits on success and rolls back on error.

    Objects stay usable after the block (``expire_on_commit=False``), detached.
    """
    session = Session(engine, expire_on_commit=False)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
