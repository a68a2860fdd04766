"""Every third-party package the code imports directly is declared in pyproject.toml.

A package that is only installed as someone else's dependency can disappear with that package's
next release; declaring it keeps a fresh install working. The application packages may use only
the runtime dependencies; the tests may also use the ``dev`` extra.
"""
from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"agent", "tools", "ui", "store", "tests"}
APP_PACKAGES = ("agent", "tools", "ui", "store")
# Developer tools inside the packages (data builders), run only from a checkout with the dev
# extra installed: they may use the dev dependencies.
DEV_TOOLS = {"store/samples/generate.py",
             *(str(p.relative_to(ROOT)) for p in (ROOT / "tools" / "data").glob("build_*.py")),
             *(str(p.relative_to(ROOT)) for p in (ROOT / "store" / "data").glob("*.py"))}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(spec: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    assert match, spec
    return _normalise(match.group(1))


def _declared() -> tuple[set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = {_requirement_name(s) for s in project["dependencies"]}
    dev = {_requirement_name(s) for s in project["optional-dependencies"]["dev"]}
    return runtime, dev


def _imported_modules(paths: list[Path]) -> dict[str, str]:
    """Top-level module name -> first file importing it (absolute imports only)."""
    found: dict[str, str] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def _third_party(modules: dict[str, str]) -> dict[str, str]:
    return {m: f for m, f in modules.items()
            if m not in FIRST_PARTY and m not in sys.stdlib_module_names and m != "__future__"}


def _undeclared(modules: dict[str, str], allowed: set[str]) -> list[str]:
    dists = packages_distributions()
    problems = []
    for module, where in sorted(modules.items()):
        owners = {_normalise(d) for d in dists.get(module, [])}
        if not owners:
            problems.append(f"{module} (imported in {where}) is not installed")
        elif not owners & allowed:
            problems.append(f"{module} (imported in {where}) comes from {sorted(owners)}, "
                            "which pyproject.toml does not declare")
    return problems


def _files(*packages: str) -> list[Path]:
    return [p for pkg in packages for p in sorted((ROOT / pkg).rglob("*.py"))]


def test_application_imports_are_runtime_dependencies() -> None:
    runtime, dev = _declared()
    files = _files(*APP_PACKAGES)
    app = [p for p in files if str(p.relative_to(ROOT)) not in DEV_TOOLS]
    modules = _third_party(_imported_modules(app))
    assert modules, "found no third-party imports at all: the scan is broken"
    assert _undeclared(modules, runtime) == []
    tools = _third_party(_imported_modules([ROOT / t for t in sorted(DEV_TOOLS)]))
    assert _undeclared(tools, runtime | dev) == []


def test_test_imports_are_declared() -> None:
    runtime, dev = _declared()
    modules = _third_party(_imported_modules(_files("tests")))
    assert _undeclared(modules, runtime | dev) == []


def test_the_check_catches_an_undeclared_import(tmp_path: Path) -> None:
    # numpy is installed and declared; pretend it is not declared: the check must report it.
    modules = {"numpy": "tools/x.py"}
    assert _undeclared(modules, set()) != []
    runtime, _ = _declared()
    assert _undeclared(modules, runtime) == []


@pytest.mark.parametrize("spec,name", [("psycopg[binary]>=3.2", "psycopg"),
                                       ("langgraph-checkpoint-sqlite>=3.0",
                                        "langgraph-checkpoint-sqlite"),
                                       ("Jinja2>=3", "jinja2")])
def test_requirement_names(spec: str, name: str) -> None:
    assert _requirement_name(spec) == name
