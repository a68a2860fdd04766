"""When a recognised skill name is not used as a skill.

The extractor (:mod:`tools.skills`) finds names; these rules drop the uses that do not ask for or
show a skill: an area named in a team, benefit, industry or role ("our HR team", "private
healthcare", "Frontend Developer"), an area in a sentence in the employer's voice that asks
nothing of a candidate ("We keep things agile"), an organisation's unit ("Department of
Physics"), a company ("Company: Oracle", "Snowflake Inc."), and a spoken language used as an
adjective or as the language of the application ("the Danish Ministry", "apply in English").
Tuned on SkillSpan train (``tests/bench/skillspan_eval.py``).
"""

from __future__ import annotations

import re
from typing import Any

# A skill word after a name: "Go programming", "R packages", "Oracle DBs" (not an employer).
SKILL_WORD_AFTER = re.compile(
    r"^\s*(?:programming|language|lang\b|developers?|development|code|coding|scripts?|"
    r"programmers?|engineers?|librar\w+|packages?|stack|ecosystem|modules?)\b",
    re.I,
)
# A bullet or numbered list-item marker, alone before a name on its line.
BULLET = re.compile(r"[ \t]*(?:[-*•·▪◦‣–—>]|\d{1,2}[.)])[ \t]+")

# Words after an area or practice that make it a team, a benefit or a description of the
# employer rather than a skill: "our HR team", "Healthcare and Insurance Plans", "the financial
# services industry", "a major healthcare brand". Role names are _DESCRIPTIVE_NEXT below.
_NOT_SKILL_NEXT = re.compile(
    r"[ \t]*(?:teams?|departments?|plans?|schemes?|allowances?|industry|industries|sector|"
    r"brands?|firms?|companies|clients|customers|providers?)\b",
    re.I,
)
# Words after a broad area or practice ("Full Stack", "QA", "DevOps", "Fintech", "Agile",
# "Cloud") that make it part of a role name, the employer's business or offering rather than
# a skill asked for: "Frontend Developer", "QA engineers", "Site Reliability Engineer", "UX
# designers", "a Fintech startup", "cloud-based", "our Big Data solutions". ("an agile
# environment", "DevOps culture" stay: SkillSpan annotators mark about half of them.) Tuned on
# SkillSpan train (tests/bench/skillspan_eval.py), whose annotators mark neither job titles
# nor such descriptions. Technologies keep their title mentions ("Java Developer" is evidence
# of Java); titles are matched as occupations (tools/occupations.py).
_DESCRIPTIVE_NEXT = re.compile(
    r"(?:(?:[ \t]+|[ \t]*/[ \t]*)(?:(?:software|web|test|solutions?|systems?|platform|data|"
    r"application|mobile|ui|ux|automation)[ \t]+)?"
    r"(?:developers?|devs?|engineers?|designers?|experts?|managers?|leads?|specialists?|"
    r"analysts?|administrators?|architects?|testers?|consultants?|officers?|professionals?|"
    r"practitioners?|group|division|roles?|positions?|"
    r"start-?ups?|company(?![ \t]*size)|employers?|business(?:es)?|age|world|journey|"
    r"mindset|transformation|adoption|strategy|strategies|standards|initiatives?|reality|"
    r"solutions?|products?|offerings?|portfolio)\b"
    r"|-(?:based|first|native|like|driven)\b)",
    re.I,
)
# Broad areas read this way besides the domain/method categories.
_DESCRIPTIVE_IDS = frozenset({"cloud-computing"})
# Words before an area that make it a benefit ("private healthcare", "free English classes") or
# the employer's market ("a global leader in financial services").
_NOT_SKILL_BEFORE = re.compile(
    r"\b(?:private|dental|free|(?:leaders?|pioneers?|leading provider)[ \t]+in(?:[ \t]+the)?|"
    # the people one works with: "collaborating with QA" (not "partnered with": measured on
    # Livecareer, it hid real domain skills)
    r"collaborat\w*[ \t]+with(?:[ \t]+(?:the|our))?|"
    # an organisation's unit: "the Department of Physics", "Faculty of Economics"
    r"(?:department|faculty|school|institute|centre|center)[ \t]+(?:of|for))"
    r"[ \t]+$",
    re.I,
)
# Only areas and practices ("HR", "Healthcare", "Agile") are read this way; a technology before
# "team" ("the React team") is still a skill.
CONTEXT_CATEGORIES = frozenset({"domain", "method"})

# Spoken languages in the taxonomy (curated ids). A language name is not a language skill when
# it is an adjective ("the Danish Ministry", "the German market") or the language of the
# application ("apply in English", "a translation into English").
SPOKEN_LANGUAGES = frozenset({
    "english", "german", "french", "spanish", "dutch", "danish", "italian", "portuguese",
    "mandarin", "japanese", "swedish", "norwegian",
})
_LANGUAGE_NEXT = re.compile(
    r"[ \t]*(?:$|[^\w \t]|(?:and|or|as|at|in|is|are|to|on|for|with|would|will|both|also|"
    r"languages?|skills?|proficiency|proficient|fluency|fluent|speaking|speakers?|spoken|"
    r"written|writing|level|knowledge|communication|native|mother|verbal|oral|required|"
    r"preferred|essential|desirable|necessary|mandatory|plus|classes|courses?|lessons|"
    r"fluently|proficiently|well|verbally|orally|appreciated|welcome|advantageous|beneficial|"
    r"teaching|teacher|tuition|literature|linguistics|studies|translation|translator)\b)",
    re.I | re.M,
)
_APPLICATION_LANGUAGE = re.compile(
    r"\b(?:apply|applications?|submit\w*|attached|translat\w*|send|sent|publications?|"
    r"materials|documents?|cv|résumé|resume)\b[^.\n]{0,50}\b(?:in|into)[ \t]+$",
    re.I,
)
# Words before a language name that make it a language skill whatever follows ("spoken English
# Strong understanding of..." in text that lost its punctuation).
_LANGUAGE_BEFORE = re.compile(
    r"\b(?:speaks?|speaking|spoken|writes?|written|verbal|fluent|fluency|fluently|native|"
    r"proficien\w*|command|knowledge|skills|excellent|good|strong|business|in)"
    r"(?:[ \t]+(?:and|or|&|/)[ \t]+\w+)?[ \t]+(?:in[ \t]+|of[ \t]+)?$",
    re.I,
)


def _not_language_skill(text: str, start: int, end: int) -> bool:
    """A spoken-language name used as an adjective or as the language of the application."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 90) : start]
    if _APPLICATION_LANGUAGE.search(before):
        return True
    if _LANGUAGE_BEFORE.search(before[-40:]):
        return False
    return not _LANGUAGE_NEXT.match(text, end)


# An employer, not a skill: "Company: Oracle", "at Snowflake", "Snowflake Inc.", "join Docker".
_ORG_BEFORE = re.compile(
    r"(?:\b(?:company|employer|organi[sz]ation|client|hiring company)[ \t]*:[ \t]*|"
    r"(?<!good )(?<!great )(?<!expert )(?<!skilled )(?<!proficient )(?<!experienced )"
    r"\b(?:at|join|joining)[ \t]+|\bworks?[ \t]+for[ \t]+)$",
    re.I,
)
# Legal-form suffixes (case-sensitive: "as", "se", "co" are words) and hiring phrases.
_ORG_AFTER = re.compile(
    r",?[ \t]+(?:Inc|INC|Incorporated|Ltd|LTD|Limited|LLC|LLP|PLC|plc|GmbH|AG|SE|S\.A|SA|NV|"
    r"N\.V|BV|B\.V|A/S|ApS|AB|AS|ASA|Oy|Corp|Corporation)\b\.?|"
    r"(?:[ \t]+(?:Software|Technologies|Labs|Systems|Group))?[ \t]+(?:(?:is|are)[ \t]+"
    r"(?:hiring|looking|seeking|searching|recruiting)|(?:was|were)[ \t]+founded)\b",
)


def _employer(text: str, start: int, end: int) -> bool:
    """The name at text[start:end] names a company ("Company: Oracle", "Snowflake Inc.")."""
    if not text[start : start + 1].isupper():
        return False  # company names are capitalised; "at scale", "for python 3" are not
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(line_start, start - 30) : start]
    tail = before.rstrip(" \t").lower()
    if tail.endswith((":", "at", "join", "joining", "for")) and _ORG_BEFORE.search(before):
        # "at X" / "for X" name an employer unless a skill word follows ("at Oracle DBs")
        return not SKILL_WORD_AFTER.match(text, end, min(len(text), end + 30))
    return bool(_ORG_AFTER.match(text, end, min(len(text), end + 40)))


# A sentence about the employer ("We keep things agile", "our HR processes", "the next phase
# of our workflow automation") names areas the company works in, not what it asks of a
# candidate, unless it also says so ("we expect experience in Agile", "your knowledge of").
_EMPLOYER_VOICE = re.compile(r"\b(?:we|our|ours|us|we'(?:re|ve|ll)|we’(?:re|ve|ll))\b", re.I)
_CANDIDATE_CUE = re.compile(
    r"\b(?:experiences?|experienced|knowledge|knowledgeable|skills?|skilled|familiar\w*|"
    r"proficien\w*|understanding|expertise|expert|background|degrees?|you|your|you'\w+|"
    r"you’\w+|abilit\w+|able|plus|advantage\w*|required|requirements?|must|should|ideally|"
    r"preferably|preferred|candidates?|applicants?|qualifications?|competenc\w+|"
    r"exposure|solid|strong|good|excellent|hands-on|years?|"
    # the job rather than the company: "our team is looking for an accountant to support X"
    r"looking|seeking|hiring|join|roles?|positions?|responsib\w+)\b",
    re.I,
)
_VOICE_REACH = 100  # characters each side: run-on text without stops is not one sentence
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n")


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """Bounds of the sentence (or line) around text[start:end]."""
    lo = max(text.rfind("\n", 0, start), *(text.rfind(p, 0, start) for p in ". ! ?".split()))
    m = _SENTENCE_END.search(text, end)
    return lo + 1, m.start() if m else len(text)


def _about_employer(text: str, start: int, end: int) -> bool:
    """The mention is in a sentence in the employer's voice that asks nothing of a candidate."""
    lo, hi = _sentence(text, start, end)
    if BULLET.match(text, lo):
        return False  # a list item: a task or requirement ("- Improve our pipeline's X")
    near = max(lo, start - _VOICE_REACH), min(hi, end + _VOICE_REACH)
    return bool(_EMPLOYER_VOICE.search(text, *near)) and not _CANDIDATE_CUE.search(text, lo, hi)


def drop_non_skill_uses(
    text: str, found: list[list[Any]], *, areas: frozenset[str], role_names: bool = False
) -> list[list[Any]]:
    """Remove names used as a team, benefit, industry or employer rather than as a skill
    (and areas named in a role or description, unless `role_names`).

    `found` holds the extractor's candidates (``[start, end, skill_id, ...]``); `areas` the ids
    of skills in :data:`CONTEXT_CATEGORIES`.
    """
    out = []
    for c in found:
        start, end = c[0], c[1]
        if c[2] in areas or c[2] in _DESCRIPTIVE_IDS:
            line_start = text.rfind("\n", 0, start) + 1
            if (
                _NOT_SKILL_NEXT.match(text, end)
                or (not role_names and _DESCRIPTIVE_NEXT.match(text, end))
                or _NOT_SKILL_BEFORE.search(text, max(line_start, start - 32), start)
                or _about_employer(text, start, end)
            ):
                continue
        if _employer(text, start, end):
            continue
        if c[2] in SPOKEN_LANGUAGES and _not_language_skill(text, start, end):
            continue
        out.append(c)
    return out
