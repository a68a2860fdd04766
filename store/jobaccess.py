"""Who may write the job store, and who sees which job.

The job store has two kinds of jobs:

* **shared** jobs (``owner_id`` NULL): every user matches against them. Only an *admin* writes
  them: the operator's ``jobfit import`` (and the bundled sample seed), or a chat user named in
  ``JOBFIT_ADMINS`` (the local user of open mode is an admin: it is the operator's own machine).
* **private** jobs of one user: a jobs file a non-admin user drops into the web chat (or
  ``/import`` in ``jobfit chat``) goes to the source ``user:<owner id>``; every row's own
  source column is ignored, so such an import can never overwrite a shared job or another
  user's job (the store's key is ``(source, external id)``). Only the owner sees them (search,
  matches, job references); they are never linked as near-duplicates of shared jobs, never
  enter the shared stage-1 matching indexes, and "forget me" deletes them.

Each job keeps its provenance: ``created_by`` (who first imported it: ``operator`` or
``user:<id>``), ``batch_id`` (the import that last wrote it; the batch records its actor, file,
start and end) and ``imported`` / ``updated`` (when).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, or_, select

from store.tables import ImportBatchRecord, JobRecord

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tools.search import JobIndex

logger = logging.getLogger(__name__)

#: Sources that start with this are one user's private source.
PRIVATE_PREFIX = "user:"
#: The actor of the operator's own imports (CLI ``jobfit import``, the sample seed).
OPERATOR = "operator"
#: Private jobs one user may keep (their matches score them all, one by one).
MAX_PRIVATE_JOBS = 5000

_JOBS = JobRecord.__table__  # type: ignore[attr-defined]
_BATCHES = ImportBatchRecord.__table__  # type: ignore[attr-defined]


def private_source(owner_id: str) -> str:
    """The private source of a user's own imports."""
    return f"{PRIVATE_PREFIX}{owner_id}"[:100]


def is_private_source(source: str | None) -> bool:
    return bool(source) and str(source).strip().lower().startswith(PRIVATE_PREFIX)


def user_actor(owner_id: str) -> str:
    """How a chat user is named in provenance."""
    return f"user:{owner_id}"[:100]


def parse_admins(value: str | Iterable[str] | None) -> frozenset[str]:
    """``JOBFIT_ADMINS`` ("ana, bob" or a list) as a set of names (logins or user ids)."""
    if value is None:
        return frozenset()
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value)
    return frozenset(s.strip() for s in items if s and s.strip())


def chat_user_is_admin(admins: str | Iterable[str] | None, *names: str | None,
                       open_mode: bool = False) -> bool:
    """Whether a chat user may write the shared store: open mode's local user (the operator's
    own machine), or one of ``names`` (login, user id) listed in ``JOBFIT_ADMINS``."""
    if open_mode:
        return True
    allowed = parse_admins(admins)
    return any(n is not None and n.strip() in allowed for n in names)


def visible_clause(owner_id: str | None) -> Any:
    """SQL condition: the jobs ``owner_id`` may see (shared ones, plus their own)."""
    if owner_id is None:
        return _JOBS.c.owner_id.is_(None)
    return or_(_JOBS.c.owner_id.is_(None), _JOBS.c.owner_id == owner_id)


def is_visible(job_owner: str | None, viewer: str | None) -> bool:
    return job_owner is None or job_owner == viewer


def private_job_ids(engine: Engine, owner_id: str, *, active_only: bool = True) -> list[int]:
    """Ids of the user's private jobs (ACTIVE ones by default), by id."""
    stmt = select(_JOBS.c.id).where(_JOBS.c.owner_id == owner_id).order_by(_JOBS.c.id)
    if active_only:
        stmt = stmt.where(_JOBS.c.status == "ACTIVE")
    with engine.connect() as conn:
        return [int(i) for (i,) in conn.execute(stmt)]


def count_private_jobs(engine: Engine, owner_id: str) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(_JOBS)
                                .where(_JOBS.c.owner_id == owner_id)).scalar_one())


def delete_private_jobs(engine: Engine, owner_id: str, index: JobIndex | None = None) -> int:
    """Delete every private job of the user (database and vector index) and their import
    batches; how many jobs ("forget me")."""
    ids = private_job_ids(engine, owner_id, active_only=False)
    if ids and index is not None:
        try:
            index.delete([str(i) for i in ids])
        except Exception:  # the rows go anyway; `jobfit index check` reports leftovers
            logger.exception("could not remove private jobs from the index")
    with engine.begin() as conn:
        # matches / feedback on them cascade (foreign keys); near-duplicate links never
        # point at private jobs, but clear any such link before the rows go
        if ids:
            for s in range(0, len(ids), 900):
                conn.execute(_JOBS.update().where(_JOBS.c.duplicate_of.in_(ids[s:s + 900]))
                             .values(duplicate_of=None))
        conn.execute(delete(_JOBS).where(_JOBS.c.owner_id == owner_id))
        conn.execute(delete(_BATCHES).where(_BATCHES.c.owner_id == owner_id))
    return len(ids)
