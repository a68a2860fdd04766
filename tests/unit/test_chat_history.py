"""Where the web chat history lives (ui/chat_history.py): beside the project database, under
Chainlit's own table names, so Chainlit's SQL needs no rewriting."""

from __future__ import annotations

from sqlalchemy.engine import make_url

from ui import chat_history


def test_sqlite_history_is_a_file_beside_the_project_database() -> None:
    assert chat_history.chat_url("sqlite:////srv/jobfit/jobfit.db") == (
        "sqlite:////srv/jobfit/jobfit-chat.db")
    assert chat_history.chat_url("sqlite:////srv/x/store") == "sqlite:////srv/x/store-chat.db"
    assert chat_history.chat_schema("sqlite:////srv/jobfit/jobfit.db") is None


def test_postgresql_history_is_a_schema_of_the_project_database() -> None:
    url = make_url(chat_history.chat_url("postgresql+psycopg://u:p@db:5432/jobfit"))
    assert (url.host, url.database, url.password) == ("db", "jobfit", "p")
    assert url.query["options"] == "-csearch_path=jobfit_chat"
    # a project URL with its own schema: the history goes next to it, other options kept
    own = "postgresql+psycopg://u@db/jobfit?options=-cstatement_timeout%3D5000+-csearch_path%3Dacme"
    assert chat_history.chat_schema(own) == "acme_chat"
    options = str(make_url(chat_history.chat_url(own)).query["options"])
    assert options.split() == ["-cstatement_timeout=5000", "-csearch_path=acme_chat"]


def test_async_url() -> None:
    assert chat_history.async_url("sqlite:////tmp/x/jobfit.db") == (
        "sqlite+aiosqlite:////tmp/x/jobfit.db")
    assert chat_history.async_url("postgresql+psycopg://u:p@h/db").startswith(
        "postgresql+psycopg://u:p@")


def test_tables_have_chainlits_own_names() -> None:
    ddl = " ".join(chat_history._ddl("sqlite"))
    for table in chat_history.CHAT_TABLES:
        assert f"CREATE TABLE IF NOT EXISTS {table} (" in ddl
    assert "cl_" not in ddl
