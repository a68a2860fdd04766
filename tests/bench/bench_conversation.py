"""Issue 11 turns through the real graph with the offline model (figures only, no asserts):
a pasted one-paragraph posting scored (fresh each time), best matches with preferences that
hide jobs, and the application pipeline. Store: the first 60 bundled sample jobs (SQLite +
embedded Chroma + static embeddings) in a temporary directory.

Run: python -m tests.bench.bench_conversation
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from langchain_core.messages import HumanMessage

from agent.bootstrap import build_intent_classifier
from agent.context import Context
from agent.graph import build_graph, run_config
from agent.router import OfflineChatModel
from tests.integration.agent_store import BACKEND_CV, build_store

POSTING = ("How well do I fit this job? Senior Java Developer at Acme{n}, Tel Aviv (hybrid). "
           "Requirements: {y}+ years Java, Spring Boot, REST APIs, PostgreSQL, Docker. Nice to "
           "have: Kafka. Salary 30,000-40,000 ILS per month.")


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        service = build_store(Path(tmp) / "data")
        graph = build_graph(OfflineChatModel(classifier=build_intent_classifier()))
        user = "bench"
        service.save_cv(user, text=BACKEND_CV)

        def turn(text: str, thread: str) -> float:
            start = time.perf_counter()
            graph.invoke({"messages": [HumanMessage(text)]}, config=run_config(thread),
                         context=Context(user_id=user, service=service))
            return (time.perf_counter() - start) * 1000

        turn(POSTING.format(n=0, y=5), "warm")
        pasted = [turn(POSTING.format(n=i, y=2 + i % 6), f"p{i}") for i in range(1, 31)]
        service.update_preferences(user, remote="remote", salary_floor=90000)
        matches = [turn("show my best matches", f"m{i}") for i in range(10)]
        turn("I applied to the first one", "m9")
        pipeline = [turn("which jobs have I applied to?", f"a{i}") for i in range(10)]
        for name, ms in (("pasted one-paragraph posting, fresh (fit turn)", pasted),
                         ("best matches with preferences hiding jobs", matches),
                         ("my applications", pipeline)):
            print(f"{name}: p50 {statistics.median(ms):.0f} ms, p95 {_p(ms, 0.95):.0f} ms "  # noqa: T201
                  f"({len(ms)} turns)")
        service.engine.dispose()


if __name__ == "__main__":
    main()
