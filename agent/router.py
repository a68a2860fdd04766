"""The offline chat model: a deterministic, rule-based stand-in for an LLM (a facade).

The model lives in the package :mod:`agent.offline`, one role per module: ``texts`` (help and
the tools it knows), ``conversation`` (what it reads from the history), ``vocabulary`` (the
intents' words), ``typos`` (typo tolerance), ``languages`` (other languages), ``postings`` and
``pasted`` (pasted postings and CVs), ``extraction`` and ``slots`` (places, salaries, dates,
companies...), ``targets`` (which job "it" is), ``intents`` (applications, skills, clearing
preferences), ``rules`` (the decision), ``render`` and ``answers`` (answers from tool
results), ``model`` (the LangChain chat model). This module re-exports what the rest of jobfit
imports (``OfflineChatModel``, ``route``, ``KNOWN_TOOLS``...).

:class:`OfflineChatModel` is a LangChain ``BaseChatModel``. Bound to jobfit's tools
(``bind_tools``), it reads the user's latest message and the earlier tool results in the
conversation, and either emits one tool call (``save_cv``, ``score_match``, ``search_jobs``...) or
answers directly (greetings, help, unknown requests). When the newest messages are the results of
its own call, it writes the answer from their JSON with templates: every number it shows comes
from a tool result. No network, no randomness, a few milliseconds per call.

Text pasted into the chat (a CV, a job posting) is data: it is classified as a whole and handed
to ``save_cv`` / ``score_match``; instructions written inside it are never followed.

What it understands (regular expressions and word lists, no ML):

- a pasted CV (headings, dates, e-mail...) -> ``save_cv``; a pasted posting (requirements,
  "we are looking for", benefits...) -> ``score_match(job_text=...)`` or ``explain_gaps``;
- jobs by id ("job 12", "sample-0-00042", a link), by position in the last list ("the second
  one", "#3", "number 3", "the 2nd", "the last one") or "it" (the job discussed last, found in
  the earlier tool results);
- filters: "remote", places (``tools.parsing.location``), salaries ("over 80k", "€80,000",
  "80-100k", "$120k+"), "posted this week" / "in the last 3 days";
- follow-ups: options after a tailoring list ("apply all", "use options 1 and 3", ids or
  label words), "yes" right after forget_me's confirmation request, "show more";
- lists kept by preferences (blocked companies, "also London") are read first with
  ``show_profile`` and extended, since a list given to ``update_preferences`` replaces it.
"""

from __future__ import annotations

from agent.offline.conversation import Conversation
from agent.offline.decisions import Call, Decision, Reply, ToolResult
from agent.offline.model import OfflineChatModel
from agent.offline.render import render_results
from agent.offline.rules import route
from agent.offline.targets import NeedsClarity
from agent.offline.texts import EXAMPLES, HELP, KNOWN_TOOLS, UNKNOWN

__all__ = [
    "EXAMPLES", "HELP", "KNOWN_TOOLS", "UNKNOWN", "Call", "Conversation", "Decision",
    "NeedsClarity", "OfflineChatModel", "Reply", "ToolResult", "render_results", "route",
]
