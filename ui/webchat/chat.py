"""A chat's life: the welcome and starters, chat start and resume, and each message (checks,
files, the agent turn). A new chat's address becomes ``/thread/<id>`` (``announce_thread``),
so a browser reload resumes it."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.types import ThreadDict

from ui.webchat.answers import run_turn
from ui.webchat.runtime import (
    Runtime,
    auth_mode,
    call,
    get_runtime,
    graph_thread_id,
    guarded,
    log_failure,
    owner_id,
    say,
    web_guard,
)
from ui.webchat.uploads import add_to_pool, handle_file

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------- welcome


def welcome_markdown(mode: str, name: str | None = None) -> str:
    hello = f"Hi {name}! " if name and mode == "password" else ""
    text = (
        f"### {hello}How well do you fit the job?\n"
        "**Add your CV** — drag a PDF, DOCX or TXT file into the chat, use the paperclip "
        "button, or paste the text. Then ask for your best matches, search jobs, or paste a "
        "job posting.\n\n"
        "Scores come from a deterministic engine and every number is explained."
    )
    if mode == "open":
        text += ("\n\n🔓 **Open single-user mode** — no login: anyone who can open this address "
                 "uses the same local data. Set `JOBFIT_AUTH=password` for accounts.")
    return text


STARTERS = [
    ("What are my best matches?", "What are my best matches?"),
    ("Search remote Python jobs", "Search remote python jobs"),
    ("How well do I fit job 1?", "How well do I fit job 1?"),
    ("Show my profile", "Show my profile"),
]


@cl.set_chat_profiles
async def chat_profiles(user: cl.User | None) -> list[cl.ChatProfile]:
    """One profile: it carries the welcome text and the starters of a new chat."""
    name = getattr(user, "display_name", None) or getattr(user, "identifier", None)
    return [cl.ChatProfile(
        name="jobfit", markdown_description=welcome_markdown(auth_mode(), name),
        icon="/public/favicon.svg", default=True,
        starters=[cl.Starter(label=label, message=message) for label, message in STARTERS])]


@cl.on_chat_start
async def on_chat_start() -> None:
    uid = owner_id()
    runtime = await get_runtime()
    user = cl.user_session.get("user")
    await call(runtime.service.ensure_user, uid, getattr(user, "display_name", None))
    await guarded("digest", _show_digest(runtime, uid))


async def _show_digest(runtime: Runtime, uid: str) -> None:
    """The latest unseen digest, when there is one (ui/digest_web.py)."""
    from ui.digest_web import show_unseen_digest
    from ui.scheduler import attach_channels

    await call(attach_channels, runtime.service, runtime.settings)
    await show_unseen_digest(runtime.service, uid)


@cl.on_chat_resume
async def on_chat_resume(thread: ThreadDict) -> None:
    """The graph keeps the conversation under ``<user id>:<thread id>``; nothing to reload."""
    cl.user_session.set("jf_started", True)
    uid = owner_id()
    runtime = await get_runtime()
    await call(runtime.service.ensure_user, uid, None)


# --------------------------------------------------------------------------- messages


_turns: Any = None


@cl.on_message
async def on_message(message: cl.Message) -> None:
    """Checks, then the turn: the session must still be valid, the user within their rate
    limits, and turns of one thread run one after another (ui/turns.py)."""
    from ui import metrics
    from ui.security import SESSION_ENDED, token_is_current
    from ui.turns import TurnQueue

    global _turns
    uid = owner_id()
    guard = web_guard()
    token = getattr(cl.context.session, "token", None)
    if auth_mode() == "password" and not await call(token_is_current, token, guard.sessions):
        await say(f"⚠️ {SESSION_ENDED}")
        return
    if (message.content or "").strip() and (refused := guard.take_turn(uid)):
        await say(f"⚠️ {refused}")
        return
    _turns = _turns or TurnQueue()
    received = time.perf_counter()
    async with _turns.turn(graph_thread_id(uid, cl.context.session.thread_id)):
        metrics.TURN_WAIT_SECONDS.observe(time.perf_counter() - received)
        await answer_message(message, uid)
    metrics.TURN_SECONDS.observe(time.perf_counter() - received)


async def answer_message(message: cl.Message, uid: str) -> None:
    runtime = await get_runtime()
    files = [e for e in (message.elements or []) if getattr(e, "path", None)]
    text = (message.content or "").strip()
    first = not cl.user_session.get("jf_started")
    cl.user_session.set("jf_started", True)
    if first:  # the address becomes /thread/<id>: a reload comes back to this chat
        task = asyncio.create_task(announce_thread(cl.context.session.thread_id))
        _background.add(task)
        task.add_done_callback(_background.discard)
    from ui.recruiter_web import wants_pool

    files_done = False
    if wants_pool([str(getattr(e, "name", "") or "") for e in files]):
        if refused := web_guard().take_upload(uid):  # one batch counts as one upload
            for element in files:
                Path(str(element.path)).unlink(missing_ok=True)
            await say(f"⚠️ {refused}")
        else:
            await guarded("pool upload", add_to_pool(runtime, uid, files))  # recruiters
        files_done = True
    for element in files if not files_done else []:
        if refused := web_guard().take_upload(uid):
            Path(str(element.path)).unlink(missing_ok=True)
            await say(f"⚠️ {getattr(element, 'name', 'file')}: {refused}")
            continue
        await guarded("file upload", handle_file(runtime, uid, element))
    if files and not text:
        await _label_upload(message, [str(getattr(e, "name", "") or "file") for e in files])
    if first and files and not text:  # after Chainlit's own (empty) naming has landed
        await _name_thread(f"Files: {', '.join(str(getattr(e, 'name', '')) for e in files)}")
    if text and _link_request(text):
        await guarded("link code", send_link_code(runtime, uid, text))
    elif text:
        await guarded("chat turn", run_turn(runtime, uid, text))
    elif not files:
        await say("Send a question, paste a job posting or your CV, or drop a file here.")


async def _label_upload(message: cl.Message, names: list[str]) -> None:
    """A message that only carries files says what was attached, instead of showing as an
    empty bubble under the upload."""
    try:
        message.content = f"Attached {', '.join(names)}"
        await message.update()
    except Exception:
        log_failure("labelling an upload")


_background: set[asyncio.Task[None]] = set()  # running announce_thread tasks (kept referenced)
THREAD_WAIT_S = 10.0  # how long announce_thread waits for Chainlit to save a new thread


async def announce_thread(thread_id: str) -> None:
    """Once a new chat's thread is saved, tell the page its id (a window message):
    ``public/jobfit.js`` puts it in the address as ``/thread/<id>``, so a reload resumes this
    conversation (``on_chat_resume``) instead of opening an empty chat. Chainlit moves the
    address itself only for some first messages (never for a file-only one) and only while its
    history sidebar is mounted; "New chat" still opens ``/``."""
    from chainlit.data import get_data_layer

    layer = get_data_layer()
    if layer is None:
        return
    deadline = time.monotonic() + THREAD_WAIT_S
    while True:  # Chainlit saves the thread in a task of its own, with the first message
        try:
            await layer.get_thread_author(thread_id)
            break
        except Exception:
            if time.monotonic() > deadline:
                logger.warning("a new chat's thread was not saved in %.0f s", THREAD_WAIT_S)
                return
            await asyncio.sleep(0.1)
    try:
        await cl.send_window_message({"jobfit": "thread", "threadId": thread_id})
    except Exception:
        log_failure("announcing the thread")


def _link_request(text: str) -> bool:
    from ui.bots import LINK_REQUEST_RE

    return bool(LINK_REQUEST_RE.match(text))


async def send_link_code(runtime: Runtime, uid: str, text: str) -> None:
    """"link slack" / "link teams": a one-time code that links a chat bot identity to this
    account (``ui/bots.py``)."""
    from ui.bots import LINK_REQUEST_RE, link_code_text

    match = LINK_REQUEST_RE.match(text)
    code = await call(runtime.service.issue_link_code, uid)
    await say(link_code_text(code, match.group(1) if match else None))


async def _name_thread(name: str) -> None:
    """Name a chat that began with a file (Chainlit names a chat after its first message's
    text, which is empty then)."""
    from chainlit.data import get_data_layer

    layer = get_data_layer()
    if layer is None:
        return
    try:
        await layer.update_thread(thread_id=cl.context.session.thread_id, name=name[:80])
    except Exception:
        log_failure("naming the thread")
