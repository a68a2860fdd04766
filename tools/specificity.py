"""How much a requirement says about a job: skill specificity weights.

"Microsoft Office", "Excel" or "monitoring" appear in hundreds of occupations; "PLC",
"pneumatics" or "Kubernetes" in a few. A job whose only recognised requirement is a generic
one tells us little, and matching it should not make a candidate look like a fit. Weights
come from ``tools/data/skill_weights.json`` (inverse document frequency over the public O*NET
and ESCO occupation profiles, built by ``tools/data/build_skill_weights.py``): 1 for specific
skills, down to 0.25 for the most common. Soft skills are capped at :data:`SOFT_CAP`.

The skills factor uses them twice: as each requirement's weight inside the factor, and as the
*evidence mass* of the factor — when a job's recognised requirements weigh little in total,
the skills factor counts for less in the overall score (its weight scales with the mass, up to
:data:`FULL_MASS`), and the confidence drops accordingly.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from tools.skills import load_taxonomy

WEIGHTS_FILE = Path(__file__).parent / "data" / "skill_weights.json"
#: Highest weight of a soft skill ("communication", "teamwork") as a job requirement.
SOFT_CAP = 0.4
#: Evidence mass (sum of requirement weights: required 2 × specificity, preferred and
#: certifications 1 ×) at which the skills factor counts in full.
FULL_MASS = 4.0


@cache
def _table() -> dict[str, float]:
    data = json.loads(WEIGHTS_FILE.read_text(encoding="utf-8"))
    return {str(k): float(v) for k, v in data["weights"].items()}


@cache
def skill_weight(skill_id: str) -> float:
    """Specificity of a skill as a job requirement, 0.25-1 (1 when not in the table)."""
    weight = _table().get(skill_id, 1.0)
    entry = load_taxonomy().get(skill_id)
    if entry is not None and entry.category == "soft":
        weight = min(weight, SOFT_CAP)
    return weight


def mass_scale(mass: float) -> float:
    """Share (0-1) of its nominal weight the skills factor gets for this evidence mass."""
    return min(1.0, max(0.0, mass / FULL_MASS))
