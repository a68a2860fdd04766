"""Digests as a user meets them: `jobfit ui` (open mode, scheduler inside) with SMTP pointed at a
real aiosmtpd server, the CLI to set up and run a digest, the e-mail received and parsed, the
unseen digest shown when the web chat opens (headless Chromium), the unsubscribe link served
by the web app, and no e-mail after unsubscribing."""

from __future__ import annotations

import email
import json
import os
import re
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.e2e.test_web import (
    ALICE_CV,
    ROOT,
    WebApp,
    browser,  # noqa: F401 - the fixture
    free_port,
    jobfit_bin,
    new_page,
    require_chromium,
    stop_app,
)


class Sink:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


@pytest.fixture(scope="module")
def smtp() -> Iterator[tuple[Sink, int]]:
    sink, port = Sink(), free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory,
        smtp: tuple[Sink, int]) -> Iterator[tuple[WebApp, dict[str, str]]]:
    require_chromium()
    data_dir = tmp_path_factory.mktemp("digest-web")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "JOBFIT_DATA_DIR": str(data_dir), "JOBFIT_AUTH": "open",
           "JOBFIT_LLM": "offline", "JOBFIT_SMTP_HOST": "127.0.0.1",
           "JOBFIT_SMTP_PORT": str(smtp[1]), "JOBFIT_SMTP_SECURITY": "none",
           "JOBFIT_SMTP_FROM": "jobfit <digest@jobfit.test>", "JOBFIT_PUBLIC_URL": base}
    for name in ("DATABASE_URL", "JOBFIT_DATABASE_URL", "CHROMA_HOST"):
        env.pop(name, None)
    log = data_dir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([jobfit_bin(), "ui", "--port", str(port)], env=env, cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    web = WebApp(base, data_dir, proc, log)
    try:
        import time

        deadline = time.monotonic() + 240
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text(errors="replace")[-3000:])
            try:
                with urllib.request.urlopen(base + "/auth/config", timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        yield web, env
    finally:
        stop_app(web)


def cli(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    out = subprocess.run([jobfit_bin(), *args], env=env, cwd=ROOT, input=stdin,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out.stdout


def test_email_then_unseen_digest_in_the_web_chat_then_unsubscribe(
        app: tuple[WebApp, dict[str, str]], smtp: tuple[Sink, int], browser: Any,  # noqa: F811
        tmp_path: Path) -> None:
    web, env = app
    sink, _ = smtp
    cli(env, "chat", "--user", "local", stdin=f"/cv {ALICE_CV}\n")
    said = cli(env, "digest", "set", "--user", "local", "--email", "ana@example.com",
               "--schedule", "weekly mon 08:00", "--timezone", "Europe/Berlin")
    assert re.search(r"digest: every Monday at 08:00 \(Europe/Berlin\); next: Mon \d+ \w+ "
                     r"\d{4}, 08:00 CES?T", said), said
    preview = json.loads(cli(env, "digest", "preview", "--user", "local", "--format", "json"))
    assert preview["matches"] and {"job_id", "title", "company", "score", "grade"} <= set(
        preview["matches"][0])
    run = json.loads(cli(env, "digest", "run", "--user", "local", "--period", "e2e-1",
                         "--json"))
    result = run["results"][0]
    assert result["status"] == "sent", result
    assert result["channels"]["email"]["status"] == "sent"
    assert result["channels"]["in_app"]["status"] == "sent"

    # the e-mail: both parts, links back, one-click unsubscribe
    assert len(sink.messages) == 1 and sink.messages[0][0] == ["ana@example.com"]
    msg = email.message_from_bytes(sink.messages[0][1], policy=default)
    assert isinstance(msg, EmailMessage)
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    first = preview["matches"][0]
    assert first["job_id"] in text and f"{first['score']}/100" in text
    assert f'href="{web.base}/?job={first["job_id"]}"' in html
    unsubscribe = msg["List-Unsubscribe"].strip("<>")
    assert unsubscribe.startswith(f"{web.base}/digest/unsubscribe?u=local&t=")
    assert unsubscribe.replace("&", "&amp;") in html and unsubscribe in text

    # the web chat shows the unseen digest on opening, once
    page = new_page(browser)
    try:
        page.goto(web.base)  # no message typed: the digest card comes by itself
        card = page.wait_for_selector("[data-testid=digest-card]")
        assert card is not None and "Your digest · e2e-1" in card.inner_text()
        rows = page.locator("[data-testid=digest-match]")
        assert rows.count() == result["matches"] and first["title"] in rows.first.inner_text()
        page.screenshot(path=str(tmp_path / "digest-card.png"))
    finally:
        page.context.close()
    listed = json.loads(cli(env, "digest", "list", "--user", "local", "--json"))["digests"]
    assert listed[0]["period"] == "e2e-1" and listed[0]["viewed_at"] is not None

    # unsubscribe: a forged link is refused, the real one works, the next digest is not mailed
    forged = unsubscribe[:-4] + "0000"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(forged, timeout=30)
    assert refused.value.code == 400
    with urllib.request.urlopen(unsubscribe, timeout=30) as resp:
        assert resp.status == 200 and "unsubscribed" in resp.read().decode()
    run2 = json.loads(cli(env, "digest", "run", "--user", "local", "--period", "e2e-2",
                          "--json"))["results"][0]
    assert run2["channels"]["email"]["status"] == "skipped"
    assert run2["channels"]["in_app"]["status"] == "sent"
    assert len(sink.messages) == 1
