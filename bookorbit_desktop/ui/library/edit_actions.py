"""The library's "Edit Metadata…" action: in the context menu of the table and the cover grid,
and on Ctrl+E anywhere in the window, for the selected books.

The dialog saves through `services.book_edits` (the library's one edit operation); `on_saved`
(book id) then refreshes that book in the table and the book panel, as after a reading edit.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

from bookorbit_desktop.services.book_edits import BookEditService
from bookorbit_desktop.ui.library.edit_dialog import EditDialog
from bookorbit_desktop.ui.library.view import LibraryView

EDIT_SHORTCUT = "Ctrl+E"


class BookActions(QObject):
    def __init__(
        self,
        service: BookEditService,
        window: QMainWindow,
        library: LibraryView,
        on_saved: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.on_saved = on_saved
        self.service, self.window, self.library = service, window, library
        self.dialog: EditDialog | None = None
        self.edit_action = QAction("&Edit Metadata…", window)
        self.edit_action.setShortcut(QKeySequence(EDIT_SHORTCUT))
        self.edit_action.setStatusTip(
            "Correct the selected books' title, authors, series, language, ISBN, description "
            "or cover"
        )
        self.edit_action.triggered.connect(self.edit_selected)
        window.addAction(self.edit_action)  # the shortcut works wherever the focus is
        for view in (library.table, library.grid):  # their context menus
            if view.contextMenuPolicy() == Qt.ContextMenuPolicy.DefaultContextMenu:
                view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            view.addAction(self.edit_action)

    def edit_selected(self) -> EditDialog | None:
        """Open the Edit dialog for the selected books (nothing when none is selected)."""
        book_ids = self.library.selected_book_ids()
        if not book_ids:
            self.window.statusBar().showMessage("Select the books to edit first.", 6000)
            return None
        form = self.service.form(book_ids)
        if not form.book_ids:
            return None
        self.dialog = EditDialog(form, self._save, self.window)
        self.dialog.open()
        return self.dialog

    def _save(self, book_ids: tuple[int, ...], typed: Mapping[str, str], cover: str | None) -> None:
        self.service.save(book_ids, typed, cover)
        if self.on_saved is not None:
            for book_id in book_ids:
                self.on_saved(book_id)
        count = len(book_ids)
        self.window.statusBar().showMessage(
            "Saved the book." if count == 1 else f"Saved {count} books.", 6000
        )
