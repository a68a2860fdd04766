"""Digest runs on a real store (SQLite + Chroma + the static embedder, 60 sample jobs): what a
digest holds and leaves out, exactly-once runs and delivery, crash recovery, what changed,
scheduled periods with a controlled clock; claims and the scheduler's job store on SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from sqlalchemy import Engine, update

from agent.digests import DigestCenter
from agent.service import JobfitService
from agent.settings import Settings
from store.db import session_scope
from store.digests import DigestRepo, FeedRepo
from store.tables import JobRecord, MatchRecord, utcnow
from store.users import UserPreferences, UserRepo
from tests.integration.agent_store import BACKEND_CV, NURSE_CV, build_store
from tools.digest import DeliveryOutcome, Digest, Recipient
from tools.digest_schedule import next_run, parse_schedule, zone


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> JobfitService:
    return build_store(tmp_path_factory.mktemp("digests") / "data")


def user(service: JobfitService, name: str, cv: str = BACKEND_CV) -> str:
    service.save_cv(name, text=cv)
    return name


class Recording:
    """A real channel implementation that records what it delivers (Slack/Teams stand-in)."""

    def __init__(self, name: str, status: str = "sent") -> None:
        self.name = name
        self.status = status
        self.delivered: list[tuple[int, str]] = []

    def deliver(self, digest: Digest, recipient: Recipient, *,
                digest_id: int) -> DeliveryOutcome:
        self.delivered.append((digest_id, recipient.owner_id))
        return DeliveryOutcome(status=self.status)  # type: ignore[arg-type]


def refs(digest: Digest) -> list[int]:
    return [m.ref for m in digest.matches]


# --------------------------------------------------------------------------- composition


def test_digest_lists_new_matches_best_first(service: JobfitService) -> None:
    uid = user(service, "ana")
    digest, listed = service.digests().build(uid)
    assert digest.has_cv and len(digest.matches) >= 5 and listed == refs(digest)
    scores = [m.score for m in digest.matches]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 60
    for m in digest.matches[:3]:  # each score is the engine's, as an analysis shows it
        assert service.analyse(uid, str(m.ref)).result.score == m.score
        assert m.reason
    assert digest.trends and digest.trends[0].count >= digest.trends[-1].count
    assert digest.skills and digest.measured_on == 30
    at = utcnow()
    assert service.digests().build(uid, now=at, period="x") == \
        service.digests().build(uid, now=at, period="x")  # deterministic


def test_impacts_equal_the_engines_gap_impacts(service: JobfitService) -> None:
    uid = user(service, "bea")
    digest, _ = service.digests().build(uid)
    checked = 0
    for skill in digest.skills[:4]:
        for job_id, points in list(skill.per_job.items())[:3]:
            gaps = service.analyse(uid, job_id).gaps
            found = {g.target: g.impact for g in gaps.gaps}
            assert found[skill.skill] == points, (skill.skill, job_id)
            checked += 1
    assert checked >= 3


def test_dismissed_applied_hidden_and_duplicates_left_out(service: JobfitService) -> None:
    uid = user(service, "cid")
    center = service.digests()
    first, _ = center.build(uid)
    m = first.matches
    service.record_feedback(uid, str(m[0].ref), "dismissed")
    service.record_feedback(uid, str(m[1].ref), "applied")
    service.update_preferences(uid, blocked_companies=[m[2].company])
    with session_scope(service.engine) as s:  # m[4] becomes a linked copy of m[3]
        s.exec(update(JobRecord).where(JobRecord.id == m[4].ref)  # type: ignore[call-overload]
               .values(duplicate_of=m[3].ref))
    try:
        after, _ = center.build(uid, cache=center.run_cache(fresh=True))  # new duplicate link
        shown = refs(after)
        assert m[0].ref not in shown and m[1].ref not in shown
        assert all(x.company != m[2].company for x in after.matches)
        assert not (m[3].ref in shown and m[4].ref in shown)
        assert m[3].ref in shown  # the better scored of the two copies stays
        service.update_preferences(uid, remote="remote")
        remote, _ = center.build(uid)
        assert all(x.remote in ("remote", None) for x in remote.matches)
        assert any(x.remote not in ("remote", None) for x in after.matches)
    finally:
        with session_scope(service.engine) as s:
            s.exec(update(JobRecord).where(JobRecord.id == m[4].ref)  # type: ignore[call-overload]
                   .values(duplicate_of=None))


# --------------------------------------------------------------------------- runs


def test_run_once_per_period_and_never_list_a_job_twice(service: JobfitService) -> None:
    uid = user(service, "dan")
    center = service.digests()
    one = center.run_user(uid, period="p1")
    assert one.status == "sent" and one.matches > 0
    assert one.channels["in_app"]["status"] == "sent"
    assert one.channels["email"]["status"] == "skipped"  # no address / no SMTP here
    again = center.run_user(uid, period="p1")
    assert again.status == "already" and again.digest_id == one.digest_id
    two = center.run_user(uid, period="p2")
    first = center.repo.get(uid, one.digest_id or 0)
    second = center.repo.get(uid, two.digest_id or 0)
    assert first is not None and second is not None
    assert not set(first.job_ids) & set(second.job_ids)
    assert [r["period"] for r in center.history(uid)] == ["p2", "p1"]
    unseen = center.latest(uid, unseen_only=True)
    assert unseen is not None and unseen["period"] == "p2"
    assert center.latest(uid, unseen_only=True) is None  # viewed now
    assert center.history(uid)[0]["viewed_at"] is not None


def test_a_crashed_run_resumes_without_sending_twice(service: JobfitService) -> None:
    uid = user(service, "eve")
    slack, teams = Recording("slack"), Recording("teams")
    center = DigestCenter(service, channels=[slack, teams], lease_s=60)
    service.update_preferences(uid, digest_channels=["in_app", "slack", "teams"])
    long_ago = utcnow() - timedelta(hours=1)
    # a run died after sending in-app and while sending to Slack (maybe delivered)
    dead = center.repo.claim(uid, "crash-1", "dead-worker", now=long_ago)
    assert dead is not None and dead.id is not None
    digest, listed = center.build(uid, period="crash-1")
    center.repo.store_content(dead.id, digest.model_dump(mode="json"), listed)
    center.repo.set_channel(dead.id, "in_app", "sent")
    center.repo.set_channel(dead.id, "slack", "sending")
    # its lease is fresh for another worker: nobody takes over yet
    fresh = DigestRepo(service.engine).claim(uid, "crash-1", "other", now=long_ago)
    assert fresh is None
    result = center.run_user(uid, period="crash-1")
    assert result.status == "sent" and result.digest_id == dead.id
    assert result.channels["slack"]["status"] == "failed"
    assert "never sent twice" in result.channels["slack"]["reason"]
    assert result.channels["teams"]["status"] == "sent" and len(teams.delivered) == 1
    assert slack.delivered == []  # not retried
    # a run that died after composing: the stored content is delivered once, unchanged
    dead2 = center.repo.claim(uid, "crash-2", "dead-worker", now=long_ago)
    assert dead2 is not None and dead2.id is not None
    stored = digest.model_copy(update={"period": "crash-2"})
    center.repo.store_content(dead2.id, stored.model_dump(mode="json"), listed)
    result2 = center.run_user(uid, period="crash-2")
    assert slack.delivered == [(dead2.id, uid)] and result2.matches == len(stored.matches)
    assert center.run_user(uid, period="crash-2").status == "already"
    assert len(slack.delivered) == 1


def test_what_changed(service: JobfitService) -> None:
    uid = user(service, "fay", NURSE_CV)
    center = service.digests()
    backend = service.search(uid, "backend engineer", k=5)
    service.record_feedback(uid, str(backend[0].ref), "interested")  # scored with the old CV
    service.record_feedback(uid, str(backend[1].ref), "interested")
    service.record_feedback(uid, str(backend[2].ref), "applied")
    service.save_cv(uid, text=BACKEND_CV)  # a new CV this period
    service.jobs.set_status(backend[1].ref, "EXPIRED")
    with session_scope(service.engine) as s:
        s.exec(update(MatchRecord)  # type: ignore[call-overload]
               .where(MatchRecord.owner_id == uid, MatchRecord.job_id == backend[2].ref)
               .values(updated=utcnow() - timedelta(days=14, hours=12)))
    try:
        digest, _ = center.build(uid)
        kinds = {(c.kind, c.ref): c for c in digest.changes}
        assert ("closed", backend[1].ref) in kinds
        assert "expired" in kinds[("closed", backend[1].ref)].text
        moved = kinds[("score_moved", backend[0].ref)]
        assert moved.before is not None and moved.after is not None
        assert moved.after > moved.before
        assert moved.after == service.analyse(uid, str(backend[0].ref)).result.score
        nudge = kinds[("nudge", backend[2].ref)]
        assert nudge.days == 14 and "follow-up" in nudge.text
    finally:
        service.jobs.set_status(backend[1].ref, "ACTIVE")


def test_scheduled_periods_with_a_controlled_clock(service: JobfitService) -> None:
    uid = user(service, "gus")
    center = service.digests()
    sunday = datetime(2026, 12, 6, 12, tzinfo=UTC)
    info = center.set_schedule(uid, "weekly mon 08:00", timezone="Europe/Berlin", now=sunday)
    assert info["next_run_local"] == "Mon 7 Dec 2026, 08:00 CET"
    assert info["next_run"] == "2026-12-07T07:00:00+00:00"

    def due(now: datetime) -> list[str]:
        return [r.period for r in center.run_due(now) if r.user == uid]

    assert due(datetime(2026, 12, 7, 6, 59, tzinfo=UTC)) == []  # 07:59 in Berlin
    assert due(datetime(2026, 12, 7, 7, 1, tzinfo=UTC)) == ["2026-W50"]
    assert due(datetime(2026, 12, 8, 9, tzinfo=UTC)) == []  # produced already
    # the scheduler was down for two Mondays: one digest, for the latest period
    assert due(datetime(2026, 12, 22, 9, tzinfo=UTC)) == ["2026-W52"]
    assert [r["period"] for r in center.history(uid)] == ["2026-W52", "2026-W50"]
    center.set_schedule(uid, "off")
    assert due(datetime(2026, 12, 29, 9, tzinfo=UTC)) == []


def test_two_processes_race_for_the_same_digest(service: JobfitService) -> None:
    uid = user(service, "hal")
    slack = Recording("slack")
    service.update_preferences(uid, digest_channels=["in_app", "slack"])
    centers = [DigestCenter(service, channels=[slack]) for _ in range(4)]
    results: list[Any] = []
    barrier = threading.Barrier(len(centers))

    def go(c: DigestCenter) -> None:
        barrier.wait()
        results.append(c.run_user(uid, period="race"))

    threads = [threading.Thread(target=go, args=(c,)) for c in centers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status for r in results) == ["already", "already", "already", "sent"]
    assert len(slack.delivered) == 1


# --------------------------------------------------------------------------- both back ends


def test_claims_are_exclusive_on_each_backend(engine: Engine) -> None:
    UserRepo(engine).create("ana", user_id="ana")
    repo = DigestRepo(engine)
    won: list[Any] = []
    barrier = threading.Barrier(6)

    def claim(i: int) -> None:
        barrier.wait()
        won.append(repo.claim("ana", "2026-12-07", f"w{i}"))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r is not None for r in won) == 1
    holder = next(r for r in won if r is not None)
    later = utcnow() + timedelta(seconds=700)
    takers = [repo.claim("ana", "2026-12-07", f"late{i}", lease_s=600, now=later)
              for i in range(3)]
    assert sum(r is not None for r in takers) == 1  # a stale lease is taken over once
    assert holder.id is not None
    repo.finish(holder.id, "sent")
    assert repo.claim("ana", "2026-12-07", "x", lease_s=0, now=later + timedelta(days=1)) is None
    assert UserRepo(engine).delete_all("ana", keep_user=True)["digests"] == 1


@pytest.fixture
def db_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    yield Settings(data_dir=tmp_path / "data")


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_scheduler_job_store_keeps_jobs(backend: str, request: pytest.FixtureRequest,
                                        tmp_path: Path) -> None:
    from ui.scheduler import build_scheduler, sync

    url = None
    if backend == "postgresql":
        from tests.integration.conftest import _reset_pg_schema

        url = request.getfixturevalue("postgres_schema_url")
        _reset_pg_schema(url)
    settings = Settings(data_dir=tmp_path / "data", database_url=url)
    scheduler = build_scheduler(settings)
    jobstore = scheduler._jobstores["default"]  # noqa: SLF001
    engine = jobstore.engine
    fake = SimpleNamespace(engine=engine)
    UserRepo(engine).create("ana", user_id="ana", preferences=UserPreferences(
        digest_schedule="weekly mon 08:00", timezone="Europe/Berlin"))
    UserRepo(engine).create("bob", user_id="bob")
    feed = FeedRepo(engine).add("https://example.com/jobs.rss", 3600)
    scheduler.start(paused=True)
    try:
        assert sync(scheduler, fake)["jobs"] == 2  # type: ignore[arg-type]
        job = scheduler.get_job("digest:ana")
        assert job is not None and job.next_run_time == next_run(
            parse_schedule("weekly mon 08:00"), zone("Europe/Berlin"), datetime.now(UTC))
        assert scheduler.get_job(f"feed:{feed.id}") is not None
        assert scheduler.get_job("digest:bob") is None
        stored = job.next_run_time
    finally:
        scheduler.shutdown(wait=False)
    # another process (a restart) sees the same jobs and keeps their next run times
    again = build_scheduler(settings)
    again.start(paused=True)
    try:
        assert sync(again, fake)["added"] == 0  # type: ignore[arg-type]
        job = again.get_job("digest:ana")
        assert job is not None and job.next_run_time == stored
        with session_scope(engine) as s:
            rec = s.get(__import__("store.tables", fromlist=["UserRecord"]).UserRecord, "ana")
            assert rec is not None
            rec.preferences = {**rec.preferences, "digest_schedule": None}
            s.add(rec)
        FeedRepo(engine).remove(str(feed.id))
        assert sync(again, fake)["removed"] == 2  # type: ignore[arg-type]
        assert again.get_job("digest:ana") is None
    finally:
        again.shutdown(wait=False)
