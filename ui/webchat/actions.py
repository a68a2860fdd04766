"""The cards' buttons (``jf_*`` action callbacks): they call the service directly, not the
graph, and tell the graph which job is now current."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import chainlit as cl

from tools.errors import JobfitError
from ui import web
from ui.webchat.cards import render_result, send_tailored
from ui.webchat.runtime import Runtime, call, get_runtime, graph_thread_id, guarded, owner_id, say

logger = logging.getLogger(__name__)


def _job_ref(action: cl.Action) -> str:
    ref = (action.payload or {}).get("job_ref")
    if ref in (None, ""):
        raise JobfitError("That button lost track of its job; ask me again.")
    return str(ref)


#: what a pasted posting's card sends as its job (it is not stored: ``JobCard.ref`` 0)
PASTED_REFS = frozenset({"0", "pasted"})


def _graph_config(uid: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": graph_thread_id(uid, cl.context.session.thread_id)}}


async def _target(runtime: Runtime, uid: str, action: cl.Action) -> tuple[str | None, str | None]:
    """(stored job ref, None) or (None, pasted posting text) for a card's button. A pasted
    posting is not stored: its text is the one this chat is talking about (the graph's
    ``current_posting``)."""
    ref = _job_ref(action)
    if ref not in PASTED_REFS:
        return ref, None
    text = None
    if runtime.graph is not None:
        try:
            state = await runtime.graph.aget_state(_graph_config(uid))
            text = (state.values or {}).get("current_posting")
        except Exception:  # noqa: BLE001 - an unknown thread: same answer as no posting
            logger.debug("could not read current_posting", exc_info=True)
    if not text:
        raise JobfitError("That pasted posting is no longer the one we are talking about; "
                          "paste it again.")
    return None, str(text)


async def _remember_job(runtime: Runtime, uid: str, ref: str | None) -> None:
    """Buttons bypass the graph; tell it which job is current ("its gaps?" then works)."""
    if ref is None or ref in PASTED_REFS:  # a pasted posting stays the current one
        return
    try:
        job_id = int(ref.lstrip("#"))
    except ValueError:
        return
    try:
        await runtime.graph.aupdate_state(_graph_config(uid), {"current_job": job_id})
    except Exception:  # the graph may not know this thread yet: not worth failing a button
        logger.debug("could not set current_job", exc_info=True)


async def _card(runtime: Runtime, uid: str, ref: str | None, text: str | None) -> Any:
    """The job's card: a stored job's, or the pasted posting's (from its analysis)."""
    if ref is not None:
        return await call(runtime.service.job_card, ref)
    analysis = await call(runtime.service.analyse, uid, None, job_text=text)
    return analysis.job


async def _analysis_button(action: cl.Action, name: str, to_result: Callable[[Any], Any],
                           summary: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
    """Analyse/Gaps: the job's analysis rendered as its card, the job made current."""
    async def go() -> dict[str, Any]:
        uid, runtime = owner_id(), await get_runtime()
        ref, text = await _target(runtime, uid, action)
        analysis = await call(runtime.service.analyse, uid, ref, job_text=text)
        await render_result(to_result(analysis))
        await _remember_job(runtime, uid, ref)
        return summary(analysis)

    return await guarded(name, go()) or {"success": False}


@cl.action_callback("jf_analyse")
async def on_analyse(action: cl.Action) -> dict[str, Any]:
    from agent.tool_support import analysis_result

    return await _analysis_button(action, "analyse", analysis_result,
                                  lambda a: {"score": a.result.score})


@cl.action_callback("jf_gaps")
async def on_gaps(action: cl.Action) -> dict[str, Any]:
    from agent.tool_support import gaps_result

    return await _analysis_button(action, "gaps", gaps_result,
                                  lambda a: {"gaps": len(a.gaps.gaps)})


@cl.action_callback("jf_tailor")
async def on_tailor(action: cl.Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        uid, runtime = owner_id(), await get_runtime()
        ref, text = await _target(runtime, uid, action)
        options = await call(runtime.service.tailoring_options, uid, ref, job_text=text)
        card = await _card(runtime, uid, ref, text)
        await render_result({"kind": "tailoring_options", "job": card.model_dump(mode="json"),
                             "options": web.jsonable(options)})
        await _remember_job(runtime, uid, ref)
        return {"options": len(options)}

    return await guarded("tailor", go()) or {"success": False}


@cl.action_callback("jf_tailor_apply")
async def on_tailor_apply(action: cl.Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        from agent.tool_support import tailored_result

        uid, runtime = owner_id(), await get_runtime()
        ref, text = await _target(runtime, uid, action)
        options = [str(o) for o in (action.payload or {}).get("options") or []]
        if not options:
            raise JobfitError("Tick at least one change to make.")
        async with cl.Step(name="tailor_cv", type="tool", show_input="json") as step:
            step.input = {"job": ref or "pasted", "options": options}
            tailored = await call(runtime.service.tailor, uid, ref, options,
                                  rewriter=runtime.rewriter, job_text=text)
            card = await _card(runtime, uid, ref, text)
            result = tailored_result(tailored, card.model_dump(mode="json"))
            step.output = web.short_summary(result)
        await send_tailored(result)
        return {"before": result["before"], "after": result["after"]}

    return await guarded("tailor apply", go()) or {"success": False}


@cl.action_callback("jf_feedback")
async def on_feedback(action: cl.Action) -> dict[str, Any]:
    async def go() -> dict[str, Any]:
        uid, runtime, ref = owner_id(), await get_runtime(), _job_ref(action)
        if ref in PASTED_REFS:
            raise JobfitError("A pasted posting isn't saved, so I can't keep a status for it; "
                              "drop it into the chat as a jobs file to import it first.")
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
