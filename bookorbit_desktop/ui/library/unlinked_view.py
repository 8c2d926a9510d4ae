"""KOReader documents that match no book, with "Link to Book…" to attach them by hand.

A device's copy of a book often differs byte-wise from the library's file (re-exported,
converted, sent through another tool), so its document id is unknown here. Its pushes are kept
anyway; linking it gives the chosen book that document's whole reading history.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.device_positions import (
    BY_FILENAME,
    Proposal,
    proposal_later,
    shown,
)
from bookorbit_desktop.services.library.position_history import percent
from bookorbit_desktop.services.library.records import BookRow
from bookorbit_desktop.services.library.unlinked import LinkOutcome, UnlinkedRow
from bookorbit_desktop.ui.asyncqt import run_dialog, show_error, spawn
from bookorbit_desktop.ui.library.book_chooser import BookChooser
from bookorbit_desktop.ui.text import counted, plain_tooltip
from bookorbit_desktop.ui.widgets import (
    OrEmpty,
    button_row,
    flat_list,
    push_button,
    wrapped_label,
)

EMPTY_TEXT = (
    "Every KOReader document is linked to a book.\n\n"
    "When a device syncs a file BookOrbit does not recognise, it appears here so you can "
    "link it to the right book."
)
HEADERS = ("Document", "Device", "Position", "Last sync", "Syncs")


class UnlinkedView(QWidget):
    """Lists unlinked documents; `linked(book_id)` fires after a successful link."""

    linked = Signal(int)
    message = Signal(str)
    chooser_opened = Signal(object)  # the "Link to Book" dialog, once it is on screen

    def __init__(
        self,
        load: Callable[[], list[UnlinkedRow]],
        link: Callable[[str, int], LinkOutcome],
        books: Callable[[], Sequence[BookRow]],
        parent: QWidget | None = None,
        *,
        propose: Callable[[str], Awaitable[Proposal | None]] = proposal_later,
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._link = link
        self._books = books
        self._propose = propose  # the book KOReader's metadata points at, read off the thread
        self._rows: list[UnlinkedRow] = []
        self._busy: asyncio.Task[None] | None = None
        self.chooser: BookChooser | None = None  # the open "Link to Book" dialog, if any

        intro = wrapped_label(
            "Documents KOReader synced that match no book in the library. Link each one to "
            "its book: its reading position and history move to that book."
        )
        self.tree = flat_list(HEADERS)
        self.tree.setAccessibleName("Unlinked documents")
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        # Double-click or Enter.
        self.tree.itemActivated.connect(lambda *_: self.link_selected())
        self._stack = OrEmpty(self.tree, EMPTY_TEXT)
        self.empty_label = self._stack.empty_label

        self.link_button = push_button("&Link to Book…", self.link_selected)
        self.refresh_button = push_button("&Refresh", self.refresh)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._stack, 1)
        layout.addLayout(button_row(self.refresh_button, self.link_button))
        self._update_buttons()

    @property
    def count(self) -> int:
        return len(self._rows)

    def refresh(self) -> None:
        try:
            self._rows = self._load()
        except BookOrbitError as error:
            show_error(self, error)
            return
        self.tree.clear()
        for row in self._rows:
            item = QTreeWidgetItem(
                [
                    _document_text(row),
                    row.device,
                    percent(row.percentage),
                    datetime.fromtimestamp(row.timestamp).strftime("%Y-%m-%d %H:%M"),
                    str(row.pushes),
                ]
            )
            item.setToolTip(0, plain_tooltip(f"KOReader document id: {row.document}"))
            item.setData(0, Qt.ItemDataRole.UserRole, row.document)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setTextAlignment(4, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.tree.addTopLevelItem(item)
        self._stack.show_empty(not self._rows)
        self._update_buttons()

    def selected_row(self) -> UnlinkedRow | None:
        items = self.tree.selectedItems()
        if not items:
            return None
        document = items[0].data(0, Qt.ItemDataRole.UserRole)
        return next((row for row in self._rows if row.document == document), None)

    def _update_buttons(self) -> None:
        self.link_button.setEnabled(self.selected_row() is not None and self._busy is None)

    def link_selected(self) -> asyncio.Task[None] | None:
        """Ask which book the selected document is, then link it."""
        row = self.selected_row()
        if row is None or self._busy is not None:
            return None
        self._busy = spawn(self._choose_and_link(row), self)
        self._update_buttons()
        return self._busy

    def make_chooser(self, row: UnlinkedRow, proposal: Proposal | None = None) -> BookChooser:
        """The Link dialog for `row`, with the proposed book (if any) selected."""
        books = list(self._books())
        if row.candidates:
            wanted = set(row.candidates)
            books = [book for book in books if book["id"] in wanted] or books
        listed = proposal is not None and any(book["id"] == proposal.book_id for book in books)
        prompt = f"Which book is “{shown(row.label)}” (synced from {shown(row.device)})?"
        if proposal is not None and listed:
            why = "the file name" if proposal.reason == BY_FILENAME else "the title and author"
            prompt += f" The selected book is proposed by {why} KOReader sent; check it first."
        chooser = BookChooser(
            books,
            title="Link to Book",
            prompt=prompt,
            accept_text="Link",
            initial_filter="" if row.candidates or listed else (row.title or ""),
            parent=self,
        )
        if proposal is not None and listed:
            chooser.select_book(proposal.book_id)
        return chooser

    async def _choose_and_link(self, row: UnlinkedRow) -> None:
        try:
            proposal = await self._propose(row.document) if row.pushes else None
            chooser = self.make_chooser(row, proposal)
            self.chooser = chooser
            accepted = await run_dialog(chooser, lambda: self.chooser_opened.emit(chooser))
            book_id = chooser.chosen_book_id
            title = chooser.title_of(book_id) if book_id is not None else ""
            chooser.deleteLater()
            self.chooser = None
            if not accepted or book_id is None:
                return
            try:
                outcome = self._link(row.document, book_id)
            except BookOrbitError as error:
                show_error(self, error)
                return
            moved = counted("%n sync(s) moved to it.", outcome.pushes_moved)
            self.message.emit(f"Linked “{row.label}” to “{title}”; {moved}")
            self.refresh()
            self.linked.emit(outcome.book_id)
        finally:
            self._busy = None
            self._update_buttons()


def _document_text(row: UnlinkedRow) -> str:
    parts = [row.label]
    if row.title and row.authors:
        parts[0] = f"{row.title} — {row.authors}"
    if row.candidates:
        parts.append(f"(matches {len(row.candidates)} books)")
    return "  ".join(parts)
