"""The operator's operations of JobfitService (what ``jobfit jobs/index/cache/match/users`` call)
on a real store: SQLite file, embedded Chroma, static embedder, sample jobs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agent.accounts import WebAccounts
from agent.service import JobfitService
from store.cache import AnalysisCache
from store.tables import JobStatus
from store.users import UserRepo, WebSessionRepo
from tests.integration.agent_store import BACKEND_CV, build_store
from tools.errors import InvalidInputError
from tools.parsing.cv import parse_cv
from tools.schemas import FactorScore, MatchResult
from tools.search import JobFilters


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("ops") / "data", n_jobs=40)
    yield svc
    svc.engine.dispose()


def test_job_stats_counts_every_status_and_source(service: JobfitService) -> None:
    stats = service.job_stats()
    assert set(stats) == {"active", "expired", "filled", "closed", "total", "by_source"}
    assert stats["active"] == service.job_count() > 0
    assert stats["total"] == sum(stats[s] for s in ("active", "expired", "filled", "closed"))
    assert sum(stats["by_source"].values()) == stats["total"]


def test_index_report_and_rebuild_repair_missing_stale_and_orphans(
        service: JobfitService) -> None:
    assert service.index_report() == {"indexed": service.job_count(), "missing": [],
                                      "stale": []}
    active = [str(r.id) for r in service.jobs.iter_active()]
    gone, changed, closed = active[0], active[1], active[2]
    service.index.delete([gone])
    record = service.jobs.get(int(changed))
    assert record is not None
    with service.engine.begin() as conn:  # the job's text changed after it was indexed
        from sqlalchemy import text

        conn.execute(text("UPDATE jobs SET content_hash = 'changed' WHERE id = :i"),
                     {"i": int(changed)})
    service.jobs.set_status(int(closed), JobStatus.FILLED)
    report = service.index_report()
    assert report["missing"] == [gone]
    assert report["stale"] == [changed, closed]  # changed hash, then entries no longer active
    assert service.rebuild_index() == (2, 1)
    assert service.index_report() == {"indexed": len(active) - 1, "missing": [], "stale": []}
    assert service.index.hashes()[changed] == "changed"


def test_search_collection_is_the_shared_hybrid_search(service: JobfitService) -> None:
    hits = service.search_collection("java backend engineer", k=5)
    assert 0 < len(hits) <= 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    remote = service.search_collection("engineer", filters=JobFilters(remote_only=True), k=20)
    assert all(h.posting.work_mode == "remote" or (h.posting.location is not None
                                                   and h.posting.location.remote)
               for h in remote)


def test_match_profile_fast_path_agrees_with_exhaustive(service: JobfitService) -> None:
    profile = parse_cv(BACKEND_CV)
    fast = service.match_profile(profile, k=5, min_score=0)
    full = service.match_profile(profile, k=5, min_score=0, exhaustive=True)
    assert [m.job_id for m in fast] == [m.job_id for m in full]
    assert [m.result.score for m in fast] == sorted((m.result.score for m in fast),
                                                    reverse=True)
    assert len(fast) == 5
    with pytest.raises(InvalidInputError):
        service.match_profile(profile, strict=["colour"])


def test_clean_cache_deletes_expired_analyses_only(service: JobfitService) -> None:
    result = MatchResult(score=50, grade="C", label="fair", recommended=False, confidence=1.0,
                         factors={"skills": FactorScore(name="skills", score=50.0, weight=1.0)})
    AnalysisCache(service.engine, ttl_days=-1).put("cv", "old", "w", "v1", result)
    AnalysisCache(service.engine, ttl_days=7).put("cv", "fresh", "w", "v1", result)
    assert service.clean_cache() >= 1
    assert service.clean_cache() == 0
    assert service.cache.get("cv", "fresh", "w", "v1") is not None


def test_expire_jobs_marks_old_jobs_and_drops_them_from_the_index(tmp_path: Path) -> None:
    svc = build_store(tmp_path / "data", n_jobs=5)
    try:
        active = svc.job_count()
        assert svc.expire_jobs(datetime.now(UTC) + timedelta(days=400)) == active
        assert svc.job_stats()["expired"] == active and svc.job_count() == 0
        assert svc.index.count() == 0
        assert svc.expire_jobs() == 0
    finally:
        svc.engine.dispose()


def test_web_accounts_create_reset_and_restore(service: JobfitService) -> None:
    accounts = service.web_accounts()
    assert isinstance(accounts, WebAccounts)
    owner, created, ended = accounts.save("erin", "hash-1")
    assert created and ended == 0 and accounts.exist()
    assert accounts.credentials("erin") == (owner, "hash-1")
    assert accounts.credentials("nobody") is None
    WebSessionRepo(service.engine).create("erin", "s1", datetime.now(UTC) + timedelta(hours=1))
    assert accounts.save("erin", "hash-2") == (owner, False, 1)  # a reset signs out
    assert accounts.credentials("erin") == (owner, "hash-2")
    UserRepo(service.engine).delete_all(owner)  # "forget me": the account stays
    assert UserRepo(service.engine).get(owner) is None
    accounts.restore_user(owner, "erin")
    assert UserRepo(service.engine).get(owner) is not None


def test_operator_service_opens_the_index_only_when_used(tmp_path: Path) -> None:
    from agent.bootstrap import build_operator_service
    from agent.settings import Settings

    svc = build_operator_service(Settings(data_dir=tmp_path))
    try:
        assert svc.job_stats()["total"] == 0 and svc.clean_cache() == 0
        assert svc.index._inner is None  # type: ignore[attr-defined]
        assert svc.index_report() == {"indexed": 0, "missing": [], "stale": []}
        assert svc.index._inner is not None  # type: ignore[attr-defined]
        assert svc.checkpointer is None  # no conversation store for operator commands
        assert not (tmp_path / "checkpoints.db").exists()
    finally:
        svc.engine.dispose()
