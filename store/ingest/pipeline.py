"""The import: a job file or feed read in chunks, prepared (in worker processes for large
imports), stored and indexed chunk by chunk (see :mod:`store.ingest` for the pipeline)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from store.ingest.feeds import feed_source_name, is_url, read_feed
from store.ingest.files import Row, file_format
from store.ingest.readers import count_rows, read_rows
from store.ingest.results import ImportSummary, ProgressCallback
from store.ingest.run import ImportRun, Timings
from store.ingest.workers import (
    can_fork,
    close_pool,
    default_workers,
    make_pool,
    prepare_chunk,
    prepare_in_worker,
)
from store.ingest.writer import store_chunk
from store.jobaccess import is_private_source, private_source
from store.recovery import beat
from tools.errors import InvalidInputError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tools.ports import Embedder
    from tools.search import JobIndex

logger = logging.getLogger(__name__)


def import_jobs(
    source: str | Path,
    *,
    engine: Engine,
    index: JobIndex,
    embedder: Embedder,
    chunk_size: int = 200,
    default_source: str | None = None,
    progress: ProgressCallback | None = None,
    is_feed: bool = False,
    workers: int | None = None,
    now: datetime | None = None,
    timings: dict[str, float] | None = None,
    owner_id: str | None = None,
    actor: str = "operator",
) -> ImportSummary:
    """Import a job file (JSON array, JSONL, CSV) or an RSS / Atom feed (URL or file).

    Args:
        source: the file path, or the feed URL / path when ``is_feed`` (a http(s) URL is
            always read as a feed, and so is a file with an .xml / .rss / .atom name).
        engine: the SQL engine (``store.db.make_engine``), schema initialised.
        index: the vector index (``store.vectors.ChromaJobIndex``).
        embedder: embeds ``job_embedding_text`` of new and changed jobs.
        chunk_size: rows per transaction (and per index write).
        default_source: source name for rows without a platform / source column (default:
            "import" for files; the host or the file stem for feeds).
        progress: ``progress(done, total)`` after every chunk; ``done`` counts every row
            handled (failed ones too); ``total`` is None when not known up front (JSON
            arrays, feeds).
        workers: parsing processes (default: one per CPU, at most 4, once the import is
            larger than one chunk); 1 parses in this process.
        now: the import time (relative posting dates); default: now.
        timings: if given, filled with seconds spent per stage (see ``run.Timings``).
        owner_id: import into this user's private source ``user:<owner_id>`` (only that
            user sees the jobs; a row's own source column is ignored, so no shared job and
            no other user's job can be written). None: the shared store (the operator's
            ``jobfit import``; rows naming a ``user:`` source are refused).
        actor: who runs the import, kept as provenance on the batch and on new jobs.

    Returns the :class:`ImportSummary` (``total == new + updated + unchanged + failed``).
    Raises :class:`tools.errors.JobfitError` when the file or feed cannot be read at all;
    the batch is then recorded as FAILED with the counts reached (chunks already committed
    stay committed; re-running completes the import).
    """
    from store.repo import BatchRepo, JobRepo

    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    feed = is_feed or is_url(source) or (Path(source).is_file()
                                         and file_format(Path(source)) == "feed")
    name = str(source) if is_url(source) else Path(source).name
    src_default = default_source or (feed_source_name(source) if feed else "import")
    if owner_id is not None:
        src_default = private_source(owner_id)
    elif is_private_source(src_default):
        raise InvalidInputError("'user:' sources are private: import them as that user.")
    n_workers = workers if workers is not None else default_workers()

    batches = BatchRepo(engine)
    batch_id = batches.start(src_default, name, actor=actor[:100], owner_id=owner_id)
    run = ImportRun(engine=engine, repo=JobRepo(engine), index=index, embedder=embedder,
               default_source=src_default, today=(now or datetime.now(UTC)).date(),
               summary=ImportSummary(batch_id=batch_id), owner_id=owner_id,
               actor=actor[:100])
    status = "FAILED"
    try:
        rows: Iterator[Row] = read_feed(source) if feed else read_rows(source)
        total = None if feed else count_rows(source)
        t0 = time.perf_counter()
        run.indexed = index.hashes()
        run.timings.index += time.perf_counter() - t0
        submitted = 0
        for chunk in _chunks(rows, chunk_size, run.timings):
            larger = submitted > 0 or (total is not None and total > chunk_size)
            if run.pool is None and larger and n_workers > 1 and can_fork():
                run.pool = make_pool(n_workers, engine, embedder)
            _submit(run, chunk)
            submitted += 1
            limit = 2 * n_workers if run.pool is not None else 0
            while len(run.pending) > limit:
                _complete(run, progress, total)
        while run.pending:
            _complete(run, progress, total)
        status = "DONE"
    finally:
        if run.pool is not None:
            close_pool(run.pool)
        summary = run.summary
        counts = summary.model_dump(include={"total", "new", "updated", "unchanged", "failed"})
        try:
            batches.finish(batch_id, counts, [e.model_dump() for e in summary.errors], status)
        except Exception:  # never hide the original error behind bookkeeping
            if status == "DONE":
                raise
            logger.exception("could not record the failed batch %s", batch_id)
        if timings is not None:
            timings.update(run.timings.as_dict())
    return run.summary


def _chunks(rows: Iterator[Row], size: int, timings: Timings) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    t0 = time.perf_counter()
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            timings.read += time.perf_counter() - t0
            yield chunk
            chunk = []
            t0 = time.perf_counter()
    timings.read += time.perf_counter() - t0
    if chunk:
        yield chunk


def _submit(run: ImportRun, chunk: list[tuple[int, Any]]) -> None:
    if run.pool is not None:
        run.pending.append(run.pool.apply_async(
            prepare_in_worker, (chunk, run.default_source, run.today)))
    else:
        run.pending.append(chunk)


def _complete(run: ImportRun, progress: ProgressCallback | None, total: int | None) -> None:
    head = run.pending.popleft()
    t0 = time.perf_counter()
    if isinstance(head, list):
        results = prepare_chunk(head, run.default_source, run.today, run.engine)
        run.timings.parse += time.perf_counter() - t0
    else:
        results = head.get()
        run.timings.wait += time.perf_counter() - t0
    store_chunk(run, results)
    beat(run.engine, run.summary.batch_id)  # store.recovery: this import is alive
    run.done += len(results)
    if progress is not None:
        progress(run.done, total if total is not None and total >= run.done else None)

