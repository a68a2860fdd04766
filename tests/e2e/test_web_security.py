"""Web security and reliability over the running app's real HTTP and socket.io API.

The app runs as ``jobfit ui`` (tests/e2e/test_web.py ``start_app``: a subprocess on a free port,
temporary data directory, offline model) in password mode, with one allowed extra origin, a
one-hour session and a small chat rate limit. Clients are httpx and python-socketio, as the
browser talks to the server (tests/e2e/chat_client.py). Every client is 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import socketio

from tests.e2e.chat_client import ChatClient, login, open_mode_token
from tests.e2e.test_web import ALICE_CV, CHAT_DB, ROOT, WebApp, jobfit_bin, start_app, stop_app

USERS = {"alice": "alice-password-1", "bob": "bob-password-22", "carol": "carol-password-3",
         "dave": "dave-password-44", "erin": "erin-password-55", "fay": "fay-password-666",
         "gus": "gus-password-7777"}
ALLOWED = "https://allowed.example"
TURN_BURST = 4
ENV = {"JOBFIT_ALLOWED_ORIGINS": ALLOWED, "JOBFIT_SESSION_HOURS": "1",
       "JOBFIT_TURN_BURST": str(TURN_BURST), "JOBFIT_TURNS_PER_MINUTE": "2",
       "JOBFIT_UPLOAD_BURST": "2", "JOBFIT_UPLOADS_PER_MINUTE": "1"}


def start_with(data_dir: Path, env: dict[str, str], **kwargs: Any) -> WebApp:
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        return start_app(data_dir, **kwargs)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    web = start_with(tmp_path_factory.mktemp("websec"), ENV, users=USERS)
    try:
        yield web
    finally:
        stop_app(web)


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def http(app: WebApp, token: str | None = None, **headers: str) -> httpx.Client:
    cookies = {"access_token": token} if token else None
    return httpx.Client(base_url=app.base, cookies=cookies, headers=headers, timeout=30)


def post_login(app: WebApp, name: str, password: str, **headers: str) -> httpx.Response:
    with http(app, **headers) as client:
        return client.post("/login", data={"username": name, "password": password})


# --------------------------------------------------------------------------- health


def test_health_readiness_and_metrics(app: WebApp) -> None:
    with http(app) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "job_index": "ok", "model": "ok"}
        metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert metrics.headers["content-type"].startswith("text/plain")
    for name in ("jobfit_turn_seconds_bucket", "jobfit_logins_failed_total",
                 "jobfit_tool_errors_total", "jobfit_digest_runs_total"):
        assert name in metrics.text or name.replace("_total", "") in metrics.text


# --------------------------------------------------------------------------- brute force


def test_wrong_passwords_are_throttled_the_same_for_unknown_accounts(app: WebApp) -> None:
    answers: dict[str, list[httpx.Response]] = {}
    for name in ("carol", "zed-does-not-exist"):
        answers[name] = [post_login(app, name, f"wrong-guess-{i}") for i in range(8)]
    for responses in answers.values():
        codes = [r.status_code for r in responses]
        assert codes[:5] == [401] * 5 and codes[6:] == [429, 429], codes
        locked = responses[7]
        assert 1 <= int(locked.headers["Retry-After"]) <= 30
        assert locked.json()["detail"].startswith("Too many failed sign-ins. Try again in")
    # no enumeration: the same answers, word for word, for an account and a made-up name
    assert [r.json()["detail"] for r in answers["carol"][5:]] == \
        [r.json()["detail"] for r in answers["zed-does-not-exist"][5:]]
    # while locked even the right password waits (nothing is checked)
    assert post_login(app, "carol", USERS["carol"]).status_code == 429
    # another account from the same address is not locked by carol's lockout
    assert post_login(app, "erin", USERS["erin"]).status_code == 200
    with http(app) as client:
        text = client.get("/metrics").text
    assert 'jobfit_logins_failed_total{reason="locked"}' in text


# --------------------------------------------------------------------------- sessions


def test_logout_ends_the_session_for_http_and_socket(app: WebApp) -> None:
    token = run(login(app.base, "alice", USERS["alice"]))

    async def connected_client() -> ChatClient:
        client = ChatClient(app.base, token)
        await client.connect()
        return client

    async def scenario() -> tuple[str, str]:
        open_tab = await connected_client()
        before = (await open_tab.ask("show my profile")).answer
        with http(app, token) as client:
            assert client.get("/user").status_code == 200
            out = client.post("/logout", json={})
            assert out.status_code == 200
            assert "access_token" in out.headers.get("set-cookie", "")
            assert client.get("/user").status_code == 401
        with http(app) as bearer:
            assert bearer.get("/user", headers={"Authorization": f"Bearer {token}"}
                              ).status_code == 401
            assert bearer.post("/auth/jwt", headers={"Authorization": f"Bearer {token}"}
                               ).status_code == 401
        after = (await open_tab.ask("show my profile")).answer  # the tab that stayed open
        await open_tab.close()
        with pytest.raises(socketio.exceptions.ConnectionError):
            await connected_client()  # a new connection with the old cookie
        return before, after

    before, after = run(scenario())
    assert "ended" not in before
    assert "Your session has ended; please sign in again." in after
    assert post_login(app, "alice", USERS["alice"]).status_code == 200  # a new login works


def test_a_password_reset_ends_existing_sessions(app: WebApp) -> None:
    token = run(login(app.base, "bob", USERS["bob"]))
    with http(app, token) as client:
        assert client.get("/user").status_code == 200
    env = {**os.environ, "JOBFIT_DATA_DIR": str(app.data_dir)}
    env.pop("DATABASE_URL", None)
    done = subprocess.run([jobfit_bin(), "users", "add", "bob", "--password", "bob-new-pass-9"],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    assert "1 web session ended" in done.stderr
    deadline = time.monotonic() + 5  # the server re-checks a session at least every 2 s
    status = 200
    while time.monotonic() < deadline and status == 200:
        with http(app, token) as client:
            status = client.get("/user").status_code
        time.sleep(0.25)
    assert status == 401
    assert post_login(app, "bob", USERS["bob"]).status_code == 401
    assert post_login(app, "bob", "bob-new-pass-9").status_code == 200


def test_session_cookie_lifetime_and_secure_flag_behind_https(app: WebApp) -> None:
    plain = post_login(app, "erin", USERS["erin"])
    proxied = post_login(app, "erin", USERS["erin"], **{"X-Forwarded-Proto": "https"})
    assert plain.status_code == proxied.status_code == 200
    plain_cookie, secure_cookie = plain.headers["set-cookie"], proxied.headers["set-cookie"]
    assert "Max-Age=3600" in plain_cookie  # JOBFIT_SESSION_HOURS=1
    assert "secure" not in plain_cookie.lower()
    assert "; Secure" in secure_cookie and "HttpOnly" in secure_cookie


# --------------------------------------------------------------------------- origins


def test_other_origins_cannot_act_or_read_with_credentials(app: WebApp) -> None:
    evil = "http://evil.example"
    refused = post_login(app, "erin", USERS["erin"], Origin=evil)
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Cross-origin request refused."
    assert post_login(app, "erin", USERS["erin"], Origin=app.base).status_code == 200
    with http(app) as client:
        read = client.get("/auth/config", headers={"Origin": evil})
        allowed = client.get("/auth/config", headers={"Origin": ALLOWED})
        preflight = client.options("/project/threads", headers={
            "Origin": evil, "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in read.headers  # the browser hides the answer
    assert allowed.headers.get("access-control-allow-origin") == ALLOWED
    assert "access-control-allow-origin" not in preflight.headers
    token = run(login(app.base, "erin", USERS["erin"]))

    async def connect(origin: str) -> None:
        client = ChatClient(app.base, token)
        await client.connect(origin=origin)
        await client.close()

    with pytest.raises(socketio.exceptions.ConnectionError):
        run(connect(evil))
    run(connect(app.base))  # same origin: fine


# --------------------------------------------------------------------------- feedback


def _feedback_rows(app: WebApp) -> list[tuple[Any, ...]]:
    with sqlite3.connect(app.data_dir / CHAT_DB) as conn:
        return conn.execute('SELECT "id", "forId", "value", "comment" FROM feedbacks'
                            ).fetchall()


def test_feedback_only_on_ones_own_messages(app: WebApp) -> None:
    token = run(login(app.base, "dave", USERS["dave"]))

    async def first_message() -> tuple[str, str]:
        client = ChatClient(app.base, token)
        await client.connect()
        turn = await client.ask("show my profile")
        await client.close()
        return str(turn.messages[-1]["id"]), str(client.thread_id)

    step_id, thread_id = run(first_message())
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # the data layer writes steps in the background
        with sqlite3.connect(app.data_dir / CHAT_DB) as conn:
            if conn.execute('SELECT 1 FROM steps WHERE "id" = ?', (step_id,)).fetchone():
                break
        time.sleep(0.2)
    other = run(login(app.base, "erin", USERS["erin"]))
    body = {"feedback": {"forId": step_id, "value": 0, "comment": "written by someone else",
                         "threadId": thread_id}, "sessionId": "x"}
    with http(app, other) as client:
        assert client.put("/feedback", json=body).status_code == 404
    assert _feedback_rows(app) == []
    with http(app, token) as client:
        own = client.put("/feedback", json={**body, "feedback": {
            **body["feedback"], "value": 1, "comment": "mine"}})
    assert own.status_code == 200, own.text
    feedback_id = own.json()["feedbackId"]
    with http(app, other) as client:
        assert client.request("DELETE", "/feedback",
                              json={"feedbackId": feedback_id}).status_code == 404
        assert client.put("/feedback", json={**body, "feedback": {
            **body["feedback"], "id": feedback_id}}).status_code == 404
    assert [(r[0], r[1], r[2], r[3]) for r in _feedback_rows(app)] == [
        (feedback_id, step_id, 1, "mine")]
    with http(app, token) as client:
        assert client.request("DELETE", "/feedback",
                              json={"feedbackId": feedback_id}).status_code == 200
    assert _feedback_rows(app) == []


# --------------------------------------------------------------------------- turns & limits


def test_turns_of_one_thread_run_in_order(app: WebApp) -> None:
    token = run(login(app.base, "fay", USERS["fay"]))  # (4 turns: within fay's burst)

    async def scenario() -> list[Any]:
        client = ChatClient(app.base, token)
        await client.connect()
        await client.ask(ALICE_CV.read_text(encoding="utf-8"))
        turns = await client.ask_many(["what are my best matches?", "how well do I fit job 1",
                                       "show my profile"])
        await client.close()
        return turns

    matches, fit, profile = run(scenario())
    first_job = matches.cards("JobList")[0]["jobs"][0]
    assert fit.cards("ScoreCard")[0]["job"]["title"] == first_job["title"]
    # strictly one after another: no message of a turn before the previous one ended
    for before, after in ((matches, fit), (fit, profile)):
        assert after.messages and before.done > 0
        assert after.first >= before.done, (before.text, after.text)


def test_chat_turns_are_rate_limited_per_user(app: WebApp) -> None:
    token = run(login(app.base, "erin", USERS["erin"]))

    async def scenario() -> list[str]:
        client = ChatClient(app.base, token)
        await client.connect()
        turns = await client.ask_many(["show my profile"] * (TURN_BURST + 2))
        await client.close()
        return [t.answer for t in turns]

    answers = run(scenario())
    limited = [a for a in answers if "faster than I can answer" in a]
    assert len(limited) == 2, answers
    assert all("Wait" in a and "seconds" in a for a in limited)


def test_uploads_are_rate_limited_per_user(app: WebApp) -> None:
    token = run(login(app.base, "gus", USERS["gus"]))
    cv = ALICE_CV.read_bytes()

    async def scenario() -> str:
        # one file per message (several CVs in one message are a recruiter's candidate pool)
        client = ChatClient(app.base, token)
        await client.connect()
        answers = []
        for i in range(4):
            ref = await client.upload(f"cv-{i}.txt", cv)
            answers.append((await client.send_files([ref])).answer)
        await client.close()
        return "\n".join(answers)

    answer = run(scenario())
    assert answer.count("CV saved") == 2, answer  # JOBFIT_UPLOAD_BURST=2
    assert answer.count("That's a lot of files at once. Wait") == 2, answer


# --------------------------------------------------------------------------- open mode


def test_open_mode_refuses_a_public_address_unless_forced(tmp_path: Path) -> None:
    env = {**os.environ, "JOBFIT_DATA_DIR": str(tmp_path), "JOBFIT_AUTH": "open"}
    out = subprocess.run([jobfit_bin(), "ui", "--host", "0.0.0.0", "--port", "1"], env=env,
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 2
    assert "Refusing to serve open mode (no login) on 0.0.0.0" in out.stderr
    assert "--allow-open-remote" in out.stderr


def test_open_mode_hands_sessions_only_to_its_own_page(tmp_path: Path) -> None:
    app = start_app(tmp_path / "open", auth="open")
    try:
        with http(app) as client:
            assert client.post("/auth/header", json={},
                               headers={"Origin": "http://evil.example"}).status_code == 403
            rebound = client.post("/auth/header", json={}, headers={"Host": "evil.example"})
            assert rebound.status_code == 403  # DNS rebinding: not a loopback name
            assert client.post("/auth/header", json={}, headers={"Origin": app.base}
                               ).status_code == 200
        assert run(open_mode_token(app.base))
    finally:
        stop_app(app)


def test_the_login_page_says_to_wait_when_locked(app: WebApp) -> None:
    from tests.e2e.test_web import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(30_000)
            page.goto(app.base)
            for i in range(7):
                page.fill("#email", "ghost")
                page.fill("#password", f"wrong-guess-{i}")
                page.get_by_role("button", name="Sign In").click()
                page.wait_for_timeout(300)
            page.get_by_text("Too many failed sign-ins. Wait a few minutes").wait_for()
        finally:
            browser.close()
