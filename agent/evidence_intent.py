"""A chat message that gives the user's own line for a role, for the offline model.

After a tailoring checklist asked "Show <skill> in a role: tell me where you used it and what
came of it", the user answers ``add to <role or company>: <sentence>`` ("add to Acme: Cut deploy
time 40% with Kubernetes"; also "add under …", "add this to …", "add a line to …"). The
addition is handed to ``tailor_cv`` as written (case kept): ``tools.tailoring.evidence`` checks
and places it.
"""

from __future__ import annotations

import re

_ADD_RE = re.compile(
    r"^\s*(?:please\s+)?add\s+(?:this\s+|a\s+line\s+|a\s+bullet\s+|the\s+line\s+)?"
    r"(?:to|under|in|for)\s+(?:my\s+)?(?:role\s+(?:at\s+)?)?(?P<role>[^:\n]{1,120}?)\s*:"
    r"\s*(?P<sentence>\S.*)$",
    re.I | re.S,
)


def match_addition(original: str) -> str | None:
    """``"<role>: <sentence>"`` when ``original`` (the message as typed) adds a line to a role,
    else None."""
    m = _ADD_RE.match(original or "")
    if m is None:
        return None
    return f"{m.group('role').strip()}: {' '.join(m.group('sentence').split())}"
