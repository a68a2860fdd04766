"""The Teams bot end to end with the real Microsoft 365 Agents SDK and no network: activities
posted to ``/api/messages`` (uvicorn on 127.0.0.1) with ``serviceUrl`` pointing at a fake
Bot Framework connector on 127.0.0.1 that records the replies.

Tokens are real RS256 JWTs validated by the SDK; only two things that live at Microsoft are
stood in for: the signing-key lookup (login.botframework.com's JWKS) returns the test key, and
outgoing calls get a fixed token instead of one from Entra."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from agent.service import JobfitService
from agent.settings import Settings
from tests.bot_servers import Served, bot_core
from tests.integration.agent_store import BACKEND_CV, build_store
from ui.bots import BotCore, Reply
from ui.teams import TeamsBot, routes

APP_ID = "11111111-2222-3333-4444-555555555555"
TENANT = "99999999-8888-7777-6666-555555555555"


class FakeConnector:
    """Records activities the bot sends (``/v3/conversations/<id>/activities[/<reply>]``)."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []
        self.files: dict[str, bytes] = {}
        self.uploads: dict[str, tuple[bytes, str]] = {}
        self.lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, payload: Any, status: int = 200) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:  # noqa: N802
                data = fake.files.get(self.path.rsplit("/", 1)[-1])
                if data is None:
                    self._json({}, 404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_PUT(self) -> None:  # noqa: N802  (a file upload URL)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with fake.lock:
                    fake.uploads[self.path] = (raw, self.headers.get("Content-Range", ""))
                self._json({"id": "file"}, 201)

            def do_POST(self) -> None:  # noqa: N802
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with fake.lock:
                    fake.sent.append({"path": self.path, "auth": self.headers.get(
                        "Authorization", ""), "activity": json.loads(raw or b"{}"),
                                      "time": time.perf_counter()})
                self._json({"id": f"reply-{len(fake.sent)}"})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def to(self, conversation: str) -> list[dict[str, Any]]:
        with self.lock:
            return [s for s in self.sent if f"/conversations/{conversation}/" in s["path"]]

    def wait(self, conversation: str, n: int = 1, timeout: float = 20) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.to(conversation)) < n and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.to(conversation)


class _FixedToken:
    """Outgoing-call token provider: a fixed token (Entra's token endpoint is not reachable)."""

    configuration = None

    async def get_access_token(self, resource_url: str, scopes: list[str],
                               force_refresh: bool = False) -> str:
        return "outbound-test-token"


class FixedConnections:
    def get_connection(self, connection_name: str) -> Any:
        return _FixedToken()

    def get_default_connection(self) -> Any:
        return _FixedToken()

    def get_token_provider(self, claims_identity: Any, service_url: str) -> Any:
        return _FixedToken()

    def get_token_provider_from_activity(self, claims_identity: Any, activity: Any) -> Any:
        return _FixedToken()

    def get_default_connection_configuration(self) -> Any:
        return None


KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def token(*, audience: str = APP_ID, service_url: str = "", key: Any = KEY,
          expires_in: int = 600) -> str:
    now = int(time.time())
    claims = {"iss": "https://api.botframework.com", "aud": audience, "iat": now,
              "nbf": now - 5, "exp": now + expires_in, "serviceurl": service_url}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "test-key"})


@pytest.fixture(scope="module", autouse=True)
def signing_key() -> Iterator[None]:
    """The JWKS lookup answers with the test key (instead of login.botframework.com)."""
    from microsoft_agents.hosting.core.authorization.jwt import jwt_token_validator

    public = jwt.PyJWK.from_dict(json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(
        KEY.public_key())) | {"kid": "test-key", "alg": "RS256"})
    manager = jwt_token_validator.JwtTokenValidator._jwk_client_manager
    original = manager.get_signing_key

    async def get_signing_key(jwks_uri: str, header: dict[str, Any]) -> Any:
        return public

    manager.get_signing_key = get_signing_key  # type: ignore[method-assign]
    yield
    manager.get_signing_key = original  # type: ignore[method-assign]


@pytest.fixture(scope="module")
def connector() -> Iterator[FakeConnector]:
    c = FakeConnector()
    yield c
    c.server.shutdown()


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[JobfitService]:
    svc = build_store(tmp_path_factory.mktemp("teams") / "data")
    yield svc
    svc.engine.dispose()


@pytest.fixture(scope="module")
def core(service: JobfitService, tmp_path_factory: pytest.TempPathFactory) -> BotCore:
    return bot_core(service, tmp_path_factory.mktemp("ckpt") / "checkpoints.db")


@pytest.fixture(scope="module")
def teams(core: BotCore) -> Iterator[tuple[str, TeamsBot]]:
    from starlette.applications import Starlette

    settings = Settings(teams_app_id=APP_ID, teams_app_password="secret")
    bot = TeamsBot(core, settings, connections=FixedConnections())  # type: ignore[arg-type]
    served = Served(Starlette(routes=routes(core, settings, bot=bot))).start()
    yield served.url, bot
    served.stop()


def activity(connector: FakeConnector, user: str, text: str = "", *, conversation: str = "",
             kind: str = "personal", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "id": f"m{time.time_ns()}", "channelId": "msteams",
            "serviceUrl": connector.url, "text": text,
            "from": {"id": f"29:{user}", "aadObjectId": f"aad-{user}", "name": user},
            "recipient": {"id": f"28:{APP_ID}", "name": "jobfit"},
            "conversation": {"id": conversation or f"a:{user}", "conversationType": kind,
                             "tenantId": TENANT},
            "channelData": {"tenant": {"id": TENANT}}, **extra}


def send(url: str, connector: FakeConnector, body: dict[str, Any],
         auth: str | None = "valid") -> httpx.Response:
    headers = {}
    if auth == "valid":
        headers["Authorization"] = f"Bearer {token(service_url=connector.url)}"
    elif auth:
        headers["Authorization"] = auth
    return httpx.post(f"{url}/api/messages", json=body, headers=headers, timeout=60)


def adaptive(sent: dict[str, Any]) -> dict[str, Any]:
    atts = sent["activity"].get("attachments") or []
    assert atts and atts[0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    return atts[0]["content"]


def test_unauthenticated_requests_are_refused(teams: tuple[str, TeamsBot],
                                              connector: FakeConnector) -> None:
    url, _ = teams
    body = activity(connector, "UNAUTH", "help")
    assert send(url, connector, body, auth=None).status_code == 401
    assert send(url, connector, body, auth="Bearer not-a-jwt").status_code == 401
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = token(service_url=connector.url, key=other)
    assert send(url, connector, body, auth=f"Bearer {forged}").status_code == 401
    wrong_app = token(service_url=connector.url, audience="someone-else")
    assert send(url, connector, body, auth=f"Bearer {wrong_app}").status_code == 401
    time.sleep(0.3)
    assert connector.to("a:UNAUTH") == []


def test_cv_upload_matches_and_button_round_trip(teams: tuple[str, TeamsBot],
                                                 connector: FakeConnector,
                                                 service: JobfitService) -> None:
    url, _ = teams
    connector.files["cv-ana.txt"] = BACKEND_CV.encode()
    upload = activity(connector, "ANA", attachments=[{
        "contentType": "application/vnd.microsoft.teams.file.download.info", "name": "cv.txt",
        "content": {"downloadUrl": f"{connector.url}files/cv-ana.txt", "fileType": "txt"}}])
    assert send(url, connector, upload).status_code in (200, 202)
    saved = connector.wait("a:ANA")
    assert saved and "Saved your CV" in saved[0]["activity"]["text"]
    assert saved[0]["auth"] == "Bearer outbound-test-token"
    assert send(url, connector, activity(connector, "ANA", "show my best matches")
                ).status_code in (200, 202)
    replies = connector.wait("a:ANA", n=2)
    cards = [adaptive(r) for r in replies[1:] if r["activity"].get("attachments")]
    assert cards, replies
    job_list = cards[0]
    assert job_list["version"] == "1.5" and "best matches" in job_list["body"][0]["text"]
    first = job_list["body"][1]["items"][-1]["actions"]
    assert [a["title"] for a in first] == ["Analyse", "Gaps", "Tailor", "Interested",
                                           "Applied", "Dismiss"]
    analyse = first[0]
    assert analyse["type"] == "Action.Submit" and analyse["data"]["action"] == "analyse"
    # clicking the button: Teams posts the data back as the value of a message
    n = len(connector.to("a:ANA"))
    click = activity(connector, "ANA", value=analyse["data"])
    assert send(url, connector, click).status_code in (200, 202)
    after = connector.wait("a:ANA", n=n + 1)
    score = adaptive(after[n])
    owner = service.channel_user("teams", TENANT, "aad-ANA")
    expected = service.analyse(owner, analyse["data"]["job_ref"]).result.score
    assert score["body"][0]["columns"][0]["items"][0]["text"] == str(expected)
    facts = {f["title"]: f["value"] for b in score["body"] if b["type"] == "FactSet"
             for f in b["facts"]}
    assert set(facts) == {"Skills", "Experience", "Location", "Salary", "Text similarity"}


def test_channel_mention_sends_scores_privately(teams: tuple[str, TeamsBot],
                                                connector: FakeConnector) -> None:
    url, _ = teams
    connector.files["cv-bo.txt"] = BACKEND_CV.encode()
    # a personal chat first (stores the conversation reference), with a CV
    send(url, connector, activity(connector, "BO", attachments=[{
        "contentType": "application/vnd.microsoft.teams.file.download.info", "name": "cv.txt",
        "content": {"downloadUrl": f"{connector.url}files/cv-bo.txt"}}]))
    assert connector.wait("a:BO")
    n_private = len(connector.to("a:BO"))
    mention = activity(connector, "BO", "<at>jobfit</at> show my best matches",
                       conversation="19:general@thread.tacv2;messageid=1", kind="channel",
                       entities=[{"type": "mention", "text": "<at>jobfit</at>",
                                  "mentioned": {"id": f"28:{APP_ID}", "name": "jobfit"}}])
    assert send(url, connector, mention).status_code in (200, 202)
    public = connector.wait("19:general@thread.tacv2;messageid=1")
    assert public and "personal chat" in public[0]["activity"]["text"]
    assert not public[0]["activity"].get("attachments")  # no scores in the channel
    private = connector.wait("a:BO", n=n_private + 1)
    assert len(private) > n_private
    assert any(p["activity"].get("attachments") for p in private[n_private:])


def test_proactive_digest_delivery(teams: tuple[str, TeamsBot], connector: FakeConnector,
                                   core: BotCore, service: JobfitService) -> None:
    url, bot = teams
    connector.files["cv-di.txt"] = BACKEND_CV.encode()
    send(url, connector, activity(connector, "DI", attachments=[{
        "contentType": "application/vnd.microsoft.teams.file.download.info", "name": "cv.txt",
        "content": {"downloadUrl": f"{connector.url}files/cv-di.txt"}}]))
    assert connector.wait("a:DI")
    before = len(connector.to("a:DI"))
    owner = service.channel_user("teams", TENANT, "aad-DI")
    import asyncio

    sent = asyncio.run(bot.deliver(owner, [Reply(card=core.digest(owner))]))
    assert sent == 1
    after = connector.wait("a:DI", n=before + 1)
    card = adaptive(after[before])
    assert card["body"][0]["text"] == "Your jobfit digest"
    assert after[before]["auth"] == "Bearer outbound-test-token"


def test_file_url_elsewhere_is_not_fetched(teams: tuple[str, TeamsBot],
                                           connector: FakeConnector) -> None:
    url, _ = teams
    send(url, connector, activity(connector, "EVE", attachments=[{
        "contentType": "application/vnd.microsoft.teams.file.download.info", "name": "cv.txt",
        "content": {"downloadUrl": "http://169.254.169.254/latest/meta-data"}}]))
    replies = connector.wait("a:EVE")
    assert replies and "wrong" in replies[0]["activity"]["text"].lower()


def test_teams_app_package_is_complete() -> None:
    import zipfile
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "ui" / "teams_app"
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["bots"][0]["scopes"] == ["personal", "team", "groupChat"]
    assert manifest["bots"][0]["supportsFiles"] is True
    for icon in (manifest["icons"]["color"], manifest["icons"]["outline"]):
        data = (folder / icon).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
    from ui.teams import build_app_package

    out = build_app_package(Path(__file__).parent / "_pkg.zip", app_id=APP_ID)
    try:
        with zipfile.ZipFile(out) as z:
            assert sorted(z.namelist()) == ["color.png", "manifest.json", "outline.png"]
            assert json.loads(z.read("manifest.json"))["bots"][0]["botId"] == APP_ID
    finally:
        out.unlink()


def test_forget_me_from_teams_removes_data_and_link(teams: tuple[str, TeamsBot],
                                                    connector: FakeConnector,
                                                    service: JobfitService) -> None:
    url, _ = teams
    connector.files["cv-fo.txt"] = BACKEND_CV.encode()
    send(url, connector, activity(connector, "FO", attachments=[{
        "contentType": "application/vnd.microsoft.teams.file.download.info", "name": "cv.txt",
        "content": {"downloadUrl": f"{connector.url}files/cv-fo.txt"}}]))
    assert connector.wait("a:FO")
    owner = service.channel_user("teams", TENANT, "aad-FO")
    assert service.has_cv(owner)
    send(url, connector, activity(connector, "FO", "delete my data"))
    asked = connector.wait("a:FO", n=2)
    assert "cannot be undone" in asked[-1]["activity"]["text"]
    send(url, connector, activity(connector, "FO", "yes, delete everything"))
    assert not service.has_cv(owner)
    assert service.channels.links(owner) == []
    assert service.channel_user("teams", TENANT, "aad-FO") != owner


def test_tailor_checklist_then_docx_through_file_consent(teams: tuple[str, TeamsBot],
                                                         connector: FakeConnector,
                                                         service: JobfitService) -> None:
    url, _ = teams
    connector.files["cv-ta.txt"] = BACKEND_CV.encode()
    send(url, connector, activity(connector, "TA", attachments=[{
        "contentType": "application/vnd.microsoft.teams.file.download.info", "name": "cv.txt",
        "content": {"downloadUrl": f"{connector.url}files/cv-ta.txt"}}]))
    assert connector.wait("a:TA")
    owner = service.channel_user("teams", TENANT, "aad-TA")
    ref = str(service.best_matches(owner, k=1)[0].ref)
    n = len(connector.to("a:TA"))
    send(url, connector, activity(connector, "TA", value={"action": "tailor", "job_ref": ref}))
    checklist = adaptive(connector.wait("a:TA", n=n + 1)[n])
    toggles = [b for b in checklist["body"] if b["type"] == "Input.Toggle"]
    assert toggles, checklist
    submit = checklist["actions"][0]["data"]
    value = {**submit, **{t["id"]: "true" for t in toggles[:2]}}
    n = len(connector.to("a:TA"))
    send(url, connector, activity(connector, "TA", value=value))
    consent = connector.wait("a:TA", n=n + 1)[n]["activity"]["attachments"][0]
    assert consent["contentType"] == "application/vnd.microsoft.teams.card.file.consent"
    assert consent["name"].endswith(".docx") and consent["content"]["sizeInBytes"] > 0
    # the person clicks "Allow": Teams sends an invoke with where to upload
    invoke = activity(connector, "TA", type="invoke", name="fileConsent/invoke", value={
        "type": "fileUpload", "action": "accept", "context": consent["content"]["acceptContext"],
        "uploadInfo": {"name": consent["name"], "uploadUrl": f"{connector.url}upload/cv.docx",
                       "contentUrl": "https://contoso.sharepoint.com/cv.docx",
                       "uniqueId": "u1", "fileType": "docx"}})
    n = len(connector.to("a:TA"))
    r = send(url, connector, invoke)
    assert r.status_code == 200
    data, content_range = connector.uploads["/upload/cv.docx"]
    assert data[:2] == b"PK" and content_range == f"bytes 0-{len(data) - 1}/{len(data)}"
    info = connector.wait("a:TA", n=n + 1)[n]["activity"]["attachments"][0]
    assert info["contentType"] == "application/vnd.microsoft.teams.card.file.info"
    assert info["contentUrl"] == "https://contoso.sharepoint.com/cv.docx"
    # the same consent cannot be used twice
    again = send(url, connector, invoke)
    assert again.status_code == 200
    assert "expired" in connector.wait("a:TA", n=n + 2)[-1]["activity"]["text"]


def test_bare_fit_command_in_teams(teams: tuple[str, TeamsBot], connector: FakeConnector,
                                   service: JobfitService) -> None:
    url, _ = teams
    owner = service.channel_user("teams", TENANT, "aad-CMD")
    service.save_cv(owner, text=BACKEND_CV)
    ref = service.best_matches(owner, k=1)[0].ref
    send(url, connector, activity(connector, "CMD", f"fit {ref}"))
    card = adaptive(connector.wait("a:CMD")[0])
    expected = service.analyse(owner, str(ref)).result.score
    assert card["body"][0]["columns"][0]["items"][0]["text"] == str(expected)
