"""Rendering cost of the card model: one score card (from the real engine), a 10-job list, a
gap list, a checklist and a 10-match digest, through every renderer.

    python -m tests.bench.bench_cards

Prints the median time per render (µs) over ``BENCH_REPEAT`` runs (default 300) for each
card kind and renderer, and the size of each output. Figures, not pass/fail: a card costs far
less to render than to compute (a full score is milliseconds), so rendering it for several
channels is free in practice.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console

from tools import cards
from tools.card_text import render_markdown
from tools.gaps import find_gaps
from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.scoring import score_match
from ui.renderers.adaptive import render_adaptive
from ui.renderers.blockkit import render_blocks
from ui.renderers.email import render_html
from ui.renderers.terminal import print_card

ROOT = Path(__file__).resolve().parents[2]


def _terminal(card: Any) -> str:
    out = io.StringIO()
    print_card(card, Console(file=out, width=120, color_system=None, soft_wrap=True))
    return out.getvalue()


RENDERERS: dict[str, Callable[[Any], Any]] = {
    "markdown": render_markdown, "terminal": _terminal, "blockkit": render_blocks,
    "adaptive": render_adaptive, "email": render_html,
}


def _cards() -> dict[str, Any]:
    from tests.unit.test_digest_card import _digest
    from tools.digest_card import digest_card

    cv = parse_cv((ROOT / "store/samples/cvs/backend_engineer_senior.txt").read_text())
    job = parse_job((ROOT / "tests/fixtures/jobs/backend_engineer_sections.txt").read_text())
    result = score_match(cv, job)
    gaps = find_gaps(cv, job, result=result)
    ref = cards.JobRef(ref=7, job_id="s-7", title=job.title or "Job", company=job.company or "")
    rows = [{"ref": i, "job_id": f"s-{i}", "title": f"Job {i}", "company": "Acme",
             "location": "Berlin", "score": 90 - i, "grade": "A",
             "breakdown": result.breakdown()} for i in range(1, 11)]
    return {
        "score": cards.score_card(result, gaps, job=ref),
        "job list": cards.job_list(rows, title="Your best matches"),
        "gaps": cards.gap_list(gaps, job=ref),
        "checklist": cards.checklist([{"id": f"o{i}", "label": f"Option {i}", "impact": i,
                                       "measured": "14/30 -> 15/30"} for i in range(8)],
                                     job=ref),
        "digest": digest_card(_digest(10)),
    }


def _median_us(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e6


def main() -> None:
    repeat = int(os.environ.get("BENCH_REPEAT", "300"))
    built = _cards()
    print(f"median µs per render over {repeat} runs (output size in characters)")  # noqa: T201
    print(f"{'card':<10}" + "".join(f"{r:>18}" for r in RENDERERS))  # noqa: T201
    for kind, card in built.items():
        cells = []
        for render in RENDERERS.values():
            out = render(card)
            size = len(out if isinstance(out, str) else json.dumps(out, ensure_ascii=False))
            cells.append(f"{_median_us(lambda c=card, r=render: r(c), repeat):>9.0f} ({size:>5})")
        print(f"{kind:<10}" + "".join(f"{c:>18}" for c in cells))  # noqa: T201


if __name__ == "__main__":
    main()
