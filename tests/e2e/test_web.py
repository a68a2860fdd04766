"""The web chat in a real headless Chromium (Debian's /usr/bin/chromium through Playwright).

The app runs as ``jobfit ui --port P`` (a subprocess) on a free port with a temporary data
directory, ``JOBFIT_AUTH=password`` and the offline model; accounts are made with
``jobfit users add``. Screenshots go to each test's tmp directory.

Without /usr/bin/chromium these tests skip with a message, except under CI (``CI`` set), where
they fail: ``.ci/run`` installs Chromium with apt. Never ``playwright install``.
"""

from __future__ import annotations

import io
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
USERS = {"alice": "alice-password-1", "bob": "bob-password-22"}
CVS = ROOT / "store" / "samples" / "cvs"
ALICE_CV = CVS / "backend_engineer_senior.txt"  # Felix Quillfeather
BOB_CV = CVS / "registered_nurse.txt"  # Greta Castellane
TIMEOUT_MS = 60_000
CHAT_DB = "jobfit-chat.db"  # the web chat history beside jobfit.db (ui/chat_history.py)


def require_chromium() -> None:
    """Skip (outside CI) or fail (under CI) when the browser is missing."""
    if CHROMIUM.exists():
        return
    message = ("browser tests need Debian's Chromium at /usr/bin/chromium "
               "(apt-get install -y chromium); never `playwright install`")
    if os.environ.get("CI", "").lower() not in ("", "0", "false"):
        pytest.fail(f"{message} — under CI it must be there (.ci/run installs it)",
                    pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class WebApp:
    base: str
    data_dir: Path
    process: subprocess.Popen[bytes]
    log: Path


def jobfit_bin() -> str:
    return str(Path(sys.executable).parent / "jobfit")


def start_app(data_dir: Path, *, auth: str = "password",
              users: dict[str, str] | None = None) -> WebApp:
    """Accounts, then ``jobfit ui`` on a free port; returns when the server answers."""
    data_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "JOBFIT_DATA_DIR": str(data_dir), "JOBFIT_AUTH": auth,
           "JOBFIT_LLM": "offline"}
    env.pop("DATABASE_URL", None)
    env.pop("JOBFIT_DATABASE_URL", None)
    for name, password in (users or {}).items():
        subprocess.run([jobfit_bin(), "users", "add", name, "--password", password], env=env,
                       check=True, capture_output=True, cwd=ROOT)
    port = free_port()
    log = data_dir / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([jobfit_bin(), "ui", "--port", str(port)], env=env, cwd=ROOT,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jobfit ui exited: {log.read_text(errors='replace')[-3000:]}")
        try:
            with urllib.request.urlopen(base + "/auth/config", timeout=2) as resp:
                if resp.status == 200:
                    return WebApp(base, data_dir, proc, log)
        except OSError:
            time.sleep(0.5)
    stop_app(WebApp(base, data_dir, proc, log))
    raise RuntimeError("jobfit ui did not start in 180 s")


def stop_app(app: WebApp) -> None:
    app.process.terminate()
    try:
        app.process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        app.process.kill()
        app.process.wait(timeout=5)


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    require_chromium()
    app = start_app(tmp_path_factory.mktemp("web-data"), users=USERS)
    try:
        yield app
    finally:
        stop_app(app)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


# --------------------------------------------------------------------------- page helpers


def new_page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 1000},
                                  accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return page


def login(page: Any, base: str, name: str, password: str) -> None:
    page.goto(base)
    page.fill("#email", name)
    page.fill("#password", password)
    page.get_by_role("button", name="Sign In").click()
    wait_connected(page)


def wait_connected(page: Any) -> None:
    """Wait until the chat's socket is up (the send button enables only then).

    In open mode Chainlit's page can load twice: its header login navigates to the chat while
    its user state still lags, and the shell then reloads through /login (seen in a CI run and
    reproduced with a request log). Text typed into the first load is gone with it, so type
    again until the button enables, as a user would."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while True:
        page.wait_for_selector("#chat-input")
        page.fill("#chat-input", "…")
        try:
            page.wait_for_selector("#chat-submit:not([disabled])", timeout=5_000)
            break
        except Exception:  # playwright's TimeoutError, or the page reloading under us
            if time.monotonic() > deadline:
                raise
    page.fill("#chat-input", "")


def send(page: Any, text: str) -> None:
    """Type a message and send it once the socket is connected."""
    page.fill("#chat-input", text)
    page.wait_for_selector("#chat-submit:not([disabled])")
    page.click("#chat-submit")


def upload(page: Any, path: Path) -> None:
    """Attach a file with the paperclip button's input and send it."""
    page.set_input_files("#upload-button-input", str(path))
    page.wait_for_selector("#chat-submit:not([disabled])")
    page.click("#chat-submit")


def drop_file(page: Any, path: Path, mime: str = "text/plain") -> None:
    """Drag and drop a file onto the chat (a real DataTransfer through drop events)."""
    data = path.read_bytes().decode("utf-8")
    page.evaluate(
        """([name, text, mime]) => {
            const dt = new DataTransfer();
            dt.items.add(new File([text], name, { type: mime }));
            const target = document.querySelector('#message-composer') || document.body;
            for (const type of ['dragenter', 'dragover', 'drop']) {
                target.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true,
                                                          dataTransfer: dt }));
            }
        }""",
        [path.name, data, mime])
    page.wait_for_selector("#chat-submit:not([disabled])")
    page.click("#chat-submit")


def last_text(page: Any, selector: str) -> str:
    return str(page.locator(selector).last.inner_text())


def threads_of(app: WebApp, login: str) -> list[str]:
    """The Chainlit thread ids stored for a login (the chat history tables)."""
    import sqlite3

    with sqlite3.connect(app.data_dir / CHAT_DB) as conn:
        rows = conn.execute(
            'SELECT t."id" FROM threads t JOIN users u ON t."userId" = u."id" '
            'WHERE u."identifier" = ? ORDER BY t."createdAt"', (login,)).fetchall()
    return [str(r[0]) for r in rows]


def thread_name(app: WebApp, thread_id: str) -> str:
    import sqlite3

    with sqlite3.connect(app.data_dir / CHAT_DB) as conn:
        row = conn.execute('SELECT "name" FROM threads WHERE "id" = ?', (thread_id,)).fetchone()
    return str(row[0]) if row else ""


# --------------------------------------------------------------------------- tests


def test_login_upload_match_analyse_tailor(web_app: WebApp, browser: Any,
                                           tmp_path: Path) -> None:
    page = new_page(browser)
    try:
        login(page, web_app.base, "alice", USERS["alice"])
        page.wait_for_selector("#starters")
        assert "How well do you fit the job?" in page.inner_text("body")
        page.screenshot(path=str(tmp_path / "1-welcome.png"))

        upload(page, ALICE_CV)
        page.wait_for_selector("text=CV saved")
        page.screenshot(path=str(tmp_path / "2-cv-saved.png"))

        send(page, "what are my best matches?")
        rows = page.locator("[data-testid=job-list] [data-testid=job-row]")
        rows.first.wait_for()
        assert rows.count() >= 3
        first = rows.first.inner_text()
        assert re.search(r"\b\d{1,3} · [A-F]\b", first), first  # the score badge
        page.screenshot(path=str(tmp_path / "3-matches.png"))

        rows.first.get_by_role("button", name="Analyse").click()
        card = page.locator("[data-testid=score-card]").last
        card.wait_for()
        overall = int(card.locator("[data-testid=overall-score]").inner_text())
        assert 0 <= overall <= 100
        subs = card.locator("[data-testid=sub-score]")
        assert subs.count() == 5
        bars = card.inner_text()
        for label in ("Skills", "Experience", "Location", "Salary", "Text similarity"):
            assert label in bars
        assert "Confidence" in card.locator("[data-testid=confidence]").inner_text()
        card.scroll_into_view_if_needed()
        card.screenshot(path=str(tmp_path / "4-score-card-dark.png"))
        page.click("#theme-toggle")
        page.get_by_text("Light Theme").click()
        card.screenshot(path=str(tmp_path / "4-score-card-light.png"))

        card.get_by_role("button", name="Tailor my CV").click()
        options = page.locator("[data-testid=tailor-options]").last
        options.wait_for()
        assert options.locator("[data-testid=tailor-option]").count() >= 1
        options.screenshot(path=str(tmp_path / "5-tailor-options.png"))
        options.locator("[data-testid=tailor-apply]").click()
        page.wait_for_selector("text=Tailored CV for")
        assert re.search(r"Score \d+ → \d+", page.inner_text("body"))
        link = page.get_by_text(re.compile(r"cv-tailored-\d+\.docx")).first
        link.wait_for()
        page.screenshot(path=str(tmp_path / "6-tailored.png"))
        with page.expect_download() as info:
            link.click()
        target = tmp_path / "tailored.docx"
        info.value.save_as(str(target))
        import docx

        document = docx.Document(io.BytesIO(target.read_bytes()))
        text = "\n".join(p.text for p in document.paragraphs)
        assert "Felix" in text or "Quillfeather" in text

        # chat history: the conversation comes back, cards included
        thread = threads_of(web_app, "alice")[0]
        assert thread_name(web_app, thread) == f"Files: {ALICE_CV.name}"
        page.goto(f"{web_app.base}/thread/{thread}")
        page.locator("[data-testid=score-card] [data-testid=overall-score]").first.wait_for()
        page.locator("[data-testid=job-list]").first.wait_for()
        page.screenshot(path=str(tmp_path / "7-resumed.png"))
    finally:
        page.context.close()


def test_two_users_see_only_their_own_data(web_app: WebApp, browser: Any,
                                           tmp_path: Path) -> None:
    alice, bob = new_page(browser), new_page(browser)
    try:
        login(alice, web_app.base, "alice", USERS["alice"])
        login(bob, web_app.base, "bob", USERS["bob"])
        upload(alice, ALICE_CV)
        drop_file(bob, BOB_CV)  # drag and drop
        alice.wait_for_selector("text=CV saved")
        bob.wait_for_selector("text=CV saved")

        send(alice, "show my profile")
        send(bob, "show my profile")
        alice.wait_for_selector("text=Here's what I know about you")
        bob.wait_for_selector("text=Here's what I know about you")
        alice.screenshot(path=str(tmp_path / "alice.png"))
        bob.screenshot(path=str(tmp_path / "bob.png"))
        a_text, b_text = alice.inner_text("body"), bob.inner_text("body")
        assert "Felix" in a_text and "Greta" not in a_text
        assert "Greta" in b_text and "Felix" not in b_text

        # chat history is kept per user; bob cannot open alice's conversation
        alice_threads = threads_of(web_app, "alice")
        assert alice_threads and not set(alice_threads) & set(threads_of(web_app, "bob"))
        alice.goto(f"{web_app.base}/thread/{alice_threads[0]}")  # resume works for the owner
        alice.wait_for_selector("text=Felix")
        bob.goto(f"{web_app.base}/thread/{alice_threads[0]}")
        bob.wait_for_timeout(3000)
        bob.screenshot(path=str(tmp_path / "bob-on-alice-thread.png"))
        assert "Felix" not in bob.inner_text("body")
    finally:
        alice.context.close()
        bob.context.close()


def test_open_mode_needs_no_login_and_says_so(browser: Any, tmp_path: Path) -> None:
    require_chromium()
    app = start_app(tmp_path / "open-data", auth="open")
    page = new_page(browser)
    try:
        page.goto(app.base)
        wait_connected(page)  # straight into the chat, no login form
        assert page.locator("#password").count() == 0
        page.wait_for_selector("text=Open single-user mode")
        page.screenshot(path=str(tmp_path / "open-mode.png"))
        send(page, "show my profile")
        page.wait_for_selector("text=I don't have a CV for you yet")
    finally:
        page.context.close()
        stop_app(app)
