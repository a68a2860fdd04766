"""The Slack bot end to end, no network: signed HTTP requests to the running Bolt app (uvicorn on
127.0.0.1), a real store with the offline model, and a fake Slack Web API that records what the
bot posts (slack_sdk's real WebClient with ``base_url`` pointing at it)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from agent.service import JobfitService
from agent.settings import Settings
from tests.bot_servers import (
    SECRET,
    Served,
    bot_core,
    dm,
    post_action,
    post_event,
    post_form,
)
from tests.integration.agent_store import BACKEND_CV, NURSE_CV, build_store
from tests.slack_fake import FakeSlack
from ui.bots import BotCore
from ui.slack import build_slack_app, deliver, routes


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeSlack]:
    f = FakeSlack().start()
    yield f
    f.stop()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("slack") / "data")
    yield svc
    svc.engine.dispose()


@pytest.fixture(scope="module")
def core(service: JobfitService, tmp_path_factory: pytest.TempPathFactory) -> BotCore:
    return bot_core(service, tmp_path_factory.mktemp("ckpt") / "checkpoints.db")


@pytest.fixture(scope="module")
def slack(core: BotCore, fake: FakeSlack) -> Iterator[tuple[str, Any]]:
    from starlette.applications import Starlette

    settings = Settings(slack_bot_token="xoxb-test", slack_signing_secret=SECRET,
                        slack_api_url=fake.api)
    app = build_slack_app(core, settings)
    served = Served(Starlette(routes=routes(app))).start()
    yield served.url, app
    served.stop()


@pytest.fixture(autouse=True)
def _clear(fake: FakeSlack) -> None:
    fake.clear()


def _ids() -> Iterator[str]:
    n = 0
    while True:
        n += 1
        yield f"Ev{time.time_ns()}{n}"


IDS = _ids()


def blocks_text(blocks: list[dict[str, Any]] | str) -> str:
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    return json.dumps(blocks, ensure_ascii=False)


def upload_cv(url: str, fake: FakeSlack, user: str, name: str, data: bytes) -> None:
    fake.files[f"{user}-{name}"] = data
    event = dm(user, "", subtype="file_share", files=[{
        "id": "F1", "name": name, "size": len(data),
        "url_private_download": f"{fake.url}/files/{user}-{name}"}])
    assert post_event(url, event, event_id=next(IDS)).status_code == 200


def has_cv(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return fake.wait("chat.postMessage", where=lambda p: p.get("channel") == f"D{user}"
                     and "Saved your CV" in p.get("text", ""))


# --------------------------------------------------------------------------- security


def test_bad_signature_is_401_and_nothing_is_processed(slack: tuple[str, Any],
                                                      fake: FakeSlack) -> None:
    url, _ = slack
    r = post_event(url, dm("UBAD", "show my best matches"), event_id=next(IDS),
                   secret="wrong-secret")
    assert r.status_code == 401
    time.sleep(0.5)
    assert fake.calls == []


def test_replayed_request_older_than_5_minutes_is_rejected(slack: tuple[str, Any],
                                                          fake: FakeSlack) -> None:
    url, _ = slack
    old = int(time.time()) - 6 * 60
    r = post_event(url, dm("UOLD", "help"), event_id=next(IDS), timestamp=old)
    assert r.status_code == 401
    time.sleep(0.5)
    assert fake.calls == []


def test_url_verification_challenge(slack: tuple[str, Any]) -> None:
    url, _ = slack
    body = json.dumps({"type": "url_verification", "challenge": "abc123", "token": "x"})
    from tests.bot_servers import signed_headers

    r = httpx.post(f"{url}/slack/events", content=body, headers=signed_headers(body))
    assert r.status_code == 200 and "abc123" in r.text


def test_retries_are_answered_once(slack: tuple[str, Any], fake: FakeSlack) -> None:
    url, _ = slack
    event_id = next(IDS)
    event = dm("URETRY", "help")
    assert post_event(url, event, event_id=event_id).status_code == 200
    for n in (1, 2):
        assert post_event(url, event, event_id=event_id, retry=n).status_code == 200
    posted = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DURETRY")
    time.sleep(1.0)
    posted = [c for c in fake.of("chat.postMessage") if c["params"].get("channel") == "DURETRY"]
    assert len(posted) == 1


# --------------------------------------------------------------------------- DMs and files


def test_cv_upload_then_fit_and_matches_in_dm(slack: tuple[str, Any], fake: FakeSlack) -> None:
    url, _ = slack
    upload_cv(url, fake, "UANA", "cv.txt", BACKEND_CV.encode())
    saved = has_cv(fake, "UANA")
    assert saved, fake.calls
    assert fake.file_gets[-1]["auth"] == "Bearer xoxb-test"  # downloaded with the bot token
    assert post_event(url, dm("UANA", "show my best matches"), event_id=next(IDS)
                      ).status_code == 200
    posted = fake.wait("chat.postMessage", where=lambda p: "blocks" in p
                       and "jf_analyse" in blocks_text(p["blocks"]))
    assert posted, fake.calls
    blocks = posted[0]["params"]["blocks"]
    assert blocks[0]["type"] == "header" and "best matches" in blocks[0]["text"]["text"]
    actions = [b for b in blocks if b["type"] == "actions"]
    assert {e["action_id"] for e in actions[0]["elements"]} == {
        "jf_analyse", "jf_gaps", "jf_tailor", "jf_interested", "jf_applied", "jf_dismiss"}


def test_scanned_pdf_upload_gets_a_clear_error(slack: tuple[str, Any], fake: FakeSlack) -> None:
    from tests.unit.test_text import make_image_pdf

    url, _ = slack
    upload_cv(url, fake, "USCAN", "scan.pdf", make_image_pdf())
    posted = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUSCAN")
    assert posted
    assert "scanned" in posted[0]["params"]["text"]


def test_file_url_outside_slack_is_not_fetched(slack: tuple[str, Any], fake: FakeSlack) -> None:
    url, _ = slack
    event = dm("UEVIL", "", subtype="file_share", files=[{
        "id": "F1", "name": "cv.txt", "size": 10,
        "url_private_download": "http://169.254.169.254/latest/meta-data"}])
    post_event(url, event, event_id=next(IDS))
    posted = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUEVIL")
    assert posted and "wrong" in posted[0]["params"]["text"].lower()


def test_slash_command_fit_posts_score_card_ephemeral(slack: tuple[str, Any], fake: FakeSlack,
                                                      service: JobfitService) -> None:
    url, _ = slack
    upload_cv(url, fake, "UCMD", "cv.txt", BACKEND_CV.encode())
    assert has_cv(fake, "UCMD")
    owner = service.channel_user("slack", "T1", "UCMD")
    job = service.best_matches(owner, k=1)[0]
    started = time.perf_counter()
    r = post_form(url, {"command": "/jobfit", "text": f"fit {job.ref}", "team_id": "T1",
                        "user_id": "UCMD", "channel_id": "C1",
                        "response_url": f"{fake.url}/response/cmd1", "trigger_id": "t"})
    assert r.status_code == 200
    assert time.perf_counter() - started < 3.0
    posted = fake.wait("response_url", where=lambda p: p.get("_url") == "/response/cmd1")
    assert posted
    params = posted[0]["params"]
    assert params["response_type"] == "ephemeral"
    analysis = service.analyse(owner, str(job.ref))
    head = params["blocks"][0]["text"]["text"]
    assert f"*{analysis.result.score}/100*" in head
    bars = params["blocks"][1]["text"]["text"]
    for label in ("Skills", "Experience", "Location", "Salary", "Text similarity"):
        assert label in bars
    if any(f.score is None for f in analysis.result.factors.values()):
        assert "unknown (left out" in bars


def test_slash_help_and_unknown(slack: tuple[str, Any], fake: FakeSlack) -> None:
    url, _ = slack
    post_form(url, {"command": "/jobfit", "text": "frobnicate", "team_id": "T1",
                    "user_id": "UH", "channel_id": "C1",
                    "response_url": f"{fake.url}/response/h1"})
    posted = fake.wait("response_url", where=lambda p: p.get("_url") == "/response/h1")
    assert posted and "/jobfit help" in posted[0]["params"]["text"]


def test_mention_in_channel_answers_only_the_person(slack: tuple[str, Any],
                                                    fake: FakeSlack) -> None:
    url, _ = slack
    upload_cv(url, fake, "UMEN", "cv.txt", BACKEND_CV.encode())
    assert has_cv(fake, "UMEN")
    fake.clear()
    event = {"type": "app_mention", "channel": "CPUBLIC", "user": "UMEN",
             "text": "<@UBOT> show my best matches", "ts": "1700000000.000100"}
    assert post_event(url, event, event_id=next(IDS)).status_code == 200
    eph = fake.wait("chat.postEphemeral")
    assert eph, fake.calls
    assert eph[0]["params"]["user"] == "UMEN" and eph[0]["params"]["channel"] == "CPUBLIC"
    assert eph[0]["params"]["thread_ts"] == "1700000000.000100"
    time.sleep(0.3)
    public = [c for c in fake.of("chat.postMessage") if c["params"].get("channel") == "CPUBLIC"]
    assert public == []  # no score in the channel


def test_two_users_at_once_see_their_own_data(slack: tuple[str, Any], fake: FakeSlack,
                                              service: JobfitService) -> None:
    url, _ = slack
    upload_cv(url, fake, "UONE", "cv.txt", BACKEND_CV.encode())
    upload_cv(url, fake, "UTWO", "cv.txt", NURSE_CV.encode())
    assert has_cv(fake, "UONE") and has_cv(fake, "UTWO")
    fake.clear()
    threads = [threading.Thread(target=post_event, args=(url, dm(u, "show my best matches")),
                                kwargs={"event_id": next(IDS)}) for u in ("UONE", "UTWO")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    one = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUONE"
                    and "blocks" in p and "header" in blocks_text(p["blocks"]))
    two = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUTWO"
                    and "blocks" in p and "header" in blocks_text(p["blocks"]))
    assert one and two
    a, b = blocks_text(one[0]["params"]["blocks"]), blocks_text(two[0]["params"]["blocks"])
    uid_one = service.channel_user("slack", "T1", "UONE")
    uid_two = service.channel_user("slack", "T1", "UTWO")
    assert uid_one != uid_two
    # each sees the matches of their own CV (the backend engineer's differ from the nurse's)
    best_one = service.best_matches(uid_one, k=1)[0]
    best_two = service.best_matches(uid_two, k=1)
    assert f"`#{best_one.ref}`" in a
    assert a != b and (not best_two or f"`#{best_two[0].ref}`" in b)


# --------------------------------------------------------------------------- buttons


def _click(url: str, fake: FakeSlack, user: str, action: str, ref: int | str,
           extra: dict[str, Any] | None = None) -> str:
    rid = f"/response/{user}-{action}-{time.time_ns()}"
    payload = {"type": "block_actions", "team": {"id": "T1"},
               "user": {"id": user, "team_id": "T1"}, "api_app_id": "A1",
               "channel": {"id": f"D{user}"}, "container": {"type": "message"},
               "response_url": f"{fake.url}{rid}", "trigger_id": "t",
               "actions": [{"type": "button", "action_id": f"jf_{action}",
                            "block_id": f"job_{ref}", "value": str(ref)}], **(extra or {})}
    r = post_action(url, payload)
    assert r.status_code == 200
    return rid


def test_button_round_trips(slack: tuple[str, Any], fake: FakeSlack,
                            service: JobfitService) -> None:
    url, _ = slack
    upload_cv(url, fake, "UBTN", "cv.txt", BACKEND_CV.encode())
    assert has_cv(fake, "UBTN")
    owner = service.channel_user("slack", "T1", "UBTN")
    ref = service.best_matches(owner, k=1)[0].ref
    # Analyse -> a score card
    rid = _click(url, fake, "UBTN", "analyse", ref)
    card = fake.wait("response_url", where=lambda p: p.get("_url") == rid)
    assert card and "/100*" in card[0]["params"]["blocks"][0]["text"]["text"]
    # Gaps -> the gap list with points
    rid = _click(url, fake, "UBTN", "gaps", ref)
    gaps = fake.wait("response_url", where=lambda p: p.get("_url") == rid)
    assert gaps and "*Gaps*" in gaps[0]["params"]["blocks"][0]["text"]["text"]
    # Tailor -> checklist with checkboxes; Tailor my CV -> a DOCX uploaded to the DM
    rid = _click(url, fake, "UBTN", "tailor", ref)
    checklist = fake.wait("response_url", where=lambda p: p.get("_url") == rid)
    assert checklist
    boxes = [e for b in checklist[0]["params"]["blocks"] if b["type"] == "actions"
             for e in b["elements"] if e["type"] == "checkboxes"]
    if boxes and boxes[0]["options"]:
        chosen = boxes[0]["options"][:2]
        state = {"values": {"tailor_options": {"jf_tailor_options": {
            "type": "checkboxes", "selected_options": chosen}}}}
        _click(url, fake, "UBTN", "tailor_apply", ref, {"state": state})
        done = fake.wait("files.completeUploadExternal")
        assert done, fake.calls
        assert done[0]["params"]["channel_id"] == "DUBTN"
        upload = next(iter(fake.uploads.values()))
        assert upload[:2] == b"PK"  # a DOCX (zip)
    # Dismiss -> recorded, never suggested again
    rid = _click(url, fake, "UBTN", "dismiss", ref)
    assert fake.wait("response_url", where=lambda p: p.get("_url") == rid)
    assert ref not in [c.ref for c in service.best_matches(owner, k=10)]


def test_button_for_someone_else_acts_for_the_clicker(slack: tuple[str, Any], fake: FakeSlack,
                                                      service: JobfitService) -> None:
    """Payloads carry only a job id: the user is who clicked (no CV -> asked for one)."""
    url, _ = slack
    rid = _click(url, fake, "UNOCV", "analyse", 1)
    answer = fake.wait("response_url", where=lambda p: p.get("_url") == rid)
    assert answer and "CV" in answer[0]["params"]["text"]


# --------------------------------------------------------------------------- home, link, forget


def test_app_home_publishes_profile_and_digest(slack: tuple[str, Any], fake: FakeSlack) -> None:
    url, _ = slack
    upload_cv(url, fake, "UHOME", "cv.txt", BACKEND_CV.encode())
    assert has_cv(fake, "UHOME")
    post_event(url, {"type": "app_home_opened", "user": "UHOME", "tab": "home",
                     "channel": "DUHOME"}, event_id=next(IDS))
    views = fake.wait("views.publish")
    assert views
    view = views[0]["params"]["view"]
    view = json.loads(view) if isinstance(view, str) else view
    text = blocks_text(view["blocks"])
    assert view["type"] == "home" and "Your CV" in text and "Your jobfit digest" in text


def test_link_code_then_forget_removes_the_link(slack: tuple[str, Any], fake: FakeSlack,
                                                service: JobfitService) -> None:
    url, _ = slack
    service.ensure_user("webana")
    service.save_cv("webana", text=BACKEND_CV)
    code = service.issue_link_code("webana")
    post_event(url, dm("ULINK", f"link {code}"), event_id=next(IDS))
    linked = fake.wait("chat.postMessage", where=lambda p: "Linked" in p.get("text", ""))
    assert linked
    assert service.channel_user("slack", "T1", "ULINK") == "webana"
    # the code works once
    post_event(url, dm("UOTHER", f"link {code}"), event_id=next(IDS))
    refused = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUOTHER")
    assert refused and "not valid" in refused[0]["params"]["text"]
    # forget me from Slack (with confirmation) deletes the data and the link
    post_event(url, dm("ULINK", "delete my data"), event_id=next(IDS))
    assert fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DULINK"
                     and "cannot be undone" in p.get("text", ""))
    post_event(url, dm("ULINK", "yes, delete everything"), event_id=next(IDS))
    deadline = time.monotonic() + 20
    while service.channels.links("webana") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert service.channels.links("webana") == []
    assert not service.has_cv("webana")
    assert service.channel_user("slack", "T1", "ULINK") != "webana"


def test_digest_delivered_to_dm(slack: tuple[str, Any], core: BotCore, fake: FakeSlack,
                                service: JobfitService) -> None:
    url, app = slack
    upload_cv(url, fake, "UDIG", "cv.txt", BACKEND_CV.encode())
    assert has_cv(fake, "UDIG")
    owner = service.channel_user("slack", "T1", "UDIG")
    from ui.bots import Reply

    fake.clear()
    assert deliver(app, core, owner, [Reply(card=core.digest(owner))]) == 1
    posted = [c for c in fake.of("chat.postMessage") if c["params"]["channel"] == "DUDIG"]
    assert len(posted) == 1
    assert posted[0]["params"]["blocks"][0]["text"]["text"] == "Your jobfit digest"


# --------------------------------------------------------------------------- OAuth


def test_oauth_install_against_fake_oauth_v2_access(core: BotCore, fake: FakeSlack,
                                                    service: JobfitService) -> None:
    from starlette.applications import Starlette

    settings = Settings(slack_signing_secret=SECRET, slack_client_id="111.222",
                        slack_client_secret="shh", slack_api_url=fake.api)
    app = build_slack_app(core, settings, engine=service.engine)
    served = Served(Starlette(routes=routes(app))).start()
    try:
        with httpx.Client(base_url=served.url, follow_redirects=False) as http:
            r = http.get("/slack/install")
            assert r.status_code in (200, 302)
            import html

            location = html.unescape(r.headers.get("location") or r.text)
            import re
            from urllib.parse import parse_qs, urlsplit

            link = re.search(r"https://slack\.com/oauth/v2/authorize\?[^\"' ]+", location)
            assert link, location
            query = parse_qs(urlsplit(link.group(0)).query)
            assert query["client_id"] == ["111.222"] and "chat:write" in query["scope"][0]
            state = query["state"][0]
            # the state cookie is Secure (https only): send it as the browser would
            cookie = r.headers["set-cookie"].split(";")[0]
            bad = http.get("/slack/oauth_redirect", params={"code": "good-code",
                                                            "state": "forged"})
            assert bad.status_code >= 400
            ok = http.get("/slack/oauth_redirect", params={"code": "good-code", "state": state},
                          headers={"Cookie": cookie})
            assert ok.status_code == 200, ok.text
        store = app.installation_store
        assert store is not None
        bot = store.find_bot(enterprise_id=None, team_id="T2")
        assert bot is not None and bot.bot_token == "xoxb-installed"
        # an event from the installed workspace is answered with that workspace's token
        fake.clear()
        post_event(served.url, dm("UT2", "help"), event_id=next(IDS), team="T2")
        posted = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUT2")
        assert posted and posted[0]["auth"] == "Bearer xoxb-installed"
    finally:
        served.stop()


def test_ack_is_fast_even_when_the_work_is_slow(slack: tuple[str, Any], fake: FakeSlack,
                                                core: BotCore,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    url, _ = slack
    slow = core.command

    def sleepy(who: Any, text: str) -> Any:
        time.sleep(4)
        return slow(who, text)

    monkeypatch.setattr(core, "command", sleepy)
    started = time.perf_counter()
    r = post_form(url, {"command": "/jobfit", "text": "help", "team_id": "T1",
                        "user_id": "USLOW", "channel_id": "C1",
                        "response_url": f"{fake.url}/response/slow"})
    assert r.status_code == 200
    assert time.perf_counter() - started < 3.0
    assert fake.wait("response_url", where=lambda p: p.get("_url") == "/response/slow",
                     timeout=15)


def test_manifest_lists_what_the_app_uses() -> None:
    import yaml

    from ui.slack import SCOPES

    manifest = yaml.safe_load((Path(__file__).resolve().parents[2] / "ui"
                               / "slack_manifest.yaml").read_text())
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == set(SCOPES)
    assert manifest["features"]["slash_commands"][0]["command"] == "/jobfit"
    assert manifest["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) >= {
        "message.im", "app_mention", "app_home_opened"}


def test_digest_delivery_from_another_process(slack: tuple[str, Any], fake: FakeSlack,
                                              service: JobfitService,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """``ui.channels.deliver_card`` in a process without the web server (a scheduled run):
    the bots are built from the settings and the card reaches the person's DM."""
    from agent import bootstrap
    from tools import cards
    from ui import channels

    url, _ = slack
    upload_cv(url, fake, "USCHED", "cv.txt", BACKEND_CV.encode())
    assert has_cv(fake, "USCHED")
    owner = service.channel_user("slack", "T1", "USCHED")
    data_dir = Path(str(service.engine.url.database)).parent
    settings = Settings(data_dir=data_dir, slack_bot_token="xoxb-sched",
                        slack_signing_secret=SECRET, slack_api_url=fake.api)
    monkeypatch.setattr(bootstrap, "get_settings", lambda: settings)
    monkeypatch.setattr(channels, "BOTS", {})
    card = cards.digest(title="Monday digest", matches=[{"ref": 1, "title": "Job", "score": 70}])
    assert channels.deliver_card(owner, card) == {"slack": 1}
    posted = [c for c in fake.of("chat.postMessage") if c["params"]["channel"] == "DUSCHED"
              and c["auth"] == "Bearer xoxb-sched"]
    assert posted and posted[-1]["params"]["blocks"][0]["text"]["text"] == "Monday digest"


def test_commands_and_buttons_set_the_conversation_context(slack: tuple[str, Any],
                                                           fake: FakeSlack,
                                                           service: JobfitService) -> None:
    """After `/jobfit matches`, "how well do I fit the second one?" means that list's second
    job; after the Gaps button, "what am I missing?" is about the clicked job."""
    url, _ = slack
    upload_cv(url, fake, "UCTX", "cv.txt", BACKEND_CV.encode())
    assert has_cv(fake, "UCTX")
    owner = service.channel_user("slack", "T1", "UCTX")
    post_form(url, {"command": "/jobfit", "text": "matches", "team_id": "T1",
                    "user_id": "UCTX", "channel_id": "DUCTX",
                    "response_url": f"{fake.url}/response/ctx1"})
    listed = fake.wait("response_url", where=lambda p: p.get("_url") == "/response/ctx1")
    refs = [b["block_id"][4:] for b in listed[0]["params"]["blocks"]
            if b["type"] == "actions"]
    assert len(refs) >= 2
    post_event(url, dm("UCTX", "how well do I fit the second one?"), event_id=next(IDS))
    card = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUCTX"
                     and "/100*" in str(p.get("blocks")))
    assert card and f"`#{refs[1]}`" in card[0]["params"]["blocks"][0]["text"]["text"]
    expected = service.analyse(owner, refs[1]).result.score
    assert f"*{expected}/100*" in card[0]["params"]["blocks"][0]["text"]["text"]


def test_forget_answer_names_the_chat_link(slack: tuple[str, Any], fake: FakeSlack) -> None:
    url, _ = slack
    upload_cv(url, fake, "UBYE", "cv.txt", BACKEND_CV.encode())
    assert has_cv(fake, "UBYE")
    post_event(url, dm("UBYE", "delete my data"), event_id=next(IDS))
    assert fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUBYE"
                     and "cannot be undone" in p.get("text", ""))
    post_event(url, dm("UBYE", "yes, delete everything"), event_id=next(IDS))
    done = fake.wait("chat.postMessage", where=lambda p: p.get("channel") == "DUBYE"
                     and "deleted all your data" in p.get("text", ""))
    assert done and "1 Slack/Teams link" in done[0]["params"]["text"]
