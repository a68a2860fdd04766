"""CV tailoring: deterministic options, a tailored Markdown CV, and a no-invention check.

The original CV text is cut into blocks (the header, each section, each experience entry with its
header lines and bullets) with the parser's own section and entry boundaries (``document``). The
CV is analysed against the job (``analysis``); each option adds to a *plan* (a summary line, a
skills order, an entry/bullet order, keyword annotations, drops) that is rendered back to Markdown
keeping every header line, entry header and education line verbatim (``render``), so
``parse_cv`` reads the same contact line, roles, dates and degrees again (``rescoring``).

Impacts are measured, not guessed (``options``). Nothing is invented: every tailored line is
compared with the original CV (``invention``) and rewriter lines (``rewrite``) that add a skill,
employer, title, degree, date or number are put back as they were and reported (``tailor``).

What only the user can supply — a line showing a required skill in a role, with its result — is
asked for and placed verbatim in the role the user names (``evidence``); its source is the user.

No frameworks here (a test enforces it); the DOCX export is an adapter in ``ui.docx_export``.
"""

from tools.tailoring.evidence import evidence_requests
from tools.tailoring.invention import check_invention
from tools.tailoring.models import (
    ACTIONS,
    MAX_LEAD_SKILLS,
    MAX_QUANTIFY_NOTES,
    MAX_REWRITTEN_BULLETS,
    Addition,
    EvidenceRequest,
    Rewriter,
    ScoreFn,
    TailoredCV,
    TailoringAction,
    TailoringOption,
    Violation,
    ViolationKind,
)
from tools.tailoring.options import tailoring_options
from tools.tailoring.tailor import tailor_cv

__all__ = [
    "ACTIONS", "MAX_LEAD_SKILLS", "MAX_QUANTIFY_NOTES", "MAX_REWRITTEN_BULLETS", "Addition",
    "EvidenceRequest", "Rewriter", "ScoreFn", "TailoredCV", "TailoringAction", "TailoringOption",
    "Violation", "ViolationKind", "check_invention", "evidence_requests", "tailor_cv",
    "tailoring_options",
]
