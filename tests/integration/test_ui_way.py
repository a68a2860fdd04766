"""The service operations the channels use instead of reaching store/ themselves (issue #12
"one way in"): job fingerprints (web workers), feeds and scheduled users (scheduler, ``jobfit
feeds``, ``jobfit digest run``), web login sessions (``ui/security.py``), the admin check of a
chat import and the sample seed of ``jobfit ui``. Real SQLite, embedded Chroma, static embedder,
feeds served over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import text

from agent.accounts import WebAccounts
from agent.digests import scheduled_users
from agent.feeds import FeedBook
from agent.service import JobfitService
from store.users import UserPreferences, UserRepo
from tests.integration.agent_store import build_store
from tools.errors import InvalidInputError

ROOT = Path(__file__).resolve().parents[2]
FEEDS = ROOT / "tests" / "fixtures" / "imports"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib name
        pass


@pytest.fixture(scope="module")
def feed_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(FEEDS)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("uiway") / "data", n_jobs=20)
    yield svc
    svc.engine.dispose()


def _jobs_file(path: Path, external_id: str) -> Path:
    path.write_text(json.dumps([{"external_id": external_id, "title": "Kafka Platform Engineer",
                                 "description": "Kafka, Java and Kubernetes."}]),
                    encoding="utf-8")
    return path


def test_job_fingerprints_tell_private_from_shared_changes(service: JobfitService,
                                                           tmp_path: Path) -> None:
    every, shared = service.jobs_fingerprint(), service.shared_jobs_fingerprint()
    assert service.jobs_fingerprint() == every  # stable while nothing changes
    service.import_jobs(_jobs_file(tmp_path / "own.json", "own-1"), owner_id="carol")
    assert service.jobs_fingerprint() != every  # the workers must reopen the index
    assert service.shared_jobs_fingerprint() == shared  # but no keyword index is rebuilt
    every = service.jobs_fingerprint()
    service.import_jobs(_jobs_file(tmp_path / "shared.json", "shared-1"))
    assert service.jobs_fingerprint() != every
    assert service.shared_jobs_fingerprint() != shared


def test_feed_book_registers_refreshes_and_removes_feeds(service: JobfitService,
                                                         feed_server: str) -> None:
    book = service.feeds()
    assert isinstance(book, FeedBook)
    good = book.add(f"{feed_server}/feed.xml", 3600)
    again = book.add(f"{feed_server}/feed.xml", 7200)  # same URL: its period changes
    bad = book.add(f"{feed_server}/not_a_feed.xml", 600)
    assert again.id == good.id and [f.every_s for f in book.list()] == [7200, 600]
    with pytest.raises(InvalidInputError):
        book.add("ftp://example.com/feed.xml", 3600)
    with pytest.raises(InvalidInputError):
        book.add(f"{feed_server}/feed.xml", 30)
    assert {f.id for f in book.due()} == {good.id, bad.id}  # never run: both due
    assert good.id is not None and bad.id is not None

    active = service.job_count()
    assert book.refresh(service, good.id) is True
    feed = book.get(good.id)
    assert feed is not None and feed.last_status == "ok" and feed.last_new == 2
    assert service.job_count() == active + 2
    assert book.refresh(service, bad.id) is True  # recorded as failed, not raised
    feed = book.get(bad.id)
    assert feed is not None and feed.last_status == "failed" and feed.last_error
    assert book.due() == []  # both just ran
    assert [f.id for f in book.due(datetime.now(UTC) + timedelta(seconds=601))] == [bad.id]
    assert book.refresh(service, 99_999) is False

    # a stand-alone book (what `jobfit feeds` builds from the engine alone) sees the same rows
    standalone = FeedBook(service.engine)
    assert standalone.remove(str(good.id)) and standalone.remove(f"{feed_server}/not_a_feed.xml")
    assert not standalone.remove("12345") and book.list() == []


def test_scheduled_users_are_those_with_a_digest_schedule(service: JobfitService) -> None:
    users = UserRepo(service.engine)
    users.create("zoe", user_id="zoe", preferences=UserPreferences(
        digest_schedule="daily 08:00", timezone="Europe/Berlin"))
    users.create("adam", user_id="adam", preferences=UserPreferences(
        digest_schedule="weekly mon 07:30"))
    users.create("nobody", user_id="nobody")
    found = scheduled_users(service.engine)
    assert [uid for uid, _ in found] == ["adam", "zoe"]
    assert dict(found)["zoe"]["timezone"] == "Europe/Berlin"
    assert service.digests().scheduled_users() == found


def test_web_accounts_keep_login_sessions(service: JobfitService) -> None:
    accounts = service.web_accounts()
    now = datetime.now(UTC)
    accounts.start_session("erin", "old", now - timedelta(minutes=1), now - timedelta(hours=1))
    accounts.start_session("erin", "s1", now + timedelta(hours=1), now)
    with service.engine.connect() as conn:  # the expired session was dropped on the way
        ids = {r[0] for r in conn.execute(text("SELECT id FROM web_sessions"))}
    assert "old" not in ids and "s1" in ids
    assert accounts.session_active("s1", "erin", now)
    assert not accounts.session_active("s1", "mallory", now)  # another login's token
    assert not accounts.session_active("s1", "erin", now + timedelta(hours=2))  # expired
    assert not accounts.session_active("nope", "erin", now)
    assert accounts.end_session("s1") is True
    assert accounts.end_session("s1") is False  # already ended
    assert not accounts.session_active("s1", "erin", now)
    assert isinstance(accounts, WebAccounts)


def test_admin_check_of_a_chat_import(service: JobfitService) -> None:
    assert service.is_admin("ana, bob", "bob")
    assert service.is_admin(["ana"], None, "ana")  # login unknown, user id listed
    assert not service.is_admin("ana", "anabel")
    assert not service.is_admin("", "ana")
    assert service.is_admin("", "ana", open_mode=True)  # open mode: the operator's machine


def test_sample_jobs_are_seeded_only_into_an_empty_store(service: JobfitService,
                                                         tmp_path: Path) -> None:
    assert service.seed_sample_jobs() == 0  # has jobs: left alone
    empty = build_store(tmp_path / "empty", n_jobs=0)
    try:
        assert empty.job_count() == 0
        seeded = empty.seed_sample_jobs()
        assert seeded == 320 and empty.job_count() == 320
        assert empty.seed_sample_jobs() == 0
    finally:
        empty.engine.dispose()
