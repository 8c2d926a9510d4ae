"""File ▸ Add calibre Library…: a dialog to choose the calibre library's folder and, among its
own columns, the one that gives the reading status; the import runs off the window's thread
(`services.library.calibre`) and ends with what it did."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QWidget,
)

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.calibre import (
    calibre_columns,
    import_calibre_off_loop,
    summary_text,
)
from bookorbit_desktop.ui.actions import menu_action
from bookorbit_desktop.ui.asyncqt import open_box, run_dialog, show_error, spawn
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import choose_folder

TYPE_CHECKING = False
if TYPE_CHECKING:
    from bookorbit_desktop.ui.main_window import MainWindow

NO_STATUS = "(none: leave the reading status)"


class CalibreDialog(QDialog):
    """The calibre library's folder and the column for the reading status."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add calibre Library")
        self.folder = QLineEdit(self)
        self.folder.setPlaceholderText("The folder that holds calibre's metadata.db")
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(
            lambda: choose_folder(self, "Choose the calibre Library", self.folder.setText)
        )
        row = QHBoxLayout()
        row.addWidget(self.folder)
        row.addWidget(browse)
        self.status = QComboBox(self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("&Library:", row)
        form.addRow("Reading &status from:", self.status)
        form.addRow(self.buttons)
        self.folder.textChanged.connect(self._folder_changed)
        self._folder_changed("")

    def _folder_changed(self, text: str) -> None:
        columns = calibre_columns(text.strip()) if text.strip() else []
        self.status.clear()
        self.status.addItems([NO_STATUS, *columns])
        self.status.setEnabled(bool(columns))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))

    def status_column(self) -> str | None:
        chosen = self.status.currentText()
        return None if chosen in ("", NO_STATUS) else chosen


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
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return
            folder, status = dialog.folder.text().strip(), dialog.status_column()
        finally:
            dialog.deleteLater()
        self.action.setEnabled(False)
        try:
            summary = await import_calibre_off_loop(self.paths, folder, status)
        except BookOrbitError as error:
            show_error(self.window, error)
            return
        finally:
            self.action.setEnabled(True)
        self.done()
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "calibre library added",
            summary_text(summary),
            QMessageBox.StandardButton.Ok,
            self.window,
        )
        self.message = open_box(show_plain(box))  # it names calibre's files and titles
