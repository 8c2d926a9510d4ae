"""The book panel's "Reads" section: every read of the book (its start, its finish or "no date"
or "open", progress, where it came from: this library, a KOReader device, hardcover.app), with
Add Read…, Edit Read… and Delete. Each change is one step Undo takes back; the panel's reading
state, which is the latest read's, is read again after it (`saved`).

The list is read off the window's thread (`services.library.reads`); a book shown while an
older read is under way wins. Reads only on hardcover.app are listed; they are not edited
here, and Delete deletes one there at the next sync (shown by Sync Now's review first).
`attach_reads` mounts the section under the panel's reading box and follows the book it shows
and every reload of it (an undo, a push). The list shows a few reads and scrolls by itself, so
the section stays short in the panel, which scrolls as a whole; a read chosen brings the
section's buttons into sight.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QLabel, QTreeWidgetItem, QVBoxLayout, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library import reads as service
from bookorbit_desktop.services.library.reads import ABANDONED, ReadLine
from bookorbit_desktop.ui.asyncqt import run_dialog, show_error, spawn
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.panel_section import PanelSection
from bookorbit_desktop.ui.library.read_dialog import ReadDialog, Values
from bookorbit_desktop.ui.text import plain_tooltip
from bookorbit_desktop.ui.widgets import button_row, flat_list, push_button

HEADERS = ("Started", "Finished", "Progress", "From")
# The list is as tall as its reads up to this many; more scroll inside it, so its buttons stay
# right under it and the panel short enough for 1366x768.
READS_SHOWN = 5
BUTTONS_MARGIN = 12  # below the buttons when the panel scrolls them into sight: the box's edge
NONE_YET = "No reads yet."
ONLY_ON_HARDCOVER = (
    "A read on hardcover.app: Add Read… keeps it here too; Delete deletes it there at the next "
    "sync."
)


class ReadsBox(PanelSection):
    """Every read of one book; `loaded(book_id)` fires once the rows are shown, `saved(book_id)`
    once a read was added, changed or deleted."""

    saved = Signal(int)
    dialog_opened = Signal(object)  # Add Read / Edit Read, once it is on screen

    def __init__(
        self,
        *,
        lines_later: Callable[[int], Awaitable[list[ReadLine]]] = service.read_lines_later,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Reads", self._rows, parent)
        self._lines_later = lines_later
        self.lines: list[ReadLine] = []
        self.tree = flat_list(HEADERS)
        self.tree.setAccessibleName("Reads")
        # The panel is narrow: the dates stay whole, a long source is cut (whole in its tooltip).
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemSelectionChanged.connect(self._selection_changed)
        self.tree.itemDoubleClicked.connect(lambda *_: self.edit_clicked())
        self.empty_label = QLabel(NONE_YET)
        self.add_button = push_button("Add Read…", self.add_clicked, tip="Add a read of this book")
        self.edit_button = push_button("Edit Read…", self.edit_clicked, tip="Change this read")
        self.delete_button = push_button("Delete", self.delete_clicked, name="Delete read")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.empty_label)
        layout.addLayout(button_row(self.add_button, self.edit_button, self.delete_button))
        self._fill([])

    def follow(self, book_id: int) -> asyncio.Task[None] | None:
        """Read the shown book's reads again (it was reloaded: an undo, a push)."""
        return self.show_book(book_id) if book_id == self.book_id else None

    async def _rows(self, book_id: int) -> Callable[[], None]:
        lines = await self._lines_later(book_id)
        return lambda: self._fill(lines)

    def _fill(self, lines: list[ReadLine]) -> None:
        self.lines = lines
        self.tree.clear()
        for line in lines:
            finish = line.finish_text() + (" (abandoned)" if line.state == ABANDONED else "")
            source = line.source + (f" ({line.device})" if line.device else "")
            item = QTreeWidgetItem([line.started or "no date", finish, line.progress, source])
            item.setToolTip(3, plain_tooltip(source if line.editable else ONLY_ON_HARDCOVER))
            self.tree.addTopLevelItem(item)
        shown = min(len(lines), READS_SHOWN)
        rows = shown * self.tree.sizeHintForRow(0) if shown else 0
        self.tree.setFixedHeight(
            self.tree.header().sizeHint().height() + rows + 2 * self.tree.frameWidth()
        )
        self.tree.setVisible(bool(lines))
        self.empty_label.setVisible(not lines)
        self._selection_changed()

    def selected(self) -> ReadLine | None:
        item = self.tree.currentItem()
        index = -1 if item is None else self.tree.indexOfTopLevelItem(item)
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def _selection_changed(self) -> None:
        line = self.selected()
        editable = line is not None and line.editable
        self.edit_button.setEnabled(editable)
        self.delete_button.setEnabled(line is not None)  # one only on hardcover.app too

    # -- changes ------------------------------------------------------------------------------

    def add_clicked(self) -> asyncio.Task[None] | None:
        if self.book_id is None:
            return None
        book_id = self.book_id
        line = self.selected()  # a read only on hardcover.app is offered as the new one
        start: Values = {"state": service.DONE}
        taken = None
        if line is not None and not line.editable:
            start = {"started": line.started, "finished": line.finished, "state": line.state}
            taken = line.hardcover_read_id

        def save(values: Values) -> None:
            started, finished, state = values["started"], values["finished"], values["state"]
            service.add_read(book_id, started, finished, str(state), taken)

        return spawn(self._ask(book_id, "Add Read", start, save), self)

    def edit_clicked(self) -> asyncio.Task[None] | None:
        line = self.selected()
        if self.book_id is None or line is None or line.read_id is None:
            return None
        read_id = line.read_id
        start: Values = {"started": line.started, "finished": line.finished, "state": line.state}
        return spawn(
            self._ask(self.book_id, "Edit Read", start, lambda v: service.edit_read(read_id, **v)),
            self,
        )

    def delete_clicked(self) -> asyncio.Task[None] | None:
        line = self.selected()
        if self.book_id is None or line is None:
            return None
        try:
            if line.read_id is not None:
                service.delete_read(line.read_id)
            elif line.hardcover_read_id is not None:  # the sync deletes it on hardcover.app
                service.delete_hardcover_read(self.book_id, line.hardcover_read_id)
        except BookOrbitError as error:  # gone meanwhile: said, and the list read again
            show_error(self, error)
        return self._changed(self.book_id)

    async def _ask(
        self, book_id: int, title: str, values: Values, save: Callable[[Values], object]
    ) -> None:
        dialog = ReadDialog(title, values, save, self)
        try:
            accepted = await run_dialog(dialog, lambda: self.dialog_opened.emit(dialog))
        finally:
            dialog.deleteLater()
        if accepted:
            await self._changed(book_id)

    def _changed(self, book_id: int) -> asyncio.Task[None]:
        self.saved.emit(book_id)  # the panel reloads, and with it this list (`attach_reads`)
        if self._loading is None or self._loading.done():
            self._loading = spawn(self._load(book_id), self)
        return self._loading


def attach_reads(panel: BookPanel) -> ReadsBox:
    """Mount the section under `panel`'s reading box, following the book it shows; a change
    of a read reloads the panel and tells the window (`panel.saved`). A read chosen in the list
    scrolls the panel as far as needed to show the section's buttons."""
    box = ReadsBox()
    panel.add_section(box, panel.reading_box)
    panel.book_shown.connect(box.show_book)
    panel.reloading.connect(box.follow)
    box.saved.connect(panel.saved.emit)
    box.saved.connect(lambda _book_id: panel.reload())

    def show_buttons() -> None:
        if box.selected() is not None:  # a read chosen: Edit Read… and Delete in sight
            panel.details.ensureWidgetVisible(box.delete_button, 0, BUTTONS_MARGIN)

    box.tree.itemSelectionChanged.connect(show_buttons)
    box.show_book(panel.book_id)
    return box
