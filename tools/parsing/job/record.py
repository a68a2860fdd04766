"""The record path of ``parse_job``: a structured posting (``title``, ``company``, ``salary``...)
parsed through the text path, its own fields winning where present."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from tools.money import currency_symbol
from tools.parsing.dates import parse_posted_date
from tools.parsing.experience import detect_seniority
from tools.parsing.job.employment import find_employment_type
from tools.parsing.job.free_text import parse_text
from tools.parsing.location import parse_location
from tools.parsing.salary import parse_salary
from tools.parsing.stuffing import cap_list
from tools.parsing.text import normalise_text
from tools.parsing.work_mode import detect_work_mode
from tools.schemas import JobPosting, Location, SalaryPeriod, SalaryRange

_PERIOD_FACTOR: dict[str, float] = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}


def _as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        for key in ("name", "display_name", "raw", "text"):
            if isinstance(value.get(key), str):
                return str(value[key])
        return ", ".join(str(v) for v in value.values() if isinstance(v, (str, int, float)))
    if isinstance(value, (list, tuple)):
        return "\n".join(_as_text(v) for v in value)
    return ""


def _list_of(value: Any) -> list[str]:
    if isinstance(value, str):
        return [p.strip() for p in re.split(r"[,;\n]", value) if p.strip()]
    if isinstance(value, (list, tuple)):
        return [_as_text(v).strip() for v in value if _as_text(v).strip()]
    return []


def _record_salary(value: Any, currency_hint: Any) -> SalaryRange | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        amount = float(value)
        if amount <= 0:
            return None
        parsed = parse_salary(f"{currency_symbol(currency_hint)}{amount:.0f}")
        if parsed is not None and parsed.min is not None:
            return parsed
        return SalaryRange(min=amount, max=amount,
                           currency=currency_hint if isinstance(currency_hint, str) else None,
                           raw=str(value))
    if isinstance(value, dict):
        lo = _num(value.get("min", value.get("minimum", value.get("from"))))
        hi = _num(value.get("max", value.get("maximum", value.get("to"))))
        if lo is None and hi is None:
            return parse_salary(_as_text(value)) if _as_text(value) else None
        period_raw = str(value.get("period", value.get("interval", value.get("unit", "year"))))
        period = _period(period_raw)
        factor = _PERIOD_FACTOR[period]
        cur = value.get("currency", currency_hint)
        return SalaryRange(
            min=lo * factor if lo is not None else None,
            max=hi * factor if hi is not None else None,
            currency=str(cur).upper() if isinstance(cur, str) and cur else None,
            period=period,
            raw=json.dumps(value, sort_keys=True, default=str),
        )
    return parse_salary(_as_text(value))


def _num(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", "").strip())
        except ValueError:
            return None
    return None


def _period(raw: str) -> SalaryPeriod:
    raw = raw.lower()
    if raw.startswith(("hour", "hr")):
        return "hour"
    if raw.startswith("day") or raw == "daily":
        return "day"
    if raw.startswith("week"):
        return "week"
    if raw.startswith("month"):
        return "month"
    return "year"


def _record_date(value: Any, today: date | None) -> date | None:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip()[:10])
    except ValueError:
        return parse_posted_date(value, today=today)


def parse_record(rec: dict[str, Any], today: date | None) -> JobPosting:
    """Parse a structured posting record (see ``tools.parsing.job``)."""
    title = _as_text(rec.get("title")).strip() or None
    company = _as_text(rec.get("company") or rec.get("company_name")).strip() or None
    loc_raw = _as_text(rec.get("location")).strip()
    description = _as_text(rec.get("description"))
    requirements = rec.get("requirements")
    skills = cap_list(_list_of(rec.get("skills")))
    preferred = cap_list(_list_of(rec.get("preferred_skills") or rec.get("nice_to_have")))

    lines: list[str] = []
    if title:
        lines.append(title)
    if company:
        lines.append(f"Company: {company}")
    if loc_raw:
        lines.append(f"Location: {loc_raw}")
    lines.append("")
    if description.strip():
        lines.append(description.strip())
        lines.append("")
    if isinstance(requirements, (list, tuple)):
        items = [_as_text(r).strip() for r in requirements if _as_text(r).strip()]
        if items:
            lines.append("Requirements:")
            lines.extend(f"- {i}" for i in items)
            lines.append("")
    elif isinstance(requirements, str) and requirements.strip():
        lines.append("Requirements:")
        lines.append(requirements.strip())
        lines.append("")
    if preferred:
        lines.append("Nice to have:")
        lines.extend(f"- {p}" for p in preferred)
    text = "\n".join(lines)

    job = parse_text(text, today, structured_skills=skills, structured_preferred=preferred,
                      record=True)
    update: dict[str, Any] = {}
    if title:
        update["title"] = title
        sen = detect_seniority(title, "")
        if sen is not None:
            update["seniority"] = sen
    if company:
        update["company"] = company
    if loc_raw:
        update["location"] = parse_location(loc_raw) or Location(raw=loc_raw)
    salary = _record_salary(rec.get("salary"), rec.get("currency"))
    if salary is not None:
        update["salary"] = salary
    wm = rec.get("work_mode") or rec.get("workplace_type")
    if isinstance(wm, str) and detect_work_mode(wm):
        update["work_mode"] = detect_work_mode(wm)
    elif rec.get("remote") is True:
        update["work_mode"] = "remote"
    et = rec.get("employment_type") or rec.get("job_type")
    if isinstance(et, str):
        kind = find_employment_type(et, [], "")
        if kind is not None:
            update["employment_type"] = kind
    posted = _record_date(rec.get("posted_date") or rec.get("date_posted") or rec.get("posted"),
                          today)
    if posted is not None:
        update["posted_date"] = posted
    ext = rec.get("external_id", rec.get("id"))
    if ext is not None and not isinstance(ext, (dict, list)):
        update["external_id"] = str(ext)
    url = rec.get("url") or rec.get("job_url")
    if isinstance(url, str) and url.strip():
        update["url"] = url.strip()
    src = rec.get("source") or rec.get("platform")
    if isinstance(src, str) and src.strip():
        update["source"] = src.strip()
    update["description"] = normalise_text(description) if description else ""
    return job.model_copy(update=update)
