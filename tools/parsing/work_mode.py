"""Work mode: remote, hybrid or on-site. One vocabulary for what a posting states and what a
person asks for.

- ``detect_work_mode``: the mode a posting (or a search query) states, "fully remote", "2 days in
  office", "Workplace type: Hybrid", ignoring "remote" and "on-site" that are not about where the
  work is done ("remote access", "on-site gym").
- ``detect_wanted_work_mode``: the mode a person asks for in a message ("I want remote roles",
  "no on-site please", "I don't mind"): their refusals and "any" first, then the same reading
  as a posting's.
"""

from __future__ import annotations

import re

from tools.parsing.text import gate_open, gate_text, word_start_pattern
from tools.schemas import RemotePreference, WorkMode

_NEGATED_REMOTE = (
    r"\b(?:not|no|non|isn'?t|is\s+not|are\s+not|aren'?t|cannot|can'?t|without)"
    r"[\s-]+(?:a[\s-]+|fully[\s-]+|100%[\s-]+)?remote\b"
    r"|\bremote\s+(?:work\s+)?(?:is\s+)?(?:not\s+(?:possible|available|an\s+option|offered)"
    r"|unavailable)\b"
)
_NEGATED_REMOTE_RE = word_start_pattern(r"niacwr", _NEGATED_REMOTE)
_HYBRID = (
    r"\bhybrid\b|\b(?:\d|one|two|three|four)(?:\s*(?:-|to|or)\s*(?:\d|two|three|four))?\s*"
    r"days?\s*(?:a|per|/|each)?\s*(?:week\s*)?(?:in|at|from)\s+(?:the\s+|our\s+)?office\b"
    r"|\b(?:partly|partially|part[\s-]time)\s+remote\b|\bremote\s+(?:and|&|\+|/)\s*"
    r"(?:in[\s-])?office\b|\boffice\s+(?:and|&|\+|/)\s*remote\b|\bflexible\s+hybrid\b"
    r"|\bmix\s+of\s+(?:remote|office|home)"
    r"|\b(?:from\s+home|remote(?:ly)?)\s+(?:for\s+)?(?:up\s+to\s+)?(?:\d|one|two|three|four)"
    r"\s+days?\s+(?:a|per|each)\s+week\b|\b(?:\d|one|two|three|four)\s+days?\s+(?:a|per|each)"
    r"\s+week\s+(?:from\s+home|remote(?:ly)?)\b|\bin\s+(?:the\s+|our\s+)?office\s+(?:(?:\d|one|two"
    r"|three|four)\s+days?|twice|once)\s+(?:a|per|each)\s+week\b"
    # "to work onsite once per week", "on-site two days each week"
    r"|\bon[ -]?site\s+(?:(?:[1-4]|one|two|three|four)\s+(?:days?|times)|twice|once)"
    r"\s+(?:a|per|each)\s+week\b"
)
_HYBRID_RE = word_start_pattern(r"\dhotfprmi", _HYBRID)
#: "Hybrid" glued to the previous line's last word ("$25/hrHybrid schedule").
_GLUED_HYBRID_RE = re.compile(r"[a-z]Hybrid\b")
_ONSITE_RE = re.compile(
    r"(?i:\bon[\s-]?site\b|\bin[\s-](?:the[\s-])?office\b(?!\s*(?:365|suite|products|tools|"
    r"applications|apps))|\boffice[\s-]based\b|\bin[\s-]person\b|\bon[\s-]premises?\s+role\b)"
)
_REMOTE_MODE_RE = re.compile(r"(?i:\bremote(?:ly)?\b|\bwork\s+from\s+(?:home|anywhere)\b|\bwfh\b"
                             r"|\btelecommut\w*|\bdistributed[\s-]first\b|\bhome[\s-]based\b)")
#: "remote" that is not about where you work.
_REMOTE_NOISE_RE = re.compile(
    r"(?i:\bremote\s+(?:sensing|control|controls|access|desktop|server|servers|monitoring"
    r"|patient|patients|device|devices|debugging|procedure\s+call|repository|repo|branch"
    r"|teams?\s+management|management\s+of|support\s+(?:tools|sessions)|tools|hands"
    r"|locations?|sites?|areas?|villages?|communities|diagnostics?|troubleshooting"
    r"|connectivity|connections?|installations?|deposit|learning\s+(?:students|programs?))\b)"
)
#: "on-site" / "in person" that is a perk or an activity, not where the job is done.
_ONSITE_NOISE = (
    r"(?:\bremote\s*/\s*)?\bon[\s-]?site\s+(?:fitness|gym|parking|cafeteria|caf[eé]|childcare|child\s+care"
    r"|daycare|clinic|health|amenities|restaurant|dining|medical|wellness|laundry|interviews?"
    r"|visits?|training|support|audits?|inspections?|travel)\b"
    r"|\bin[\s-]person\s+(?:and|or|&|/)\s+(?:virtual|online|remote)\b"
    r"|\b(?:online|virtual(?:ly)?|live|remote(?:ly)?)\s*(?:,\s*)?(?:and|or|&|/)\s*in[\s-]person\b"
    r"|\bin[\s-]person\s+(?:[A-Za-z]+\s+)?(?:interviews?|events?|meetings?|visits?|trainings?"
    r"|sessions?|classes|chapters?|retreats?|workshops?|conferences?|interactions?"
    r"|engagements?|assistance)\b"
    r"|\baudiences?\s+in\s+person\b"
    r"|\bin[\s-]person\s*(?:,\s*)?(?:and\s+|or\s+)?(?:over|on|by|via)\s+(?:the\s+)?"
    r"(?:tele)?phone\b|\b(?:tele)?phone\s*(?:,\s*)?(?:or|and)?\s*in[\s-]person\b"
)
_ONSITE_NOISE_RE = word_start_pattern("rotvlaip", _ONSITE_NOISE)
_SENTENCE_END_RE = re.compile(r"[.;!?](?:\s|$)")
_MODE_TERM = (
    r"(?:remote|hybrid|on[\s-]?site|in[\s-]office|in[\s-]person|office[\s-]based"
    r"|work[\s-]from[\s-]home)"
)
_ROLE_SUBJECT = r"(?:this|the|your)\s+(?:role|position|job|opportunity|post|vacancy|work)"
#: Sentences that state where *this job* is done ("This position is remote", "This is a
#: hybrid role", "The role will be fully remote", "a remote-first company").
_ROLE_MODE = (
    rf"\b{_ROLE_SUBJECT}\s+(?:is|will\s+be|would\s+be|can\s+be|is\s+considered)"
    rf"\s+(?:an?\s+)?(?:(?:fully|100\s*%|entirely|completely|primarily|full[\s-]time"
    rf"|part[\s-]time|permanent|temporary)[\s,-]+(?:and\s+)?){{0,3}}{_MODE_TERM}\b"
    rf"|\b(?:this\s+is|it\s+is|is)\s+an?\s+(?:(?:fully|100\s*%|full[\s-]time|part[\s-]time"
    rf"|permanent|temporary|contract)[\s,-]+){{0,2}}{_MODE_TERM}\s+(?:[\w-]+\s+)?"
    rf"(?:role|position|job|opportunity|internship|contract)\b"
    rf"|\b(?P<first>remote[\s-]first)\b"
)
_ROLE_MODE_RE = word_start_pattern("tyir", _ROLE_MODE)
#: "fully remote", "100% remote", "entirely remote": a plain statement that the work is remote
#: (trips or events in person elsewhere in the posting do not make it hybrid).
_FULLY_REMOTE = (
    r"\b(?:fully|100\s*%|entirely|completely|totally|full[\s-]time)[\s-]+remote(?:ly)?\b"
)
_FULLY_REMOTE_RE = word_start_pattern("fect1", _FULLY_REMOTE)
#: Labelled lines ("Work Location: In person", "Workplace Type: Hybrid", "Location: Remote");
#: the value may sit on the next line.
_MODE_LABEL_RE = re.compile(
    r"(?im:^[ \t]*(?:work\s+location|workplace(?:\s+type)?|work\s+(?:arrangement|model"
    r"|setting|type|mode|style|environment)|remote\s+type|(?:job\s+)?location(?:\s+type)?"
    r"|remote\s+status|working\s+(?:arrangement|model|pattern)|(?:wfh|remote|hybrid)\s+policy)"
    r"[ \t]*\n?[ \t]*[:\-–][ \t]*\n?(?P<value>[^\n]{1,100}))"
)


def detect_work_mode(text: str) -> WorkMode | None:
    """remote / hybrid / onsite from phrases such as "fully remote", "2 days in office".

    A statement about the job itself wins over words elsewhere in a posting: a labelled line
    ("Work Location: In person" -> onsite, "Workplace type: Hybrid", "Location: Remote"), then
    a sentence ("This position is remote", "This is a hybrid role", "remote-first"). Without
    one, mode words anywhere decide (remote and on-site words together -> hybrid), ignoring
    "remote" / "on-site" that are not about the workplace ("remote access", "on-site gym").
    """
    if not text:
        return None
    low = gate_text(text)
    if gate_open(low, "remote", "hybrid", "site", "office", "person", "home"):
        stated = _stated_mode(text, low)
        if stated is not None:
            return stated
    return _mode_from_words(text)


def _stated_mode(text: str, low: str | None) -> WorkMode | None:
    """The mode a labelled line or a sentence about the role states, if any."""
    for m in _MODE_LABEL_RE.finditer(text):
        value = _SENTENCE_END_RE.split(m.group("value"), maxsplit=1)[0]
        mode = _mode_from_words(value)
        if mode is not None:
            return mode
    for m in _ROLE_MODE_RE.finditer(text):
        if m.group("first"):
            sentence = _sentence_around(text, m.start(), m.end())
            if _NEGATED_REMOTE_RE.search(sentence) is None and "hybrid" not in sentence.lower():
                return "remote"
            continue
        found = _mode_from_words(m.group(0))
        if found is not None:
            return found
    # "fully remote" beats on-site words elsewhere (trips, events), not a hybrid statement
    if not gate_open(low, "remote"):
        return None
    for m in _FULLY_REMOTE_RE.finditer(text):
        sentence = _sentence_around(text, m.start(), m.end())
        if _NEGATED_REMOTE_RE.search(sentence) is None and _HYBRID_RE.search(text) is None \
                and _GLUED_HYBRID_RE.search(text) is None:
            return "remote"
    return None


def _sentence_around(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(".", 0, start), text.rfind("\n", 0, start)) + 1
    hi = min(i for i in (text.find(".", end), text.find("\n", end), len(text)) if i >= 0)
    return text[lo:hi]


def _mode_from_words(text: str) -> WorkMode | None:
    if not text:
        return None
    low = gate_text(text)
    lowered = low if low is not None else text.lower()
    if "remote" not in lowered and "hybrid" not in lowered and "office" not in lowered \
            and "site" not in lowered and "home" not in lowered and "person" not in lowered \
            and "wfh" not in lowered and "telecommut" not in lowered \
            and "premise" not in lowered:
        return None
    # Each pattern only runs when a word it spells occurs. The replacements below (" onsite ",
    # " ") spell none of the gate words and cannot join words, so gating on `text` is exact.
    if gate_open(low, "hybrid", "office", "remote", "mix", "home", "onsite", "on-site", "on site") \
            and _HYBRID_RE.search(text):
        return "hybrid"
    if "hybrid" in lowered and _GLUED_HYBRID_RE.search(text):
        return "hybrid"
    stripped = text
    negated = False
    if gate_open(low, "remote"):
        stripped = _NEGATED_REMOTE_RE.sub(" onsite ", text)
        negated = stripped != text
        stripped = _REMOTE_NOISE_RE.sub(" ", stripped)
    if gate_open(low, "site", "person"):
        stripped = _ONSITE_NOISE_RE.sub(" ", stripped)
    remote = gate_open(low, "remote", "from", "wfh", "telecommut", "distributed", "home") \
        and _REMOTE_MODE_RE.search(stripped) is not None
    onsite = negated or (gate_open(low, "site", "office", "person", "premise")
                         and _ONSITE_RE.search(stripped) is not None)
    if remote and onsite:
        return "hybrid"
    if remote:
        return "remote"
    if onsite:
        return "onsite"
    return None


# --------------------------------------------------------------------------- a person's wish

#: "I don't mind", "any work mode", "remote or office", "either way".
_ANY_MODE_RE = re.compile(
    r"(?i:\b(?:don'?t (?:mind|care)|any (?:work ?mode|setup|arrangement)|open to anything"
    r"|remote or (?:office|on-?site)|either way|whatever)\b)"
)
#: A refusal of on-site work ("no on-site", "I don't want office-based jobs").
_NOT_ONSITE_RE = re.compile(
    r"(?i:\b(?:no|not|never|don'?t want|do not want|hate)\b[\w' ]{0,12}\b(?:on-?site"
    r"|in[- ]office|office[- ]based)\b)"
)
#: A refusal of remote work ("not remote", "I don't want to work from home").
_NOT_REMOTE_RE = re.compile(
    r"(?i:\b(?:no|not|non)[- ]remote\b|\bnot (?:fully )?remote\b"
    r"|\b(?:not|never|don'?t (?:want|like)|no)\b[\w' ]{0,16}\b(?:remote(?:ly)?|from home)\b)"
)
_HYBRID_WORD_RE = re.compile(r"(?i:\bhybrid\b)")


def detect_wanted_work_mode(text: str) -> RemotePreference | None:
    """The work mode a person asks for in `text`: "any" ("I don't mind", "remote or office"),
    "hybrid" when they refuse on-site work (hybrid and remote jobs stay), "onsite" (or "hybrid"
    with the word) when they refuse remote work, else the mode the words state, read as in a
    posting (``detect_work_mode``). None when no mode is named."""
    if not text:
        return None
    if _ANY_MODE_RE.search(text):
        return "any"
    if _NOT_ONSITE_RE.search(text):
        return "hybrid"
    if _NOT_REMOTE_RE.search(text):
        return "hybrid" if _HYBRID_WORD_RE.search(text) else "onsite"
    return detect_work_mode(text)
