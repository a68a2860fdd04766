"""Job ingestion: JSON / JSONL / CSV files and RSS / Atom feeds → the job store and index.

One module per role, in pipeline order:

- :mod:`store.ingest.files` — a job file on disk: size limits, encoding, format detection.
- :mod:`store.ingest.readers` — JSON arrays, JSONL and CSV streamed as ``(row_number, dict |
  ImportRowError)``; :mod:`store.ingest.feeds` — RSS / Atom feeds (URL or file), the same way.
- :mod:`store.ingest.columns` — column names mapped to canonical fields (:func:`map_record`).
- :mod:`store.ingest.records` — mapped values coerced to the record ``parse_job`` reads
  (:func:`to_job_record`); :mod:`store.ingest.markup` — HTML descriptions to plain text.
- :mod:`store.ingest.identity` — a job's identity: canonical URL, stable external id, the
  canonical text the content hash covers.
- :mod:`store.ingest.rows` — one row mapped, identified, hashed and parsed into a
  :class:`store.repo.JobUpsert` (:func:`normalize_row`).
- :mod:`store.ingest.workers` — the forked parsing processes (entry points importable by path).
- :mod:`store.ingest.stored` — what the database already holds for a chunk's keys.
- :mod:`store.ingest.writer` — one chunk stored (one transaction), near-duplicates linked,
  new / changed jobs embedded and indexed.
- :mod:`store.ingest.pipeline` — :func:`import_jobs`, the chunked, multi-process import.
- :mod:`store.ingest.expiry` — old jobs expired and removed from the index.
- :mod:`store.ingest.results` — the :class:`ImportSummary` and per-row errors.

Reading streams rows; nothing holds the whole file in memory except a JSON document that is not
a top-level array (size-guarded). ``row_number`` is the 1-based line of the record in a JSONL or
CSV file (where the record starts) and the 1-based element / entry position in a JSON array or
a feed.

:func:`store.ingest.pipeline.import_jobs` runs the pipeline chunk by chunk::

    read → normalise (bad row → error with its row number; the import goes on)
         → link cross-source near-duplicates (duplicate_of)
         → JobRepo.upsert_many(chunk)            (one transaction: the chunk is committed)
         → write changed links of otherwise unchanged jobs (the content hash leaves URLs out)
         → embed new / updated jobs → index.upsert
         → progress(done, total)

Crash safety: a chunk is committed to the database before it is indexed, and upserts are
idempotent, so an import killed at any point and run again ends with every job exactly once.
Rows already stored come back ``unchanged``; a stored, active job whose index entry is missing
or carries another content hash (the process died between commit and indexing) is indexed
again on that run.

Parsing is the expensive step (~6 ms a posting); large imports parse in worker processes
(``workers``) while the main process writes and indexes the previous chunk.
"""
