"""``jobfit chat``: the conversation in a terminal, on the same graph as the web chat.

On a terminal it is a small rich REPL (answers rendered as Markdown, streamed as they come).
With piped stdin it reads one message per line and writes each answer as plain text to stdout,
followed by an empty line, so it can be scripted (a whole CV or posting piped in is one message,
see ``ui/piped.py``)::

    printf '/cv my_cv.pdf\\nfind remote python jobs\\nhow well do I fit the 2nd one?\\n' \\
        | jobfit chat --user ana

A line holding only ``\"\"\"`` starts a multi-line message (a pasted CV or posting) that ends at
the next such line. Commands: ``/cv FILE`` loads a CV, ``/import FILE`` adds jobs (private to
the user unless an admin, see ``store/jobaccess.py``), ``/new`` starts a new conversation,
``/help``, ``/quit``. The conversation is kept per user (thread ``<user>:cli``) in the
checkpointer, so ``jobfit chat --user ana`` carries on where ana left off.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tools.errors import InvalidInputError, JobfitError

if TYPE_CHECKING:
    from agent.service import JobfitService
    from agent.service_types import CVSummary

logger = logging.getLogger(__name__)

CONVERSATION = "cli"
MULTILINE = '"""'
HELP = """\
**jobfit chat** — ask in plain words, for example:
- paste your CV (start and end it with a line `\"\"\"`), or load it with `/cv FILE`
- "show my best matches", "find remote data jobs in Berlin over 80k"
- "how well do I fit the second one?", "what am I missing?", "tailor my CV for it"
- "compare the first two", "I applied to the first one", "delete my data"

Commands: `/cv FILE` load a CV (PDF, DOCX, TXT, MD) · `/import FILE` add jobs (JSON, JSONL,
CSV; private to you unless you are in JOBFIT_ADMINS) · `/new` start a new conversation ·
`/help` this help · `/quit` leave."""


def cv_summary_text(summary: CVSummary) -> str:
    """A short Markdown account of a loaded CV."""
    lines = [f"Saved your CV **{summary.file_name}** (version {summary.version})."]
    who = " — ".join(p for p in (summary.name, summary.headline) if p)
    if who:
        lines.append(f"- **{who}**")
    facts = []
    if summary.total_years is not None:
        facts.append(f"{summary.total_years:g} years of experience")
    if summary.seniority:
        facts.append(f"{summary.seniority} level")
    if summary.location:
        facts.append(f"based in {summary.location}")
    if facts:
        lines.append("- " + ", ".join(facts))
    if summary.top_skills:
        lines.append(f"- Top skills: {', '.join(summary.top_skills)} "
                     f"({summary.skills_count} in total)")
    if summary.recent_roles:
        lines.append(f"- Recent roles: {'; '.join(summary.recent_roles)}")
    if summary.warnings:
        lines.append(f"- Note: {'; '.join(summary.warnings)}")
    lines.append('Ask "show my best matches" or paste a job posting.')
    return "\n".join(lines)


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    parts = []
    for part in content or []:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and part.get("type") == "text":
            parts.append(str(part.get("text", "")))
    return "".join(parts)


class ChatSession:
    """One user's terminal conversation over the graph.

    Args:
        graph: the compiled graph (``agent.graph.build_graph``), with a checkpointer.
        service: the JobfitService the tools act through.
        user: the user id (their data only).
        rewriter: the LLM rewriter for tailoring, if any.
    """

    def __init__(self, graph: Any, service: JobfitService, user: str,
                 rewriter: Any = None, conversation: str = CONVERSATION,
                 trace: IO[str] | None = None) -> None:
        from agent.threads import thread_id

        self.trace = trace  # where `--trace` writes one JSON line per tool call
        self.graph = graph
        self.service = service
        self.user = user
        self.rewriter = rewriter
        self.thread = thread_id(user, conversation)

    def _config(self) -> dict[str, Any]:
        from agent.graph import run_config

        return run_config(self.thread)

    def _context(self) -> Any:
        from agent.context import Context

        return Context(user_id=self.user, service=self.service, rewriter=self.rewriter)

    def ask(self, text: str) -> str:
        """One turn: the model's final answer."""
        from langchain_core.messages import HumanMessage

        out = self.graph.invoke({"messages": [HumanMessage(text)]}, config=self._config(),
                                context=self._context())
        self._trace(out["messages"])
        self._purge_if_forgotten(out["messages"])
        return _text(out["messages"][-1].content).strip()

    def _trace(self, messages: list[Any]) -> None:
        if self.trace is None:
            return
        from agent.trace import trace_lines

        for line in trace_lines(messages):
            self.trace.write(line + "\n")
        self.trace.flush()

    def _purge_if_forgotten(self, messages: list[Any]) -> None:
        """After a "forget me" turn, delete the conversations again: the turn's earlier
        checkpoints (holding the whole chat) may have been written after the deletion."""
        from agent.threads import turn_forgot

        if turn_forgot(messages):
            self.service.purge_conversations(self.user)

    def stream(self, text: str) -> Iterator[str]:
        """One turn, yielding the answer's text as it grows (the last item is the answer)."""
        from langchain_core.messages import AIMessageChunk, HumanMessage

        shown = ""
        for chunk, meta in self.graph.stream(
                {"messages": [HumanMessage(text)]}, config=self._config(),
                context=self._context(), stream_mode="messages"):
            if meta.get("langgraph_node") != "agent" or not isinstance(chunk, AIMessageChunk):
                continue
            if chunk.tool_call_chunks:  # the model is calling tools: drop its preamble
                shown = ""
                continue
            piece = _text(chunk.content)
            if piece:
                shown += piece
                yield shown
        final = self.graph.get_state(self._config()).values.get("messages") or []
        self._trace(final)
        self._purge_if_forgotten(final)
        if final:
            yield _text(final[-1].content).strip()

    def load_cv(self, path: Path) -> str:
        """Store a CV file as the user's current CV; the answer is a summary of it."""
        from langchain_core.messages import AIMessage, HumanMessage

        from agent.bootstrap import get_settings

        path = Path(path).expanduser()
        if not path.is_file():
            raise InvalidInputError(f"{path}: no such file")
        if path.stat().st_size > get_settings().max_upload_bytes:
            raise InvalidInputError(f"{path.name}: file is larger than the upload limit")
        summary = self.service.save_cv(self.user, data=path.read_bytes(), file_name=path.name)
        answer = cv_summary_text(summary)
        # let the conversation know (a model answering later sees that a CV was loaded)
        self.graph.update_state(self._config(), {"messages": [
            HumanMessage(f"(I loaded my CV from the file {path.name}.)"),
            AIMessage(answer)]}, as_node="agent")
        return answer

    def import_jobs(self, path: Path) -> str:
        """``/import FILE``: a jobs file into this user's private jobs, or into the shared
        store when the user is named in ``JOBFIT_ADMINS`` (``store/jobaccess.py``)."""
        from agent.bootstrap import get_settings

        path = Path(path).expanduser()
        if not path.is_file():
            raise InvalidInputError(f"{path}: no such file")
        admin = self.service.is_admin(get_settings().admins, self.user)
        summary = self.service.import_jobs(path, owner_id=self.user, admin=admin)
        failed = f", {summary.failed} rows skipped" if summary.failed else ""
        where = "into the shared job store" if admin else "as your private jobs (only you see them)"
        return (f"Imported {path.name} {where}: {summary.total} rows — {summary.new} new, "
                f"{summary.updated} updated, {summary.unchanged} unchanged{failed}.")

    def new_conversation(self) -> str:
        """Forget this conversation's history (the CV and data stay)."""
        checkpointer = getattr(self.graph, "checkpointer", None)
        if checkpointer is not None:
            checkpointer.delete_thread(self.thread)
        return "Started a new conversation. Your CV, matches and preferences are kept."


def _read_message(first: str, lines: Iterator[str]) -> str:
    """A message: one line, or a \"\"\"-fenced block of lines."""
    from ui.piped import read_fenced

    if first.strip() != MULTILINE:
        return first.strip()
    return read_fenced(lines)


def _command(session: ChatSession, text: str) -> tuple[str | None, bool]:
    """Run a /command: (answer, keep going)."""
    name, _, arg = text.partition(" ")
    name = name.lower()
    if name in ("/quit", "/exit", "/q"):
        return None, False
    if name in ("/help", "/?"):
        return HELP, True
    if name == "/new":
        return session.new_conversation(), True
    if name == "/cv":
        if not arg.strip():
            raise InvalidInputError("usage: /cv FILE")
        return session.load_cv(Path(arg.strip().strip("'\""))), True
    if name == "/import":
        if not arg.strip():
            raise InvalidInputError("usage: /import FILE (JSON, JSONL or CSV of jobs)")
        return session.import_jobs(Path(arg.strip().strip("'\""))), True
    raise InvalidInputError(f"unknown command {name}; /help lists them")


def run_piped(session: ChatSession, stdin: IO[str], stdout: IO[str], stderr: IO[str]) -> int:
    """One message per line (or a \"\"\" block); each answer, then an empty line, on stdout.
    A whole document piped in (a CV, a posting) is one message, never a list of commands
    (``ui/piped.py``). Returns the number of failed commands."""
    from ui.piped import split_messages

    failures = 0
    for text in split_messages(stdin.read()):
        try:
            if text.startswith("/"):
                answer, go_on = _command(session, text)
                if not go_on:
                    break
            else:
                answer = session.ask(text)
        except JobfitError as exc:
            failures += 1
            stderr.write(f"jobfit: error: {exc}\n")
            stderr.flush()
            continue
        stdout.write((answer or "") + "\n\n")
        stdout.flush()
    return failures


def run_interactive(session: ChatSession) -> None:
    """The rich REPL."""
    from rich.console import Console
    from rich.live import Live
    from rich.markdown import Markdown
    from rich.panel import Panel

    console = Console()
    console.print(Panel.fit(Markdown(HELP), title=f"jobfit · {session.user}",
                            border_style="cyan"))

    def lines() -> Iterator[str]:
        while True:
            yield console.input("[bold cyan]you ›[/] ")

    source = lines()
    while True:
        try:
            text = _read_message(next(source), source)
        except (EOFError, KeyboardInterrupt, StopIteration):
            console.print()
            return
        if not text:
            continue
        try:
            if text.startswith("/"):
                answer, go_on = _command(session, text)
                if not go_on:
                    return
                console.print(Markdown(answer or ""))
                continue
            with Live(Markdown("…"), console=console, refresh_per_second=12,
                      transient=False) as live:
                for shown in session.stream(text):
                    live.update(Markdown(shown))
        except JobfitError as exc:
            console.print(f"[red]jobfit: {exc}[/]")
        except KeyboardInterrupt:
            console.print("[yellow](interrupted)[/]")
        console.print()


def _warm_up(service: JobfitService) -> None:
    try:
        service.warm_up()
    except Exception:  # the first question will show any real problem
        logger.debug("warm-up failed", exc_info=True)


def check_user(user: str) -> str:
    """A CLI user name is the user id: 1-64 characters, no ':'."""
    user = (user or "").strip()
    if not user or len(user) > 64 or ":" in user:
        raise InvalidInputError("--user must be 1-64 characters without ':'")
    return user


def build_session(user: str) -> ChatSession:
    """A session on the configured store, model and checkpointer."""
    import importlib.util

    from agent.bootstrap import build_model, build_service, get_settings
    from agent.graph import build_graph

    settings = get_settings()
    service = build_service(settings)
    from ui.scheduler import attach_channels

    attach_channels(service, settings)  # digests sent from the chat go by e-mail too
    service.ensure_user(user)
    rewriter = None
    if settings.llm != "offline" and importlib.util.find_spec("agent.llm") is not None:
        from agent.llm import build_rewriter

        rewriter = build_rewriter(settings)
    graph = build_graph(build_model(settings), checkpointer=service.checkpointer)
    return ChatSession(graph, service, user, rewriter=rewriter)


def run_chat(user: str, cv_file: Path | None = None, trace: bool = False) -> None:
    """``jobfit chat``: interactive on a terminal, line by line when stdin is piped; with
    ``trace``, one JSON line per tool call on stderr (agent/trace.py)."""
    session = build_session(check_user(user))
    if trace:
        session.trace = sys.stderr
    interactive = sys.stdin.isatty()
    if interactive:  # load the keyword index and embedder while the user types
        import threading

        threading.Thread(target=_warm_up, args=(session.service,), daemon=True).start()
    if cv_file is not None:
        answer = session.load_cv(cv_file)
        if interactive:
            from rich.console import Console
            from rich.markdown import Markdown

            Console().print(Markdown(answer))
        else:
            sys.stdout.write(answer + "\n\n")
            sys.stdout.flush()
    if interactive:
        run_interactive(session)
    else:
        failed = run_piped(session, sys.stdin, sys.stdout, sys.stderr)
        if failed:
            raise JobfitError(f"{failed} message(s) or command(s) failed (see above)")
