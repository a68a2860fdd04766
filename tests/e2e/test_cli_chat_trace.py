"""`jobfit chat --trace` with the issue 11 conversation: a one-paragraph posting, a preference
that filters, the application pipeline by company, and one JSON line per tool call on stderr
(no personal data)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.test_cli_chat import BACKEND_CV, chat, data_dir

__all__ = ["data_dir"]

POSTING = (
    "How well do I fit this job? Senior Java Developer at Acme, Tel Aviv (hybrid). Requirements:"
    " 5+ years Java, Spring Boot, REST APIs, PostgreSQL, Docker. Nice to have: Kafka. Salary "
    "30,000-40,000 ILS per month.")


def test_trace_of_the_issue_conversation(data_dir: Path) -> None:  # noqa: F811
    out = chat(data_dir, "tracy", f"/cv {BACKEND_CV}", POSTING, "find backend java jobs",
               "I applied to the first one", "I got an interview at Copperline Labs",
               "which jobs have I applied to?", "only remote jobs please",
               "show my best matches", "https://jobs.example.com/42",
               "Wie gut passe ich zur ersten Stelle?", args=("--trace",))
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "**Senior Java Developer** — Acme: **" in text and "Which job?" not in text
    assert "is now at the interview stage" in text and "Copperline Labs" in text
    assert "I can't open web pages" in text
    assert "English only" in text and "didn't understand" not in text

    trace = [json.loads(line) for line in out.stderr.splitlines() if line.startswith("{")]
    tools = [t["tool"] for t in trace]
    assert tools == ["score_match", "search_jobs", "record_feedback", "track_application",
                     "list_applications", "update_preferences", "match_jobs", "score_match"]
    assert all(set(t) == {"tool", "args", "ok"} for t in trace)
    assert trace[0]["args"] == {"job_text": f"<{len(POSTING) - len('How well do I fit this job? ')}"
                                            " chars>"} and trace[0]["ok"] is True
    assert trace[3]["args"] == {"status": "interviewing", "company": "Copperline Labs"}
    assert trace[3]["ok"] is True
    assert trace[-1] == {"tool": "score_match", "args": {"job_id": "https://jobs.example.com/42"},
                         "ok": False}
    assert "Spring Boot" not in out.stderr and "@example.com" not in out.stderr
