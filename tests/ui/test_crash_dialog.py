"""An unexpected error opens one crash dialog with its traceback, never a silent exit.

The handler is installed inside each test body: pytest-qt's own exception capture is switched
off for these tests, so an exception escaping a slot reaches our hook as in the app.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from bookorbit_desktop.app import run_gui
from bookorbit_desktop.library.store.settings import set_setting
from bookorbit_desktop.logging_setup import LOG_FILENAME
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.crash_dialog import CRASH_MESSAGE, CrashDialog, CrashHandler
from bookorbit_desktop.ui.single_instance import SingleInstance

pytestmark = pytest.mark.qt_no_exception_capture

TOKEN = "hc_pat_abc123"


def crash_dialogs() -> list[CrashDialog]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, CrashDialog)]


def fail_in_a_slot(message: str) -> None:
    def slot() -> None:
        raise RuntimeError(message)

    QTimer.singleShot(0, slot)


@pytest.fixture
def quits() -> list[str]:
    return []


@pytest.fixture
def handler(qloop, tmp_path, monkeypatch, quits):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    crash = CrashHandler(tmp_path / "logs", quit=lambda: quits.append("quit"))
    yield crash
    crash.uninstall()


def test_an_error_in_a_qt_slot_opens_the_dialog_with_its_traceback(handler, qloop, qtbot, caplog):
    handler.install(qloop)
    fail_in_a_slot(f"Hardcover refused {TOKEN}")
    qtbot.waitUntil(lambda: handler.dialog is not None and handler.dialog.isVisible())
    dialog = handler.dialog
    assert crash_dialogs() == [dialog]
    details = dialog.details.toPlainText()
    assert details.startswith("Traceback (most recent call last):")
    assert "in slot" in details and "RuntimeError: Hardcover refused [redacted]" in details
    assert dialog.details.isReadOnly()
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    assert dialog.details.font().family() == fixed.family()
    assert dialog.log_path.text() == str(handler.log_file)
    assert handler.log_file.name == LOG_FILENAME
    assert CRASH_MESSAGE.startswith("BookOrbit Desktop ran into a problem it did not expect")
    names = {
        w.accessibleName()
        for w in (
            dialog.details,
            dialog.log_path,
            dialog.open_logs_button,
            dialog.copy_button,
            dialog.restart_button,
            dialog.quit_button,
        )
    }
    assert names == {
        "Error details",
        "Log file",
        "Open Log Folder",
        "Copy Report",
        "Restart",
        "Quit",
    }
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and r.exc_info]
    assert logged and logged[-1].exc_info[0] is RuntimeError


def test_an_error_in_a_spawned_task_opens_the_dialog(handler, qloop, qtbot):
    handler.install(qloop)

    async def sync_books() -> None:
        raise KeyError("edition")

    async def scenario() -> None:
        task = spawn(sync_books())
        await asyncio.wait({task})
        await asyncio.sleep(0)  # the done-callback runs on the next turn

    qloop.run_until_complete(scenario())
    assert handler.dialog is not None and handler.dialog.isVisible()
    details = handler.dialog.details.toPlainText()
    assert "in sync_books" in details and "KeyError: 'edition'" in details


def test_an_error_the_loop_handler_receives_opens_the_dialog(handler, qloop, qtbot):
    handler.install(qloop)

    def callback() -> None:
        raise ValueError("from a callback")

    async def scenario() -> None:
        asyncio.get_running_loop().call_soon(callback)
        await asyncio.sleep(0.01)

    qloop.run_until_complete(scenario())
    assert handler.dialog is not None
    assert "ValueError: from a callback" in handler.dialog.details.toPlainText()


def test_copy_report_has_the_traceback_and_no_token(handler, qloop, qtbot):
    handler.install(qloop)
    fail_in_a_slot(f"login failed with {TOKEN} and Bearer {TOKEN}")
    qtbot.waitUntil(lambda: handler.dialog is not None)
    handler.dialog.copy_button.click()
    report = QGuiApplication.clipboard().text()
    assert report.startswith("BookOrbit Desktop ")
    assert "\nPython 3." in report and "\nQt 6." in report and "\nSystem: " in report
    assert "Traceback (most recent call last):" in report
    assert "RuntimeError: login failed with [redacted]" in report
    assert TOKEN not in report and "Bearer" not in report


def test_a_second_error_is_added_to_the_open_dialog(handler, qloop, qtbot):
    handler.install(qloop)
    fail_in_a_slot("first")
    qtbot.waitUntil(lambda: handler.dialog is not None)
    first = handler.dialog
    fail_in_a_slot("second")
    qtbot.waitUntil(lambda: len(first.tracebacks) == 2)
    assert crash_dialogs() == [first]
    details = first.details.toPlainText()
    assert "RuntimeError: first" in details and "RuntimeError: second" in details
    assert first.count_label.text() == "This happened 2 times; every error is listed below."
    assert first.count_label.isVisibleTo(first)


def test_quit_quits_in_order_and_closes_the_dialog(handler, qloop, qtbot, quits):
    handler.install(qloop)
    fail_in_a_slot("boom")
    qtbot.waitUntil(lambda: handler.dialog is not None)
    handler.dialog.quit_button.click()
    assert quits == ["quit"]
    assert handler.dialog is None and not handler.restart_wanted
    restarted: list[list[str]] = []
    handler.restart_if_wanted(restarted.append)
    assert restarted == []


def test_open_log_folder_shows_the_path_when_nothing_opens_it(handler, qloop, qtbot):
    handler.install(qloop)
    fail_in_a_slot("boom")
    qtbot.waitUntil(lambda: handler.dialog is not None)
    dialog = handler.dialog
    asked: list[QUrl] = []
    dialog.opener = lambda url: asked.append(url) is not None  # no file manager answers
    shown = dialog.open_log_folder()
    assert asked == [QUrl.fromLocalFile(str(handler.log_file.parent))]
    assert isinstance(shown, QDialog)
    (address,) = shown.findChildren(QLineEdit)
    assert address.text() == str(handler.log_file.parent)
    shown.close()


def test_restart_starts_again_once_the_app_has_shut_down(library: Path, qtbot, caplog, monkeypatch):
    """The real app: a slot fails, the user presses Restart, the app shuts down in order and
    releases the library, and only then is the same command line started again."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    python_hook = sys.excepthook
    set_setting("server.host", "127.0.0.1")
    set_setting("server.port", 0)
    caplog.set_level(logging.INFO)
    fail_in_a_slot("boom")
    pressed: list[CrashDialog] = []

    def press_restart() -> None:
        for dialog in crash_dialogs():
            if dialog.isVisible() and not pressed:
                pressed.append(dialog)
                dialog.restart_button.click()

    poll = QTimer()
    poll.timeout.connect(press_restart)
    poll.start(20)
    seen: list[tuple[list[str], bool, bool]] = []

    def reexec(command: list[str]) -> None:
        other = SingleInstance(library.data_dir)
        free = other.acquire()  # the new process would not be refused
        other.release()
        seen.append((command, free, "BookOrbit Desktop stopped" in caplog.text))

    try:
        assert run_gui(library, reexec=reexec) == 0
    finally:
        poll.stop()
    assert len(pressed) == 1
    assert seen == [([sys.executable, *sys.orig_argv[1:]], True, True)]
    assert sys.excepthook is python_hook  # the hook goes once the app has shut down
