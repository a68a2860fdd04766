"""The job collection as the operator runs it: imports (shared, or a chat user's private
jobs), and the maintenance the CLI offers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from agent.accounts import AccountOps
from tools.errors import InvalidInputError

if TYPE_CHECKING:

    from store.importers import ImportSummary


logger = logging.getLogger(__name__)


class OperatorOps(AccountOps):
    """Imports and maintenance of the job collection."""

    def import_jobs(self, path: str | Path,
                    progress: Callable[[int, int | None], None] | None = None, *,
                    owner_id: str | None = None, admin: bool = False) -> ImportSummary:
        """Import a jobs file (JSON/JSONL/CSV) or feed.

        ``owner_id`` None: the operator's import (CLI, sample seed) into the shared store.
        A chat user's import (``owner_id`` given) goes to their private source
        ``user:<owner_id>`` (only they see those jobs; nothing shared or another user's is
        overwritten) unless the channel says the user is an ``admin`` (``JOBFIT_ADMINS``).
        See ``store.jobaccess``.
        """
        from store.importers import import_jobs
        from store.jobaccess import MAX_PRIVATE_JOBS, OPERATOR, count_private_jobs, user_actor

        if self.embedder is None:
            raise InvalidInputError("JOBFIT_EMBEDDER=none: importing jobs needs an embedder.")
        if owner_id is not None:
            self._check_owner(owner_id)
        private = owner_id is not None and not admin
        if private and count_private_jobs(self.engine, str(owner_id)) >= MAX_PRIVATE_JOBS:
            raise InvalidInputError(
                f"You already have {MAX_PRIVATE_JOBS:,} private jobs, the most one user can "
                "keep. Ask the operator to add jobs to the shared store.")
        actor = OPERATOR if owner_id is None else user_actor(owner_id)
        summary = import_jobs(path, engine=self.engine, index=self.index, embedder=self.embedder,
                              progress=progress, owner_id=owner_id if private else None,
                              actor=actor)
        if not private:
            self.refresh_jobs()
        return summary
