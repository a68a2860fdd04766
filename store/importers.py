"""Job ingestion: JSON / JSONL / CSV files and RSS / Atom feeds → the job store and index.

Reading (:func:`read_rows`, :func:`read_feed`) streams rows as ``(row_number, dict)`` or
``(row_number, ImportRowError)``; nothing holds the whole file in memory except a JSON document
that is not a top-level array (size-guarded). ``row_number`` is the 1-based line of the record
in a JSONL or CSV file (where the record starts) and the 1-based element / entry position in a
JSON array or a feed.

Column names are mapped generously (:func:`map_record`): case, spaces, dashes and underscores
do not matter ("Job Title", ``job_title``, ``JobTitle``), and each field has the usual export
synonyms (``position``/``role`` for title, ``employer``/``hiring_organization`` for company,
…). Unknown columns are ignored.

:func:`normalize_row` turns one mapped row into a :class:`store.repo.JobUpsert` (parsed with
:func:`tools.parsing.job.parse_job`). When the source gives no id, the external id is a stable
hash of the URL, or else of title + company + location. ``content_hash`` covers what a job
*says* (title, company, location, salary, description, requirements, skills), so an unchanged
posting seen again is recognised as unchanged and never re-embedded.

:func:`import_jobs` runs the pipeline chunk by chunk::

    read → normalise (bad row → error with its row number; the import goes on)
         → link cross-source near-duplicates (duplicate_of)
         → JobRepo.upsert_many(chunk)            (one transaction: the chunk is committed)
         → embed new / updated jobs → index.upsert
         → progress(done, total)

Crash safety: a chunk is committed to the database before it is indexed, and upserts are
idempotent, so an import killed at any point and run again ends with every job exactly once.
Rows already stored come back ``unchanged``; a stored, active job whose index entry is missing
or carries another content hash (the process died between commit and indexing) is indexed
again on that run.

Parsing is the expensive step (~6 ms a posting); large imports parse in worker processes
(``workers``) while the main process writes and indexes the previous chunk.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import html
import json
import logging
import multiprocessing
import os
import re
import sys
import time
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from store.jobaccess import is_private_source, private_source
from store.recovery import beat
from tools.errors import FileTooLargeError, InvalidInputError, JobfitError, UnreadableFileError
from tools.schemas import JobPosting

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from store.repo import JobUpsert
    from tools.ports import Embedder
    from tools.search import JobIndex

logger = logging.getLogger(__name__)

#: Largest JSON document that is not a top-level array (read whole), and largest feed.
MAX_DOCUMENT_BYTES = 256 * 1024 * 1024
#: Largest single row (a JSONL line, a JSON array element, a CSV field).
MAX_ROW_CHARS = 16 * 1024 * 1024
#: At most this many row errors are kept in a summary / batch (``failed`` stays exact).
MAX_ERRORS = 1000
#: Longest error reason kept.
_REASON_CHARS = 200
_READ_BLOCK = 1 << 20

#: ``progress(done, total)``: rows handled so far and the row count when known (else None).
ProgressCallback = Callable[[int, "int | None"], None]


# --------------------------------------------------------------------------- results


class ImportRowError(JobfitError):
    """A row that cannot be imported; ``str(err)`` is the short, user-safe reason."""

    @property
    def reason(self) -> str:
        return str(self)


class RowError(BaseModel):
    model_config = ConfigDict(extra="forbid")

    row: int
    reason: str


class ImportSummary(BaseModel):
    """The result of one import (``jobfit import --json`` prints ``model_dump()``)."""

    model_config = ConfigDict(extra="forbid")

    batch_id: int
    total: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    failed: int = 0
    errors: list[RowError] = Field(default_factory=list)


# --------------------------------------------------------------------------- column mapping

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


def _blank(value: Any) -> bool:
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
            if not _blank(value):
                out[fld] = value
                break
    return out


# --------------------------------------------------------------------------- values

_HTML_HINT = re.compile(r"<\s*/?\s*(?:p|br|li|ul|ol|div|span|strong|b|em|i|h[1-6]|a|table|tr|td)"
                        r"\b[^>]*>", re.IGNORECASE)
_BLOCK_TAGS = frozenset({"p", "div", "br", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                         "tr", "table", "section", "article", "header", "footer", "hr"})
_SKIP_TAGS = frozenset({"script", "style", "head"})


_VOID_TAGS = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source",
                        "area", "base", "embed", "param", "track"})


class _TextFromHtml(HTMLParser):
    """Text of HTML, leaving out what a reader does not see: scripts and styles, and elements
    hidden by style or attribute (``tools.parsing.stuffing.hidden_html_element``: hidden
    keyword blocks are a stuffing trick)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0
        self._open: list[str] = []  # open elements, innermost last
        self._hidden_at: list[int] = []  # depths of open hidden elements

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        from tools.parsing.stuffing import hidden_html_element

        if tag not in _VOID_TAGS:
            self._open.append(tag)
            if hidden_html_element(tag, attrs):
                self._hidden_at.append(len(self._open))
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "li":
            self.parts.append("\n• ")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._open:  # close it and anything left open inside it
            while self._open:
                if self._hidden_at and self._hidden_at[-1] >= len(self._open):
                    self._hidden_at.pop()
                if self._open.pop() == tag:
                    break
        if tag in _SKIP_TAGS:
            self._skip = max(0, self._skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._hidden_at:
            self.parts.append(data)


_MANY_NEWLINES = re.compile(r"\n\s*\n\s*(?:\n\s*)+")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def html_to_text(value: str) -> str:
    """Plain text of an HTML fragment: block tags become line breaks, list items bullets."""
    parser = _TextFromHtml()
    try:
        parser.feed(value)
        parser.close()
    except Exception:  # HTMLParser is lenient; never let markup stop an import
        return html.unescape(re.sub(r"<[^>]+>", " ", value))
    text = "".join(parser.parts)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def _maybe_html(value: Any) -> Any:
    if isinstance(value, str) and _HTML_HINT.search(value):
        return html_to_text(value)
    if isinstance(value, list):
        return [_maybe_html(v) for v in value]
    return value


def _text(value: Any) -> str:
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
            parts = [_text(address.get(k)) for k in
                     ("addressLocality", "addressRegion", "addressCountry")]
            joined = ", ".join(p for p in parts if p)
            if joined:
                return joined
        for key in ("name", "display_name", "label", "term", "raw", "text", "value"):
            if isinstance(value.get(key), str) and value[key].strip():
                return str(value[key]).strip()
        return ""
    if isinstance(value, (list, tuple)):
        return ", ".join(t for t in (_text(v) for v in value) if t)
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
                       [t] if (t := _text(item)) else [])
        return out
    if isinstance(value, Mapping):
        t = _text(value)
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
        if _blank(value) or not isinstance(value, str) or not re.search(r"\d", value):
            out: dict[str, Any] = {"min": lo, "max": hi}
            if rec.get("currency"):
                out["currency"] = _text(rec.get("currency")).upper()
            if rec.get("salary_period"):
                out["period"] = _text(rec.get("salary_period"))
            return out
    if isinstance(value, str):
        return value.strip() or None
    return value


def _work_mode(value: Any) -> str | None:
    if value is True:
        return "remote"
    if value is False or value is None:
        return None
    text = _text(value).lower()
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
    title = _text(mapped.get("title"))
    company = _text(mapped.get("company"))
    if title and not company:  # feeds often say "Data Engineer at Acme"
        m = _AT_COMPANY.match(title)
        if m:
            title, company = m.group("title").strip(), m.group("company").strip()
    rec: dict[str, Any] = {}
    if title:
        rec["title"] = title
    if company:
        rec["company"] = company
    loc = _text(mapped.get("location"))
    if loc:
        rec["location"] = loc
    salary = _salary(mapped)
    if not _blank(salary):
        rec["salary"] = salary
        if mapped.get("currency") and not isinstance(salary, Mapping):
            rec["currency"] = _text(mapped.get("currency")).upper()
    desc = mapped.get("description")
    if isinstance(desc, (list, tuple)):
        desc = "\n".join(_text(d) for d in desc)
    desc = _maybe_html(desc) if isinstance(desc, str) else _text(desc)
    if desc.strip():
        rec["description"] = desc.strip()
    req = mapped.get("requirements")
    if isinstance(req, (list, tuple)):
        items = [t for t in (_maybe_html(_text(r)) for r in req) if t]
        if items:
            rec["requirements"] = items
    elif not _blank(req):
        text = _maybe_html(_text(req)) if not isinstance(req, str) else _maybe_html(req).strip()
        if text:
            rec["requirements"] = text
    for key in ("skills", "preferred_skills"):
        values = list(dict.fromkeys(_list(mapped.get(key))))
        if values:
            rec[key] = values
    posted = _date_text(mapped.get("posted_date"))
    if posted:
        rec["posted_date"] = posted
    url = _text(mapped.get("url"))
    if url.lower().startswith(("http://", "https://")):  # not a bare guid posing as a link
        rec["url"] = url
    ext = mapped.get("external_id")
    if not _blank(ext) and not isinstance(ext, (Mapping, list, tuple, bool)):
        if isinstance(ext, float) and ext.is_integer():
            ext = int(ext)
        rec["external_id"] = str(ext).strip()
    source = _text(mapped.get("source"))
    if source:
        rec["source"] = source
    et = _text(mapped.get("employment_type"))
    if et:
        rec["employment_type"] = et
    wm = _work_mode(mapped.get("work_mode"))
    if wm:
        rec["work_mode"] = wm
    return rec


# --------------------------------------------------------------------------- identity


def _collapse(value: Any) -> str:
    return " ".join(_text(value).split()).casefold()


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
    url = _text(record.get("url"))
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


# --------------------------------------------------------------------------- normalising


@dataclass(slots=True)
class _Pre:
    """A row after the cheap step (mapping, identity, content hash), before parsing."""

    row: int
    record: dict[str, Any] | None = None
    source: str = ""
    external_id: str = ""
    content_hash: str = ""
    error: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return self.source, self.external_id


@dataclass(slots=True)
class _Normalised:
    """A row ready to store: parsed (``upsert``), known unchanged (``skipped``) or failed."""

    pre: _Pre
    upsert: JobUpsert | None = None
    posting: JobPosting | None = None
    embed_text: str = ""
    error: str | None = None
    skipped: bool = False
    vector: Any = None  # embedded by the worker when the embedder may run there


def _premap(row: int, raw: Any, default_source: str) -> _Pre:
    from store.cache import content_hash

    if isinstance(raw, ImportRowError):
        return _Pre(row, error=_short(str(raw)))
    if not isinstance(raw, Mapping):
        return _Pre(row, error=f"not a JSON object (got {type(raw).__name__})")
    try:
        record = to_job_record(map_record(raw))
    except Exception as err:  # odd nested values: this row fails, the import goes on
        logger.debug("row %d could not be mapped", row, exc_info=True)
        return _Pre(row, error=_short(f"unreadable row ({type(err).__name__})"))
    if not record.get("title") and not record.get("description"):
        return _Pre(row, error="no title and no description")
    if is_private_source(default_source):  # a user's private import: every row is theirs
        source = default_source
    else:
        source = (record.get("source") or default_source or "import").strip()[:100]
        if is_private_source(source):
            return _Pre(row, error=f"source {source[:40]!r}: 'user:' sources are private "
                                   "to their user")
    external_id = (record.get("external_id") or stable_external_id(record))[:500]
    record["source"], record["external_id"] = source, external_id
    return _Pre(row, record, source, external_id, content_hash(content_text(record)))


def _parse(pre: _Pre, today: date | None) -> tuple[JobUpsert, JobPosting]:
    from store.repo import JobUpsert
    from tools.parsing.job import parse_job

    record = pre.record or {}
    job = parse_job(record, today=today)
    if job.title is None and record.get("title"):
        job = job.model_copy(update={"title": record["title"]})
    work_mode = job.work_mode or ("remote" if job.location and job.location.remote else None)
    salary = job.salary
    upsert = JobUpsert(
        source=pre.source,
        external_id=pre.external_id,
        url=job.url,
        title=(job.title or "")[:500],
        company=job.company,
        location=(job.location.raw or None) if job.location else record.get("location"),
        remote=work_mode,
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_currency=salary.currency if salary else None,
        experience_min=job.experience_min,
        experience_max=job.experience_max,
        skills=list(dict.fromkeys(s.skill_id for s in job.all_skills)),
        keywords=list(job.keywords),
        parsed=job.model_dump(mode="json"),
        text=job.text,
        content_hash=pre.content_hash,
        posted=job.posted_date,
        duplicate_of=None,
    )
    return upsert, job


def normalize_row(raw: Mapping[str, Any], default_source: str, *,
                  today: date | None = None) -> JobUpsert:
    """One raw row (any column naming) as a :class:`store.repo.JobUpsert`.

    Raises :class:`ImportRowError` (a short reason) when the row cannot be a job: not an
    object, or neither a title nor a description.
    """
    pre = _premap(0, raw, default_source)
    if pre.error is not None:
        raise ImportRowError(pre.error)
    return _parse(pre, today)[0]


def _parse_many(items: list[_Pre], today: date | None) -> list[_Normalised]:
    """Parse rows (runs in a worker process for large imports); a failure stays per row."""
    from tools.scoring import job_embedding_text

    out: list[_Normalised] = []
    for pre in items:
        try:
            upsert, job = _parse(pre, today)
        except Exception as err:  # parse_job never raises by contract; a bug must not stop
            logger.exception("row %d could not be parsed", pre.row)
            out.append(_Normalised(pre, error=_short(f"could not be parsed "
                                                     f"({type(err).__name__})")))
            continue
        out.append(_Normalised(pre, upsert, job, job_embedding_text(job)))
    return out


def _short(reason: str) -> str:
    reason = " ".join(reason.split())
    return reason if len(reason) <= _REASON_CHARS else reason[: _REASON_CHARS - 1] + "…"


# --------------------------------------------------------------------------- file reading

Row = tuple[int, "dict[str, Any] | ImportRowError"]


def detect_encoding(path: Path) -> str:
    """utf-8-sig (BOM), utf-16 (BOM), utf-8 when the whole file decodes, else cp1252."""
    with path.open("rb") as fh:
        head = fh.read(4)
        if head.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while block := fh.read(_READ_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "cp1252"
    return "utf-8"


def _open_text(path: Path, encoding: str) -> IO[str]:
    # cp1252 leaves 5 bytes undefined: replace them rather than fail half-way through.
    return path.open("r", encoding=encoding, errors="replace", newline="")


def file_format(path: Path) -> str:
    """"json", "jsonl", "csv" or "feed", by extension, else by the first characters."""
    suffix = path.suffix.lower()
    if suffix in {".jsonl", ".ndjson", ".jsonlines"}:
        return "jsonl"
    if suffix == ".json":
        return "json"
    if suffix in {".csv", ".tsv", ".tab"}:
        return "csv"
    if suffix in {".xml", ".rss", ".atom"}:
        return "feed"
    with path.open("rb") as fh:
        head = fh.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
    if head.startswith(b"["):
        return "json"
    if head.startswith(b"{"):
        return "jsonl"
    if head.startswith(b"<"):
        return "feed"
    return "csv"


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise UnreadableFileError(f"{path.name}: no such file")
    if not path.is_file():
        raise UnreadableFileError(f"{path.name}: not a file")


def read_rows(path: str | Path) -> Iterator[Row]:
    """Rows of a JSON array, JSONL or CSV file as ``(row_number, dict | ImportRowError)``.

    Streams line by line (JSONL, CSV) or element by element (JSON arrays). A JSON document
    that is an object is read whole (up to :data:`MAX_DOCUMENT_BYTES`): its list of jobs
    (``jobs``/``data``/``results``/``items``/``postings``…) or the object itself as one job.
    Raises :class:`tools.errors.JobfitError` when the file cannot be read at all.
    """
    path = Path(path)
    _check_readable(path)
    kind = file_format(path)
    if kind == "feed":
        yield from read_feed(path)
        return
    encoding = detect_encoding(path)
    try:
        if kind == "jsonl":
            yield from _read_jsonl(path, encoding)
        elif kind == "json":
            yield from _read_json(path, encoding)
        else:
            yield from _read_csv(path, encoding)
    except OSError as err:
        raise UnreadableFileError(f"{path.name}: could not be read ({err.strerror})") from err


def count_rows(path: str | Path) -> int | None:
    """How many rows :func:`read_rows` will yield, when cheap to know (JSONL, CSV), else None."""
    path = Path(path)
    try:
        kind = file_format(path)
        if kind == "jsonl":
            n = 0
            with _open_text(path, detect_encoding(path)) as fh:
                while line := fh.readline(MAX_ROW_CHARS):
                    if line.strip():
                        n += 1
            return n
        if kind == "csv":
            return sum(1 for n, _ in _read_csv(path, detect_encoding(path), count_only=True))
    except (OSError, JobfitError, csv.Error):
        return None
    return None


def _read_jsonl(path: Path, encoding: str) -> Iterator[Row]:
    with _open_text(path, encoding) as fh:
        line_no = 0
        while True:
            line = fh.readline(MAX_ROW_CHARS)
            if not line:
                return
            line_no += 1
            if not line.endswith(("\n", "\r")) and len(line) >= MAX_ROW_CHARS:
                while (rest := fh.readline(MAX_ROW_CHARS)) and not rest.endswith(("\n", "\r")):
                    pass
                yield line_no, ImportRowError(f"line longer than {MAX_ROW_CHARS} characters")
                continue
            stripped = line.strip()
            if not stripped:
                continue
            try:
                obj = json.loads(stripped)
            except ValueError as err:
                yield line_no, ImportRowError(f"invalid JSON: {_json_reason(err)}")
                continue
            if isinstance(obj, dict):
                yield line_no, obj
            else:
                yield line_no, ImportRowError(f"not a JSON object (got {_json_kind(obj)})")


def _json_reason(err: ValueError) -> str:
    if isinstance(err, json.JSONDecodeError):
        return f"{err.msg} at column {err.colno}"
    return str(err)


def _json_kind(obj: Any) -> str:
    if isinstance(obj, list):
        return "an array"
    if isinstance(obj, str):
        return "a string"
    if obj is None:
        return "null"
    if isinstance(obj, bool):
        return "a boolean"
    return "a number"


_WS = re.compile(r"\s*")
_LIST_KEYS = ("jobs", "data", "results", "items", "postings", "job_postings", "records",
              "entries", "hits", "positions", "vacancies")


def _read_json(path: Path, encoding: str) -> Iterator[Row]:
    with _open_text(path, encoding) as fh:
        head = fh.read(4096)
        first = head.lstrip()[:1]
        fh.seek(0)
        if first == "[":
            yield from _iter_json_array(fh)
            return
    if first == "":
        return
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise FileTooLargeError(
            f"{path.name}: a JSON object over {MAX_DOCUMENT_BYTES // (1 << 20)} MB; "
            "use a JSON array or JSON lines"
        )
    with _open_text(path, encoding) as fh:
        text = fh.read()
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as err:
        if err.msg == "Extra data":  # one object per line under a .json name
            yield from _read_jsonl(path, encoding)
            return
        raise UnreadableFileError(f"{path.name}: invalid JSON ({_json_reason(err)}, "
                                  f"line {err.lineno})") from err
    if isinstance(doc, dict):
        for key in _LIST_KEYS:
            inner = next((v for k, v in doc.items() if column_key(k) == key), None)
            if isinstance(inner, list):
                for n, item in enumerate(inner, start=1):
                    yield n, _object_or_error(item)
                return
        yield 1, doc
        return
    raise UnreadableFileError(f"{path.name}: expected a JSON array or object, "
                              f"got {_json_kind(doc)}")


def _object_or_error(item: Any) -> dict[str, Any] | ImportRowError:
    if isinstance(item, dict):
        return item
    return ImportRowError(f"not a JSON object (got {_json_kind(item)})")


def _iter_json_array(fh: IO[str]) -> Iterator[Row]:
    """Elements of a top-level JSON array, decoded one at a time from a growing buffer."""
    decoder = json.JSONDecoder()
    buf, pos, eof = "", 0, False

    def fill() -> None:
        nonlocal buf, pos, eof
        block = fh.read(_READ_BLOCK)
        if not block:
            eof = True
        buf, pos = buf[pos:] + block, 0

    def skip_ws() -> None:
        nonlocal pos
        while True:
            m = _WS.match(buf, pos)
            pos = m.end() if m else pos
            if pos < len(buf) or eof:
                return
            fill()

    fill()
    skip_ws()
    if buf[pos:pos + 1] != "[":
        raise UnreadableFileError("invalid JSON: expected an array")
    pos += 1
    n = 0
    while True:
        skip_ws()
        if pos >= len(buf):
            yield n + 1, ImportRowError("invalid JSON: the array is not closed (truncated file?)")
            return
        if buf[pos] == "]":
            return
        if n > 0:
            if buf[pos] != ",":
                yield n + 1, ImportRowError(
                    f"invalid JSON: expected ',' or ']' after element {n}; rest of file skipped")
                return
            pos += 1
            skip_ws()
        n += 1
        while True:
            try:
                obj, end = decoder.raw_decode(buf, pos)
            except json.JSONDecodeError as err:
                if not eof and len(buf) - pos < MAX_ROW_CHARS:
                    fill()
                    continue
                reason = ("element too large" if not eof else _json_reason(err))
                yield n, ImportRowError(f"invalid JSON: {reason}; rest of file skipped")
                return
            if end >= len(buf) and not eof:  # a number may continue in the next block
                fill()
                continue
            break
        pos = end
        yield n, _object_or_error(obj)


def _sniff_dialect(sample: str, suffix: str) -> type[csv.Dialect] | csv.Dialect:
    header = sample.split("\n", 1)[0]
    if suffix in {".tsv", ".tab"}:
        return csv.excel_tab
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
        if dialect.delimiter in header:
            dialect.doublequote = True  # exports escape quotes by doubling them
            return dialect
    except csv.Error:
        pass
    counts = {d: header.count(d) for d in ",;\t|"}
    best = max(counts, key=lambda d: counts[d])
    if counts[best] == 0:
        return csv.excel

    class _Guessed(csv.excel):
        delimiter = best

    return _Guessed


def _read_csv(path: Path, encoding: str, *, count_only: bool = False) -> Iterator[Row]:
    if csv.field_size_limit() < MAX_ROW_CHARS:
        csv.field_size_limit(MAX_ROW_CHARS)
    with _open_text(path, encoding) as fh:
        sample = fh.read(64 * 1024)
        fh.seek(0)
        if not sample.strip():
            return
        reader = csv.reader(fh, _sniff_dialect(sample, path.suffix.lower()))
        header: list[str] | None = None
        prev_line = 0
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as err:
                if reader.line_num == prev_line:  # the reader did not advance: give up
                    yield start, ImportRowError(f"invalid CSV: {err}; rest of file skipped")
                    return
                prev_line = reader.line_num
                yield start, ImportRowError(f"invalid CSV: {err}")
                continue
            prev_line = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if header is None:
                header = [c.strip() for c in cells]
                continue
            if count_only:
                yield start, {}
                continue
            row = {h: v for h, v in zip(header, cells, strict=False) if h}
            yield start, row


# --------------------------------------------------------------------------- feeds

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
        _check_readable(path)
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise FileTooLargeError(f"{path.name}: larger than "
                                    f"{MAX_DOCUMENT_BYTES // (1 << 20)} MB")
        data = path.read_bytes()
    parsed = feedparser.parse(data)
    entries = list(parsed.get("entries") or [])
    if not entries:
        if parsed.get("bozo"):
            exc = parsed.get("bozo_exception")
            detail = _short(str(exc)) if exc else "not a feed"
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
            yield n, ImportRowError(_short(f"unreadable feed entry ({type(err).__name__})"))


def feed_entry_record(entry: Mapping[str, Any]) -> dict[str, Any]:
    """A feedparser entry as a raw row with the importer's column names."""
    rec: dict[str, Any] = {}
    for key, value in entry.items():
        if key in _FEED_SKIP or not isinstance(key, str):
            continue
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            name = key
            if column_key(key) not in _ALIAS_INDEX and "_" in key:
                suffix = key.split("_", 1)[1]  # namespaced: job_company → company
                if column_key(suffix) in _ALIAS_INDEX:
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


# --------------------------------------------------------------------------- the pipeline


class _Repo(Protocol):
    def upsert_many(self, rows: list[JobUpsert]) -> list[str]: ...
    def get_many(self, ids: list[int]) -> list[Any]: ...
    def find_near_duplicate(self, company: str | None, title: str | None,
                            location: str | None, posted: date | None,
                            exclude_source: str | None) -> Any: ...


@dataclass
class _Timings:
    """Seconds per stage (main process), for the benchmark."""

    read: float = 0.0  # reading, mapping, hashing
    parse: float = 0.0  # parsing in this process
    wait: float = 0.0  # waiting for parsing workers
    db: float = 0.0
    embed: float = 0.0
    index: float = 0.0

    def as_dict(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.__dict__.items()}


@dataclass
class _Run:
    engine: Engine
    repo: _Repo
    index: JobIndex
    embedder: Embedder
    default_source: str
    today: date
    summary: ImportSummary
    indexed: dict[str, str] = field(default_factory=dict)
    timings: _Timings = field(default_factory=_Timings)
    #: Chunks submitted, oldest first: an AsyncResult (worker) or the raw rows (here).
    pending: deque[Any] = field(default_factory=deque)
    pool: Any = None
    done: int = 0
    owner_id: str | None = None  # a private import's owner (None: the shared store)
    actor: str = "operator"


def default_workers() -> int:
    """Parsing processes for a large import: one per CPU, at most 4."""
    return max(1, min(os.cpu_count() or 1, 4))


def import_jobs(
    source: str | Path,
    *,
    engine: Engine,
    index: JobIndex,
    embedder: Embedder,
    chunk_size: int = 200,
    default_source: str | None = None,
    progress: ProgressCallback | None = None,
    is_feed: bool = False,
    workers: int | None = None,
    now: datetime | None = None,
    timings: dict[str, float] | None = None,
    owner_id: str | None = None,
    actor: str = "operator",
) -> ImportSummary:
    """Import a job file (JSON array, JSONL, CSV) or an RSS / Atom feed (URL or file).

    Args:
        source: the file path, or the feed URL / path when ``is_feed`` (a http(s) URL is
            always read as a feed, and so is a file with an .xml / .rss / .atom name).
        engine: the SQL engine (``store.db.make_engine``), schema initialised.
        index: the vector index (``store.vectors.ChromaJobIndex``).
        embedder: embeds ``job_embedding_text`` of new and changed jobs.
        chunk_size: rows per transaction (and per index write).
        default_source: source name for rows without a platform / source column (default:
            "import" for files; the host or the file stem for feeds).
        progress: ``progress(done, total)`` after every chunk; ``done`` counts every row
            handled (failed ones too); ``total`` is None when not known up front (JSON
            arrays, feeds).
        workers: parsing processes (default: one per CPU, at most 4, once the import is
            larger than one chunk); 1 parses in this process.
        now: the import time (relative posting dates); default: now.
        timings: if given, filled with seconds spent per stage (see ``_Timings``).
        owner_id: import into this user's private source ``user:<owner_id>`` (only that
            user sees the jobs; a row's own source column is ignored, so no shared job and
            no other user's job can be written). None: the shared store (the operator's
            ``jobfit import``; rows naming a ``user:`` source are refused).
        actor: who runs the import, kept as provenance on the batch and on new jobs.

    Returns the :class:`ImportSummary` (``total == new + updated + unchanged + failed``).
    Raises :class:`tools.errors.JobfitError` when the file or feed cannot be read at all;
    the batch is then recorded as FAILED with the counts reached (chunks already committed
    stay committed; re-running completes the import).
    """
    from store.repo import BatchRepo, JobRepo

    if chunk_size < 1:
        raise ValueError("chunk_size must be >= 1")
    feed = is_feed or is_url(source) or (Path(source).is_file()
                                         and file_format(Path(source)) == "feed")
    name = str(source) if is_url(source) else Path(source).name
    src_default = default_source or (feed_source_name(source) if feed else "import")
    if owner_id is not None:
        src_default = private_source(owner_id)
    elif is_private_source(src_default):
        raise InvalidInputError("'user:' sources are private: import them as that user.")
    n_workers = workers if workers is not None else default_workers()

    batches = BatchRepo(engine)
    batch_id = batches.start(src_default, name, actor=actor[:100], owner_id=owner_id)
    run = _Run(engine=engine, repo=JobRepo(engine), index=index, embedder=embedder,
               default_source=src_default, today=(now or datetime.now(UTC)).date(),
               summary=ImportSummary(batch_id=batch_id), owner_id=owner_id,
               actor=actor[:100])
    status = "FAILED"
    try:
        rows: Iterator[Row] = read_feed(source) if feed else read_rows(source)
        total = None if feed else count_rows(source)
        t0 = time.perf_counter()
        run.indexed = index.hashes()
        run.timings.index += time.perf_counter() - t0
        submitted = 0
        for chunk in _chunks(rows, chunk_size, run.timings):
            larger = submitted > 0 or (total is not None and total > chunk_size)
            if run.pool is None and larger and n_workers > 1 and _can_fork():
                run.pool = _make_pool(n_workers, engine, embedder)
            _submit(run, chunk)
            submitted += 1
            limit = 2 * n_workers if run.pool is not None else 0
            while len(run.pending) > limit:
                _complete(run, progress, total)
        while run.pending:
            _complete(run, progress, total)
        status = "DONE"
    finally:
        if run.pool is not None:
            run.pool.terminate()
            run.pool.join()
            _FORK_STATE.clear()
        summary = run.summary
        counts = summary.model_dump(include={"total", "new", "updated", "unchanged", "failed"})
        try:
            batches.finish(batch_id, counts, [e.model_dump() for e in summary.errors], status)
        except Exception:  # never hide the original error behind bookkeeping
            if status == "DONE":
                raise
            logger.exception("could not record the failed batch %s", batch_id)
        if timings is not None:
            timings.update(run.timings.as_dict())
    return run.summary


def _chunks(rows: Iterator[Row], size: int, timings: _Timings) -> Iterator[list[tuple[int, Any]]]:
    chunk: list[tuple[int, Any]] = []
    t0 = time.perf_counter()
    for item in rows:
        chunk.append(item)
        if len(chunk) >= size:
            timings.read += time.perf_counter() - t0
            yield chunk
            chunk = []
            t0 = time.perf_counter()
    timings.read += time.perf_counter() - t0
    if chunk:
        yield chunk


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


#: What forked parsing workers inherit (set just before the pool forks them).
_FORK_STATE: dict[str, Any] = {}


def _fork_safe(embedder: Embedder) -> bool:
    """Whether forked workers may embed too: the static embedder is a numpy table lookup
    (its tokenizer runs single-threaded once ``TOKENIZERS_PARALLELISM=false``); a model with
    its own thread pools (onnxruntime) stays in the main process."""
    from store.static_embeddings import StaticEmbedder

    return isinstance(embedder, StaticEmbedder)


def _make_pool(n_workers: int, engine: Engine, embedder: Embedder) -> Any:
    # fork (as ui/batch.py): workers inherit the loaded parser and taxonomy, run pure parsing
    # code and read-only lookups on their own database connections; they never write, index
    # or embed. (forkserver / spawn would re-run an unguarded calling script in each worker.)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _FORK_STATE["engine"] = engine
    _FORK_STATE["embedder"] = embedder if _fork_safe(embedder) else None
    return multiprocessing.get_context("fork").Pool(n_workers, initializer=_worker_init)


def _worker_init() -> None:
    # Connections inherited from the parent must not be used here (SQLAlchemy's fork recipe).
    _FORK_STATE["engine"].dispose(close=False)


def _worker_prepare(chunk: list[tuple[int, Any]], default_source: str,
                    today: date) -> list[_Normalised]:
    out = _prepare_chunk(chunk, default_source, today, _FORK_STATE["engine"])
    embedder = _FORK_STATE.get("embedder")
    if embedder is not None:
        todo = [item for item in out if item.upsert is not None]
        if todo:
            vectors = embedder.embed([item.embed_text for item in todo])
            for item, vector in zip(todo, vectors, strict=True):
                item.vector = vector
    return out


def _prepare_chunk(chunk: list[tuple[int, Any]], default_source: str, today: date,
                   engine: Engine) -> list[_Normalised]:
    """Map and hash every row; parse those the database does not already hold unchanged.

    A row is skipped (not parsed) when the database has its key with the same content hash
    and the key appears once in the chunk; the main process re-checks skipped rows when it
    stores the chunk (an earlier chunk may have changed that job since) and parses any that
    are no longer unchanged.
    """
    pres = [_premap(n, raw, default_source) for n, raw in chunk]
    keys = [p.key for p in pres if p.error is None]
    stored = _lookup(engine, keys)
    repeats = Counter(keys)
    out: list[_Normalised] = []
    to_parse: list[int] = []
    for pre in pres:
        if pre.error is not None:
            out.append(_Normalised(pre, error=pre.error))
            continue
        old = stored.get(pre.key)
        if old is not None and old.content_hash == pre.content_hash and repeats[pre.key] == 1:
            out.append(_Normalised(pre, skipped=True))
        else:
            to_parse.append(len(out))
            out.append(_Normalised(pre))
    for i, item in zip(to_parse, _parse_many([out[i].pre for i in to_parse], today),
                       strict=True):
        out[i] = item
    return out


def _submit(run: _Run, chunk: list[tuple[int, Any]]) -> None:
    if run.pool is not None:
        run.pending.append(run.pool.apply_async(
            _worker_prepare, (chunk, run.default_source, run.today)))
    else:
        run.pending.append(chunk)


def _complete(run: _Run, progress: ProgressCallback | None, total: int | None) -> None:
    head = run.pending.popleft()
    t0 = time.perf_counter()
    if isinstance(head, list):
        results = _prepare_chunk(head, run.default_source, run.today, run.engine)
        run.timings.parse += time.perf_counter() - t0
    else:
        results = head.get()
        run.timings.wait += time.perf_counter() - t0
    _store_chunk(run, results)
    beat(run.engine, run.summary.batch_id)  # store.recovery: this import is alive
    run.done += len(results)
    if progress is not None:
        progress(run.done, total if total is not None and total >= run.done else None)


@dataclass(frozen=True, slots=True)
class _Stored:
    """What the pipeline needs of a stored job (one light query per chunk, not per row)."""

    id: int
    content_hash: str
    status: str
    duplicate_of: int | None
    company: str | None
    imported: datetime | None


def _lookup(engine: Engine, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], _Stored]:
    from sqlalchemy import select

    from store.db import session_scope
    from store.tables import JobRecord

    t = JobRecord.__table__.c  # type: ignore[attr-defined]
    by_source: dict[str, list[str]] = {}
    for source, ext in dict.fromkeys(keys):
        by_source.setdefault(source, []).append(ext)
    out: dict[tuple[str, str], _Stored] = {}
    if not by_source:
        return out
    with session_scope(engine) as session:
        for source, ids in by_source.items():
            for start in range(0, len(ids), 500):
                stmt = select(
                    t.id, t.external_id, t.content_hash, t.status, t.duplicate_of, t.company,
                    t.imported,
                ).where(t.source == source, t.external_id.in_(ids[start:start + 500]))
                for job_id, ext, chash, status, dup, company, imported in session.execute(stmt):
                    out[(source, ext)] = _Stored(int(job_id), chash, str(status), dup, company,
                                                 imported)
    return out


def _companies_elsewhere(engine: Engine, rows: Sequence[JobUpsert]) -> set[tuple[str, str]]:
    """(company_key, source) pairs of ACTIVE jobs at a company one of ``rows`` names."""
    from sqlalchemy import select

    from store.db import session_scope
    from store.repo import normalise_company
    from store.tables import JobRecord, JobStatus

    t = JobRecord.__table__.c  # type: ignore[attr-defined]
    keys = sorted({k for r in rows if (k := normalise_company(r.company))})
    out: set[tuple[str, str]] = set()
    if not keys:
        return out
    with session_scope(engine) as session:
        for start in range(0, len(keys), 500):
            stmt = select(t.company_key, t.source).distinct().where(
                t.status == JobStatus.ACTIVE.value, t.company_key.in_(keys[start:start + 500]))
            out.update((str(k), str(s)) for k, s in session.execute(stmt))
    return out


def _store_chunk(run: _Run, results: list[_Normalised]) -> None:
    """One chunk: errors recorded, near-duplicates linked, rows upserted in one transaction
    (committed), then new / changed / missing-from-index jobs embedded and indexed."""
    from store.repo import normalise_company, parsed_job
    from tools.scoring import job_embedding_text

    summary, timings = run.summary, run.timings
    parsed: list[_Normalised] = []
    skipped: list[_Normalised] = []
    for item in results:
        summary.total += 1
        if item.error is not None:
            _fail(summary, item.pre.row, item.error)
        elif item.skipped:
            summary.unchanged += 1
            skipped.append(item)
        else:
            parsed.append(item)

    t0 = time.perf_counter()
    before = _lookup(run.engine, [r.pre.key for r in parsed + skipped])
    timings.db += time.perf_counter() - t0
    stale = [item for item in skipped
             if (old := before.get(item.pre.key)) is None
             or old.content_hash != item.pre.content_hash]
    if stale:  # an earlier chunk changed these jobs after the worker looked: parse them now
        t0 = time.perf_counter()
        summary.unchanged -= len(stale)
        stale_ids = {id(item) for item in stale}
        skipped = [item for item in skipped if id(item) not in stale_ids]
        for item in _parse_many([item.pre for item in stale], run.today):
            if item.error is not None:
                _fail(summary, item.pre.row, item.error)
            else:
                parsed.append(item)
        timings.parse += time.perf_counter() - t0
    rows = [item.upsert for item in parsed if item.upsert is not None]
    t0 = time.perf_counter()
    if rows:
        elsewhere = _companies_elsewhere(run.engine, rows) if run.owner_id is None else set()
        for row in rows:
            old = before.get(_key(row))
            company_key = normalise_company(row.company)
            row.owner_id, row.created_by = run.owner_id, run.actor
            row.batch_id = summary.batch_id
            if old is not None and old.content_hash == row.content_hash:
                row.duplicate_of = old.duplicate_of  # unchanged: nothing is written anyway
            elif any(k == company_key and s != row.source for k, s in elsewhere):
                row.duplicate_of = _duplicate_of(run.repo, row, old)
        statuses = run.repo.upsert_many(rows)  # one transaction: the chunk is committed
        if len(statuses) != len(rows):
            raise JobfitError("the job store returned an unexpected result")
        after = _lookup(run.engine, [_key(r) for r, st in zip(rows, statuses, strict=True)
                                     if st != "unchanged" or _key(r) not in before])
    else:
        statuses, after = [], {}
    timings.db += time.perf_counter() - t0

    # What to (re)index: new and changed jobs, and stored jobs the index lacks or holds with
    # another hash (a run killed between commit and indexing). Inactive jobs leave the index.
    to_index: dict[str, tuple[str, JobPosting, _Stored, Any]] = {}
    repair: list[_Stored] = []
    to_delete: list[str] = []

    def wants_index(rec: _Stored, changed: bool) -> bool:
        job_id = str(rec.id)
        if rec.status != "ACTIVE":
            if job_id in run.indexed:
                to_delete.append(job_id)
            return False
        return changed or run.indexed.get(job_id) != rec.content_hash

    for item, row, status in zip(parsed, rows, statuses, strict=True):
        setattr(summary, status, getattr(summary, status) + 1)
        rec = after.get(_key(row)) or before.get(_key(row))
        if rec is None or rec.content_hash != row.content_hash:
            continue  # a later row with the same key changed it again: that row indexes it
        if wants_index(rec, status != "unchanged") and item.posting is not None:
            to_index[str(rec.id)] = (item.embed_text, item.posting, rec, item.vector)
    for item in skipped:
        rec = before.get(item.pre.key)
        if rec is not None and rec.content_hash == item.pre.content_hash \
                and wants_index(rec, False):
            repair.append(rec)
    if repair:
        t0 = time.perf_counter()
        records = run.repo.get_many([r.id for r in repair])
        timings.db += time.perf_counter() - t0
        by_id = {r.id: r for r in repair}
        for record in records:
            job = parsed_job(record)
            to_index[str(record.id)] = (job_embedding_text(job), job, by_id[record.id], None)
    _index(run, to_index)
    if to_delete:
        t0 = time.perf_counter()
        run.index.delete(to_delete)
        for job_id in to_delete:
            run.indexed.pop(job_id, None)
        timings.index += time.perf_counter() - t0


def _fail(summary: ImportSummary, row: int, reason: str) -> None:
    summary.failed += 1
    if len(summary.errors) < MAX_ERRORS:
        summary.errors.append(RowError(row=row, reason=reason))


def _index(run: _Run, to_index: dict[str, tuple[str, JobPosting, _Stored, Any]]) -> None:
    from tools.search import IndexedJob, job_metadata

    if not to_index:
        return
    items = list(to_index.items())
    missing = [i for i, (_, (_, _, _, vec)) in enumerate(items) if vec is None]
    vectors: list[Any] = [vec for _, (_, _, _, vec) in items]
    if missing:
        t0 = time.perf_counter()
        embedded = run.embedder.embed([items[i][1][0] for i in missing])
        for i, vec in zip(missing, embedded, strict=True):
            vectors[i] = vec
        run.timings.embed += time.perf_counter() - t0
    t0 = time.perf_counter()
    entries = [
        IndexedJob(id=job_id, vector=vector, content_hash=rec.content_hash,
                   metadata=job_metadata(job, rec.company, status=rec.status,
                                         posted=_day(rec.imported)))
        for (job_id, (_, job, rec, _)), vector in zip(items, vectors, strict=True)
    ]
    run.index.upsert(entries)
    for entry in entries:
        run.indexed[entry.id] = entry.content_hash
    run.timings.index += time.perf_counter() - t0


def _key(row: JobUpsert) -> tuple[str, str]:
    return row.source, row.external_id


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None


def _duplicate_of(repo: _Repo, row: JobUpsert, old: _Stored | None) -> int | None:
    """The original job this row duplicates on another source, or None.

    The repository returns the original of a chain; a link back to the row itself (the other
    source was imported later and linked to this one) is dropped, so links never form cycles.
    """
    if not row.title or not row.company:
        return None
    found = repo.find_near_duplicate(row.company, row.title, row.location, row.posted,
                                     row.source)
    if found is None or found.id is None:
        return None
    canonical = int(found.duplicate_of if found.duplicate_of is not None else found.id)
    if old is not None and canonical == old.id:
        return None
    return canonical


def expire_jobs(engine: Engine, index: JobIndex, now: datetime | None = None) -> int:
    """Mark jobs older than 30 days EXPIRED and remove them from the index; how many."""
    from store.repo import JobRepo

    ids = JobRepo(engine).expire(now or datetime.now(UTC))
    if ids:
        index.delete([str(i) for i in ids])
    return len(ids)


__all__ = [
    "COLUMN_ALIASES", "ImportRowError", "ImportSummary", "ProgressCallback", "RowError",
    "canonical_url", "column_key", "content_text", "count_rows", "default_workers",
    "detect_encoding", "expire_jobs", "feed_entry_record", "feed_source_name", "file_format",
    "html_to_text", "import_jobs", "is_url", "map_record", "normalize_row", "read_feed",
    "read_rows", "stable_external_id", "to_job_record",
]
