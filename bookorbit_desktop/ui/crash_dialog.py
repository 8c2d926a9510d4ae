"""The window an unexpected error opens, instead of a tray icon that silently disappears.

`CrashHandler.install` routes every error no code expected to one dialog: exceptions that
escape a Qt slot (`sys.excepthook`), errors of tasks started with `spawn`, and errors the event
loop's handler receives (a callback, a task nobody awaited). Each is logged with its traceback.
The dialog says so plainly, shows the traceback, where the log file is, and offers Copy
Report, Restart and Quit; a further error while it is open is added to it, never a second
window. Restart quits in order (as the tray's Quit does), and once the app has shut down and
released the library, `restart_if_wanted` starts the same command line again.
"""

from __future__ import annotations

import asyncio
import logging
import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import PySide6
from PySide6.QtCore import QObject, Qt, qVersion
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop import APP_DISPLAY_NAME, __version__
from bookorbit_desktop.logging_setup import LOG_FILENAME
from bookorbit_desktop.ui import asyncqt
from bookorbit_desktop.ui.crash_report import (
    Versions,
    crash_report,
    restart_command,
    traceback_text,
)
from bookorbit_desktop.ui.opening import Opener, desktop_opener, folder_url, open_or_show
from bookorbit_desktop.ui.widgets import push_button, show_copied, wide_row, wrapped_label

log = logging.getLogger(__name__)

CRASH_TITLE = "Unexpected Problem"
CRASH_MESSAGE = (
    f"{APP_DISPLAY_NAME} ran into a problem it did not expect. Your library is safe. Restart "
    "the app to go on; to report the problem, copy the report below or attach the log file."
)

# What starts the app again in this process's place: given the command line, never returns
# in the app (a test passes one that records the call).
Reexec = Callable[[list[str]], object]


def running_versions() -> Versions:
    return Versions(
        app=__version__,
        python=platform.python_version(),
        qt=f"{qVersion()} (PySide6 {PySide6.__version__})",
        system=platform.platform(),
    )


def reexec_process(command: list[str]) -> None:
    """Replace this process with `command` (the log is flushed and closed first)."""
    log.info("Restarting: %s", " ".join(command))
    logging.shutdown()
    os.execv(command[0], command)


class CrashDialog(QDialog):
    """The errors so far, the log file and what the user can do now."""

    def __init__(
        self,
        log_file: Path,
        *,
        restart: Callable[[], object],
        quit: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(CRASH_TITLE)
        self.tracebacks: list[str] = []
        self.log_file = log_file
        self.opener: Opener = desktop_opener  # a test puts one in its place that fails
        self.count_label = QLabel()
        self.count_label.setObjectName("crashCount")
        self.count_label.hide()
        self.details = QPlainTextEdit()
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setAccessibleName("Error details")
        self.log_path = QLineEdit(str(log_file))
        self.log_path.setObjectName("crashLogFile")
        self.log_path.setReadOnly(True)
        self.log_path.setAccessibleName("Log file")
        self.open_logs_button = push_button(
            "&Open Log Folder", self.open_log_folder, tip="Show the log file's folder"
        )
        self.open_logs_button.setAccessibleName("Open Log Folder")
        self.copy_button = push_button(
            "&Copy Report", self.copy_report, tip="Copy the versions and the error details"
        )
        self.copy_button.setAccessibleName("Copy Report")
        self.restart_button = push_button("&Restart", lambda: self._end(restart))
        self.restart_button.setAccessibleName("Restart")
        self.quit_button = push_button("&Quit", lambda: self._end(quit))
        self.quit_button.setAccessibleName("Quit")
        buttons = QDialogButtonBox()
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.restart_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.restart_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped_label(CRASH_MESSAGE))
        layout.addWidget(self.count_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(QLabel("Log file:"))
        layout.addLayout(wide_row(self.log_path, self.open_logs_button))
        layout.addWidget(buttons)
        self.resize(720, 460)

    def add(self, trace: str) -> None:
        """Show one more error's traceback (the first, or one more while open)."""
        self.tracebacks.append(trace)
        self.details.setPlainText("\n\n".join(self.tracebacks))
        if len(self.tracebacks) > 1:
            self.count_label.setText(
                f"This happened {len(self.tracebacks)} times; every error is listed below."
            )
            self.count_label.show()

    def report(self) -> str:
        return crash_report(self.tracebacks, running_versions())

    def copy_report(self) -> None:
        QGuiApplication.clipboard().setText(self.report())
        show_copied(self.copy_button)

    def open_log_folder(self) -> QDialog | None:
        return open_or_show(self, folder_url(self.log_file.parent), self.opener)

    def _end(self, action: Callable[[], object]) -> None:
        self.accept()
        action()


class CrashHandler(QObject):
    """Shows unexpected errors in one `CrashDialog`; `quit` is the app's orderly Quit."""

    def __init__(self, log_dir: Path, quit: Callable[[], object]) -> None:
        super().__init__()
        self.log_file = log_dir / LOG_FILENAME
        self._quit = quit
        self.dialog: CrashDialog | None = None
        self.restart_wanted = False
        self._previous_hook = sys.excepthook

    def install(self, loop: asyncio.AbstractEventLoop) -> None:
        """Catch what escapes Qt slots, spawned tasks and `loop` from now on."""
        self._previous_hook = sys.excepthook
        sys.excepthook = self.excepthook
        loop.set_exception_handler(self.loop_error)
        asyncqt.report_unexpected_errors_to(self.report)

    def uninstall(self) -> None:
        """Once the app has shut down: errors are Python's to print again."""
        if self.dialog is not None:
            self.dialog.close()  # deleted with the app's other widgets, not after them
        sys.excepthook = self._previous_hook
        asyncqt.report_unexpected_errors_to(None)

    def excepthook(
        self, kind: type[BaseException], error: BaseException, trace: TracebackType | None
    ) -> None:
        self.report(error.with_traceback(trace))

    def loop_error(self, loop: asyncio.AbstractEventLoop, context: dict[str, object]) -> None:
        error = context.get("exception")
        if isinstance(error, BaseException):
            self.report(error, f"Unhandled error in the event loop: {context.get('message')}")
        else:  # a warning without an error (a task destroyed while pending): logged only
            log.error("Unhandled error in the event loop: %s", context.get("message"))

    def report(self, error: BaseException, what: str = "Unhandled error") -> None:
        """Log `error` with its traceback and show it in the crash dialog."""
        log.error("%s", what, exc_info=error)
        try:
            self._show(traceback_text(error))
        except Exception:  # the dialog itself failed: the log has both, nothing loops
            log.exception("Could not show the crash dialog")

    def _show(self, trace: str) -> None:
        if self.dialog is None:
            self.dialog = CrashDialog(self.log_file, restart=self._restart, quit=self._quit)
            self.dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.dialog.finished.connect(self._closed)
        self.dialog.add(trace)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def _closed(self) -> None:
        self.dialog = None

    def _restart(self) -> None:
        self.restart_wanted = True
        self._quit()

    def restart_if_wanted(
        self, reexec: Reexec = reexec_process, *, also: bool = False, shown: bool = False
    ) -> None:
        """After the orderly shutdown (the library released): start the same command line
        again if the user chose Restart, or `also` (another part of the app wants it); with
        `shown`, with the window even if the app was started in the tray only."""
        if self.restart_wanted or also:
            frozen = getattr(sys, "frozen", False)
            command = restart_command(
                sys.executable, sys.orig_argv, sys.argv, frozen=frozen, shown=shown
            )
            reexec(command)
