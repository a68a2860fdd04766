"""``jobfit ui`` with Slack's (and Chainlit's) standard variables set: it starts (Chainlit's own
Slack/Teams integrations would crash it), jobfit's handler answers ``/slack/events`` (signed
requests only) and posts through the configured Slack API (a fake on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.bot_servers import SECRET, dm, free_port, post_event, signed_headers
from tests.e2e.test_web import ROOT, jobfit_bin
from tests.slack_fake import FakeSlack


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack().start()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, fake: FakeSlack) -> Iterator[dict[str, Any]]:
    data_dir = tmp_path_factory.mktemp("bots-ui")
    env = {**os.environ, "JOBFIT_DATA_DIR": str(data_dir), "JOBFIT_AUTH": "open",
           "JOBFIT_LLM": "offline", "SLACK_BOT_TOKEN": "xoxb-e2e",
           "SLACK_SIGNING_SECRET": SECRET, "SLACK_WEBSOCKET_TOKEN": "xapp-not-used",
           "DISCORD_BOT_TOKEN": "not-used", "JOBFIT_SLACK_API_URL": fake.api,
           "TEAMS_APP_ID": "00000000-0000-0000-0000-000000000001",
           "TEAMS_APP_PASSWORD": "teams-secret"}
    env.pop("DATABASE_URL", None)
    env.pop("JOBFIT_DATABASE_URL", None)
    port = free_port()
    log = data_dir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([jobfit_bin(), "ui", "--port", str(port)], env=env, cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jobfit ui exited: {log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(base + "/auth/config", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("jobfit ui did not start") from None
                time.sleep(0.5)
        yield {"url": base, "log": log, "data": data_dir}
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


def test_ui_starts_and_only_signed_slack_requests_are_processed(server: dict[str, Any],
                                                                fake: FakeSlack) -> None:
    url = server["url"]
    bad = post_event(url, dm("UE2E", "help"), event_id="EvBad", secret="nope")
    assert bad.status_code == 401
    body = json.dumps({"type": "url_verification", "challenge": "c-42"})
    ok = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body))
    assert ok.status_code == 200 and "c-42" in ok.text
    assert post_event(url, dm("UE2E", "help"), event_id="EvE2E1").status_code == 200
    posted = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUE2E",
                       timeout=120)
    assert posted, Path(server["log"]).read_text(errors="replace")[-3000:]
    assert posted[0]["auth"] == "Bearer xoxb-e2e"
    # Teams: jobfit's messaging endpoint refuses unauthenticated activities
    activity = {"type": "message", "text": "help", "serviceUrl": fake.url,
                "conversation": {"id": "a:1"}, "from": {"id": "29:1"}}
    assert httpx.post(f"{url}/api/messages", json=activity).status_code == 401
    # Chainlit's own Teams route is not there; the web chat still is
    assert httpx.post(f"{url}/teams/events", json={}).status_code in (404, 405)
    assert httpx.get(f"{url}/auth/config").status_code == 200


def test_jobfit_slack_alone_in_http_mode(tmp_path: Path, fake: FakeSlack) -> None:
    port = free_port()
    env = {**os.environ, "JOBFIT_DATA_DIR": str(tmp_path), "JOBFIT_LLM": "offline",
           "SLACK_BOT_TOKEN": "xoxb-alone", "SLACK_SIGNING_SECRET": SECRET,
           "JOBFIT_SLACK_API_URL": fake.api}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([jobfit_bin(), "slack", "--port", str(port)], env=env, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
            try:
                r = post_event(url, dm("UALONE", "help"), event_id="EvAlone1", secret="bad")
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline
                time.sleep(0.5)
        assert r.status_code == 401
        assert post_event(url, dm("UALONE", "help"), event_id="EvAlone2").status_code == 200
        posted = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUALONE",
                           timeout=120)
        assert posted and posted[0]["auth"] == "Bearer xoxb-alone"
    finally:
        proc.terminate()
        proc.wait(timeout=15)


def test_jobfit_slack_socket_needs_an_app_token(tmp_path: Path) -> None:
    env = {**os.environ, "JOBFIT_DATA_DIR": str(tmp_path), "SLACK_BOT_TOKEN": "xoxb-x"}
    for name in ("SLACK_APP_TOKEN", "SLACK_WEBSOCKET_TOKEN", "JOBFIT_SLACK_APP_TOKEN"):
        env.pop(name, None)
    done = subprocess.run([jobfit_bin(), "slack", "--socket"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "SLACK_APP_TOKEN" in done.stderr and "Traceback" not in done.stderr


def test_teams_package_command(tmp_path: Path) -> None:
    import zipfile

    out = tmp_path / "jobfit-teams.zip"
    done = subprocess.run([jobfit_bin(), "teams-package", "--out", str(out), "--app-id",
                           "abc-123"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "JOBFIT_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(out) as z:
        assert json.loads(z.read("manifest.json"))["id"] == "abc-123"
