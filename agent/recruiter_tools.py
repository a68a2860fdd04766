"""Chat tools of the recruiter side (candidate pool): rank, compare, open, decide.

Thin wrappers over :class:`agent.recruiting.Recruiting`, with the plumbing of
:mod:`agent.registry` (the user comes from the run's context, never from an argument; errors
become ``{"kind": "error"}``). The pool is filled by uploading several CVs at once (web chat) or
``jobfit pool add``; these tools read it. Results are blind: candidates appear under anonymous
labels ("C-1a2b3c") until the recruiter opens one.
"""

from __future__ import annotations

from typing import Any, Literal

from langchain_core.tools import tool
from langgraph.prebuilt import ToolRuntime
from langgraph.types import Command

from agent.context import Context
from agent.recruiting import Recruiting
from agent.state import State


def _desk(ctx: Context) -> Recruiting:
    return Recruiting(ctx.service)


def _job_args(state: State, job_id: str | None, position: int | None,
              job_text: str | None) -> dict[str, Any]:
    from agent.tool_support import _target

    target = _target(state, job_id, position, job_text)
    return {"job_text": target.text} if target.text is not None else {"job_ref": target.ref}


@tool(parse_docstring=True)
def rank_candidates(job_id: str | None = None, position: int | None = None,
                    job_text: str | None = None, top: int = 10, *,
                    runtime: ToolRuntime) -> Command[Any]:
    """Rank the recruiter's candidate pool (their uploaded CVs) for one job, best first.

    Use when a recruiter asks "rank these CVs for this job", "who fits job 3 best?", "best
    candidates for the second one". Each row has the score, grade, strongest reason, biggest
    gap, must-haves met/missing, confidence and ties. Candidates are anonymous (blind).

    Args:
        job_id: a job id from the collection, e.g. "12" or "sample-0-00042".
        position: 1-based position of the job in the last job list shown, e.g. 2.
        job_text: a pasted job posting to rank for (instead of job_id/position).
        top: how many candidates to show, e.g. 10.
    """
    from agent.tool_support import _run

    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        args = _job_args(state, job_id, position, job_text)
        out = _desk(ctx).ranking(ctx.user_id, args.get("job_ref"),
                                 job_text=args.get("job_text"), top=max(1, min(int(top), 50)))
        if args.get("job_text") is not None:
            return out, {"current_job": None, "current_posting": args["job_text"]}
        return out, {"current_job": str(out["job"]["job_id"]), "current_posting": None}

    return _run(runtime, "rank_candidates", body)


@tool(parse_docstring=True)
def compare_candidates(candidates: list[str], job_id: str | None = None,
                       position: int | None = None, job_text: str | None = None, *,
                       runtime: ToolRuntime) -> Command[Any]:
    """Compare 2-5 candidates of the recruiter's pool side by side for one job.

    Use when a recruiter asks "compare C-1a2b3c and C-4d5e6f" or "compare the top 3
    candidates". Shows the five factors, must-haves met, years and where each one's evidence
    is, with Markdown and CSV exports.

    Args:
        candidates: 2-5 candidate labels or ranks, e.g. ["C-1a2b3c", "C-4d5e6f"] or ["1", "2"].
        job_id: a job id from the collection, e.g. "12".
        position: 1-based position of the job in the last job list shown.
        job_text: a pasted job posting (instead of job_id/position).
    """
    from agent.tool_support import _run
    from tools.candidate_compare import comparison_csv, comparison_markdown

    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        args = _job_args(state, job_id, position, job_text)
        cmp = _desk(ctx).compare(ctx.user_id, args.get("job_ref"), candidates,
                                 job_text=args.get("job_text"))
        return ({"kind": "candidate_comparison", **cmp.model_dump(mode="json"),
                 "markdown": comparison_markdown(cmp), "csv": comparison_csv(cmp)}, {})

    return _run(runtime, "compare_candidates", body)


@tool(parse_docstring=True)
def open_candidate(candidate: str, *, runtime: ToolRuntime) -> Command[Any]:
    """Open one candidate of the pool: show their name and contact details (ends blind mode
    for them).

    Use only when the recruiter asks to open, reveal or contact a specific candidate, e.g.
    "open C-1a2b3c", "who is C-1a2b3c?".

    Args:
        candidate: the candidate's label, pool id or file name, e.g. "C-1a2b3c".
    """
    from agent.tool_support import _run

    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        return _desk(ctx).open(ctx.user_id, candidate), {}

    return _run(runtime, "open_candidate", body)


@tool(parse_docstring=True)
def decide_candidate(candidate: str, status: Literal["shortlist", "reject", "interview"],
                     job_id: str | None = None, position: int | None = None,
                     note: str = "", *, runtime: ToolRuntime) -> Command[Any]:
    """Shortlist, reject or invite to interview a candidate of the pool for a job, with a note.

    Use when a recruiter says "shortlist C-1a2b3c", "reject C-4d5e6f for job 3: no Java",
    "interview the first candidate". Without a job, the job discussed last is used.

    Args:
        candidate: the candidate's label, pool id or file name, e.g. "C-1a2b3c".
        status: shortlist, reject or interview.
        job_id: a job id from the collection, e.g. "12".
        position: 1-based position of the job in the last job list shown.
        note: an optional note kept with the decision, e.g. "strong on APIs".
    """
    from agent.tool_support import _run

    def body(ctx: Context, state: State) -> tuple[dict[str, Any], dict[str, Any]]:
        args = _job_args(state, job_id, position, None)
        return _desk(ctx).decide(ctx.user_id, candidate, status, job_ref=args.get("job_ref"),
                                 job_text=args.get("job_text"), note=note), {}

    return _run(runtime, "decide_candidate", body)


RECRUITER_TOOLS = (rank_candidates, compare_candidates, open_candidate, decide_candidate)
