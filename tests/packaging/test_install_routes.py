"""A regular install (pip, pipx) carries the icons and the desktop entry template, and finds
them where it put them; a source tree and the bundle find their own copies."""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import pytest

from bookorbit_desktop import config

ROOT = Path(__file__).resolve().parents[2]


def data_files() -> dict[str, list[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return project["tool"]["setuptools"]["data-files"]


def test_every_resource_the_app_loads_is_in_a_regular_install():
    shipped: dict[Path, str] = {}
    for target, patterns in data_files().items():
        for pattern in patterns:
            matches = sorted(ROOT.glob(pattern))
            assert matches, f"{pattern} matches nothing"
            for path in matches:
                shipped[path.relative_to(ROOT / "resources")] = target
    resources = {
        path.relative_to(ROOT / "resources")
        for path in (ROOT / "resources").rglob("*")
        # render_icons.py is a maintainer's tool; a .ts is the source of the .qm the app loads
        if path.is_file() and path.suffix not in (".py", ".ts")
    }
    assert set(shipped) == resources
    for relative, target in shipped.items():
        # Each file lands at the same relative place under share/bookorbit-desktop/resources.
        expected = Path("share/bookorbit-desktop/resources") / relative.parent
        assert Path(target) == expected, relative


@pytest.mark.parametrize("where", ["bundle", "source", "installed"])
def test_resources_dir(where, tmp_path, monkeypatch):
    fake_package = tmp_path / "site-packages" / "bookorbit_desktop" / "config.py"
    if where == "bundle":
        monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path / "bundle"), raising=False)
        assert config.resources_dir() == tmp_path / "bundle" / "resources"
        return
    monkeypatch.delattr(sys, "_MEIPASS", raising=False)
    if where == "source":
        assert config.resources_dir() == ROOT / "resources"
        return
    monkeypatch.setattr(config, "__file__", str(fake_package))
    monkeypatch.setattr(sys, "prefix", str(tmp_path / "venv"))
    assert config.resources_dir() == tmp_path / "venv" / "share" / "bookorbit-desktop" / "resources"
