"""A pasted posting's score card in the real web chat (headless Chromium): its Gaps and "Tailor
my CV" buttons work on the pasted text (it is not stored: the card's job ref is 0), and the
tailored CV comes back. Helpers are the ones of tests/e2e/test_web.py."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_web import (  # noqa: F401  (fixtures)
    USERS,
    WebApp,
    browser,
    login,
    new_page,
    require_chromium,
    send,
    start_app,
    stop_app,
    upload,
)

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "tailoring"


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    require_chromium()
    app = start_app(tmp_path_factory.mktemp("web-pasted") / "data", users=USERS)
    try:
        yield app
    finally:
        stop_app(app)


def test_buttons_of_a_pasted_postings_card_work(web_app: WebApp, browser: Any,  # noqa: F811
                                                tmp_path: Path) -> None:
    posting = (FIXTURES / "evidence_job.txt").read_text(encoding="utf-8")
    page = new_page(browser)
    try:
        login(page, web_app.base, "alice", USERS["alice"])
        upload(page, FIXTURES / "evidence_cv.txt")
        page.wait_for_selector("text=CV saved")
        send(page, posting)
        card = page.locator("[data-testid=score-card]").last
        card.wait_for()
        score = int(card.locator("[data-testid=overall-score]").inner_text())

        card.get_by_role("button", name="Gaps").click()
        page.locator("[data-testid=gap-list]").last.wait_for()

        card.get_by_role("button", name="Tailor my CV").click()
        options = page.locator("[data-testid=tailor-options]").last
        options.wait_for()
        assert options.locator("[data-testid=tailor-option]").count() >= 1
        options.locator("[data-testid=tailor-apply]").click()
        page.wait_for_selector("text=Tailored CV for")
        body = page.inner_text("body")
        assert re.search(r"Score \d+ → \d+", body), body[-2000:]
        assert 0 < score <= 100
        assert "lost track of its job" not in body and "Something went wrong" not in body
        page.screenshot(path=str(tmp_path / "pasted-tailored.png"))
    finally:
        page.context.close()
