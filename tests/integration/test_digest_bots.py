"""Scheduled digests in Slack DMs and Teams personal chats, end to end without network: a real
store (60 sample jobs), the digest center with the channels ``jobfit digest run`` / the
scheduler register (``ui.scheduler.attach_channels``), slack_sdk's WebClient against the fake
Slack Web API and the Microsoft 365 Agents SDK against a fake Bot Framework connector."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from agent.digests import DigestCenter
from agent.service import JobfitService
from agent.settings import Settings
from tests.bot_servers import SECRET, free_port
from tests.integration.agent_store import BACKEND_CV, build_store
from tests.integration.test_teams import APP_ID, TENANT, FakeConnector, FixedConnections
from tests.slack_fake import FakeSlack
from tools.digest import Digest
from tools.digest_card import digest_card
from ui import channels
from ui.bots import BotCore
from ui.digest_bots import SlackDigestChannel, TeamsDigestChannel
from ui.slack import build_slack_app
from ui.teams import TeamsBot


class FailingSlack(FakeSlack):
    """The fake Slack Web API, refusing chat.postMessage to some DMs with an error code."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__()
        self.errors = errors

    def answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        error = self.errors.get(str(params.get("channel")))
        if method == "chat.postMessage" and error:
            return {"ok": False, "error": error}
        return super().answer(method, params)


class BrokenConnector:
    """A Bot Framework connector that answers every activity with HTTP 500."""

    def __init__(self) -> None:
        self.hits = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                outer.hits += 1
                body = b'{"error": {"code": "ServiceError", "message": "down"}}'
                self.send_response(500)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        import threading

        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture(scope="module")
def fake() -> Iterator[FailingSlack]:
    f = FailingSlack({"DUREFUSED": "channel_not_found", "DUBUSY": "ratelimited"}).start()
    yield f  # type: ignore[misc]
    f.stop()


@pytest.fixture(scope="module")
def connector() -> Iterator[FakeConnector]:
    c = FakeConnector()
    yield c
    c.server.shutdown()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("digestbots") / "data")
    yield svc
    svc.engine.dispose()


@pytest.fixture(scope="module")
def settings(service: JobfitService, fake: FakeSlack) -> Settings:
    data_dir = Path(str(service.engine.url.database)).parent
    return Settings(data_dir=data_dir, slack_bot_token="xoxb-digest",
                    slack_signing_secret=SECRET, slack_api_url=fake.api,
                    teams_app_id=APP_ID, teams_app_password="secret")


@pytest.fixture(scope="module")
def bots(service: JobfitService, settings: Settings) -> dict[str, Any]:
    core = BotCore(service)
    return {"core": core, "slack": build_slack_app(core, settings),
            "teams": TeamsBot(core, settings, connections=FixedConnections())}  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def center(service: JobfitService, settings: Settings, bots: dict[str, Any]
           ) -> Iterator[DigestCenter]:
    """The service's digest center with the channels the CLI and the scheduler register; the
    bots are the ones ``jobfit ui`` mounts (Teams' outgoing token is the fixed test one)."""
    from ui.scheduler import attach_channels

    saved = dict(channels.BOTS)
    channels.BOTS.clear()
    channels.BOTS.update(bots)
    yield attach_channels(service, settings)
    channels.BOTS.clear()
    channels.BOTS.update(saved)


def teams_reference(connector: Any, user: str) -> dict[str, Any]:
    """The conversation reference the Teams bot stores from a personal-chat message."""
    from microsoft_agents.activity import Activity

    activity = Activity.model_validate({
        "type": "message", "id": "m1", "channelId": "msteams", "serviceUrl": connector.url,
        "text": "hi", "from": {"id": f"29:{user}", "aadObjectId": f"aad-{user}", "name": user},
        "recipient": {"id": f"28:{APP_ID}", "name": "jobfit"},
        "conversation": {"id": f"a:{user}", "conversationType": "personal",
                         "tenantId": TENANT}})
    return activity.get_conversation_reference().model_dump(mode="json", by_alias=True,
                                                            exclude_none=True)


def slack_user(service: JobfitService, user: str, chosen: list[str]) -> str:
    owner = service.channel_user("slack", "T1", user)
    service.save_cv(owner, text=BACKEND_CV)
    service.update_preferences(owner, digest_channels=chosen)
    return owner


def teams_user(service: JobfitService, connector: Any, user: str, chosen: list[str]) -> str:
    owner = service.channel_user("teams", TENANT, f"aad-{user}")
    service.channels.set_conversation("teams", TENANT, f"aad-{user}",
                                      {"reference": teams_reference(connector, user)})
    service.save_cv(owner, text=BACKEND_CV)
    service.update_preferences(owner, digest_channels=chosen)
    return owner


def stored(center: DigestCenter, owner: str, digest_id: int | None) -> Digest:
    rec = center.repo.get(owner, digest_id or 0)
    assert rec is not None and rec.content
    return Digest.model_validate(rec.content)


# --------------------------------------------------------------------------- Slack


def test_slack_digest_reaches_the_dm_exactly_once(center: DigestCenter, fake: FakeSlack,
                                                  service: JobfitService) -> None:
    owner = slack_user(service, "UDIG", ["slack"])
    assert isinstance(center.channels.get("slack"), SlackDigestChannel)
    first = center.run_user(owner, period="week-1")
    assert first.status == "sent" and first.matches > 0
    assert first.channels["slack"]["status"] == "sent"
    assert first.channels["in_app"]["status"] == "skipped"  # not chosen
    again = center.run_user(owner, period="week-1")
    assert again.status == "already"
    posts = [c for c in fake.of("chat.postMessage") if c["params"]["channel"] == "DUDIG"]
    assert len(posts) == 1 and posts[0]["auth"] == "Bearer xoxb-digest"
    blocks = posts[0]["params"]["blocks"]
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    text = json.dumps(blocks, ensure_ascii=False)
    digest = stored(center, owner, first.digest_id)
    assert blocks[0]["text"]["text"] == "Your jobfit digest"
    best = digest.matches[0]
    assert f"*{best.score}*" in text and "_Why:_" in text and "_Biggest gap:_" in text
    # every listed match has its buttons, carrying the job's database id
    button_refs = [b["block_id"][4:] for b in blocks if b["type"] == "actions"]
    assert button_refs == [str(m.ref) for m in digest.matches]
    learn = [s for s in digest.skills if s.kind == "learn"]
    if learn:
        assert "Worth learning" in text and learn[0].skill in text
    assert digest.headline() in posts[0]["params"]["text"] or "matches" in \
        posts[0]["params"]["text"]


def test_unlinked_user_is_skipped_with_a_reason(center: DigestCenter, fake: FakeSlack,
                                                service: JobfitService) -> None:
    service.save_cv("webonly", text=BACKEND_CV)
    service.update_preferences("webonly", digest_channels=["in_app", "slack", "teams"])
    n = len(fake.of("chat.postMessage"))
    result = center.run_user("webonly", period="w-1")
    assert result.status == "sent"  # in-app
    assert result.channels["slack"]["status"] == "skipped"
    assert "no Slack account linked" in result.channels["slack"]["reason"]
    assert result.channels["teams"]["status"] == "skipped"
    assert "no Teams account linked" in result.channels["teams"]["reason"]
    assert len(fake.of("chat.postMessage")) == n


def test_slack_api_error_fails_with_its_code(center: DigestCenter, service: JobfitService
                                             ) -> None:
    owner = slack_user(service, "UREFUSED", ["in_app", "slack"])
    result = center.run_user(owner, period="w-1")
    assert result.status == "sent"  # in-app still got it
    assert result.channels["slack"] == {**result.channels["slack"], "status": "failed",
                                        "reason": "Slack API error: channel_not_found"}
    again = center.run_user(owner, period="w-1")  # a failed channel is not retried later
    assert again.status == "already"
    assert again.channels["slack"]["status"] == "failed"


def test_rate_limited_slack_is_retried_with_backoff(service: JobfitService, fake: FakeSlack,
                                                    bots: dict[str, Any]) -> None:
    owner = slack_user(service, "UBUSY", ["slack"])
    sleeps: list[float] = []
    channel = SlackDigestChannel(service, lambda: bots["slack"], retries=2, backoff_s=0.5,
                                 sleep=sleeps.append)
    result = DigestCenter(service, channels=[channel]).run_user(owner, period="w-1")
    assert result.status == "failed"
    assert result.channels["slack"]["status"] == "failed"
    assert result.channels["slack"]["reason"] == "Slack API error: ratelimited"
    assert result.channels["slack"]["attempts"] == 3 and sleeps == [0.5, 1.0]
    assert len([c for c in fake.of("chat.postMessage")
                if c["params"]["channel"] == "DUBUSY"]) == 3


def test_slack_not_configured_is_skipped(service: JobfitService) -> None:
    owner = slack_user(service, "UNOBOT", ["slack"])
    channel = SlackDigestChannel(service, lambda: None)
    result = DigestCenter(service, channels=[channel]).run_user(owner, period="w-1")
    assert result.channels["slack"]["status"] == "skipped"
    assert "Slack is not configured" in result.channels["slack"]["reason"]


# --------------------------------------------------------------------------- Teams


def test_teams_digest_reaches_the_personal_chat_exactly_once(
        center: DigestCenter, connector: FakeConnector, service: JobfitService) -> None:
    owner = teams_user(service, connector, "TDIG", ["teams"])
    assert isinstance(center.channels.get("teams"), TeamsDigestChannel)
    first = center.run_user(owner, period="week-1")
    assert first.status == "sent" and first.channels["teams"]["status"] == "sent"
    assert center.run_user(owner, period="week-1").status == "already"
    sent = connector.wait("a:TDIG")
    assert len(sent) == 1 and sent[0]["auth"] == "Bearer outbound-test-token"
    attachments = sent[0]["activity"]["attachments"]
    assert attachments[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachments[0]["content"]
    digest = stored(center, owner, first.digest_id)
    assert card["body"][0]["text"] == "Your jobfit digest"
    text = json.dumps(card, ensure_ascii=False)
    assert f"**{digest.matches[0].score}**" in text and "Why: " in text
    refs = [a["data"]["job_ref"] for item in card["body"] if item.get("type") == "Container"
            for el in item["items"] if el.get("type") == "ActionSet"
            for a in el["actions"][:1]]
    assert [str(r) for r in refs] == [str(m.ref) for m in digest.matches]


def test_teams_without_a_personal_chat_is_skipped(center: DigestCenter,
                                                  service: JobfitService) -> None:
    owner = service.channel_user("teams", TENANT, "aad-NOCHAT")
    service.save_cv(owner, text=BACKEND_CV)
    service.update_preferences(owner, digest_channels=["in_app", "teams"])
    result = center.run_user(owner, period="w-1")
    assert result.channels["teams"]["status"] == "skipped"
    assert "no personal chat" in result.channels["teams"]["reason"]


def test_failing_teams_connector_fails_with_reason(service: JobfitService,
                                                   bots: dict[str, Any]) -> None:
    broken = BrokenConnector()
    try:
        owner = teams_user(service, broken, "TBROKE", ["in_app", "teams"])
        sleeps: list[float] = []
        channel = TeamsDigestChannel(service, lambda: bots["teams"], retries=1,
                                     sleep=sleeps.append)
        result = DigestCenter(service, channels=[channel]).run_user(owner, period="w-1")
        assert result.status == "sent"  # in-app
        teams = result.channels["teams"]
        assert teams["status"] == "failed" and "500" in teams["reason"], teams
        assert teams["attempts"] == 2 and sleeps == [1.0] and broken.hits >= 2
        # ui.channels' proactive delivery counts it as not delivered either
        import asyncio

        from ui.bots import Reply

        card = digest_card(stored(DigestCenter(service), owner, result.digest_id))
        assert asyncio.run(bots["teams"].deliver(owner, [Reply(card=card)])) == 0
    finally:
        broken.server.shutdown()


def test_unreachable_teams_connector_fails(service: JobfitService, bots: dict[str, Any]
                                           ) -> None:
    class Nowhere:
        url = f"http://127.0.0.1:{free_port()}/"

    owner = teams_user(service, Nowhere(), "TGONE", ["teams"])
    channel = TeamsDigestChannel(service, lambda: bots["teams"], retries=0)
    result = DigestCenter(service, channels=[channel]).run_user(owner, period="w-1")
    assert result.status == "failed"
    assert result.channels["teams"]["status"] == "failed"
    assert result.channels["teams"]["reason"].startswith(("could not reach Teams",
                                                          "Teams delivery failed"))


def test_bot_digest_command_shows_the_composed_digest(center: DigestCenter,
                                                      service: JobfitService,
                                                      bots: dict[str, Any]) -> None:
    """`/jobfit digest` and App Home show the digest the runs compose, not a stand-in."""
    core: BotCore = bots["core"]
    owner = slack_user(service, "UCMD", ["in_app"])
    preview = core.digest(owner)  # nothing delivered yet: what the next one would hold
    built, _ = center.build(owner)
    assert [m.job.ref for m in preview.matches] == [m.ref for m in built.matches]
    assert preview.matches[0].reason == built.matches[0].reason
    done = center.run_user(owner, period="w-1")
    latest = core.digest(owner)
    digest = stored(center, owner, done.digest_id)
    assert [m.job.ref for m in latest.matches] == [m.ref for m in digest.matches]
    assert center.latest(owner, unseen_only=True) is not None  # the bot did not mark it seen



def test_digest_here_in_slack_chooses_the_channel(center: DigestCenter, fake: FakeSlack,
                                                  service: JobfitService,
                                                  bots: dict[str, Any]) -> None:
    """`digest here` (a DM message or `/jobfit digest here`) sends the digests to that chat;
    `digest stop` ends it."""
    from ui.bots import Identity, is_command

    core: BotCore = bots["core"]
    who = Identity("slack", "T1", "UHERE")
    owner = core.owner(who)
    service.save_cv(owner, text=BACKEND_CV)
    assert "slack" not in service.preferences(owner).digest_channels
    assert is_command("digest here") and is_command("/jobfit digest stop")
    said = core.command(who, "digest here")[0].text
    assert "will come here in Slack" in said and "no schedule yet" in said
    assert service.preferences(owner).digest_channels[-1] == "slack"
    result = center.run_user(owner, period="w-1")
    assert result.channels["slack"]["status"] == "sent"
    assert [c for c in fake.of("chat.postMessage") if c["params"]["channel"] == "DUHERE"]
    assert "no longer" in core.command(who, "/jobfit digest stop")[0].text
    assert "slack" not in service.preferences(owner).digest_channels
    later = center.run_user(owner, period="w-2")
    assert later.channels.get("slack", {}).get("status") in (None, "skipped")
    teams_who = Identity("teams", TENANT, "aad-THERE")
    assert "will come here in Teams" in core.message(teams_who, "Digest here!")[0].text
    assert "teams" in service.preferences(core.owner(teams_who)).digest_channels


def test_set_channels_validates_names(center: DigestCenter, service: JobfitService) -> None:
    from tools.errors import InvalidInputError

    service.ensure_user("chooser")
    assert center.set_channels("chooser", ["App", "Slack", "msteams", "slack"]) == [
        "in_app", "slack", "teams"]
    assert service.preferences("chooser").digest_channels == ["in_app", "slack", "teams"]
    with pytest.raises(InvalidInputError, match="Unknown digest channel 'pigeon'"):
        center.set_channels("chooser", ["pigeon"])
