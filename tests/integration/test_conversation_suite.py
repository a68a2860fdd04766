"""The conversation suite (tests/fixtures/conversation/suite.jsonl, >= 300 user messages:
paraphrases, typos, short and long, pasted postings of many shapes, follow-ups with "it" and
"the second one") through the offline model's router, against the expected tool and arguments.
Accuracy per intent is printed (and written in the notes by tests/bench/conversation_suite.py).
"""

from __future__ import annotations

import pytest

from agent.bootstrap import build_intent_classifier
from tests.bench.conversation_suite import accuracy_by_intent, load_suite, report, run

#: What the suite must keep reaching; a change to the router that costs accuracy fails here.
MIN_OVERALL = 0.95
MIN_PER_INTENT = 0.6
#: Intents that must be right every time (the core of issue 11).
EXACT = ("score_posting", "gaps_posting", "link", "language", "application_event",
         "clear_preferences", "feedback", "forget", "paraphrase")


def test_the_suite_is_large_and_varied() -> None:
    cases = load_suite()
    assert len(cases) >= 300
    intents = {c["intent"] for c in cases}
    assert len(intents) >= 20
    assert sum(1 for c in cases if c.get("variant") == "typo") >= 30
    assert sum(1 for c in cases if "\n" in c["message"]) >= 10
    assert sum(1 for c in cases if c["context"] != "none") >= 40


@pytest.fixture(scope="module")
def classifier() -> object:
    found = build_intent_classifier()
    assert found is not None
    return found


def test_suite_accuracy(classifier: object) -> None:
    outcomes = run(classifier=classifier)
    print("\n" + report(outcomes))  # noqa: T201
    misses = [f"[{o.case['intent']}] {o.case['message'][:60]!r} -> {o.got}"
              for o in outcomes if not o.ok]
    by_intent = accuracy_by_intent(outcomes)
    for intent in EXACT:
        ok, n = by_intent[intent]
        assert ok == n, (intent, [m for m in misses if m.startswith(f"[{intent}]")])
    for intent, (ok, n) in by_intent.items():
        assert ok / n >= MIN_PER_INTENT, (intent, misses)
    total = sum(o.ok for o in outcomes) / len(outcomes)
    assert total >= MIN_OVERALL, misses


def test_a_question_is_never_taken_for_a_posting(classifier: object) -> None:
    for o in run([c for c in load_suite() if c["intent"] in ("not_posting", "applications_list",
                                                             "skills", "gaps", "score_ref")],
                 classifier=classifier):
        assert "job_text" not in o.got, (o.case["message"], o.got)
