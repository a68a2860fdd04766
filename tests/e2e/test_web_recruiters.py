"""Recruiters in the real web chat (headless Chromium): several CVs uploaded at once become a
pool, "who fits job 1 best?" ranks it, the comparison card is blind until a candidate is opened.
Helpers and fixtures are the ones of tests/e2e/test_web.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.e2e.test_web import (  # noqa: F401  (fixtures)
    USERS,
    WebApp,
    browser,
    login,
    new_page,
    send,
    web_app,
)
from tools.parsing.cv import parse_cv

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_CVS = sorted((ROOT / "tests" / "fixtures" / "cvs").glob("*.txt"))
NAMES = [str(parse_cv(p.read_text()).personal.name) for p in FIXTURE_CVS]


def test_pool_upload_rank_and_blind_comparison_card(web_app: WebApp,  # noqa: F811
                                                    browser: Any,  # noqa: F811
                                                    tmp_path: Path) -> None:
    page = new_page(browser)
    try:
        login(page, web_app.base, "bob", USERS["bob"])
        page.set_input_files("#upload-button-input", [str(p) for p in FIXTURE_CVS])
        page.wait_for_selector("#chat-submit:not([disabled])")
        page.click("#chat-submit")
        page.wait_for_selector("text=candidates in your pool", timeout=120_000)
        body = page.inner_text("body")
        assert f"Added {len(FIXTURE_CVS)} CV(s) to your candidate pool" in body, body[-800:]

        send(page, "who fits job 1 best?")
        ranking = page.locator("[data-testid=candidate-list]").last
        ranking.wait_for(timeout=120_000)
        rows = ranking.locator("[data-testid=candidate-row-label]")
        assert rows.count() == len(FIXTURE_CVS)
        assert all("C-" in rows.nth(i).inner_text() for i in range(rows.count()))
        ranking.screenshot(path=str(tmp_path / "candidate-list.png"))
        ranking.locator("[data-testid=candidate-row]").first.get_by_role(
            "button", name="Shortlist").click()
        page.wait_for_selector("text=shortlisted for this job", timeout=60_000)
        send(page, "compare the top 3 candidates")
        card = page.locator("[data-testid=candidate-compare]").last
        card.wait_for(timeout=120_000)
        labels = card.locator("[data-testid=candidate-label]")
        assert labels.count() == 3
        text = card.inner_text()
        assert all("C-" in labels.nth(i).inner_text() for i in range(3))
        assert "Must-haves" in text and "Evidence" in text
        assert card.locator("[data-testid=blind-note]").count() == 1
        for name in NAMES:
            assert name not in page.inner_text("body")
        card.scroll_into_view_if_needed()
        card.screenshot(path=str(tmp_path / "candidate-compare.png"))
        with page.expect_download() as download:
            card.get_by_role("button", name="CSV").click()
        saved = tmp_path / "candidates.csv"
        download.value.save_as(str(saved))
        csv_text = saved.read_text()
        assert csv_text.startswith("candidate,rank,score")
        assert not any(name in csv_text for name in NAMES)
    finally:
        page.context.close()
