"""A chat message that gives the user's own line for a role, for the offline model.

After a tailoring checklist asked "Show <skill> in a role: tell me where you used it and what
came of it", the user answers ``add to <role or company>: <sentence>`` ("add to Acme: Cut deploy
time 40% with Kubernetes"; also "add under …", "add this to …", "add a line to …"). The
addition is handed to ``tailor_cv`` as written (case kept): ``tools.tailoring.evidence`` checks
and places it. Only after a tailoring checklist or a tailored CV in the conversation
(:func:`route_addition`), and never for the user's lists ("add to my blocked list: Acme").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

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


#: The option id prefix of a request for the user's own line (tools.tailoring.evidence).
_EVIDENCE = "show_in_role"
#: Results after which "add to <role>: …" is an answer to the tailoring checklist.
_TAILORING = ("tailoring_options", "tailored_cv")
#: Targets that are lists of the user's settings, not roles ("add to my blocked list: Acme").
_NOT_A_ROLE = re.compile(r"\b(?:skills?|preferences?|blocked|block ?list|filters?|list|profile|"
                         r"watch ?list|searche?s?|digest|settings|favou?rites|shortlist)\b", re.I)


def route_addition(original: str, results: Sequence[Any]) -> dict[str, Any] | None:
    """``tailor_cv`` arguments when ``original`` gives the user's own line for a role after a
    tailoring checklist or a tailored CV in this conversation (``results``: its tool results,
    oldest first), else None."""
    last = next((r for r in reversed(results) if getattr(r, "kind", None) in _TAILORING), None)
    addition = match_addition(original) if last is not None else None
    if addition is None or _NOT_A_ROLE.search(addition.split(":", 1)[0]):
        return None
    args: dict[str, Any] = {"options": [], "additions": [addition]}
    job_id = (getattr(last, "args", None) or {}).get("job_id")
    if job_id:
        args["job_id"] = str(job_id)
    return args


def evidence_prompt(chosen: Sequence[str], checklist: dict[str, Any]) -> str | None:
    """When every option picked from a tailoring checklist (``checklist``: its result) is a
    request for the user's own line (``show_in_role:<skill>``), what to ask instead: a line
    cannot be applied without the user's words."""
    asks = [c for c in chosen if str(c).startswith(_EVIDENCE + ":")]
    if not asks or len(asks) != len(chosen):
        return None
    labels = {str(o.get("id")): o for o in checklist.get("options") or [] if isinstance(o, dict)}
    lines = []
    for c in asks:
        detail = str((labels.get(str(c)) or {}).get("detail") or "")
        lines.append(detail or f"Tell me where you used {c.split(':', 1)[1]} and what came of it.")
    lines.append("For example: “add to Acme: Cut deploy time 40% with Kubernetes” (your own "
                 "words: I add them as written, nothing for you).")
    return "\n".join(lines)
