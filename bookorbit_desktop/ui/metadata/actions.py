"""The "Fetch Metadata…" action: in the library's context menus (table and cover grid), the
book panel's context menu (`add_to_panel`) and on Ctrl+Shift+M anywhere in the window. One
selected book opens the one-book dialog (`fetch_dialog`); several open the batch
(`batch_dialog`), and the action then reads "Fetch Metadata for N Books…". "Failed Metadata
Fetches…", beside it in the table's and the grid's context menus, opens the batch dialog on
the fetches that failed in earlier runs, with their reasons and Retry Failed.
`on_saved(book_id)` refreshes a book after an apply.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from bookorbit_desktop.services.metadata.service import MetadataService
from bookorbit_desktop.ui.actions import in_context_menus, menu_action
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.metadata.batch_dialog import BatchDialog
from bookorbit_desktop.ui.metadata.fetch_dialog import FetchDialog

FETCH_SHORTCUT = "Ctrl+Shift+M"  # Ctrl+Shift+D is Send to Device
ONE = "Fetch &Metadata…"
FAILED = "Failed Metadata Fetc&hes…"


def action_text(count: int) -> str:
    return ONE if count <= 1 else f"Fetch &Metadata for {count:,} Books…"


class MetadataActions(QObject):
    def __init__(
        self,
        service: MetadataService,
        window: QMainWindow,
        library: LibraryView,
        on_saved: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.service, self.window, self.library, self.on_saved = service, window, library, on_saved
        self.dialog: FetchDialog | None = None
        self.batch: BatchDialog | None = None
        self.fetch_action = menu_action(
            window,
            ONE,
            self.fetch_selected,
            shortcut=QKeySequence(FETCH_SHORTCUT),
            tip=(
                "Compare the selected books' metadata with Hardcover, Open Library and Google "
                "Books and take the values you choose"
            ),
        )
        window.addAction(self.fetch_action)  # the shortcut works wherever the focus is
        # The count in the action's text follows the selection, once per burst of changes.
        self._count_timer = QTimer(self, singleShot=True, interval=0)
        self._count_timer.timeout.connect(self._show_count)
        library.table.selectionModel().selectionChanged.connect(self._count_timer.start)
        self.failed_action = menu_action(
            window,
            FAILED,
            self.show_failed,
            tip="List the metadata fetches that failed, with their reasons, and retry them",
        )
        for view in (library.table, library.grid):
            view.addAction(self.fetch_action)
            view.addAction(self.failed_action)

    def add_to_panel(self, panel: QWidget, book_id: Callable[[], int | None]) -> QAction:
        """A "Fetch Metadata…" entry in `panel`'s context menu for the book it shows."""
        action = menu_action(panel, ONE, lambda: self.fetch_books([b] if (b := book_id()) else []))
        in_context_menus((panel,), action)
        return action

    def _show_count(self) -> None:
        if self.library.grid_shown:
            self.fetch_action.setText(ONE)
            return
        ranges = self.library.table.selectionModel().selection()
        rows = sum(ranges.at(i).height() for i in range(ranges.count()))
        self.fetch_action.setText(action_text(rows))

    def fetch_selected(self) -> QWidget | None:
        book_ids = self.library.selected_book_ids()
        if not book_ids:
            self.window.statusBar().showMessage("Select the books to fetch metadata for.", 6000)
            return None
        return self.fetch_books(book_ids)

    def fetch_books(self, book_ids: Sequence[int]) -> QWidget | None:
        """The one-book dialog for one book, the batch for several (both already fetching)."""
        if not book_ids:
            return None
        if len(book_ids) == 1:
            self.dialog = FetchDialog(self.service, book_ids[0], self.window)
            self.dialog.saved.connect(lambda saved, _text: self._saved(saved))
            self.dialog.open()
            self.dialog.fetch()
            return self.dialog
        self.batch = BatchDialog(self.service, book_ids, self.window)
        self.batch.saved.connect(lambda saved, _text: self._saved(saved))
        self.batch.open()
        self.batch.start()
        return self.batch

    def show_failed(self) -> BatchDialog:
        """The batch dialog on the fetches that failed in earlier runs (the window's or the
        command line's): each with its reason, Retry Failed, and the review of what came."""
        self.batch = BatchDialog(self.service, (), self.window)
        self.batch.saved.connect(lambda saved, _text: self._saved(saved))
        self.batch.open()
        self.batch.show_failed()
        return self.batch

    def _saved(self, book_id: int) -> None:
        if self.on_saved is not None:
            self.on_saved(book_id)
