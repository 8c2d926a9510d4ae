"""A private Xvfb display for tests and the screenshot script: the display number Xvfb picks
itself (`-displayfd`), so runs never collide."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def start_xvfb(size: str) -> tuple[subprocess.Popen[bytes], str] | None:
    """Xvfb with one `size` screen ("1366x768") and its DISPLAY value; None if it did not
    start."""
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        return None
    return xvfb, f":{number}"


def stop(process: subprocess.Popen[bytes], seconds: float = 5.0) -> None:
    """Ask `process` to end (SIGTERM); kill it if it is still there after `seconds`. An Xvfb
    has been seen to live on after a SIGTERM (right after its last client left); it must not
    fail the test or outlive it."""
    process.terminate()
    try:
        process.wait(seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def app_environment(tmp_path: Path, display: str) -> dict[str, str]:
    """The environment for the real app on `display`: X11, its own runtime and config folders
    under `tmp_path`, and the test keyring (never the user's)."""
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "BOOKORBIT_DATA_DIR")
    }
    env.update(
        DISPLAY=display,
        QT_QPA_PLATFORM="xcb",
        XDG_RUNTIME_DIR=str(runtime),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND="tests.fakes.file_keyring.FileKeyring",
        BOOKORBIT_TEST_KEYRING_FILE=str(tmp_path / "keyring.json"),
        PYTHONPATH=str(Path(__file__).resolve().parents[2]),
    )
    return env
