"""A browser reload brings the user back to the chat they were in (issue 13), in real Chromium.

A chat that starts with a dropped CV (a file-only first message, which Chainlit never puts in
the address) and a question: its address becomes ``/thread/<id>``; a reload shows the same
messages and the score card again, and the next question keeps the CV and the job of the chat
("what am I missing" answers for the job analysed before the reload). "New chat" still opens an
empty chat at ``/``, and a reload there stays a new chat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.e2e.test_web import (
    ALICE_CV,
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

USER = ("dana", "dana-password-4")
THREAD_URL = re.compile(r"/thread/([0-9a-f-]{36})$")


@pytest.fixture(scope="module")
def resume_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    require_chromium()
    app = start_app(tmp_path_factory.mktemp("web-resume"), users=dict([USER]))
    try:
        yield app
    finally:
        stop_app(app)


def wait_thread_url(page: Any) -> str:
    """The thread id, once the address has become /thread/<id>."""
    page.wait_for_url(THREAD_URL)
    match = THREAD_URL.search(page.url)
    assert match, page.url
    return match.group(1)


def test_a_reload_resumes_the_chat_with_its_cards_cv_and_job(resume_app: WebApp,
                                                             browser: Any,  # noqa: F811
                                                             tmp_path: Any) -> None:
    page = new_page(browser)
    try:
        login(page, resume_app.base, *USER)
        assert page.url.rstrip("/") == resume_app.base  # a new chat: no thread yet
        upload(page, ALICE_CV)  # a file-only first message
        page.wait_for_selector("text=CV saved")
        thread = wait_thread_url(page)
        assert threads_of(resume_app, USER[0]) == [thread]

        send(page, "How well do I fit job 3?")
        card = page.locator("[data-testid=score-card]")
        card.first.wait_for()
        score = card.first.locator("[data-testid=overall-score]").inner_text()
        job_title = card.first.locator(".jf-title").inner_text().strip()
        assert job_title
        page.screenshot(path=str(tmp_path / "1-before-reload.png"))

        page.reload()
        wait_connected(page)
        assert THREAD_URL.search(page.url) and thread in page.url
        page.get_by_text("How well do I fit job 3?").first.wait_for()  # the question
        page.get_by_text("CV saved").first.wait_for()  # the upload's answer
        again = page.locator("[data-testid=score-card]")
        again.first.wait_for()
        assert again.count() == 1
        assert again.first.locator("[data-testid=overall-score]").inner_text() == score
        assert again.first.locator(".jf-title").inner_text().strip() == job_title
        page.screenshot(path=str(tmp_path / "2-after-reload.png"))

        # the same chat goes on: same thread, same CV, the job of the card is still current
        send(page, "what am I missing")
        gaps = page.locator("[data-testid=gap-list]")
        gaps.first.wait_for()
        body = page.inner_text("body")
        assert "add your CV" not in body.lower() and "upload your cv" not in body.lower()
        assert gaps.first.locator(".jf-title").inner_text().strip() == f"Gaps for {job_title}"
        assert threads_of(resume_app, USER[0]) == [thread]  # no new (empty) chat was made
        page.screenshot(path=str(tmp_path / "3-next-question.png"))

        # "New chat" is still a new chat, at "/", and a reload there stays new
        page.click("#new-chat-button")
        page.click("#confirm")
        page.wait_for_url(re.compile(r"^[^#?]*://[^/]+/?$"))
        wait_connected(page)
        page.wait_for_selector("#starters")
        assert page.locator("[data-testid=score-card]").count() == 0
        page.reload()
        wait_connected(page)
        page.wait_for_selector("#starters")
        assert page.locator("[data-testid=score-card]").count() == 0
        send(page, "show my profile")  # the new chat gets its own address
        page.wait_for_selector("text=Here's what I know about you")
        second = wait_thread_url(page)
        assert second != thread
        assert sorted(threads_of(resume_app, USER[0])) == sorted([thread, second])
    finally:
        page.context.close()


def test_open_mode_reload_resumes_a_chat_begun_with_a_question(browser: Any,  # noqa: F811
                                                               tmp_path: Any) -> None:
    """Open single-user mode (``make run``'s default, no login): the same, for a chat whose
    first message is a question."""
    require_chromium()
    app = start_app(tmp_path / "open-data", auth="open")
    page = new_page(browser)
    try:
        page.goto(app.base)
        wait_connected(page)
        send(page, "show my profile")
        page.get_by_text("show my profile").first.wait_for()
        thread = wait_thread_url(page)
        page.reload()
        wait_connected(page)
        assert thread in page.url
        page.get_by_text("show my profile").first.wait_for()
        assert page.locator("#starters").count() == 0  # the chat, not a new one
        assert threads_of(app, "local") == [thread]
    finally:
        page.context.close()
        stop_app(app)
