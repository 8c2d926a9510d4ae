"""The dependency rule of architecture.md, checked mechanically on the source tree.

- `library`, `hardcover.matching*` and `hardcover.reconcile*` import no Qt and no aiohttp,
  neither themselves nor through any package module they import (the whole import closure,
  function-level imports included; `if TYPE_CHECKING:` blocks excluded).
- `ui` never imports peewee or aiohttp directly; it goes through services.
- `library` never imports the layers above it (ui, app, cli).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "bookorbit_desktop"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE
QT_AND_NETWORK = ("PySide6", "shiboken6", "PyQt5", "PyQt6", "qasync", "aiohttp")


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def imports_of(path: Path, module: str) -> set[str]:
    """Every module `path` imports at run time, as absolute dotted names."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child):
                for other in child.orelse:
                    visit(other)
                continue
            if isinstance(child, ast.Import):
                found.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                if child.level:
                    base = package.split(".")
                    base = base[: len(base) - (child.level - 1)]
                    prefix = ".".join(base + ([child.module] if child.module else []))
                else:
                    prefix = child.module or ""
                found.add(prefix)
                found.update(f"{prefix}.{alias.name}" for alias in child.names)
            visit(child)

    visit(tree)
    return found


def build_graph(root: Path) -> dict[str, set[str]]:
    graph = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(root, path)
        graph[name] = imports_of(path, name)
    return graph


def closure(graph: dict[str, set[str]], start: str) -> tuple[set[str], set[str]]:
    """(package modules reached from `start`, external modules they import)."""
    seen: set[str] = set()
    external: set[str] = set()
    todo = [start]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        # Importing a.b.c runs a/__init__ and a/b/__init__ first.
        parts = current.split(".")
        todo.extend(".".join(parts[:end]) for end in range(1, len(parts)))
        for imported in graph.get(current, ()):
            if imported in graph:
                todo.append(imported)
            elif imported.split(".")[0] != PACKAGE:
                external.add(imported)
    return seen, external


def forbidden(modules: set[str], banned: tuple[str, ...]) -> set[str]:
    return {m for m in modules if m.split(".")[0] in banned}


GRAPH = build_graph(ROOT)
PURE = sorted(
    name
    for name in GRAPH
    if name.startswith(f"{PACKAGE}.library")
    or name.startswith((f"{PACKAGE}.hardcover.matching", f"{PACKAGE}.hardcover.reconcile"))
)
UI = sorted(name for name in GRAPH if name.startswith(f"{PACKAGE}.ui"))


def test_the_checked_layers_exist():
    assert f"{PACKAGE}.library.importer" in PURE
    assert f"{PACKAGE}.library.models" in PURE


@pytest.mark.parametrize("module", PURE)
def test_core_imports_no_qt_and_no_aiohttp(module):
    reached, external = closure(GRAPH, module)
    assert not forbidden(external, QT_AND_NETWORK), (
        f"{module} reaches {sorted(forbidden(external, QT_AND_NETWORK))}"
    )
    above = {
        m for m in reached if m.startswith((f"{PACKAGE}.ui", f"{PACKAGE}.app", f"{PACKAGE}.cli"))
    }
    assert not above, f"{module} reaches the layers above it: {sorted(above)}"


@pytest.mark.parametrize("module", UI or ["(no ui modules yet)"])
def test_ui_does_not_touch_the_database_or_the_network(module):
    if module not in GRAPH:
        pytest.skip("no ui modules yet")
    direct = {m for m in GRAPH[module] if m not in GRAPH}
    assert not forbidden(direct, ("peewee", "aiohttp")), f"{module} imports {sorted(direct)}"


def test_the_checker_catches_violations(tmp_path):
    """The rule is only worth something if the checker sees a violation when there is one."""
    package = tmp_path / PACKAGE
    (package / "library").mkdir(parents=True)
    (package / "ui").mkdir()
    (package / "__init__.py").write_text("")
    (package / "library" / "__init__.py").write_text("")
    (package / "library" / "clean.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import PySide6\nimport json\n"
    )
    (package / "library" / "sneaky.py").write_text("from . import helper\n")
    (package / "library" / "helper.py").write_text("def f():\n    import aiohttp\n")
    (package / "ui" / "__init__.py").write_text("")
    (package / "ui" / "view.py").write_text("from peewee import fn\nfrom ..library import clean\n")
    graph = build_graph(package)
    _, clean_external = closure(graph, f"{PACKAGE}.library.clean")
    assert not forbidden(clean_external, QT_AND_NETWORK)
    _, sneaky_external = closure(graph, f"{PACKAGE}.library.sneaky")
    assert forbidden(sneaky_external, QT_AND_NETWORK) == {"aiohttp"}
    view = graph[f"{PACKAGE}.ui.view"]
    assert f"{PACKAGE}.library.clean" in view
    assert forbidden({m for m in view if m not in graph}, ("peewee",)) == {"peewee", "peewee.fn"}
