"""The web chat's application pipeline card (public/elements/Applications.jsx): props from a
``list_applications`` result, grouped by step in pipeline order."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

STEPS = (("saved", "Saved"), ("applied", "Applied"), ("interviewing", "Interviewing"),
         ("offer", "Offer"), ("rejected", "Rejected"), ("withdrawn", "Withdrawn"))


def applications_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of Applications.jsx: a title, and one column per step with its applications."""
    apps = [a for a in result.get("applications") or [] if isinstance(a, Mapping)]
    columns = []
    for key, label in STEPS:
        rows = [{
            "title": (a.get("job") or {}).get("title") or "Untitled job",
            "company": (a.get("job") or {}).get("company") or "",
            "ref": (a.get("job") or {}).get("ref"),
            "since": a.get("since") or "", "days": a.get("days"),
            "applied": a.get("applied") or "", "note": a.get("note") or "",
        } for a in apps if a.get("status") == key]
        if rows:
            columns.append({"status": key, "label": label, "count": len(rows), "rows": rows})
    days = result.get("older_than_days")
    title = (f"Applications with no news for {days}+ days" if days is not None
             else "Your applications")
    return {"title": title, "total": len(apps), "columns": columns}
