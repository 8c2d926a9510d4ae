"""Icons, desktop entries, AppStream metadata and the PyInstaller spec refer to real things."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PySide6.QtGui import QImage
from PySide6.QtSvg import QSvgRenderer

from bookorbit_desktop import APP_NAME
from bookorbit_desktop.config import resources_dir
from bookorbit_desktop.ui import icons
from bookorbit_desktop.ui.icons import APP_ID, APP_SIZES, TRAY_SIZES, TrayState

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"
ICONS = resources_dir() / "icons"


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.parametrize("size", APP_SIZES)
def test_app_icon_in_every_size(qapp, size):
    image = QImage(str(ICONS / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
    assert (image.width(), image.height()) == (size, size)


@pytest.mark.parametrize("state", list(TrayState))
def test_tray_icons_for_every_state(qapp, state):
    assert QSvgRenderer(str(ICONS / "tray" / f"tray-{state.value}.svg")).isValid()
    for size in TRAY_SIZES:
        image = QImage(str(ICONS / "tray" / "png" / f"tray-{state.value}-{size}.png"))
        assert (image.width(), image.height()) == (size, size)


def test_scalable_app_icon(qapp):
    assert QSvgRenderer(str(ICONS / f"{APP_ID}.svg")).isValid()


@pytest.mark.parametrize(
    "path",
    [
        PACKAGING / f"{APP_ID}.desktop",
        PACKAGING / f"{APP_ID}-autostart.desktop",
        ROOT / "resources" / f"{APP_ID}.desktop.in",
    ],
)
def test_desktop_entries(path):
    entry = desktop_entry(path)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "BookOrbit Desktop"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"]
    if "StartupWMClass" in entry:
        assert entry["StartupWMClass"] == APP_NAME  # Qt's WM_CLASS is the application name
    if "autostart" in path.name:
        assert entry["Exec"].endswith("gui --hidden")


def test_desktop_entry_validates():
    validator = shutil.which("desktop-file-validate")
    if validator is None:
        pytest.skip("desktop-file-validate is not installed")
    for path in (PACKAGING / f"{APP_ID}.desktop", PACKAGING / f"{APP_ID}-autostart.desktop"):
        result = subprocess.run([validator, str(path)], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_appstream_metadata():
    path = PACKAGING / f"{APP_ID}.metainfo.xml"
    root = ElementTree.parse(path).getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert root.findtext("project_license") == "GPL-3.0-or-later"
    validator = shutil.which("appstreamcli")
    if validator is None:
        return
    result = subprocess.run(
        [validator, "validate", "--no-net", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyinstaller_spec_bundles_files_that_exist():
    text = (PACKAGING / "bookorbit-desktop.spec").read_text(encoding="utf-8")
    head = text[: text.index("a = Analysis(")]  # the part that only computes paths
    namespace = {"SPECPATH": str(PACKAGING)}
    exec(compile(head, "bookorbit-desktop.spec", "exec"), namespace)
    assert namespace["ROOT"] == ROOT
    for source, _target in namespace["datas"]:
        assert Path(source).exists(), source
    assert (ROOT / "bookorbit_desktop" / "__main__.py").is_file()
    assert f"{APP_ID}.png" in text and "256x256" in text
    assert (ICONS / "hicolor" / "256x256" / "apps" / f"{APP_ID}.png").is_file()


def test_a_frozen_app_loads_its_icons_from_the_bundle(qapp, tmp_path, monkeypatch):
    folder = tmp_path / "resources" / "icons" / "tray" / "png"
    folder.mkdir(parents=True)
    image = QImage(16, 16, QImage.Format.Format_ARGB32)
    image.fill(0xFF2060A0)
    assert image.save(str(folder / "tray-idle-16.png"))
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    icons.tray_icon.cache_clear()
    try:
        icon = icons.tray_icon(TrayState.IDLE)
        assert [(size.width(), size.height()) for size in icon.availableSizes()] == [(16, 16)]
    finally:
        icons.tray_icon.cache_clear()
