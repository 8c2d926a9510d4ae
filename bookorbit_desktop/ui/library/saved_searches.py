"""The sidebar's saved searches (`services.library.saved_searches`): a click on one runs it in the
library's filter box; the Save button beside the box saves the search typed there under a
name; Rename and Delete act on the one selected. A name or a search refused says why under
the list, and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QInputDialog, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.services.library import saved_searches
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.text import plain_tooltip
from bookorbit_desktop.ui.widgets import ERROR_COLOUR, button_row, message_label, push_button

# (title, label, text shown first) -> the name typed, None when cancelled.
AskName = Callable[[str, str, str], "str | None"]
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 1


class SavedSearchesSection(QWidget):
    """The saved searches, in the order saved; runs them in `view`'s filter box."""

    saved = Signal()  # a search was saved

    def __init__(self, view: LibraryView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = view
        self.ask_name: AskName = self._ask_name
        self.list = QListWidget()
        self.list.setAccessibleName("Saved searches")
        self.list.itemClicked.connect(self._run)
        self.list.itemActivated.connect(self._run)
        self.list.currentItemChanged.connect(lambda *_: self._enable())
        self.rename_button = push_button("Rename…", self.rename_selected)
        self.delete_button = push_button("Delete", self.delete_selected)
        self.message = message_label("savedSearchMessage")
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.message)
        layout.addLayout(button_row(self.rename_button, self.delete_button))
        view.save_search_button.clicked.connect(self.save_current)
        self.reload()

    def _ask_name(self, title: str, label: str, text: str) -> str | None:
        name, chosen = QInputDialog.getText(self, title, label, text=text)
        return name if chosen else None

    def reload(self, current: str | None = None) -> None:
        """Show the saved searches again, `current` (a name) selected."""
        self.list.clear()
        for saved in saved_searches.saved_searches():
            item = QListWidgetItem(saved.name)
            item.setToolTip(plain_tooltip(saved.search))
            item.setData(SEARCH_ROLE, saved.search)
            self.list.addItem(item)
            if saved.name == current:
                self.list.setCurrentItem(item)
        self._enable()

    def _enable(self) -> None:
        chosen = self.list.currentItem() is not None
        self.rename_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _run(self, item: QListWidgetItem) -> None:
        self.view.filter_edit.setText(item.data(SEARCH_ROLE))

    def _say(self, error: InvalidValueError | None) -> None:
        self.message.setVisible(error is not None)
        self.message.setText("" if error is None else str(error))

    def save_current(self) -> None:
        """Save the filter box's search under a name the user gives."""
        search = self.view.filter_edit.text()
        name = self.ask_name("Save Search", f"Name for “{search.strip()}”:", "")
        if name is None:
            return
        try:
            saved = saved_searches.save_search(name, search)
        except InvalidValueError as error:
            self._say(error)
            return
        self._say(None)
        self.reload(saved.name)
        self.saved.emit()

    def rename_selected(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        name = self.ask_name("Rename Saved Search", "New name:", item.text())
        if name is None:
            return
        try:
            renamed = saved_searches.rename_search(item.text(), name)
        except InvalidValueError as error:
            self._say(error)
            return
        self._say(None)
        self.reload(renamed.name)

    def delete_selected(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            saved_searches.delete_search(item.text())
            self._say(None)
            self.reload()
