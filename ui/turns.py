"""Turns of one chat thread run one after another; different threads run at once.

Chainlit starts a task per incoming message, so two quick messages in one thread (or a
message sent while a cold server is still answering the first) would run through the graph
concurrently and read each other's half-written state ("job 1" of the wrong list). The web
chat's message handler holds :meth:`TurnQueue.turn` for the thread; waiters are served in
arrival order (``asyncio.Lock`` is FIFO). A lock lives only while someone holds or awaits it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class TurnQueue:
    """Per-key FIFO locks, dropped when no turn holds or awaits them."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    def waiting(self, key: str) -> int:
        """Turns holding or waiting for this key's lock (0 when idle)."""
        return self._locks.get(key, (None, 0))[1]

    def __len__(self) -> int:
        return len(self._locks)
