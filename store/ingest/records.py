"""Mapped values → the structured record ``tools.parsing.job.parse_job`` reads.

Exports disagree on shapes: nested schema.org objects, skills as lists or "a, b; c" strings,
salaries as text, numbers or ranges, dates as text or epoch seconds, "remote" as a boolean.
:func:`to_job_record` turns a row mapped by :func:`store.ingest.columns.map_record` into one
shape.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from store.ingest.columns import is_blank
from store.ingest.markup import maybe_html


def field_text(value: Any) -> str:
    """A field as one line of text (names of nested objects, schema.org places)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, Mapping):
        address = value.get("address")
        if isinstance(address, Mapping):
            parts = [field_text(address.get(k)) for k in
                     ("addressLocality", "addressRegion", "addressCountry")]
            joined = ", ".join(p for p in parts if p)
            if joined:
                return joined
        for key in ("name", "display_name", "label", "term", "raw", "text", "value"):
            if isinstance(value.get(key), str) and value[key].strip():
                return str(value[key]).strip()
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(t for t in (field_text(v) for v in value) if t)
    return ""


_LIST_SPLIT = re.compile(r"[,;|\n]")


def _list(value: Any) -> list[str]:
    """Skills / tags: a list, or a comma / semicolon / pipe separated string."""
    if value is None:
        return []
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("[") and stripped.endswith("]"):  # a JSON list in a CSV cell
            try:
                loaded = json.loads(stripped)
            except ValueError:
                loaded = None
            if isinstance(loaded, list):
                return _list(loaded)
        return [p.strip() for p in _LIST_SPLIT.split(value) if p.strip()]
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out.extend(_list(item) if isinstance(item, str) and "," in item else
                       [t] if (t := field_text(item)) else [])
        return out
    if isinstance(value, Mapping):
        t = field_text(value)
        return [t] if t else []
    return []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        cleaned = re.sub(r"[^\d.]", "", value.replace(",", ""))
        if not cleaned:
            return None
        try:
            amount = float(cleaned)
        except ValueError:
            return None
        if re.search(r"\d\s*[kK]\b", value):
            amount *= 1000
        return amount
    return None


def _salary(rec: Mapping[str, Any]) -> Any:
    """The salary value parse_job understands: a string, a number or {min, max, currency}."""
    value = rec.get("salary")
    lo, hi = _number(rec.get("salary_min")), _number(rec.get("salary_max"))
    if isinstance(value, Mapping):
        inner = value.get("value")
        if isinstance(inner, Mapping):  # schema.org MonetaryAmount
            value = {
                "min": inner.get("minValue", inner.get("value")),
                "max": inner.get("maxValue", inner.get("value")),
                "currency": value.get("currency"),
                "period": inner.get("unitText", "year"),
            }
        return dict(value)
    if lo is not None or hi is not None:
        if is_blank(value) or not isinstance(value, str) or not re.search(r"\d", value):
            out: dict[str, Any] = {"min": lo, "max": hi}
            if rec.get("currency"):
                out["currency"] = field_text(rec.get("currency")).upper()
            if rec.get("salary_period"):
                out["period"] = field_text(rec.get("salary_period"))
            return out
    if isinstance(value, str):
        return value.strip() or None
    return value


def _work_mode(value: Any) -> str | None:
    if value is True:
        return "remote"
    if value is False or value is None:
        return None
    text = field_text(value).lower()
    if not text:
        return None
    if text in {"true", "yes", "y", "1", "remote", "fully remote", "remote only"}:
        return "remote"
    if text in {"false", "no", "n", "0"}:
        return None
    if "hybrid" in text:
        return "hybrid"
    if "remote" in text or "anywhere" in text or "home" in text:
        return "remote"
    if any(w in text for w in ("onsite", "on-site", "on site", "office", "in person")):
        return "onsite"
    return None


def _date_text(value: Any) -> Any:
    if isinstance(value, (date, datetime)):
        return value.isoformat()[:10]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        seconds = float(value) / (1000 if value > 1e11 else 1)  # epoch seconds or millis
        try:
            return datetime.fromtimestamp(seconds, UTC).date().isoformat()
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str):
        return value.strip()
    return None


_AT_COMPANY = re.compile(r"^(?P<title>.{2,120}?)\s+(?:at|@)\s+(?P<company>[^,|]{2,80})$")


def to_job_record(mapped: Mapping[str, Any]) -> dict[str, Any]:
    """A mapped row (:func:`map_record`) as the structured record ``parse_job`` reads."""
    title = field_text(mapped.get("title"))
    company = field_text(mapped.get("company"))
    if title and not company:  # feeds often say "Data Engineer at Acme"
        m = _AT_COMPANY.match(title)
        if m:
            title, company = m.group("title").strip(), m.group("company").strip()
    rec: dict[str, Any] = {}
    if title:
        rec["title"] = title
    if company:
        rec["company"] = company
    loc = field_text(mapped.get("location"))
    if loc:
        rec["location"] = loc
    salary = _salary(mapped)
    if not is_blank(salary):
        rec["salary"] = salary
        if mapped.get("currency") and not isinstance(salary, Mapping):
            rec["currency"] = field_text(mapped.get("currency")).upper()
    desc = mapped.get("description")
    if isinstance(desc, (list, tuple)):
        desc = "\n".join(field_text(d) for d in desc)
    desc = maybe_html(desc) if isinstance(desc, str) else field_text(desc)
    if desc.strip():
        rec["description"] = desc.strip()
    req = mapped.get("requirements")
    if isinstance(req, (list, tuple)):
        items = [t for t in (maybe_html(field_text(r)) for r in req) if t]
        if items:
            rec["requirements"] = items
    elif not is_blank(req):
        text = maybe_html(field_text(req)) if not isinstance(req, str) else maybe_html(req).strip()
        if text:
            rec["requirements"] = text
    for key in ("skills", "preferred_skills"):
        values = list(dict.fromkeys(_list(mapped.get(key))))
        if values:
            rec[key] = values
    posted = _date_text(mapped.get("posted_date"))
    if posted:
        rec["posted_date"] = posted
    url = field_text(mapped.get("url"))
    if url.lower().startswith(("http://", "https://")):  # not a bare guid posing as a link
        rec["url"] = url
    ext = mapped.get("external_id")
    if not is_blank(ext) and not isinstance(ext, (Mapping, list, tuple, bool)):
        if isinstance(ext, float) and ext.is_integer():
            ext = int(ext)
        rec["external_id"] = str(ext).strip()
    source = field_text(mapped.get("source"))
    if source:
        rec["source"] = source
    et = field_text(mapped.get("employment_type"))
    if et:
        rec["employment_type"] = et
    wm = _work_mode(mapped.get("work_mode"))
    if wm:
        rec["work_mode"] = wm
    return rec

