"""Settings ▸ Library: the watched folders, added and removed at once.

Books of a removed folder stay in the library; only the watching stops.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.ui.text import show_plain
from bookorbit_desktop.ui.widgets import (
    choose_folder,
    push_button,
    wrapped_label,
)


@dataclass
class FolderAccess:
    """The watched-folder functions (services.library.watched_folders in the app and the tests)."""

    list: Callable[[], Sequence[str]]
    add: Callable[[str], Sequence[str]]
    remove: Callable[[str], Sequence[str]]


class WatchedFoldersBox(QGroupBox):
    changed = Signal()  # the list changed: watch and import the new one

    def __init__(self, access: FolderAccess, parent: QWidget | None = None) -> None:
        super().__init__("Watched folders", parent)
        self._access = access
        layout = QVBoxLayout(self)
        hint = wrapped_label(
            "Books added, changed, moved or removed in these folders are picked up while "
            "BookOrbit runs. Adding or removing a folder takes effect at once; removing one "
            "keeps its books in the library."
        )
        layout.addWidget(hint)
        self.folder_list = QListWidget()
        self.folder_list.setObjectName("watchedFolders")
        self.folder_list.setAccessibleName("Watched folders")
        layout.addWidget(self.folder_list)
        buttons = QHBoxLayout()
        add = push_button(
            "&Add Folder…", lambda: choose_folder(self, "Watch a Books Folder", self.add_folder)
        )
        self.remove_button = push_button("&Remove", self.remove_selected)
        buttons.addWidget(add)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.error_label = show_plain(wrapped_label())
        layout.addWidget(self.error_label)
        self.folder_list.itemSelectionChanged.connect(self._selection_changed)
        self._show(access.list())

    def _show(self, folders: Sequence[str]) -> None:
        self.folder_list.clear()
        self.folder_list.addItems(folders)
        self._selection_changed()

    def _selection_changed(self) -> None:
        self.remove_button.setEnabled(bool(self.folder_list.selectedItems()))

    def add_folder(self, folder: str) -> None:
        try:
            folders = self._access.add(folder)
        except BookOrbitError as error:
            self.error_label.setText(error.message)
            return
        self.error_label.clear()
        self._show(folders)
        self.changed.emit()

    def remove_selected(self) -> None:
        items = self.folder_list.selectedItems()
        if items:
            self._show(self._access.remove(items[0].text()))
            self.changed.emit()
