"""Digests to a Slack workspace that installed jobfit with OAuth (issue 15): the install goes
through ``/slack/install`` and ``/slack/oauth_redirect`` of the web server against the fake
Slack API's ``oauth.v2.access``, which stores the installation in the project database; a
separate digest run (the scheduler's or ``jobfit digest run``'s process: bots built from the
settings, a new engine on the same database) finds that workspace's bot token there and posts
the digest card to the user's DM with it, exactly once. A workspace without an installation
fails with a reason and posts nothing."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from agent.digests import DigestCenter
from agent.service import JobfitService
from agent.settings import Settings
from tests.bot_servers import SECRET, Served
from tests.integration.agent_store import BACKEND_CV, build_store
from tests.slack_fake import FakeSlack
from tools.digest import Digest
from ui import channels
from ui.bots import BotCore
from ui.digest_bots import SlackDigestChannel
from ui.scheduler import attach_bot_channels
from ui.slack import build_slack_app, routes


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack().start()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("slackoauth") / "data")
    yield svc
    svc.engine.dispose()


@pytest.fixture(scope="module")
def settings(service: JobfitService, fake: FakeSlack) -> Settings:
    """OAuth settings only: no single-workspace bot token."""
    data_dir = Path(str(service.engine.url.database)).parent
    return Settings(data_dir=data_dir, slack_signing_secret=SECRET,
                    slack_client_id="111.222", slack_client_secret="shh",
                    slack_api_url=fake.api)


@pytest.fixture(scope="module")
def installed(service: JobfitService, settings: Settings) -> str:
    """Workspace T2 installs jobfit through the web server's OAuth routes; returns its id."""
    from starlette.applications import Starlette

    app = build_slack_app(BotCore(service), settings, engine=service.engine)
    served = Served(Starlette(routes=routes(app))).start()
    try:
        with httpx.Client(base_url=served.url, follow_redirects=False) as http:
            r = http.get("/slack/install")
            link = re.search(r"https://slack\.com/oauth/v2/authorize\?[^\"' ]+",
                             html.unescape(r.headers.get("location") or r.text))
            assert link, r.text
            state = parse_qs(urlsplit(link.group(0)).query)["state"][0]
            cookie = r.headers["set-cookie"].split(";")[0]
            ok = http.get("/slack/oauth_redirect", params={"code": "good-code", "state": state},
                          headers={"Cookie": cookie})
            assert ok.status_code == 200, ok.text
    finally:
        served.stop()
    return "T2"


@pytest.fixture
def center(service: JobfitService, settings: Settings, installed: str
           ) -> Iterator[DigestCenter]:
    """A digest center as a scheduler process builds it: no bots mounted in this process, so
    the Slack channel builds its app from the settings (installations read from the DB)."""
    saved = dict(channels.BOTS)
    channels.BOTS.clear()
    center = DigestCenter(service)
    attach_bot_channels(center, service, settings)
    yield center
    channels.BOTS.clear()
    channels.BOTS.update(saved)


def slack_user(service: JobfitService, workspace: str, user: str) -> str:
    owner = service.channel_user("slack", workspace, user)
    service.save_cv(owner, text=BACKEND_CV)
    service.update_preferences(owner, digest_channels=["slack"])
    return owner


def posts_to(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    return [c for c in fake.of("chat.postMessage") if c["params"].get("channel") == channel]


def test_digest_reaches_the_dm_in_an_oauth_installed_workspace(
        center: DigestCenter, service: JobfitService, fake: FakeSlack, installed: str) -> None:
    assert isinstance(center.channels.get("slack"), SlackDigestChannel)
    owner = slack_user(service, installed, "UOAUTH")
    first = center.run_user(owner, period="oauth-1")
    assert first.status == "sent", first
    assert first.channels["slack"]["status"] == "sent", first.channels
    assert center.run_user(owner, period="oauth-1").status == "already"
    posts = posts_to(fake, "DUOAUTH")
    assert len(posts) == 1
    assert posts[0]["auth"] == "Bearer xoxb-installed"  # the installation's token, from the DB
    # the bot was built from the settings in this "process", not taken from a mounted server
    app = channels.BOTS["slack"]
    assert app.client.token is None and app.installation_store is not None
    blocks = posts[0]["params"]["blocks"]
    blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
    rec = center.repo.get(owner, first.digest_id or 0)
    assert rec is not None and rec.content
    digest = Digest.model_validate(rec.content)
    assert digest.matches, "the backend CV should have new matches among the sample jobs"
    assert blocks[0]["text"]["text"] == "Your jobfit digest"
    text = json.dumps(blocks, ensure_ascii=False)
    assert f"*{digest.matches[0].score}*" in text
    assert [b["block_id"][4:] for b in blocks if b["type"] == "actions"] == [
        str(m.ref) for m in digest.matches]


def test_a_workspace_without_installation_fails_with_a_reason(
        center: DigestCenter, service: JobfitService, fake: FakeSlack) -> None:
    owner = slack_user(service, "T3", "UNOINSTALL")
    result = center.run_user(owner, period="oauth-1")
    assert result.channels["slack"]["status"] == "failed"
    assert "not installed in that Slack workspace" in result.channels["slack"]["reason"]
    assert posts_to(fake, "DUNOINSTALL") == []
