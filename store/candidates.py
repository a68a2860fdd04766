"""A recruiter's candidate pool and shortlist decisions (personal data, filtered by owner).

Any user can have a pool: adding CVs to it is what makes someone a recruiter in jobfit. Every
method takes the owner's id and only ever reads or changes that owner's rows, so two
recruiters never see each other's candidates (tested).
"""

from __future__ import annotations

import builtins
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import Engine, delete
from sqlmodel import col, select

from store.db import session_scope
from store.tables import (
    CandidateRecord,
    CandidateStatus,
    CandidateStatusRecord,
    UserRecord,
    utcnow,
)
from tools.blind import unique_label
from tools.candidates import Candidate
from tools.errors import InvalidInputError, JobfitError
from tools.schemas import CandidateProfile

logger = logging.getLogger(__name__)


class CandidateNotFoundError(JobfitError):
    """No such candidate in this recruiter's pool."""


@dataclass(frozen=True)
class AddOutcome:
    """What adding one CV did: ``new`` or ``duplicate`` (of ``record``)."""

    record: CandidateRecord
    new: bool


def to_candidate(record: CandidateRecord) -> Candidate:
    """The ranking view of a stored candidate (its label is its pool id while blind)."""
    vector = np.asarray(record.vector, dtype=np.float32) if record.vector else None
    return Candidate(
        cv_id=record.label, profile=CandidateProfile.model_validate(record.parsed),
        content_hash=record.content_hash, vector=vector, features=record.features or None,
        name=record.name, file_name=record.file_name, revealed=record.opened is not None)


class CandidateRepo:
    """Candidate pools and statuses; every method filters by ``owner_id``."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add_many(self, owner_id: str, items: Sequence[tuple[Candidate, str]],
                 vectors: Sequence[np.ndarray | None] | None = None) -> list[AddOutcome]:
        """Store (candidate, original text) pairs; a CV already in the pool (same content) is
        not stored again. One transaction."""
        out: list[AddOutcome] = []
        with session_scope(self.engine) as session:
            if session.get(UserRecord, owner_id) is None:
                session.add(UserRecord(id=owner_id))
                session.flush()
            hashes = [c.content_hash for c, _ in items]
            have = {r.content_hash: r for r in session.exec(select(CandidateRecord).where(
                CandidateRecord.owner_id == owner_id,
                col(CandidateRecord.content_hash).in_(hashes)))} if hashes else {}
            labels = set(session.exec(select(CandidateRecord.label).where(
                CandidateRecord.owner_id == owner_id))) if items else set()
            for i, (cand, text) in enumerate(items):
                same = have.get(cand.content_hash)
                if same is not None:
                    out.append(AddOutcome(same, False))
                    continue
                vec = vectors[i] if vectors is not None else cand.vector
                label = unique_label(cand.content_hash, labels)  # unique in the pool
                labels.add(label)
                rec = CandidateRecord(
                    owner_id=owner_id, label=label, file_name=cand.file_name or "",
                    name=cand.name, text=text,
                    parsed=cand.profile.model_dump(mode="json"), features=cand.features or {},
                    vector=[float(x) for x in vec] if vec is not None else [],
                    content_hash=cand.content_hash)
                session.add(rec)
                have[cand.content_hash] = rec
                out.append(AddOutcome(rec, True))
        logger.info("pool: %d added, %d duplicates", sum(o.new for o in out),
                    sum(not o.new for o in out))
        return out

    def list(self, owner_id: str) -> builtins.list[CandidateRecord]:
        """The owner's candidates, oldest first, without their CV text (not loaded: the
        ranking and lists never need it; ``find`` returns a whole record)."""
        from sqlalchemy.orm import defer

        with session_scope(self.engine) as session:
            stmt = (select(CandidateRecord).where(CandidateRecord.owner_id == owner_id)
                    .options(defer(CandidateRecord.text))  # type: ignore[arg-type]
                    .order_by(col(CandidateRecord.id)))
            return builtins.list(session.exec(stmt))

    def count(self, owner_id: str) -> int:
        return self.signature(owner_id)[0]

    def signature(self, owner_id: str) -> tuple[int, int, int]:
        """(candidates, highest id, opened): changes whenever the pool does (cache key)."""
        from sqlalchemy import func

        with session_scope(self.engine) as session:
            row = session.exec(select(
                func.count(col(CandidateRecord.id)), func.max(col(CandidateRecord.id)),
                func.count(col(CandidateRecord.opened))).where(
                CandidateRecord.owner_id == owner_id)).one()
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0)

    def find(self, owner_id: str, ref: str) -> CandidateRecord:
        """A candidate by pool id ("12"), label ("C-1a2b3c") or file name."""
        ref = ref.strip()
        with session_scope(self.engine) as session:
            stmt = select(CandidateRecord).where(CandidateRecord.owner_id == owner_id)
            if ref.isdigit():
                stmt = stmt.where(CandidateRecord.id == int(ref))
            elif ref.upper().startswith("C-"):
                stmt = stmt.where(CandidateRecord.label == "C-" + ref[2:].lower())
            else:
                stmt = stmt.where(CandidateRecord.file_name == ref)
            rec = session.exec(stmt).first()
        if rec is None:
            raise CandidateNotFoundError(f"No candidate {ref!r} in your pool.")
        return rec

    def remove(self, owner_id: str, ref: str) -> CandidateRecord:
        rec = self.find(owner_id, ref)
        with session_scope(self.engine) as session:
            session.exec(delete(CandidateStatusRecord).where(
                col(CandidateStatusRecord.candidate_id) == rec.id,
                col(CandidateStatusRecord.owner_id) == owner_id))
            session.exec(delete(CandidateRecord).where(
                col(CandidateRecord.id) == rec.id, col(CandidateRecord.owner_id) == owner_id))
        return rec

    def clear(self, owner_id: str) -> int:
        """Delete the whole pool (and its statuses); returns how many candidates."""
        with session_scope(self.engine) as session:
            session.exec(delete(CandidateStatusRecord).where(
                col(CandidateStatusRecord.owner_id) == owner_id))
            result = session.exec(delete(CandidateRecord).where(
                col(CandidateRecord.owner_id) == owner_id))
            return int(result.rowcount or 0)

    def open(self, owner_id: str, ref: str) -> CandidateRecord:
        """Reveal a candidate (blind screening ends for them): marks them opened."""
        rec = self.find(owner_id, ref)
        if rec.opened is None:
            with session_scope(self.engine) as session:
                stored = session.get(CandidateRecord, rec.id)
                if stored is not None and stored.owner_id == owner_id:
                    stored.opened = utcnow()
                    session.add(stored)
                    rec = stored
        return rec

    def set_status(self, owner_id: str, ref: str, job_key: str,
                   status: CandidateStatus | str, note: str = "") -> CandidateStatusRecord:
        """Shortlist / reject / interview a candidate for a job, with an optional note (a new
        decision replaces the previous one; an empty note keeps the previous note)."""
        try:
            value = CandidateStatus(str(status).upper()).value
        except ValueError:
            raise InvalidInputError(
                "Status must be shortlisted, rejected or interview.") from None
        rec = self.find(owner_id, ref)
        now = utcnow()
        with session_scope(self.engine) as session:
            row = session.exec(select(CandidateStatusRecord).where(
                CandidateStatusRecord.owner_id == owner_id,
                CandidateStatusRecord.candidate_id == rec.id,
                CandidateStatusRecord.job_key == job_key)).first()
            if row is None:
                row = CandidateStatusRecord(owner_id=owner_id, candidate_id=rec.id or 0,
                                            job_key=job_key, status=value, note=note,
                                            created=now, updated=now)
            else:
                row.status = value
                row.note = note or row.note
                row.updated = now
            session.add(row)
        return row

    def statuses(self, owner_id: str, job_key: str | None = None,
                 statuses: Iterable[str] | None = None) -> builtins.list[CandidateStatusRecord]:
        stmt = select(CandidateStatusRecord).where(CandidateStatusRecord.owner_id == owner_id)
        if job_key is not None:
            stmt = stmt.where(CandidateStatusRecord.job_key == job_key)
        if statuses is not None:
            stmt = stmt.where(col(CandidateStatusRecord.status).in_(
                [CandidateStatus(s.upper()).value for s in statuses]))
        with session_scope(self.engine) as session:
            return builtins.list(session.exec(stmt.order_by(col(CandidateStatusRecord.id))))
