"""The job store as matching sees it: parsed postings by id, and the keyword index over them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from sqlalchemy import Engine

from store.repo import JobRepo, parsed_job
from store.tables import JobRecord
from tools.matching import StoredJob
from tools.search import KeywordIndex


def stored_job(record: JobRecord) -> StoredJob:
    return StoredJob(id=str(record.id), content_hash=record.content_hash,
                     posting=parsed_job(record))


class DbJobSource:
    """``tools.matching.JobSource`` over the jobs table (ACTIVE jobs only)."""

    def __init__(self, engine: Engine) -> None:
        self.repo = JobRepo(engine)

    def get_jobs(self, ids: Sequence[str]) -> list[StoredJob]:
        wanted = [int(i) for i in ids if str(i).isdigit()]
        return [stored_job(r) for r in self.repo.get_many(wanted) if r.status == "ACTIVE"]

    def iter_active(self, batch: int = 1000) -> Iterator[list[StoredJob]]:
        chunk: list[StoredJob] = []
        for record in self.repo.iter_active(batch=batch):
            chunk.append(stored_job(record))
            if len(chunk) >= batch:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def build_keyword_index(engine: Engine) -> KeywordIndex:
    """An in-memory skill/keyword index of every ACTIVE job (rebuilt per process)."""
    index = KeywordIndex()
    for record in JobRepo(engine).iter_active(batch=2000):
        parsed = record.parsed or {}
        required = [s["skill_id"] for s in parsed.get("required_skills", [])]
        preferred = [s["skill_id"] for s in parsed.get("preferred_skills", [])]
        index.add(str(record.id), required + preferred, record.keywords or [],
                  required_ids=required)
    return index
