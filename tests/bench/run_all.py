"""Run every benchmark in turn (``make bench``). Each prints its own figures."""

from __future__ import annotations

import importlib
import sys
import time

BENCHES = [
    "tests.bench.bench_engine",
    "tests.bench.bench_parsing",
    "tests.bench.skillspan_eval",
    "tests.bench.quality",  # real-data match quality (make eval); ~3 min on 2 cores
    "tests.bench.bench_embeddings",
    "tests.bench.bench_static",
    "tests.bench.bench_agent",
    "tests.bench.bench_web",
    "tests.bench.bench_web_resume",
    "tests.bench.bench_chat_history",
    "tests.bench.bench_bots",
    "tests.bench.bench_cards",
]


def main() -> None:
    only = sys.argv[1:]
    sys.argv = sys.argv[:1]  # the benches take no arguments of their own
    for name in BENCHES:
        if only and not any(o in name for o in only):
            continue
        print(f"\n=== {name}", flush=True)
        t0 = time.perf_counter()
        importlib.import_module(name).main()
        print(f"=== {name} done in {time.perf_counter() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
