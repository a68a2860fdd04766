"""The look-ups the service used to write as SQL itself, now repository methods: a job reference
to its id (visibility, ACTIVE first, canonical URLs), duplicate groups, the head of the current
CV, and idempotent user creation. SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine, update
from sqlmodel import col

from store.db import session_scope
from store.repo import JobRepo, JobUpsert
from store.tables import JobRecord, UserRecord
from store.userdata import CVRepo
from store.users import UserRepo


def row(i: int | str, *, source: str = "boardA", **kw: Any) -> JobUpsert:
    data: dict[str, Any] = {
        "source": source, "external_id": str(i), "title": f"Engineer {i}", "company": "Acme Inc",
        "location": "Berlin, DE", "skills": ["python"], "content_hash": f"hash-{source}-{i}",
        "posted": date(2025, 1, 10),
    }
    data.update(kw)
    return JobUpsert(**data)


def _id(repo: JobRepo, source: str, external_id: str) -> int:
    rec = repo.by_external(source, external_id)
    assert rec is not None and rec.id is not None
    return rec.id


def _set(engine: Engine, job_id: int, **values: Any) -> None:
    with session_scope(engine) as s:
        s.exec(update(JobRecord).where(col(JobRecord.id) == job_id).values(**values))  # type: ignore[call-overload]


def test_resolve_ref_by_external_id_and_url(engine: Engine) -> None:
    repo = JobRepo(engine)
    repo.upsert_many([row("x1", url="https://Jobs.Example.com/a/1"), row("x2")])
    x1 = _id(repo, "boardA", "x1")
    assert repo.resolve_ref("external", "x1") == x1
    assert repo.resolve_ref("external", "nope") is None
    assert repo.resolve_ref("url", "https://Jobs.Example.com/a/1") == x1
    # not stored in that spelling: found through its canonical form
    _set(engine, x1, url="https://jobs.example.com/a/1")
    assert repo.resolve_ref("url", "https://JOBS.example.com/a/1/#apply") == x1
    assert repo.resolve_ref("url", "https://jobs.example.com/other") is None


def test_resolve_ref_prefers_active_then_lowest_id(engine: Engine) -> None:
    repo = JobRepo(engine)
    repo.upsert_many([row("same", source="boardA"), row("same", source="boardB"),
                      row("same", source="boardC")])
    a, b, c = (_id(repo, s, "same") for s in ("boardA", "boardB", "boardC"))
    assert repo.resolve_ref("external", "same") == min(a, b, c)
    repo.set_status(a, "EXPIRED")
    assert repo.resolve_ref("external", "same") == min(b, c)
    repo.set_status(b, "EXPIRED")
    repo.set_status(c, "EXPIRED")
    assert repo.resolve_ref("external", "same") == min(a, b, c)  # none active: lowest id


def test_resolve_ref_sees_only_what_the_viewer_may(engine: Engine) -> None:
    UserRepo(engine).ensure("ana")
    UserRepo(engine).ensure("ben")
    repo = JobRepo(engine)
    repo.upsert_many([row("mine", source="user:ana", owner_id="ana")])
    mine = _id(repo, "user:ana", "mine")
    assert repo.resolve_ref("external", "mine", "ana") == mine
    assert repo.resolve_ref("external", "mine", "ben") is None
    assert repo.resolve_ref("external", "mine") is None  # the operator sees shared jobs


def test_duplicate_groups(engine: Engine) -> None:
    repo = JobRepo(engine)
    repo.upsert_many([row("o", source="boardA"), row("d1", source="boardB"),
                      row("d2", source="boardC"), row("alone", source="boardA")])
    o, d1, d2, alone = (_id(repo, s, e) for s, e in (
        ("boardA", "o"), ("boardB", "d1"), ("boardC", "d2"), ("boardA", "alone")))
    _set(engine, d1, duplicate_of=o)
    _set(engine, d2, duplicate_of=o)
    groups = repo.duplicate_groups([o, d1, alone, 999_999])
    assert groups == {o: (o, ["boardB", "boardC"]), d1: (o, ["boardA", "boardC"])}
    assert repo.duplicate_groups([d2]) == {d2: (o, ["boardA", "boardB"])}
    assert repo.duplicate_groups([]) == {}
    assert repo.duplicate_groups([alone]) == {}


def test_latest_head_is_the_newest_version_of_the_owner(engine: Engine) -> None:
    UserRepo(engine).ensure("ana")
    UserRepo(engine).ensure("ben")
    cvs = CVRepo(engine)
    assert cvs.latest_head("ana") is None
    first = cvs.add("ana", "a.txt", "first CV text", {})
    second = cvs.add("ana", "b.txt", "second CV text", {})
    cvs.add("ben", "c.txt", "ben's CV text", {})
    assert cvs.latest_head("ana") == (second.id, second.content_hash)
    assert first.id != second.id
    assert cvs.delete("ana", second.id or 0)
    assert cvs.latest_head("ana") == (first.id, first.content_hash)


def test_ensure_creates_a_user_once(engine: Engine) -> None:
    users = UserRepo(engine)
    assert users.ensure("cora", "Cora") is True
    assert users.ensure("cora", "Other name") is False
    rec = users.get("cora")
    assert rec is not None and rec.display_name == "Cora"
    with session_scope(engine) as s:
        assert len(list(s.exec(UserRecord.__table__.select()))) == 1  # type: ignore[attr-defined, call-overload]


def test_ensure_tolerates_a_user_created_meanwhile(engine: Engine) -> None:
    users = UserRepo(engine)
    users.create("Dan", user_id="dan")
    users.get = lambda owner_id: None  # type: ignore[method-assign]  # another process won
    assert users.ensure("dan") is False
    assert UserRepo(engine).get("dan") is not None
