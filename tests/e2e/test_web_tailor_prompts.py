"""Evidence requests in the real web chat (headless Chromium): the tailoring checklist shows
"Show <skill> in a role" as a prompt with how to reply (no checkbox), "Tailor my CV" sends the
ticked changes only, and "add to <role>: <sentence>" answers it. The job is imported (a stored
job: the checklist's button needs its id); helpers are the ones of tests/e2e/test_web.py."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_web import (  # noqa: F401  (fixtures)
    USERS,
    WebApp,
    browser,
    jobfit_bin,
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
LINE = "Cut deploy time 40% by moving the billing services to Kubernetes"
ASK = "Show Kubernetes in a role: tell me where you used it and what came of it"
JOB_ID = "evid-90417"
REPLY = ("Reply: add to Backend Developer at Acme Corp: <what you did with Kubernetes and what "
         "came of it>")


@pytest.fixture(scope="module")
def web_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebApp]:
    """The web app over a data directory holding the evidence job."""
    require_chromium()
    base = tmp_path_factory.mktemp("web-evidence")
    jobs = base / "jobs.json"
    text = (FIXTURES / "evidence_job.txt").read_text(encoding="utf-8")
    jobs.write_text(json.dumps([{"external_id": JOB_ID, "source": "test",
                                 "title": "Software Engineer", "company": "Harbor Payments",
                                 "location": "Lisbon, Portugal", "description": text}]))
    data = base / "data"
    env = {**os.environ, "JOBFIT_DATA_DIR": str(data), "JOBFIT_LLM": "offline"}
    env.pop("DATABASE_URL", None)
    env.pop("JOBFIT_DATABASE_URL", None)
    out = subprocess.run([jobfit_bin(), "import", str(jobs), "--json"], env=env, cwd=ROOT,
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0 and json.loads(out.stdout)["new"] == 1, out.stderr
    app = start_app(data, users=USERS)
    try:
        yield app
    finally:
        stop_app(app)


def test_evidence_request_is_a_prompt_not_a_checkbox(web_app: WebApp,
                                                     browser: Any,  # noqa: F811
                                                     tmp_path: Path) -> None:
    page = new_page(browser)
    actions: list[dict[str, Any]] = []

    def on_request(request: Any) -> None:
        if request.method == "POST" and request.url.endswith("/project/action"):
            actions.append(json.loads(request.post_data or "{}"))

    page.on("request", on_request)
    try:
        login(page, web_app.base, "bob", USERS["bob"])
        upload(page, FIXTURES / "evidence_cv.txt")
        page.wait_for_selector("text=CV saved")
        send(page, f"tailor my CV for {JOB_ID}")
        card = page.locator("[data-testid=tailor-options]").last
        card.wait_for()
        prompt = card.locator("[data-testid=tailor-prompt]").filter(has_text="Kubernetes")
        prompt.wait_for()
        assert ASK in prompt.inner_text()
        assert prompt.locator("[data-testid=tailor-prompt-reply]").inner_text() == REPLY
        assert prompt.locator("input").count() == 0  # no checkbox to tick
        for option in card.locator("[data-testid=tailor-option]").all():
            assert "Show " not in option.inner_text() or " in a role" not in option.inner_text()
        boxes = card.locator("[data-testid=tailor-option] input[type=checkbox]")
        assert boxes.count() >= 1
        for i in range(boxes.count()):  # "apply all": every change ticked
            if not boxes.nth(i).is_checked():
                boxes.nth(i).check()
        card.scroll_into_view_if_needed()
        card.screenshot(path=str(tmp_path / "tailor-prompts.png"))
        card.locator("[data-testid=tailor-apply]").click()
        page.wait_for_selector("text=Tailored CV for")
        sent = [a for a in actions if (a.get("action") or {}).get("name") == "jf_tailor_apply"]
        assert len(sent) == 1, actions
        options = sent[0]["action"]["payload"]["options"]
        assert options and len(options) == boxes.count()
        assert not [o for o in options if str(o).startswith("show_in_role")], options

        send(page, f"add to Acme: {LINE}")
        page.wait_for_selector("text=in your words")
        body = page.inner_text("body")
        assert f"Added to Backend Developer at Acme Corp, in your words: “{LINE}”" in body
        page.screenshot(path=str(tmp_path / "added.png"))
    finally:
        page.context.close()
