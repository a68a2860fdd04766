"""The web chat's Chainlit handlers (ui/app.py) in a Chainlit context, as Chainlit's own tests
build it (a mock websocket session whose ``emit`` records what the browser would receive), over
the real service (SQLite + embedded Chroma in tmp), the real graph and the offline model."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from unittest.mock import AsyncMock, Mock

import chainlit as cl
import chainlit.data as cl_data
import pytest
import pytest_asyncio
from chainlit.context import ChainlitContext, context_var
from chainlit.session import WebsocketSession

from agent.bootstrap import (
    build_async_checkpointer,
    build_model,
    build_service,
    sync_database_url,
)
from agent.graph import build_graph
from agent.service import JobfitService
from agent.settings import Settings
from tools.errors import JobfitError
from ui import web
from ui.webchat import actions, answers, chat, launcher
from ui.webchat.runtime import (
    GENERIC_ERROR,
    Runtime,
    call,
    graph_thread_id,
    set_runtime,
)

ROOT = Path(__file__).resolve().parents[2]
CV = ROOT / "store" / "samples" / "cvs" / "backend_engineer_senior.txt"
JOBS = ROOT / "store" / "samples" / "jobs.json"


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings(data_dir=tmp_path_factory.mktemp("app-data"), llm="offline",
                    auth="password", max_upload_mb=1)


@pytest.fixture(scope="module")
def service(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> JobfitService:
    svc = build_service(settings)
    subset = tmp_path_factory.mktemp("jobs") / "jobs.json"
    subset.write_text(json.dumps(json.loads(JOBS.read_text(encoding="utf-8"))[:80]),
                      encoding="utf-8")
    svc.import_jobs(subset)
    return svc


@pytest.fixture(autouse=True)
def no_data_layer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chat history is tested in test_app_data.py; here the handlers run without it."""
    monkeypatch.setattr(cl_data, "_data_layer", None)
    monkeypatch.setattr(cl_data, "_data_layer_initialized", True)


@pytest_asyncio.fixture
async def runtime(settings: Settings, service: JobfitService) -> AsyncIterator[Runtime]:
    checkpointer = await build_async_checkpointer(settings)
    rt = Runtime(settings=settings, service=service,
                     graph=build_graph(build_model(settings), checkpointer=checkpointer))
    set_runtime(rt)
    try:
        yield rt
    finally:
        set_runtime(None)
        await checkpointer.conn.close()  # type: ignore[attr-defined]


class Browser:
    """What a session's browser received: (event, data) pairs from ``session.emit``."""

    def __init__(self, session: Mock) -> None:
        self.session = session

    @property
    def events(self) -> list[tuple[str, Any]]:
        return [(c.args[0], c.args[1] if len(c.args) > 1 else None)
                for c in self.session.emit.call_args_list]

    def messages(self) -> list[str]:
        return [d.get("output", "") for e, d in self.events
                if e in ("new_message", "update_message") and isinstance(d, dict)
                and d.get("type") == "assistant_message"]

    def text(self) -> str:
        return "\n".join(self.messages())

    def elements(self, name: str | None = None) -> list[dict[str, Any]]:
        return [d for e, d in self.events if e == "element" and isinstance(d, dict)
                and (name is None or d.get("name") == name)]

    def steps(self) -> list[dict[str, Any]]:
        return [d for e, d in self.events if e in ("new_message", "update_message")
                and isinstance(d, dict) and d.get("type") == "tool"]

    def tokens(self) -> list[str]:
        """Streamed pieces: the first comes with stream_start, the rest as stream_token."""
        return [d["token"] if e == "stream_token" else d.get("output", "")
                for e, d in self.events if e in ("stream_start", "stream_token")]


@asynccontextmanager
async def chat_session(user_id: str) -> AsyncIterator[Browser]:
    """A Chainlit context for one logged-in user (mock websocket session)."""
    session = Mock(spec=WebsocketSession)
    session.id = str(uuid.uuid4())
    session.thread_id = str(uuid.uuid4())
    session.user = cl.User(identifier=user_id, metadata={"jobfit_id": user_id})
    session.user_env = {}
    session.chat_settings = {}
    session.chat_profile = None
    session.http_referer = None
    session.client_type = "webapp"
    session.languages = ["en"]
    session.has_first_interaction = True
    session.thread_queues = {}
    session.emit = AsyncMock()
    session.persist_file = AsyncMock(side_effect=lambda **kw: {"id": str(uuid.uuid4())})
    token = context_var.set(ChainlitContext(session))
    try:
        yield Browser(session)
    finally:
        context_var.reset(token)


def upload_element(tmp_path: Path, source: Path, name: str | None = None) -> cl.File:
    """A file as Chainlit hands an upload to on_message: a copy on disk with a name."""
    target = tmp_path / f"upload-{uuid.uuid4().hex}"
    shutil.copyfile(source, target)
    return cl.File(name=name or source.name, path=str(target), mime="text/plain")


def user_message(text: str, elements: list[Any] | None = None) -> cl.Message:
    return cl.Message(content=text, author="user", type="user_message", elements=elements or [])


def new_user() -> str:
    return f"u{uuid.uuid4().hex[:12]}"


# --------------------------------------------------------------------------- upload


@pytest.mark.asyncio
async def test_cv_upload_saves_cv_and_keeps_the_file_for_the_session(runtime: Runtime,
                                                                     tmp_path: Path) -> None:
    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_chat_start()
        element = upload_element(tmp_path, CV)
        await chat.on_message(user_message("", [element]))
    assert runtime.service.has_cv(uid)
    assert "CV saved" in browser.text() and "backend_engineer_senior.txt" in browser.text()
    # kept until the session ends (Chainlit deletes the session folder; "forget me" at once):
    # the chat's PDF preview fetches it after it was read (issue 13)
    assert Path(str(element.path)).exists()
    assert any(s.get("name") == "Reading your CV" for s in browser.steps())


@pytest.mark.asyncio
async def test_upload_errors_are_friendly(runtime: Runtime, tmp_path: Path) -> None:
    uid = new_user()
    big = tmp_path / "big.txt"
    big.write_text("x" * (2 * 1024 * 1024))
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"%PDF-1.4 broken")
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, big)]))
        await chat.on_message(user_message("", [upload_element(tmp_path, CV, "photo.png")]))
        await chat.on_message(user_message("", [upload_element(tmp_path, empty)]))
    text = browser.text()
    assert "limit is 1 MB" in text
    assert "can't read photo.png" in text
    assert len([m for m in browser.messages() if m.startswith("⚠️")]) == 3
    assert "Something went wrong" not in text  # each one has its own reason
    assert not runtime.service.has_cv(uid)


@pytest.mark.asyncio
async def test_jobs_file_import_shows_progress(runtime: Runtime, tmp_path: Path) -> None:
    jobs = tmp_path / "more.json"
    rows = json.loads(JOBS.read_text(encoding="utf-8"))[80:95]
    jobs.write_text(json.dumps(rows), encoding="utf-8")
    before = runtime.service.job_count()
    async with chat_session(new_user()) as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, jobs, "more.json")]))
    assert runtime.service.job_count() == before + len(rows)
    assert any(m.startswith("⏳ Importing jobs from more.json") for m in browser.messages())
    assert f"Imported more.json: {len(rows)} rows — {len(rows)} new" in browser.text()


# --------------------------------------------------------------------------- streaming


@pytest.mark.asyncio
async def test_turn_streams_tokens_steps_and_a_job_list(runtime: Runtime,
                                                        tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(answers, "STREAM_INTERVAL_S", 0.0)  # no batching: one event per word
    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("help"))
        help_tokens = browser.tokens()
        await chat.on_message(user_message("", [upload_element(tmp_path, CV)]))
        await chat.on_message(user_message("what are my best matches?"))
    assert len(help_tokens) > 5  # streamed word by word, not one block
    tokens = browser.tokens()[len(help_tokens):]
    # below the job list card, the answer is not the list again: only what to ask next
    assert "".join(tokens).strip().startswith("Ask ")
    assert "".join(tokens).strip() in browser.text()
    assert [s["name"] for s in browser.steps() if s["name"] != "Reading your CV"] == [
        "match_jobs"]
    progress = [d for e, d in browser.events if e == "new_message"
                and str(d.get("output", "")).startswith("⏳ Matching your CV against")]
    assert len(progress) == 1 and f"{runtime.service.job_count():,} jobs" in progress[0]["output"]
    assert any(e == "delete_message" and d["id"] == progress[0]["id"] for e, d in browser.events)
    lists = browser.elements("JobList")
    assert len(lists) == 1
    jobs = lists[0]["props"]["jobs"]
    assert jobs and all(j["ref"] is not None and j["score"] is not None for j in jobs)
    assert [j["position"] for j in jobs] == list(range(1, len(jobs) + 1))


@pytest.mark.asyncio
async def test_fast_answers_stream_in_batches(runtime: Runtime) -> None:
    async with chat_session(new_user()) as browser:
        await chat.on_message(user_message("help"))
    tokens = browser.tokens()
    assert 1 <= len(tokens) < 10  # the offline model is faster than the 50 ms window
    assert "".join(tokens) == browser.messages()[-1]


@pytest.mark.asyncio
async def test_fit_question_renders_a_score_card(runtime: Runtime, tmp_path: Path) -> None:
    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, CV)]))
        await chat.on_message(user_message("what are my best matches?"))
        await chat.on_message(user_message("how well do I fit the second one?"))
    cards = browser.elements("ScoreCard")
    assert len(cards) == 1
    props = cards[0]["props"]
    second = browser.elements("JobList")[0]["props"]["jobs"][1]
    assert props["job"]["ref"] == second["ref"]
    assert props["score"] == second["score"]
    assert len(props["bars"]) == 5 and props["band"] == web.band(props["score"])


@pytest.mark.asyncio
async def test_no_cv_is_a_friendly_answer(runtime: Runtime) -> None:
    async with chat_session(new_user()) as browser:
        await chat.on_message(user_message("what are my best matches?"))
    assert "CV" in browser.text()
    assert not browser.elements("JobList")


# --------------------------------------------------------------------------- buttons


async def _first_match(runtime: Runtime, uid: str) -> str:
    cards = await call(runtime.service.best_matches, uid, k=3, min_score=0)
    return str(cards[0].ref)


@pytest.mark.asyncio
async def test_buttons_analyse_gaps_feedback(runtime: Runtime, tmp_path: Path) -> None:
    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, CV)]))
        ref = await _first_match(runtime, uid)
        out = await actions.on_analyse(cl.Action(name="jf_analyse", payload={"job_ref": ref}))
        card = browser.elements("ScoreCard")[-1]["props"]
        assert out == {"score": card["score"]}
        assert card["job"]["ref"] == int(ref) and len(card["bars"]) == 5
        await actions.on_gaps(cl.Action(name="jf_gaps", payload={"job_ref": ref}))
        gaps = browser.elements("GapList")[-1]["props"]
        assert gaps["score"] == card["score"]
        assert [g["impact"] for g in gaps["gaps"]] == sorted(
            (g["impact"] for g in gaps["gaps"]), reverse=True)
        out = await actions.on_feedback(cl.Action(name="jf_feedback",
                                              payload={"job_ref": ref, "status": "applied"}))
        assert out == {"status": "applied"}
        assert "marked as applied" in browser.text()
    events = runtime.service.feedback(uid)
    assert [(str(e["job_ref"]), str(e["kind"]).lower()) for e in events][:1] == [(ref, "applied")]


@pytest.mark.asyncio
async def test_buttons_tailor_then_download(runtime: Runtime, tmp_path: Path) -> None:
    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, CV)]))
        ref = await _first_match(runtime, uid)
        await actions.on_tailor(cl.Action(name="jf_tailor", payload={"job_ref": ref}))
        options = browser.elements("TailorOptions")[-1]["props"]["options"]
        assert options and all(o["id"] for o in options)
        chosen = [o["id"] for o in options if o["default"]] or [options[0]["id"]]
        out = await actions.on_tailor_apply(cl.Action(
            name="jf_tailor_apply", payload={"job_ref": ref, "options": chosen}))
        assert set(out) == {"before", "after"} and out["after"] >= out["before"]
        names = {e["name"] for e in browser.elements()}
        assert {f"cv-tailored-{ref}.docx", f"cv-tailored-{ref}.md", "Tailored CV"} <= names
        assert f"Score {out['before']} → {out['after']}" in browser.text()
        saved = [c.kwargs for c in browser.session.persist_file.call_args_list]
        docx = next(k for k in saved if str(k.get("name", "")).endswith(".docx"))
        assert docx["content"][:2] == b"PK"  # a real .docx (zip)


@pytest.mark.asyncio
async def test_buttons_act_for_the_session_user_only(runtime: Runtime,
                                                     tmp_path: Path) -> None:
    alice, bob = new_user(), new_user()
    async with chat_session(alice):
        await chat.on_message(user_message("", [upload_element(tmp_path, CV)]))
        ref = await _first_match(runtime, alice)
    async with chat_session(bob) as browser:  # same job, but bob has no CV
        out = await actions.on_analyse(cl.Action(name="jf_analyse", payload={"job_ref": ref}))
    assert out == {"success": False}
    assert not browser.elements("ScoreCard")
    assert "CV" in browser.text() and "Felix" not in browser.text()


@pytest.mark.asyncio
async def test_button_with_bad_job_is_friendly(runtime: Runtime, tmp_path: Path) -> None:
    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, CV)]))
        out = await actions.on_analyse(cl.Action(name="jf_analyse",
                                             payload={"job_ref": "no-such-job"}))
        missing = await actions.on_analyse(cl.Action(name="jf_analyse", payload={}))
    assert out == {"success": False} and missing == {"success": False}
    assert "Something went wrong" not in browser.text()
    assert "lost track of its job" in browser.text()


@pytest.mark.asyncio
async def test_pasted_card_buttons_without_a_current_posting(runtime: Runtime,
                                                            tmp_path: Path) -> None:
    """A pasted posting's card (job ref 0) whose posting this chat no longer holds: a clear
    message, no error, no card; marking a pasted posting asks to import it."""
    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, CV)]))
        gaps = await actions.on_gaps(cl.Action(name="jf_gaps", payload={"job_ref": "0"}))
        mark = await actions.on_feedback(cl.Action(
            name="jf_feedback", payload={"job_ref": "0", "status": "applied"}))
    assert gaps == {"success": False} and mark == {"success": False}
    assert not browser.elements("GapList")
    assert "paste it again" in browser.text() and "import it first" in browser.text()
    assert "Something went wrong" not in browser.text()


def test_open_mode_welcome_says_so() -> None:
    assert "Open single-user mode" in chat.welcome_markdown("open")
    assert "Open single-user mode" not in chat.welcome_markdown("password", "ana")


def test_auth_secret_is_made_once(tmp_path: Path) -> None:
    first = launcher.auth_secret(tmp_path)
    assert len(first) >= 32 and launcher.auth_secret(tmp_path) == first
    assert (tmp_path / launcher.SECRET_FILE).stat().st_mode & 0o077 == 0


def test_graph_thread_ids_start_with_the_user() -> None:
    assert graph_thread_id("ana", "t-1") == "ana:t-1"


@pytest.fixture(autouse=True)
def _reset_runtime() -> Iterator[None]:
    yield
    set_runtime(None)


@pytest.mark.asyncio
async def test_pasted_cv_text_is_saved(runtime: Runtime) -> None:
    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message(CV.read_text(encoding="utf-8")))
    assert runtime.service.has_cv(uid)
    assert "CV saved" in browser.text()
    steps = browser.steps()
    assert [s["name"] for s in steps] == ["save_cv"]
    assert "Quillfeather" not in json.dumps(steps)  # the step shows no CV text


@pytest.mark.asyncio
async def test_forget_me_also_deletes_the_chat_history(runtime: Runtime,
                                                       tmp_path: Path) -> None:
    from chainlit.user import User

    from ui import chat_history

    uid = new_user()
    url = sync_database_url(runtime.settings)
    chat_history.create_chat_tables(url)
    layer = chat_history.JobfitDataLayer.for_database(url)
    try:
        persisted = await layer.create_user(User(identifier=uid))
        assert persisted is not None
        await layer.update_thread(str(uuid.uuid4()), name="old chat", user_id=persisted.id)
    finally:
        await layer.engine.dispose()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, CV)]))
        await chat.on_message(user_message("forget me"))
        assert runtime.service.has_cv(uid)  # asked, not yet confirmed
        await chat.on_message(user_message("yes, delete everything"))
    assert not runtime.service.has_cv(uid)
    assert "delete" in browser.text().lower()
    assert chat_history.delete_chat_history(url, uid) == 0  # already gone


@pytest.mark.asyncio
async def test_after_forget_me_the_chat_goes_on_in_a_saved_thread(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """With the chat history on: "forget me" deletes this chat's thread too, then saves it
    again empty, so what is said next is kept with it and the next "forget me" reaches it."""
    from chainlit.user import User

    from ui import chat_history

    uid = new_user()
    url = sync_database_url(runtime.settings)
    chat_history.create_chat_tables(url)
    layer = chat_history.JobfitDataLayer.for_database(url)
    monkeypatch.setattr(cl_data, "_data_layer", layer)
    try:
        persisted = await layer.create_user(User(identifier=uid, metadata={"jobfit_id": uid}))
        assert persisted is not None
        async with chat_session(uid) as browser:
            session = browser.session
            session.user = persisted
            await layer.update_thread(session.thread_id, name="my chat", user_id=persisted.id)
            await layer.create_step({"id": str(uuid.uuid4()), "threadId": session.thread_id,
                                     "name": "user", "type": "user_message",
                                     "output": "my secret question", "streaming": False})
            await chat.on_message(user_message("forget me"))
            await chat.on_message(user_message("yes, delete everything"))
            thread = await layer.get_thread(session.thread_id)
            assert thread is not None and thread["name"] == "New chat"
            assert "my secret question" not in json.dumps(thread["steps"])
        # the chat after forget me (off the event loop, as the app does: the layer's pending
        # writes need the loop to commit)
        assert await call(chat_history.delete_chat_history, url, uid) == 1
    finally:
        await layer.engine.dispose()


@pytest.mark.asyncio
async def test_unexpected_errors_are_polite_and_logged_without_text(
        runtime: Runtime, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    cv_line = CV.read_text(encoding="utf-8").splitlines()[0]  # "Felix Quillfeather"

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError(cv_line)

    monkeypatch.setattr(runtime.service, "analyse", boom)
    async with chat_session(new_user()) as browser:
        out = await actions.on_analyse(cl.Action(name="jf_analyse", payload={"job_ref": "1"}))
    assert out == {"success": False}
    assert GENERIC_ERROR in browser.text()
    assert "RuntimeError" in caplog.text and "Felix" not in caplog.text


@pytest.mark.asyncio
async def test_a_failed_turn_removes_its_progress_line(runtime: Runtime) -> None:
    from langchain_core.messages import AIMessage

    class FailingGraph:
        async def astream(self, *args: Any, **kwargs: Any) -> AsyncIterator[Any]:
            call = {"name": "match_jobs", "args": {}, "id": "c1", "type": "tool_call"}
            yield "updates", {"agent": {"messages": [AIMessage("", tool_calls=[call])]}}
            raise RuntimeError("the model went away")

    failing = Runtime(settings=runtime.settings, service=runtime.service,
                          graph=FailingGraph())
    set_runtime(failing)
    async with chat_session(new_user()) as browser:
        await chat.on_message(user_message("what are my best matches?"))
    progress = [d for e, d in browser.events if e == "new_message"
                and str(d.get("output", "")).startswith("⏳ Matching your CV against")]
    assert len(progress) == 1
    assert any(e == "delete_message" and d["id"] == progress[0]["id"] for e, d in browser.events)
    assert GENERIC_ERROR in browser.text()


# --------------------------------------------------------------------------- chat bot links


@pytest.mark.asyncio
async def test_link_slack_shows_a_one_time_code(runtime: Runtime) -> None:
    """ "link slack" answers with a code that makes a Slack identity act as this web user."""
    import re as _re

    uid = new_user()
    async with chat_session(uid) as browser:
        await chat.on_message(user_message("link slack"))
    text = browser.text()
    found = _re.search(r"\*\*([A-Z2-9]{4}-[A-Z2-9]{4})\*\*", text)
    assert found and "In Slack" in text
    assert runtime.service.link_channel(found.group(1), "slack", "T1", "ULINKED") == uid
    assert runtime.service.channel_user("slack", "T1", "ULINKED") == uid

# --------------------------------------------------------------------------- job store access


def _hostile_jobs(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    target = json.loads(JOBS.read_text(encoding="utf-8"))[3]
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps([{**target, "url": "http://phish.example/apply",
                                 "description": "Java Kafka Spring " * 50}]), encoding="utf-8")
    return path, target


@pytest.mark.asyncio
async def test_a_users_jobs_upload_is_private(runtime: Runtime, tmp_path: Path) -> None:
    path, target = _hostile_jobs(tmp_path)
    shared = runtime.service.jobs.by_external(str(target["source"]), str(target["external_id"]))
    assert shared is not None
    uid = new_user()
    async with chat_session(uid) as browser:
        element = upload_element(tmp_path, path, "hostile.json")
        await chat.on_message(user_message("", [element]))
    assert "1 new, 0 updated" in browser.text() and "only you see them" in browser.text()
    assert not Path(str(element.path)).exists()  # the upload is not kept
    after = runtime.service.jobs.by_external(str(target["source"]), str(target["external_id"]))
    assert after is not None and after.content_hash == shared.content_hash
    assert after.url == shared.url
    mine = runtime.service.jobs.by_external(f"user:{uid}", str(target["external_id"]))
    assert mine is not None and mine.owner_id == uid and mine.created_by == f"user:{uid}"
    # another user does not see it
    with pytest.raises(JobfitError):
        runtime.service.job_card(str(mine.id), new_user())


@pytest.mark.asyncio
async def test_an_admins_jobs_upload_updates_the_shared_store(
        runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, target = _hostile_jobs(tmp_path)
    monkeypatch.setattr(runtime.settings, "admins", "boss, ops")
    async with chat_session("boss") as browser:
        await chat.on_message(user_message("", [upload_element(tmp_path, path, "h.json")]))
    assert "0 new, 1 updated" in browser.text() and "only you see" not in browser.text()
    after = runtime.service.jobs.by_external(str(target["source"]), str(target["external_id"]))
    assert after is not None and after.url == "http://phish.example/apply"
    assert after.created_by == "operator"
