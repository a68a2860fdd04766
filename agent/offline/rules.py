"""The rule-based intents: the decision (a tool call or a direct answer) for a conversation."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import BaseMessage

from agent.digest_intents import route_digest
from agent.evidence_intent import evidence_prompt, route_addition
from agent.forget_intent import is_forget_request
from agent.offline.conversation import Conversation
from agent.offline.decisions import Call, Decision, Reply, ToolResult
from agent.offline.exemplars import ExemplarClassifier
from agent.offline.extraction import (
    _filters,
    _k,
    _locations,
    _remove_locations,
    _salary,
    _search_query,
)
from agent.offline.intents import route_language, route_offline
from agent.offline.pasted import _looks_pasted, _route_pasted, _split_preamble
from agent.offline.postings import Posting, find_posting, split_request
from agent.offline.render import _job_title, render_results
from agent.offline.targets import NeedsClarity, _ext_ids, _positions, _stored_id, _target
from agent.offline.texts import EXAMPLES, HELP, UNKNOWN
from agent.offline.typos import correct_typos
from agent.offline.vocabulary import (
    _COMPARE_RE,
    _CV_WORD_RE,
    _FEEDBACK,
    _FILLER,
    _FIRST_N_RE,
    _GAPS_RE,
    _GREETING_RE,
    _HASH_RE,
    _HELP_RE,
    _JOB_NOUN_RE,
    _JOB_NUM_RE,
    _MATCH_RE,
    _NEGATED_RE,
    _NO_RE,
    _OPTIONS_ALL_RE,
    _OPTIONS_DEFAULT_RE,
    _OPTIONS_HINT_RE,
    _ORD_NUM_RE,
    _ORD_RE,
    _ORDINALS,
    _PREF_RE,
    _PROFILE_RE,
    _SAVE_CV_RE,
    _SCORE_RE,
    _SEARCH_VERB_RE,
    _TAILOR_RE,
    _THANKS_RE,
    _URL_RE,
    _YES_RE,
    _norm,
)
from agent.recruiter_intents import route_recruiter
from tools.parsing.work_mode import detect_wanted_work_mode

logger = logging.getLogger(__name__)


def route(messages: Sequence[BaseMessage], tools: Sequence[str],
          classifier: ExemplarClassifier | None = None) -> Decision:
    """Decide what to do with the conversation: a tool call or a direct answer. With a
    ``classifier``, a message the rules do not understand gets its nearest exemplar's intent."""
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
    if classifier is not None and isinstance(decision, Reply) and decision.text == UNKNOWN:
        guess = classifier.guess(conv.last_human)
        if guess is not None:
            decision = guess.call
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

    try:  # recruiter requests (agent/recruiter_intents.py): a candidate pool, not my CV
        recruiter = route_recruiter(text, original, conv)
    except NeedsClarity as e:
        return Reply(str(e))
    if recruiter is not None:
        return recruiter

    language = route_language(original)  # before typo correction ("offres" is French)
    if language is not None:
        return language
    original = correct_typos(original)
    text = _norm(original)
    early = _route_offline(original, conv)
    if early is not None:
        return early
    if split_request(original)[0]:  # "how well do I fit this: <posting, one line or many>"
        posting = find_posting(original)
        if posting is not None:
            return _posting_call(posting)
    if _looks_pasted(original):
        pasted = _route_pasted(original)
        if pasted is not None:
            return pasted
        posting = find_posting(original)
        if posting is not None:
            return _posting_call(posting)
        if sum(1 for line in original.splitlines() if line.strip()) >= 3:
            return Reply(
                "I couldn't tell whether that text is a CV or a job posting. Start your message "
                "with \"Here is my CV:\" or \"How well do I fit this job:\" and paste it again.")
        # one long paragraph without a document's marks: a request written at length

    else:
        posting = find_posting(original)
        if posting is not None:
            return _posting_call(posting)

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


def _posting_call(posting: Posting) -> Call:
    """A posting pasted in a message (agent/offline/postings.py): score it, or list its gaps."""
    return Call("explain_gaps" if posting.gaps else "score_match", {"job_text": posting.text})


def _route_offline(original: str, conv: Conversation) -> Decision | None:
    """The intents of agent/offline/ that come before the rules below (languages, applications,
    skills across matches)."""
    return route_offline(original, conv.results)


def _route_intent(text: str, original: str, conv: Conversation) -> Decision:
    latest = conv.latest
    if _URL_RE.search(text):  # a link names a job; its words say nothing about the intent
        text = " ".join(_URL_RE.sub(" ", text).split()) + " (link)"
    if is_forget_request(text):  # agent/forget_intent.py (explicit, about the user's data)
        return Call("forget_me", {"confirm": False})
    digest = route_digest(text, original)  # agent/digest_intents.py
    if digest is not None:
        return Call(*digest)
    addition = route_addition(original, conv.results)  # agent/evidence_intent.py
    if addition is not None:
        return Call("tailor_cv", addition)

    if latest is not None and latest.kind == "tailoring_options":
        chosen = _chosen_options(text, latest)
        ask = evidence_prompt(chosen or [], latest.data)  # agent/evidence_intent.py
        if ask is not None:
            return Reply(ask)
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
            text) and (_locations(original) or _salary(original)
                       or detect_wanted_work_mode(text) == "remote"):
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
    named = [i for i in ids if i.lower() in text or ":" not in i and (  # ":" a request for a line
             i.lower().replace("_", " ") in spaced
             or any(len(part) >= 4 and part not in ("with", "from", "more", "your")
                    and any(w.startswith(part[:6]) for w in words)
                    for part in re.split(r"[_-]", i.lower().replace("emphasiz", "emphasis"))))]
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
    if re.search(r"\b(?:all )?(?:but|except)\b", text) and nums:  # requests for a line: no
        chosen = [i for k, i in enumerate(ids, 1)  # change to apply, only picked by name
                  if k not in nums and not i.startswith("show_in_role:")]
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
    mode = detect_wanted_work_mode(text)
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


