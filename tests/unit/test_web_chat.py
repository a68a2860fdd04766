"""Web chat text: one answer once below a card, chat titles never from CV text (issue 13)."""

from __future__ import annotations

from pathlib import Path

from ui import web

ROOT = Path(__file__).resolve().parents[2]


def test_an_answer_below_a_card_keeps_only_its_hints() -> None:
    answer = ("Here's how well you fit Backend Engineer at Acme: **74/100** (B).\n"
              "- Skills 80 …\n- Experience 70 …\n\n"
              'Next: "what am I missing?" or "tailor my CV for it".')
    assert web.beyond_card(answer) == 'Next: "what am I missing?" or "tailor my CV for it".'
    options = ("Here's how I can tailor your CV for X:\n1. **Use the job's wording** …\n\n"
               'Reply "apply all", "use options 1 and 2", or "apply the recommended ones".')
    assert web.beyond_card(options).startswith('Reply "apply all"')
    # a CV summary (or a tailored CV) repeated as text: nothing is left to say
    assert web.beyond_card("Saved your CV (version 2).\n\n**Felix**, 9 years…") == ""


def test_chat_titles_never_carry_cv_text() -> None:
    cv = (ROOT / "store" / "samples" / "cvs" / "backend_engineer_senior.txt").read_text()
    assert web.thread_title(cv) == "Your CV"
    job = ("Senior Platform Engineer - Brightwater Cloud\nLocation: Remote (EU)\n\n"
           "Requirements\n- Kubernetes\n- PostgreSQL\n")
    assert web.thread_title(job) == "Job: Senior Platform Engineer - Brightwater Cloud"
    assert web.thread_title("What are my best matches?") == "What are my best matches?"
    short = web.thread_title("my email is felix@example.com, call +44 20 7946 0958")
    assert short is not None and "@" not in short and "7946" not in short
    # a file-only first message names nothing (the chat keeps "Files: …", set by the app)
    assert web.thread_title(None) is None and web.thread_title("  ") is None
    long_question = "how well do I fit " + "the backend job " * 10
    title = web.thread_title(long_question)
    assert title is not None and len(title) <= web.TITLE_CHARS
