"""A job's identity on import: canonical URL, stable external id, and the canonical text the
content hash covers.

When the source gives no id, the external id is a stable hash of the URL, or else of title +
company + location. ``content_text`` covers what a job *says* (title, company, location,
salary, description, requirements, skills), so an unchanged posting seen again is recognised
as unchanged and never re-embedded. The URL is left out of it: a posting whose link alone
changed keeps its hash, and :mod:`store.ingest.writer` writes the new link (counted as updated)
without re-parsing or re-embedding it.
"""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Mapping
from typing import Any

from store.ingest.records import field_text


def _collapse(value: Any) -> str:
    return " ".join(field_text(value).split()).casefold()


def canonical_url(url: str) -> str:
    """The URL compared for identity: trimmed, scheme and host lower-case, no fragment."""
    url = url.strip()
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url
    path = parts.path.rstrip("/") or "/"
    return urllib.parse.urlunsplit(
        (parts.scheme.lower(), parts.netloc.lower(), path, parts.query, "")
    )


def stable_external_id(record: Mapping[str, Any]) -> str:
    """The external id of a row without one: ``url-<sha256>`` or ``tcl-<sha256>`` (24 hex)."""
    url = field_text(record.get("url"))
    if url:
        digest = hashlib.sha256(canonical_url(url).encode("utf-8")).hexdigest()
        return f"url-{digest[:24]}"
    key = "\x1f".join(_collapse(record.get(k)) for k in ("title", "company", "location"))
    return f"tcl-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:24]}"


def content_text(record: Mapping[str, Any]) -> str:
    """The canonical text the content hash is taken over (whitespace- and order-stable)."""
    def norm(value: Any) -> Any:
        if isinstance(value, Mapping):
            return {str(k): norm(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
        if isinstance(value, (list, tuple)):
            return [norm(v) for v in value]
        if isinstance(value, str):
            return " ".join(value.split())
        return value

    payload = {
        "title": norm(record.get("title") or ""),
        "company": norm(record.get("company") or ""),
        "location": norm(record.get("location") or ""),
        "salary": norm(record.get("salary")),
        "currency": norm(record.get("currency")),
        "description": norm(record.get("description") or ""),
        "requirements": norm(record.get("requirements") or ""),
        "skills": sorted({_collapse(s) for s in record.get("skills") or []}),
        "preferred_skills": sorted({_collapse(s) for s in record.get("preferred_skills") or []}),
    }
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
