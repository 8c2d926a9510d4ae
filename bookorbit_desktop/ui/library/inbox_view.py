"""The Inbox page: newly imported books waiting for approval, with Approve, Approve All and
Remove, and Edit… and Fetch Metadata… to correct a held book before approving it (asked of
the window's book actions through `edit_requested` / `fetch_requested`: a held book is not in
the library table, where those actions otherwise take their books from). Shown as a tab
beside the library while the Inbox is on or holds books.

The books are read and changed off the window's thread (`services.library.inbox.later`); after a
change the page reports the new count (`counted`), which the tab title and the tray tooltip
show, and the ids that joined the library (`approved`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QMessageBox,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library import inbox as inbox_service
from bookorbit_desktop.services.library.inbox import InboxBook
from bookorbit_desktop.ui.asyncqt import run_dialog, show_error, spawn
from bookorbit_desktop.ui.questions import yes_or_cancel
from bookorbit_desktop.ui.text import counted, plain_tooltip
from bookorbit_desktop.ui.widgets import (
    OrEmpty,
    button_row,
    flat_list,
    push_button,
    wrapped_label,
)

if TYPE_CHECKING:
    from bookorbit_desktop.ui.page_host import PageHost

TITLE = "In&box"
HEADERS = ("Title", "Authors", "Series", "File")
EMPTY_TEXT = (
    "No book is waiting.\n\n"
    "With the Inbox on (Settings ▸ Library), newly imported books wait here until you approve "
    "them; only then do they join the library, the catalog and Hardcover sync."
)


def tab_title(count: int) -> str:
    return f"{TITLE} ({count:,})" if count else TITLE


class InboxView(QWidget):
    """Lists the Inbox; `counted(n)` after every read, `approved(ids)` after an approval."""

    counted = Signal(int)
    approved = Signal(list)
    message = Signal(str)
    edit_requested = Signal(list)  # the selected held books' ids: open the Edit dialog
    fetch_requested = Signal(list)  # ... fetch their metadata

    def __init__(self, paths: Paths, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paths = paths
        self._books: list[InboxBook] = []
        self._busy: asyncio.Task[None] | None = None
        intro = wrapped_label(
            "Newly imported books wait here for your approval. Check their metadata (Edit… "
            "or Fetch Metadata…), then approve them to add them to the library and the "
            "catalog."
        )
        self.tree = flat_list(HEADERS)
        self.tree.setAccessibleName("Books in the Inbox")
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.itemSelectionChanged.connect(self._update_buttons)
        self.tree.itemActivated.connect(lambda *_: self.approve_selected())  # Enter
        self._stack = OrEmpty(self.tree, EMPTY_TEXT)
        self.empty_label = self._stack.empty_label
        self.approve_button = push_button("&Approve", self.approve_selected)
        self.approve_all_button = push_button("Approve A&ll", self.approve_all)
        self.remove_button = push_button(
            "&Remove…", self.remove_selected, tip="Remove the selected books (files stay on disk)"
        )
        self.refresh_button = push_button("Re&fresh", self.refresh)
        self.edit_button = push_button(
            "E&dit…", self.edit_selected, tip="Correct the selected books' metadata"
        )
        self.fetch_button = push_button(
            "Fetch &Metadata…",
            self.fetch_selected,
            tip="Compare the selected books with Hardcover, Open Library and Google Books",
        )
        remove_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.tree)
        remove_key.activated.connect(self.remove_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self._stack, 1)
        layout.addLayout(
            button_row(
                self.refresh_button,
                self.edit_button,
                self.fetch_button,
                self.remove_button,
                self.approve_all_button,
                self.approve_button,
            )
        )
        self._show([])

    @property
    def count(self) -> int:
        return len(self._books)

    def refresh(self) -> asyncio.Task[None] | None:
        """Read the Inbox again (off the window's thread); nothing before the app's event
        loop runs (the window is built before it starts)."""
        try:
            running = asyncio.get_event_loop().is_running()
        except RuntimeError:
            running = False
        return spawn(self._change(lambda: None, approved=True), self) if running else None

    def selected_ids(self) -> list[int]:
        return [int(item.data(0, Qt.ItemDataRole.UserRole)) for item in self.tree.selectedItems()]

    def edit_selected(self) -> list[int]:
        """Ask for the Edit dialog of the selected books (still held); their ids."""
        ids = self.selected_ids()
        if ids:
            self.edit_requested.emit(ids)
        return ids

    def fetch_selected(self) -> list[int]:
        ids = self.selected_ids()
        if ids:
            self.fetch_requested.emit(ids)
        return ids

    def approve_selected(self) -> asyncio.Task[None] | None:
        ids = self.selected_ids()
        if not ids or self._busy is not None:
            return None
        return self._start(lambda: inbox_service.approve(ids))

    def approve_all(self) -> asyncio.Task[None] | None:
        if not self._books or self._busy is not None:
            return None
        return self._start(inbox_service.approve_all)

    def remove_selected(self) -> asyncio.Task[None] | None:
        ids = self.selected_ids()
        if not ids or self._busy is not None:
            return None
        self._busy = spawn(self._confirm_and_remove(ids), self)
        self._update_buttons()
        return self._busy

    def make_remove_box(self, ids: Sequence[int]) -> QMessageBox:
        books = counted("%n book(s)", len(ids))
        return yes_or_cancel(
            self,
            "Remove from the Inbox",
            f"Remove {books} from the library? The files stay on disk; importing their "
            "folder again leaves them out.",
        )

    async def _confirm_and_remove(self, ids: list[int]) -> None:
        try:
            box = self.make_remove_box(ids)
            answer = await run_dialog(box)
            box.deleteLater()
            if answer == QMessageBox.StandardButton.Yes:
                await self._change(lambda: inbox_service.remove(ids, self._paths), approved=False)
        finally:
            self._busy = None
            self._update_buttons()

    def _start(self, change: Callable[[], list[int]]) -> asyncio.Task[None]:
        self._busy = spawn(self._run(change), self)
        self._update_buttons()
        return self._busy

    async def _run(self, change: Callable[[], Any]) -> None:
        try:
            await self._change(change, approved=True)
        finally:
            self._busy = None
            self._update_buttons()

    async def _change(self, change: Callable[[], Any], *, approved: bool) -> None:
        def work() -> tuple[Any, list[InboxBook]]:
            return change(), inbox_service.waiting()

        try:
            done, books = await inbox_service.later(work)
        except BookOrbitError as error:
            show_error(self, error)
            return
        self._show(books)
        if isinstance(done, list) and done:
            if approved:
                self.message.emit(f"Approved {counted('%n book(s)', len(done))}.")
                self.approved.emit(done)
            else:
                self.message.emit(f"Removed {counted('%n book(s)', len(done))}.")

    def _show(self, books: list[InboxBook]) -> None:
        self._books = books
        self.tree.clear()
        for book in books:
            number = f" {book.series_index:g}" if book.series_index is not None else ""
            item = QTreeWidgetItem(
                [
                    book.title,
                    ", ".join(book.authors),
                    f"{book.series}{number}" if book.series else "",
                    book.files[0] if book.files else "",
                ]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, book.id)
            item.setToolTip(3, plain_tooltip("\n".join(book.files)))
            self.tree.addTopLevelItem(item)
        self._stack.show_empty(not books)
        self._update_buttons()
        self.counted.emit(len(books))

    def _update_buttons(self) -> None:
        idle = self._busy is None
        selected = bool(self.tree.selectedItems())
        self.approve_button.setEnabled(idle and selected)
        self.remove_button.setEnabled(idle and selected)
        self.edit_button.setEnabled(idle and selected)
        self.fetch_button.setEnabled(idle and selected)
        self.approve_all_button.setEnabled(idle and bool(self._books))


def add_inbox_page(host: PageHost) -> InboxView:
    """The Inbox tab in the window, its count in the tab title and the tray tooltip, and the
    library table told of the books approved."""
    window = host.window
    view = InboxView(host.library.paths, window)
    index = window.add_page(view, TITLE)

    def show_count(count: int) -> None:
        window.tabs.setTabText(index, tab_title(count))
        host.hub.update(inbox=count)

    view.counted.connect(show_count)
    view.approved.connect(lambda _ids: host.follow_changes())
    view.message.connect(lambda text: window.statusBar().showMessage(text, 8000))
    host.background.reloaded.connect(view.refresh)
    host.importer.finished.connect(lambda _report: view.refresh())  # new books may wait
    if host.watcher is not None:
        host.watcher.refreshed.connect(lambda _result: view.refresh())
    window.tabs.currentChanged.connect(lambda shown: view.refresh() if shown == index else None)
    QTimer.singleShot(0, view.refresh)  # the first read, once the event loop runs
    return view
