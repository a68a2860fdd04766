"""Ports: what the domain needs from the outside world, as Protocols.

Implementations live in ``store/`` (e.g. ``store.embeddings.MiniLMEmbedder``); tests use fakes.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors of shape (len(texts), dim)."""

    name: str
    dim: int
    #: Cosine at which the semantic factor is 0 and 100, measured for this model.
    calibration: tuple[float, float]

    def embed(self, texts: list[str]) -> np.ndarray: ...
