"""Repositories on SQLite and PostgreSQL: jobs, batches, and owner-scoped user data."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from store.cache import AnalysisCache, content_hash
from store.db import session_scope
from store.repo import BatchRepo, JobRepo, JobUpsert, NotFoundError, normalise_company, parsed_job
from store.tables import (
    AnalysisRecord,
    CVRecord,
    FeedbackRecord,
    JobRecord,
    JobStatus,
    MatchRecord,
    UserRecord,
)
from store.userdata import CVRepo, MatchRepo
from store.users import UserPreferences, UserRepo
from tools.schemas import FactorScore, JobPosting, MatchResult


def row(i: int | str, *, source: str = "boardA", h: str | None = None, **kw: Any) -> JobUpsert:
    data: dict[str, Any] = {
        "source": source, "external_id": str(i), "title": f"Engineer {i}", "company": "Acme Inc",
        "location": "Berlin, DE", "remote": "hybrid", "skills": ["python"],
        "content_hash": h or f"hash-{i}", "posted": date(2025, 1, 10),
    }
    data.update(kw)
    return JobUpsert(**data)


def _set_job(engine: Engine, job_id: int, **values: Any) -> None:
    with session_scope(engine) as s:
        s.exec(update(JobRecord).where(col(JobRecord.id) == job_id).values(**values))  # type: ignore[call-overload]


# --------------------------------------------------------------------------- jobs


def test_upsert_new_updated_unchanged(engine: Engine) -> None:
    repo = JobRepo(engine)
    assert repo.upsert_many([row(1), row(2)]) == ["new", "new"]
    first = repo.by_external("boardA", "1")
    assert first is not None and first.status == "ACTIVE"
    assert first.company_key == "acme"
    repo.set_status(first.id or 0, JobStatus.EXPIRED)

    out = repo.upsert_many([row(1, h="hash-1b", title="Senior Engineer"), row(2), row(3)])
    assert out == ["updated", "unchanged", "new"]
    again = repo.by_external("boardA", "1")
    assert again is not None
    assert again.id == first.id
    assert again.title == "Senior Engineer"
    assert again.status == "ACTIVE"  # an update re-activates
    assert again.updated > first.updated
    assert again.imported == first.imported  # first seen stays
    assert repo.upsert_many([row(1, h="hash-1b"), row(2), row(3)]) == ["unchanged"] * 3
    assert repo.upsert_many([]) == []


def test_upsert_repeated_key_in_one_call(engine: Engine) -> None:
    repo = JobRepo(engine)
    assert repo.upsert_many([row(1), row(1), row(1, h="other")]) == ["new", "unchanged", "updated"]
    assert repo.count_by_source() == {"boardA": 1}


def test_upsert_many_is_one_transaction(engine: Engine) -> None:
    repo = JobRepo(engine)
    repo.upsert_many([row(1)])
    # the last row breaks a foreign key: nothing of the call may be kept
    batch = [row(1, h="changed"), row(2), row(3, duplicate_of=999_999)]
    with pytest.raises(IntegrityError):
        repo.upsert_many(batch)
    assert repo.count_by_source() == {"boardA": 1}
    kept = repo.by_external("boardA", "1")
    assert kept is not None and kept.content_hash == "hash-1"
    assert repo.upsert_many(batch[:2]) == ["updated", "new"]  # a re-run converges


def test_unique_source_external_id(engine: Engine) -> None:
    repo = JobRepo(engine)
    repo.upsert_many([row(1), row(1, source="boardB")])  # same id, other source: fine
    assert repo.count_by_source() == {"boardA": 1, "boardB": 1}
    with pytest.raises(IntegrityError):
        with session_scope(engine) as s:
            s.add(JobRecord(source="boardA", external_id="1", content_hash="z"))


def test_get_many_keeps_order_and_skips_unknown(engine: Engine) -> None:
    repo = JobRepo(engine)
    repo.upsert_many([row(i) for i in range(5)])
    ids = [j.id for j in repo.iter_active()]
    assert len(ids) == 5
    wanted = [ids[3], 999_999, ids[0], ids[4]]
    assert [j.id for j in repo.get_many(wanted)] == [ids[3], ids[0], ids[4]]  # type: ignore[misc]
    assert repo.get_many([]) == []
    assert repo.get(ids[1] or 0) is not None and repo.get(999_999) is None
    assert repo.by_external("boardA", "nope") is None


def test_iter_active_pages_through_active_jobs_only(engine: Engine) -> None:
    repo = JobRepo(engine)
    repo.upsert_many([row(i) for i in range(25)])
    all_ids = [j.id for j in repo.iter_active(batch=1000)]
    for job_id in all_ids[:5]:
        repo.set_status(job_id or 0, JobStatus.FILLED)
    paged = [j.id for j in repo.iter_active(batch=7)]
    assert paged == all_ids[5:]
    assert paged == sorted(paged)  # type: ignore[type-var]


def test_stats_by_status_and_source(engine: Engine) -> None:
    repo = JobRepo(engine)
    assert repo.count_by_status() == {"active": 0, "expired": 0, "filled": 0, "closed": 0}
    repo.upsert_many([row(i) for i in range(4)] + [row(i, source="rss") for i in range(3)])
    job = repo.by_external("rss", "0")
    assert job is not None
    repo.set_status(job.id or 0, "CLOSED")
    assert repo.count_by_status() == {"active": 6, "expired": 0, "filled": 0, "closed": 1}
    assert repo.count_by_source() == {"boardA": 4, "rss": 3}


def test_expire_uses_the_earlier_of_posted_and_imported_plus_30_days(engine: Engine) -> None:
    repo = JobRepo(engine)
    now = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)
    cases = {
        # name: (posted, imported, expired?)
        "old_posting": (now.date() - timedelta(days=31), now - timedelta(days=1), True),
        "old_import_no_date": (None, now - timedelta(days=31), True),
        "old_import_recent_post": (now.date() - timedelta(days=2), now - timedelta(days=31), True),
        "fresh": (now.date() - timedelta(days=10), now - timedelta(days=29), False),
        "fresh_no_date": (None, now - timedelta(days=29, hours=23), False),
        # posted 30 days ago at midnight: posted + 30 is today 00:00, before noon → expired
        "posted_exactly_30": (now.date() - timedelta(days=30), now, True),
        "posted_29": (now.date() - timedelta(days=29), now, False),
    }
    repo.upsert_many([row(name, posted=posted) for name, (posted, _, _) in cases.items()])
    ids = {}
    for name, (_, imported, _) in cases.items():
        rec = repo.by_external("boardA", name)
        assert rec is not None and rec.id is not None
        _set_job(engine, rec.id, imported=imported)
        ids[name] = rec.id
    already = repo.by_external("boardA", "old_posting")
    assert already is not None
    expired = repo.expire(now)
    assert sorted(expired) == sorted(ids[n] for n, c in cases.items() if c[2])
    for name, (_, _, should) in cases.items():
        rec = repo.get(ids[name])
        assert rec is not None
        assert rec.status == ("EXPIRED" if should else "ACTIVE"), name
    assert repo.expire(now) == []  # idempotent: only ACTIVE jobs are considered
    # a day later the rest are due; an aware 'now' in another zone means the same instant
    later = datetime(2025, 3, 2, 13, 0, tzinfo=UTC).astimezone(timezone(timedelta(hours=5)))
    assert sorted(repo.expire(later)) == sorted(
        ids[n] for n in ("fresh", "fresh_no_date", "posted_29"))


def test_delete_removes_job_matches_feedback_and_unlinks_duplicates(engine: Engine) -> None:
    repo = JobRepo(engine)
    repo.upsert_many([row(1), row(2, source="boardB")])
    original = repo.by_external("boardA", "1")
    dup = repo.by_external("boardB", "2")
    assert original and original.id and dup and dup.id
    _set_job(engine, dup.id, duplicate_of=original.id)
    user = UserRepo(engine).create("ana")
    cv = CVRepo(engine).add(user.id, "cv.txt", "Python developer", {})
    match = MatchRepo(engine).save(user.id, cv.id or 0, original.id, 80, {"skills": 90})
    MatchRepo(engine).add_feedback(user.id, "like", match_id=match.id)
    assert repo.delete(original.id) is True
    assert repo.delete(original.id) is False
    assert repo.get(original.id) is None
    remaining = repo.get(dup.id)
    assert remaining is not None and remaining.duplicate_of is None
    assert MatchRepo(engine).list(user.id) == []
    assert MatchRepo(engine).feedback(user.id) == []


def test_find_near_duplicate(engine: Engine) -> None:
    repo = JobRepo(engine)
    posted = date(2025, 2, 1)
    repo.upsert_many([
        row("a1", title="Senior Python Developer", company="Acme, Inc.", location="Berlin, DE",
            posted=posted),
        row("a2", title="Java Developer", company="Acme, Inc.", location="Berlin, DE",
            posted=posted),
        row("z", title="Senior Python Developer", company="Zeta GmbH", location="Berlin, DE",
            posted=posted),
    ])
    original = repo.by_external("boardA", "a1")
    assert original is not None

    def near(**kw: Any) -> JobRecord | None:
        args: dict[str, Any] = {
            "company": "ACME", "title": "Python Developer (Senior)", "location": "berlin de",
            "posted": posted + timedelta(days=2), "exclude_source": "boardB",
        }
        args.update(kw)
        return repo.find_near_duplicate(**args)

    found = near()
    assert found is not None and found.id == original.id
    assert near(exclude_source="boardA") is None  # same source is not a cross-source duplicate
    assert near(posted=posted + timedelta(days=4)) is None
    assert near(posted=posted - timedelta(days=3)) is not None
    assert near(location="Munich, DE") is None
    assert near(title="Senior Rust Developer") is None
    assert near(company="Globex") is None
    assert near(company=None) is None
    # a duplicate of a duplicate resolves to the original
    repo.upsert_many([row("b1", source="boardB", title="Senior Python Developer",
                          company="Acme", location="Berlin, DE", posted=posted,
                          duplicate_of=original.id)])
    found = near(exclude_source="boardA")
    assert found is not None and found.id == original.id
    # expired jobs are not duplicate targets
    repo.set_status(original.id or 0, "EXPIRED")
    dup = repo.by_external("boardB", "b1")
    assert dup is not None
    repo.set_status(dup.id or 0, "EXPIRED")
    assert near() is None


def test_normalise_company() -> None:
    assert normalise_company("Acme, Inc.") == normalise_company("ACME") == "acme"
    assert normalise_company("The Northstar Freight Co") == "northstar freight"
    assert normalise_company("Société Générale S.A.") == "societe generale"
    assert normalise_company(None) == ""


def test_parsed_job_round_trip(engine: Engine) -> None:
    posting = JobPosting(title="Data Engineer", company="Acme", posted_date=date(2025, 1, 2),
                         keywords=["spark"], text="Data Engineer at Acme")
    repo = JobRepo(engine)
    repo.upsert_many([row(1, parsed=posting.model_dump(mode="json"))])
    rec = repo.by_external("boardA", "1")
    assert rec is not None
    assert parsed_job(rec) == posting


# --------------------------------------------------------------------------- batches


def test_batches(engine: Engine) -> None:
    repo = BatchRepo(engine)
    batch_id = repo.start("boardA", "jobs.csv")
    rec = repo.get(batch_id)
    assert rec is not None and rec.status == "RUNNING" and rec.finished is None
    errors = [{"row": 7, "reason": "missing title"}]
    repo.finish(batch_id, {"total": 10, "new": 6, "updated": 2, "unchanged": 1, "failed": 1},
                errors, "DONE")
    rec = repo.get(batch_id)
    assert rec is not None
    assert (rec.total, rec.new, rec.updated, rec.unchanged, rec.failed) == (10, 6, 2, 1, 1)
    assert rec.errors == errors and rec.status == "DONE" and rec.finished is not None
    assert repo.get(batch_id + 100) is None
    with pytest.raises(NotFoundError):
        repo.finish(batch_id + 100, {}, [], "FAILED")
    with pytest.raises(ValueError):
        repo.finish(batch_id, {}, [], "BOGUS")


# --------------------------------------------------------------------------- users


def _result(score: int = 80) -> MatchResult:
    return MatchResult(
        score=score, grade="A", label="Excellent", recommended=True, confidence=1.0,
        factors={"skills": FactorScore(name="skills", score=float(score), weight=1.0)},
        engine_version="test",
    )


def test_users_preferences_and_external_ids(engine: Engine) -> None:
    users = UserRepo(engine)
    prefs = UserPreferences(desired_roles=["Data Engineer"], locations=["Berlin"],
                            remote="hybrid", salary_floor=70000, salary_currency="EUR",
                            blocked_companies=["Globex"], digest_schedule="daily 08:00")
    ana = users.create("Ana", external_ids={"slack": "U1"}, preferences=prefs)
    assert users.preferences(ana.id) == prefs
    assert users.by_external("slack", "U1") is not None
    assert users.by_external("slack", "U2") is None
    assert users.by_external("teams", "U1") is None
    users.link_external(ana.id, "teams", "T9")
    found = users.by_external("teams", "T9")
    assert found is not None and found.id == ana.id
    assert users.get_or_create_external("slack", "U1").id == ana.id
    bob = users.get_or_create_external("cli", "bob")
    assert bob.id != ana.id and bob.display_name == "bob"
    users.set_preferences(bob.id, UserPreferences(remote="remote"))
    assert users.preferences(bob.id).remote == "remote"


def test_cv_versions_and_same_text(engine: Engine) -> None:
    users, cvs = UserRepo(engine), CVRepo(engine)
    ana = users.create("Ana")
    v1 = cvs.add(ana.id, "cv.pdf", "Python developer\n", {})
    v2 = cvs.add(ana.id, "cv2.pdf", "Python and Go developer", {})
    same = cvs.add(ana.id, "again.pdf", "Python   developer", {})  # same after normalising
    assert (v1.version, v2.version) == (1, 2)
    assert same.id == v1.id
    assert v1.content_hash == content_hash("Python developer")
    latest = cvs.latest(ana.id)
    assert latest is not None and latest.id == v2.id
    assert [c.version for c in cvs.list(ana.id)] == [1, 2]
    with pytest.raises(NotFoundError):
        cvs.add("no-such-user", "x.txt", "text", {})
    assert "Python" not in repr(v1)


def test_owner_scoping_even_with_guessed_ids(engine: Engine) -> None:
    users, cvs, matches, jobs = UserRepo(engine), CVRepo(engine), MatchRepo(engine), JobRepo(engine)
    jobs.upsert_many([row(1)])
    job = jobs.by_external("boardA", "1")
    assert job and job.id
    ana, bob = users.create("Ana"), users.create("Bob")
    cv = cvs.add(ana.id, "ana.pdf", "Ana's private CV", {})
    assert cv.id is not None
    match = matches.save(ana.id, cv.id, job.id, 77, {"skills": 80})
    assert match.id is not None
    matches.add_feedback(ana.id, "like", match_id=match.id)

    # Bob knows (guesses) Ana's ids: every read comes back empty, every write is refused.
    assert cvs.get(bob.id, cv.id) is None
    assert cvs.list(bob.id) == [] and cvs.latest(bob.id) is None
    assert cvs.delete(bob.id, cv.id) is False
    assert matches.get(bob.id, match.id) is None
    assert matches.list(bob.id) == []
    assert matches.list(bob.id, cv_id=cv.id) == []
    assert matches.set_status(bob.id, match.id, "DISMISSED") is False
    assert matches.feedback(bob.id) == []
    with pytest.raises(NotFoundError):
        matches.save(bob.id, cv.id, job.id, 10, {})
    with pytest.raises(NotFoundError):
        matches.add_feedback(bob.id, "dislike", match_id=match.id)

    # Ana still sees hers, unchanged.
    got = cvs.get(ana.id, cv.id)
    assert got is not None and got.text == "Ana's private CV"
    own = matches.get(ana.id, match.id)
    assert own is not None and own.status == "SUGGESTED"
    assert matches.set_status(ana.id, match.id, "APPLIED") is True
    # a refresh keeps the status the user chose
    again = matches.save(ana.id, cv.id, job.id, 81, {"skills": 85})
    assert again.id == match.id and again.status == "APPLIED" and again.score == 81
    assert [m.id for m in matches.list(ana.id, statuses=["APPLIED"])] == [match.id]
    assert len(matches.feedback(ana.id)) == 1


def _count(engine: Engine, model: Any, *where: Any) -> int:
    with session_scope(engine) as s:
        return int(s.exec(select(func.count()).select_from(model).where(*where)).one())


def test_delete_all_removes_every_trace_of_a_user(engine: Engine) -> None:
    users, cvs, matches, jobs = UserRepo(engine), CVRepo(engine), MatchRepo(engine), JobRepo(engine)
    cache = AnalysisCache(engine)
    jobs.upsert_many([row(1), row(2)])
    job_ids = [j.id or 0 for j in jobs.iter_active()]
    ana, bob = users.create("Ana", external_ids={"slack": "UA"}), users.create("Bob")
    ana_cvs = [cvs.add(ana.id, f"cv{i}.txt", f"Ana CV version {i}", {}) for i in range(2)]
    shared_text = "A CV both of them uploaded"
    ana_shared = cvs.add(ana.id, "shared.txt", shared_text, {})
    bob_cv = cvs.add(bob.id, "bob.txt", shared_text, {})
    bob_own = cvs.add(bob.id, "bob2.txt", "Bob only", {})
    for cv in [*ana_cvs, ana_shared]:
        for job_id in job_ids:
            m = matches.save(ana.id, cv.id or 0, job_id, 70, {})
            matches.add_feedback(ana.id, "like", match_id=m.id)
        cache.put(cv.content_hash, "job", "w", "e", _result())
    bm = matches.save(bob.id, bob_cv.id or 0, job_ids[0], 60, {})
    matches.add_feedback(bob.id, "dislike", match_id=bm.id)
    cache.put(bob_own.content_hash, "job", "w", "e", _result())
    from store.applications import ApplicationRepo

    applications = ApplicationRepo(engine)
    applications.set_status(ana.id, job_ids[0], "applied", note="Ana's own note")
    applications.set_status(ana.id, job_ids[0], "interviewing")
    applications.set_status(bob.id, job_ids[0], "saved")

    counts = users.delete_all(ana.id)
    assert counts == {"feedback": 6, "applications": 1, "matches": 6, "cvs": 3, "analyses": 2,
                      "digests": 0, "candidates": 0, "users": 1}
    assert applications.list(ana.id) == [] and len(applications.list(bob.id)) == 1
    for model, column in [(CVRecord, CVRecord.owner_id), (MatchRecord, MatchRecord.owner_id),
                          (FeedbackRecord, FeedbackRecord.owner_id), (UserRecord, UserRecord.id)]:
        assert _count(engine, model, column == ana.id) == 0, model.__name__
    for cv in ana_cvs:
        assert _count(engine, AnalysisRecord, AnalysisRecord.cv_hash == cv.content_hash) == 0
    assert users.by_external("slack", "UA") is None
    # Bob is untouched, including the analysis of the CV text they share.
    assert len(cvs.list(bob.id)) == 2
    assert len(matches.list(bob.id)) == 1 and len(matches.feedback(bob.id)) == 1
    assert cache.get(bob_cv.content_hash, "job", "w", "e") is not None
    assert cache.get(bob_own.content_hash, "job", "w", "e") is not None
    assert users.delete_all(ana.id) == {
        "feedback": 0, "applications": 0, "matches": 0, "cvs": 0, "analyses": 0,
        "digests": 0, "candidates": 0, "users": 0}


def test_delete_all_can_keep_the_account(engine: Engine) -> None:
    users, cvs = UserRepo(engine), CVRepo(engine)
    ana = users.create("Ana")
    cvs.add(ana.id, "cv.txt", "text", {})
    assert users.delete_all(ana.id, keep_user=True)["cvs"] == 1
    assert users.get(ana.id) is not None and cvs.list(ana.id) == []
