"""The composition root: the one place that turns Settings into concrete objects."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from agent.settings import Settings
from tools.ports import Embedder
from tools.search import JobIndex

if TYPE_CHECKING:
    from sqlalchemy import Engine


@cache
def get_settings() -> Settings:
    return Settings()


def build_embedder(settings: Settings | None = None) -> Embedder | None:
    """The configured text embedder, or None when the semantic factor is switched off."""
    settings = settings or get_settings()
    if settings.embedder == "none":
        return None
    if settings.embedder == "minilm":
        from store.embeddings import MiniLMEmbedder

        return MiniLMEmbedder()
    from store.static_embeddings import StaticEmbedder

    return StaticEmbedder()


def build_engine(settings: Settings | None = None) -> Engine:
    """The database engine (``DATABASE_URL`` or ``<data_dir>/jobfit.db``), schema migrated."""
    from store.db import init_db, make_engine

    settings = settings or get_settings()
    engine = make_engine(settings.database_url, settings.data_dir)
    init_db(engine)
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
