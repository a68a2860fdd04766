"""RSS / Atom feeds (a http(s) URL or a file) read as rows, like job files.

An entry becomes a raw row with the importer's column names (:func:`feed_entry_record`), so it
goes through the same column mapping as a file's rows.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from store.ingest.columns import is_known_column
from store.ingest.files import MAX_DOCUMENT_BYTES, Row, check_readable
from store.ingest.results import ImportRowError, short_reason
from tools.errors import FileTooLargeError, UnreadableFileError

logger = logging.getLogger(__name__)

#: feedparser entry keys that are bookkeeping, not job fields.
_FEED_SKIP = frozenset({"title_detail", "summary_detail", "links", "content", "authors",
                        "author_detail", "tags", "published_parsed", "updated_parsed",
                        "created_parsed", "expired_parsed", "guidislink", "comments",
                        "source", "publisher_detail"})
_FEED_TIMEOUT = 30.0


def _fetch(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "jobfit/0.1 (+feed import)"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:  # noqa: S310
            data: bytes = resp.read(MAX_DOCUMENT_BYTES + 1)
    except urllib.error.HTTPError as err:
        raise UnreadableFileError(f"The feed could not be read: HTTP {err.code} from {url}"
                                  ) from err
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise UnreadableFileError(f"The feed could not be read: {url} ({reason})") from err
    if len(data) > MAX_DOCUMENT_BYTES:
        raise FileTooLargeError(f"The feed at {url} is larger than "
                                f"{MAX_DOCUMENT_BYTES // (1 << 20)} MB")
    return data


def is_url(value: str | Path) -> bool:
    """Whether an import source is a http(s) URL (always read as a feed)."""
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))


def feed_source_name(url_or_path: str | Path) -> str:
    """Default source name of a feed: its host for a URL, else the file's stem."""
    if is_url(url_or_path):
        host = urllib.parse.urlsplit(str(url_or_path)).hostname or "rss"
        return host.removeprefix("www.")
    return Path(url_or_path).stem or "rss"


def read_feed(url_or_path: str | Path, *, timeout: float = _FEED_TIMEOUT) -> Iterator[Row]:
    """Entries of an RSS / Atom feed (a http(s) URL or a file) as ``(n, dict | error)``.

    A feed that cannot be fetched, or is so broken that no entry can be read, raises
    :class:`tools.errors.JobfitError` ("The feed could not be read: …"); a partly broken feed
    yields the entries that could be read.
    """
    import feedparser

    if is_url(url_or_path):
        data = _fetch(str(url_or_path), timeout)
    else:
        path = Path(url_or_path)
        check_readable(path)
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise FileTooLargeError(f"{path.name}: larger than "
                                    f"{MAX_DOCUMENT_BYTES // (1 << 20)} MB")
        data = path.read_bytes()
    parsed = feedparser.parse(data)
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            detail = short_reason(str(exc)) if exc else "not a feed"
            raise UnreadableFileError(f"The feed could not be read: {detail}")
        if not parsed.get("version") and not parsed.get("feed"):
            raise UnreadableFileError("The feed could not be read: not an RSS or Atom feed")
        return
    if parsed.get("bozo"):
        logger.warning("feed partly malformed (%s); importing the %d entries read",
                       type(parsed.get("bozo_exception")).__name__, len(entries))
    for n, entry in enumerate(entries, start=1):
        try:
            yield n, feed_entry_record(entry)
        except Exception as err:  # an entry shape feedparser let through but we cannot read
            yield n, ImportRowError(short_reason(f"unreadable feed entry ({type(err).__name__})"))


def feed_entry_record(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A feedparser entry as a raw row with the importer's column names."""
    rec: dict[str, Any] = {}
    for key, value in entry.items():
        if key in _FEED_SKIP or not isinstance(key, str):
            continue
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            name = key
            if not is_known_column(key) and "_" in key:
                suffix = key.split("_", 1)[1]  # namespaced: job_company → company
                if is_known_column(suffix):
                    name = suffix
            rec.setdefault(name, value)
    content = entry.get("content")
    if isinstance(content, list) and content:
        body = "\n".join(str(c.get("value", "")) for c in content if isinstance(c, Mapping))
        if body.strip():
            rec["description"] = body
    if "description" not in rec and entry.get("summary"):
        rec["description"] = entry.get("summary")
    rec.pop("summary", None)
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        stamp = entry.get(key)
        if stamp:
            rec["posted_date"] = date(stamp[0], stamp[1], stamp[2]).isoformat()
            break
    rec.pop("published", None)
    rec.pop("updated", None)
    tags = entry.get("tags")
    if isinstance(tags, list) and tags and "skills" not in rec:
        terms = [str(t.get("term") or t.get("label") or "").strip() for t in tags
                 if isinstance(t, Mapping)]
        if any(terms):
            rec["skills"] = [t for t in terms if t]
    if entry.get("id") and "external_id" not in rec:
        rec["external_id"] = entry.get("id")
        rec.pop("id", None)
    return rec
