"""The layering rule, checked mechanically: `ui` talks to the core only through `services`.

`ui` never imports peewee or aiohttp, nor the library, server or Hardcover packages directly;
`services` (the plain-data facade) never imports Qt.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "bookorbit_desktop"
UI_FORBIDDEN = (
    "peewee",
    "playhouse",
    "aiohttp",
    "bookorbit_desktop.library",
    "bookorbit_desktop.server",
    "bookorbit_desktop.hardcover",
)
SERVICES_FORBIDDEN = ("PySide6", "qasync", "bookorbit_desktop.ui")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def offending(folder: str, forbidden: tuple[str, ...]) -> dict[str, list[str]]:
    found = {}
    for path in sorted((PACKAGE / folder).glob("*.py")):
        bad = sorted(
            name
            for name in imported_modules(path)
            if any(name == f or name.startswith(f + ".") for f in forbidden)
        )
        if bad:
            found[path.name] = bad
    return found


@pytest.mark.parametrize(
    ("folder", "forbidden"), [("ui", UI_FORBIDDEN), ("services", SERVICES_FORBIDDEN)]
)
def test_layering(folder, forbidden):
    assert list((PACKAGE / folder).glob("*.py")), f"no modules found in {folder}"
    assert offending(folder, forbidden) == {}


def test_the_checker_sees_imports(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import peewee\nfrom aiohttp import web\nfrom a.b import c\n")
    assert imported_modules(sample) == {"peewee", "aiohttp", "a.b"}
