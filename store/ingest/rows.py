"""One row → a job ready to store: mapped, identified, hashed, then parsed.

The cheap step (:func:`premap_row`: column mapping, identity, content hash) runs for every
row; the expensive one (:func:`parse_rows`: ``parse_job``, ~6 ms a posting) only for rows the
database does not already hold unchanged. :func:`normalize_row` does both for one row.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from store.ingest.columns import map_record
from store.ingest.identity import content_text, stable_external_id
from store.ingest.records import to_job_record
from store.ingest.results import ImportRowError, short_reason
from store.jobaccess import is_private_source
from tools.schemas import JobPosting

if TYPE_CHECKING:
    from store.repo import JobUpsert

logger = logging.getLogger(__name__)


@dataclass(slots=True)
class PreparedRow:
    """A row after the cheap step (mapping, identity, content hash), before parsing."""

    row: int
    record: dict[str, Any] | None = None
    source: str = ""
    external_id: str = ""
    content_hash: str = ""
    error: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.source, self.external_id

    @property
    def url(self) -> str | None:
        """The posting's link (what ``parse_job`` keeps as ``JobPosting.url``), if any."""
        return (self.record or {}).get("url")


@dataclass(slots=True)
class NormalisedRow:
    """A row ready to store: parsed (``upsert``), known unchanged (``skipped``) or failed."""

    pre: PreparedRow
    upsert: JobUpsert | None = None
    posting: JobPosting | None = None
    embed_text: str = ""
    error: str | None = None
    skipped: bool = False
    vector: Any = None  # embedded by the worker when the embedder may run there


def premap_row(row: int, raw: Any, default_source: str) -> PreparedRow:
    """The cheap step for one read row: mapped, its source and external id fixed, hashed.

    A row that cannot be a job comes back with ``error`` set (the import goes on); in a
    private import (``default_source`` is ``user:…``) every row takes that source, and in a
    shared import a row naming a ``user:`` source is refused.
    """
    from store.cache import content_hash
    from tools.scoring import ENGINE_VERSION

    if isinstance(raw, ImportRowError):
        return PreparedRow(row, error=short_reason(str(raw)))
    if not isinstance(raw, Mapping):
        return PreparedRow(row, error=f"not a JSON object (got {type(raw).__name__})")
    try:
        record = to_job_record(map_record(raw))
    except Exception as err:  # odd nested values: this row fails, the import goes on
        logger.debug("row %d could not be mapped", row, exc_info=True)
        return PreparedRow(row, error=short_reason(f"unreadable row ({type(err).__name__})"))
    if not record.get("title") and not record.get("description"):
        return PreparedRow(row, error="no title and no description")
    if is_private_source(default_source):  # a user's private import: every row is theirs
        source = default_source
    else:
        source = (record.get("source") or default_source or "import").strip()[:100]
        if is_private_source(source):
            return PreparedRow(row, error=f"source {source[:40]!r}: 'user:' sources are "
                                          "private to their user")
    external_id = (record.get("external_id") or stable_external_id(record))[:500]
    record["source"], record["external_id"] = source, external_id
    # the engine version too: importing again after an upgrade re-parses (and re-embeds) the
    # posting, so stored postings gain what the new parser reads
    digest = content_hash(f"{ENGINE_VERSION}\n{content_text(record)}")
    return PreparedRow(row, record, source, external_id, digest)


def parse_row(pre: PreparedRow, today: date | None) -> tuple[JobUpsert, JobPosting]:
    """The expensive step: ``parse_job`` on the prepared record, as the row to upsert."""
    from store.repo import JobUpsert
    from tools.parsing.job import parse_job

    record = pre.record or {}
    job = parse_job(record, today=today)
    if job.title is None and record.get("title"):
        job = job.model_copy(update={"title": record["title"]})
    work_mode = job.work_mode or ("remote" if job.location and job.location.remote else None)
    salary = job.salary
    upsert = JobUpsert(
        source=pre.source,
        external_id=pre.external_id,
        url=job.url,
        title=(job.title or "")[:500],
        company=job.company,
        location=(job.location.raw or None) if job.location else record.get("location"),
        remote=work_mode,
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_currency=salary.currency if salary else None,
        experience_min=job.experience_min,
        experience_max=job.experience_max,
        skills=list(dict.fromkeys(s.skill_id for s in job.all_skills)),
        keywords=list(job.keywords),
        parsed=job.model_dump(mode="json"),
        text=job.text,
        content_hash=pre.content_hash,
        posted=job.posted_date,
        duplicate_of=None,
    )
    return upsert, job


def normalize_row(raw: Mapping[str, Any], default_source: str, *,
                  today: date | None = None) -> JobUpsert:
    """One raw row (any column naming) as a :class:`store.repo.JobUpsert`.

    Raises :class:`ImportRowError` (a short reason) when the row cannot be a job: not an
    object, or neither a title nor a description.
    """
    pre = premap_row(0, raw, default_source)
    if pre.error is not None:
        raise ImportRowError(pre.error)
    return parse_row(pre, today)[0]


def parse_rows(items: list[PreparedRow], today: date | None) -> list[NormalisedRow]:
    """Parse rows (runs in a worker process for large imports); a failure stays per row."""
    from tools.scoring import job_embedding_text

    out: list[NormalisedRow] = []
    for pre in items:
        try:
            upsert, job = parse_row(pre, today)
        except Exception as err:  # parse_job never raises by contract; a bug must not stop
            logger.exception("row %d could not be parsed", pre.row)
            out.append(NormalisedRow(pre, error=short_reason(f"could not be parsed "
                                                             f"({type(err).__name__})")))
            continue
        out.append(NormalisedRow(pre, upsert, job, job_embedding_text(job)))
    return out

