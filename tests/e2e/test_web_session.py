"""A normal web chat session in real Chromium, checked against issue 13 (rough edges).

One user uploads a PDF CV, asks for matches, analyses a job, tailors the CV, then uploads
another CV and pastes a third as text in a new chat. Checked: the upload is not shown as a
broken PDF nor leaves an empty bubble; each card's content is said once (no plain-text copy
below it, the CV summary once); the tailored CV is shown in its message (no side panel opening
by itself), readable at 1280 px, and nothing of it stays open when the CV changes; the chat
titles come from the question or the job, never the CV's text; and the server log has no
traceback or error at all. Screenshots are kept in tests/e2e/artifacts/ (gitignored).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_web import (
    CHAT_DB,
    CVS,
    WebApp,
    browser,  # noqa: F401  (the module-scoped Chromium fixture)
    login,
    new_page,
    require_chromium,
    send,
    start_app,
    stop_app,
    threads_of,
    upload,
    wait_connected,
)

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts" / "web_session"
PDF_CV = CVS / "accountant.pdf"
TXT_CV = CVS / "backend_engineer_senior.txt"
USER = ("carol", "carol-password-3")
#: Lines of the server log that mean something went wrong on the server.
SERVER_ERROR = re.compile(r"Traceback \(most recent call last\)|\bERROR\b|Exception in ASGI|"
                          r"RuntimeError|FileNotFoundError")


@pytest.fixture(scope="module")
def session_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    require_chromium()
    app = start_app(tmp_path_factory.mktemp("web-session"), users=dict([USER]))
    try:
        yield app
    finally:
        stop_app(app)


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def server_errors(app: WebApp) -> list[str]:
    lines = app.log.read_text(errors="replace").splitlines()
    return [ln for ln in lines if SERVER_ERROR.search(ln)]


def thread_names(app: WebApp, login_name: str) -> list[str]:
    with sqlite3.connect(app.data_dir / CHAT_DB) as conn:
        return [str(conn.execute('SELECT "name" FROM threads WHERE "id" = ?',
                                 (t,)).fetchone()[0] or "")
                for t in threads_of(app, login_name)]


def no_horizontal_scroll(page: Any) -> bool:
    return bool(page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth + 1"))


def test_a_normal_session_has_no_rough_edges(session_app: WebApp,
                                             browser: Any) -> None:  # noqa: F811
    page = new_page(browser)
    try:
        login(page, session_app.base, *USER)
        upload(page, PDF_CV)
        page.wait_for_selector("text=CV saved")
        page.wait_for_timeout(1500)  # a broken PDF viewer would show its error by now
        shot(page, "1-pdf-uploaded")
        body = page.inner_text("body")
        assert "Failed to load PDF" not in body
        assert f"Attached {PDF_CV.name}" in body  # the upload's bubble says what was attached
        assert body.count("CV saved") == 1  # the CV summary once

        send(page, "what are my best matches?")
        rows = page.locator("[data-testid=job-list] [data-testid=job-row]")
        rows.first.wait_for()
        page.wait_for_selector("text=how well do I fit the 2nd one")
        shot(page, "2-matches")
        first_title = rows.first.locator("a, span, div").first.inner_text().split("\n")[0]
        body = page.inner_text("body")
        # the list is not repeated as plain text below the card
        assert body.count(first_title) == 1, first_title

        rows.first.get_by_role("button", name="Analyse").click()
        card = page.locator("[data-testid=score-card]").last
        card.wait_for()
        card.get_by_role("button", name="Tailor my CV").click()
        options = page.locator("[data-testid=tailor-options]").last
        options.wait_for()
        shot(page, "3-tailor-options")
        for measured in options.locator("[data-testid=tailor-measured]").all():
            assert "→" in measured.inner_text()  # each option says what it moves
        apply = options.locator("[data-testid=tailor-apply]")
        if apply.is_enabled():
            apply.click()
            page.wait_for_selector("text=Tailored CV for")
            page.wait_for_timeout(1000)
            shot(page, "4-tailored")
            assert re.search(r"Score \d+ → \d+", page.inner_text("body"))
            # no side panel opened by itself; the page does not scroll sideways at 1280 px
            assert page.locator("#side-view-content").count() == 0
            assert no_horizontal_scroll(page)
            # the tailored CV itself, in the message, inside the 1280 px window
            name = page.get_by_text("Tobias Dunmore").last
            name.scroll_into_view_if_needed()
            box = name.bounding_box()
            assert box is not None and box["x"] + box["width"] <= 1280
            shot(page, "4b-tailored-cv-inline")

        upload(page, TXT_CV)  # the context changes: a new CV
        page.wait_for_selector("text=Felix")
        page.wait_for_timeout(1000)
        shot(page, "5-new-cv")
        assert page.locator("#side-view-content").count() == 0
        assert "Failed to load" not in page.inner_text("body")

        # a new chat that starts with a pasted CV: its title is not the CV's text
        page.goto(session_app.base)
        wait_connected(page)  # text typed before the socket is up is cleared by the page
        send(page, TXT_CV.read_text())
        page.wait_for_selector("text=CV saved")
        page.wait_for_timeout(1500)
        shot(page, "6-pasted-cv")
        names = thread_names(session_app, USER[0])
        assert len(names) >= 2, names
        for name in names:
            assert "@" not in name and "Quillfeather" not in name, names
        assert "Your CV" in names, names
    finally:
        page.context.close()
    assert server_errors(session_app) == []
