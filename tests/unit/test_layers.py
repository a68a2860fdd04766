"""The layering contract: ui -> agent -> tools <- store, checked on every module.

- ``tools/`` (the domain) imports none of ``agent``, ``store``, ``ui`` and no framework or I/O
  client library: it is typed models and pure functions.
- ``store/`` (persistence adapters) implements the domain's ports: it may import ``tools`` but
  never ``agent`` or ``ui``.
- ``agent/`` (the conversation) never imports ``ui``.
- ``ui/`` (the channels) reaches ``store`` only through the service in ``agent``, save an
  explicit allow-list (``UI_STORE_ALLOWED``).
Imports inside ``if TYPE_CHECKING:`` blocks count too: they are still a dependency of the design.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FRAMEWORKS = {
    "langchain", "langchain_core", "langchain_openai", "langgraph", "chainlit", "sqlmodel",
    "sqlalchemy", "chromadb", "psycopg", "psycopg_pool", "openai", "httpx", "fastapi",
    "starlette", "apscheduler", "slack_bolt", "slack_sdk", "microsoft_agents", "botbuilder",
    "aiosmtpd", "typer", "rich",
}
FORBIDDEN: dict[str, set[str]] = {
    "tools": {"agent", "store", "ui"} | FRAMEWORKS,
    "store": {"agent", "ui"},
    "agent": {"ui"},
}


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


def violations(package: str) -> list[str]:
    banned = FORBIDDEN[package]
    out = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for line, module in _imports(path):
            if module.split(".")[0] in banned:
                out.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return out


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_imports_point_one_way(package: str) -> None:
    files = list((ROOT / package).rglob("*.py"))
    assert len(files) > 3, f"found almost no modules under {package}/: the walk is broken"
    assert violations(package) == []


def test_the_walk_sees_nested_and_type_checking_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\n"
                      "if TYPE_CHECKING:\n    from store.repo import Repo\n"
                      "def f():\n    import chainlit.server\n")
    assert [m for _, m in _imports(module)] == ["typing", "store.repo", "chainlit.server"]


# --------------------------------------------------------------------------- agent writes no SQL
#: The service talks to repositories (store/), never to tables: what agent/ may import from the
#: database libraries and store.tables. ``Engine`` is the handle bootstrap builds and passes to
#: the repositories; bootstrap also parses database URLs. The clock helpers stamp times the
#: same way the tables do; record classes name what repositories return (type hints only).
SQL_MODULES = ("sqlalchemy", "sqlmodel")
SQL_ALLOWED: dict[str, set[str]] = {
    "sqlalchemy": {"Engine"},
    "sqlalchemy.engine": {"make_url"},  # agent/bootstrap.py only
}
SQL_ALLOWED_FILES = {"sqlalchemy.engine": {"agent/bootstrap.py"}}
TABLES_RUNTIME = {"utcnow", "to_utc"}
QUERY_CALLS = {"connect", "begin", "execute", "exec", "scalar", "scalars"}


def _type_checking_imports(tree: ast.AST) -> set[int]:
    """ids of the import nodes inside ``if TYPE_CHECKING:`` blocks."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for stmt in node.body:
                inside |= {id(n) for n in ast.walk(stmt)
                           if isinstance(n, (ast.Import, ast.ImportFrom))}
    return inside


def sql_violations(path: Path, name: str) -> list[str]:
    """Where a module of agent/ reaches the database itself instead of through store/."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    typing_only = _type_checking_imports(tree)
    out = []
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            out += [f"{where} imports {a.name}" for a in node.names
                    if a.name.split(".")[0] in SQL_MODULES or a.name == "store.tables"]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = {a.name for a in node.names}
            if node.module.split(".")[0] in SQL_MODULES:
                allowed = SQL_ALLOWED.get(node.module, set())
                files = SQL_ALLOWED_FILES.get(node.module)
                if not names <= allowed or (files is not None and name not in files):
                    out.append(f"{where} imports {sorted(names)} from {node.module}")
            elif node.module == "store.tables":
                records = {n for n in names if n.endswith("Record")}
                bad = names - TABLES_RUNTIME - (records if id(node) in typing_only else set())
                if bad:
                    out.append(f"{where} imports {sorted(bad)} from store.tables")
            elif node.module == "store.db" and "session_scope" in names:
                out.append(f"{where} imports session_scope")
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr in QUERY_CALLS
              and "engine" in ast.unparse(node.func.value).split(".")[-1]):
            out.append(f"{where} calls {ast.unparse(node.func)}()")
    return out


def test_agent_builds_no_sql() -> None:
    files = sorted((ROOT / "agent").rglob("*.py"))
    assert len(files) > 10
    found = [v for path in files
             for v in sql_violations(path, path.relative_to(ROOT).as_posix())]
    assert found == [], "agent/ must go through the repositories in store/:\n" + "\n".join(found)


def test_the_sql_check_catches_queries_in_agent(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "from sqlalchemy import Engine, select\n"
        "from sqlmodel import Session\n"
        "from store.tables import JobRecord, utcnow\n"
        "from store.db import session_scope\n"
        "if TYPE_CHECKING:\n    from store.tables import CVRecord\n"
        "def f(self):\n"
        "    with self.engine.connect() as conn:\n        return conn.execute(select(1))\n")
    found = sql_violations(module, "agent/m.py")
    assert found == [
        "agent/m.py:2 imports ['Engine', 'select'] from sqlalchemy",
        "agent/m.py:3 imports ['Session'] from sqlmodel",
        "agent/m.py:4 imports ['JobRecord'] from store.tables",
        "agent/m.py:5 imports session_scope",
        "agent/m.py:9 calls self.engine.connect()",
    ]
    module.write_text("from sqlalchemy.engine import make_url\n")
    assert sql_violations(module, "agent/bootstrap.py") == []
    assert sql_violations(module, "agent/m.py") == [
        "agent/m.py:1 imports ['make_url'] from sqlalchemy.engine"]


# --------------------------------------------------------------------------- ui goes through agent
#: Channels (web, CLI, Slack, Teams, the scheduler) reach data only through the service in
#: agent/ (issue #12 "one way in"): a module of ui/ imports store/ only when listed here, with
#: the reason. Imports inside ``if TYPE_CHECKING:`` blocks count too.
UI_STORE_ALLOWED: dict[str, str] = {
    # Chainlit's data layer adapter is itself persistence (the web chat's own history tables);
    # it scrubs deleted rows from the database files with the store's helper.
    "ui/chat_history.py": "store.db",
}


def ui_store_violations(path: Path, name: str) -> list[str]:
    """Where a module of ui/ imports store/ outside :data:`UI_STORE_ALLOWED`."""
    allowed = UI_STORE_ALLOWED.get(name)
    return [f"{name}:{line} imports {module}" for line, module in _imports(path)
            if module.split(".")[0] == "store" and module != allowed]


def test_ui_reaches_the_store_only_through_the_service() -> None:
    files = sorted((ROOT / "ui").rglob("*.py"))
    assert len(files) > 10, "found almost no modules under ui/: the walk is broken"
    found = [v for path in files
             for v in ui_store_violations(path, path.relative_to(ROOT).as_posix())]
    assert found == [], ("ui/ must go through the service (agent/), not store/:\n"
                         + "\n".join(found))
    for name in UI_STORE_ALLOWED:  # no stale entry: each allowed module exists and uses it
        module = UI_STORE_ALLOWED[name]
        assert any(m == module for _, m in _imports(ROOT / name)), f"{name}: stale allow-list"


def test_the_ui_check_catches_store_imports(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from typing import TYPE_CHECKING\n"
                      "import store.samples\n"
                      "if TYPE_CHECKING:\n    from store.tables import FeedRecord\n"
                      "def f():\n    from store.digests import FeedRepo\n"
                      "    from agent.feeds import FeedBook\n"
                      "    from store.db import scrub_deleted\n")
    assert ui_store_violations(module, "ui/m.py") == [
        "ui/m.py:2 imports store.samples",
        "ui/m.py:4 imports store.tables",
        "ui/m.py:6 imports store.digests",
        "ui/m.py:8 imports store.db",
    ]
    # the allow-list names one module and one store module only
    assert ui_store_violations(module, "ui/chat_history.py") == [
        "ui/chat_history.py:2 imports store.samples",
        "ui/chat_history.py:4 imports store.tables",
        "ui/chat_history.py:6 imports store.digests",
    ]
