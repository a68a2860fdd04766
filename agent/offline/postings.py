"""Is this message a pasted job posting, a bare link, or a question?

A posting may come in one paragraph or many lines, with or without headings, after a request
("how well do I fit this job?", "rate me for:", "here's a job:") or alone. A request alone
("how well do I fit the second one?") or a question ("which jobs have I applied to?") is never a
posting: the text after the request must itself read like a job (a role, requirements, skills,
pay, place), and without a request the bar is higher.

Pure and fast: regular expressions plus the skill and salary parsers of ``tools/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tools.parsing.salary import parse_salary
from tools.parsing.work_mode import detect_work_mode
from tools.skills import extract_skills

#: Shortest posting text accepted (the service refuses shorter ones too).
MIN_POSTING = 40

_JOB_WORDS = r"(?:job|role|position|posting|vacancy|opening|ad|advert|listing|offer|one)"
_THIS = r"(?:this|the following|that|the|a|this new|another|one more)"
#: Requests that announce a posting, at the start of the message.
_REQUEST_RE = re.compile(
    r"^(?:(?:hi|hey|hello|ok(?:ay)?|so|and|also|now|please|pls)\b[\s,!.]*)*"
    r"(?P<request>"
    r"how (?:well|good|closely) (?:do|would|will|can|am) i (?:fit|match|suit|do|score|stack up)"
    rf"(?:\s+(?:for|to|with|into|against|on|in))?(?:\s+{_THIS})?(?:\s+{_JOB_WORDS})?"
    rf"|(?:how good of? a|am i a(?:n)?|would i be a(?:n)?|is this a) (?:good |strong |decent )?"
    rf"(?:fit|match|candidate)(?:\s+for)?(?:\s+{_THIS})?(?:\s+{_JOB_WORDS})?(?:\s+for me)?"
    rf"|(?:do|would|could) i (?:fit|match|suit|qualify for)(?:\s+{_THIS})?(?:\s+{_JOB_WORDS})?"
    rf"|(?:please\s+)?(?:rate|score|grade|assess|evaluate|analy[sz]e|check|match) "
    rf"(?:me|my (?:cv|resume|profile|fit))(?:\s+(?:for|against|on|with|to))?(?:\s+{_THIS})?"
    rf"(?:\s+{_JOB_WORDS})?"
    rf"|(?:please\s+)?(?:rate|score|check|assess|evaluate|analy[sz]e|look at|what about"
    rf"|how about)\s+(?:{_THIS}\s+)?{_JOB_WORDS}"
    rf"|(?:here(?:'s| is| are)|this is|i found|found|i saw|i have|got|check out|look at)"
    rf"\s+(?:{_THIS}\s+)?(?:job|role|position|posting|vacancy|opening|job ad|ad|advert|listing"
    rf"|job description|jd|offer)s?(?:\s+(?:i (?:found|saw|like)|for you|for me))?"
    rf"|(?:what am i missing|what do i lack|what are my gaps|gaps|what'?s missing)"
    rf"(?:\s+(?:for|in|on))?(?:\s+{_THIS})?(?:\s+{_JOB_WORDS})?"
    rf"|(?:fit|score|match|rate)(?:\s+(?:for|against|on))?(?:\s+{_THIS})?(?:\s+{_JOB_WORDS})?"
    r")(?P<tail>\s*(?:[:?!.\-—–]+|\s)\s*)",
    re.IGNORECASE,
)
_GAPS_RE = re.compile(r"\bmissing\b|\black\b|\bgaps?\b|\bimprove\b", re.IGNORECASE)
_ROLE_RE = re.compile(
    r"\b(?:developer|engineer|programmer|manager|analyst|scientist|designer|nurse|accountant"
    r"|consultant|architect|administrator|admin|specialist|coordinator|director|lead|intern"
    r"|assistant|technician|officer|teacher|devops|sre|writer|marketer|recruiter|researcher"
    r"|representative|associate|executive|head of|vp|cto|cfo|tester|qa|support|agent|clerk"
    r"|therapist|pharmacist|physician|doctor|driver|electrician|mechanic|chef|cook|cashier"
    r"|accountant|bookkeeper|controller|auditor|lawyer|paralegal|editor|producer|owner"
    r"|strategist|planner|buyer|advisor|adviser|operator|supervisor|foreman|worker)s?\b",
    re.IGNORECASE)
_REQUIREMENT_RE = re.compile(
    r"\brequirements?\b|\brequired\b|\bmust[- ]haves?\b|\bnice[- ]to[- ]haves?\b|\bresponsibilit"
    r"|\bqualifications?\b|\bwe offer\b|\bbenefits\b|\bexperience (?:with|in)\b"
    r"|\b\d{1,2}\s*\+?\s*(?:-\s*\d{1,2}\s*)?(?:years?|yrs?)\b|\byou will\b|\byou'll\b"
    r"|\bwe are (?:looking|hiring|searching)\b|\bwe're (?:looking|hiring)\b|\bideal candidate\b"
    r"|\bpreferred\b|\bbonus\b|\bplus\b|\bdegree\b|\bfull[- ]time\b|\bpart[- ]time\b"
    r"|\bper (?:month|year|annum|hour)\b|\bsalary\b|\bcompensation\b|\bskills?:",
    re.IGNORECASE)
_AT_COMPANY_RE = re.compile(r"\b(?:at|@)\s+[A-Z][\w&.'-]*")
#: A message that is a request to search or a statement about the user, not a posting.
_NOT_ALONE_RE = re.compile(
    r"^(?:find|search|show|list|look|looking|get|give|any|are there|do you have|i\b|i'm|im\b"
    r"|i've|my\b|me\b|what|which|who|where|when|why|how|can|could|would|should|is|are|do|does"
    r"|please|tell|compare|tailor|remind|set|change|update|only|never|no\b|not\b|don't|stop)",
    re.IGNORECASE)
#: After a request: references to a job already shown, never a posting.
_REFERENCE_RE = re.compile(
    r"^(?:(?:the|that|this)\s+)?(?:(?:first|second|third|fourth|fifth|last|top|best|next"
    r"|\d{1,2}(?:st|nd|rd|th)?)\s*(?:one|job|role|match|posting)?|it|them|(?:job|#|number|no\.?)"
    r"\s*\d+|[\w-]+-\d+)\s*[?.!]*$",
    re.IGNORECASE)
_URL_RE = re.compile(r"https?://\S+|\bwww\.\S+", re.IGNORECASE)


@dataclass(frozen=True)
class Posting:
    """A posting found in a message: the text to score, and whether gaps were asked for."""

    text: str
    gaps: bool = False


def split_request(message: str) -> tuple[str, str]:
    """(request, rest) when the message starts with a request announcing a posting."""
    m = _REQUEST_RE.match(message.strip().replace("’", "'"))
    if not m:
        return "", message.strip()
    return m.group("request"), message.strip()[m.end():].strip()


def posting_signals(text: str) -> int:
    """How much a text reads like a job posting (0: not at all; 5 or more: clearly)."""
    head = text[:3000]
    score = 0
    if _ROLE_RE.search(head):
        score += 2
    score += 2 * min(len(_REQUIREMENT_RE.findall(head)), 3)
    n_skills = len({m.name for m in extract_skills(head, fuzzy=False, role_names=True)})
    score += 3 if n_skills >= 3 else (1 if n_skills else 0)
    if parse_salary(head) is not None:
        score += 1
    if _AT_COMPANY_RE.search(head):
        score += 1
    if detect_work_mode(head) is not None:
        score += 1
    return score


def find_posting(message: str) -> Posting | None:
    """The posting pasted in a message, or None when the message is not one."""
    text = message.strip()
    if len(text) < MIN_POSTING or only_link(text):
        return None
    request, rest = split_request(text)
    if request:
        if len(rest) < MIN_POSTING or _REFERENCE_RE.match(rest) or only_link(rest):
            return None
        if posting_signals(rest) >= 4 and (_ROLE_RE.search(rest) or _REQUIREMENT_RE.search(
                rest) or len(rest.split()) >= 12):
            return Posting(text=rest, gaps=bool(_GAPS_RE.search(request)))
        return None
    if _NOT_ALONE_RE.match(text) or len(text) < 60:
        return None
    signals = posting_signals(text)
    if signals >= 7 and _ROLE_RE.search(text) and _REQUIREMENT_RE.search(text):
        return Posting(text=text)
    return None


def only_link(message: str) -> bool:
    """Whether the message is a link and (almost) nothing else ("https://...", "see: URL")."""
    text = message.strip()
    m = _URL_RE.search(text)
    if not m:
        return False
    rest = _URL_RE.sub(" ", text)
    rest = _LINK_WORDS_RE.sub(" ", rest)
    return not _PUNCT_RE.sub("", rest)


_LINK_WORDS_RE = re.compile(
    r"(?i)\b(?:how (?:well )?do i fit|rate me for|score|check|this|job|posting|role"
    r"|here(?:'s| is)|what about|fit|for|me|please|the|a|link|url|i|found|one|and|how|well|do"
    r"|am|match|is|it|good)\b")
_PUNCT_RE = re.compile(r"[\s:?!.,\-—–()]+")


CANT_FETCH = (
    "I can't open web pages, so I can't read that link. Paste the posting's text here (all of "
    "it, or at least the title, requirements and location) and I'll score how well you fit it.")
