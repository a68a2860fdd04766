"""Recruiter phrases for the offline chat model, and how their results are written.

:func:`route_recruiter` is called by the offline model (:mod:`agent.offline.rules`) before its
own intents; it returns a decision only for recruiter requests ("rank these CVs for this job",
"who fits job 3 best?", "compare C-1a2b3c and C-4d5e6f", "shortlist C-1a2b3c", "open C-1a2b3c"),
else None, so the job seeker's phrases ("compare the first two", "shortlist it") are left alone.
:data:`RENDERERS` writes the answers from the tool results' JSON.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tools.parsing.numbers import NUMBER_WORDS, ORDINAL_WORDS, number_words

if TYPE_CHECKING:
    from agent.offline.conversation import Conversation
    from agent.offline.decisions import Decision, ToolResult

#: Plural (a pile): "my CV" is the job seeker's own, "these CVs" the recruiter's pool.
_PEOPLE = r"(?:cvs|résumés|resumes|candidates?|applicants?|profiles|pool)"
_RANK_RE = re.compile(
    rf"\b(?:rank|sort|order|screen)\b.{{0,30}}\b{_PEOPLE}\b"
    rf"|\bwho\b.{{0,25}}\b(?:fits?|suits?|matches|is (?:the )?best|is strongest)\b"
    rf"|\b(?:best|top|strongest)\s+(?:\d+\s+)?(?:candidates?|applicants?|cvs?|resumes?)\b"
    rf"|\bwhich\s+(?:candidates?|applicants?|cvs?|resumes?)\b")
_LABEL_RE = re.compile(r"\bc-[0-9a-f]{6,64}\b", re.IGNORECASE)
_COMPARE_RE = re.compile(r"\b(?:compare|side by side|versus|vs\.?)\b")
_TOP_N_RE = re.compile(r"\b(?:top|first|best)\s+(two|three|four|five|[2-5])\b")
_OPEN_RE = re.compile(r"\b(?:open|reveal|unblind|unmask|who is|show me who|contact)\b")
_DECIDE_RE = re.compile(r"\b(shortlist(?:ed)?|reject(?:ed)?|interview|invite)\b")
_SEEKER_RE = re.compile(r"\b(?:fits?|suits?|match(?:es)?) me\b|\bfor me\b|\bam i\b"
                        r"|\bmy (?:cv|resume|résumé|profile)\b")
_NUMBERS = {w: NUMBER_WORDS[w] for w in number_words(2, 5)}
_NOTE_RE = re.compile(r"(?:[:\-–]|\bnote\b:?|\bbecause\b)\s*(.+)$", re.IGNORECASE)
_CANDIDATE_NUM_RE = re.compile(
    r"\b(?:candidate|applicant)\s*#?(\d{1,2})\b|\b(first|second|third|fourth|fifth)\s+"
    r"(?:candidate|applicant)\b")
_ORDINAL = {w: n for w, n in ORDINAL_WORDS.items() if n <= 5}


def _labels(original: str) -> list[str]:
    return list(dict.fromkeys("C-" + m.group()[2:].lower() for m in
                              _LABEL_RE.finditer(original)))


def _job_args(text: str, original: str, conv: Conversation, tool: str) -> dict[str, Any]:
    """The job: an id / position named in the message, else the job discussed last (router)."""
    from agent.offline.targets import _target

    cleaned = _LABEL_RE.sub(" ", text)
    cleaned = _CANDIDATE_NUM_RE.sub(" ", cleaned)
    cleaned = _TOP_N_RE.sub(" ", cleaned)
    return _target(cleaned, _LABEL_RE.sub(" ", original), conv, tool)


def _ranked_labels(conv: Conversation) -> list[str]:
    for r in reversed(conv.results):
        if r.kind == "candidate_ranking":
            return [str(c.get("cv_id")) for c in r.data.get("candidates") or []]
    return []


def _candidate_refs(text: str, original: str, conv: Conversation) -> list[str]:
    labels = _labels(original)
    if labels:
        return labels
    ranked = _ranked_labels(conv)
    out = []
    for m in _CANDIDATE_NUM_RE.finditer(text):
        n = int(m.group(1)) if m.group(1) else _ORDINAL[m.group(2)]
        out.append(ranked[n - 1] if 1 <= n <= len(ranked) else str(n))
    return out


def route_recruiter(text: str, original: str, conv: Conversation) -> Decision | None:
    """A recruiter request as a tool call, or None when the message is not one."""
    from agent.offline.decisions import Call

    if "\n" in original.strip() and len(original) > 200:
        first, _, rest = original.strip().partition("\n")
        if _RANK_RE.search(first.lower()) and rest.strip():
            return Call("rank_candidates", {"job_text": rest.strip()})
        return None
    labels = _labels(original)
    mentions_people = bool(re.search(rf"\b{_PEOPLE}\b", text)) and not re.search(
        r"\bmy (?:cvs|resumes|résumés|profiles)\b", text)
    if _OPEN_RE.search(text) and len(labels) == 1:
        return Call("open_candidate", {"candidate": labels[0]})
    decide = _DECIDE_RE.search(text)
    refs = _candidate_refs(text, original, conv)
    if decide and refs and not _COMPARE_RE.search(text):
        word = decide.group(1).lower()
        status = ("shortlist" if word.startswith("shortlist") else
                  "reject" if word.startswith("reject") else "interview")
        args: dict[str, Any] = {"candidate": refs[0], "status": status}
        note = _NOTE_RE.search(_LABEL_RE.sub(" ", original))
        if note and note.group(1).strip():
            args["note"] = note.group(1).strip()[:500]
        args |= _job_args(text, original, conv, "decide_candidate")
        return Call("decide_candidate", args)
    if _COMPARE_RE.search(text) and (len(refs) >= 2 or (mentions_people and _TOP_N_RE.search(
            text))):
        if len(refs) < 2:
            m = _TOP_N_RE.search(text)
            assert m is not None
            n = _NUMBERS.get(m.group(1)) or int(m.group(1))
            ranked = _ranked_labels(conv)
            refs = ranked[:n] if len(ranked) >= n else [str(i) for i in range(1, n + 1)]
        return Call("compare_candidates", {"candidates": refs[:5]}
                    | _job_args(text, original, conv, "compare_candidates"))
    if _RANK_RE.search(text) and (mentions_people or re.search(r"\bwho\b", text)) and not (
            _SEEKER_RE.search(text)):
        args = _job_args(text, original, conv, "rank_candidates")
        m = re.search(r"\b(?:top|best)\s+(\d{1,2})\b", text)
        if m:
            args["top"] = int(m.group(1))
        return Call("rank_candidates", args)
    return None


# --------------------------------------------------------------------------- answers


def _ranking(r: ToolResult, conv: Conversation) -> str:
    data = r.data
    rows = data.get("candidates") or []
    if not rows:
        return "Your candidate pool is empty."
    lines = [str(data.get("markdown") or "")]
    statuses = [f"{c['label']}: {c['status']}" for c in rows if c.get("status")]
    if statuses:
        lines.append("Your decisions for this job: " + ", ".join(statuses) + ".")
    lines.append('Next: "compare the top 3 candidates", "shortlist C-…", or "open C-…" to see '
                 "who a candidate is.")
    return "\n\n".join(x for x in lines if x)


def _comparison(r: ToolResult, conv: Conversation) -> str:
    return str(r.data.get("markdown") or "")


def _opened(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    contact = ", ".join(str(x) for x in (d.get("email"), d.get("phone")) if x)
    return (f"**{d.get('label')}** is **{d.get('name') or 'unnamed in the CV'}**"
            + (f" ({contact})" if contact else "") + ". Lists now show their name.")


def _status(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    note = f" Note: {d['note']}" if d.get("note") else ""
    return f"**{d.get('label')}** is now **{d.get('status')}** for this job.{note}"


def _pool_added(r: ToolResult, conv: Conversation) -> str:
    return pool_summary_text(r.data)


def pool_summary_text(d: dict[str, Any]) -> str:
    """The answer to a bulk add (also used by the web chat's upload handler)."""
    lines = [f"Added **{d.get('added', 0)}** CV(s) to your candidate pool "
             f"({d.get('duplicates', 0)} already there, {d.get('failed', 0)} failed); "
             f"**{d.get('pool_size', 0)}** candidates in your pool. Blind screening is on: "
             "candidates are shown under anonymous labels until you open one."]
    for err in (d.get("errors") or [])[:20]:
        lines.append(f"- {err.get('file')}: {err.get('reason')}")
    lines.append('Next: "who fits job 3 best?" or paste a posting after '
                 '"rank these CVs for this job:".')
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[ToolResult, Conversation], str]] = {
    "candidate_ranking": _ranking,
    "candidate_comparison": _comparison,
    "candidate_opened": _opened,
    "candidate_status": _status,
    "pool_added": _pool_added,
}
