"""The composition root: the one place that turns Settings into concrete objects."""

from __future__ import annotations

import importlib.util
import logging
import sqlite3
import threading
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from agent.settings import Settings
from tools.ports import Embedder
from tools.search import JobIndex

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from sqlalchemy import Engine

    from agent.service import JobfitService


logger = logging.getLogger(__name__)


@cache
def get_settings() -> Settings:
    return Settings()


def stage1_snapshot(settings: Settings | None = None) -> Path:
    """Where the stage-1 matching indexes are kept between processes (job data only)."""
    return (settings or get_settings()).data_dir / "stage1.pkl"


def build_embedder(settings: Settings | None = None) -> Embedder | None:
    """The configured text embedder, or None when the semantic factor is switched off."""
    settings = settings or get_settings()
    if settings.embedder == "none":
        return None
    if settings.embedder == "minilm":
        from store.embeddings import MiniLMEmbedder

        return MiniLMEmbedder()
    return shared_static_embedder()


@cache
def shared_static_embedder() -> Any:
    """The process's one static embedder (its ~15 MB table loaded once): the default text
    embedder and the offline model's intent fallback read the same table."""
    from store.static_embeddings import StaticEmbedder

    return StaticEmbedder()


def build_engine(settings: Settings | None = None) -> Engine:
    """The database engine (``DATABASE_URL`` or ``<data_dir>/jobfit.db``), schema migrated."""
    from store.db import init_db, make_engine
    from store.recovery import recover_batches

    settings = settings or get_settings()
    engine = make_engine(settings.database_url, settings.data_dir)
    init_db(engine)
    recover_batches(engine)  # imports left RUNNING by a process that died -> INTERRUPTED
    return engine


def build_index(embedder: Embedder | None, settings: Settings | None = None) -> JobIndex:
    """The job vector index for this embedder: a Chroma server (``CHROMA_HOST``) or embedded."""
    from store.vectors import ChromaJobIndex

    settings = settings or get_settings()
    name = embedder.name if embedder is not None else "none"
    dim = embedder.dim if embedder is not None else 1
    if settings.chroma_host:
        return ChromaJobIndex.http(settings.chroma_host, settings.chroma_port,
                                   embedder_name=name, dim=dim)
    return ChromaJobIndex.persistent(settings.data_dir, embedder_name=name, dim=dim)


# --------------------------------------------------------------------------- the agent

_SERVICES: dict[str, JobfitService] = {}
_SERVICES_LOCK = threading.Lock()


def _settings_key(settings: Settings) -> str:
    return settings.model_dump_json()


def build_service(settings: Settings | None = None) -> JobfitService:
    """The process's :class:`JobfitService` for these settings (built once, then reused).

    Its ``checkpointer`` is the sync one of :func:`build_checkpointer`, so forgetting a user
    also deletes their conversations, whichever saver wrote them.
    """
    from agent.service import JobfitService

    settings = settings or get_settings()
    key = _settings_key(settings)
    with _SERVICES_LOCK:
        found = _SERVICES.get(key)
        if found is not None:
            return found
        embedder = build_embedder(settings)
        service = JobfitService(
            engine=build_engine(settings), embedder=embedder,
            index=build_index(embedder, settings), analysis_ttl_days=settings.analysis_ttl_days,
            max_upload_bytes=settings.max_upload_bytes,
            snapshot=stage1_snapshot(settings))
        service.checkpointer = build_checkpointer(settings)
        _SERVICES[key] = service
        return service



def build_operator_service(settings: Settings | None = None) -> JobfitService:
    """A :class:`JobfitService` for one operator command of the CLI (import, stats, index,
    match...): the same store, index and embedder as :func:`build_service`, without the
    conversation store (no checkpoint database is opened) and not shared with chats."""
    from agent.service import JobfitService

    settings = settings or get_settings()
    embedder = build_embedder(settings)
    index = cast("JobIndex", _LazyIndex(lambda: build_index(embedder, settings)))
    return JobfitService(
        engine=build_engine(settings), embedder=embedder, index=index,
        analysis_ttl_days=settings.analysis_ttl_days,
        max_upload_bytes=settings.max_upload_bytes, snapshot=stage1_snapshot(settings))


class _LazyIndex:
    """The job index, built on first use: commands that never touch it (``jobs stats``,
    ``cache clean``) do not pay for opening the vector store (~1 s)."""

    def __init__(self, build: Callable[[], JobIndex]) -> None:
        self._build = build
        self._inner: JobIndex | None = None
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        with self._lock:
            if self._inner is None:
                self._inner = self._build()
        return getattr(self._inner, name)

def _is_postgres(settings: Settings) -> bool:
    return bool(settings.database_url) and str(settings.database_url).startswith("postgres")


def postgres_conninfo(database_url: str) -> str:
    """A libpq URL (what psycopg takes) from a SQLAlchemy one (``postgresql+psycopg://``)."""
    from sqlalchemy.engine import make_url

    from store.db import normalise_url

    url = make_url(normalise_url(database_url)).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def sync_database_url(settings: Settings) -> str:
    """The project database as a sync SQLAlchemy URL (``DATABASE_URL`` or the SQLite file)."""
    from store.db import normalise_url

    if settings.database_url:
        return normalise_url(settings.database_url)
    return f"sqlite:///{(Path(settings.data_dir) / 'jobfit.db').resolve()}"


def checkpoint_path(settings: Settings) -> Path:
    return Path(settings.data_dir) / "checkpoints.db"


def build_checkpointer(settings: Settings | None = None) -> BaseCheckpointSaver[Any]:
    """Where conversations are kept: ``<data_dir>/checkpoints.db`` (SQLite), or PostgreSQL when
    ``DATABASE_URL`` is PostgreSQL. Thread-safe; tables are created when missing."""
    settings = settings or get_settings()
    if _is_postgres(settings):
        from langgraph.checkpoint.postgres import PostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import ConnectionPool

        pool: ConnectionPool[Any] = ConnectionPool(
            postgres_conninfo(str(settings.database_url)), min_size=1, max_size=4, open=True,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
        pg_saver = PostgresSaver(pool)
        pg_saver.setup()
        return pg_saver
    from langgraph.checkpoint.sqlite import SqliteSaver

    path = checkpoint_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
    saver = SqliteSaver(conn)
    saver.setup()
    return saver


async def build_async_checkpointer(settings: Settings | None = None) -> BaseCheckpointSaver[Any]:
    """:func:`build_checkpointer` for ``graph.astream`` (AsyncSqliteSaver / AsyncPostgresSaver),
    bound to the running event loop."""
    settings = settings or get_settings()
    if _is_postgres(settings):
        from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
        from psycopg.rows import dict_row
        from psycopg_pool import AsyncConnectionPool

        pool: AsyncConnectionPool[Any] = AsyncConnectionPool(
            postgres_conninfo(str(settings.database_url)), min_size=1, max_size=4,
            open=False,
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row})
        await pool.open()
        pg_saver = AsyncPostgresSaver(pool)
        await pg_saver.setup()
        return pg_saver
    import aiosqlite
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    path = checkpoint_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = await aiosqlite.connect(str(path), timeout=30)
    # WAL without an fsync per commit: every graph step writes a checkpoint, all users share
    # this one connection, and a full fsync each made it the web chat's bottleneck under load.
    await conn.execute("PRAGMA journal_mode=WAL")
    await conn.execute("PRAGMA synchronous=NORMAL")
    saver = AsyncSqliteSaver(conn)
    await saver.setup()
    return saver


def build_model(settings: Settings | None = None) -> BaseChatModel:
    """The chat model: ``agent.llm.build_chat_model`` (offline router or an OpenAI-compatible
    LLM, per ``JOBFIT_LLM``) when present, else the offline router model."""
    settings = settings or get_settings()
    if importlib.util.find_spec("agent.llm") is not None:
        from agent.llm import build_chat_model

        return build_chat_model(settings)
    from agent.router import OfflineChatModel

    return OfflineChatModel(classifier=build_intent_classifier())


def build_intent_classifier() -> Any:
    """The offline model's nearest-exemplar fallback over the shipped static embeddings (fast:
    no transformer), or None when they cannot be read."""
    from agent.offline.exemplars import ExemplarClassifier

    try:
        embedder = shared_static_embedder()
        embedder.load()
    except Exception as exc:  # a damaged install: the rules still work
        logger.warning("intent classifier unavailable: %s", type(exc).__name__)
        return None
    return ExemplarClassifier(embedder)
