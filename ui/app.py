"""The jobfit web chat (Chainlit): ``jobfit ui`` / ``make run`` -> http://127.0.0.1:8000.

- Accounts: ``JOBFIT_AUTH=open`` (default) is one local user with no login (header auth that
  always answers "local"); ``JOBFIT_AUTH=password`` logs in users added with ``jobfit users add``.
  Every operation is scoped by the session's jobfit user id; graph threads are
  ``"<user id>:<chainlit thread id>"``.
- Chat history and resume: :class:`ui.web.JobfitDataLayer` (tables ``cl_*`` in the project
  database).
- A message runs the agent graph with ``astream`` (tokens streamed, tool calls as steps); tool
  results become cards (custom elements in ``public/elements``). Card buttons call the service
  directly (``jf_*`` action callbacks).
- Files dropped into the chat: a CV (PDF, DOCX, TXT, MD) is saved as the current CV; a jobs file
  (JSON, JSONL, CSV) is imported into the shared job store with progress.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("CHAINLIT_APP_ROOT", str(APP_ROOT))

import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import secrets  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from collections.abc import Awaitable, Callable, Mapping  # noqa: E402
from functools import cache  # noqa: E402
from typing import TYPE_CHECKING, Any, TypeVar  # noqa: E402

import chainlit as cl  # noqa: E402
import chainlit.config as cl_config  # noqa: E402
from chainlit.types import ThreadDict  # noqa: E402
from chainlit.utils import utc_now  # noqa: E402

from agent.bootstrap import get_settings  # noqa: E402
from tools.errors import JobfitError  # noqa: E402
from ui import web  # noqa: E402

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from agent.service import JobfitService
    from agent.settings import Settings

logger = logging.getLogger("ui.app" if "/" in __name__ else __name__)  # Chainlit loads a path

T = TypeVar("T")

LOCAL_USER = "local"  # the user id and login of open mode
CV_SUFFIXES = {".pdf", ".docx", ".txt", ".md"}
JOB_SUFFIXES = {".json", ".jsonl", ".csv"}
GENERIC_ERROR = "Something went wrong on our side; please try again."
SECRET_FILE = ".chainlit_auth_secret"
AGENT_NODE = "agent"  # the graph node whose model output is the answer
TAILORED_NAME = "Tailored CV"
STREAM_INTERVAL_S = 0.05  # batch streamed tokens over this window
PUBLIC_MAX_AGE_S = 600  # browsers keep the card code (public/elements/*.jsx) this long


def auth_mode() -> str:
    """``open`` or ``password`` (``JOBFIT_AUTH``), read when the app module loads."""
    return os.environ.get("JOBFIT_AUTH", "open").strip().lower() or "open"


def sync_database_url(settings: Settings) -> str:
    """The project database as a sync SQLAlchemy URL (``DATABASE_URL`` or the SQLite file)."""
    from store.db import normalise_url

    if settings.database_url:
        return normalise_url(settings.database_url)
    return f"sqlite:///{(Path(settings.data_dir) / 'jobfit.db').resolve()}"


# --------------------------------------------------------------------------- runtime


class Runtime:
    """What the handlers need: the service, the compiled graph, an optional rewriter.

    (A plain class: Chainlit loads this file outside ``sys.modules``, where dataclasses fail.)
    """

    def __init__(self, *, settings: Settings, service: JobfitService, graph: Any,
                 rewriter: Any = None) -> None:
        self.settings = settings
        self.service = service
        self.graph = graph
        self.rewriter = rewriter


_runtime: Runtime | None = None
_runtime_lock: asyncio.Lock | None = None


def set_runtime(runtime: Runtime | None) -> None:
    """Use this runtime (tests), or None to build the default one on next use."""
    global _runtime
    _runtime = runtime


async def get_runtime() -> Runtime:
    """The process's runtime, built once: service, async checkpointer, model, graph."""
    global _runtime, _runtime_lock
    if _runtime is not None:
        return _runtime
    if _runtime_lock is None:
        _runtime_lock = asyncio.Lock()
    async with _runtime_lock:
        if _runtime is None:
            _runtime = await build_runtime(get_settings())
    return _runtime


async def build_runtime(settings: Settings) -> Runtime:
    from agent.bootstrap import build_async_checkpointer, build_model, build_service

    service = await asyncio.to_thread(build_service, settings)
    try:
        from agent.graph import build_graph
    except ImportError:  # a partial install: cards and buttons still work
        logger.exception("the agent graph is unavailable")
        graph = None
    else:
        checkpointer = await build_async_checkpointer(settings)
        graph = build_graph(build_model(settings), checkpointer=checkpointer)
    rewriter = None
    if settings.llm != "offline":
        try:
            from agent.llm import build_rewriter

            rewriter = build_rewriter(settings)
        except (ImportError, JobfitError):
            logger.warning("no LLM rewriter; tailoring uses the deterministic rewrites")
    return Runtime(settings=settings, service=service, graph=graph, rewriter=rewriter)


@cache
def _engine() -> Engine:
    from agent.bootstrap import build_engine

    return build_engine(get_settings())


async def call(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking service call off the event loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


def owner_id() -> str:
    """The jobfit user id of this chat session (set by the auth callbacks, never by a model)."""
    user = cl.user_session.get("user") or getattr(cl.context.session, "user", None)
    meta = getattr(user, "metadata", None) or {}
    uid = meta.get("jobfit_id")
    if not uid:
        raise JobfitError("Please log in again.")
    return str(uid)


def graph_thread_id(user_id: str, chainlit_thread_id: str) -> str:
    """The graph thread of a Chainlit thread (``agent.threads``: what "forget me" deletes)."""
    from agent.threads import thread_id

    return thread_id(user_id, chainlit_thread_id)


async def say(content: str, **kwargs: Any) -> cl.Message:
    msg = cl.Message(content=content, **kwargs)
    await msg.send()
    return msg


def _log_failure(what: str) -> None:
    """Log the current exception's type and stack only: its message may quote user text."""
    exc_type, exc, tb = sys.exc_info()
    name = exc_type.__name__ if exc_type else "error"
    stack = "".join(traceback.format_tb(tb)) if tb else ""
    logger.error("%s failed: %s\n%s", what, name, stack.rstrip())


async def guarded(what: str, coro: Awaitable[T]) -> T | None:
    """Await ``coro``; a JobfitError is shown as is, anything else logged and shown politely."""
    try:
        return await coro
    except JobfitError as exc:
        await say(f"⚠️ {exc}")
    except Exception:
        _log_failure(f"web chat: {what}")
        await say(f"⚠️ {GENERIC_ERROR}")
    return None


# --------------------------------------------------------------------------- auth & data layer

if auth_mode() == "password":

    @cl.password_auth_callback
    async def password_login(username: str, password: str) -> cl.User | None:
        """Check a login against the ``logins`` table (throttled, see ui/security.py); the
        session id it starts rides in the token and is checked on every request."""
        from ui.security import LoginLocked
        from ui.users import verify_user

        try:
            found = await web_guard().login(
                username, password, lambda n, p: verify_user(n, p, engine=_engine()))
        except LoginLocked:
            raise  # POST /login (ui/routes.py) answers 429 with Retry-After
        except Exception:
            _log_failure("login check")
            return None
        if found is None:
            return None
        uid, sid = found
        return cl.User(identifier=username.strip(), display_name=username.strip(),
                       metadata={"jobfit_id": uid, "mode": "password", "jf_sid": sid})

    @cl.on_logout
    async def password_logout(request: Any, response: Any) -> dict[str, bool]:
        """Logging out ends the session server-side too (the token stops working at once)."""
        from chainlit.auth import get_token_from_cookies

        await web_guard().logout(get_token_from_cookies(request.cookies))
        return {"success": True}

else:

    @cl.header_auth_callback
    async def open_login(headers: Any) -> cl.User | None:
        """Open single-user mode: everyone who reaches the app is the local user."""
        return cl.User(identifier=LOCAL_USER, display_name="Local user (open mode)",
                       metadata={"jobfit_id": LOCAL_USER, "mode": "open"})


@cl.data_layer
def chat_history() -> web.JobfitDataLayer:
    """Chat history in the project database (tables created here when missing)."""
    url = sync_database_url(get_settings())
    web.create_chat_tables(url)
    return web.JobfitDataLayer(conninfo=web.async_url(url))


def _uploads_dir() -> Path:
    path = Path(get_settings().data_dir).resolve() / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


# Uploaded files go under the data directory (deleted after reading), not the app folder.
cl_config.FILES_DIRECTORY = _uploads_dir()


def _cache_public_files() -> None:
    """Let browsers cache ``/public`` (card code, CSS, logos): Chainlit fetches a card's JSX
    each time one is shown, which would otherwise wait on a server busy streaming the answer."""
    server = sys.modules.get("chainlit.server")
    if server is None:  # imported outside the Chainlit server (tests, the CLI)
        return

    server.app.add_middleware(CachePublic)


class CachePublic:
    """ASGI middleware adding ``Cache-Control`` to ``/public/`` answers. Plain ASGI, not
    Starlette's ``BaseHTTPMiddleware``: that one raises ``RuntimeError: No response returned``
    whenever a browser drops a request mid-way (a card's JSX fetched while the page changes)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or not str(scope.get("path", "")).startswith("/public/"):
            await self.app(scope, receive, send)
            return

        async def send_cached(message: Any) -> None:
            if message.get("type") == "http.response.start" and message.get("status") == 200:
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"cache-control"]
                headers.append((b"cache-control", f"private, max-age={PUBLIC_MAX_AGE_S}".encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_cached)


_cache_public_files()

_web_guard: Any = None


def web_guard() -> Any:
    """This process's :class:`ui.security.WebGuard` (sessions, login throttle, rate limits)."""
    global _web_guard
    if _web_guard is None:
        from ui.security import WebGuard

        _web_guard = WebGuard(get_settings(), _engine)
    return _web_guard


def _install_security() -> None:
    """Security middleware, health/readiness/metrics and owner-checked feedback routes."""
    global _web_guard
    server = sys.modules.get("chainlit.server")
    if server is None:  # imported outside the Chainlit server (tests, the CLI)
        return
    from ui import routes

    async def service() -> Any:
        return (await get_runtime()).service

    settings = get_settings()
    _web_guard = routes.install_security(server.app, settings, auth_mode(), _engine,
                                         on_start=warm_up)
    login = password_login if auth_mode() == "password" else None
    routes.install(server.app, routes.build_router(settings, _engine, service, login=login))


async def warm_up() -> None:
    """Build the runtime, load the matching indexes and the occupation model before the first
    question (from the server's first request): the first "best matches" on a cold server
    took ~9 s, most of it building these."""
    try:
        runtime = await get_runtime()
        await call(runtime.service.warm_up)
        from tools.occupations import load_model

        await call(load_model)
    except Exception:
        _log_failure("warm-up")


_install_security()


def _mode_footer() -> None:
    """The footer says what is true for the model in use (ui/footer.py), not "LLMs can make
    mistakes" when no LLM runs."""
    from ui.footer import footer_text, with_footer

    settings = get_settings()
    text = footer_text(settings.llm, settings.model)
    config_class = type(cl_config.config)
    load = config_class.load_translation
    if getattr(load, "jobfit_footer", False):
        return

    def load_translation(self: Any, language: str) -> dict[str, Any]:
        return with_footer(load(self, language), text)

    load_translation.jobfit_footer = True  # type: ignore[attr-defined]
    config_class.load_translation = load_translation


_mode_footer()


def _install_digests() -> None:
    """The unsubscribe route and the in-process scheduler (inside the Chainlit server only)."""
    server = sys.modules.get("chainlit.server")
    if server is not None:
        from ui.digest_web import install

        install(server)


_install_digests()


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
        _log_failure("labelling an upload")


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
        _log_failure("announcing the thread")


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
        _log_failure("naming the thread")


async def handle_file(runtime: Runtime, uid: str, element: Any) -> None:
    """A dropped file: a CV is saved as the current CV, a jobs file is imported."""
    name = str(getattr(element, "name", "") or "file")
    path = Path(str(element.path))
    suffix = Path(name).suffix.lower() or path.suffix.lower()
    limit = runtime.settings.max_upload_bytes
    try:
        size = path.stat().st_size
        if size > limit:
            raise JobfitError(
                f"{name} is {size / 1_048_576:.1f} MB; the limit is {limit / 1_048_576:.0f} MB.")
        if suffix in CV_SUFFIXES:
            await save_cv_file(runtime, uid, name, path.read_bytes())
        elif suffix in JOB_SUFFIXES:
            await import_jobs_file(runtime, name, path, uid)
        else:
            raise JobfitError(
                f"I can't read {name}: send a CV as PDF, DOCX, TXT or MD, or a list of jobs as "
                "JSON, JSONL or CSV.")
    except BaseException:
        if suffix in CV_SUFFIXES:
            path.unlink(missing_ok=True)  # not a CV we keep: no stray copy
        raise
    finally:
        if suffix in JOB_SUFFIXES:
            path.unlink(missing_ok=True)  # imported into the database now: no stray copy
    # A CV that was read stays in the session's folder until the session ends (Chainlit then
    # deletes the folder; "forget me" deletes it at once): the chat shows the upload, and a
    # PDF preview fetched after reading must find it ("Failed to load PDF file" otherwise).


async def add_to_pool(runtime: Runtime, uid: str, elements: list[Any]) -> None:
    """Several CVs (or a ZIP of CVs) dropped at once: the recruiter's candidate pool, with a
    running count; each file is read with the usual limits and deleted once read."""
    from agent.recruiter_intents import pool_summary_text
    from agent.recruiting import Recruiting

    limit = runtime.settings.max_upload_bytes
    files: list[tuple[str, bytes]] = []
    too_big: list[dict[str, str]] = []
    for element in elements:
        name = str(getattr(element, "name", "") or "file")
        path = Path(str(element.path))
        try:
            size = path.stat().st_size
            zip_limit = limit * 20 if name.lower().endswith(".zip") else limit
            if size > zip_limit:
                too_big.append({"file": name, "reason": f"{name} is {size / 1_048_576:.1f} MB;"
                                f" the limit is {zip_limit / 1_048_576:.0f} MB."})
            else:
                files.append((name, path.read_bytes()))
        finally:
            path.unlink(missing_ok=True)
    state = {"done": 0, "total": 0}

    def progress(done: int, total: int) -> None:
        state["done"], state["total"] = done, total

    msg = await say(f"⏳ Adding {len(elements)} file(s) to your candidate pool…")
    desk = Recruiting(runtime.service)
    task = asyncio.create_task(call(desk.add, uid, files=files, progress=progress))
    while not task.done():
        await asyncio.wait({task}, timeout=0.5)
        msg.content = (f"⏳ Adding CVs to your candidate pool: {state['done']:,} / "
                       f"{state['total']:,}…")
        await msg.update()
    summary = task.result()
    summary.errors = too_big + summary.errors
    summary.failed += len(too_big)
    summary.total += len(too_big)
    msg.content = "✅ " + pool_summary_text(summary.model_dump(mode="json"))
    await msg.update()


async def save_cv_file(runtime: Runtime, uid: str, name: str, data: bytes) -> None:
    async with cl.Step(name="Reading your CV", type="tool") as step:
        step.input = name
        summary = await call(runtime.service.save_cv, uid, data=data, file_name=name)
        step.output = f"{summary.skills_count} skills found"
    await say(web.cv_summary_markdown(summary.model_dump(mode="json"))
              + "\n\nNext: ask **what are my best matches?**, search for jobs, or paste a job "
              "posting to see how well you fit.")


async def import_jobs_file(runtime: Runtime, name: str, path: Path,
                           uid: str | None = None) -> None:
    """A jobs file dropped into the chat: the shared store for an admin (open mode's local
    user, ``JOBFIT_ADMINS``), else the user's private jobs (``store.jobaccess``)."""
    from store.jobaccess import chat_user_is_admin

    state: dict[str, Any] = {"done": 0, "total": None}
    user = cl.user_session.get("user")
    admin = uid is None or chat_user_is_admin(
        runtime.settings.admins, getattr(user, "identifier", None), uid,
        open_mode=runtime.settings.auth == "open")

    def progress(done: int, total: int | None) -> None:
        state["done"], state["total"] = done, total

    msg = await say(f"⏳ Importing jobs from {name}…")
    task = asyncio.create_task(call(runtime.service.import_jobs, path, progress,
                                    owner_id=uid, admin=admin))
    while not task.done():
        await asyncio.wait({task}, timeout=0.5)
        total = f" / {state['total']:,}" if state["total"] else ""
        msg.content = f"⏳ Importing jobs from {name}: {state['done']:,}{total} rows…"
        await msg.update()
    from ui import metrics

    try:
        summary = task.result()
    except BaseException:
        metrics.IMPORTS.labels(outcome="failed").inc()
        msg.content = f"Import of {name} stopped."
        await msg.update()
        raise
    metrics.IMPORTS.labels(outcome="ok").inc()
    metrics.IMPORTED_ROWS.inc(summary.total)
    failed = f", {summary.failed} rows skipped" if summary.failed else ""
    msg.content = (f"✅ Imported {name}: {summary.total:,} rows — {summary.new:,} new, "
                   f"{summary.updated:,} updated, {summary.unchanged:,} unchanged{failed}.")
    if not admin:
        msg.content += " These jobs are private: only you see them."
    if summary.errors:
        msg.content += "\n" + "\n".join(
            f"- row {getattr(e, 'row', '?')}: {getattr(e, 'message', e)}"
            for e in summary.errors[:5])
    await msg.update()


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content
                       if not isinstance(p, dict) or p.get("type", "text") == "text")
    return ""


def _step_input(name: str, args: Mapping[str, Any]) -> dict[str, Any]:
    """Tool arguments as shown in a step (pasted CV or job text is summarised, not shown)."""
    shown = dict(args)
    for key in ("text", "job_text"):
        if isinstance(shown.get(key), str):
            shown[key] = f"<{len(shown[key])} characters>"
    return shown


def parse_result(content: Any) -> dict[str, Any]:
    try:
        result = json.loads(_text_of(content))
    except (TypeError, ValueError):
        return {"kind": "text", "text": _text_of(content)}
    return result if isinstance(result, dict) else {"kind": "text", "text": str(result)}


class _Answer:
    """The streamed answer bubble. Tokens are sent in small batches (at most every
    ``STREAM_INTERVAL_S``), so a fast model does not flood the socket and the browser with one
    event per word while cards are rendering; a slow model still streams word by word."""

    def __init__(self) -> None:
        self.message: cl.Message | None = None
        self.buffer = ""
        self.last = 0.0
        #: a card already shows this turn's result: keep the answer whole and send only what
        #: the card does not say (the offline model's answer repeats the card as plain text)
        self.condense = False

    async def add(self, token: str) -> None:
        if not token:
            return
        self.buffer += token
        if not self.condense and time.perf_counter() - self.last >= STREAM_INTERVAL_S:
            await self.flush()

    async def flush(self) -> None:
        if not self.buffer:
            return
        if self.message is None:
            self.message = cl.Message(content="")
        token, self.buffer = self.buffer, ""
        await self.message.stream_token(token)
        self.last = time.perf_counter()
        await asyncio.sleep(0)  # let other requests (element code, files) through

    async def close(self) -> None:
        if self.condense and self.message is None:
            self.buffer = web.beyond_card(self.buffer)
        await self.flush()
        if self.message is not None:
            await self.message.send()
        self.message, self.last = None, 0.0


class _Progress:
    """A "working on it" line with elapsed seconds while a long tool runs (matching against
    the whole index, search, comparisons, tailoring); removed when the result arrives."""

    LABELS = {"match_jobs": "Matching your CV against {n:,} jobs",
              "search_jobs": "Searching {n:,} jobs",
              "compare": "Comparing", "tailor_cv": "Tailoring your CV"}

    def __init__(self) -> None:
        self.message: cl.Message | None = None
        self.task: asyncio.Task[None] | None = None

    async def start(self, runtime: Runtime, tool: str) -> None:
        label = self.LABELS.get(tool)
        if label is None or self.message is not None:
            return
        if "{n" in label:
            label = label.format(n=await call(runtime.service.job_count))
        self.message = await say(f"⏳ {label}…")
        self.task = asyncio.create_task(self._tick(self.message, label))

    @staticmethod
    async def _tick(message: cl.Message, label: str) -> None:
        started = time.perf_counter()
        while True:
            await asyncio.sleep(1.0)
            message.content = f"⏳ {label}… {time.perf_counter() - started:.0f} s"
            await message.update()

    async def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()
        if self.message is not None:
            await self.message.remove()
        self.message, self.task = None, None


async def run_turn(runtime: Runtime, uid: str, text: str) -> None:
    """One user message through the graph: tokens streamed, tool calls as steps, cards."""
    from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, ToolMessage

    from agent.context import Context

    if runtime.graph is None:
        raise JobfitError("The chat agent is not available in this installation.")
    from agent.graph import run_config

    config = run_config(graph_thread_id(uid, cl.context.session.thread_id))
    context = Context(user_id=uid, service=runtime.service, rewriter=runtime.rewriter)
    answer, progress = _Answer(), _Progress()
    calls: dict[str, tuple[str, dict[str, Any], str]] = {}
    started = time.perf_counter()
    forgotten = False
    try:
        async for mode, data in runtime.graph.astream(
                {"messages": [HumanMessage(text)]}, config=config, context=context,
                stream_mode=["messages", "updates"]):
            if mode == "messages":
                chunk, meta = data
                if not isinstance(chunk, AIMessageChunk | AIMessage):
                    continue
                if (meta or {}).get("langgraph_node", AGENT_NODE) != AGENT_NODE:
                    continue  # e.g. an LLM rewriting CV lines inside a tool: not the answer
                await answer.add(_text_of(chunk.content))
                continue
            for update in (data or {}).values():
                messages = update.get("messages") if isinstance(update, dict) else None
                for m in messages or []:
                    if isinstance(m, AIMessage) and m.tool_calls:
                        await answer.close()  # text before tool calls: close that bubble
                        for tc in m.tool_calls:
                            calls[str(tc.get("id"))] = (tc["name"], dict(tc.get("args") or {}),
                                                        utc_now())
                            await progress.start(runtime, tc["name"])
                    elif isinstance(m, ToolMessage):
                        await progress.stop()
                        result = parse_result(m.content)
                        if result.get("kind") == "error":
                            from ui import metrics

                            metrics.TOOL_ERRORS.labels(tool=str(m.name or "unknown")).inc()
                        forgotten = forgotten or result.get("kind") == "forgotten"
                        await send_tool_step(calls.pop(str(m.tool_call_id), None), result)
                        shown = await guarded("render", render_result(result))
                        if shown is not None and runtime.settings.llm == "offline":
                            answer.condense = True
    finally:  # also on errors and on Stop: the progress ticker must not outlive the turn
        await progress.stop()
        if forgotten:  # this turn's earlier checkpoints (the whole chat) may land after forget
            await call(runtime.service.purge_conversations, uid)
    await answer.close()
    logger.info("turn done in %.0f ms", (time.perf_counter() - started) * 1000)


async def send_tool_step(call_info: tuple[str, dict[str, Any], str] | None,
                         result: Mapping[str, Any]) -> None:
    """A finished tool call as a collapsible step (sent whole, so it sits above its card)."""
    if call_info is None:
        return
    name, args, start = call_info
    step = cl.Step(name=name, type="tool", show_input="json")
    step.input = _step_input(name, args)
    step.output = web.short_summary(result)
    step.is_error = result.get("kind") == "error"
    step.start, step.end = start, utc_now()
    await step.send()


# --------------------------------------------------------------------------- cards


async def render_result(result: Mapping[str, Any]) -> cl.Message | None:
    """Show a tool result as a card (or nothing: the answer text covers it)."""
    kind = result.get("kind")
    if kind == "analysis":
        return await _card("ScoreCard", web.score_card_props(result))
    if kind == "job_list":
        return await _card("JobList", web.job_list_props(result))
    if kind == "gaps":
        return await _card("GapList", web.gaps_props(result))
    if kind == "tailoring_options":
        return await _card("TailorOptions", web.tailor_options_props(result))
    if kind == "tailored_cv":
        return await send_tailored(result)
    if kind == "comparison":
        return await say(web.comparison_markdown(result))
    if kind == "candidate_ranking":  # recruiters: the ranked pool, blind, with decisions
        from ui.recruiter_web import candidate_list_props

        return await _card("CandidateList", candidate_list_props(result))
    if kind == "candidate_comparison":  # recruiters: blind side-by-side card
        from ui.recruiter_web import candidate_compare_props

        return await _card("CandidateCompare", candidate_compare_props(result))

    if kind == "digest" and result.get("digest"):
        from ui.digest_web import digest_card_props

        return await _card("DigestCard", digest_card_props(result))
    if kind == "cv_saved":
        return await say(web.cv_summary_markdown(result.get("cv") or {}))
    if kind == "applications":
        from ui.pipeline import applications_props

        return await _card("Applications", applications_props(result))
    if kind == "forgotten":
        await forget_chat_history()
    return None


async def _card(name: str, props: dict[str, Any]) -> cl.Message:
    element = cl.CustomElement(name=name, props=props, display="inline")
    return await say("", elements=[element])


async def forget_chat_history() -> None:
    """After "forget me": the user's web chat history and session files (uploads, tailored CV
    downloads) go too."""
    user = cl.user_session.get("user")
    ident = getattr(user, "identifier", None)
    if ident:
        files = await call(delete_session_files, Path(cl_config.FILES_DIRECTORY), ident)
        logger.info("deleted %d session files", files)
        settings = (await get_runtime()).settings
        n = await call(web.delete_chat_history, sync_database_url(settings), ident)
        logger.info("deleted %d web chat threads", n)


def delete_session_files(uploads: Path, user_identifier: str) -> int:
    """Delete the files of every live chat session of this user (Chainlit keeps a session's
    uploads and downloads under ``uploads/<session id>/`` until it ends) and of sessions no
    longer alive (left by a crash; nobody can download them any more). Returns how many."""
    from chainlit.session import ws_sessions_id

    live = {sid: getattr(getattr(s, "user", None), "identifier", None)
            for sid, s in list(ws_sessions_id.items())}
    n = 0
    for folder in (p for p in uploads.iterdir() if p.is_dir()) if uploads.is_dir() else ():
        if folder.name in live and live[folder.name] != user_identifier:
            continue  # another user's open session
        session = ws_sessions_id.get(folder.name)
        if session is not None:
            session.files.clear()
        for file in (f for f in folder.rglob("*") if f.is_file()):
            file.unlink(missing_ok=True)
            n += 1
        shutil.rmtree(folder, ignore_errors=True)
    return n


async def send_tailored(result: Mapping[str, Any]) -> cl.Message:
    """The tailored CV: before -> after, the text in the side panel, DOCX and Markdown files."""
    markdown = str(result.get("markdown") or "")
    job = result.get("job") or {}
    stem = "cv-tailored" + (f"-{job.get('ref')}" if job.get("ref") is not None else "")
    docx = await call(_docx_bytes, markdown)
    # inline, in this message: a side panel opened by itself, cut long lines and stayed open
    # when the CV changed
    elements: list[Any] = [
        cl.Text(name=TAILORED_NAME, content=markdown, display="inline"),
        cl.File(name=f"{stem}.docx", content=docx, display="inline",
                mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        cl.File(name=f"{stem}.md", content=markdown.encode("utf-8"), display="inline",
                mime="text/markdown"),
    ]
    body = web.tailored_markdown(result)
    return await say(body, elements=elements)


def _docx_bytes(markdown: str) -> bytes:
    from ui.docx_export import to_docx

    return to_docx(markdown)


# --------------------------------------------------------------------------- card buttons


def _job_ref(action: cl.Action) -> str:
    ref = (action.payload or {}).get("job_ref")
    if ref in (None, ""):
        raise JobfitError("That button lost track of its job; ask me again.")
    return str(ref)


async def _remember_job(runtime: Runtime, uid: str, ref: str) -> None:
    """Buttons bypass the graph; tell it which job is current ("its gaps?" then works)."""
    try:
        job_id = int(ref.lstrip("#"))
    except ValueError:
        return
    try:
        config = {"configurable": {"thread_id": graph_thread_id(uid,
                                                                cl.context.session.thread_id)}}
        await runtime.graph.aupdate_state(config, {"current_job": job_id})
    except Exception:  # the graph may not know this thread yet: not worth failing a button
        logger.debug("could not set current_job", exc_info=True)


@cl.action_callback("jf_analyse")
async def on_analyse(action: cl.Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        uid, runtime, ref = owner_id(), await get_runtime(), _job_ref(action)
        from agent.registry import analysis_result

        analysis = await call(runtime.service.analyse, uid, ref)
        await render_result(analysis_result(analysis))
        await _remember_job(runtime, uid, ref)
        return {"score": analysis.result.score}

    return await guarded("analyse", go()) or {"success": False}


@cl.action_callback("jf_gaps")
async def on_gaps(action: cl.Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        uid, runtime, ref = owner_id(), await get_runtime(), _job_ref(action)
        from agent.registry import gaps_result

        analysis = await call(runtime.service.analyse, uid, ref)
        await render_result(gaps_result(analysis))
        await _remember_job(runtime, uid, ref)
        return {"gaps": len(analysis.gaps.gaps)}

    return await guarded("gaps", go()) or {"success": False}


@cl.action_callback("jf_tailor")
async def on_tailor(action: cl.Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        uid, runtime, ref = owner_id(), await get_runtime(), _job_ref(action)
        options = await call(runtime.service.tailoring_options, uid, ref)
        card = await call(runtime.service.job_card, ref)
        await render_result({"kind": "tailoring_options", "job": card.model_dump(mode="json"),
                             "options": web.jsonable(options)})
        await _remember_job(runtime, uid, ref)
        return {"options": len(options)}

    return await guarded("tailor", go()) or {"success": False}


@cl.action_callback("jf_tailor_apply")
async def on_tailor_apply(action: cl.Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        from agent.registry import tailored_result

        uid, runtime, ref = owner_id(), await get_runtime(), _job_ref(action)
        options = [str(o) for o in (action.payload or {}).get("options") or []]
        if not options:
            raise JobfitError("Tick at least one change to make.")
        async with cl.Step(name="tailor_cv", type="tool", show_input="json") as step:
            step.input = {"job": ref, "options": options}
            tailored = await call(runtime.service.tailor, uid, ref, options,
                                  rewriter=runtime.rewriter)
            card = await call(runtime.service.job_card, ref)
            result = tailored_result(tailored, card.model_dump(mode="json"))
            step.output = web.short_summary(result)
        await send_tailored(result)
        return {"before": result["before"], "after": result["after"]}

    return await guarded("tailor apply", go()) or {"success": False}


@cl.action_callback("jf_feedback")
async def on_feedback(action: cl.Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        uid, runtime, ref = owner_id(), await get_runtime(), _job_ref(action)
        status = str((action.payload or {}).get("status") or "")
        if status not in {"interested", "applied", "dismissed", "shortlisted"}:
            raise JobfitError("Unknown status.")
        card = await call(runtime.service.record_feedback, uid, ref, status)
        words = {"interested": "marked as interesting", "applied": "marked as applied",
                 "dismissed": "dismissed — it won't be suggested again",
                 "shortlisted": "shortlisted"}[status]
        await say(f"**{card.title or 'Job'}**"
                  + (f" at {card.company}" if card.company else "") + f": {words}.")
        return {"status": status}

    return await guarded("feedback", go()) or {"success": False}


@cl.action_callback("jf_cand_open")
async def on_candidate_open(action: cl.Action) -> dict[str, Any]:
    """Recruiters: open (reveal) a candidate of the pool from the ranking card."""
    async def go() -> dict[str, Any]:
        from agent.recruiting import Recruiting

        uid, runtime = owner_id(), await get_runtime()
        ref = str((action.payload or {}).get("candidate") or "")
        info = await call(Recruiting(runtime.service).open, uid, ref)
        contact = ", ".join(str(x) for x in (info.get("email"), info.get("phone")) if x)
        await say(f"**{info['label']}** is **{info.get('name') or 'unnamed in the CV'}**"
                  + (f" ({contact})" if contact else "") + ".")
        return {"name": info.get("name") or info["label"]}

    return await guarded("open candidate", go()) or {"success": False}


@cl.action_callback("jf_cand_decide")
async def on_candidate_decide(action: cl.Action) -> dict[str, Any]:
    """Recruiters: shortlist / interview / reject a candidate for the card's job."""
    async def go() -> dict[str, Any]:
        from agent.recruiting import Recruiting

        uid, runtime = owner_id(), await get_runtime()
        payload = action.payload or {}
        out = await call(Recruiting(runtime.service).decide, uid,
                         str(payload.get("candidate") or ""), str(payload.get("status") or ""),
                         job_ref=str(payload.get("job_ref") or ""))
        await say(f"**{out['label']}**: {out['status']} for this job.")
        return {"status": out["status"]}

    return await guarded("candidate decision", go()) or {"success": False}


# --------------------------------------------------------------------------- serve


def auth_secret(data_dir: Path) -> str:
    """Chainlit's JWT secret: generated once and kept in ``<data_dir>/.chainlit_auth_secret``."""
    path = data_dir / SECRET_FILE
    if path.exists():
        secret = path.read_text(encoding="utf-8").strip()
        if secret:
            return secret
    secret = secrets.token_urlsafe(48)
    path.write_text(secret, encoding="utf-8")
    path.chmod(0o600)
    return secret


def seed_sample_jobs(settings: Settings) -> int:
    """Import the bundled sample jobs when the job store is empty; returns rows imported."""
    from agent.bootstrap import build_service

    service = build_service(settings)
    if service.job_count() > 0:
        return 0
    import store.samples

    sample = Path(store.samples.__file__).parent / "jobs.json"
    logger.warning("empty job store: importing the bundled sample jobs")
    return service.import_jobs(sample).total


def serve(host: str | None = None, port: int | None = None, *, seed: bool = True,
          allow_open_remote: bool = False) -> None:
    """Start the web chat: prepare the data directory, then run Chainlit (replaces this process).

    Open mode (no login) only on a loopback address unless ``allow_open_remote`` (or
    ``JOBFIT_ALLOW_OPEN_REMOTE``): anyone who reaches the port would be the local user.
    """
    from ui.security import is_loopback_host

    settings = get_settings()
    host = host or settings.ui_host
    port = port or settings.ui_port
    allow_open_remote = allow_open_remote or settings.allow_open_remote
    if settings.auth == "open" and not is_loopback_host(host) and not allow_open_remote:
        raise JobfitError(
            f"Refusing to serve open mode (no login) on {host}: anyone who can reach it would "
            "use the local user's data. Use JOBFIT_AUTH=password with `jobfit users add NAME`, "
            "or listen on 127.0.0.1, or pass --allow-open-remote if something in front of "
            "jobfit already checks who gets in.")
    data_dir = Path(settings.data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ)
    env["JOBFIT_DATA_DIR"] = str(data_dir)
    env["JOBFIT_AUTH"] = settings.auth
    env["CHAINLIT_APP_ROOT"] = str(APP_ROOT)
    if allow_open_remote:
        env["JOBFIT_ALLOW_OPEN_REMOTE"] = "1"
    env.setdefault("CHAINLIT_AUTH_SECRET", auth_secret(data_dir))
    from ui.channels import hide_chainlit_integrations

    # jobfit's own Slack/Teams bots answer, not Chainlit's (also for values in Chainlit's .env)
    hide_chainlit_integrations(env, Path.cwd() / env.get("CHAINLIT_ENV_FILE", ".env"))
    if seed:
        seed_sample_jobs(settings)
    web.create_chat_tables(sync_database_url(settings))
    # what a crash left: "Importing…" messages in the history, upload files (ui/recovery.py)
    from ui.recovery import delete_orphan_uploads, mark_interrupted_imports

    mark_interrupted_imports(sync_database_url(settings))
    delete_orphan_uploads(data_dir / "uploads")
    mode = ("open single-user mode (no login)" if settings.auth == "open"
            else "password login (jobfit users add NAME)")
    if settings.auth == "password":
        from store.repo import LoginRepo

        if not LoginRepo(_engine()).logins():
            sys.stderr.write("jobfit: no web accounts yet — add one with `jobfit users add NAME`\n")
    sys.stderr.write(f"jobfit web chat on http://{host}:{port} — {mode}; data in {data_dir}\n")
    sys.stderr.flush()
    argv = [sys.executable, "-m", "chainlit", "run", str(APP_ROOT / "ui" / "app.py"),
            "--headless", "--host", host, "--port", str(port)]
    os.execve(sys.executable, argv, env)


def _mount_channels() -> None:
    """jobfit's Slack and Teams bots on this server (``ui/channels.py``)."""
    try:
        from chainlit.server import app as server

        from ui.channels import mount

        mount(server, get_settings())
    except Exception:
        _log_failure("mounting the chat bots")


_mount_channels()
