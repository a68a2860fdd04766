"""Web chat resume in a real browser: how soon a new chat gets its address, and how long a
reload takes to show the whole chat again.

    python -m tests.bench.bench_web_resume [--cards 10] [--reloads 5]

Starts ``jobfit ui`` (offline model, password login, a temporary data directory with the bundled
sample jobs), logs in with headless Chromium (/usr/bin/chromium) and uploads a sample CV (a
file-only first message). Measured:

1. from sending the CV until the address is ``/thread/<id>`` (ui/webchat/chat.py
   ``announce_thread`` + public/jobfit.js);
2. with ``--cards`` score cards in the chat ("how well do I fit job N"), from ``reload()`` until
   every card shows its overall score again, ``--reloads`` times (p50 and max).

A figure, not a pass/fail test.
"""

from __future__ import annotations

import argparse
import re
import statistics
import tempfile
import time
from pathlib import Path

from tests.e2e.test_web import (
    ALICE_CV,
    CHROMIUM,
    CHROMIUM_ARGS,
    login,
    new_page,
    send,
    start_app,
    stop_app,
    upload,
)

THREAD_URL = re.compile(r"/thread/[0-9a-f-]{36}$")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=10)
    parser.add_argument("--reloads", type=int, default=5)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print("bench_web_resume: /usr/bin/chromium is missing; skipped")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="jobfit-bench-resume-") as tmp:
        app = start_app(Path(tmp), users={"bench": "bench-password-1"})
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = new_page(browser)
                login(page, app.base, "bench", "bench-password-1")
                started = time.perf_counter()
                upload(page, ALICE_CV)
                page.wait_for_url(THREAD_URL)
                address_ms = (time.perf_counter() - started) * 1000
                page.wait_for_selector("text=CV saved")
                cards = page.locator("[data-testid=score-card] [data-testid=overall-score]")
                for n in range(1, args.cards + 1):
                    send(page, f"How well do I fit job {n}?")
                    cards.nth(n - 1).wait_for()
                times = []
                for _ in range(args.reloads):
                    started = time.perf_counter()
                    page.reload()
                    cards.nth(args.cards - 1).wait_for()
                    times.append((time.perf_counter() - started) * 1000)
                    assert cards.count() == args.cards
                browser.close()
        finally:
            stop_app(app)
    print(f"address /thread/<id> after a file-only first message: {address_ms:.0f} ms")
    print(f"reload -> all {args.cards} score cards back: "
          + ", ".join(f"{t:.0f}" for t in times) + " ms")
    print(f"  p50 {statistics.median(times):.0f} ms, max {max(times):.0f} ms")


if __name__ == "__main__":
    main()
