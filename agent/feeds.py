"""Registered job feeds (RSS/Atom URLs the scheduler re-imports): what ``jobfit feeds`` and
the scheduler (``ui/scheduler.py``) do with them, through the feed repository
(``store/digests.py``).

:class:`FeedBook` stands alone (an engine is all it needs), so ``jobfit feeds add|list|remove``
run without the embedder and index a full service loads; a service hands out one with
``service.feeds()``. Refreshing a feed imports it through the service (:meth:`refresh`).
"""

from __future__ import annotations

import builtins
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from tools.errors import JobfitError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from agent.operations import OperatorOps
    from store.tables import FeedRecord

logger = logging.getLogger(__name__)


class FeedBook:
    """The registered feeds (shared, not personal data)."""

    def __init__(self, engine: Engine) -> None:
        from store.digests import FeedRepo

        self.repo = FeedRepo(engine)

    def add(self, url: str, every_s: int) -> FeedRecord:
        """Register ``url`` (or change how often it is re-imported); InvalidInputError for a
        URL that is not http(s)/file or a period under a minute."""
        return self.repo.add(url, every_s)

    def list(self) -> builtins.list[FeedRecord]:
        """Every registered feed, oldest first."""
        return self.repo.list()

    def get(self, feed_id: int) -> FeedRecord | None:
        return self.repo.get(feed_id)

    def remove(self, ref: str) -> bool:
        """Unregister the feed with this id or URL; whether there was one."""
        return self.repo.remove(ref)

    def due(self, now: datetime | None = None) -> builtins.list[FeedRecord]:
        """The feeds whose period has passed since their last run (or never run)."""
        return self.repo.due(now)

    def refresh(self, service: OperatorOps, feed_id: int) -> bool:
        """Re-import one feed into the shared jobs and record the outcome on it (new jobs, or
        the error); False when there is no such feed. A failure is recorded, not raised."""
        feed = self.repo.get(feed_id)
        if feed is None or feed.id is None:
            return False
        try:
            summary = service.import_jobs(feed.url, is_feed=True, workers=1)
            self.repo.record(feed.id, ok=True, new=int(summary.new))
        except JobfitError as exc:
            self.repo.record(feed.id, ok=False, error=str(exc))
        except Exception as exc:
            logger.error("feed refresh failed: %s", type(exc).__name__)
            self.repo.record(feed.id, ok=False, error=type(exc).__name__)
        return True
