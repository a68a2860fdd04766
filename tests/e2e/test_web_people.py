"""Issue 11 in the web chat (real headless Chromium, `jobfit ui` with the offline model): the
footer tells the truth about the mode, a one-paragraph posting gets a score card, and "my
applications" shows the pipeline card."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_web import (
    ALICE_CV,
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
from ui.footer import OFFLINE

__all__ = ["browser"]
USERS = {"penny": "penny-password-1"}
POSTING = (
    "How well do I fit this job? Senior Java Developer at Acme, Tel Aviv (hybrid). Requirements:"
    " 5+ years Java, Spring Boot, REST APIs, PostgreSQL, Docker. Nice to have: Kafka. Salary "
    "30,000-40,000 ILS per month.")


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    require_chromium()
    app = start_app(tmp_path_factory.mktemp("web-people"), users=USERS)
    try:
        yield app
    finally:
        stop_app(app)


def test_posting_pipeline_and_footer(web_app: WebApp, browser: Any,  # noqa: F811
                                     tmp_path: Path) -> None:
    page = new_page(browser)
    try:
        login(page, web_app.base, "penny", USERS["penny"])
        upload(page, ALICE_CV)
        page.wait_for_selector("text=CV saved")
        footer = page.locator(".watermark").last
        footer.wait_for()
        assert footer.inner_text().strip() == OFFLINE
        assert "LLMs can make mistakes" not in page.inner_text("body")
        send(page, POSTING)
        card = page.locator("[data-testid=score-card]").last
        card.wait_for()
        assert "Senior Java Developer" in card.inner_text()
        assert "Which job?" not in page.inner_text("body")
        page.screenshot(path=str(tmp_path / "1-posting.png"))

        send(page, "what are my best matches?")
        page.locator("[data-testid=job-list] [data-testid=job-row]").first.wait_for()
        send(page, "I applied to the first one")
        page.wait_for_selector("text=Good luck")
        send(page, "my applications")
        pipeline = page.locator("[data-testid=applications]").last
        pipeline.wait_for()
        steps = pipeline.locator("[data-testid=pipeline-step]")
        assert steps.count() == 1 and "Applied · 1" in steps.first.inner_text()
        assert pipeline.locator("[data-testid=application-row]").count() == 1
        page.screenshot(path=str(tmp_path / "2-pipeline.png"))
    finally:
        page.context.close()
