"""File ▸ Add calibre Library…: a dialog to choose the calibre library's folder and, among its
own columns, the one that gives the reading status and the date column that gives the finish
date of a book it marks read. Add runs the import off the window's thread
(`services.library.calibre`) with its progress in the dialog; Cancel (or Escape, or closing
the dialog) then stops it (what was done stays, the fields as one undo step: see
`library.importer.calibre.apply`) and the dialog closes once it has stopped. A message ends
with what it did."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QWidget,
)

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.calibre import (
    CalibreStep,
    calibre_columns,
    import_calibre_off_loop,
    summary_text,
)
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import open_box, show_error, signal_future, spawn
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import choose_folder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bookorbit_desktop.ui.main_window import MainWindow

NO_STATUS = "(none: leave the reading status)"
NO_FINISH = "(none: no finish date)"


class CalibreDialog(QDialog):
    """The calibre library's folder, the columns for the reading status and the finish date,
    then the import's progress. `chosen` when Add is clicked (the dialog stays open)."""

    chosen = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add calibre Library")
        self.cancel: threading.Event | None = None  # set while the import runs
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText("The folder that holds calibre's metadata.db")
        self.folder.setMinimumWidth(  # the hint whole, not cut to "The folder that hol…"
            self.folder.fontMetrics().horizontalAdvance(self.folder.placeholderText()) + 28
        )
        self.browse = QPushButton("&Browse…", self)
        self.browse.clicked.connect(
            lambda: choose_folder(self, "Choose the calibre Library", self.folder.setText)
        )
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(self.browse)
        self.status = QComboBox(self)
        self.finish = QComboBox(self)
        self.finish.setToolTip(
            "The date a book the status column marks read was finished (calibre's own "
            "“modified” date is not one)"
        )
        self.step = QLabel(self)
        self.bar = QProgressBar(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.add = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.add.setText("&Add")
        self.buttons.accepted.connect(self._add)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        library = QLabel("&Library:", self)
        library.setBuddy(self.folder)  # a row of two widgets has no buddy of its own: no "&"
        form.addRow(library, row)
        form.addRow("Reading &status from:", self.status)
        form.addRow("&Finish date from:", self.finish)
        form.addRow(self.step)
        form.addRow(self.bar)
        form.addRow(self.buttons)
        self.step.hide()
        self.bar.hide()
        self.status.currentTextChanged.connect(self._status_changed)
        self.folder.textChanged.connect(self._folder_changed)
        self._folder_changed("")

    def _folder_changed(self, text: str) -> None:
        columns = calibre_columns(text.strip()) if text.strip() else []
        for combo, none, offered in (
            (self.status, NO_STATUS, [c for c in columns if c[3]]),  # a yes/no, a list, words
            (self.finish, NO_FINISH, [c for c in columns if c[2] == "datetime"]),
        ):
            combo.clear()
            combo.addItem(none)
            for label, name, _kind, _status in offered:  # "Date read (#date_read)"
                combo.addItem(f"{name} ({label})", label)
        self.status.setEnabled(bool(columns))
        self._status_changed()
        self.add.setEnabled(bool(text.strip()))

    def _status_changed(self, *_: object) -> None:
        """A finish date only dates what the status column marks read."""
        self.finish.setEnabled(self.status_column() is not None and self.finish.count() > 1)

    def status_column(self) -> str | None:
        """The label of the column chosen for the reading status ("#read"); None: none."""
        chosen: str | None = self.status.currentData()
        return chosen

    def finished_column(self) -> str | None:
        chosen: str | None = self.finish.currentData()
        return None if self.status_column() is None else chosen

    def choose(self, folder: str, status: str, finished: str) -> None:
        """The library's folder and its columns chosen (each where it is offered)."""
        self.folder.setText(folder)
        for combo, label in ((self.status, status), (self.finish, finished)):
            found = combo.findData(label) if label else -1
            if found >= 0:
                combo.setCurrentIndex(found)

    def _add(self) -> None:
        if self.cancel is None:
            self.chosen.emit()

    def running(self, cancel: threading.Event) -> None:
        """The import began: the choices are fixed, the progress shows, Cancel stops it."""
        self.cancel = cancel
        for widget in (self.folder, self.browse, self.status, self.finish, self.add):
            widget.setEnabled(False)
        self.step.setText("Starting…")
        self.bar.setRange(0, 0)
        self.step.show()
        self.bar.show()

    def show_step(self, step: CalibreStep) -> None:
        if self.cancel is not None and self.cancel.is_set():
            return  # "Stopping…" stays
        self.step.setText(step.text)
        self.bar.setRange(0, max(step.total, 1))
        self.bar.setValue(step.done)

    def reject(self) -> None:
        """Cancel: before Add it closes; while the import runs it stops it (the dialog closes
        once the import has stopped)."""
        if self.cancel is None:
            super().reject()
            return
        self.cancel.set()
        self.step.setText("Stopping…")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setEnabled(False)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.cancel is not None:
            event.ignore()  # the import is stopped first
            self.reject()
            return
        super().closeEvent(event)


_REMEMBERED = ("folder", "status", "finished")  # the choices offered again at the next run


class CalibreImport(QObject):
    """The File menu's action (added to the window's File menu) and what follows it; `done()`
    once books came in."""

    def __init__(self, window: MainWindow, paths: Paths, done: Callable[[], object]) -> None:
        super().__init__(window)
        self.window = window
        self.paths = paths
        self.done = done
        self.action = menu_action(window, "Add &calibre Library…", self.start)
        self.message: QMessageBox | None = None  # what the last import did
        window.add_file_action(self.action)

    def start(self) -> None:
        spawn(self.run(), self.window)

    async def run(self, dialog: CalibreDialog | None = None) -> None:
        dialog = dialog or CalibreDialog(self.window)
        # The last library added and its columns, offered again (a second run brings what
        # changed in calibre since).
        dialog.choose(*(self.window.remembered(f"calibre/{key}") for key in _REMEMBERED))
        self.action.setEnabled(False)
        try:
            chosen, closed = signal_future(dialog.chosen), signal_future(dialog.finished)
            dialog.open()
            await asyncio.wait({chosen, closed}, return_when=asyncio.FIRST_COMPLETED)
            if not chosen.done():
                return
            closed.cancel()
            await self._import(dialog)
        finally:
            self.action.setEnabled(True)
            dialog.cancel = None  # stopped: the dialog may close
            dialog.close()
            dialog.deleteLater()

    async def _import(self, dialog: CalibreDialog) -> None:
        folder, status = dialog.folder.text().strip(), dialog.status_column()
        finished = dialog.finished_column()
        for key, value in zip(_REMEMBERED, (folder, status, finished), strict=True):
            self.window.remember(f"calibre/{key}", value or "")
        cancel = threading.Event()
        dialog.running(cancel)
        loop = asyncio.get_running_loop()

        def progress(step: CalibreStep) -> None:  # on the worker thread
            loop.call_soon_threadsafe(dialog.show_step, step)

        try:
            summary = await import_calibre_off_loop(
                self.paths,
                folder,
                status,
                finished,
                progress=progress,
                cancel=cancel,
            )
        except BookOrbitError as error:
            show_error(self.window, error)
            return
        except asyncio.CancelledError:
            cancel.set()  # the worker stops at its next check
            raise
        self.done()
        title = "calibre import cancelled" if summary.cancelled else "calibre library added"
        box = QMessageBox(
            QMessageBox.Icon.Information,
            title,
            summary_text(summary),
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        self.message = open_box(show_plain(box))  # it names calibre's files and titles
