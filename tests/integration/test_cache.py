"""The analysis cache on SQLite and PostgreSQL: hit, miss, expiry, clean, hashes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, func, text
from sqlmodel import select

from store.cache import AnalysisCache, content_hash, weights_hash
from store.db import session_scope
from store.tables import AnalysisRecord
from tools.schemas import Evidence, FactorScore, MatchResult, Span, Weights

T0 = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)


def result(score: int = 84) -> MatchResult:
    span = Span(text="Python", start=10, end=16, section="skills")
    return MatchResult(
        score=score, grade="A", label="Excellent", recommended=True, confidence=0.9,
        factors={
            "skills": FactorScore(
                name="skills", score=90.0, weight=0.4, effective_weight=0.44,
                comment="7/7 required", evidence=[Evidence(requirement="Python (required)",
                                                           job_span=span, cv_spans=[span])]),
            "salary": FactorScore(name="salary", score=None, weight=0.1),
        },
        unknown_factors=["salary"], matched_required=["Python"], engine_version="1.0.0",
    )


def rows(engine: Engine) -> int:
    with session_scope(engine) as s:
        return int(s.exec(select(func.count()).select_from(AnalysisRecord)).one())


def test_content_hash_normalises_whitespace_and_line_endings() -> None:
    a = content_hash("Senior  Python\tDeveloper\r\n\r\n\r\n\r\nBerlin  ")
    assert a == content_hash("Senior Python Developer\n\nBerlin")
    assert a != content_hash("Senior Python Developer Berlin")
    assert a != content_hash("senior python developer\n\nberlin")
    assert len(a) == 64 and set(a) <= set("0123456789abcdef")


def test_weights_hash_is_canonical() -> None:
    w = Weights()
    assert weights_hash(w) == weights_hash(dict(reversed(list(w.as_dict().items()))))
    assert weights_hash(w) != weights_hash(Weights.preset("balanced"))
    assert weights_hash({**w.as_dict(), "profile": "ats"}) != weights_hash(w)
    assert weights_hash(None) == weights_hash({})


def test_miss_put_hit(engine: Engine) -> None:
    cache = AnalysisCache(engine)
    key = cache.key("cv", "job", weights_hash(Weights()), "1.0.0")
    assert cache.get(*key) is None
    cache.put(*key, result())
    assert cache.get(*key) == result()
    assert cache.get("cv", "job", key.weights_hash, "1.0.1") is None  # other engine version
    assert cache.get("cv", "job2", key.weights_hash, "1.0.0") is None
    assert cache.get("cv", "job", weights_hash({}), "1.0.0") is None


def test_put_replaces(engine: Engine) -> None:
    cache = AnalysisCache(engine)
    cache.put("cv", "job", "w", "e", result(70), now=T0)
    cache.put("cv", "job", "w", "e", result(71), now=T0 + timedelta(days=1))
    assert rows(engine) == 1
    hit = cache.get("cv", "job", "w", "e", now=T0 + timedelta(days=7, hours=12))
    assert hit is not None and hit.score == 71  # the TTL restarted with the new value


def test_expiry_and_clean(engine: Engine) -> None:
    cache = AnalysisCache(engine, ttl_days=7)
    cache.put("cv", "old", "w", "e", result(), now=T0)
    cache.put("cv", "new", "w", "e", result(), now=T0 + timedelta(days=5))
    just_before = T0 + timedelta(days=7) - timedelta(seconds=1)
    assert cache.get("cv", "old", "w", "e", now=just_before) is not None
    at_expiry = T0 + timedelta(days=7)
    assert cache.get("cv", "old", "w", "e", now=at_expiry) is None
    assert cache.get("cv", "new", "w", "e", now=at_expiry) is not None
    assert cache.clean(now=just_before) == 0
    assert cache.clean(now=at_expiry) == 1
    assert rows(engine) == 1
    assert cache.clean(now=at_expiry) == 0
    # a naive 'now' is UTC
    assert cache.get("cv", "new", "w", "e", now=(at_expiry).replace(tzinfo=None)) is not None


def test_get_many_put_many(engine: Engine) -> None:
    cache = AnalysisCache(engine)
    cache.put_many([(cache.key("cv", f"job{i}", "w", "e"), result(50 + i)) for i in range(3)])
    cache.put_many([(cache.key("cv", f"job{i}", "w", "e"), result(60 + i)) for i in range(3)])
    assert rows(engine) == 3
    cache.put("other-cv", "job3", "w", "e", result())
    found = cache.get_many("cv", ["job0", "job2", "job3", "missing"], "w", "e")
    assert sorted(found) == ["job0", "job2"]
    assert found["job2"].score == 62
    assert cache.get_many("cv", [], "w", "e") == {}
    assert len(cache.get_many("cv", [f"job{i % 3}" for i in range(1200)], "w", "e")) == 3


def test_a_hit_uses_the_unique_index(engine: Engine) -> None:
    """The lookup is a single indexed SELECT (no table scan), on both back ends."""
    cache = AnalysisCache(engine)
    cache.put("cv", "job", "w", "e", result())
    params = {"c": "cv", "j": "job", "w": "w", "e": "e", "n": T0}
    sql = ("SELECT result FROM analyses WHERE cv_hash = :c AND job_hash = :j "
           "AND weights_hash = :w AND engine_version = :e AND expires > :n")

    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            plan = " ".join(str(r[-1]) for r in conn.execute(text("EXPLAIN QUERY PLAN " + sql),
                                                             params))
            # the unique constraint's index (SQLite names it sqlite_autoindex_analyses_N)
            assert "USING INDEX" in plan, plan
            assert "engine_version=?" in plan, plan
        else:
            conn.execute(text("SET enable_seqscan = off"))  # tiny table: ask for the index plan
            plan = " ".join(r[0] for r in conn.execute(text("EXPLAIN " + sql), params))
            assert "uq_analyses_key" in plan, plan
