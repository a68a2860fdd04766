"""One prepared chunk stored: errors counted, near-duplicates linked, rows upserted in one
transaction (committed), then new / changed / missing-from-index jobs embedded and indexed."""

from __future__ import annotations

import logging
import time
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from store.ingest.results import record_failure
from store.ingest.rows import NormalisedRow, parse_rows
from store.ingest.run import ImportRun, JobWriter
from store.ingest.stored import StoredJob, companies_elsewhere, lookup_stored
from tools.errors import JobfitError
from tools.schemas import JobPosting

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from store.repo import JobUpsert

logger = logging.getLogger(__name__)


def store_chunk(run: ImportRun, results: list[NormalisedRow]) -> None:
    """One chunk: errors recorded, near-duplicates linked, rows upserted in one transaction
    (committed), then new / changed / missing-from-index jobs embedded and indexed."""
    from store.repo import normalise_company, parsed_job
    from tools.scoring import job_embedding_text

    summary, timings = run.summary, run.timings
    parsed: list[NormalisedRow] = []
    skipped: list[NormalisedRow] = []
    for item in results:
        summary.total += 1
        if item.error is not None:
            record_failure(summary, item.pre.row, item.error)
        elif item.skipped:
            summary.unchanged += 1
            skipped.append(item)
        else:
            parsed.append(item)

    t0 = time.perf_counter()
    before = lookup_stored(run.engine, [r.pre.key for r in parsed + skipped])
    timings.db += time.perf_counter() - t0
    stale = [item for item in skipped
             if (old := before.get(item.pre.key)) is None
             or old.content_hash != item.pre.content_hash]
    if stale:  # an earlier chunk changed these jobs after the worker looked: parse them now
        t0 = time.perf_counter()
        summary.unchanged -= len(stale)
        stale_ids = {id(item) for item in stale}
        skipped = [item for item in skipped if id(item) not in stale_ids]
        for item in parse_rows([item.pre for item in stale], run.today):
            if item.error is not None:
                record_failure(summary, item.pre.row, item.error)
            else:
                parsed.append(item)
        timings.parse += time.perf_counter() - t0
    rows = [item.upsert for item in parsed if item.upsert is not None]
    t0 = time.perf_counter()
    if rows:
        elsewhere = companies_elsewhere(run.engine, rows) if run.owner_id is None else set()
        for row in rows:
            old = before.get(_key(row))
            company_key = normalise_company(row.company)
            row.owner_id, row.created_by = run.owner_id, run.actor
            row.batch_id = summary.batch_id
            if old is not None and old.content_hash == row.content_hash:
                row.duplicate_of = old.duplicate_of  # unchanged: nothing is written anyway
            elif any(k == company_key and s != row.source for k, s in elsewhere):
                row.duplicate_of = _duplicate_of(run.repo, row, old)
        statuses = run.repo.upsert_many(rows)  # one transaction: the chunk is committed
        if len(statuses) != len(rows):
            raise JobfitError("the job store returned an unexpected result")
        after = lookup_stored(run.engine, [_key(r) for r, st in zip(rows, statuses, strict=True)
                                           if st != "unchanged" or _key(r) not in before])
    else:
        statuses, after = [], {}
    moved, relinked = _moved_urls(parsed, rows, statuses, skipped, before, after)
    if moved:
        _write_urls(run.engine, moved, summary.batch_id)
        relinked_skipped = sum(1 for item in skipped if id(item) in relinked)
        summary.unchanged -= relinked_skipped  # counted when the chunk came in
        summary.updated += relinked_skipped
    timings.db += time.perf_counter() - t0

    # What to (re)index: new and changed jobs, and stored jobs the index lacks or holds with
    # another hash (a run killed between commit and indexing). Inactive jobs leave the index.
    to_index: dict[str, tuple[str, JobPosting, StoredJob, Any]] = {}
    repair: list[StoredJob] = []
    to_delete: list[str] = []

    def wants_index(rec: StoredJob, changed: bool) -> bool:
        job_id = str(rec.id)
        if rec.status != "ACTIVE":
            if job_id in run.indexed:
                to_delete.append(job_id)
            return False
        return changed or run.indexed.get(job_id) != rec.content_hash

    for item, row, status in zip(parsed, rows, statuses, strict=True):
        counted = "updated" if id(item) in relinked else status
        setattr(summary, counted, getattr(summary, counted) + 1)
        rec = after.get(_key(row)) or before.get(_key(row))
        if rec is None or rec.content_hash != row.content_hash:
            continue  # a later row with the same key changed it again: that row indexes it
        if wants_index(rec, status != "unchanged") and item.posting is not None:
            to_index[str(rec.id)] = (item.embed_text, item.posting, rec, item.vector)
    for item in skipped:
        rec = before.get(item.pre.key)
        if rec is not None and rec.content_hash == item.pre.content_hash \
                and wants_index(rec, False):
            repair.append(rec)
    if repair:
        t0 = time.perf_counter()
        records = run.repo.get_many([r.id for r in repair])
        timings.db += time.perf_counter() - t0
        by_id = {r.id: r for r in repair}
        for record in records:
            job = parsed_job(record)
            to_index[str(record.id)] = (job_embedding_text(job), job, by_id[record.id], None)
    _index(run, to_index)
    if to_delete:
        t0 = time.perf_counter()
        run.index.delete(to_delete)
        for job_id in to_delete:
            run.indexed.pop(job_id, None)
        timings.index += time.perf_counter() - t0


def _moved_urls(parsed: list[NormalisedRow], rows: list[JobUpsert], statuses: list[str],
                skipped: list[NormalisedRow], before: dict[tuple[str, str], StoredJob],
                after: dict[tuple[str, str], StoredJob]) -> tuple[dict[int, str], set[int]]:
    """Stored jobs whose link alone changed: ``{job id: new URL}``, and the rows (``id()``)
    that changed it, to count as updated.

    The content hash leaves the URL out (a new link is not a new posting: nothing to re-parse
    or re-embed), so ``upsert_many`` calls such a row unchanged. A row without a URL keeps the
    stored one. Rows are taken in chunk order, as ``upsert_many`` does: a later row of the same
    key sees what an earlier one wrote, and the last write wins.
    """
    current = {key: old.url for key, old in before.items()}
    moved: dict[tuple[str, str], str] = {}
    relinked: set[int] = set()
    for item, row, status in zip(parsed, rows, statuses, strict=True):
        key = _key(row)
        if status != "unchanged":  # upsert_many wrote every field, the URL too
            current[key] = row.url
            moved.pop(key, None)
        elif row.url and row.url != current.get(key):
            current[key] = moved[key] = row.url
            relinked.add(id(item))
    for item in skipped:  # stored with this content hash; the key is once in the chunk
        url = item.pre.url
        if url and url != current.get(item.pre.key):
            moved[item.pre.key] = url
            relinked.add(id(item))
    ids: dict[int, str] = {}
    for key, url in moved.items():
        rec = after.get(key) or before.get(key)
        if rec is not None:
            ids[rec.id] = url
    return ids, relinked


def _write_urls(engine: Engine, moved: dict[int, str], batch_id: int) -> None:
    """Write new links (one transaction): the ``url`` column, the stored posting's ``url``,
    ``updated`` and the batch that last wrote the job. Status and index entry stay."""
    from sqlmodel import col, select

    from store.db import session_scope
    from store.tables import JobRecord, utcnow

    now = utcnow()
    with session_scope(engine) as session:
        ids = sorted(moved)
        for start in range(0, len(ids), 500):
            part = ids[start:start + 500]
            for rec in session.exec(select(JobRecord).where(col(JobRecord.id).in_(part))):
                assert rec.id is not None
                url = moved[rec.id]
                rec.url = url
                rec.parsed = {**(rec.parsed or {}), "url": url}
                rec.updated = now
                rec.batch_id = batch_id
                session.add(rec)
    logger.debug("import: %d stored jobs got a new link", len(moved))


def _index(run: ImportRun, to_index: dict[str, tuple[str, JobPosting, StoredJob, Any]]) -> None:
    """Embed what has no vector yet, then write the entries to the index."""
    from tools.search import IndexedJob, job_metadata

    if not to_index:
        return
    items = list(to_index.items())
    missing = [i for i, (_, (_, _, _, vec)) in enumerate(items) if vec is None]
    vectors: list[Any] = [vec for _, (_, _, _, vec) in items]
    if missing:
        t0 = time.perf_counter()
        embedded = run.embedder.embed([items[i][1][0] for i in missing])
        for i, vec in zip(missing, embedded, strict=True):
            vectors[i] = vec
        run.timings.embed += time.perf_counter() - t0
    t0 = time.perf_counter()
    entries = [
        IndexedJob(id=job_id, vector=vector, content_hash=rec.content_hash,
                   metadata=job_metadata(job, rec.company, status=rec.status,
                                         posted=_day(rec.imported)))
        for (job_id, (_, job, rec, _)), vector in zip(items, vectors, strict=True)
    ]
    run.index.upsert(entries)
    for entry in entries:
        run.indexed[entry.id] = entry.content_hash
    run.timings.index += time.perf_counter() - t0


def _key(row: JobUpsert) -> tuple[str, str]:
    return row.source, row.external_id


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _duplicate_of(repo: JobWriter, row: JobUpsert, old: StoredJob | None) -> int | None:
    """The original job this row duplicates on another source, or None.

    The repository returns the original of a chain; a link back to the row itself (the other
    source was imported later and linked to this one) is dropped, so links never form cycles.
    """
    if not row.title or not row.company:
        return None
    found = repo.find_near_duplicate(row.company, row.title, row.location, row.posted,
                                     row.source)
    if found is None or found.id is None:
        return None
    canonical = int(found.duplicate_of if found.duplicate_of is not None else found.id)
    if old is not None and canonical == old.id:
        return None
    return canonical
