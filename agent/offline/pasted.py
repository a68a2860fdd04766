"""Pasted text: a CV (save_cv) or a job posting (score_match / explain_gaps), told apart by
their marks (headings, dates, e-mail... or requirements, benefits, "we are looking for")."""

from __future__ import annotations

import re

from agent.offline.decisions import Call, Decision
from agent.offline.vocabulary import _CV_WORD_RE, _norm

_CV_HEADING_RE = re.compile(
    r"^\s*(?:work\s+|professional\s+|relevant\s+)?(?:experience|employment(?:\s+history)?"
    r"|career(?:\s+history|\s+summary)?|education(?:\s+and\s+training)?|skills|technical\s+"
    r"skills|core\s+(?:competencies|skills)|key\s+skills|competencies|certifications?"
    r"|languages|projects|publications|references|interests|profile|summary|professional\s+"
    r"summary|objective|achievements|training|volunteering)\s*:?\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_PHONE_RE = re.compile(r"(?:\+?\d[\d ()./-]{7,}\d)")
_DATE_RANGE_RE = re.compile(
    r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?(?:19|20)\d\d"
    r"\s*(?:-|–|—|to)\s*(?:(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
    r"\s+)?(?:19|20)\d\d|present|current|now|today)\b"
)
_CV_WORDS_RE = re.compile(
    r"\b(?:curriculum vitae|resume|résumé|linkedin\.com/in|github\.com/|bachelor|master of"
    r"|b\.?sc|m\.?sc|ph\.?d|university|graduated)\b"
)
#: (literals one of which must occur, pattern, weight): the literals skip most patterns cheaply.
_JOB_MARKERS: tuple[tuple[tuple[str, ...], re.Pattern[str], int], ...] = (
    (("looking", "searching", "hiring"),
     re.compile(r"\b(?:we are|we're|we are currently) (?:looking|searching|hiring)\b"), 3),
    (("responsib", "you'll do", "you will do", "your role"),
     re.compile(r"\bresponsibilit(?:y|ies)\b|\bwhat you(?:'ll| will) do\b|\byour role\b"), 2),
    (("requirement", "must", "looking for", "about you", "who you are", "ideal candidate"),
     re.compile(r"\brequirements\b|\bmust[- ]haves?\b|\bwhat we(?:'re| are) looking for\b"
                r"|\babout you\b|\bwho you are\b|\bthe ideal candidate\b"), 2),
    (("about ", "job description", "role overview"),
     re.compile(r"\babout (?:the role|the job|the position|us|the company|the team)\b"
                r"|\bjob description\b|\brole overview\b"), 2),
    (("you will", "you'll", "you have", "you bring"),
     re.compile(r"\byou will\b|\byou'll\b|\byou have\b|\byou bring\b"), 2),
    (("in this role", "be doing", "day to day", "in it for you", "report to", "visa", "hiring",
      "next challenge", "our team", "essential", "qualifications"),
     re.compile(r"\bin this role\b|\bwhat you(?:'ll| will) be doing\b|\bday to day\b"
                r"|\bwhat's in it for you\b|\byou(?:'ll| will) report to\b|\bvisa sponsorship\b"
                r"|\bhiring (?:process|manager|for)\b|\byour next challenge\b|\bour team\b"
                r"|\bessential (?:skills|requirements)\b|\b(?:minimum|basic) qualifications\b"), 2),
    (("nice", "preferred", "bonus", "desirable"),
     re.compile(r"\bnice[- ]to[- ]haves?\b|\bpreferred(?: qualifications)?\b|\bbonus points\b"
                r"|\bdesirable\b"), 1),
    (("benefit", "we offer", "why join", "perks"),
     re.compile(r"\bbenefits\b|\bwe offer\b|\bwhy join\b|\bperks\b|\bwhat we offer\b"), 2),
    (("salary", "compensation", "per annum", "per year", "a year", "equity"),
     re.compile(r"\bsalary\b|\bcompensation\b|\bper annum\b|\bper year\b|\ba year\b"
                r"|\bequity\b"), 1),
    (("apply", "equal opportunity", "join "),
     re.compile(r"\bhow to apply\b|\bapply (?:now|today|here|by)\b|\bequal opportunity\b"
                r"|\bjoin (?:our|us|the team)\b"), 2),
    (("time", "permanent", "contract role"),
     re.compile(r"\b(?:full|part)[- ]time\b|\bpermanent\b|\bcontract role\b"), 1),
    (("qualification", "required", "the candidate"),
     re.compile(r"\bqualifications\b|\brequired\b|\bthe candidate\b"), 1),
)
_PREAMBLE_RE = re.compile(
    r"\b(?:cv|resume|résumé|job|posting|role|position|vacancy|advert|ad|listing|fit|match"
    r"|score|missing|gaps?|here|this|my|check|analy[sz]e|rate|how)\b"
)
_PREAMBLE_GAPS_RE = re.compile(r"\bmissing\b|\bgaps?\b|\black\b|\bimprove\b|\bneed\b")


_MY_CV_RE = re.compile(
    r"\b(?:my|here(?:'s| is) (?:my|the)|this is (?:my|the)|attached) (?:updated |new |latest )?"
    r"(?:cv|resume|résumé|curriculum vitae)\b")


def _looks_pasted(text: str) -> bool:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    return len(text) >= 400 or (len(text) >= 160 and len(lines) >= 4)


def _split_preamble(text: str) -> tuple[str, str]:
    """("here is my CV:", body) when the first line is a short request; else ("", text)."""
    stripped = text.strip()
    first, sep, rest = stripped.partition("\n")
    if sep and len(first) <= 140 and rest.strip() and _PREAMBLE_RE.search(_norm(first)):
        lowered = _norm(first)
        if lowered.endswith((":", "?", "-", "—")) or len(lowered.split()) <= 12:
            return lowered, rest.strip()
    m = re.match(r"^(.{3,120}?[:?])\s+(\S.*)$", stripped, re.DOTALL)
    if m and _PREAMBLE_RE.search(_norm(m.group(1))) and "\n" not in m.group(1):
        return _norm(m.group(1)), m.group(2).strip()
    return "", stripped


#: Characters of a pasted text examined to tell a CV from a posting (their markers come early).
_SCAN = 6000


def _cv_signals(text: str) -> int:
    text = text[:_SCAN]
    low = text.lower()  # the patterns are lower-case: faster than re.IGNORECASE
    score = 2 * min(len(_CV_HEADING_RE.findall(text)), 4)
    score += 3 if _EMAIL_RE.search(text[:1500]) else 0
    score += 1 if _PHONE_RE.search(text[:1500]) else 0
    score += 2 * min(len(_DATE_RANGE_RE.findall(low)), 3)
    score += 2 * min(len(_CV_WORDS_RE.findall(low)), 2)
    return score


def _job_signals(text: str) -> int:
    low = text[:_SCAN].lower().replace("’", "'")
    return sum(weight for literals, rx, weight in _JOB_MARKERS
               if any(lit in low for lit in literals) and rx.search(low))


def _route_pasted(text: str) -> Decision | None:
    """A long pasted text: a CV (save_cv) or a job posting (score_match / explain_gaps)."""
    preamble, body = _split_preamble(text)
    wants_cv = bool(preamble) and (bool(_MY_CV_RE.search(preamble)) or bool(
        _CV_WORD_RE.search(preamble)) and not re.search(
        r"\b(?:job|posting|role|position|vacancy|fit)\b", preamble))
    wants_job = bool(preamble) and bool(re.search(
        r"\b(?:job|posting|role|position|vacancy|advert|listing|fit|match|score|missing|gaps?)\b",
        preamble))
    cv, job = _cv_signals(body), _job_signals(body)
    if wants_cv or (not wants_job and cv >= 4 and cv > job):
        return Call("save_cv", {"text": body})
    if wants_job or (job >= 3 and job >= cv):
        tool = "explain_gaps" if _PREAMBLE_GAPS_RE.search(preamble) else "score_match"
        return Call(tool, {"job_text": body})
    if cv >= 4:
        return Call("save_cv", {"text": body})
    return None


