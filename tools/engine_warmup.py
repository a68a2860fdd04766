"""Loading what the engine reads on its first calls: the skill taxonomy, the CV and posting
parsers' tables, the span tagger, the occupation model and profiles, the term weights.

Each is loaded lazily, once per process. A process that forks workers (batch commands, the web
server's scoring processes) calls :func:`warm_engine` first, so the workers inherit them loaded
instead of each loading its own copy for every batch.
"""

from __future__ import annotations

from functools import cache

from tools.parsing.cv import parse_cv
from tools.parsing.job import parse_job
from tools.scoring import score_match

WARM_CV = "Warm Up\nSoftware engineer at Example Ltd, 2020-2024: Python, SQL, Docker.\nLondon, UK"
WARM_JOB = ("Data Analyst\nExample Ltd, London (hybrid), £40,000 - £50,000 a year.\n"
            "Requirements: 2+ years of SQL and Python; Tableau, such as dashboards.")


@cache
def warm_engine() -> None:
    """Parse and score one small CV and posting (once per process)."""
    score_match(parse_cv(WARM_CV), parse_job(WARM_JOB))
