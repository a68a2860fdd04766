"""Column mapping: any export's column names → the importer's canonical fields.

Case, spaces, dashes and underscores do not matter ("Job Title", ``job_title``, ``JobTitle``),
and each field has the usual export synonyms (``position``/``role`` for title,
``employer``/``hiring_organization`` for company, …). Unknown columns are ignored.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any

#: Canonical field → accepted column names (compared after :func:`column_key`), best first.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("title", "job_title", "position", "position_title", "role", "job_name",
              "job_position", "name"),
    "company": ("company", "company_name", "employer", "employer_name", "organization",
                "organisation", "hiring_organization", "hiring_organisation", "hiring_company"),
    "location": ("location", "job_location", "city", "place", "locations", "work_location",
                 "office_location", "office", "candidate_required_location"),
    "salary": ("salary", "salary_range", "compensation", "pay", "pay_range", "wage",
               "salary_text", "base_salary"),
    "salary_min": ("salary_min", "min_salary", "salary_from", "minimum_salary", "pay_min",
                   "compensation_min", "salary_minimum"),
    "salary_max": ("salary_max", "max_salary", "salary_to", "maximum_salary", "pay_max",
                   "compensation_max", "salary_maximum"),
    "currency": ("currency", "salary_currency", "pay_currency"),
    "salary_period": ("salary_period", "pay_period", "salary_interval", "salary_unit"),
    "description": ("description", "job_description", "body", "details", "summary", "content",
                    "description_html", "text", "job_summary"),
    "requirements": ("requirements", "qualifications", "job_requirements", "requirement"),
    "skills": ("skills", "tags", "keywords", "required_skills", "skills_required", "skill",
               "categories", "category"),
    "preferred_skills": ("preferred_skills", "nice_to_have", "bonus_skills"),
    "posted_date": ("posted_date", "date_posted", "posted", "published", "published_at",
                    "publication_date", "created_at", "posted_at", "pub_date", "date",
                    "updated", "created"),
    "url": ("job_url", "url", "link", "apply_url", "application_url", "apply_link", "href"),
    "source": ("platform", "source", "site", "board", "job_board"),
    "external_id": ("external_id", "id", "job_id", "guid", "reference", "reference_id", "ref",
                    "requisition_id", "req_id", "posting_id"),
    "employment_type": ("employment_type", "job_type", "contract_type", "type",
                        "employment"),
    "work_mode": ("work_mode", "workplace_type", "remote", "remote_type", "work_type",
                  "workplace", "is_remote"),
}
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def column_key(name: str) -> str:
    """A column name compared case/space/dash/underscore-insensitively: "Job Title" → jobtitle."""
    return _NON_ALNUM.sub("", unicodedata.normalize("NFKC", str(name)).casefold())


#: column_key(alias) → (field, priority); the lowest priority wins when several columns map.
_ALIAS_INDEX: dict[str, tuple[str, int]] = {}
for _field, _aliases in COLUMN_ALIASES.items():
    for _prio, _alias in enumerate(_aliases):
        _ALIAS_INDEX.setdefault(column_key(_alias), (_field, _prio))


def _column_plan(keys: Sequence[Any]) -> dict[str, Any]:
    """Which source column feeds each canonical field (first non-empty by alias priority)."""
    candidates: dict[str, list[tuple[int, int, Any]]] = {}
    for pos, key in enumerate(keys):
        if not isinstance(key, str):
            continue
        hit = _ALIAS_INDEX.get(column_key(key))
        if hit is None:
            continue
        candidates.setdefault(hit[0], []).append((hit[1], pos, key))
    return {f: [k for _, _, k in sorted(c)] for f, c in candidates.items()}


_PLAN_CACHE: dict[tuple[Any, ...], dict[str, Any]] = {}


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, dict)):
        return len(value) == 0
    return False


def map_record(raw: Mapping[str, Any]) -> dict[str, Any]:
    """The row with canonical keys (see :data:`COLUMN_ALIASES`); unknown columns are dropped.

    When several columns map to one field, the first non-empty one by alias priority wins
    ("description" over "summary", "id" over "guid").
    """
    keys = tuple(raw.keys())
    plan = _PLAN_CACHE.get(keys)
    if plan is None:
        plan = _column_plan(keys)
        if len(_PLAN_CACHE) > 512:
            _PLAN_CACHE.clear()
        _PLAN_CACHE[keys] = plan
    out: dict[str, Any] = {}
    for fld, columns in plan.items():
        for col in columns:
            value = raw.get(col)
            if not is_blank(value):
                out[fld] = value
                break
    return out


def is_known_column(name: str) -> bool:
    """Whether a column name maps to a canonical field."""
    return column_key(name) in _ALIAS_INDEX
