"""The offline model's vocabulary: regular expressions and word lists of the rule-based intents."""

from __future__ import annotations

import re
from collections.abc import Callable

from tools.parsing.numbers import COUNT_PHRASES, NUMBER_WORDS, ORDINAL_WORDS, number_words

_ORDINALS = {w: n for w, n in ORDINAL_WORDS.items() if n <= 10}  # "first" .. "tenth"
_COUNTS = {w: NUMBER_WORDS[w] for w in number_words(2, 10)} | {"both": COUNT_PHRASES["both"]}
_NUM = rf"(?:\d{{1,3}}|{'|'.join(number_words(2, 10))})"  # digits, "two" .. "ten"
_ORD_RE = re.compile(rf"\b({'|'.join(_ORDINALS)})\b")
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


