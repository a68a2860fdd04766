"""The composition root: the one place that turns Settings into concrete objects."""

from __future__ import annotations

from functools import cache

from agent.settings import Settings
from tools.ports import Embedder


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
