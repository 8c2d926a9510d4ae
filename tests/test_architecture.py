"""The layout rules of the Architecture section in docs/internals.md, checked on the tree.

Imports are followed through the whole closure (function-level imports included, `if
TYPE_CHECKING:` blocks excluded):
- `library` imports no Qt and no aiohttp, and neither `server` nor `hardcover`;
- `server` never imports `hardcover` (a KOReader request only signals a change);
- the pure rules (reading rules and values, matching's scoring and revisit rule, the sync
  reconciler, the desired-state builder, combining copies, splitting history into reads, and
  what Sync Now would do) import no Qt, no aiohttp and no peewee;
- `ui` never imports peewee or aiohttp directly, nor `hardcover` (not even for type hints);
  it goes through services;
- `hardcover.api`, the client, never imports `hardcover.matching` (nor `sync`);
- `guards`, the LAN guards every channel takes, reaches no channel, library or Qt;
- nothing but the entry points (`app`, `__main__`, `cli`) imports `ui` or `cli`.
Every package says in its `__init__` docstring what lives there; no module grows past ~400
lines; a file-name prefix repeated three times in one folder is a package waiting to be born.
"""

from __future__ import annotations

import ast
import functools
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


def imports_of(path: Path, module: str, *, type_checking: bool = False) -> set[str]:
    """Every module `path` imports at run time, as absolute dotted names (with
    `type_checking`, those of its `if TYPE_CHECKING:` blocks too)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _is_type_checking(child) and not type_checking:
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


def build_graph(root: Path, *, type_checking: bool = False) -> dict[str, set[str]]:
    graph = {}
    for path in sorted(root.rglob("*.py")):
        name = module_name(root, path)
        graph[name] = imports_of(path, name, type_checking=type_checking)
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


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another round a circle (the strongly connected
    components of more than one module), each sorted. A package's `__init__` that imports its
    own modules (`from . import x`) names itself: that is no circle."""
    edges = {m: {i for i in imported if i in graph and i != m} for m, imported in graph.items()}
    reached: dict[str, set[str]] = {}
    for start, first in edges.items():
        seen: set[str] = set()
        todo = list(first)
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(edges[current])
        reached[start] = seen
    circles = {
        frozenset({m, *(n for n in reached[m] if m in reached[n])})
        for m in edges
        if m in reached[m]
    }
    return sorted(sorted(circle) for circle in circles)


@functools.cache
def _modules_of(root: Path) -> frozenset[str]:
    return frozenset(module_name(root, path) for path in root.rglob("*.py"))


# The modules, by name, for the parametrized tests; their imports are read once, by the first
# test that asks (collecting the tests reads no file but the names).
MODULES = sorted(_modules_of(ROOT))


@functools.cache
def graph() -> dict[str, set[str]]:
    return build_graph(ROOT)


ENTRY_POINTS = (f"{PACKAGE}.app", f"{PACKAGE}.__main__", f"{PACKAGE}.entry", f"{PACKAGE}.cli")
ABOVE = (f"{PACKAGE}.ui", f"{PACKAGE}.cli", f"{PACKAGE}.app", f"{PACKAGE}.services")
PURE_RULES = (
    f"{PACKAGE}.library.reading.rules",
    f"{PACKAGE}.library.reading.values",
    f"{PACKAGE}.hardcover.matching.normalize",
    f"{PACKAGE}.hardcover.matching.penalties",
    f"{PACKAGE}.hardcover.matching.volumes",
    f"{PACKAGE}.hardcover.matching.scoring",
    f"{PACKAGE}.hardcover.matching.revisit",
    f"{PACKAGE}.hardcover.sync.model",
    f"{PACKAGE}.hardcover.sync.reconcile",
    f"{PACKAGE}.hardcover.sync.preview",
    f"{PACKAGE}.hardcover.sync.waiting",
    f"{PACKAGE}.hardcover.sync.desired",
    f"{PACKAGE}.hardcover.sync.copies",
    f"{PACKAGE}.library.history.splitting",
    f"{PACKAGE}.metadata_sources.records",
    f"{PACKAGE}.metadata_sources.compare",
    f"{PACKAGE}.metadata_sources.editions",
    f"{PACKAGE}.metadata_sources.placeholders",
)
MAX_MODULE_LINES = 420


def _under(package: str) -> list[str]:
    return [n for n in MODULES if n == package or n.startswith(f"{package}.")]


def _reached(module: str) -> tuple[set[str], set[str]]:
    return closure(graph(), module)


def test_the_checked_layers_exist():
    assert f"{PACKAGE}.library.importer" in graph()
    assert f"{PACKAGE}.library.store.models" in graph()
    assert f"{PACKAGE}.server.kosync" in graph()
    for rule in PURE_RULES:
        assert rule in graph(), rule


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.library"))
def test_library_imports_no_qt_no_network_and_nothing_above_it(module):
    reached, external = _reached(module)
    assert not forbidden(external, QT_AND_NETWORK), (
        f"{module} reaches {sorted(forbidden(external, QT_AND_NETWORK))}"
    )
    above = {
        m for m in reached if m.startswith((*ABOVE, f"{PACKAGE}.server", f"{PACKAGE}.hardcover"))
    }
    assert not above, f"{module} reaches the layers above it: {sorted(above)}"


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.server"))
def test_server_never_waits_on_hardcover(module):
    reached, _ = _reached(module)
    bad = {m for m in reached if m.startswith((*ABOVE, f"{PACKAGE}.hardcover"))}
    assert not bad, f"{module} reaches {sorted(bad)}"


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.devices"))
def test_the_device_channel_never_reaches_hardcover_or_the_front_ends(module):
    reached, external = _reached(module)
    bad = {m for m in reached if m.startswith((*ABOVE, f"{PACKAGE}.hardcover"))}
    assert not bad, f"{module} reaches {sorted(bad)}"
    assert not forbidden(external, QT_AND_NETWORK), module


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.guards"))
def test_the_guards_stand_below_every_channel(module):
    """Every channel takes the guards, so the guards reach none of them (nor the library)."""
    reached, external = _reached(module)
    channels = (
        f"{PACKAGE}.server",
        f"{PACKAGE}.devices",
        f"{PACKAGE}.library",
        f"{PACKAGE}.hardcover",
    )
    bad = {m for m in reached if m.startswith((*ABOVE, *channels))}
    assert not bad, f"{module} reaches {sorted(bad)}"
    assert not forbidden(external, ("PySide6", "shiboken6", "peewee")), module


@pytest.mark.parametrize("module", [f"{PACKAGE}.devices.lpath", f"{PACKAGE}.devices.protocol"])
def test_the_device_protocol_rules_are_pure(module):
    _, external = _reached(module)
    assert not forbidden(external, (*QT_AND_NETWORK, "peewee", "sqlite3")), module


@pytest.mark.parametrize("module", PURE_RULES)
def test_pure_rules_import_no_qt_no_network_no_database(module):
    _, external = _reached(module)
    banned = (*QT_AND_NETWORK, "peewee", "sqlite3")
    assert not forbidden(external, banned), (
        f"{module} reaches {sorted(forbidden(external, banned))}"
    )


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.hardcover"))
def test_hardcover_knows_no_qt_and_nothing_above_it(module):
    reached, external = _reached(module)
    assert not forbidden(external, QT_AND_NETWORK[:-1]), module
    above = {m for m in reached if m.startswith((*ABOVE, f"{PACKAGE}.server"))}
    assert not above, f"{module} reaches {sorted(above)}"


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.metadata_sources"))
def test_metadata_sources_take_the_library_and_the_hardcover_client_only(module):
    """Metadata sources read library values and speak through `hardcover.api`; the matching
    rules reach them only as a callable the service passes in."""
    reached, external = _reached(module)
    above = (*ABOVE, f"{PACKAGE}.server", f"{PACKAGE}.devices")
    other_hardcover = (f"{PACKAGE}.hardcover.matching", f"{PACKAGE}.hardcover.sync")
    bad = {m for m in reached if m.startswith((*above, *other_hardcover))}
    assert not bad, f"{module} reaches {sorted(bad)}"
    assert not forbidden(external, ("PySide6", "shiboken6", "qasync")), module


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.ui"))
def test_ui_does_not_touch_the_database_or_the_network(module):
    direct = {m for m in graph()[module] if m not in graph()}
    assert not forbidden(direct, ("peewee", "aiohttp")), f"{module} imports {sorted(direct)}"


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.ui"))
def test_ui_does_not_import_hardcover_even_for_type_hints(module):
    path = ROOT.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = path.with_suffix("") / "__init__.py"
    imported = imports_of(path, module, type_checking=True)
    bad = {m for m in imported if m.startswith(f"{PACKAGE}.hardcover")}
    assert not bad, f"{module} imports {sorted(bad)}; name what it needs through services"


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.hardcover.api"))
def test_the_hardcover_client_knows_nothing_of_matching_or_sync(module):
    reached, _ = _reached(module)
    bad = {
        m
        for m in reached
        if m.startswith((f"{PACKAGE}.hardcover.matching", f"{PACKAGE}.hardcover.sync"))
    }
    assert not bad, f"{module} reaches {sorted(bad)}"


@pytest.mark.parametrize("module", MODULES)
def test_only_entry_points_import_ui_and_cli(module):
    if module.startswith(ENTRY_POINTS) or module.startswith(f"{PACKAGE}.ui"):
        return
    bad = {m for m in graph()[module] if m.startswith((f"{PACKAGE}.ui", f"{PACKAGE}.cli"))}
    assert not bad, f"{module} imports {sorted(bad)}"


def test_no_import_circle_between_files():
    """No module imports one that imports it back, directly or round a circle: the lower one
    holds what both need. Imports inside functions count, and so do `if TYPE_CHECKING:` ones (a
    type ties the two files as much as a call does)."""
    circles = import_circles(build_graph(ROOT, type_checking=True))
    assert not circles, "import circles between files:\n" + "\n".join(
        " ↔ ".join(circle) for circle in circles
    )


def test_the_checker_catches_circles(tmp_path):
    """A circle is found though one side imports inside a function and the other only for a
    type hint; a module that only imports into it is not part of it."""
    package = tmp_path / PACKAGE
    package.mkdir()
    (package / "__init__.py").write_text("from . import top\n")
    (package / "top.py").write_text("from .low import f\n")
    (package / "low.py").write_text("def f():\n    from .high import g\n")
    (package / "high.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .low import f\n"
    )
    found = import_circles(build_graph(package, type_checking=True))
    assert found == [[f"{PACKAGE}.high", f"{PACKAGE}.low"]]
    assert import_circles(build_graph(package)) == []  # the type hint closed it


PACKAGES = sorted(p.parent for p in ROOT.rglob("__init__.py"))


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_every_package_says_what_lives_there(package):
    docstring = ast.get_docstring(ast.parse((package / "__init__.py").read_text(encoding="utf-8")))
    assert docstring and len(docstring.split()) >= 8, f"{package} has no package docstring"


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: str(p.relative_to(ROOT.parent)))
def test_modules_stay_small_and_names_need_no_prefix(package):
    modules = [p for p in package.glob("*.py") if p.name != "__init__.py"]
    for path in modules:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        assert lines <= MAX_MODULE_LINES, f"{path.name} has {lines} lines"
    prefixes: dict[str, int] = {}
    for path in modules:
        if "_" in path.stem:
            prefix = path.stem.split("_")[0]
            prefixes[prefix] = prefixes.get(prefix, 0) + 1
    repeated = {prefix: n for prefix, n in prefixes.items() if n >= 3}
    assert not repeated, f"{package.name}/ repeats file-name prefixes {repeated}"


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


def base_modules(root: Path) -> set[str]:
    """The base every layer may take: the modules at the package's top (`config`, `errors`,
    `fields`, `log_text`, ...), the entry points aside."""
    top = {module_name(root, path) for path in root.glob("*.py")}
    return top - {root.name, *ENTRY_POINTS}


def ui_leaks(root: Path, path: Path, module: str) -> set[str]:
    """What `module` of `ui` imports (`if TYPE_CHECKING:` blocks too) beyond `services`, the
    base and `ui` itself. A name of the package's own `__init__` (the app's name) is base too."""
    graph_modules = _modules_of(root)
    allowed = (f"{root.name}.services", f"{root.name}.ui", *base_modules(root))
    leaks = set()
    for imported in imports_of(path, module, type_checking=True):
        parts = imported.split(".")
        if parts[0] != root.name or len(parts) == 1:
            continue
        if not any(imported == a or imported.startswith(f"{a}.") for a in allowed) and (
            ".".join(parts[:2]) in graph_modules
        ):
            leaks.add(imported)
    return leaks


@pytest.mark.parametrize("module", _under(f"{PACKAGE}.ui"))
def test_ui_asks_services_only(module):
    """The window takes what it needs of the lower layers (their errors, constants and value
    rules) through `services`, so a change below meets one facade, not every screen."""
    path = ROOT.parent / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = path.with_suffix("") / "__init__.py"
    leaks = ui_leaks(ROOT, path, module)
    assert not leaks, f"{module} imports {sorted(leaks)}; ask services for it"


def test_the_ui_rule_catches_a_leak(tmp_path):
    package = tmp_path / PACKAGE
    for folder in ("ui", "services", "library", "metadata_sources"):
        (package / folder).mkdir(parents=True)
        (package / folder / "__init__.py").write_text("")
    (package / "__init__.py").write_text("APP_DISPLAY_NAME = 'BookOrbit'\n")
    (package / "errors.py").write_text("")
    (package / "app.py").write_text("")
    (package / "library" / "rules.py").write_text("")
    (package / "metadata_sources" / "records.py").write_text("")
    (package / "services" / "facade.py").write_text("")
    view = package / "ui" / "view.py"
    view.write_text(
        "from typing import TYPE_CHECKING\n"
        "from bookorbit_desktop import APP_DISPLAY_NAME\n"
        "from bookorbit_desktop.errors import BookOrbitError\n"
        "from bookorbit_desktop.services.facade import answer\n"
        "from . import other\n"
        "from bookorbit_desktop.app import main\n"
        "if TYPE_CHECKING:\n"
        "    from bookorbit_desktop.metadata_sources.records import Candidate\n"
        "def f():\n"
        "    from ..library import rules\n"
    )
    assert ui_leaks(package, view, f"{PACKAGE}.ui.view") == {
        f"{PACKAGE}.app",
        f"{PACKAGE}.app.main",
        f"{PACKAGE}.metadata_sources.records",
        f"{PACKAGE}.metadata_sources.records.Candidate",
        f"{PACKAGE}.library",
        f"{PACKAGE}.library.rules",
    }
