"""Tool results shown as cards (custom elements in ``public/elements``), the tailored CV with
its downloads, and what "forget me" deletes of the web chat."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import chainlit as cl
import chainlit.config as cl_config

from agent.bootstrap import sync_database_url
from ui import web
from ui.webchat.runtime import call, get_runtime, log_failure, say
from ui.webchat.uploads import delete_session_files

logger = logging.getLogger(__name__)

TAILORED_NAME = "Tailored CV"


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
        from chainlit.data import get_data_layer

        from ui.chat_history import delete_chat_history

        layer = get_data_layer()
        if layer is not None and hasattr(layer, "drain"):
            await layer.drain()  # this turn's messages are written, then deleted with the rest

        n = await call(delete_chat_history, sync_database_url(settings), ident)
        logger.info("deleted %d web chat threads", n)
        await restart_thread()


FORGOTTEN_TITLE = "New chat"  # the chat's name after "forget me"


async def restart_thread() -> None:
    """The chat goes on after "forget me": its thread is saved again, empty, so what is said
    next belongs to it (a reload comes back here; the next "forget me" deletes it) instead of
    being written under a deleted thread (kept unseen, out of reach of "forget me", on SQLite;
    refused by PostgreSQL)."""
    from chainlit.data import get_data_layer

    layer = get_data_layer()
    user_id = getattr(getattr(cl.context.session, "user", None), "id", None)
    if layer is None or not user_id:
        return
    try:
        await layer.update_thread(thread_id=cl.context.session.thread_id, name=FORGOTTEN_TITLE,
                                  user_id=str(user_id))
    except Exception:
        log_failure("saving the chat again after forget me")


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
