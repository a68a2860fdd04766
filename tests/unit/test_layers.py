"""The layering contract: ui -> agent -> tools <- store, checked on every module.

- ``tools/`` (the domain) imports none of ``agent``, ``store``, ``ui`` and no framework or I/O
  client library: it is typed models and pure functions.
- ``store/`` (persistence adapters) implements the domain's ports: it may import ``tools`` but
  never ``agent`` or ``ui``.
- ``agent/`` (the conversation) never imports ``ui``.
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
