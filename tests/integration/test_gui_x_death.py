"""The X server dies under the running app: a clean shutdown line, no traceback, no "could not
start". The real app on a private Xvfb that the test kills."""

from __future__ import annotations

import time

import pytest

from tests.integration.test_gui_xvfb import (
    EXIT_TIMEOUT,
    STARTUP_TIMEOUT,
    library_dir,
    private_display,
    start_app,
    wait_for,
)
from tests.integration.xvfb import app_environment
from tests.server.serve_process import server_answers

pytestmark = pytest.mark.integration
__all__ = ["library_dir"]


def test_the_x_server_dying_shuts_the_app_down_cleanly(library_dir, tmp_path):
    data_dir, port = library_dir
    xvfb, display = private_display("1024x768")
    env = app_environment(tmp_path, display)
    log_file = data_dir / "logs" / "bookorbit-desktop.log"
    output = tmp_path / "app-output.txt"
    app = start_app(env, data_dir, output)
    try:
        wait_for(lambda: server_answers(port), STARTUP_TIMEOUT, "the sync server", app)
        wait_for(
            lambda: "Library table filled" in log_file.read_text(),
            STARTUP_TIMEOUT,
            "the window",
            app,
        )
        time.sleep(0.5)
        xvfb.kill()  # the display goes away under the app
        xvfb.wait(10)
        code = app.wait(EXIT_TIMEOUT)
    finally:
        if app.poll() is None:
            app.kill()
            app.wait()
        if xvfb.poll() is None:
            xvfb.kill()
    text = output.read_text()
    log = log_file.read_text()
    assert "Traceback" not in text + log, text + log
    assert "could not start" not in text + log
    assert "The display went away (or the session is ending): shutting down" in log
    assert log.rstrip().endswith("BookOrbit Desktop stopped"), log[-2000:]
    assert code == 0, text
    assert not server_answers(port)
