"""The offline model's fixed texts and the tools it knows."""

from __future__ import annotations

from agent.digest_intents import DIGEST_TOOLS

#: The tools this model knows how to call (agent/registry.py).
KNOWN_TOOLS = (
    "save_cv", "show_profile", "update_preferences", "search_jobs", "match_jobs", "score_match",
    "explain_gaps", "tailor_cv", "compare", "record_feedback", "forget_me",
    "track_application", "list_applications", "skills_to_learn",
    "rank_candidates", "compare_candidates", "open_candidate", "decide_candidate",
) + DIGEST_TOOLS

EXAMPLES = (
    '- paste your CV here (or use `/cv FILE` in the terminal)\n'
    '- "find me remote data jobs in Berlin over 80k"\n'
    '- "show my best matches", then "how well do I fit the second one?"\n'
    '- "what am I missing?" or "tailor my CV for it"'
)
HELP = (
    "I'm jobfit's offline assistant. I can read your CV, find and rank jobs, score how well you "
    "fit a job (with the reasons and the gaps), tailor your CV for a job, compare jobs, keep "
    "track of your applications and remember your preferences. Try:\n" + EXAMPLES
)
UNKNOWN = "Sorry, I didn't understand that. " + HELP

