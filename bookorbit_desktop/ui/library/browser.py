"""The library browser in the sidebar: every category (authors, series, publishers, languages,
formats, ratings, tags as the tree of their dotted names, then the custom columns of the kinds
it lists: `library.categories.custom`) with how many books each value has. The custom columns'
categories come and go with the columns: each read of the counts reads which there are.

The row marked is always the one whose books the table shows: choosing a value with a click,
the arrow keys or a right-click shows only its books, together with the filter box's search
(the value's search in the same language, `chosen` to the table's model, and the two both
apply); "All Books" or a category's own row shows every book again. The context menu renames
an author, a series, a publisher, a tag or a custom column's text, list or tag-like value (to a
name another one has: the two merge, after asking) or deletes a tag (after asking); each change
is one undoable step
(`services.library.categories`), and `changed` tells the window that books changed.

Only the categories open are read (the tags at first), and the
chosen value's: opening one reads it. They are read in a worker thread (at once when no loop
runs), again once for a burst of changes to the table; a category open stays open, and the
value chosen stays chosen while the library has it (when it goes, every book shows again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.categories import NOUNS, Browsed, CategoryService
from bookorbit_desktop.ui.asyncqt import open_box, show_error, spawn
from bookorbit_desktop.ui.library.browser_model import BrowserModel, Choice, books
from bookorbit_desktop.ui.questions import action_or_cancel
from bookorbit_desktop.ui.text import show_plain

UNDO_NOTE = "Edit ▸ Undo takes it back."


class LibraryBrowser(QWidget):
    chosen_changed = Signal(object)  # the search of the value whose books are shown, or None
    changed = Signal()  # a rename, merge or delete changed books
    counted = Signal()  # the counts shown are the library's as it is now

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._service: CategoryService | None = None
        self._chosen: Choice | None = None
        self._open = {"tags"}  # the categories open (by kind), and values ("tags:" and path)
        self._reading: asyncio.Task[None] | None = None
        self._again = False
        self.dialog: QInputDialog | QMessageBox | None = None  # the last one opened
        self.model = BrowserModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)  # 50,000 authors scroll without measuring each
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName("Library browser")
        self.tree.setAccessibleDescription("Choose an author, series, tag… to show only its books")
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.selectionModel().currentChanged.connect(self._marked)
        self.tree.expanded.connect(self._opened)
        self.tree.collapsed.connect(lambda index: self._open.discard(self._key(index)))
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._popup)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree)
        self._timer = QTimer(self, singleShot=True, interval=0)  # once per burst of changes
        self._timer.timeout.connect(self.refresh)

    def set_service(self, service: CategoryService) -> None:
        self._service = service
        self.refresh()

    def follow(self) -> None:
        """The table changed: read the counts again (once for a burst of changes)."""
        if self._service is not None:
            self._timer.start()

    def _opened(self, index: QModelIndex) -> None:
        """A row was opened: a category not read yet is read now."""
        self._open.add(self._key(index))
        kind = self.model.kind_at(index)
        if kind is not None and self.model.category_at(index) is None:
            self.refresh()

    def _wanted(self) -> set[str]:
        """The categories to read: those open, and the chosen value's."""
        chosen = {self._chosen.kind} if self._chosen is not None else set()
        return self._open | chosen

    @property
    def chosen(self) -> Choice | None:
        return self._chosen

    @property
    def has_tags(self) -> bool:
        """The library has a tag (as last read)."""
        return any(c.tree for c in self.model.categories if c.kind == "tags")

    @property
    def reading(self) -> asyncio.Task[None] | None:
        """The read of the counts under way or last run (tests wait on it)."""
        return self._reading

    def refresh(self) -> None:
        """Read the counts again: in a worker thread when the window's loop runs."""
        service = self._service
        if service is None:
            return
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            self._show(service.browse(self._wanted()))
            return
        if self._reading is not None and not self._reading.done():
            self._again = True
            return
        self._reading = spawn(self._read(service), self)

    async def _read(self, service: CategoryService) -> None:
        while True:
            self._again = False
            found = await service.browse_later(self._wanted())
            if not self._again:
                self._show(found)
                return

    def _key(self, index: QModelIndex) -> str:
        kind = self.model.kind_at(index)
        if kind is not None:
            return kind
        choice = self.model.choice_at(index)
        return "" if choice is None else f"{choice.kind}:{choice.key.casefold()}"

    def _show(self, browsed: Browsed) -> None:
        """The counts read, the open rows open again and the chosen value marked; a chosen
        value the library no longer has (its column deleted too) shows every book."""
        if browsed == self.model.browsed():  # (a filter's reset of the table, say)
            self.counted.emit()
            return
        tree = self.tree
        scrolled = tree.verticalScrollBar().value()
        tree.selectionModel().blockSignals(True)  # showing them chooses nothing on its own
        self.model.show(browsed)
        opened, self._open = self._open, set()
        self._reopen(QModelIndex(), opened)
        self._open |= opened & set(self.model.kinds)  # open still, nothing in it to show yet
        chosen = self._chosen
        found = QModelIndex() if chosen is None else self.model.find(chosen.kind, chosen.key)
        tree.setCurrentIndex(found if found.isValid() else self.model.index(0, 0))
        tree.selectionModel().blockSignals(False)
        tree.verticalScrollBar().setValue(scrolled)
        self._choose(self.model.choice_at(found) if found.isValid() else None)
        self.counted.emit()

    def _reopen(self, parent: QModelIndex, opened: set[str]) -> None:
        """Open again the rows under `parent` that were open (by key)."""
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            key = self._key(index)
            if key in opened:
                self.tree.expand(index)
                self._reopen(index, opened)

    def choose(self, kind: str, key: str) -> bool:
        """Show only the books of a category's value (False: the browser shows no such)."""
        index = self.model.find(kind, key)
        if index.isValid():
            self.tree.setCurrentIndex(index)  # chooses it (`_marked`)
        return index.isValid()

    def open_category(self, kind: str) -> None:
        """Open a category's row (which reads it)."""
        for row in range(1, self.model.rowCount()):
            index = self.model.index(row, 0)
            if self.model.kind_at(index) == kind:
                self.tree.expand(index)

    def choose_all(self) -> None:
        self.tree.setCurrentIndex(self.model.index(0, 0))

    def _choose(self, choice: Choice | None) -> None:
        was = self._chosen
        self._chosen = choice
        if (was and was.search) != (choice and choice.search):
            self.chosen_changed.emit(None if choice is None else choice.search)

    def _marked(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._choose(self.model.choice_at(current))

    # -- renames ----------------------------------------------------------------------------

    def menu_for(self, choice: Choice) -> QMenu | None:
        """The value's context menu (None: nothing to do with it)."""
        name = choice.name
        if name is None:
            return None
        menu = QMenu(self)
        menu.addAction("&Rename…", lambda: self.rename(choice.kind, name, choice.below))
        if choice.kind == "tags":
            menu.addAction("&Delete…", lambda: self.delete_tag(name, choice.below))
        return menu

    def _popup(self, position: QPoint) -> None:
        index = self.tree.indexAt(position)
        choice = self.model.choice_at(index)
        if choice is None:
            return
        self.tree.setCurrentIndex(index.siblingAtColumn(0))
        menu = self.menu_for(choice)
        if menu is not None:
            menu.popup(self.tree.viewport().mapToGlobal(position))

    def rename(self, kind: str, name: str, below: int = 0) -> QInputDialog:
        """Ask for the value's new name; the name of another one merges the two (asked
        first). A tag with tags below it is renamed alone, and the question says so."""
        assert self._service is not None
        noun = self._service.noun(kind)
        built_in = kind in NOUNS
        other = f"another {noun.lower()}" if built_in else f"another value of {noun}"
        dialog = QInputDialog(self)
        dialog.setWindowTitle(f"Rename {noun}" if built_in else f"Rename a Value of {noun}")
        dialog.setLabelText(
            f"New name for “{name}” (the name of {other} merges them):"
            + _alone(name, below, "tag" if kind == "tags" else "value")
        )
        for label in dialog.findChildren(QLabel):  # a name from a book's file: never markup
            show_plain(label)
        dialog.setTextValue(name)
        dialog.textValueSelected.connect(lambda new: self._rename(kind, name, new))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _rename(self, kind: str, old: str, new: str) -> None:
        assert self._service is not None
        service = self._service
        try:
            into = service.merges_into(kind, old, new)
            target = into or service.checked(kind, new)
        except BookOrbitError as error:
            show_error(self, error)
            return
        if into is None:
            self._apply(lambda: service.rename(kind, old, new), kind, old, target)
            return
        noun = service.noun(kind)
        whose = f"of the {noun.lower()}" if kind in NOUNS else f"with the {noun}"
        count = service.books_of(kind, old)
        held = (
            f"The book {whose} “{old}” gets"
            if count == 1
            else f"The {books(count)} {whose} “{old}” get"
        )
        self._ask(
            f"Merge “{old}” into “{into}”?",
            f"{held} “{into}” instead, and “{old}” goes. " + UNDO_NOTE,
            "&Merge",
            lambda: self._apply(lambda: service.rename(kind, old, into), kind, old, into),
        )

    def delete_tag(self, name: str, below: int = 0) -> QMessageBox:
        """Ask, then take the tag away from every book (the books stay)."""
        assert self._service is not None
        service = self._service
        count = books(service.books_of("tags", name))
        return self._ask(
            f"Delete the tag “{name}”?",
            f"It is taken away from every book that carries it ({count}); the books stay in the "
            "library."
            f"{_alone(name, below, 'tag')} {UNDO_NOTE}",
            "&Delete",
            lambda: self._apply(lambda: service.delete_tag(name), "tags", name, None),
        )

    def _ask(self, question: str, text: str, verb: str, then: Callable[[], None]) -> QMessageBox:
        box, button = action_or_cancel(self, "Library", question, verb)
        box.setInformativeText(text)
        box.buttonClicked.connect(lambda clicked: then() if clicked is button else None)
        self.dialog = box
        return open_box(box)

    def _apply(self, change: Callable[[], int], kind: str, old: str, new: str | None) -> None:
        """Run a change; the value chosen follows its new name (a deleted one: every book)."""
        try:
            change()
        except BookOrbitError as error:
            show_error(self, error)
            return
        chosen = self._chosen
        if chosen is not None and chosen.kind == kind and chosen.key.casefold() == old.casefold():
            self._follow(kind, new)
        self.refresh()
        self.changed.emit()

    def _follow(self, kind: str, new: str | None) -> None:
        """The chosen value is now `new` (None: gone): the table shows its books already."""
        search = None if new is None else self.model.search_of(kind, new)
        if new is None or search is None:
            self._choose(None)
            return
        self._chosen = Choice(kind, new, search, new, 0)
        self.chosen_changed.emit(search)


def _alone(name: str, below: int, noun: str) -> str:
    """What a change of a tag (or a tag-like column's value, `noun`) leaves alone: those below
    it, named by their own paths."""
    if not below:
        return ""
    tags = f"the {noun}" if below == 1 else f"the {below} {noun}s"
    return f"\n\nOnly “{name}” itself changes: {tags} below it (“{name}.…”) keep their names."
