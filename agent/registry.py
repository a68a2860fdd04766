"""The chat tools: thin wrappers over :class:`agent.service.JobfitService`.

Each tool acts for the user of the run's context (``runtime.context.user_id``) and returns a
``Command`` whose ToolMessage content is ``json.dumps(result)``; ``result`` is a dict with a
``"kind"`` key (job lists, analyses, gaps, tailoring options...). A ``JobfitError`` becomes
``{"kind": "error", "message": ...}`` with its user-safe message; any other exception is logged
(without CV text) and becomes a generic error. The graph always goes on.

Docstrings are the model's contract: the first line says what the tool does, then when to use
it, then ``Args`` with examples (parsed into the JSON schema the model sees).

The tools live by role in ``agent/profile_tools.py``, ``agent/job_tools.py``,
``agent/activity_tools.py``, ``agent/forget_tool.py`` (plus ``agent/recruiter_tools.py`` and
``agent/digest_tools.py``), over the shared plumbing of ``agent/tool_support.py``; this module
assembles them.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from langchain_core.tools import BaseTool, InjectedToolArg
from pydantic import BaseModel, Field, create_model

from agent.activity_tools import (
    list_applications,
    record_feedback,
    skills_to_learn,
    track_application,
)
from agent.forget_tool import forget_me
from agent.job_tools import compare, explain_gaps, match_jobs, score_match, search_jobs, tailor_cv
from agent.profile_tools import save_cv, show_profile, update_preferences


def _finish(t: BaseTool) -> BaseTool:
    """Drop the injected ``runtime`` from the argument model (it is injected by the ToolNode
    and would otherwise be validated and serialised with every call) and tidy the text."""
    schema = t.args_schema
    if isinstance(schema, type) and issubclass(schema, BaseModel):
        fields: dict[str, Any] = {k: (f.annotation, f) for k, f in schema.model_fields.items()
                                  if k != "runtime"}
        fields["runtime"] = (Annotated[Any, InjectedToolArg], Field(default=None, exclude=True))
        t.args_schema = create_model(schema.__name__, __doc__=schema.__doc__, **fields)
    t.description = re.sub(r"(?<!\n)\n(?!\n)", " ", t.description)
    return t


TOOLS: tuple[BaseTool, ...] = tuple(_finish(t) for t in (
    save_cv, show_profile, update_preferences, search_jobs, match_jobs, score_match,
    explain_gaps, tailor_cv, compare, record_feedback, forget_me,
    track_application, list_applications, skills_to_learn,
))


from agent.recruiter_tools import RECRUITER_TOOLS  # noqa: E402  (recruiters, issue 16)

TOOLS = TOOLS + tuple(_finish(t) for t in RECRUITER_TOOLS)

def _with_digest_tools() -> tuple[BaseTool, ...]:
    from agent.digest_tools import digest_tools

    return tuple(_finish(t) for t in digest_tools())


TOOLS = TOOLS + _with_digest_tools()


def build_tools() -> list[BaseTool]:
    """Every chat tool, in a stable order."""
    return list(TOOLS)
