"""What every chat bot (Slack, Teams) does, channel-neutral: a thin layer over the service.

A bot turns a verified platform identity into a jobfit user (:meth:`BotCore.owner`), then:

- free text goes through the same agent graph as the web chat (thread ``<user>:<channel>``),
  and the tool results of the turn come back as cards (``tools/cards.py``);
- slash-style commands (``matches``, ``fit <job id or posting>``, ``digest``, ``help``,
  ``link CODE``) and card buttons call the service directly (fast, deterministic);
- an uploaded CV file goes through ``JobfitService.save_cv`` (same extraction, limits, errors).

Every answer is a list of :class:`Reply` (Markdown text, a card, or a file); the channel
renders them. Errors: ``JobfitError`` messages are shown as they are, anything else is logged
(type and stack only, never user text) and answered politely.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tools import cards
from tools.errors import InvalidInputError, JobfitError
from tools.money import format_money

if TYPE_CHECKING:
    from agent.service import JobfitService

logger = logging.getLogger(__name__)

GENERIC_ERROR = "Something went wrong on our side; please try again."
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CV_SUFFIXES = (".pdf", ".docx", ".txt", ".md")
HELP = """\
*jobfit* tells you how well your CV fits a job, and what to change.
• Send me your CV as a file (PDF, DOCX, TXT) here in a direct message.
• Ask in plain words: "show my best matches", "find remote python jobs", "how well do I fit \
the second one?", "what am I missing?", "tailor my CV for it", "delete my data".
• `{cmd}matches` · `{cmd}fit <job id or pasted posting>` · `{cmd}digest` · `{cmd}help`
• `{cmd}digest here` sends your scheduled digests to this chat (`{cmd}digest stop` ends it).
• Already use the web chat? Say "link {channel}" there, then send me `link CODE` to use the \
same CV and matches here.
Scores come from jobfit's deterministic engine; your CV and scores are shown only to you."""
_COMMAND_RE = re.compile(r"^\s*(?:/jobfit\s+)?(?:(?:matches|digest|help)\s*[.!?]?|fit\s+\S+"
                         r"|digest\s+(?:here|on|stop|off)\s*[.!?]?)\s*$", re.IGNORECASE)
#: ``digest here`` / ``digest stop``: this chat gets (or stops getting) the scheduled digests.
DIGEST_HERE = ("here", "on")
DIGEST_STOP = ("stop", "off")
#: ``fit`` followed by this much text is a pasted posting, not a sentence.
FIT_POSTING_CHARS = 200


def help_text(channel: str) -> str:
    """What the bot understands, in this channel's words (Slack has ``/jobfit``)."""
    return HELP.format(cmd="/jobfit " if channel == "slack" else "",
                       channel="teams" if channel == "teams" else "slack")


def is_command(text: str) -> bool:
    """A bare command typed as a message: ``matches``, ``digest``, ``help``, ``fit <job>``."""
    text = (text or "").strip()
    if re.match(r"^(?:/jobfit\s+)?fit\s", text, re.IGNORECASE) and len(text) >= FIT_POSTING_CHARS:
        return True
    return bool(_COMMAND_RE.match(text))


_LINK_RE = re.compile(r"^\s*(?:/jobfit\s+)?link(?:\s+code)?\s+([A-Za-z0-9]{4}[- ]?[A-Za-z0-9]{4})"
                      r"\s*$", re.IGNORECASE)
#: "link slack" / "link teams" / "link code" typed in the web chat.
LINK_REQUEST_RE = re.compile(r"^\s*(?:please\s+)?(?:link|connect)\s+(?:my\s+)?"
                             r"(slack|teams|code|account)\b[\s.!?]*$", re.IGNORECASE)

Card = cards.ScoreCard | cards.JobList | cards.GapList | cards.TailoringChecklist | cards.Digest


@dataclass
class Reply:
    """One answer: Markdown ``text``, a ``card``, or a ``file`` (name, bytes, MIME type)."""

    text: str = ""
    card: Card | None = None
    file: tuple[str, bytes, str] | None = None
    #: True when it shows the person's CV or scores (channels show it to them only)
    private: bool = True


@dataclass
class Identity:
    """A verified chat identity: ``channel`` slack|teams, ``workspace`` team/tenant id."""

    channel: str
    workspace: str
    user: str
    extra: dict[str, Any] = field(default_factory=dict)


def log_failure(what: str) -> None:
    """Log the current exception's type and stack only: its message may quote user text."""
    exc_type, _exc, tb = sys.exc_info()
    name = exc_type.__name__ if exc_type else "error"
    stack = "".join(traceback.format_tb(tb)) if tb else ""
    logger.error("%s failed: %s\n%s", what, name, stack.rstrip())


def guarded(what: str, fn: Callable[[], list[Reply]]) -> list[Reply]:
    """Run ``fn``; a JobfitError becomes its message, anything else a polite error."""
    try:
        return fn()
    except JobfitError as exc:
        return [Reply(text=f"⚠️ {exc}")]
    except Exception:
        log_failure(what)
        return [Reply(text=f"⚠️ {GENERIC_ERROR}")]


def link_code_in(text: str) -> str | None:
    """The code of a ``link ABCD-EFGH`` message, or None."""
    m = _LINK_RE.match(text or "")
    return m.group(1) if m else None


def link_code_text(code: str, channel: str | None = None) -> str:
    """What the web chat shows after "link slack"."""
    where = {"slack": "Slack", "teams": "Teams"}.get((channel or "").lower(), "Slack or Teams")
    return (f"Your link code is **{code}** (valid 10 minutes, once). In {where}, send the "
            f"jobfit bot a direct message: `link {code}` — it will then use this account's CV, "
            "matches and preferences.")


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content or []
                   if not isinstance(p, dict) or p.get("type", "text") == "text")


class BotCore:
    """The bots' shared behaviour over one :class:`JobfitService` and agent graph.

    Args:
        service: the process's service.
        graph: the compiled agent graph with a sync checkpointer (None: commands and buttons
            only; free text is answered with the help).
        rewriter: the LLM rewriter for tailoring, if any.
    """

    def __init__(self, service: JobfitService, graph: Any = None, rewriter: Any = None) -> None:
        self.service = service
        self.graph = graph
        self.rewriter = rewriter

    # -- identity -------------------------------------------------------------------------
    def owner(self, who: Identity) -> str:
        """The jobfit user of a verified identity (created on first contact)."""
        return self.service.channel_user(who.channel, who.workspace, who.user)

    def link(self, who: Identity, code: str) -> list[Reply]:
        self.service.link_channel(code, who.channel, who.workspace, who.user)
        return [Reply(text="✅ Linked: I now use your web account's CV, matches and "
                           "preferences here.")]

    # -- free text ------------------------------------------------------------------------
    def message(self, who: Identity, text: str) -> list[Reply]:
        """A direct message or mention: a link code, or a turn of the agent graph."""
        def go() -> list[Reply]:
            code = link_code_in(text)
            if code is not None:
                return self.link(who, code)
            if is_command(text):  # "matches", "fit 42", "digest", "help" typed as a message
                return self.command(who, text)
            owner = self.owner(who)
            if self.graph is None:
                return [Reply(text=help_text(who.channel), private=False)]
            return self.turn(owner, who.channel, text)

        return guarded(f"{who.channel} message", go)

    def turn(self, owner: str, conversation: str, text: str) -> list[Reply]:
        """One message through the graph: the cards of its tool results, then the answer."""
        from langchain_core.messages import AIMessage, HumanMessage, ToolMessage

        from agent.context import Context
        from agent.graph import run_config
        from agent.threads import thread_id

        config = run_config(thread_id(owner, conversation))
        context = Context(user_id=owner, service=self.service, rewriter=self.rewriter)
        replies: list[Reply] = []
        answer = ""
        forgotten = False
        for update in self.graph.stream({"messages": [HumanMessage(text)]}, config=config,
                                        context=context, stream_mode="updates"):
            for node in (update or {}).values():
                messages = node.get("messages") if isinstance(node, dict) else None
                for m in messages or []:
                    if isinstance(m, ToolMessage):
                        result = _parse(m.content)
                        forgotten = forgotten or result.get("kind") == "forgotten"
                        replies.extend(self.result_replies(result))
                    elif isinstance(m, AIMessage) and not m.tool_calls:
                        answer = _text_of(m.content).strip()
        if forgotten:
            self.service.purge_conversations(owner)
        if answer:
            replies.append(Reply(text=answer))
        return replies

    def remember(self, owner: str, conversation: str, **values: Any) -> None:
        """Commands and buttons bypass the graph: tell it what was shown, so "the second one"
        or "what am I missing?" refer to it next (``last_jobs``, ``current_job``)."""
        if self.graph is None:
            return
        from agent.graph import run_config
        from agent.threads import thread_id

        try:
            self.graph.update_state(run_config(thread_id(owner, conversation)), values)
        except Exception:  # a thread the graph has not started yet: not worth failing for
            logger.debug("could not update the conversation state", exc_info=True)

    def result_replies(self, result: dict[str, Any]) -> list[Reply]:
        """A tool result as replies: a card, a file, or nothing (the answer text covers it)."""
        card = cards.card_from_result(result)
        if card is not None:
            return [Reply(card=card)]
        if result.get("kind") == "tailored_cv":
            return [self._tailored_file(result)]
        return []

    @staticmethod
    def _tailored_file(result: dict[str, Any]) -> Reply:
        from ui.docx_export import to_docx

        job = result.get("job") or {}
        stem = "cv-tailored" + (f"-{job.get('ref')}" if job.get("ref") else "")
        before, after = result.get("before"), result.get("after")
        text = (f"Your CV tailored for *{job.get('title') or 'the job'}*: score {before} → "
                f"{after}. Nothing was invented; lines that would not be truthful were kept.")
        return Reply(text=text, file=(f"{stem}.docx", to_docx(str(result.get("markdown") or "")),
                                      DOCX_MIME))

    # -- files ----------------------------------------------------------------------------
    def save_cv(self, who: Identity, name: str, data: bytes) -> list[Reply]:
        """A CV file sent to the bot: saved as the current CV (same checks as the web chat)."""
        def go() -> list[Reply]:
            from ui.chat import cv_summary_text

            if not name.lower().endswith(CV_SUFFIXES):
                raise InvalidInputError(f"I can't read {name}: send your CV as PDF, DOCX, TXT "
                                        "or MD.")
            owner = self.owner(who)
            summary = self.service.save_cv(owner, data=data, file_name=name)
            return [Reply(text=cv_summary_text(summary))]

        return guarded(f"{who.channel} CV upload", go)

    # -- commands -------------------------------------------------------------------------
    def command(self, who: Identity, text: str) -> list[Reply]:
        """``/jobfit <matches | fit X | digest | help | link CODE>``."""
        def go() -> list[Reply]:
            words = (text or "").strip()
            if words.lower().startswith("/jobfit"):
                words = words[len("/jobfit"):].strip()
            verb, _, rest = words.partition(" ")
            verb = verb.lower()
            if verb in ("", "help", "?"):
                return [Reply(text=help_text(who.channel), private=False)]
            if verb == "link":
                code = link_code_in(words)
                if code is None:
                    raise InvalidInputError("Send `link CODE` with the code the web chat shows "
                                            "after \"link slack\".")
                return self.link(who, code)
            owner = self.owner(who)
            if verb in ("matches", "match", "best"):
                found = self.matches(owner)
                self.remember(owner, who.channel,
                              last_jobs=[r.job.ref for r in found.rows if r.job.ref])
                return [Reply(card=found)]
            if verb in ("fit", "score", "analyse", "analyze"):
                card = self.fit(owner, rest)
                if card.job.ref:
                    self.remember(owner, who.channel, current_job=card.job.ref,
                                  current_posting=None)
                return [Reply(card=card)]
            if verb == "digest":
                where = rest.strip().rstrip(".!? ").lower()
                if where in DIGEST_HERE + DIGEST_STOP:
                    return [Reply(text=self.digest_here(owner, who.channel,
                                                        where in DIGEST_HERE))]
                return [Reply(card=self.digest(owner))]
            raise InvalidInputError(f"I don't know `{verb[:30]}`. Try `/jobfit help`.")

        return guarded(f"{who.channel} command", go)

    def matches(self, owner: str, k: int = 10) -> cards.JobList:
        found = self.service.best_matches(owner, k=k)
        return cards.job_list([c.model_dump(mode="json") for c in found],
                              title="Your best matches",
                              empty_text="No job reaches 50/100 yet. Import more jobs or ask "
                                         "me to search.")

    def fit(self, owner: str, target: str) -> cards.ScoreCard:
        """The score card for a job id (``42``, ``#42``, an external id, a URL) or a posting."""
        from agent.tool_support import analysis_result

        target = (target or "").strip()
        if not target:
            raise InvalidInputError("Which job? `/jobfit fit 42` or paste the posting after "
                                    "`fit`.")
        is_ref = len(target) <= 200 and len(target.split()) == 1
        analysis = (self.service.analyse(owner, target) if is_ref
                    else self.service.analyse(owner, job_text=target))
        card = cards.card_from_result(analysis_result(analysis))
        assert isinstance(card, cards.ScoreCard)
        return card

    def digest(self, owner: str) -> cards.Digest:
        """The user's digest as the scheduled runs compose it (``agent/digests.py``): the
        latest one delivered, or (none yet) what the next one would hold now. Reading it here
        does not mark it seen in the web chat."""
        from tools.digest import Digest
        from tools.digest_card import digest_card

        center = self.service.digests()
        latest = center.latest(owner, mark_viewed=False)
        if latest is not None and latest.get("digest"):
            return digest_card(Digest.model_validate(latest["digest"]))
        built, _ = center.build(owner)
        return digest_card(built)

    def digest_here(self, owner: str, channel: str, on: bool) -> str:
        """``digest here`` / ``digest stop``: this chat receives (or no longer receives) the
        user's scheduled digests."""
        center = self.service.digests()
        name = "Slack" if channel == "slack" else "Teams"
        if not on:
            center.unsubscribe(owner, channel)
            return f"Your digests no longer come to {name}."
        center.add_channel_for(owner, channel)
        info = center.schedule_of(owner)
        when = (f"next: {info['next_run_local']}" if info.get("next_run_local") else
                "no schedule yet: say \"send me a daily digest at 8:00\"")
        return f"✅ Your digests ({info['describe']}) will come here in {name}; {when}."

    # -- buttons --------------------------------------------------------------------------
    def action(self, who: Identity, action: str, job_ref: str,
               options: Sequence[str] = ()) -> list[Reply]:
        """A card button: analyse | gaps | tailor | tailor_apply | interested | applied |
        dismiss, for the job ``job_ref`` (the user is the one who clicked)."""
        def go() -> list[Reply]:
            from agent.tool_support import analysis_result, gaps_result, tailored_result

            ref = str(job_ref or "").strip()
            if not ref or ref == "0":
                raise InvalidInputError("That button lost track of its job; ask me again.")
            owner = self.owner(who)
            service = self.service
            if action in ("analyse", "gaps", "tailor") and ref.lstrip("#").isdigit():
                self.remember(owner, who.channel, current_job=int(ref.lstrip("#")),
                              current_posting=None)
            if action == "analyse":
                return self.result_replies(analysis_result(service.analyse(owner, ref)))
            if action == "gaps":
                return self.result_replies(gaps_result(service.analyse(owner, ref)))
            if action == "tailor":
                found = service.tailoring_options(owner, ref)
                job = cards.job_ref(service.job_card(ref).model_dump(mode="json"))
                return [Reply(card=cards.checklist(found, job=job))]
            if action == "tailor_apply":
                if not options:
                    raise InvalidInputError("Tick at least one change to make.")
                tailored = service.tailor(owner, ref, list(options), rewriter=self.rewriter)
                card = service.job_card(ref).model_dump(mode="json")
                return [self._tailored_file(tailored_result(tailored, card))]
            if action in cards.FEEDBACK_ACTIONS:
                status = cards.FEEDBACK_ACTIONS[action]
                done = service.record_feedback(owner, ref, status)  # type: ignore[arg-type]
                words = {"interested": "marked as interesting", "applied": "marked as applied",
                         "dismissed": "dismissed — it won't be suggested again"}[status]
                return [Reply(text=f"*{done.title or 'Job'}*"
                              + (f" at {done.company}" if done.company else "") + f": {words}.")]
            raise InvalidInputError("Unknown button.")

        return guarded(f"{who.channel} button", go)

    # -- home / profile -------------------------------------------------------------------
    def profile_text(self, owner: str) -> str:
        """The profile and preferences as Markdown (App Home)."""
        from ui.web import cv_summary_markdown

        lines = []
        if self.service.has_cv(owner):
            cv = self.service.cv_summary(owner).model_dump(mode="json")
            lines.append(cv_summary_markdown(cv).replace("**CV saved** — ", "**Your CV** — "))
        else:
            lines.append("No CV yet: send me your CV as a file in a direct message.")
        prefs = self.service.preferences(owner)
        bits = [f"roles: {', '.join(prefs.desired_roles)}" if prefs.desired_roles else "",
                f"locations: {', '.join(prefs.locations)}" if prefs.locations else "",
                f"remote: {prefs.remote}" if prefs.remote else "",
                f"salary from {format_money(prefs.salary_floor)}" if prefs.salary_floor else "",
                f"digest: {prefs.digest_schedule}" if prefs.digest_schedule else ""]
        bits = [b for b in bits if b]
        lines.append("**Preferences:** " + ("; ".join(bits) if bits else "none set (tell me, "
                                            "e.g. \"I want remote jobs in Berlin\")"))
        return "\n".join(lines)


def _parse(content: Any) -> dict[str, Any]:
    import json

    try:
        value = json.loads(_text_of(content))
    except (TypeError, ValueError):
        return {"kind": "text"}
    return value if isinstance(value, dict) else {"kind": "text"}


def build_core(settings: Any = None) -> BotCore:
    """The bot core on the configured service, model and (sync) checkpointer."""
    import importlib.util

    from agent.bootstrap import build_model, build_service, get_settings
    from agent.graph import build_graph

    settings = settings or get_settings()
    service = build_service(settings)
    rewriter = None
    if settings.llm != "offline" and importlib.util.find_spec("agent.llm") is not None:
        from agent.llm import build_rewriter

        try:
            rewriter = build_rewriter(settings)
        except JobfitError:
            logger.warning("no LLM rewriter; tailoring uses the deterministic rewrites")
    graph = build_graph(build_model(settings), checkpointer=service.checkpointer)
    return BotCore(service, graph, rewriter)
