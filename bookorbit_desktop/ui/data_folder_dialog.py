"""The window that says why the data folder cannot be used (a file in its place, no right to
write there, a drive that is gone) and lets the user choose another folder for this run, or
quit. Who starts the app from a menu sees no terminal: without it, the app would end silently.

The folder chosen is used for this run only; the next start uses `--data-dir` (or
`BOOKORBIT_DATA_DIR`) again, which the window says.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout, QWidget

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import button_row, choose_folder, push_button, wrapped_label

FOR_THIS_RUN = (
    "BookOrbit can keep its library, covers and logs in another folder for this run. To use "
    "it every time, start BookOrbit with --data-dir and that folder."
)


class DataFolderDialog(QDialog):
    """`reason` and a choice: another folder (checked by `use`, which gives its paths or
    raises BookOrbitError: the dialog then says why and stays open), or Quit."""

    def __init__(
        self, reason: str, use: Callable[[str], Paths], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Data Folder Unusable")
        self.setObjectName("data-folder-unusable")
        self._use = use
        self.paths: Paths | None = None  # the folder chosen, once it could be used
        self.reason_label = show_plain(wrapped_label(reason))
        self.reason_label.setObjectName("reason")
        self.choose_button = push_button("&Choose Another Folder…", self.choose)
        self.quit_button = push_button("&Quit", self.reject)
        self.choose_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.reason_label)
        layout.addWidget(QLabel(FOR_THIS_RUN, wordWrap=True))
        layout.addLayout(button_row(self.quit_button, self.choose_button))
        self.setMinimumWidth(480)

    def choose(self) -> None:
        choose_folder(self, "Choose a Data Folder", self.use_folder)

    def use_folder(self, folder: str) -> None:
        """Use `folder` if it can be; else say why and wait for another choice."""
        try:
            self.paths = self._use(folder)
        except BookOrbitError as error:
            self.reason_label.setText(error.message)
            return
        self.accept()


def ask_for_data_folder(reason: str, use: Callable[[str], Paths]) -> Paths | None:
    """Show `reason` and wait; the paths of the folder chosen, None when the user quits."""
    app = QApplication.instance() or QApplication(["bookorbit-desktop"])
    assert isinstance(app, QApplication)
    dialog = DataFolderDialog(reason, use)
    dialog.exec()
    return dialog.paths
