"""Without any screen the app says so and exits, instead of Qt aborting the process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from bookorbit_desktop.system_libraries import NoDisplayError, check_display


@pytest.mark.parametrize(
    ("environ", "ok"),
    [
        ({}, False),
        ({"DISPLAY": ":0"}, True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, True),
        ({"DISPLAY": ""}, False),
    ],
)
def test_check_display(environ, ok):
    if not sys.platform.startswith("linux"):
        pytest.skip("only X11/Wayland systems need a display variable")
    if ok:
        check_display(environ)
    else:
        with pytest.raises(NoDisplayError, match="bookorbit-desktop serve"):
            check_display(environ)


def test_the_command_explains_and_exits(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("only X11/Wayland systems need a display variable")
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(tmp_path), "gui"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "No display: No graphical desktop was found" in result.stderr
    assert "Traceback" not in result.stderr
