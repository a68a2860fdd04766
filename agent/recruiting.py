"""The recruiter's side of jobfit over the store: candidate pools, ranking, comparison, decisions.

Any user can be a recruiter: adding CVs to their pool is all it takes (web chat: drop several
CVs at once; CLI: ``jobfit pool add --user NAME FOLDER|ZIP|FILES``). Pools are private to their
owner. Blind screening is on for every pool: candidates are listed, compared and exported under
an anonymous label until the recruiter opens one; scores never see who a candidate is
(:mod:`tools.blind`).
"""

from __future__ import annotations

import builtins
import logging
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from tools.candidate_compare import Comparison, compare_rows, rows_markdown
from tools.candidate_files import CandidateFile, FileFailure, ReadResult, read_uploads
from tools.candidates import (
    Candidate,
    CandidateRow,
    explain_rows,
    rank_candidates,
    read_candidate,
)
from tools.errors import InvalidInputError

if TYPE_CHECKING:
    from agent.service import JobfitService
    from tools.matching import StoredJob

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
ParseMap = Callable[[Callable[[str], Any], list[str]], list[Any]]


def _read_safely(text: str) -> Candidate | None:
    """A CV read for a pool; None when the parser fails on it (a bug must not stop a batch)."""
    try:
        return read_candidate(text)
    except Exception:  # noqa: BLE001
        logger.exception("pool: a CV could not be parsed")
        return None


#: Pools kept in memory: service -> owner -> (pool signature, candidates), oldest dropped first.
_CACHE: weakref.WeakKeyDictionary[Any, dict[str, tuple[tuple[int, int, int], list[Candidate]]]] = (
    weakref.WeakKeyDictionary())
_CACHE_LOCK = threading.Lock()
_CACHE_POOLS = 8


class PoolSummary(BaseModel):
    """What one bulk add did (the web chat and ``jobfit pool add --json`` show it)."""

    kind: str = "pool_added"
    total: int = 0
    added: int = 0
    duplicates: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = Field(default_factory=list)  # [{"file", "reason"}]
    pool_size: int = 0


def job_key(stored: StoredJob) -> str:
    """What a decision is stored against: the stored job's id, or the pasted posting's hash."""
    from agent.service_types import PASTED_ID

    if stored.id == PASTED_ID:
        return "posting:" + stored.content_hash[:16]
    return "job:" + stored.id


class Recruiting:
    """Pool operations for the channels; every method takes the recruiter's user id."""

    def __init__(self, service: JobfitService) -> None:
        from store.candidates import CandidateRepo

        self.service = service
        self.pool = CandidateRepo(service.engine)

    # -- pool -------------------------------------------------------------------------
    def add(self, owner_id: str, *, files: Iterable[tuple[str, bytes]] | None = None,
            read: Iterable[ReadResult] | None = None,
            progress: Progress | None = None, parse_map: ParseMap | None = None,
            chunk: int = 200) -> PoolSummary:
        """Add CVs (uploaded files, ZIPs of CVs, or already read results) to the pool. Bad
        files are listed with their reasons; the rest are added; duplicates are skipped.

        ``parse_map(fn, texts)`` parses a chunk (the CLI passes a forked map); ``progress(done,
        total)`` is called after each chunk."""
        self.service.ensure_user(owner_id)
        results = list(read if read is not None else read_uploads(
            files or (), max_bytes=self.service.max_upload_bytes))
        summary = PoolSummary(total=len(results))
        good: list[CandidateFile] = []
        for r in results:
            if isinstance(r, FileFailure):
                summary.errors.append({"file": r.name, "reason": r.reason})
            else:
                good.append(r)
        summary.failed = len(summary.errors)
        done = summary.failed
        if progress is not None:
            progress(done, len(results))
        mapper: ParseMap = parse_map or (lambda fn, items: [fn(x) for x in items])
        first = _read_safely(good[0].text) if good else None  # loads the models before a fork
        for start in range(0, len(good), chunk):
            part = good[start:start + chunk]
            parsed = ([first] if start == 0 else []) + mapper(
                _read_safely, [f.text for f in part[1 if start == 0 else 0:]])
            batch: list[tuple[Candidate, str]] = []
            for f, cand in zip(part, parsed, strict=True):
                if cand is None:
                    summary.errors.append({"file": f.name, "reason": "could not be parsed"})
                    summary.failed += 1
                else:
                    cand.file_name = f.name
                    batch.append((cand, f.text))
            self._store(owner_id, batch, summary)
            done += len(part)
            if progress is not None:
                progress(done, len(results))
        summary.pool_size = self.pool.count(owner_id)
        return summary

    def _store(self, owner_id: str, batch: list[tuple[Candidate, str]],
               summary: PoolSummary) -> None:
        if not batch:
            return
        from tools.candidates import cv_embedding_texts

        embedder = self.service.embedder
        if embedder is not None:
            texts = cv_embedding_texts([c for c, _ in batch])
            vectors = embedder.embed(texts)
            for (cand, _), text, vec in zip(batch, texts, vectors, strict=True):
                cand.vector = vec if text else None
        for outcome in self.pool.add_many(owner_id, batch):
            if outcome.new:
                summary.added += 1
            else:
                summary.duplicates += 1

    def candidates(self, owner_id: str) -> list[Candidate]:
        """The pool for ranking, kept in memory while it does not change (loading 1,000
        candidates from the store takes seconds; their prepared profiles are kept too)."""
        from store.candidates import to_candidate

        key = self.pool.signature(owner_id)
        with _CACHE_LOCK:
            hit = _CACHE.get(self.service, {}).get(owner_id)
        if hit is not None and hit[0] == key:
            return hit[1]
        cands = [to_candidate(r) for r in self.pool.list(owner_id)]
        with _CACHE_LOCK:
            pools = _CACHE.setdefault(self.service, {})
            pools.pop(owner_id, None)
            pools[owner_id] = (key, cands)
            while len(pools) > _CACHE_POOLS:
                pools.pop(next(iter(pools)))
        return cands

    def list(self, owner_id: str) -> list[dict[str, Any]]:
        """The pool, blind: label, whether opened (then name and file), skills count."""
        out = []
        for rec in self.pool.list(owner_id):
            row: dict[str, Any] = {"id": rec.id, "label": rec.label,
                                   "opened": rec.opened is not None}
            if rec.opened is not None:
                row |= {"name": rec.name, "file": rec.file_name}
            out.append(row)
        return out

    def open(self, owner_id: str, ref: str) -> dict[str, Any]:
        """Reveal a candidate: their name, file and contact details (from the text as
        written), and mark them opened so lists show who they are from now on."""
        from tools.parsing.cv import parse_cv

        rec = self.pool.open(owner_id, ref)
        personal = parse_cv(rec.text).personal
        return {"kind": "candidate_opened", "id": rec.id, "label": rec.label,
                "name": personal.name, "email": personal.email, "phone": personal.phone,
                "file": rec.file_name}

    def remove(self, owner_id: str, ref: str) -> dict[str, Any]:
        rec = self.pool.remove(owner_id, ref)
        return {"kind": "candidate_removed", "label": rec.label,
                "pool_size": self.pool.count(owner_id)}

    # -- ranking ----------------------------------------------------------------------
    def _job(self, job_ref: str | None, job_text: str | None) -> StoredJob:
        return self.service._job(job_ref, job_text)

    def rank(self, owner_id: str, job_ref: str | None = None, *, job_text: str | None = None,
             top: int | None = 10,
             explain: int | None = None) -> tuple[StoredJob, builtins.list[CandidateRow]]:
        """The pool ranked for a job, best first, the first ``top`` explained."""
        cands = self.candidates(owner_id)
        if not cands:
            raise InvalidInputError(
                "Your candidate pool is empty: drop several CVs (or a ZIP of CVs) into the "
                "chat, or run `jobfit pool add --user NAME FOLDER`.")
        stored = self._job(job_ref, job_text)
        vec = self.service._job_vectors([stored]).get(stored.id)
        rows = rank_candidates(stored.posting, cands, job_vector=vec,
                               weights=self.service.weights,
                               calibration=self.service.calibration,
                               top=None if top is None else max(1, top), explain=explain)
        return stored, rows

    def ranking(self, owner_id: str, job_ref: str | None = None, *,
                job_text: str | None = None, top: int = 10) -> dict[str, Any]:
        """The ranking as a compact JSON-able result (chat tools, cards)."""
        stored, rows = self.rank(owner_id, job_ref, job_text=job_text, top=top)
        decisions: dict[int | None, str] = {s.candidate_id: s.status.lower()
                     for s in self.pool.statuses(owner_id, job_key(stored))}
        ids: dict[str, int | None] = {r.label: r.id for r in self.pool.list(owner_id)}
        title = " — ".join(x for x in (stored.posting.title, stored.posting.company) if x)
        return {"kind": "candidate_ranking", "job": {"job_id": stored.id, "title": title},
                "pool_size": len(ids), "blind": True,
                "candidates": [_row_json(r, decisions.get(ids.get(r.candidate.cv_id, -1)))
                               for r in rows],
                "markdown": rows_markdown(rows, job_title=title)}

    def compare(self, owner_id: str, job_ref: str | None, refs: Sequence[str], *,
                job_text: str | None = None) -> Comparison:
        """2-5 candidates of the pool side by side for a job (labels, ids or positions)."""
        stored, rows = self.rank(owner_id, job_ref, job_text=job_text, top=None, explain=0)
        chosen: builtins.list[CandidateRow] = []
        by_label = {r.candidate.cv_id.lower(): r for r in rows}
        recs = {str(rec.id): rec.label.lower() for rec in self.pool.list(owner_id)}
        for ref in refs:
            key = str(ref).strip().lower()
            row = by_label.get(key) or by_label.get(recs.get(key.lstrip("#"), ""))
            if row is None and key.lstrip("#").isdigit() and key.lstrip("#") not in recs:
                pos = int(key.lstrip("#"))
                row = rows[pos - 1] if 1 <= pos <= len(rows) else None
            if row is None:
                raise InvalidInputError(f"No candidate {ref!r} in your pool.")
            if row not in chosen:
                chosen.append(row)
        vec = self.service._job_vectors([stored]).get(stored.id)
        chosen = explain_rows(stored.posting, chosen, job_vector=vec, weights=self.service.weights,
                              calibration=self.service.calibration)
        return compare_rows(chosen, stored.posting)

    # -- decisions --------------------------------------------------------------------
    def decide(self, owner_id: str, ref: str, status: str, *, job_ref: str | None = None,
               job_text: str | None = None, note: str = "") -> dict[str, Any]:
        """Shortlist / reject / interview a candidate for a job, with a note."""
        stored = self._job(job_ref, job_text)
        row = self.pool.set_status(owner_id, ref, job_key(stored), _status(status), note)
        rec = self.pool.find(owner_id, str(row.candidate_id))
        return {"kind": "candidate_status", "label": rec.label, "status": row.status.lower(),
                "note": row.note, "job_id": stored.id}

    def decisions(self, owner_id: str, *, job_ref: str | None = None,
                  job_text: str | None = None) -> builtins.list[dict[str, Any]]:
        stored = self._job(job_ref, job_text) if (job_ref or job_text) else None
        labels = {rec.id: rec.label for rec in self.pool.list(owner_id)}
        return [{"label": labels.get(s.candidate_id, "?"), "status": s.status.lower(),
                 "note": s.note, "job": s.job_key}
                for s in self.pool.statuses(owner_id, job_key(stored) if stored else None)]


_STATUS_WORDS = {"shortlist": "SHORTLISTED", "shortlisted": "SHORTLISTED",
                 "reject": "REJECTED", "rejected": "REJECTED", "interview": "INTERVIEW",
                 "interviewing": "INTERVIEW"}


def _status(word: str) -> str:
    value = _STATUS_WORDS.get(word.strip().lower())
    if value is None:
        raise InvalidInputError("Status must be shortlist, reject or interview.")
    return value


def _row_json(row: CandidateRow, decision: str | None) -> dict[str, Any]:
    return {"rank": row.rank, "cv_id": row.candidate.cv_id, "label": row.candidate.label,
            "score": row.score, "grade": row.grade, "breakdown": row.breakdown(),
            "confidence": row.confidence, "strongest": row.strongest,
            "biggest_gap": row.biggest_gap, "must_met": row.must_met,
            "must_missing": row.must_missing, "tie": row.tie, "status": decision}
