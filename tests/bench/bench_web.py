"""Web chat latency in a real browser: "how well do I fit job N" -> score card visible.

    python -m tests.bench.bench_web [--runs 10]

Starts ``jobfit ui`` (offline model, password login, a temporary data directory with the bundled
sample jobs), logs in with headless Chromium (/usr/bin/chromium), uploads a sample CV, asks for
the best matches, then asks "how well do I fit job N" for N = 1..runs (the N-th listed match,
a different job each time, so nothing is served from the analysis cache on the first ask). Each
time is from clicking send until the new score card shows its overall score. Prints every run,
p50 and max. Goal: p50 <= 1 s. A figure, not a pass/fail test.
"""

from __future__ import annotations

import argparse
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

GOAL_S = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print("bench_web: /usr/bin/chromium is missing (apt-get install -y chromium); skipped")
        return
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="jobfit-bench-web-") as tmp:
        t0 = time.perf_counter()
        app = start_app(Path(tmp), users={"bench": "bench-password-1"})
        print(f"server up in {time.perf_counter() - t0:.1f} s (sample jobs imported)")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                page = new_page(browser)
                login(page, app.base, "bench", "bench-password-1")
                upload(page, ALICE_CV)
                page.wait_for_selector("text=CV saved")
                send(page, "what are my best matches?")
                rows = page.locator("[data-testid=job-list] [data-testid=job-row]")
                rows.first.wait_for()
                runs = min(args.runs, rows.count())
                cards = page.locator("[data-testid=score-card]")
                times: list[float] = []
                for n in range(1, runs + 1):
                    before = cards.count()
                    page.fill("#chat-input", f"how well do I fit job {n}")
                    page.wait_for_selector("#chat-submit:not([disabled])")
                    start = time.perf_counter()
                    page.click("#chat-submit")
                    cards.nth(before).locator("[data-testid=overall-score]").wait_for()
                    elapsed = time.perf_counter() - start
                    times.append(elapsed)
                    score = cards.nth(before).locator("[data-testid=overall-score]").inner_text()
                    print(f"  job {n:2d}: score card ({score}) visible in {elapsed * 1000:.0f} ms")
                    page.wait_for_selector("#stop-button", state="detached")  # turn over
                browser.close()
            server = [line.split(" - ")[-1] for line in app.log.read_text(
                errors="replace").splitlines() if "turn done" in line]
            print("server side:", ", ".join(s.replace("turn done in ", "") for s in server))
        finally:
            stop_app(app)
    p50 = statistics.median(times)
    verdict = "meets" if p50 <= GOAL_S else "misses"
    print(f"ask -> score card visible, {len(times)} runs: p50 {p50 * 1000:.0f} ms, "
          f"max {max(times) * 1000:.0f} ms ({verdict} the {GOAL_S:.0f} s goal)")


if __name__ == "__main__":
    main()
