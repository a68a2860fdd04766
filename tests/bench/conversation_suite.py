"""The conversation suite: every message of tests/fixtures/conversation/suite.jsonl through the
offline model's router, checked against the expected tool and arguments; accuracy per intent
and the router's decision time. Run: python -m tests.bench.conversation_suite
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, ToolMessage

from agent.router import KNOWN_TOOLS, Call, route

SUITE = Path(__file__).resolve().parents[1] / "fixtures" / "conversation" / "suite.jsonl"


def _jobs() -> list[dict[str, Any]]:
    return [{"job_id": f"sample-0-0000{i}", "ref": i, "title": f"Job {i}",
             "company": f"Company {i}", "position": i, "score": 80 - i} for i in range(1, 6)]


def _turn(human: str, tool: str, args: dict[str, Any], result: dict[str, Any],
          answer: str, n: int) -> list[BaseMessage]:
    call_id = f"call_{n}"
    return [HumanMessage(human),
            AIMessage(content="", tool_calls=[{"name": tool, "args": args, "id": call_id,
                                               "type": "tool_call"}]),
            ToolMessage(content=json.dumps(result), tool_call_id=call_id, name=tool),
            AIMessage(content=answer)]


CONTEXTS: dict[str, list[BaseMessage]] = {
    "none": [],
    "list": _turn("show my best matches", "match_jobs", {},
                  {"kind": "job_list", "source": "matches", "jobs": _jobs()}, "Your matches.", 1),
    "analysis": _turn("how well do I fit sample-0-00001", "score_match",
                      {"job_id": "sample-0-00001"},
                      {"kind": "analysis", "job": _jobs()[0], "score": 71, "grade": "B"},
                      "You fit it 71/100.", 1),
}


@dataclass
class Outcome:
    case: dict[str, Any]
    ok: bool
    got: str
    seconds: float


def _args_match(expected: dict[str, Any], actual: dict[str, Any]) -> bool:
    for key, want in expected.items():
        if key.endswith("~"):
            if str(want).lower() not in str(actual.get(key[:-1], "")).lower():
                return False
        elif want is None:
            if key in actual:
                return False
        elif isinstance(want, int | float) and not isinstance(want, bool):
            if not isinstance(actual.get(key), int | float) or float(actual[key]) != float(want):
                return False
        elif actual.get(key) != want:
            return False
    return True


def check(case: dict[str, Any], repeat: int = 1, classifier: Any = None) -> Outcome:
    """One case; with ``repeat`` > 1 the decision time is the median of that many runs (the
    machine is shared: a single run mostly measures the scheduler)."""
    messages = [*CONTEXTS[case["context"]], HumanMessage(case["message"])]
    times = []
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        decision = route(messages, KNOWN_TOOLS, classifier)
        times.append(time.perf_counter() - start)
    seconds = sorted(times)[len(times) // 2]
    if isinstance(decision, Call):
        got = f"{decision.name} {json.dumps(decision.args, ensure_ascii=False)[:160]}"
        ok = decision.name == case["tool"] and _args_match(case["args"], decision.args)
    else:
        got = "reply: " + decision.text[:100].replace("\n", " ")
        ok = case["tool"] is None and (not case.get("reply") or case["reply"] in decision.text)
    return Outcome(case, ok, got, seconds)


def load_suite(path: Path = SUITE) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def run(cases: Sequence[dict[str, Any]] | None = None, repeat: int = 1,
        classifier: Any = None) -> list[Outcome]:
    """The cases through the router; ``classifier``: the nearest-exemplar fallback (as in
    production, agent.bootstrap.build_intent_classifier)."""
    return [check(c, repeat, classifier)
            for c in (cases if cases is not None else load_suite())]


def accuracy_by_intent(outcomes: Sequence[Outcome]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        ok, n = out.get(o.case["intent"], (0, 0))
        out[o.case["intent"]] = (ok + int(o.ok), n + 1)
    return out


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def report(outcomes: Sequence[Outcome]) -> str:
    lines = ["| intent | cases | correct | accuracy |", "|---|---:|---:|---:|"]
    for intent, (ok, n) in sorted(accuracy_by_intent(outcomes).items()):
        lines.append(f"| {intent} | {n} | {ok} | {ok / n:.0%} |")
    total = sum(o.ok for o in outcomes)
    lines.append(f"| **all** | {len(outcomes)} | {total} | {total / len(outcomes):.1%} |")
    typos = [o for o in outcomes if o.case.get("variant") == "typo"]
    if typos:
        good = sum(o.ok for o in typos)
        lines.append(f"| (typo variants) | {len(typos)} | {good} | {good / len(typos):.0%} |")
    times = [o.seconds * 1000 for o in outcomes]
    median = sorted(times)[len(times) // 2]
    lines.append(f"\nrouter decision (median of 5 runs per message): p50 {median:.2f} ms, "
                 f"p95 {p95(times):.2f} ms, max {max(times):.2f} ms ({len(times)} decisions)")
    return "\n".join(lines)


def main() -> None:
    from agent.bootstrap import build_intent_classifier

    classifier = build_intent_classifier()
    run(load_suite(), classifier=classifier)  # warm up (regexes, skills, places, exemplars)
    rules_only = run()
    outcomes = run(repeat=5, classifier=classifier)
    print(report(outcomes))  # noqa: T201
    print(f"(rules alone, without the exemplar fallback: "  # noqa: T201
          f"{sum(o.ok for o in rules_only)}/{len(rules_only)})")
    for o in outcomes:
        if not o.ok:
            print(f"MISS [{o.case['intent']}] {o.case['message'][:70]!r} -> {o.got}")  # noqa: T201


if __name__ == "__main__":
    main()
