"""The window's system libraries are checked before Qt loads: a missing one is named with the
command that installs it, in one line (and a desktop notification), never a silent abort."""

from __future__ import annotations

import ctypes.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bookorbit_desktop.system_libraries import (
    QT_LIBRARIES,
    XCB_LIBRARIES,
    missing_libraries,
    uses_xcb,
)


@pytest.mark.parametrize(
    ("environ", "xcb"),
    [
        ({"DISPLAY": ":0"}, True),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({}, False),
    ],
)
def test_the_x11_libraries_are_wanted_only_where_qt_uses_x11(environ, xcb):
    assert uses_xcb(environ) is xcb
    wanted = missing_libraries(environ, loads=lambda _name: False)
    if sys.platform.startswith("linux"):
        assert set(wanted) == set(QT_LIBRARIES) | (set(XCB_LIBRARIES) if xcb else set())


def test_only_what_does_not_load_is_missing():
    gone = {"libxkbcommon-x11.so.0", "libGL.so.1"}
    missing = missing_libraries({"DISPLAY": ":0"}, loads=lambda name: name not in gone)
    if sys.platform.startswith("linux"):
        assert missing == {"libxkbcommon-x11.so.0": "libxkbcommon-x11-0", "libGL.so.1": "libgl1"}


def _library_file(name: str) -> Path | None:
    for folder in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib64"):
        path = Path(folder) / name
        if path.exists():
            return path.resolve()
    return None


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux libraries")
def test_a_missing_x11_library_is_named_with_its_package_before_qt_loads(tmp_path):
    """A real start of the window on a system where libxkbcommon-x11 cannot be loaded (hidden
    in a private mount namespace), with a stand-in `notify-send` recording the notification."""
    library = _library_file("libxkbcommon-x11.so.0")
    if library is None or shutil.which("unshare") is None or ctypes.util.find_library("c") is None:
        pytest.skip("libxkbcommon-x11 or unshare is not here")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("private mount namespaces need root here")
    tools = tmp_path / "bin"
    tools.mkdir()
    notified = tmp_path / "notified.txt"
    (tools / "notify-send").write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {notified}\n')
    (tools / "notify-send").chmod(0o755)
    script = Path(sys.executable).with_name("bookorbit-desktop")
    app = f"{script}" if script.exists() else f"{sys.executable} -m bookorbit_desktop"
    env = {
        **os.environ,
        "DISPLAY": ":77",
        "QT_QPA_PLATFORM": "xcb",
        "PATH": f"{tools}:{os.environ['PATH']}",
    }
    result = subprocess.run(
        [
            "unshare",
            "-m",
            "sh",
            "-c",
            f'mount --bind /dev/null "{library}" && exec {app} --data-dir "$1" gui',
            "sh",
            str(tmp_path / "data"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "System libraries missing: BookOrbit Desktop cannot open its window:" in lines[0]
    assert "libxkbcommon-x11.so.0 is not installed" in lines[0]
    assert "sudo apt install libxkbcommon-x11-0 " in lines[0]
    assert "libxkbcommon-x11-0" in notified.read_text()  # the desktop showed it too
