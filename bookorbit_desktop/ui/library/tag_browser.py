"""The tag browser beside the library table: every tag with how many books carry it. The tag
marked in the list is always the one whose books the table shows: choosing one with a click, the
arrow keys or a right-click shows only its books ("All Books" shows every book again). The
context menu renames a
tag (to the name of another tag: the two merge, after asking) or deletes it (after asking).
Each change is one undoable step (`services.library.tags`); `changed` tells the window that books
changed. The browser shows once the library has a tag, and follows the table's changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.tags import TagService, check_tag
from bookorbit_desktop.ui.asyncqt import open_box, show_error
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.text import plain_tooltip

ALL_BOOKS = "All Books"
WIDTH = 140  # narrow: at 1366x768 the table beside it keeps every column in sight
UNDO_NOTE = "Edit ▸ Undo takes it back."


def _books(count: int) -> str:
    return "1 book" if count == 1 else f"{count:,} books"


class TagBrowser(QWidget):
    tag_chosen = Signal(object)  # the tag whose books are shown, or None for every book
    changed = Signal()  # a rename, merge or delete changed books

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service: TagService | None = None
        self._chosen: str | None = None
        self.dialog: QInputDialog | QMessageBox | None = None  # the last one opened
        self.heading = QLabel("Tags")
        self.heading.setObjectName("tagBrowserHeading")
        self.list = QListWidget()
        self.list.setAccessibleName("Tags")
        self.list.setAccessibleDescription("Choose a tag to show only its books")
        self.list.currentItemChanged.connect(self._marked)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._popup)
        self.heading.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        self.setFixedWidth(WIDTH)
        # Read again once per burst of changes to the table.
        self._timer = QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self.refresh)
        self.hide()

    def set_service(self, service: TagService) -> None:
        self._service = service
        self.refresh()

    def follow(self) -> None:
        """The table changed: read the counts again (once for a burst of changes)."""
        if self._service is not None:
            self._timer.start()

    @property
    def chosen(self) -> str | None:
        return self._chosen

    def refresh(self) -> None:
        """The tags and their counts as the library has them now; a chosen tag that is gone
        shows every book again."""
        if self._service is None:
            return
        counts = self._service.counts()
        names = {tag.name.casefold(): tag.name for tag in counts}
        chosen = self._chosen and names.get(self._chosen.casefold())
        self.list.blockSignals(True)  # rebuilding the rows chooses nothing on its own
        self.list.clear()
        every = QListWidgetItem(ALL_BOOKS)
        every.setData(Qt.ItemDataRole.UserRole, None)
        self.list.addItem(every)
        for tag in counts:
            item = QListWidgetItem(f"{tag.name} ({tag.books:,})")
            item.setData(Qt.ItemDataRole.UserRole, tag.name)
            item.setToolTip(plain_tooltip(f"{tag.name}: {_books(tag.books)}"))
            self.list.addItem(item)
            if tag.name == chosen:
                self.list.setCurrentItem(item)
        if not chosen:
            self.list.setCurrentItem(every)
        self.list.blockSignals(False)
        self.setVisible(bool(counts) or self._chosen is not None)
        self._choose(chosen or None)

    def choose(self, name: str | None) -> None:
        """Show only the books of the tag `name` (None: every book)."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.list.setCurrentItem(item)
        self._choose(name)

    def _choose(self, name: str | None) -> None:
        if name != self._chosen:
            self._chosen = name
            self.tag_chosen.emit(name)

    def _marked(self, item: QListWidgetItem | None, _previous: QListWidgetItem | None) -> None:
        if item is not None:
            self._choose(item.data(Qt.ItemDataRole.UserRole))

    def menu_for(self, name: str) -> QMenu:
        menu = QMenu(self)
        menu.addAction("&Rename…", lambda: self.rename_tag(name))
        menu.addAction("&Delete…", lambda: self.delete_tag(name))
        return menu

    def _popup(self, position: QPoint) -> None:
        item = self.list.itemAt(position)
        name = None if item is None else item.data(Qt.ItemDataRole.UserRole)
        if name is not None:
            self.menu_for(name).popup(self.list.viewport().mapToGlobal(position))

    def rename_tag(self, name: str) -> QInputDialog:
        """Ask for the tag's new name; the name of another tag merges the two (asked first)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Rename Tag")
        dialog.setLabelText(f"New name for “{name}” (the name of another tag merges them):")
        dialog.setTextValue(name)
        dialog.textValueSelected.connect(lambda new: self._rename(name, new))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _rename(self, old: str, new: str) -> None:
        assert self._service is not None
        service = self._service
        try:
            into = service.merges_into(old, new)
        except BookOrbitError as error:
            show_error(self, error)
            return
        if into is None:
            self._apply(lambda: service.rename(old, new), old, check_tag(new))
            return
        books = _books(service.books_of(old))
        self._ask(
            f"Merge “{old}” into “{into}”?",
            f"The {books} tagged “{old}” get “{into}” instead, and “{old}” goes. {UNDO_NOTE}",
            "&Merge",
            lambda: self._apply(lambda: service.rename(old, into), old, into),
        )

    def delete_tag(self, name: str) -> QMessageBox:
        """Ask, then take the tag away from every book (the books stay)."""
        assert self._service is not None
        service = self._service
        books = _books(service.books_of(name))
        return self._ask(
            f"Delete the tag “{name}”?",
            f"It is taken away from {books}; the books stay in the library. {UNDO_NOTE}",
            "&Delete",
            lambda: self._apply(lambda: service.delete(name), name, None),
        )

    def _ask(self, question: str, text: str, verb: str, then: Callable[[], None]) -> QMessageBox:
        box, button = action_or_cancel(self, "Tags", question, verb)
        box.setInformativeText(text)
        box.buttonClicked.connect(lambda clicked: then() if clicked is button else None)
        self.dialog = box
        return open_box(box)

    def _apply(self, change: Callable[[], int], old: str, new: str | None) -> None:
        """Run a change; the tag shown follows its new name (a deleted one: every book)."""
        try:
            change()
        except BookOrbitError as error:
            show_error(self, error)
            return
        if self._chosen is not None and self._chosen.casefold() == old.casefold():
            self._chosen = new
            self.tag_chosen.emit(new)
        self.refresh()
        self.changed.emit()
