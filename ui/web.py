"""Web chat plumbing: the Chainlit data layer on the project database, and card renderers.

- :class:`JobfitDataLayer` is Chainlit's ``SQLAlchemyDataLayer`` on the project database with
  its tables prefixed ``cl_`` (Chainlit's own ``users`` table would collide with jobfit's).
  Chainlit does not create its tables; :func:`create_chat_tables` does (idempotent).
- ``*_props`` turn tool results (the dicts of agent/registry.py, see the contract) into the
  props of the custom elements in ``public/elements/*.jsx`` through the channel-neutral card
  model (``tools/cards.py``, rendered by ``ui/renderers/chainlit.py``); ``*_markdown`` are text
  fallbacks.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.utils import queue_until_user_message
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url

from tools import cards
from ui.chat_writes import LeanWrites

if TYPE_CHECKING:
    from chainlit.element import Element
    from chainlit.types import Feedback

logger = logging.getLogger(__name__)

CHAT_TABLES = ("users", "threads", "steps", "elements", "feedbacks")
_TABLE_REF = re.compile(
    r"\b(FROM|INTO|UPDATE|JOIN|TABLE)(\s+)(" + "|".join(CHAT_TABLES) + r")\b", re.IGNORECASE)


def prefix_tables(sql: str) -> str:
    """Rewrite Chainlit's table names (``FROM users``) to ours (``FROM cl_users``)."""
    return _TABLE_REF.sub(lambda m: f"{m.group(1)}{m.group(2)}cl_{m.group(3).lower()}", sql)


def async_url(database_url: str) -> str:
    """The async-driver twin of a sync SQLAlchemy URL (aiosqlite / psycopg async)."""
    url = make_url(database_url)
    backend = url.get_backend_name()
    if backend == "sqlite":
        url = url.set(drivername="sqlite+aiosqlite")
    elif backend == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _ddl(dialect: str) -> list[str]:
    pg = dialect == "postgresql"
    uid = "UUID" if pg else "TEXT"
    js = "JSONB" if pg else "TEXT"
    arr = "TEXT[]" if pg else "TEXT"
    return [
        f"""CREATE TABLE IF NOT EXISTS cl_users (
            "id" {uid} PRIMARY KEY, "identifier" TEXT NOT NULL UNIQUE,
            "metadata" {js} NOT NULL, "createdAt" TEXT)""",
        f"""CREATE TABLE IF NOT EXISTS cl_threads (
            "id" {uid} PRIMARY KEY, "createdAt" TEXT, "name" TEXT, "userId" {uid},
            "userIdentifier" TEXT, "tags" {arr}, "metadata" {js},
            FOREIGN KEY ("userId") REFERENCES cl_users("id") ON DELETE CASCADE)""",
        f"""CREATE TABLE IF NOT EXISTS cl_steps (
            "id" {uid} PRIMARY KEY, "name" TEXT NOT NULL, "type" TEXT NOT NULL,
            "threadId" {uid} NOT NULL, "parentId" {uid}, "streaming" BOOLEAN NOT NULL,
            "waitForAnswer" BOOLEAN, "isError" BOOLEAN, "metadata" {js}, "tags" {arr},
            "input" TEXT, "output" TEXT, "createdAt" TEXT, "command" TEXT, "start" TEXT,
            "end" TEXT, "generation" {js}, "showInput" TEXT, "language" TEXT, "indent" INT,
            "defaultOpen" BOOLEAN, "autoCollapse" BOOLEAN,
            FOREIGN KEY ("threadId") REFERENCES cl_threads("id") ON DELETE CASCADE)""",
        f"""CREATE TABLE IF NOT EXISTS cl_elements (
            "id" {uid} PRIMARY KEY, "threadId" {uid}, "type" TEXT, "url" TEXT,
            "chainlitKey" TEXT, "name" TEXT NOT NULL, "display" TEXT, "objectKey" TEXT,
            "size" TEXT, "page" INT, "language" TEXT, "forId" {uid}, "mime" TEXT,
            "props" {js}, "autoPlay" BOOLEAN, "playerConfig" {js},
            FOREIGN KEY ("threadId") REFERENCES cl_threads("id") ON DELETE CASCADE)""",
        f"""CREATE TABLE IF NOT EXISTS cl_feedbacks (
            "id" {uid} PRIMARY KEY, "forId" {uid} NOT NULL, "threadId" {uid} NOT NULL,
            "value" INT NOT NULL, "comment" TEXT,
            FOREIGN KEY ("threadId") REFERENCES cl_threads("id") ON DELETE CASCADE)""",
        'CREATE INDEX IF NOT EXISTS ix_cl_threads_user ON cl_threads ("userId")',
        'CREATE INDEX IF NOT EXISTS ix_cl_steps_thread ON cl_steps ("threadId")',
        'CREATE INDEX IF NOT EXISTS ix_cl_elements_thread ON cl_elements ("threadId")',
    ]


def _secure_delete(dbapi_connection: Any, _record: Any) -> None:
    """Per connection: zero deleted rows; WAL commits without an fsync each (``synchronous=
    NORMAL``: durable at checkpoints, never corrupt) and wait for a busy writer, as the
    project engine does (store/db.py). The chat history writes a row per message and step, so
    a full fsync per commit made the write lock the bottleneck under load."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()


def _engine(database_url: str) -> Engine:
    """An engine on the project database; on SQLite, deleted rows are overwritten with zeros
    (``secure_delete``), so no chat text stays in free pages after "forget me"."""
    engine = create_engine(database_url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _secure_delete)
    return engine


def create_chat_tables(database_url: str) -> None:
    """Create Chainlit's chat history tables (``cl_*``) in the project database if missing."""
    engine = _engine(database_url)
    try:
        with engine.begin() as conn:
            for stmt in _ddl(conn.dialect.name):
                conn.execute(text(stmt))
    finally:
        engine.dispose()


def delete_chat_history(database_url: str, user_identifier: str) -> int:
    """Delete one Chainlit user's threads (steps, elements, feedback cascade); returns count.

    Then no deleted bytes are left behind: the SQLite write-ahead log is emptied
    (``store.db.scrub_deleted``; PostgreSQL: the ``cl_*`` tables are vacuumed).
    """
    from store.db import scrub_deleted

    engine = _engine(database_url)
    try:
        with engine.begin() as conn:
            ids = [r[0] for r in conn.execute(text(
                'SELECT t."id" FROM cl_threads t JOIN cl_users u ON t."userId" = u."id" '
                'WHERE u."identifier" = :ident'), {"ident": user_identifier})]
            for tid in ids:
                for table in ("cl_feedbacks", "cl_elements", "cl_steps"):
                    conn.execute(text(f'DELETE FROM {table} WHERE "threadId" = :id'), {"id": tid})
                conn.execute(text('DELETE FROM cl_threads WHERE "id" = :id'), {"id": tid})
        scrub_deleted(engine, tuple(f"cl_{t}" for t in CHAT_TABLES))
        return len(ids)
    finally:
        engine.dispose()


class JobfitDataLayer(LeanWrites, SQLAlchemyDataLayer):
    """Chainlit's SQL data layer on the project database, tables ``cl_*``.

    Elements without file content (the score cards and job lists: custom elements, whose data
    is their props) are persisted too, so a resumed chat shows them again; files (tailored CV
    downloads) live only for the session.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":  # see _engine: deleted chat text is zeroed
            event.listen(self.engine.sync_engine, "connect", _secure_delete)

    async def execute_sql(self, query: str, parameters: dict) -> Any:
        if self.engine.dialect.name != "postgresql":  # no arrays: lists (tags) stored as JSON
            parameters = {k: json.dumps(v) if isinstance(v, list) else v
                          for k, v in parameters.items()}
        return await super().execute_sql(prefix_tables(query), parameters)

    async def get_all_user_threads(self, user_id: str | None = None,
                                   thread_id: str | None = None) -> Any:
        """Chainlit's query, with JSON text columns (SQLite) decoded: a resumed chat gets its
        cards' props and the steps' metadata back as objects."""
        threads = await super().get_all_user_threads(user_id=user_id, thread_id=thread_id)
        for thread in threads or []:
            thread["metadata"] = _json_value(thread.get("metadata"), {})
            thread["tags"] = _json_value(thread.get("tags"), None)
            for step in thread.get("steps") or []:
                step["metadata"] = _json_value(step.get("metadata"), {})
                step["generation"] = _json_value(step.get("generation"), None)
            for element in thread.get("elements") or []:
                element["props"] = _json_value(element.get("props"), {})
        return threads

    async def update_thread(self, thread_id: str, name: str | None = None,
                            user_id: str | None = None, metadata: dict | None = None,
                            tags: list[str] | None = None) -> None:
        """Chainlit names a chat after its first message: a pasted CV would put its text (and
        e-mail) in the sidebar. The name is the question, the job's first line, or "Your CV"."""
        await super().update_thread(thread_id, name=thread_title(name), user_id=user_id,
                                    metadata=metadata, tags=tags)

    # -- feedback: only on one's own messages (Chainlit's layer writes any id it is given) --
    async def step_owner(self, step_id: str) -> tuple[str, str] | None:
        """(thread id, owner's identifier) of a message, or None when there is no such one."""
        rows = await self.execute_sql(
            'SELECT s."threadId" AS thread, t."userIdentifier" AS owner FROM steps s '
            'JOIN threads t ON s."threadId" = t."id" WHERE s."id" = :id', {"id": step_id})
        if not isinstance(rows, list) or not rows:
            return None
        return str(rows[0]["thread"]), str(rows[0]["owner"])

    async def feedback_owner(self, feedback_id: str) -> tuple[str, str] | None:
        """(message id, owner's identifier) of a feedback row, or None."""
        rows = await self.execute_sql(
            'SELECT f."forId" AS step, t."userIdentifier" AS owner FROM feedbacks f '
            'JOIN threads t ON f."threadId" = t."id" WHERE f."id" = :id', {"id": feedback_id})
        if not isinstance(rows, list) or not rows:
            return None
        return str(rows[0]["step"]), str(rows[0]["owner"])

    async def upsert_feedback(self, feedback: Feedback) -> str:
        """Save feedback on a message of the current user's own chat (the thread is taken from
        the message, not from the request); FeedbackNotFound otherwise, nothing written."""
        from dataclasses import replace

        from ui.security import current_identity

        owner = current_identity()
        step = await self.step_owner(feedback.forId) if owner else None
        if step is None or step[1] != owner:
            raise FeedbackNotFound(feedback.forId)
        if feedback.id:
            existing = await self.feedback_owner(feedback.id)
            if existing is not None and existing != (feedback.forId, owner):
                raise FeedbackNotFound(feedback.id)
        return str(await super().upsert_feedback(replace(feedback, threadId=step[0])))

    async def delete_feedback(self, feedback_id: str) -> bool:
        """Delete feedback the current user gave; FeedbackNotFound for anyone else's."""
        from ui.security import current_identity

        owner = current_identity()
        existing = await self.feedback_owner(feedback_id) if owner else None
        if existing is None or existing[1] != owner:
            raise FeedbackNotFound(feedback_id)
        return bool(await super().delete_feedback(feedback_id))

    @queue_until_user_message()
    async def create_element(self, element: Element) -> None:
        if self.storage_provider is not None or getattr(element, "type", "") != "custom":
            if self.storage_provider is not None:
                await super().create_element(element)
            return
        if not element.for_id:
            return
        data = {k: v for k, v in element.to_dict().items() if v is not None}
        data.pop("path", None)
        if "props" in data:
            data["props"] = json.dumps(data["props"])
        for key in ("playerConfig",):
            if key in data:
                data[key] = json.dumps(data[key])
        columns = ", ".join(f'"{c}"' for c in data)
        values = ", ".join(f":{c}" for c in data)
        updates = ", ".join(f'"{c}" = :{c}' for c in data if c != "id")
        await self.execute_sql(
            f"INSERT INTO elements ({columns}) VALUES ({values}) "
            f"ON CONFLICT (id) DO UPDATE SET {updates}", data)


class FeedbackNotFound(LookupError):
    """The message (or feedback) does not exist or belongs to another user's chat."""


def _json_value(value: Any, default: Any) -> Any:
    """A JSON text column as its value (already-decoded values pass through)."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            return default
    return default if value is None else value


# --------------------------------------------------------------------------- cards

FACTORS = cards.FACTORS  # the five sub-scores and their labels (tools/cards.py)


def band(score: float | None) -> str:
    """Colour band of a score: green ≥80, blue ≥60, amber ≥40, red below, grey unknown."""
    return cards.band(score)


def score_card_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of ScoreCard.jsx from an "analysis" tool result (via the card model)."""
    from tools.cards import ScoreCard, card_from_result
    from ui.renderers.chainlit import score_props

    card = card_from_result({**result, "kind": "analysis"})
    assert isinstance(card, ScoreCard)
    return score_props(card)


def job_list_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of JobList.jsx from a "job_list" tool result (via the card model)."""
    from tools.cards import JobList, card_from_result
    from ui.renderers.chainlit import job_list_props as props

    card = card_from_result({**result, "kind": "job_list"})
    assert isinstance(card, JobList)
    return props(card)


def tailor_options_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of TailorOptions.jsx from a "tailoring_options" tool result (via the card
    model)."""
    from tools.cards import TailoringChecklist, card_from_result
    from ui.renderers.chainlit import checklist_props

    card = card_from_result({**result, "kind": "tailoring_options"})
    assert isinstance(card, TailoringChecklist)
    return checklist_props(card)


def gaps_props(result: Mapping[str, Any]) -> dict[str, Any]:
    """Props of GapList.jsx from a "gaps" tool result (via the card model)."""
    from tools.cards import GapList, card_from_result
    from ui.renderers.chainlit import gaps_props as props

    card = card_from_result({**result, "kind": "gaps"})
    assert isinstance(card, GapList)
    return props(card)


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value not in (None, "") else "—"


def comparison_markdown(result: Mapping[str, Any]) -> str:
    """A Markdown table of a "comparison" tool result."""
    rows = result.get("rows") or []
    head = "| # | Job | CV | Score | Skills | Exp. | Loc. | Salary | Fit | Missing |\n"
    head += "|---|---|---|---|---|---|---|---|---|---|\n"
    lines = []
    for i, row in enumerate(rows, 1):
        job = row.get("job") or {}
        bd = row.get("breakdown") or {}
        name = f"{job.get('title') or 'Job'} — {job.get('company') or ''}".strip(" —")
        lines.append("| " + " | ".join(_cell(v) for v in (
            i, name, row.get("cv_id"), f"{row.get('score')} ({row.get('grade')})",
            *(bd.get(k) if bd.get(k) is not None else "unknown" for k, _ in FACTORS),
            ", ".join((row.get("missing_required") or [])[:4]))) + " |")
    return head + "\n".join(lines)


def cv_summary_markdown(cv: Mapping[str, Any]) -> str:
    """What jobfit understood from a CV (no contact details)."""
    lines = [f"**CV saved** — {cv.get('file_name') or 'pasted text'} (version {cv.get('version')})"]
    who = ", ".join(str(x) for x in (cv.get("name"), cv.get("headline")) if x)
    if who:
        lines.append(f"- **Who:** {who}")
    if cv.get("total_years") is not None:
        seniority = f" ({cv['seniority']})" if cv.get("seniority") else ""
        lines.append(f"- **Experience:** {cv['total_years']:.1f} years{seniority}")
    if cv.get("location"):
        lines.append(f"- **Location:** {cv['location']}")
    skills = list(cv.get("top_skills") or [])
    if skills:
        more = int(cv.get("skills_count") or len(skills)) - len(skills)
        lines.append(f"- **Skills:** {', '.join(skills)}" + (f" and {more} more" if more > 0
                                                            else ""))
    for role in list(cv.get("recent_roles") or [])[:3]:
        lines.append(f"- {role}")
    for warning in cv.get("warnings") or []:
        lines.append(f"- ⚠️ {warning}")
    return "\n".join(lines)


def tailored_markdown(result: Mapping[str, Any]) -> str:
    """The header of a tailored CV message: before → after and what changed."""
    job = result.get("job") or {}
    before, after = result.get("before"), result.get("after")
    delta = (after - before) if isinstance(before, int) and isinstance(after, int) else None
    sign = f" ({delta:+d})" if delta is not None else ""
    lines = [f"### Tailored CV for {job.get('title') or 'the job'}"
             + (f" at {job['company']}" if job.get("company") else ""),
             f"**Score {before} → {after}**{sign}. Download it below as DOCX or Markdown."]
    measured = [str(x) for x in result.get("measured") or []]
    if measured:
        lines.append("\n".join(f"- {m}" for m in measured))
    reverted = result.get("reverted") or []
    if reverted:
        lines.append("Kept as it was (a change would not have been truthful or helpful):")
        lines.extend(f"- {r.get('reason', '')}" for r in reverted[:5])
    return "\n\n".join(lines)


def short_summary(result: Mapping[str, Any]) -> str:
    """One line for a tool step's output (never CV text)."""
    kind = result.get("kind")
    if kind == "job_list":
        return f"{len(result.get('jobs') or [])} jobs"
    if kind in ("analysis", "gaps"):
        job = result.get("job") or {}
        return f"{job.get('title') or 'job'}: {result.get('score')}/100"
    if kind == "tailoring_options":
        return f"{len(result.get('options') or [])} options"
    if kind == "tailored_cv":
        return f"score {result.get('before')} → {result.get('after')}"
    if kind == "error":
        return f"error: {result.get('message', '')}"
    if kind == "cv_saved":
        return "CV saved"
    return str(kind or "done")


def jsonable(items: Iterable[Any]) -> list[Any]:
    """Pydantic models (or plain values) as JSON-ready objects."""
    return [i.model_dump(mode="json") if hasattr(i, "model_dump") else i for i in items]


# --------------------------------------------------------------------------- chat text

#: Paragraphs of an answer that point to what to do next (kept below a card).
_HINT = re.compile(r"^\s*(?:Next\b|Reply\b|Ask\b|Tip\b|Try\b)", re.IGNORECASE)


def beyond_card(answer: str) -> str:
    """What an offline answer adds to the card shown above it: its "Next: …" / "Reply …"
    hints; the rest (the card's content as plain text, a CV summary again) is dropped."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", answer) if p.strip()]
    return "\n\n".join(p for p in paragraphs if _HINT.match(p))


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
#: A first message this long, or on this many lines, is pasted text (a CV or a posting).
_PASTED_CHARS, _PASTED_LINES = 300, 4
TITLE_CHARS = 80


def thread_title(text: str | None) -> str | None:
    """A chat's title from its first message: the question itself; for pasted text, the job's
    first line ("Job: …") or "Your CV" — never CV text, e-mails or phone numbers."""
    if text is None or not text.strip():
        return None  # a file-only first message: never overwrite a name with nothing
    text = text.strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(text) > _PASTED_CHARS or len(lines) >= _PASTED_LINES:
        if _EMAIL.search(text) or _PHONE.search(text):
            return "Your CV"  # contact details: a CV, whose lines are personal
        head = re.sub(r"\s+", " ", lines[0])[:TITLE_CHARS - 5]
        return f"Job: {head}"
    clean = _PHONE.sub("…", _EMAIL.sub("…", " ".join(text.split())))
    return clean if len(clean) <= TITLE_CHARS else clean[:TITLE_CHARS - 1].rstrip() + "…"
