"""What makes an ask in a posting required or preferred: the sections that give context or are
ignored, inline cues ("nice to have", "must") and clause boundaries."""

from __future__ import annotations

import re

from tools.parsing.sections import HEADER

IGNORED_SECTIONS = frozenset({"about", "benefits", "application"})
CONTEXT_SECTIONS = frozenset({HEADER, "description", "responsibilities"})

PREFERRED_CUE_RE = re.compile(
    r"\b(?:preferred|preferably|nice[- ]to[- ]have|nice to haves?|(?:is |are |would be )?"
    r"(?:a |an )?(?:big |huge |definite )?plus|an advantage|advantageous|bonus|desirable|desired|"
    r"ideally|good to have|not required|not essential|optional|beneficial)\b",
    re.IGNORECASE,
)
REQUIRED_CUE_RE = re.compile(
    r"\b(?:required|must|essential|mandatory|necessary|need to have)\b", re.IGNORECASE
)
#: Lower-case words one of which every match of the cue pattern above spells (cheap gates).
PREFERRED_CUE_WORDS = (
    "prefer", "nice", "plus", "advantage", "bonus", "desir", "ideally", "good to have",
    "not required", "not essential", "optional", "beneficial",
)
REQUIRED_CUE_WORDS = ("required", "must", "essential", "mandatory", "necessary", "need to have")
CLAUSE_BREAK_RE = re.compile(r"[.;!?](?:\s|$)|\n")
#: A clause: up to a sentence break (". ", "; ", end of line); "Node.js" and "2.5" stay whole.
CLAUSE_RE = re.compile(r"(?:[^.;!?\n]|[.;!?](?=\S))+[.;!?]?")
