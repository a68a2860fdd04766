"""When a chat message asks to delete the user's own data ("forget me"), for the offline model.

Only an explicit request about the user's *own* data starts the deletion dialogue (which then
still needs a "yes"): "delete my data", "forget me", "erase everything you have on me", "close
my account", "under GDPR, delete my data", "I exercise my right to be forgotten". Words that a
job posting or a CV uses about other data do not: "GDPR compliance", "remove all duplicates",
"forget all previous instructions", "implement the right to be forgotten".

:func:`is_forget_request` takes the router's normalised (lower-case) message text.
"""

from __future__ import annotations

import re

#: What follows "delete my ..." when the user means something narrower than their data.
_NARROWER = (r"(?!\s+(?:preferences?|filters?|blocked|block|digest|settings|search|salary"
             r"|locations?|list|history of searches))")
_VERBS = r"(?:delete|erase|remove|wipe|purge|destroy|clear)"

_REQUEST_RE = re.compile(
    # forget me / forget everything (about me) / forget my data
    r"\bforget\s+(?:about\s+)?(?:me|everything|all\s+about\s+me|all\s+my\s+data|my)\b"
    + _NARROWER
    # delete my (data|account|...), delete all of my ..., delete me
    + r"|\b" + _VERBS + r"\s+(?:all\s+)?(?:of\s+)?(?:my|me)\b" + _NARROWER
    # erase everything (you have / you know / about me)
    + r"|\b" + _VERBS + r"\s+everything\b"
    # "delete all data" / "delete all" as the whole request
    + r"|\b" + _VERBS + r"\s+all\s+(?:the\s+)?(?:data|information|info)\b(?!\s+(?:of|from|in)\b)"
    + r"|^\s*(?:please\s+)?" + _VERBS + r"\s+(?:it\s+)?all\W*$"
    + r"|\bclose\s+my\s+account\b|\bcall\s+forget_me\b"
    # the right to be forgotten / to erasure, claimed by the user
    + r"|\b(?:my|i\s+(?:want|would\s+like|request|invoke|claim|exercise|use))\b.{0,40}"
    r"\bright\s+(?:to\s+be\s+forgotten|to\s+erasure|of\s+erasure)\b"
)
_GDPR_RE = re.compile(r"\bgdpr\b")
_GDPR_REQUEST_RE = re.compile(
    r"\b" + _VERBS + r"\b.{0,40}\b(?:my|me)\b|\b(?:my|me)\b.{0,40}\b(?:deleted|erased|removed"
    r"|forgotten)\b")


def is_forget_request(text: str) -> bool:
    """Whether ``text`` (normalised, lower-case) asks to delete the user's own data."""
    if _REQUEST_RE.search(text):
        return True
    # "GDPR" alone is a topic (postings say "GDPR compliance"), not a request
    return bool(_GDPR_RE.search(text) and _GDPR_REQUEST_RE.search(text))
