"""Files dropped into the web chat: a CV is saved as the current CV, a jobs file is imported
with progress, several CVs (or a ZIP) become a recruiter's candidate pool; and deleting a
user's session files after "forget me"."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

import chainlit as cl

from tools.errors import JobfitError
from ui import web
from ui.webchat.runtime import Runtime, call, say

CV_SUFFIXES = {".pdf", ".docx", ".txt", ".md"}
JOB_SUFFIXES = {".json", ".jsonl", ".csv"}


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
    state: dict[str, Any] = {"done": 0, "total": None}
    user = cl.user_session.get("user")
    admin = uid is None or runtime.service.is_admin(
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
