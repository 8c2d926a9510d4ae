"""The real app on a real X server (Xvfb): it starts, serves, shows its window, quits cleanly.

`python -m bookorbit_desktop --data-dir DIR gui` runs as a child process on a private Xvfb
display with the xcb platform plugin, exactly as a user's desktop would run it. A screenshot
of the screen is taken with Qt's screen grabber and checked (and kept in the test's folder).
"""

from __future__ import annotations

import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bookorbit_desktop.library.importer import run as importer
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.settings import set_setting
from tests.factories import make_epub
from tests.integration.xvfb import app_environment, start_xvfb, stop
from tests.server.serve_process import server_answers

pytestmark = pytest.mark.integration

STARTUP_TIMEOUT = 60.0
EXIT_TIMEOUT = 30.0

GRAB = textwrap.dedent(
    """
    import sys
    from PySide6.QtGui import QGuiApplication
    app = QGuiApplication(sys.argv[:1])
    image = app.primaryScreen().grabWindow(0).toImage()
    image.save(sys.argv[1])
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7)
               for y in range(0, image.height(), 7)}
    print(image.width(), image.height(), len(colours))
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str, process: subprocess.Popen | None = None):
    """Poll `condition` (a child process has no signal to wait on) until true or timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        if process is not None and process.poll() is not None:
            pytest.fail(f"the app exited with {process.returncode} before {what}")
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def window_titles(env: dict[str, str]) -> str:
    result = subprocess.run(
        ["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True, timeout=10
    )
    return result.stdout


@pytest.fixture
def display(tmp_path) -> Iterator[dict[str, str]]:
    """A private Xvfb display and an environment for apps on it."""
    with xvfb_display(tmp_path, "1400x900") as env:
        yield env


def private_display(size: str) -> tuple[subprocess.Popen[bytes], str]:
    """A private Xvfb of `size` and its DISPLAY; the test is skipped without one."""
    if shutil.which("Xvfb") is None:
        pytest.skip("Xvfb is not installed (`make test` installs it when run as root)")
    started = start_xvfb(size)
    if started is None:
        pytest.skip("Xvfb did not start")
    return started


@contextlib.contextmanager
def xvfb_display(tmp_path: Path, size: str) -> Iterator[dict[str, str]]:
    """A private Xvfb display of `size` ("1366x768") and an environment for apps on it."""
    if shutil.which("xwininfo") is None:
        pytest.skip("xwininfo (x11-utils) is not installed")
    xvfb, display = private_display(size)
    env = app_environment(tmp_path, display)
    tray = _start_tray(env)
    try:
        yield env
    finally:
        if tray is not None:
            stop(tray)
        stop(xvfb)


def _start_tray(env: dict[str, str]) -> subprocess.Popen[bytes] | None:
    """A real system tray on the display (trayer, an XEmbed tray as desktop panels have), so
    the app shows its tray icon as on a desktop; None where trayer is not installed."""
    if shutil.which("trayer") is None:
        return None
    tray = subprocess.Popen(
        ["trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "160"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:  # the panel window appears once it owns the tray
        tree = subprocess.run(
            ["xwininfo", "-root", "-tree"], env=env, capture_output=True, text=True
        ).stdout
        if '("panel" "trayer")' in tree:
            env["BOOKORBIT_TEST_TRAY"] = "trayer"
            return tray
        time.sleep(0.1)
    tray.kill()
    return None


@pytest.fixture
def library_dir(tmp_path) -> tuple[Path, int]:
    """A data folder with two imported books, the server on 127.0.0.1 and a free port."""
    from bookorbit_desktop.config import resolve_paths

    paths = resolve_paths(tmp_path / "data")
    paths.ensure()
    open_database(paths.db_file)
    try:
        make_epub(tmp_path / "books" / "dune.epub", "Dune", ["Frank Herbert"])
        make_epub(tmp_path / "books" / "piranesi.epub", "Piranesi", ["Susanna Clarke"])
        assert importer.import_paths([tmp_path / "books"], paths).imported == 2
        port = free_port()
        set_setting("server.host", "127.0.0.1")
        set_setting("server.port", port)
    finally:
        close_database()
    return paths.data_dir, port


def start_app(env, data_dir: Path, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir), "gui"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def screenshot(env, target: Path) -> tuple[int, int, int]:
    result = subprocess.run(
        [sys.executable, "-c", GRAB, str(target)],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stderr
    width, height, colours = (int(part) for part in result.stdout.split())
    return width, height, colours


def test_the_app_starts_serves_shows_its_window_and_quits_cleanly(display, library_dir, tmp_path):
    data_dir, port = library_dir
    output = tmp_path / "app-output.txt"
    app = start_app(display, data_dir, output)
    try:
        wait_for(lambda: server_answers(port), STARTUP_TIMEOUT, "the sync server", app)
        wait_for(
            lambda: "BookOrbit Desktop" in window_titles(display),
            STARTUP_TIMEOUT,
            "the main window",
            app,
        )
        width, height, colours = screenshot(display, tmp_path / "main-window.png")
        assert (width, height) == (1400, 900)
        assert colours > 20  # a drawn window, not an empty screen

        # A second launch hands over to the running app and exits at once.
        second = subprocess.run(
            [sys.executable, "-m", "bookorbit_desktop", "--data-dir", str(data_dir), "gui"],
            env=display,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 0, second.stderr
        assert server_answers(port)  # the first one is untouched

        app.send_signal(signal.SIGTERM)
        assert app.wait(EXIT_TIMEOUT) == 0
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
    text = output.read_text()
    assert "Traceback" not in text
    log = (data_dir / "logs" / "bookorbit-desktop.log").read_text()
    assert "Window shown after" in log and "Library table filled with 2 books" in log
    assert "Already running: asked the running copy to show its window" in log
    assert "Sync server stopped" in log
    assert log.rstrip().endswith("BookOrbit Desktop stopped")
    assert not server_answers(port)


def test_a_port_in_use_is_shown_in_the_window_not_a_crash(display, library_dir, tmp_path):
    data_dir, port = library_dir
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", port))
        taken.listen()
        app = start_app(display, data_dir, tmp_path / "app-output.txt")
        try:
            wait_for(  # the window and its message, in whichever order a busy machine maps them
                lambda: all(
                    title in window_titles(display)
                    for title in ("Port already in use", "BookOrbit Desktop")
                ),
                STARTUP_TIMEOUT,
                "the window and the message about the port",
                app,
            )
            screenshot(display, tmp_path / "port-in-use.png")
            app.send_signal(signal.SIGTERM)
            assert app.wait(EXIT_TIMEOUT) == 0
        finally:
            if app.poll() is None:
                app.kill()
                app.wait()
    assert "Traceback" not in (tmp_path / "app-output.txt").read_text()
