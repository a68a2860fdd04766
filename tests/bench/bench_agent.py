"""Offline agent benchmarks: conversation turns through the real graph. Prints figures only.

Run: ``.venv/bin/python -m tests.bench.bench_agent``.

The store is the bundled sample (320 jobs from ``store/samples/jobs.json``) in a temporary data
directory, built by the composition root (``agent.bootstrap``: SQLite, embedded Chroma, static
embedder, SQLite checkpointer) exactly as ``jobfit chat`` does; the chat model is the offline
router. After start-up (import, one warm-up turn), it measures:

1. the router alone: one decision (intent -> tool call, or tool JSON -> answer);
2. a "how well do I fit job N" turn (model -> score_match -> model -> answer) for jobs not
   analysed before (fresh analyses), and again for the same jobs (cached analyses);
3. a full tailoring turn: "tailor my CV for job N" (options, each measured by re-scoring) and
   "apply all" (tailored CV, no-invention check, re-scored).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_JOBS = ROOT / "store" / "samples" / "jobs.json"
CV_FILE = ROOT / "store" / "samples" / "cvs" / "backend_engineer_senior.txt"
FIT_TURNS = 40
TAILOR_TURNS = 15


def _p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def _line(name: str, ms: list[float], goal: str = "") -> None:
    tail = f"   (goal {goal})" if goal else ""
    sys.stdout.write(f"{name:<46} p50 {statistics.median(ms):7.1f} ms   p95 {_p(ms, 0.95):7.1f} ms"
                     f"   max {max(ms):7.1f} ms   n={len(ms)}{tail}\n")


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return (time.perf_counter() - t0) * 1000, out


def bench_router() -> None:
    from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

    from agent.router import KNOWN_TOOLS, OfflineChatModel

    model = OfflineChatModel().bind_tools(list(KNOWN_TOOLS))
    cv = CV_FILE.read_text(encoding="utf-8")
    posting = (ROOT / "tests/fixtures/jobs/backend_engineer_sections.txt").read_text(
        encoding="utf-8")
    asks = ["how well do I fit job 12", "find me remote data jobs in Berlin over 80k",
            "compare the first two", "what am I missing?", "never show me Acme",
            "tailor my CV for the first one", "hello", "send me a weekly digest at 8am"]
    result = {"kind": "analysis", "job": {"job_id": "sample-0-00012", "ref": 12, "title": "T",
                                          "company": "C"},
              "score": 71, "grade": "B", "label": "Good",
              "breakdown": {"skills": 70, "experience": 80, "location": 100, "salary": None,
                            "semantic": 60},
              "reasons": ["a", "b"], "top_gaps": [{"message": "m", "impact": 3}]}
    answer_msgs = [HumanMessage("how well do I fit job 12"),
                   AIMessage("", tool_calls=[{"name": "score_match", "args": {"job_id": "12"},
                                              "id": "call_1", "type": "tool_call"}]),
                   ToolMessage(json.dumps(result), tool_call_id="call_1", name="score_match")]
    for a in [*asks, cv, posting]:  # warm up (compiles the patterns)
        model.decide([HumanMessage(a)])
    route_ms = [_timed(lambda a=a: model.decide([HumanMessage(a)]))[0]
                for _ in range(25) for a in asks]
    pasted_ms = [_timed(lambda a=a: model.decide([HumanMessage(a)]))[0]
                 for _ in range(50) for a in (cv, posting)]
    answer_ms = [_timed(lambda: model.decide(answer_msgs))[0] for _ in range(200)]
    _line("router: request -> tool call (short messages)", route_ms, "<= 5 ms")
    _line("router: pasted CV / posting -> tool call", pasted_ms, "<= 5 ms")
    _line("router: tool JSON -> answer", answer_ms, "<= 5 ms")


def bench_graph() -> None:
    from langchain_core.messages import HumanMessage

    from agent.bootstrap import build_checkpointer, build_service
    from agent.context import Context
    from agent.graph import build_graph, run_config
    from agent.router import OfflineChatModel
    from agent.settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        settings = Settings(data_dir=Path(tmp))
        service = build_service(settings)
        summary = service.import_jobs(SAMPLE_JOBS)
        setup_s = time.perf_counter() - t0
        graph = build_graph(OfflineChatModel(), checkpointer=build_checkpointer(settings))
        user = "bench"
        service.ensure_user(user)
        ctx = Context(user_id=user, service=service)
        jobs = json.loads(SAMPLE_JOBS.read_text(encoding="utf-8"))
        ids = [j["external_id"] for j in jobs]
        sys.stdout.write(f"store: {summary.total} sample jobs imported in {setup_s:.1f} s "
                         f"(SQLite + embedded Chroma + static embedder)\n")

        def turn(text: str, thread: str) -> tuple[float, str]:
            ms, out = _timed(lambda: graph.invoke(
                {"messages": [HumanMessage(text)]}, config=run_config(f"{user}:{thread}"),
                context=ctx))
            return ms, out["messages"][-1].text

        ms, answer = turn(CV_FILE.read_text(encoding="utf-8"), "setup")
        sys.stdout.write(f"save CV turn (first turn, cold): {ms:.0f} ms\n")
        turn(f"how well do I fit {ids[-1]}", "warmup")  # start-up: first analysis

        fresh: list[float] = []
        for i, job_id in enumerate(ids[:FIT_TURNS]):
            ms, answer = turn(f"how well do I fit job {job_id}", f"fit{i}")
            assert "/100**" in answer, answer
            fresh.append(ms)
        cached = [turn(f"how well do I fit job {job_id}", f"again{i}")[0]
                  for i, job_id in enumerate(ids[:FIT_TURNS])]
        long_thread: list[float] = []
        for job_id in ids[FIT_TURNS:FIT_TURNS + 20]:
            long_thread.append(turn(f"how well do I fit job {job_id}", "long")[0])

        options_ms: list[float] = []
        apply_ms: list[float] = []
        for i, job_id in enumerate(ids[100:100 + TAILOR_TURNS]):
            ms, answer = turn(f"tailor my CV for {job_id}", f"tailor{i}")
            options_ms.append(ms)
            ms, answer = turn("apply all", f"tailor{i}")
            assert "→" in answer or "already well tailored" in answer, answer
            apply_ms.append(ms)

        _line('"how well do I fit job N" (fresh analysis)', fresh, "<= 300 ms")
        _line('"how well do I fit job N" (cached analysis)', cached)
        _line('"how well do I fit job N" (one 20-turn thread)', long_thread)
        _line('"tailor my CV for job N" (options)', options_ms)
        _line('"apply all" (tailored CV, re-scored)', apply_ms, "<= 1 s")
        total = [a + b for a, b in zip(options_ms, apply_ms, strict=True)]
        _line("tailoring, both turns", total)
        service.engine.dispose()


def main() -> None:
    bench_router()
    bench_graph()


if __name__ == "__main__":
    main()
