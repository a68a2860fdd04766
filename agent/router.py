"""The offline chat model: a deterministic, rule-based stand-in for an LLM.

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

import json
import logging
import re
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    ToolCall,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.tools import BaseTool
from pydantic import Field

from agent.digest_intents import DIGEST_TOOLS, RENDERERS, route_digest
from tools.parsing.location import country_name, parse_location
from tools.parsing.salary import parse_salary

logger = logging.getLogger(__name__)

#: The tools this model knows how to call (agent/registry.py).
KNOWN_TOOLS = (
    "save_cv", "show_profile", "update_preferences", "search_jobs", "match_jobs", "score_match",
    "explain_gaps", "tailor_cv", "compare", "record_feedback", "forget_me",
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


# --------------------------------------------------------------------------- decisions


@dataclass(frozen=True)
class Call:
    """Call one tool with these arguments."""

    name: str
    args: dict[str, Any]


@dataclass(frozen=True)
class Reply:
    """Answer directly with this text."""

    text: str


Decision = Call | Reply


@dataclass(frozen=True)
class ToolResult:
    """One tool result found in the conversation, with the call that produced it."""

    name: str
    args: dict[str, Any]
    data: dict[str, Any]
    turn: int  # number of human messages before it

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))


class Conversation:
    """What the router needs from the message history."""

    def __init__(self, messages: Sequence[BaseMessage]) -> None:
        calls: dict[str, tuple[str, dict[str, Any]]] = {}
        self.results: list[ToolResult] = []
        self.turns = 0
        self.last_human = ""
        self.trailing: list[ToolResult] = []  # results after the last AI message
        for msg in messages:
            if isinstance(msg, HumanMessage):
                self.turns += 1
                self.last_human = msg.text
                self.trailing = []
            elif isinstance(msg, AIMessage):
                self.trailing = []
                for tc in msg.tool_calls:
                    calls[tc.get("id") or ""] = (tc["name"], dict(tc.get("args") or {}))
            elif isinstance(msg, ToolMessage):
                name, args = calls.get(msg.tool_call_id, (msg.name or "", {}))
                result = ToolResult(name or msg.name or "", args, _load(msg), self.turns)
                self.results.append(result)
                self.trailing.append(result)
        last = next((m for m in reversed(messages) if m.type != "system"), None)
        self.answering = isinstance(last, ToolMessage)

    @property
    def latest(self) -> ToolResult | None:
        return self.results[-1] if self.results else None

    def last_list(self) -> list[dict[str, Any]] | None:
        """The jobs of the most recent job list (positions refer to it)."""
        for r in reversed(self.results):
            if r.kind == "job_list":
                return [j for j in r.data.get("jobs") or [] if isinstance(j, dict)]
        return None

    def job_cards(self) -> Iterator[dict[str, Any]]:
        for r in reversed(self.results):
            job = r.data.get("job")
            if isinstance(job, dict):
                yield job
            for j in r.data.get("jobs") or []:
                if isinstance(j, dict):
                    yield j
            for row in r.data.get("rows") or []:
                if isinstance(row, dict) and isinstance(row.get("job"), dict):
                    yield row["job"]


def _load(msg: ToolMessage) -> dict[str, Any]:
    content = msg.content if isinstance(msg.content, str) else msg.text
    try:
        data = json.loads(content)
    except (TypeError, ValueError):
        return {"kind": "text", "text": str(content)}
    return data if isinstance(data, dict) else {"kind": "text", "text": str(content)}


# --------------------------------------------------------------------------- vocabulary

_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10,
}
_COUNTS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "both": 2,
}
_NUM = r"(?:\d{1,3}|two|three|four|five|six|seven|eight|nine|ten)"
_ORD_RE = re.compile(r"\b(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\b")
_ORD_NUM_RE = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b")
_HASH_RE = re.compile(r"(?:#\s?|\bnumber\s+|\bno\.?\s?|\bnr\.?\s?|\bposition\s+)(\d{1,3})\b")
_LAST_RE = re.compile(
    r"\b(?:the\s+)?(?:last|bottom)(?:\s+(?:one|job|role|posting))?\b"
    r"(?!\s+(?:\d|week|month|day|year|few|couple|hour|24|two|three|seven|fortnight))"
)
_TOP_RE = re.compile(r"\b(?:the\s+)?(?:top|best)\s+(?:one|job|match|result)\b")
_JOB_NUM_RE = re.compile(r"\b(?:job|posting|role|id|ref)s?\s*(?:id\s*)?(?:#\s?)?(\d{1,9})\b")
_EXT_ID_RE = re.compile(r"\b(?=[\w-]*\d)(?=[\w-]*[A-Za-z])[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+){1,5}\b")
_URL_RE = re.compile(r"https?://\S+")
_SALARYISH_RE = re.compile(r"^\d+(?:[-–]\d+)?k\+?$|^[a-z]{3}-?\d", re.IGNORECASE)
_FIRST_N_RE = re.compile(rf"\b(?:first|top|best|initial)\s+({_NUM})\b")
_LIST_NUMS_RE = re.compile(r"(?<![\w#$€£.,-])(\d{1,3})(?![\w%$€£.-]|,\d{3})")

_GREETING_RE = re.compile(
    r"^(?:hi|hello|hey|hiya|howdy|yo|hallo|good\s+(?:morning|afternoon|evening|day))\b"
    r"(?:\s+(?:there|jobfit|bot|again))?[\s!.,:)]*"
)
_THANKS_RE = re.compile(
    r"^(?:thanks?(?:\s+you)?(?:\s+(?:a lot|so much|very much))?|thx|ty|cheers|great|perfect"
    r"|awesome|cool|nice|ok(?:ay)?|got it|brilliant|excellent|wonderful|bye|goodbye)"
    r"(?:\s+(?:thanks|you|jobfit))*[\s!.,:)]*$"
)
_HELP_RE = re.compile(
    r"^(?:help|\?+|menu|commands|start|/help|/start|usage)[\s!.?]*$"
    r"|\bwhat (?:can|do|else can) you (?:do|help)|\bhow (?:does this|do you|do i use)"
    r"|\bwhat are you\b|\bwho are you\b|\bhelp me\b(?!\s+(?:find|with|tailor|search|apply))"
)
_FORGET_RE = re.compile(
    r"\bforget\s+(?:about\s+)?(?:me|everything|all|my)\b"
    r"(?!\s+(?:preferences?|filters?|blocked|block|digest|settings|search|salary|locations?))"
    r"|\b(?:delete|erase|remove|wipe|purge|destroy|clear)\s+(?:all\s+)?(?:of\s+)?"
    r"(?:my|me|everything|all)\b"
    r"(?!\s+(?:preferences?|filters?|blocked|block|digest|settings|search|salary|locations?))"
    r"(?:\s+(?:data|account|information|info|details|stuff|profile|history|cvs?|resumes?"
    r"|everything))?"
    r"|\bright to be forgotten\b|\bgdpr\b|\bclose my account\b|\bcall forget_me\b"
)
_YES_RE = re.compile(
    r"^\s*(?:yes|yeah|yep|yup|y|confirm(?:ed)?|i confirm|go ahead|do it|sure|absolutely"
    r"|delete (?:it|them|everything|all|my data))\b"
)
_NO_RE = re.compile(r"^\s*(?:no|nope|nah|cancel|stop|don'?t|do not|wait|keep|never ?mind)\b")
_NEGATED_RE = re.compile(r"\b(?:no|not|don'?t|do not|cancel|keep|wait|never)\b")
_PROFILE_RE = re.compile(
    r"\b(?:show|see|view|display|print|check)\s+(?:me\s+)?my\s+(?:profile|cv|resume|résumé"
    r"|preferences|settings|data|details|info)\b"
    r"|\bwhat do you (?:know|have|remember) (?:about|on) me\b|\bwho am i\b"
    r"|\bwhat did you (?:understand|get|read|learn|find)\b"
    r"|\bwhat (?:skills|experience|education) (?:did|do) you (?:find|see|have|know)\b"
    r"|\b(?:which|what) (?:cv|resume|résumé)s? (?:do|did) you (?:have|use|know)\b"
    r"|^(?:my\s+)?(?:profile|preferences|settings)\W*$|\bwhat(?:'s| is) in my (?:profile|cv)\b"
    r"|\bmy (?:current )?(?:profile|preferences)\b(?!\s+(?:to|is|are|:))"
)
_COMPARE_RE = re.compile(
    r"\b(?:compare|comparison|vs\.?|versus|side by side|which (?:one|job|of (?:them|these|"
    r"those))? ?is (?:better|best)|difference between|rank (?:them|these))\b"
)
_TAILOR_RE = re.compile(
    r"\btailor|\b(?:adapt|customi[sz]e|optimi[sz]e|rewrite|adjust|tweak|improve|fix|update"
    r"|polish|target|personali[sz]e)\s+(?:my\s+)?(?:cv|resume|résumé)\b"
)
_OPTIONS_ALL_RE = re.compile(
    r"\b(?:all|everything|every option|all of (?:them|it)|the lot|each)\b"
)
_OPTIONS_DEFAULT_RE = re.compile(r"\b(?:defaults?|recommended|suggested|your suggestions?)\b")
_OPTIONS_HINT_RE = re.compile(
    r"\b(?:apply|use|do|go with|take|pick|choose|select|option|options|yes|ok(?:ay)?|sure"
    r"|only|just|and)\b|^\s*[\d,\s&and]+$"
)
_FEEDBACK = (
    ("dismissed", re.compile(
        r"\bnot (?:really |that )?interest(?:ed|ing)\b|\bdismiss|\breject|\bskip\b|\bpass on\b"
        r"|\bno thanks\b|\bnot for me\b|\bnot a fit\b|\bhide (?:it|this|that|the)\b"
        r"|\bnot (?:relevant|my thing)\b")),
    ("applied", re.compile(
        r"\b(?:i(?:'ve| have)?|we|just|already)\s+(?:just\s+|already\s+)?applied\b"
        r"|\bapplied (?:to|for|at)\b|\bi(?:'m| am) applying\b"
        r"|\bsent (?:my|an|the) application\b|\bmark (?:it|this|that|\S+ one) as applied\b")),
    ("shortlisted", re.compile(
        r"\bshort-?list|\bsave (?:it|this|that|the|job|number|#|\d)|\bbookmark|\bstar (?:it|this)"
        r"|\bkeep (?:it|this|that|the)\b|\badd (?:it|this|that|the .{1,20}) to my (?:list|short)"
        r"|\bremember (?:it|this|that) (?:one|job)")),
    ("interested", re.compile(
        r"\b(?:i(?:'m| am)\s+)?interested in\b|\bi like (?:it|this|that|the)\b"
        r"|\bi(?:'ll| will| might| may) apply\b"
        r"|\b(?:sounds|looks) (?:interesting|good|great)\b|\bmark (?:it|this|that) as interest")),
)
_GAPS_RE = re.compile(
    r"\bmissing\b|\bgaps?\b|\black(?:ing|s)?\b|\bimprove\b|\bweak(?:ness(?:es)?|est)?\b"
    r"|\bwhat (?:do|would|should) i (?:need|learn|add|work on|change|do)\b"
    r"|\bholding me back\b|\bwhy (?:not|isn'?t it|is (?:my|the|it) score|so low|only)\b"
    r"|\bshort(?:fall|coming)s?\b|\bto close\b|\bbetter fit\b|\b(?:raise|increase|boost) my score"
    r"|\bwhat(?:'s| is) wrong\b|\bexplain (?:the )?(?:gaps|score)\b|\bdon'?t i have\b"
)
_MATCH_RE = re.compile(
    r"\bbest (?:matche?s?|jobs?|fits?|options|roles)\b|\btop (?:\d+ |ten |five |three )?"
    r"(?:matche?s?|jobs?|roles)\b|\bmy matches\b"
    r"|\b(?:jobs?|roles?|positions?|openings?) (?:for|that (?:fit|suit|match)|matching|suited to)"
    r" (?:me|my (?:cv|resume|profile|skills))\b"
    r"|\b(?:what|which) (?:jobs? |roles? )?(?:fits?|suits?|matche?s?) (?:me|my)\b|\brecommend"
    r"|\b(?:jobs?|roles?) (?:that )?(?:fits?|suits?|matche?s?) (?:me|my)\b"
    r"|\bmatch me\b|\bmatching (?:jobs|roles)\b|\bsuggest (?:some |a few )?(?:jobs|roles)\b"
    r"|\bwhere (?:do|would) i fit\b|\bwhat should i apply (?:to|for)\b|\bjobs i(?:'d| would) fit"
)
_SCORE_RE = re.compile(
    r"\bhow well\b|\bfit\b|\bfits\b|\bscore\b|\bmatch(?:es)? (?:for|with)\b|\brate\b|\bsuitab"
    r"|\bqualified\b|\bchances?\b|\bgood (?:match|fit|candidate)\b|\bright for me\b"
    r"|\bam i a (?:match|fit)\b|\bhow do i (?:compare|stack up|match|do)\b|\banaly[sz]e\b"
    r"|\bevaluate\b|\bassess\b|\bcheck (?:it|this|that|the|job|my fit)\b|\bmatch\b"
)
_SEARCH_VERB_RE = re.compile(
    r"\b(?:find|search|look(?:ing)? for|show(?: me)?|list|any|are there|get me|browse|hunt"
    r"|seek(?:ing)?|need|want|do you have|anything in|something in)\b"
)
_JOB_NOUN_RE = re.compile(
    r"\b(?:jobs?|roles?|positions?|openings?|vacanc(?:y|ies)|opportunit(?:y|ies)|gigs?"
    r"|postings?|posts|offers|careers?|work)\b"
)
_PREF_RE = re.compile(
    r"^(?:i\s+(?:only\s+|really\s+|would\s+)?(?:want|prefer|need|like)\b|i(?:'d| would) "
    r"(?:like|prefer|rather)\b|i(?:'m| am) (?:only )?(?:open to|interested in (?:remote|hybrid|"
    r"on-?site))|only\b|never\b|no more\b|please (?:only|never)\b|(?:also|add)\b"
    r"|i (?:do not|don'?t|never) (?:want|like)\b|(?:remote|hybrid|on-?site) only\b)"
    r"|\b(?:don'?t|do not|stop|never) (?:show|suggest|recommend|send)(?:ing)?\b|\bblock\b"
    r"|\bexclude\b|\bblacklist\b|\b(?:set|change|update) my\b|\bmy (?:minimum |min\.? )?salary"
    r"|\bminimum (?:salary|pay)\b|\bsalary (?:floor|minimum|of at least|at least|above|over)\b"
    r"|\b(?:daily|weekly|monthly) (?:digest|email|summary|update|round-?up)s?\b|\bdigest\b"
    r"|\bfrom now on\b|\bremember (?:that )?i\b|\bmy preference\b|\bno longer\b"
    r"|\bdon'?t mind\b|\bopen to (?:remote|hybrid|on-?site|anything|any)\b"
    r"|\b(?:email|send|notify|message|ping) me\b.*\b(?:every|each|daily|weekly|monthly)\b"
    r"|\bunblock\b|\bblocked\b|\bstop (?:hiding|blocking)\b"
    r"|^(?:you can |please |ok,? )?(?:allow|show me) .{1,40} again\b"
)
_CV_WORD_RE = re.compile(r"\b(?:cv|resume|résumé|curriculum vitae)\b")
_SAVE_CV_RE = re.compile(
    r"\b(?:upload|save|store|add|update|use|here(?:'s| is)|this is|attach(?:ed)?|take)\s+"
    r"(?:my\s+|a\s+|the\s+|new\s+|updated\s+)*(?:cv|resume|résumé)\b|\bmy new (?:cv|resume)\b"
)

_REMOTE_WORD_RE = re.compile(r"\b(?:remote(?:ly)?|work from home|wfh|home[- ]based|anywhere)\b")
_NOT_REMOTE_RE = re.compile(
    r"\b(?:no|not|non)[- ]remote\b|\bnot (?:fully )?remote\b"
    r"|\b(?:not|never|don'?t (?:want|like)|no)\b[\w' ]{0,16}\b(?:remote(?:ly)?|from home)\b"
)
_HYBRID_RE = re.compile(r"\bhybrid\b")
_ONSITE_RE = re.compile(r"\b(?:on-?site|in[- ](?:the[- ])?office|office[- ]based|in person)\b")
_ANY_MODE_RE = re.compile(
    r"\b(?:don'?t (?:mind|care)|any (?:work ?mode|setup|arrangement)|open to anything"
    r"|remote or (?:office|on-?site)|either way|whatever)\b"
)
_POSTED_RES: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], int]], ...] = (
    (re.compile(r"\b(?:last|past|previous)\s+(\d{1,3})\s+days?\b|\b(\d{1,3})\s+days?\s+(?:old|"
                r"ago)\b"), lambda m: int(m.group(1) or m.group(2))),
    (re.compile(r"\b(?:last|past|previous)\s+(\d{1,2})\s+weeks?\b"), lambda m: 7 * int(m.group(1))),
    (re.compile(r"\b(?:last|past|previous)\s+(?:two|2)\s+weeks\b|\bfortnight\b"), lambda m: 14),
    (re.compile(r"\btoday\b|\blast 24 ?h(?:ours)?\b|\bpast day\b|\byesterday\b"), lambda m: 1),
    (re.compile(r"\b(?:this|last|past|previous) week\b|\bweek old\b|\bnew this week\b"
                r"|\blast 7 days\b|\bpast 7 days\b"), lambda m: 7),
    (re.compile(r"\b(?:this|last|past|previous) month\b|\blast 30 days\b"), lambda m: 30),
)
_POSTED_WORD_RE = re.compile(
    r"\b(?:posted|published|listed|added|new|fresh|recent|from|within|in)?\s*(?:in\s+|within\s+)?"
    r"(?:the\s+)?(?:(?:last|past|previous|this)\s+(?:\d{1,3}\s+)?(?:days?|weeks?|months?"
    r"|24 ?h(?:ours)?)|today|yesterday|(?:\d{1,3})\s+days?\s+(?:old|ago)|fortnight)\b"
)
_FILLER = frozenset(
    """find me search look looking for show list any are there get browse hunt seek seeking
    some a an the please can could would you i i'm im am want need like to with in at near
    around based job jobs role roles position positions opening openings vacancy vacancies
    opportunity opportunities gig gigs posting postings posts offers career careers work
    remote remotely fully hybrid onsite on-site office only new recent fresh that which is
    of and or for me my lots few good nice cool hey hi hello also more other similar show
    posted published listed within days day weeks week months month last past this today
    over above least more than minimum min salary pay paying pays earning making paid
    plus starting upwards per year annually annual a year k currently now there's there is
    interesting anything something kind sort type types what where who get give tell
    from all of it them those these as do have got available open someone somebody person
    years experience better than current""".split()
)
_PREP_LOC_RE = re.compile(r"\b(?:in|near|around|based in|based|at|only|from|to|or|and|,)\s*$")
#: Never places in a request ("jobs in IT", "remote", "in sales").
_LOC_NEVER = frozenset(
    {"it", "me", "remote", "data", "sales", "design", "office", "home", "anywhere", "marketing",
     "hybrid", "tech", "finance", "health", "retail", "security", "support"}
)
#: Places only after "in", "near"... (otherwise ordinary words: "Reading jobs", "Nice one").
_LOC_STOP = frozenset(
    {"us", "reading", "nice", "mobile", "split", "sale", "florence", "orange", "victoria",
     "bath", "wells", "deal", "march", "may", "london ontario"}
)
_WORD_RE = re.compile(r"[A-Za-zÀ-ÿ][\w'.À-ÿ-]*")


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.lower().split())


# --------------------------------------------------------------------------- pasted text

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


# --------------------------------------------------------------------------- extraction


def _locations(original: str) -> list[str]:
    """Place names in a message ("in Berlin", "only London or Paris", "NYC"), canonical."""
    return [name for name, _ in _place_mentions(original)]


def _place_mentions(original: str) -> list[tuple[str, str]]:
    """(canonical name, words as typed) for each place named in a message."""
    words = list(_WORD_RE.finditer(original))
    found: list[tuple[str, str]] = []
    covered = -1
    for i, w in enumerate(words):
        if w.start() < covered:
            continue
        prep = bool(_PREP_LOC_RE.search(original[:w.start()].lower()))
        if w.group().lower() == "the" and prep:
            continue
        if not prep and original[:w.start()].lower().rstrip().endswith(" the"):
            prep = bool(_PREP_LOC_RE.search(original[:w.start()].lower().rstrip()[:-4]))
        for n in (3, 2, 1):
            chunk = words[i:i + n]
            if len(chunk) < n:
                continue
            if any(c.group().lower() in ("or", "and", "to", "in", "near", "only", "not")
                   for c in chunk[1:]):
                continue
            phrase = original[chunk[0].start():chunk[-1].end()].strip(".'")
            titled = all(c.group()[0].isupper() for c in chunk) and not (
                phrase.isupper() and len(phrase) <= 4)
            if not (prep or (titled and i > 0)):
                continue
            low = phrase.lower()
            if low in _LOC_NEVER or (low in _LOC_STOP or low in _FILLER) and not prep:
                continue
            if low == "us" and phrase != "US":
                continue
            loc = parse_location(phrase)
            if loc is None or not (loc.city or loc.country or loc.region):
                continue
            if loc.city:
                name = loc.city
            elif loc.country and not loc.region:
                name = country_name(loc.country) or phrase
            else:
                name = phrase if not phrase.islower() else phrase.title()
            if name not in [f for f, _ in found]:
                found.append((name, phrase))
            covered = chunk[-1].end()
            break
    return found


def _remove_locations(text: str, original: str) -> str:
    """The lower-cased text without the place phrases."""
    out = text
    for _, surface in _place_mentions(original):
        out = re.sub(rf"\b{re.escape(_norm(surface))}\b", " ", out)
    return out


def _salary(text: str) -> float | None:
    s = parse_salary(text)
    if s is None:
        return None
    value = s.min if s.min is not None else s.max
    if value is None or value < 1000:
        return None
    return float(value)


def _posted_days(text: str) -> int | None:
    for rx, days in _POSTED_RES:
        m = rx.search(text)
        if m:
            return days(m)
    return None


def _remote_mode(text: str) -> str | None:
    if _ANY_MODE_RE.search(text):
        return "any"
    if _NOT_REMOTE_RE.search(text):
        return "onsite" if not _HYBRID_RE.search(text) else "hybrid"
    if _REMOTE_WORD_RE.search(text):
        return "remote"
    if _HYBRID_RE.search(text):
        return "hybrid"
    if _ONSITE_RE.search(text):
        return "onsite"
    return None


def _k(text: str) -> int | None:
    m = re.search(rf"\b(?:top|best|first)\s+({_NUM})\b|\b({_NUM})\s+(?:best|top)\b", text)
    if not m:
        return None
    raw = m.group(1) or m.group(2)
    value = int(raw) if raw.isdigit() else _COUNTS.get(raw, 0)
    return value if 1 <= value <= 50 else None


def _filters(text: str, original: str, *, posted: bool = True) -> dict[str, Any]:
    args: dict[str, Any] = {}
    if _REMOTE_WORD_RE.search(text) and not _NOT_REMOTE_RE.search(text):
        args["remote_only"] = True
    places = _locations(original)
    if places:
        args["location"] = places[0]
    salary = _salary(original)
    if salary is not None:
        args["min_salary"] = salary
    if posted:
        days = _posted_days(text)
        if days is not None:
            args["posted_within_days"] = days
    return args


def _search_query(text: str, original: str) -> str:
    out = _remove_locations(text, original)
    s = parse_salary(original)
    if s is not None and s.raw:
        out = out.replace(s.raw.lower(), " ")
    out = _POSTED_WORD_RE.sub(" ", out)
    out = re.sub(r"[$€£]?\d[\d,.]*\s*k?\+?|\b\d+\b", " ", out)
    words = [w for w in re.findall(r"[a-z0-9+#][a-z0-9+#.'-]*", out) if w not in _FILLER]
    words = [w.strip(".'") for w in words if w.strip(".'")]
    if re.search(r"\bIT\b", original) and "it" not in words:
        words.insert(0, "IT")
    return " ".join(words)


# --------------------------------------------------------------------------- job targets


class NeedsClarity(Exception):
    """The message refers to a job the router cannot pin down; ask the user."""


def _ext_ids(original: str) -> list[str]:
    ids = []
    for m in _EXT_ID_RE.finditer(original):
        tok = m.group()
        if _SALARYISH_RE.match(tok) or re.fullmatch(r"\d+(?:[-–]\d+)+", tok):
            continue
        # "covid-19", "python-3", "top-10", "2x": words, not ids; "lever-83333218" is an id
        if re.fullmatch(r"(?i)\d+(?:st|nd|rd|th)|covid-19|\d+-\d+k?|[a-z]+-\d{1,3}x?", tok):
            continue
        ids.append(tok)
    return ids


def _stored_id(card: dict[str, Any]) -> str | None:
    """The id of a stored job's card; None for a pasted posting (not in the collection)."""
    job_id = card.get("job_id")
    if not job_id or not card.get("ref") or job_id == "pasted":
        return None
    return str(job_id)


def _referent(conv: Conversation, tool: str) -> dict[str, Any]:
    """The job "it" refers to: the last job discussed, as arguments for `tool`."""
    for r in reversed(conv.results):
        job = r.data.get("job")
        if r.kind in ("analysis", "gaps", "tailoring_options", "tailored_cv", "feedback") and (
                isinstance(job, dict)):
            stored = _stored_id(job)
            if stored is None:
                # a pasted posting: send it again where the tool takes text, else the tool
                # uses the posting discussed last (graph state)
                if tool in ("score_match", "explain_gaps") and r.args.get("job_text"):
                    return {"job_text": r.args["job_text"]}
                if tool == "link":
                    raise NeedsClarity("That posting was pasted here, so I have no link for it: "
                                       "apply where you found it.")
                return {}
            return {"job_id": stored}
        if r.kind == "job_list":
            jobs = r.data.get("jobs") or []
            if len(jobs) == 1:
                return {"position": 1}
            if not jobs:
                continue
            raise NeedsClarity(
                "Which job do you mean? Say \"the first one\", \"the 2nd one\" or a job id "
                "from the list.")
        if r.kind == "comparison":
            raise NeedsClarity(
                "Which job do you mean? Say \"the best one\" or refer to it by its position "
                "in your last list (\"the second one\").")
    return {}


def _target(text: str, original: str, conv: Conversation, tool: str) -> dict[str, Any]:
    """Job arguments for a single-job tool: an id, a position, or the job discussed last."""
    url = _URL_RE.search(original)
    if url:
        link = url.group().rstrip(").,")
        for card in conv.job_cards():
            if card.get("url") and str(card["url"]).rstrip("/") == link.rstrip("/"):
                return {"job_id": str(card["job_id"])}
        return {"job_id": link}  # the service knows the links of the jobs it stores
    listing = conv.last_list()
    ext = _ext_ids(_URL_RE.sub(" ", original))
    if ext:
        return {"job_id": ext[0]}
    m = _JOB_NUM_RE.search(text)
    if m:
        n = int(m.group(1))
        if listing is not None and 1 <= n <= len(listing) and not re.search(r"\bid\b", text):
            return {"position": n}
        return {"job_id": m.group(1)}
    pos = _single_position(text, conv)
    if pos is not None:
        return {"position": pos}
    if _TOP_RE.search(text):
        for r in reversed(conv.results):
            if r.kind == "comparison" and r.data.get("rows"):
                stored = _stored_id(r.data["rows"][0].get("job") or {})
                if stored is not None:
                    return {"job_id": stored}
            if r.kind == "job_list":
                return {"position": 1}
    return _referent(conv, tool)


def _single_position(text: str, conv: Conversation) -> int | None:
    m = _ORD_RE.search(text)
    if m and not re.search(rf"\b{m.group(1)}\s+(?:{_NUM}|time|place|step|thing)\b", text):
        return _ORDINALS[m.group(1)]
    m = _ORD_NUM_RE.search(text)
    if m:
        return int(m.group(1))
    m = _HASH_RE.search(text)
    if m:
        return int(m.group(1))
    if _LAST_RE.search(text):
        listing = conv.last_list()
        if listing:
            return len(listing)
        raise NeedsClarity("Which list do you mean? Ask for \"my best matches\" or a search first.")
    return None


def _positions(text: str, conv: Conversation) -> list[int]:
    """All positions mentioned, in order ("the first two", "1, 2 and 4", "second and last")."""
    m = _FIRST_N_RE.search(text)
    if m:
        raw = m.group(1)
        n = int(raw) if raw.isdigit() else _COUNTS[raw]
        return list(range(1, n + 1))
    found: list[tuple[int, int]] = []
    for m in _ORD_RE.finditer(text):
        found.append((m.start(), _ORDINALS[m.group(1)]))
    for m in _ORD_NUM_RE.finditer(text):
        found.append((m.start(), int(m.group(1))))
    for m in _HASH_RE.finditer(text):
        found.append((m.start(), int(m.group(1))))
    cleaned = _ORD_NUM_RE.sub(" ", _HASH_RE.sub(" ", text))
    for m in _LIST_NUMS_RE.finditer(cleaned):
        found.append((m.start(), int(m.group(1))))
    for m in _LAST_RE.finditer(text):
        listing = conv.last_list()
        if listing:
            found.append((m.start(), len(listing)))
    out: list[int] = []
    for _, n in sorted(found):
        if n not in out and n >= 1:
            out.append(n)
    return out


# --------------------------------------------------------------------------- intents


def route(messages: Sequence[BaseMessage], tools: Sequence[str]) -> Decision:
    """Decide what to do with the conversation: a tool call or a direct answer."""
    conv = Conversation(messages)
    if conv.answering:
        follow = _after_cv_saved(conv)
        if follow is not None and follow.name in tools:
            return follow
        stored = _profile_fetched(conv)
        if stored is not None:  # fetched to add to a stored list (see below)
            decision = _route_message(conv.last_human, conv)
            if isinstance(decision, Call) and decision.name == "update_preferences":
                return _merged(decision, stored, _norm(conv.last_human))
        return Reply(render_results(conv))
    decision = _route_message(conv.last_human, conv)
    if (isinstance(decision, Call) and decision.name == "update_preferences"
            and _adds_to_lists(decision, conv.last_human) and "show_profile" in tools):
        # a list given to update_preferences replaces the stored one: read it first
        return Call("show_profile", {})
    if isinstance(decision, Call) and decision.name not in tools:
        logger.info("offline model: tool %s is not bound", decision.name)
        return Reply("I can't do that in this chat. " + HELP)
    return decision


_ADD_RE = re.compile(r"\b(?:also|too|as well|add|plus|another|more)\b")


def _after_cv_saved(conv: Conversation) -> Call | None:
    """ "Here is my CV, what fits me?" + CV: after save_cv, the matches asked for."""
    if len(conv.trailing) != 1 or conv.trailing[0].kind != "cv_saved":
        return None
    preamble, _ = _split_preamble(conv.last_human)
    if preamble and _MATCH_RE.search(preamble) or re.search(
            r"\b(?:jobs?|roles?)\b.*\b(?:fit|suit|match)", preamble):
        return Call("match_jobs", _filters(preamble, preamble, posted=False))
    return None


def _adds_to_lists(decision: Call, text: str) -> bool:
    """Blocking a company, or "also London", adds to what is stored."""
    if decision.args.get("blocked_companies"):
        return True
    return bool({"locations", "desired_roles"} & set(decision.args)) and bool(
        _ADD_RE.search(_norm(text)))


def _profile_fetched(conv: Conversation) -> dict[str, Any] | None:
    """The stored preferences when the newest result is a profile read for this request."""
    if len(conv.trailing) != 1 or conv.trailing[0].kind != "profile":
        return None
    prefs = conv.trailing[0].data.get("preferences")
    return prefs if isinstance(prefs, dict) else None


def _merged(decision: Call, stored: dict[str, Any], text: str) -> Call:
    args = dict(decision.args)
    for key in ("blocked_companies", "locations", "desired_roles"):
        if key not in args or key != "blocked_companies" and not isinstance(stored.get(key), list):
            continue
        have = [str(x) for x in stored.get(key) or []]
        if key == "blocked_companies" and _UNBLOCK_RE.search(text):
            gone = {x.casefold() for x in args[key]}
            args[key] = [x for x in have if x.casefold() not in gone]
            continue
        seen = {x.casefold() for x in have}
        args[key] = have + [x for x in args[key] if x.casefold() not in seen]
    return Call("update_preferences", args)


_UNBLOCK_RE = re.compile(
    r"\bunblock|^(?:you can |please |ok,? )?(?:allow|show me) .{1,40} again\b"
    r"|^(?:please )?(?:don'?t|stop) (?:hiding|blocking|hide|block)\b")
_CLEAR_BLOCKED_RE = re.compile(
    r"\b(?:clear|reset|remove|delete|empty|wipe)\b.{0,20}\bblock(?:ed|list)?\b"
    r"|\bunblock (?:all|everyone|everything|every company|them all)\b")


def _route_message(original: str, conv: Conversation) -> Decision:
    original = original.strip()
    text = _norm(original)
    if not text:
        return Reply(HELP)
    latest = conv.latest

    # "yes" right after the confirmation request of forget_me
    # (a short message typed by the user: never a pasted document)
    if (latest is not None and latest.kind == "forget_confirm" and latest.turn == conv.turns - 1
            and len(text) <= 80 and "\n" not in original):
        if _YES_RE.match(text) and not _NEGATED_RE.search(text.split(",", 1)[-1] if "," in text
                                                          else text[4:]):
            return Call("forget_me", {"confirm": True})
        if _NO_RE.match(text):
            return Reply("OK, nothing was deleted. Your CV, matches and preferences are kept.")

    if _looks_pasted(original):
        pasted = _route_pasted(original)
        if pasted is not None:
            return pasted
        if sum(1 for line in original.splitlines() if line.strip()) >= 3:
            return Reply(
                "I couldn't tell whether that text is a CV or a job posting. Start your message "
                "with \"Here is my CV:\" or \"How well do I fit this job:\" and paste it again.")
        # one long paragraph without a document's marks: a request written at length

    greet = _GREETING_RE.match(text)
    if greet and greet.end() < len(text):
        text = text[greet.end():].strip()
        in_original = _GREETING_RE.match(original.lower().replace("’", "'"))
        original = original[in_original.end():].strip() if in_original else original
    elif greet:
        return Reply("Hi! " + HELP)
    if _THANKS_RE.match(text):
        return Reply("You're welcome! Anything else? For example:\n" + EXAMPLES)
    if _HELP_RE.search(text):
        return Reply(HELP)

    try:
        return _route_intent(text, original, conv)
    except NeedsClarity as e:
        return Reply(str(e))


def _route_intent(text: str, original: str, conv: Conversation) -> Decision:
    latest = conv.latest
    if _URL_RE.search(text):  # a link names a job; its words say nothing about the intent
        text = " ".join(_URL_RE.sub(" ", text).split()) + " (link)"
    if _FORGET_RE.search(text):
        return Call("forget_me", {"confirm": False})
    digest = route_digest(text, original)  # agent/digest_intents.py
    if digest is not None:
        return Call(*digest)

    if latest is not None and latest.kind == "tailoring_options":
        chosen = _chosen_options(text, latest)
        if chosen is not None:
            args: dict[str, Any] = {"options": chosen}
            stored = _stored_id(latest.data.get("job") or {})
            if stored is not None:
                args["job_id"] = stored
            elif latest.args.get("job_id"):
                args["job_id"] = str(latest.args["job_id"])
            # else a pasted posting: the tool uses the one discussed last
            return Call("tailor_cv", args)

    if _PROFILE_RE.search(text) and not re.search(r"\b(?:set|change|update)\b", text):
        return Call("show_profile", {})
    if _SAVE_CV_RE.search(text) and not _TAILOR_RE.search(text):
        return Reply(
            "Paste your CV's text here (or use `/cv FILE` in the terminal, or the upload button "
            "in the web chat) and I'll read it.")
    two_named = "better than" in text and (
        len(_positions(text, conv)) >= 2 or len(_ext_ids(original)) >= 2)
    my_cvs = _MY_CVS_RE.search(text) and re.search(
        r"\b(?:better|best|fits?|compare|stronger)\b", text)
    if _COMPARE_RE.search(text) or two_named or my_cvs:
        return _compare(text, original, conv)
    if _TAILOR_RE.search(text):
        return Call("tailor_cv", _target(text, original, conv, "tailor_cv"))
    if _LINK_RE.search(text):
        return _link(text, original, conv)
    for status, rx in _FEEDBACK:
        if rx.search(text):
            decision = _feedback(status, text, original, conv)
            if decision is not None:
                return decision
    explicit = _explicit_target(text, original)
    if _GAPS_RE.search(text) and not _MATCH_RE.search(text):
        return Call("explain_gaps", _target(text, original, conv, "explain_gaps"))
    if _MORE_RE.match(text):
        return _more(conv)
    if _MATCH_RE.search(text) and not explicit:
        args = _filters(text, original, posted=False)
        k = _k(text)
        if k is not None:
            args["k"] = k
        return Call("match_jobs", args)
    if _SCORE_RE.search(text) and (explicit or not _JOB_NOUN_RE.search(text)
                                   or re.search(r"\b(?:this|that|the) (?:job|role|one)\b", text)):
        return Call("score_match", _target(text, original, conv, "score_match"))
    if _PREF_RE.search(text) and not re.search(
            r"(?<!never )(?<!don't )(?<!not )(?<!stop )\b(?:find|search|look(?:ing)? for|show me"
            r"|browse)\b(?!.{1,40} again\b)|^list\b", text):
        prefs = _preferences(text, original)
        if prefs:
            return Call("update_preferences", prefs)
    if _SEARCH_START_RE.match(text) and _search_query(text, original):
        return _search(text, original)
    if (_JOB_NOUN_RE.search(text) and not _MY_JOB_RE.search(text)) or _SEARCH_VERB_RE.search(
            text) and (_locations(original) or _salary(original) or _REMOTE_WORD_RE.search(text)):
        return _search(text, original)
    if explicit:
        return Call("score_match", _target(text, original, conv, "score_match"))
    if _CV_WORD_RE.search(text):
        return Reply(
            "Paste your CV's text here and I'll read it, or ask \"show my profile\" to see what "
            "I know.")
    return Reply(UNKNOWN)


_MY_JOB_RE = re.compile(r"\bmy (?:current |last |old |present |own )?(?:job|role|position|work"
                        r"|career|boss|team)\b")
_MORE_RE = re.compile(
    r"^(?:please\s+)?(?:show|see|load|give|get|list)?\s*(?:me\s+)?(?:some\s+)?more"
    r"(?:\s+(?:results|jobs|matches|of them|options))?(?:\s+please)?[\s!.?]*$"
    r"|^next(?:\s+page)?[\s!.?]*$"
)
_SEARCH_START_RE = re.compile(
    r"^(?:please\s+|can you\s+|could you\s+)?(?:find|search|look(?:ing)? for|show me|get me"
    r"|browse|do you have|have you got|any(?:thing)?)\b"
)


def _more(conv: Conversation) -> Decision:
    """ "show more": the last list again, longer."""
    for r in reversed(conv.results):
        if r.kind == "job_list" and r.name in ("search_jobs", "match_jobs"):
            shown = len(r.data.get("jobs") or [])
            if shown < int(r.args.get("k") or 10):
                return Reply("That was everything I found. Try other words or fewer filters.")
            return Call(r.name, {**r.args, "k": min(shown + 10, 25)})
    return Reply("More of what? Ask for \"my best matches\" or a search first.")


_LINK_RE = re.compile(
    r"^(?:how (?:do|can|should) i |can i |let me |i want to |i'd like to )?apply (?:to|for|at)\b"
    r"|\bwhere (?:do|can) i apply\b|\b(?:application|job|posting) (?:link|url|page)\b"
    r"|\b(?:link|url) (?:to|for|of)\b|\bopen (?:it|the (?:job|posting|link))\b"
)


def _link(text: str, original: str, conv: Conversation) -> Decision:
    """Where to apply: the job's own link, from the cards already shown."""
    target = _target(text, original, conv, "link")
    card: dict[str, Any] | None = None
    if "position" in target:
        listing = conv.last_list() or []
        if 1 <= target["position"] <= len(listing):
            card = listing[target["position"] - 1]
    elif "job_id" in target:
        card = next((c for c in conv.job_cards() if str(c.get("job_id")) == target["job_id"]),
                    None)
    if card is None:
        return Reply("Which job? Pick one from a list (\"the link to the first one\") or a job "
                     "I've scored.")
    if not card.get("url"):
        return Reply(f"I have no link for {_job_title(card)}; search for it on "
                     f"{card.get('company') or 'the company'}'s careers page.")
    return Reply(f"Apply for {_job_title(card)} here: {card['url']}\n\nTell me \"I applied to "
                 "it\" when you have, and I'll keep track.")


def _explicit_target(text: str, original: str) -> bool:
    return bool(_ext_ids(_URL_RE.sub(" ", original)) or _JOB_NUM_RE.search(text)
                or _ORD_RE.search(text) or _ORD_NUM_RE.search(text) or _HASH_RE.search(text)
                or re.search(r"\b(?:the\s+)?last\s+one\b", text)
                or _URL_RE.search(original))


def _chosen_options(text: str, options_result: ToolResult) -> list[str] | None:
    """Options picked after a tailoring_options list, or None when the message is not a pick."""
    options = [o for o in options_result.data.get("options") or [] if isinstance(o, dict)]
    ids = [str(o.get("id")) for o in options if o.get("id")]
    spaced = re.sub(r"[_-]", " ", text.replace("emphasiz", "emphasis"))
    words = re.findall(r"[a-z]+", spaced)
    named = [i for i in ids if i.lower() in text or i.lower().replace("_", " ") in spaced
             or any(len(part) >= 4 and part not in ("with", "from", "more", "your")
                    and any(w.startswith(part[:6]) for w in words)
                    for part in re.split(r"[_-]", i.lower().replace("emphasiz", "emphasis")))]
    if named:
        return named
    for o in options:
        label = _norm(str(o.get("label") or ""))
        if label and len(label) > 6 and label in text and o.get("id"):
            named.append(str(o["id"]))
    if named:
        return named
    if not _OPTIONS_HINT_RE.search(text) and not _OPTIONS_ALL_RE.search(text):
        return None
    if re.search(r"\b(?:none|nothing|no options)\b", text):
        return None
    if _OPTIONS_DEFAULT_RE.search(text):
        defaults = [str(o["id"]) for o in options if o.get("default") and o.get("id")]
        return defaults or ["all"]
    if _OPTIONS_ALL_RE.search(text) and not re.search(r"\bbut\b|\bexcept\b", text):
        return ["all"]
    nums = [int(n) for n in re.findall(r"\b(\d{1,2})\b", text)]
    nums += [_ORDINALS[w] for w in _ORD_RE.findall(text)]
    chosen = [ids[n - 1] for n in dict.fromkeys(nums) if 1 <= n <= len(ids)]
    if re.search(r"\b(?:all )?(?:but|except)\b", text) and nums:
        chosen = [i for k, i in enumerate(ids, 1) if k not in nums]
    if chosen:
        return chosen
    if re.fullmatch(r"(?:yes|ok(?:ay)?|sure|go|do it|apply(?: them| it)?|yes please)[\s!.]*", text):
        return ["all"]
    return None


_MY_CVS_RE = re.compile(r"\bmy (?:\w+ )?(?:cvs|resumes|résumés|versions|cv versions)\b"
                        r"|\b(?:which|what) (?:of my )?(?:cv|resume|version)\b")


def _compare(text: str, original: str, conv: Conversation) -> Decision:
    if _MY_CVS_RE.search(text):  # several of the user's CVs for one job
        target = _target(text, original, conv, "compare")
        if "position" in target:
            target = {"positions": [target.pop("position")]}
        elif "job_id" in target:
            target = {"job_ids": [target.pop("job_id")]}
        return Call("compare", {**target, "cv_ids": []})
    ext = _ext_ids(_URL_RE.sub(" ", original))
    if len(ext) >= 2:
        return Call("compare", {"job_ids": ext})
    listing = conv.last_list()
    if re.search(r"\b(?:them|these|those|all)\b", text) and not _FIRST_N_RE.search(text) and (
            not re.search(r"\d|first|second|third|fourth|fifth|last", text)):
        if listing and len(listing) >= 2:
            if re.search(r"\b(?:these|those) two\b|\bboth\b", text):
                return Call("compare", {"positions": [1, 2]})
            return Call("compare", {"positions": list(range(1, min(len(listing), 5) + 1))})
    positions = _positions(text, conv)
    if len(positions) >= 2:
        if listing is None or any(p > len(listing) for p in positions):
            if not (_ORD_RE.search(text) or _FIRST_N_RE.search(text)):
                return Call("compare", {"job_ids": [str(p) for p in positions]})
        return Call("compare", {"positions": positions})
    if listing and len(listing) >= 2:
        return Reply(
            "Which jobs should I compare? For example \"compare the first two\" or "
            "\"compare 1, 3 and 4\".")
    return Reply(
        "Which jobs should I compare? Ask for \"my best matches\" or a search first, then say "
        "\"compare the first two\".")


def _feedback(status: str, text: str, original: str, conv: Conversation) -> Decision | None:
    explicit = _explicit_target(text, original) or re.search(
        r"\b(?:it|this|that)(?: one| job| role)?\b", text)
    if status == "dismissed" and not explicit:
        companies = _companies_after(original, r"not (?:really )?interested in|dismiss|reject|"
                                     r"skip|pass on")
        if companies:
            return Call("update_preferences", {"blocked_companies": companies})
    if status == "interested" and not explicit:
        return None
    if status == "shortlisted" and not explicit and not conv.results:
        return None
    args: dict[str, Any] = {"status": status}
    m = re.search(r"\b(?:to|for|on|in|at)\s+(\d{1,3})\b", text)
    listing = conv.last_list()
    if m and listing is not None and int(m.group(1)) <= len(listing) and not _JOB_NUM_RE.search(
            text):
        args["position"] = int(m.group(1))
    else:
        args.update(_target(text, original, conv, "record_feedback"))
    return Call("record_feedback", args)


def _companies_after(original: str, trigger: str) -> list[str]:
    m = re.search(rf"(?i)\b(?:{trigger})\s+(?:me\s+)?(?:any\s+)?(?:more\s+)?(?:jobs?|roles?|"
                  r"anything|postings?|offers?|ads?)?\s*(?:from|at|by|with)?\s*(.+)$", original)
    if not m:
        return []
    rest = re.split(r"[.!?;]", m.group(1))[0]
    out = []
    for part in re.split(r",|\band\b|\bor\b|&", rest):
        words = [w for w in part.split() if w.lower() not in (
            "again", "anymore", "please", "ever", "jobs", "roles", "postings", "the", "company",
            "companies", "me", "any", "more")]
        name = " ".join(words).strip(" '\"")
        if name and name[0].isalpha() and name[0].isupper() and len(name) <= 60:
            out.append(name)
    return out


def _preferences(text: str, original: str) -> dict[str, Any]:
    prefs: dict[str, Any] = {}
    if _CLEAR_BLOCKED_RE.search(text):
        return {"blocked_companies": []}
    if _UNBLOCK_RE.search(text):
        names = _companies_after(original, r"unblock|allow|show me|(?:don'?t|stop) (?:hiding|"
                                 r"blocking|hide|block)")
        names = [re.sub(r"(?i)\s+again$", "", n) for n in names]
        return {"blocked_companies": names} if names else {}
    blocked = _companies_after(
        original, r"never show(?: me)?|don'?t show(?: me)?|do not show(?: me)?|stop showing"
        r"(?: me)?|no more(?: jobs from)?|block|blacklist|exclude|hide|don'?t (?:suggest|"
        r"recommend)|do not (?:suggest|recommend)|never (?:suggest|recommend)")
    if blocked:
        prefs["blocked_companies"] = blocked
    mode = _remote_mode(text)
    if mode is not None:
        prefs["remote"] = mode
    if not blocked:
        places = _locations(original)
        if places:
            prefs["locations"] = places
    salary = _salary(original)
    if salary is not None:
        prefs["salary_floor"] = salary
    if re.search(r"\bdigest|\b(?:daily|weekly|monthly) (?:email|summary|update|round-?up)"
                 r"|\b(?:email|send|notify|message|ping) me\b.*\b(?:every|each|daily|weekly"
                 r"|monthly)\b", text):
        if re.search(r"\b(?:no|stop|cancel|unsubscribe|turn off|disable|don'?t)\b", text):
            prefs["digest_schedule"] = "off"
        else:
            freq = next((f for f, rx in (
                ("weekly", r"\bweekly\b|\b(?:every|each|a|per|once a) week\b|\bevery (?:mon|tues|"
                           r"wednes|thurs|fri|satur|sun)day\b"),
                ("monthly", r"\bmonthly\b|\b(?:every|each|a|per|once a) month\b"),
                ("daily", r"\bdaily\b|\bevery (?:day|morning|evening)\b"),
            ) if re.search(rx, text)), "daily")
            t = re.search(r"\bat\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\b", text)
            if t:
                hour = int(t.group(1)) % 12 + (12 if t.group(3) == "pm" else 0) if t.group(
                    3) else int(t.group(1))
                prefs["digest_schedule"] = f"{freq} {hour:02d}:{t.group(2) or '00'}"
            else:
                prefs["digest_schedule"] = freq
    roles = _roles(text, original)
    if roles:
        prefs["desired_roles"] = roles
    return prefs


def _roles(text: str, original: str) -> list[str]:
    m = re.search(
        r"\b(?:want|prefer|like|looking for|interested in|open to|work as)\s+(?:to work as\s+)?"
        r"(?:an?\s+)?(?:only\s+)?(.+?)\s+(?:roles?|jobs?|positions?)\b", text)
    if not m:
        return []
    raw = _remove_locations(m.group(1), original)
    raw = re.sub(r"\b(?:remote|hybrid|on-?site|fully|only|in|near|some|more|new|other|"
                 r"well[- ]paid|good|better|full[- ]time|part[- ]time)\b", " ", raw)
    out = []
    for part in re.split(r",|\bor\b|\band\b|/", raw):
        role = " ".join(w for w in part.split() if w not in ("a", "an", "the", "some", "any"))
        if (role and not re.search(r"\d", role) and len(role) <= 40
                and any(len(w) >= 2 and w not in _FILLER and w not in ("not", "no", "to")
                        for w in role.split())):
            out.append(role)
    return out


def _search(text: str, original: str) -> Decision:
    args: dict[str, Any] = {"query": _search_query(text, original)}
    args.update(_filters(text, original))
    k = _k(text)
    if k is not None:
        args["k"] = k
    if not args["query"]:
        # no words to search for, only filters ("jobs in Amsterdam"): every job passing them,
        # ranked by fit to the user's CV
        args.pop("query")
        args.pop("posted_within_days", None)
        if len(args) > (1 if "k" in args else 0):
            args["min_score"] = 0
        return Call("match_jobs", args)
    return Call("search_jobs", args)


# --------------------------------------------------------------------------- answers


def render_results(conv: Conversation) -> str:
    """The answer to the newest tool results, written from their JSON."""
    turn = [r for r in conv.results if r.turn == conv.turns] or conv.trailing
    shown = [r for i, r in enumerate(turn)  # a profile read only to add to a list is not news
             if not (r.kind == "profile" and any(x.kind == "preferences" for x in turn[i + 1:]))]
    parts = [_render(r, conv) for r in shown]
    return "\n\n".join(p for p in parts if p) or "Done."


def _render(r: ToolResult, conv: Conversation) -> str:
    renderer = _RENDERERS.get(r.kind)
    if renderer is None:
        if r.kind == "text":
            return str(r.data.get("text") or "")
        return "Done."
    return renderer(r, conv)


def _job_title(job: dict[str, Any]) -> str:
    title = job.get("title") or "this job"
    company = job.get("company")
    return f"**{title}** — {company}" if company else f"**{title}**"


def _job_line(job: dict[str, Any], n: Any) -> str:
    bits = [_job_title(job)]
    where = [str(x) for x in (job.get("location"), job.get("remote")) if x]
    if where:
        bits.append(" · ".join(where))
    if job.get("salary"):
        bits.append(str(job["salary"]))
    if job.get("score") is not None:
        grade = f" ({job['grade']})" if job.get("grade") else ""
        bits.append(f"fit **{job['score']}**{grade}")
    if job.get("job_id"):
        bits.append(f"`{job['job_id']}`")
    return f"{n}. " + " · ".join(bits)


def _render_cv(cv: dict[str, Any]) -> list[str]:
    lines = []
    who = " — ".join(str(x) for x in (cv.get("name"), cv.get("headline")) if x)
    if who:
        lines.append(f"- **{who}**")
    exp = []
    if cv.get("total_years") is not None:
        exp.append(f"{_num(cv['total_years'])} years of experience")
    if cv.get("seniority"):
        exp.append(f"{cv['seniority']} level")
    if cv.get("location"):
        exp.append(f"based in {cv['location']}")
    if exp:
        lines.append("- " + ", ".join(exp))
    if cv.get("top_skills"):
        total = cv.get("skills_count")
        tail = f" ({total} skills in total)" if total else ""
        lines.append("- Top skills: " + ", ".join(map(str, cv["top_skills"][:8])) + tail)
    if cv.get("recent_roles"):
        lines.append("- Recent roles: " + "; ".join(map(str, cv["recent_roles"][:3])))
    if cv.get("education"):
        lines.append("- Education: " + "; ".join(map(str, cv["education"][:2])))
    wants = [str(x) for x in (cv.get("remote_preference"), cv.get("salary_expectation")) if x]
    if wants:
        lines.append("- Looking for: " + ", ".join(wants))
    for w in cv.get("warnings") or []:
        lines.append(f"- ⚠️ {w}")
    return lines


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, float):
        return f"{x:.1f}".rstrip("0").rstrip(".")
    return str(x)


def _points(x: Any) -> str:
    return "point" if x == 1 else "points"


def _money(x: Any) -> str:
    return f"{x:,.0f}" if isinstance(x, int | float) else str(x)


def _cv_saved(r: ToolResult, conv: Conversation) -> str:
    cv = r.data.get("cv") or {}
    head = "Thanks, I saved your CV"
    if cv.get("version"):
        head += f" (version {cv['version']})"
    lines = [head + ". Here's what I understood:", *_render_cv(cv)]
    lines.append('\nNext: ask for "my best matches", search ("find data jobs in Berlin"), or '
                 "paste a job posting to see how well you fit it.")
    return "\n".join(lines)


def _render_prefs(p: dict[str, Any], changed: Sequence[str] = ()) -> list[str]:
    labels = {
        "desired_roles": "Roles", "locations": "Locations", "remote": "Work mode",
        "salary_floor": "Minimum salary", "salary_currency": "Salary currency",
        "blocked_companies": "Never show", "digest_schedule": "Digest",
    }
    lines = []
    for key, label in labels.items():
        value = p.get(key)
        if value in (None, [], ""):
            continue
        if isinstance(value, list):
            shown = ", ".join(map(str, value))
        elif key == "salary_floor":
            shown = _money(value)
        else:
            shown = str(value)
        mark = " (updated)" if key in changed else ""
        lines.append(f"- {label}: {shown}{mark}")
    return lines


def _profile(r: ToolResult, conv: Conversation) -> str:
    cv = r.data.get("cv")
    prefs = r.data.get("preferences") or {}
    lines = []
    if isinstance(cv, dict):
        lines.append("Here's what I know about you:")
        lines.extend(_render_cv(cv))
    else:
        lines.append("I don't have a CV for you yet. Paste it here and I'll read it.")
    pref_lines = _render_prefs(prefs)
    if pref_lines:
        lines.append("\nYour preferences:")
        lines.extend(pref_lines)
    else:
        lines.append('\nNo preferences set. You can say e.g. "I want remote roles" or "salary at '
                     'least 90k".')
    return "\n".join(lines)


def _preferences_saved(r: ToolResult, conv: Conversation) -> str:
    changed = [str(c) for c in r.data.get("changed") or []]
    prefs = r.data.get("preferences") or {}
    head = "Saved. Your preferences now:" if changed else "Nothing changed. Your preferences:"
    lines = _render_prefs(prefs, changed) or ["- none set"]
    return "\n".join([head, *lines, "\nI'll use them for your matches and digests."])


def _job_list(r: ToolResult, conv: Conversation) -> str:
    jobs = [j for j in r.data.get("jobs") or [] if isinstance(j, dict)]
    source = r.data.get("source")
    query = r.data.get("query")
    if not jobs:
        if source == "matches":
            return ("None of the jobs fits your CV well enough yet. Try a search (\"find data "
                    "jobs in Berlin\") or relax your filters.")
        what = f' for "{query}"' if query else ""
        return f"I found no jobs{what} with those filters. Try other words or fewer filters."
    where = []
    if r.args.get("remote_only"):
        where.append("remote")
    if r.args.get("location"):
        where.append(f"in {r.args['location']}")
    if isinstance(r.args.get("min_salary"), int | float):
        where.append(f"paying at least {_money(r.args['min_salary'])}")
    if source == "matches" and where:
        head = f"Jobs {' '.join(where)}, best fit for your CV first ({len(jobs)}):"
    elif source == "matches":
        head = f"Your best matches ({len(jobs)}):"
    else:
        head = f'Jobs for "{query}" ({len(jobs)}):' if query else f"Jobs ({len(jobs)}):"
    lines = [head]
    for i, job in enumerate(jobs, 1):
        lines.append(_job_line(job, job.get("position") or i))
    second = "2nd" if len(jobs) >= 2 else "1st"
    tail = ('\nAsk "how well do I fit the ' + second + ' one?", "tailor my CV for the first one"')
    tail += ' or "compare the first two".' if len(jobs) >= 2 else "."
    lines.append(tail)
    return "\n".join(lines)


_FACTORS = ("skills", "experience", "location", "salary", "semantic")


def _analysis(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    job = d.get("job") or {}
    label = f", {str(d['label']).lower()} fit" if d.get("label") else ""
    grade = f" (grade **{d['grade']}**{label})" if d.get("grade") else ""
    lines = [f"{_job_title(job)}: **{d.get('score')}/100**{grade}."]
    facts = [str(job[k]) for k in ("location", "remote", "salary") if job.get(k)]
    if facts:
        stored = _stored_id(job)
        lines.append(" · ".join(facts) + (f" · `{stored}`" if stored else ""))
    breakdown = d.get("breakdown") or {}
    parts = [f"{name} {breakdown[name]}" for name in _FACTORS
             if isinstance(breakdown.get(name), int | float)]
    if parts:
        lines.append("Breakdown: " + " · ".join(parts) + ".")
    reasons = [str(x) for x in d.get("reasons") or []][:3]
    if reasons:
        lines.append("\nWhy:")
        lines.extend(f"- {x}" for x in reasons)
    gaps = [g for g in d.get("top_gaps") or [] if isinstance(g, dict)][:3]
    if gaps:
        lines.append("\nTop gaps:")
        lines.extend(f"- {_gap_text(g)}" for g in gaps)
    unknown = [str(x) for x in d.get("unknown_factors") or []]
    if unknown:
        lines.append(f"\nNot known, scored neutrally: {', '.join(unknown)}.")
    lines.append('\nNext: "what am I missing?" or "tailor my CV for it".')
    return "\n".join(lines)


def _gap_text(g: dict[str, Any], suggestion: bool = False) -> str:
    text = str(g.get("message") or g.get("target") or "gap")
    if suggestion and g.get("suggestion"):
        text += f" — {g['suggestion']}"
    impact = g.get("impact")
    if isinstance(impact, int | float) and impact > 0:
        text += f" (**+{_num(impact)}** {_points(impact)} if closed)"
    return text


def _gaps(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    job = d.get("job") or {}
    gaps = [g for g in d.get("gaps") or [] if isinstance(g, dict)]
    score = f" (you're at **{d['score']}/100**)" if d.get("score") is not None else ""
    if not gaps:
        lines = [f"I found no gaps for {_job_title(job)}{score}: your CV covers what it asks."]
    else:
        lines = [f"What's missing for {_job_title(job)}{score}, biggest impact first:"]
        lines.extend(f"{i}. {_gap_text(g, suggestion=i <= 3)}" for i, g in enumerate(gaps[:6], 1))
        if len(gaps) > 6:
            lines.append(f"…and {len(gaps) - 6} smaller ones.")
    strengths = [str(x) for x in d.get("strengths") or []][:4]
    if strengths:
        lines.append("\nStrengths: " + "; ".join(strengths) + ".")
    lines.append('\nNext: "tailor my CV for it" to fix what your CV already supports.')
    return "\n".join(lines)


def _tailoring_options(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    options = [o for o in d.get("options") or [] if isinstance(o, dict)]
    job = d.get("job") or {}
    if not options:
        return (f"Your CV is already well tailored for {_job_title(job)}: I have no changes to "
                "suggest.")
    lines = [f"Here's how I can tailor your CV for {_job_title(job)}:"]
    for i, o in enumerate(options, 1):
        line = f"{i}. **{o.get('label') or o.get('id')}**"
        impact = o.get("impact")
        if isinstance(impact, int | float) and impact > 0:
            line += f" (+{_num(impact)} {_points(impact)})"
        if o.get("detail"):
            detail = str(o["detail"])
            if len(detail) > 240:
                detail = detail[:240].rsplit(" ", 1)[0] + "…"
            line += f" — {detail}"
        if o.get("default"):
            line += " *(recommended)*"
        line += f" `{o.get('id')}`"
        lines.append(line)
    pick = f"options 1 and {min(3, len(options))}" if len(options) > 1 else "option 1"
    lines.append(f'\nReply "apply all", "use {pick}", or "apply the recommended ones".')
    return "\n".join(lines)


def _tailored(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    job = d.get("job") or {}
    labels: dict[str, str] = {}
    for prev in conv.results:
        if prev.kind == "tailoring_options":
            for o in prev.data.get("options") or []:
                if isinstance(o, dict) and o.get("id"):
                    labels[str(o["id"])] = str(o.get("label") or o["id"])
    lines = [f"Your tailored CV for {_job_title(job)}: score **{d.get('before')} → "
             f"{d.get('after')}**."]
    applied = [labels.get(str(a), str(a)) for a in d.get("applied") or []]
    if applied:
        lines.append("Applied: " + "; ".join(applied) + ".")
    reverted = [x for x in d.get("reverted") or [] if isinstance(x, dict)]
    if reverted:
        lines.append("I undid these changes because your original CV doesn't support them:")
        lines.extend(f'- "{x.get("line")}" — {x.get("reason")}' for x in reverted)
    if d.get("markdown"):
        lines.append("\n---\n")
        lines.append(str(d["markdown"]).strip())
    return "\n".join(lines)


def _comparison(r: ToolResult, conv: Conversation) -> str:
    d = r.data
    rows = [x for x in d.get("rows") or [] if isinstance(x, dict)]
    if not rows:
        return "There was nothing to compare."
    if d.get("mode") == "cvs":
        job = rows[0].get("job") or {}
        lines = [f"Your CVs for {_job_title(job)}, best first:"]
    else:
        lines = ["Side by side for your CV, best first:"]
    for i, row in enumerate(rows, 1):
        who = f"CV #{row.get('cv_id')}" if d.get("mode") == "cvs" else _job_title(
            row.get("job") or {})
        grade = f" ({row['grade']})" if row.get("grade") else ""
        line = f"{i}. {who}: **{row.get('score')}**{grade}"
        breakdown = row.get("breakdown") or {}
        parts = [f"{n} {breakdown[n]}" for n in _FACTORS
                 if isinstance(breakdown.get(n), int | float)]
        if parts:
            line += " · " + " · ".join(parts)
        missing = [str(x) for x in row.get("missing_required") or []][:4]
        if missing:
            line += " · missing: " + ", ".join(missing)
        lines.append(line)
    if d.get("mode") != "cvs":
        lines.append('\nSay "tailor my CV for the best one" or "what am I missing for the first '
                     'one?"')
    return "\n".join(lines)


def _feedback_saved(r: ToolResult, conv: Conversation) -> str:
    job = _job_title(r.data.get("job") or {})
    return {
        "applied": f"Noted: you applied to {job}. Good luck!",
        "dismissed": f"Got it, {job} is marked as not interesting.",
        "shortlisted": f"Shortlisted {job}.",
        "interested": f"Noted: you're interested in {job}.",
    }.get(str(r.data.get("status")), f"Saved your feedback on {job}.")


def _forget_confirm(r: ToolResult, conv: Conversation) -> str:
    msg = str(r.data.get("message") or "This deletes all your data.")
    if "yes" in msg.lower():
        return msg + "\n\nAnything else keeps your data."
    return (msg + '\n\nReply **"yes, delete everything"** to confirm, or anything else to keep '
            "your data.")


_NOUNS = {
    "users": ("account", "accounts"), "cvs": ("CV", "CVs"), "matches": ("match", "matches"),
    "analyses": ("analysis", "analyses"), "feedback": ("feedback entry", "feedback entries"),
    "conversations": ("conversation", "conversations"), "threads": ("conversation",
                                                                     "conversations"),
    "logins": ("login", "logins"), "preferences": ("preference set", "preference sets"),
    "digests": ("digest", "digests"),
}


def _forgotten(r: ToolResult, conv: Conversation) -> str:
    deleted = r.data.get("deleted") or {}
    parts = []
    for key, n in deleted.items():
        if not isinstance(n, int) or not n:
            continue
        one, many = _NOUNS.get(str(key), (str(key).replace("_", " "),) * 2)
        parts.append(f"{n} {one if n == 1 else many}")
    what = (": " + ", ".join(parts)) if parts else ""
    return f"Done. I deleted all your data{what}. Paste a CV any time to start again."


def _error(r: ToolResult, conv: Conversation) -> str:
    msg = str(r.data.get("message") or "Something went wrong.")
    low = msg.lower()
    if "cv" in low and re.search(r"\bno\b|\bupload|\bpaste|\bfirst\b|\bnot found\b", low):
        nxt = "Paste your CV here first (or use `/cv FILE` in the terminal)."
    elif "position" in low or "list" in low:
        nxt = 'Ask for "my best matches" or a search first, then refer to a job by its number.'
    elif "http" in low:
        nxt = ("I can only look up links of jobs in the collection, offline. Paste the posting's "
               "text here and I'll score it.")
    elif "not found" in low or "unknown" in low or "no job" in low:
        nxt = 'Check the job id, or ask for "my best matches" and pick one from the list.'
    elif "confirm" in low:
        nxt = 'Say "delete my data" to start again.'
    else:
        nxt = 'You can try again, or say "help" to see what I can do.'
    return f"Sorry, that didn't work: {msg}\n\n{nxt}"


_RENDERERS: dict[str, Callable[[ToolResult, Conversation], str]] = {
    "cv_saved": _cv_saved,
    "profile": _profile,
    "preferences": _preferences_saved,
    "job_list": _job_list,
    "analysis": _analysis,
    "gaps": _gaps,
    "tailoring_options": _tailoring_options,
    "tailored_cv": _tailored,
    "comparison": _comparison,
    "feedback": _feedback_saved,
    "forget_confirm": _forget_confirm,
    "forgotten": _forgotten,
    "error": _error,
}


def _from_data(answer: Callable[[dict[str, Any]], str]) -> Callable[[ToolResult, Conversation],
                                                                    str]:
    return lambda r, conv: answer(r.data)


_RENDERERS.update({kind: _from_data(f) for kind, f in RENDERERS.items()})  # digest answers


# --------------------------------------------------------------------------- the model


def _tool_name(tool: Any) -> str | None:
    if isinstance(tool, str):
        return tool
    if isinstance(tool, BaseTool):
        return tool.name
    if isinstance(tool, dict):
        fn = tool.get("function")
        if isinstance(fn, dict) and fn.get("name"):
            return str(fn["name"])
        return str(tool["name"]) if tool.get("name") else None
    name = getattr(tool, "name", None) or getattr(tool, "__name__", None)
    return str(name) if name else None


_WORDS_RE = re.compile(r"^\s+|\S+\s*")


class OfflineChatModel(BaseChatModel):
    """jobfit's built-in chat model: rule-based intents in, templated answers out.

    Deterministic and offline. ``bind_tools`` returns a copy that knows which tools it may call;
    a request for a tool that is not bound is answered with what jobfit can do.
    """

    tool_names: tuple[str, ...] = Field(default=())

    @property
    def _llm_type(self) -> str:
        return "jobfit-offline"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {"model": "jobfit-offline", "tools": list(self.tool_names)}

    def bind_tools(
        self,
        tools: Sequence[Any],
        *,
        tool_choice: str | None = None,
        **kwargs: Any,
    ) -> OfflineChatModel:
        """A copy of the model that may call these tools (StructuredTools, dicts or names)."""
        names = tuple(n for n in (_tool_name(t) for t in tools) if n)
        return self.model_copy(update={"tool_names": names})

    def _tools(self, kwargs: dict[str, Any]) -> tuple[str, ...]:
        extra = tuple(n for n in (_tool_name(t) for t in kwargs.get("tools") or []) if n)
        return self.tool_names + extra

    def decide(self, messages: Sequence[BaseMessage], **kwargs: Any) -> AIMessage:
        """The reply to a conversation: an AIMessage with one tool call or text."""
        decision = route(messages, self._tools(kwargs))
        if isinstance(decision, Call):
            n = sum(len(m.tool_calls) for m in messages if isinstance(m, AIMessage)) + 1
            call = ToolCall(name=decision.name, args=decision.args, id=f"call_{n}",
                            type="tool_call")
            return AIMessage(content="", tool_calls=[call])
        return AIMessage(content=decision.text)

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return ChatResult(generations=[ChatGeneration(message=self.decide(messages, **kwargs))])

    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        return self._generate(messages, stop, None, **kwargs)

    def _chunks(self, messages: list[BaseMessage], **kwargs: Any) -> list[ChatGenerationChunk]:
        msg = self.decide(messages, **kwargs)
        if msg.tool_calls:
            tc = msg.tool_calls[0]
            chunk = AIMessageChunk(
                content="",
                tool_call_chunks=[{"name": tc["name"], "args": json.dumps(tc["args"]),
                                   "id": tc["id"], "index": 0, "type": "tool_call_chunk"}],
                chunk_position="last",
            )
            return [ChatGenerationChunk(message=chunk)]
        words = _WORDS_RE.findall(msg.text) or [""]
        return [
            ChatGenerationChunk(message=AIMessageChunk(
                content=w, chunk_position="last" if i == len(words) - 1 else None))
            for i, w in enumerate(words)
        ]

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        # BaseChatModel reports each chunk to the callbacks (on_llm_new_token) itself
        yield from self._chunks(messages, **kwargs)

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        for chunk in self._chunks(messages, **kwargs):
            yield chunk
