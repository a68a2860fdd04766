"""The analysis cache: ``MatchResult`` by (CV hash, job hash, weights hash, engine version).

Content-addressed, so it needs no invalidation: a changed CV, job, weight set or engine gives a
new key. Entries live ``ttl_days`` (7 by default); ``clean`` deletes expired ones
(``jobfit cache clean``). A hit is one SELECT on the unique (cv, job, weights, engine) index.

Hashes: ``content_hash(text)`` is the sha256 of the text with line endings, Unicode form and
runs of blanks normalised (a re-saved file with the same words hashes the same).
``CVRecord.content_hash`` uses it too, so deleting a user's CVs can delete their analyses.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from pydantic import BaseModel
from sqlalchemy import Engine, and_, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from store.tables import AnalysisRecord, to_utc, utcnow
from tools.schemas import MatchResult

_BLANKS = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_BLANK_LINES = re.compile(r"\n{3,}")
_TABLE = AnalysisRecord.__table__  # type: ignore[attr-defined]


def normalise_for_hash(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_BLANKS.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def content_hash(text: str) -> str:
    """sha256 (hex) of the normalised text."""
    return hashlib.sha256(normalise_for_hash(text).encode("utf-8")).hexdigest()


def weights_hash(weights: BaseModel | Mapping[str, Any] | None) -> str:
    """sha256 (hex) of the weights as canonical JSON (floats rounded to 1e-9).

    Accepts a ``Weights`` model or any JSON-able mapping (add ``"profile": "ats"`` and the
    like to it when the scoring profile matters). ``None`` hashes as the empty mapping.
    """
    if weights is None:
        data: Any = {}
    elif isinstance(weights, BaseModel):
        data = weights.model_dump(mode="json")
    else:
        data = dict(weights)

    def _canon(value: Any) -> Any:
        if isinstance(value, float):
            return round(value, 9)
        if isinstance(value, Mapping):
            return {str(k): _canon(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [_canon(v) for v in value]
        return value

    raw = json.dumps(_canon(data), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class CacheKey(NamedTuple):
    cv_hash: str
    job_hash: str
    weights_hash: str
    engine_version: str


class AnalysisCache:
    """Stored ``MatchResult``s with a time to live."""

    def __init__(self, engine: Engine, ttl_days: float = 7) -> None:
        self.engine = engine
        self.ttl = timedelta(days=ttl_days)

    @staticmethod
    def key(cv_hash: str, job_hash: str, weights_hash: str, engine_version: str) -> CacheKey:
        return CacheKey(cv_hash, job_hash, weights_hash, engine_version)

    def get(
        self,
        cv_hash: str,
        job_hash: str,
        weights_hash: str,
        engine_version: str,
        *,
        now: datetime | None = None,
    ) -> MatchResult | None:
        """The cached result, or None when absent or expired."""
        now = utcnow() if now is None else to_utc(now)
        stmt = select(_TABLE.c.result).where(
            _TABLE.c.cv_hash == cv_hash,
            _TABLE.c.job_hash == job_hash,
            _TABLE.c.weights_hash == weights_hash,
            _TABLE.c.engine_version == engine_version,
            _TABLE.c.expires > now,
        )
        with self.engine.connect() as conn:
            row = conn.execute(stmt).first()
        return None if row is None else MatchResult.model_validate(row[0])

    def get_many(
        self,
        cv_hash: str,
        job_hashes: Iterable[str],
        weights_hash: str,
        engine_version: str,
        *,
        now: datetime | None = None,
    ) -> dict[str, MatchResult]:
        """Cached results for one CV against many jobs, by job hash (misses left out)."""
        now = utcnow() if now is None else to_utc(now)
        wanted = sorted(set(job_hashes))
        found: dict[str, MatchResult] = {}
        with self.engine.connect() as conn:
            for i in range(0, len(wanted), 500):
                stmt = select(_TABLE.c.job_hash, _TABLE.c.result).where(
                    _TABLE.c.cv_hash == cv_hash,
                    _TABLE.c.job_hash.in_(wanted[i:i + 500]),
                    _TABLE.c.weights_hash == weights_hash,
                    _TABLE.c.engine_version == engine_version,
                    _TABLE.c.expires > now,
                )
                for job_hash, result in conn.execute(stmt):
                    found[job_hash] = MatchResult.model_validate(result)
        return found

    def put(
        self,
        cv_hash: str,
        job_hash: str,
        weights_hash: str,
        engine_version: str,
        result: MatchResult,
        *,
        now: datetime | None = None,
    ) -> None:
        """Store (or replace) a result; it expires ``ttl_days`` from now."""
        self.put_many([(self.key(cv_hash, job_hash, weights_hash, engine_version), result)],
                      now=now)

    def put_many(
        self, items: Iterable[tuple[tuple[str, str, str, str], MatchResult]], *,
        now: datetime | None = None
    ) -> None:
        """Store (or replace) many results in one transaction (e.g. one CV's scored jobs)."""
        now = utcnow() if now is None else to_utc(now)
        expires = now + self.ttl
        dialect = self.engine.dialect.name
        rows = [
            {**CacheKey(*key)._asdict(),  # plain 4-tuples too (tools.matching passes those)
             "result": result.model_dump(mode="json"), "created": now, "expires": expires}
            for key, result in items
        ]
        if not rows:
            return
        with self.engine.begin() as conn:
            if dialect in ("sqlite", "postgresql"):
                # one statement, executed for all rows (executemany): compiling an INSERT per
                # row cost ~4 ms each, more than scoring the job
                insert = (sqlite.insert if dialect == "sqlite" else postgresql.insert)(_TABLE)
                stmt = insert.on_conflict_do_update(
                    index_elements=list(CacheKey._fields),
                    set_={name: insert.excluded[name]
                          for name in ("result", "created", "expires")},
                )
                conn.execute(stmt, rows)
                return
            for values in rows:
                where = and_(*(_TABLE.c[name] == values[name] for name in CacheKey._fields))
                conn.execute(delete(_TABLE).where(where))
                conn.execute(_TABLE.insert().values(**values))

    def clean(self, now: datetime | None = None) -> int:
        """Delete expired entries; returns how many."""
        now = utcnow() if now is None else to_utc(now)
        with self.engine.begin() as conn:
            result = conn.execute(delete(_TABLE).where(_TABLE.c.expires <= now))
        return int(result.rowcount or 0)
