"""Who may write the shared job store; private sources; provenance; schema 2 migration.

Real store: SQLite file, embedded Chroma, static embedder, the first 60 sample jobs (imported
by the operator). Jobs files are imported through ``JobfitService.import_jobs`` exactly as the
web chat's upload handler calls it (``owner_id`` = the chat user, ``admin`` from the policy).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect, text
from sqlmodel import col, select

from agent.service import JobfitService
from store.db import SCHEMA_VERSION, init_db, schema_version, session_scope
from store.jobaccess import chat_user_is_admin, parse_admins
from store.repo import BatchRepo, NotFoundError
from store.tables import JobRecord
from tests.integration.agent_store import BACKEND_CV, build_store, sample_jobs
from tools.errors import InvalidInputError


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("access") / "data")
    yield svc
    svc.engine.dispose()


def _target() -> dict[str, object]:
    """The shared sample posting the attack aims at (a backend role the test CV fits)."""
    for job in sample_jobs():
        if job["title"] == "Sr. Software Engineer, Backend":
            return job
    raise AssertionError("sample changed")


def _attack(tmp_path: Path, **extra: object) -> Path:
    target = _target()
    row = {"source": target["source"], "external_id": target["external_id"],
           "title": target["title"], "company": target["company"],
           "url": "http://phish.example/apply",
           "description": ("Java Spring Boot Kafka PostgreSQL Kubernetes AWS Docker "
                           "microservices REST API backend engineer " * 30)}
    row.update(extra)
    path = tmp_path / "jobs.json"
    path.write_text(json.dumps([row]), encoding="utf-8")
    return path


def _shared(svc: JobfitService, external_id: str) -> JobRecord:
    with session_scope(svc.engine) as s:
        return s.exec(select(JobRecord).where(
            JobRecord.external_id == external_id, col(JobRecord.owner_id).is_(None))).one()


def test_admin_policy() -> None:
    assert parse_admins(" ana, bob;carl ,") == {"ana", "bob", "carl"}
    assert chat_user_is_admin("", "ana", open_mode=True)
    assert not chat_user_is_admin("", "ana", "f00")
    assert chat_user_is_admin("ana", "ana", "f00")
    assert not chat_user_is_admin("ana", "anabel", None)


def test_a_users_upload_cannot_rewrite_a_shared_job(service: JobfitService,
                                                      tmp_path: Path) -> None:
    target = _target()
    before = _shared(service, str(target["external_id"]))
    assert before.created_by == "operator" and before.batch_id is not None

    summary = service.import_jobs(_attack(tmp_path), owner_id="mallory", admin=False)
    assert (summary.new, summary.updated, summary.failed) == (1, 0, 0)

    after = _shared(service, str(target["external_id"]))
    assert after.url == before.url and after.content_hash == before.content_hash
    assert after.updated == before.updated and after.batch_id == before.batch_id
    mine = service.jobs.by_external("user:mallory", str(target["external_id"]))
    assert mine is not None and mine.owner_id == "mallory"
    assert mine.url == "http://phish.example/apply"
    assert mine.created_by == "user:mallory" and mine.batch_id == summary.batch_id
    batch = BatchRepo(service.engine).get(summary.batch_id)
    assert batch is not None and batch.actor == "user:mallory" and batch.owner_id == "mallory"
    assert batch.source == "user:mallory" and batch.status == "DONE"


def test_two_users_are_isolated(service: JobfitService, tmp_path: Path) -> None:
    target = _target()
    service.import_jobs(_attack(tmp_path), owner_id="mallory", admin=False)
    private = service.jobs.by_external("user:mallory", str(target["external_id"]))
    assert private is not None and private.id is not None

    service.save_cv("bob", text=BACKEND_CV)
    service.save_cv("mallory", text=BACKEND_CV)
    # bob: the external id names the shared job, the private one's db id is unknown
    card = service.job_card(str(target["external_id"]), "bob")
    assert card.url != "http://phish.example/apply" and card.ref != private.id
    with pytest.raises(NotFoundError):
        service.job_card(str(private.id), "bob")
    with pytest.raises(NotFoundError):
        service.analyse("bob", str(private.id))
    with pytest.raises(NotFoundError):
        service.record_feedback("bob", str(private.id), "applied")
    bob_best = service.best_matches("bob", k=50, min_score=0)
    assert private.id not in {c.ref for c in bob_best}
    assert all(c.url != "http://phish.example/apply" for c in bob_best)
    bob_search = service.search("bob", "java spring kafka backend engineer", k=50)
    assert private.id not in {c.ref for c in bob_search}

    # mallory sees her own job (by id, in her matches) next to the shared ones
    assert service.job_card(str(private.id), "mallory").url == "http://phish.example/apply"
    mal_best = service.best_matches("mallory", k=50, min_score=0)
    assert private.id in {c.ref for c in mal_best}
    assert {c.ref for c in mal_best} - {private.id} <= {c.ref for c in bob_best} | {
        c.ref for c in service.best_matches("bob", k=60, min_score=0)}


def test_private_jobs_stay_out_of_the_shared_indexes(service: JobfitService,
                                                      tmp_path: Path) -> None:
    from store.jobsource import build_job_indexes, stage1_fingerprint

    before = stage1_fingerprint(service.engine)
    row = {"external_id": "own-1", "title": "Kafka Platform Engineer",
           "description": "Own posting: Kafka, Java, Kubernetes."}
    path = tmp_path / "own.json"
    path.write_text(json.dumps([row]), encoding="utf-8")
    service.import_jobs(path, owner_id="carol", admin=False)
    assert stage1_fingerprint(service.engine) == before  # nobody's indexes are rebuilt
    own = service.jobs.by_external("user:carol", "own-1")
    assert own is not None
    assert str(own.id) not in build_job_indexes(service.engine).places


def test_admins_write_the_shared_store_with_provenance(service: JobfitService,
                                                       tmp_path: Path) -> None:
    target = _target()
    before = _shared(service, str(target["external_id"]))
    summary = service.import_jobs(_attack(tmp_path, url="https://jobs.example/real"),
                                  owner_id="ana", admin=True)
    assert summary.updated == 1
    after = _shared(service, str(target["external_id"]))
    assert after.id == before.id and after.url == "https://jobs.example/real"
    assert after.batch_id == summary.batch_id and after.created_by == "operator"
    batch = BatchRepo(service.engine).get(summary.batch_id)
    assert batch is not None and batch.actor == "user:ana" and batch.owner_id is None


def test_shared_imports_cannot_write_private_sources(service: JobfitService,
                                                     tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text(json.dumps([{"source": "user:bob", "external_id": "z",
                                 "title": "Planted", "description": "planted job"}]),
                    encoding="utf-8")
    summary = service.import_jobs(path)  # the operator
    assert summary.failed == 1 and "private" in summary.errors[0].reason
    assert service.jobs.by_external("user:bob", "z") is None
    from store.ingest.pipeline import import_jobs

    with pytest.raises(InvalidInputError):
        import_jobs(path, engine=service.engine, index=service.index,
                    embedder=service.embedder,  # type: ignore[arg-type]
                    default_source="user:bob")


def test_forget_deletes_private_jobs(service: JobfitService, tmp_path: Path) -> None:
    path = tmp_path / "d.json"
    path.write_text(json.dumps([{"external_id": "d1", "title": "Dora's own job",
                                 "description": "Python developer"}]), encoding="utf-8")
    service.import_jobs(path, owner_id="dora", admin=False)
    job = service.jobs.by_external("user:dora", "d1")
    assert job is not None
    counts = service.forget("dora")
    assert counts["private_jobs"] == 1
    assert service.jobs.by_external("user:dora", "d1") is None
    assert str(job.id) not in service.index.hashes()  # type: ignore[attr-defined]


def test_schema_1_database_migrates_to_2(bare_engine: Engine) -> None:
    init_db(bare_engine)
    with bare_engine.begin() as conn:
        conn.execute(text("DROP INDEX ix_jobs_owner_id"))
        conn.execute(text("DROP INDEX ix_jobs_batch_id"))
        for col in ("owner_id", "created_by", "batch_id"):
            conn.execute(text(f"ALTER TABLE jobs DROP COLUMN {col}"))
        for col in ("actor", "owner_id", "runner", "heartbeat"):
            conn.execute(text(f"ALTER TABLE import_batches DROP COLUMN {col}"))
        conn.execute(text("INSERT INTO jobs (source, external_id, title, company_key, skills, "
                          "keywords, parsed, text, content_hash, status, imported, updated) "
                          "VALUES ('s', 'e1', 'Dev', '', '[]', '[]', '{}', '', 'h', 'ACTIVE', "
                          "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"))
        conn.execute(text("UPDATE schema_version SET version = 1"))
    assert schema_version(bare_engine) == 1
    assert init_db(bare_engine) == SCHEMA_VERSION == 2
    cols = {c["name"] for c in inspect(bare_engine).get_columns("jobs")}
    assert {"owner_id", "created_by", "batch_id"} <= cols
    cols = {c["name"] for c in inspect(bare_engine).get_columns("import_batches")}
    assert {"actor", "owner_id", "runner", "heartbeat"} <= cols
    assert BatchRepo(bare_engine).start("s", "f.json", actor="operator") > 0
    with bare_engine.connect() as conn:
        assert conn.execute(text("SELECT title, owner_id, created_by FROM jobs")).all() == [
            ("Dev", None, "")]
    assert init_db(bare_engine) == 2  # idempotent


def test_private_jobs_are_capped(service: JobfitService, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import store.jobaccess

    monkeypatch.setattr(store.jobaccess, "MAX_PRIVATE_JOBS", 1)
    path = tmp_path / "cap.json"
    path.write_text(json.dumps([{"external_id": "c1", "title": "Cap test job",
                                 "description": "Python developer"}]), encoding="utf-8")
    assert service.import_jobs(path, owner_id="frank", admin=False).new == 1
    with pytest.raises(InvalidInputError, match="private jobs"):
        service.import_jobs(path, owner_id="frank", admin=False)
    assert service.import_jobs(path, owner_id="frank", admin=True).new == 1  # shared: no cap
