"""The window that says why the app could not start, for people who started it from a menu and
will never see a terminal. Without a screen nothing can be shown, and the caller prints; when
Qt itself cannot load (system libraries missing), the desktop's notification says it."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
from collections.abc import Mapping

log = logging.getLogger(__name__)

DISPLAY_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")


def can_show(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether a window can open at all (a Qt without a screen aborts the process)."""
    return os.name == "nt" or any(environ.get(name) for name in DISPLAY_VARIABLES)


def show_startup_error(title: str, message: str) -> bool:
    """Show `message` in a modal error window and wait for OK; False if no window could open."""
    if not can_show():
        return False
    try:
        from PySide6.QtWidgets import QApplication, QMessageBox
    except ImportError as error:  # a damaged installation: the caller still prints
        log.error("Cannot show the start-up error window: %s", error)
        return False
    app = QApplication.instance() or QApplication(["bookorbit-desktop"])
    assert isinstance(app, QApplication)
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok)
    box.setObjectName("startup-error")
    box.exec()
    return True


def notify_desktop(title: str, message: str) -> bool:
    """Show `message` as a desktop notification (`notify-send`), without Qt; False when there
    is no desktop or no notification tool (the caller prints in any case)."""
    tool = shutil.which("notify-send")
    if tool is None or not can_show():
        return False
    try:
        result = subprocess.run(
            [tool, "--urgency=critical", "--app-name=BookOrbit Desktop", title, message],
            capture_output=True,
            timeout=5,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        log.info("Could not show a desktop notification: %s", error)
        return False
    return result.returncode == 0
