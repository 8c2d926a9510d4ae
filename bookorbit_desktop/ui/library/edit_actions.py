"""The library's "Edit Metadata…" and "Remove from Library…" actions for the selected books: in
the main window's Edit menu, in the context menu of the table and the cover grid, on Ctrl+E
anywhere in the window and on Delete in the table or grid. "Fetch Metadata…" (`ui.metadata`)
joins them in the context menus (also the book panel's) and on Ctrl+Shift+M. The Inbox page's
Edit… and Fetch Metadata… act on the books it holds (they are not in the table, where these
actions otherwise take their books from) and then read the Inbox again.

The dialogs act through `services.library.edits` (the library's operations) and
`services.metadata` (with the window's Hardcover account, `hardcover`); `on_saved` (book id)
then refreshes that book in the table and the book panel, as after a reading edit, and
`on_removed` reloads the library, which drops the removed books. Edit ▸ Undo and Redo
(`undo_actions`) head the Edit menu, Edit ▸ Authors… (`authors_dialog`) ends it, and the book
panel gets a History section (`change_history`) listing the shown book's changes. The library
browser's renames, merges and deletes (`browser`, through `services.library.categories`) are
undone the same way and reload the library too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.hardcover.account import HardcoverAccount
from bookorbit_desktop.services.library.authors import AuthorsService
from bookorbit_desktop.services.library.bulk_edits import BulkEditService
from bookorbit_desktop.services.library.categories import CategoryService
from bookorbit_desktop.services.library.cell_edits import CellEditService
from bookorbit_desktop.services.library.edits import BookEditService
from bookorbit_desktop.services.library.opening import BookFilesService
from bookorbit_desktop.services.metadata.service import MetadataService
from bookorbit_desktop.services.undo import UndoService
from bookorbit_desktop.ui.actions import in_context_menus, menu_action
from bookorbit_desktop.ui.asyncqt import open_box, show_error
from bookorbit_desktop.ui.change_watch import ChangeWatch
from bookorbit_desktop.ui.library.authors_dialog import AuthorsAction
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.library.bulk_run import BulkCalls
from bookorbit_desktop.ui.library.cell_editing import CellEditing
from bookorbit_desktop.ui.library.change_history import SHOWN, BookHistory, mount_history
from bookorbit_desktop.ui.library.edit_dialog import EditDialog
from bookorbit_desktop.ui.library.inbox_view import InboxView
from bookorbit_desktop.ui.library.open_actions import OpenActions
from bookorbit_desktop.ui.library.remove_dialog import RemoveDialog
from bookorbit_desktop.ui.library.undo_actions import UndoActions
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.metadata.actions import MetadataActions
from bookorbit_desktop.ui.text import show_plain

EDIT_SHORTCUT = "Ctrl+E"


class BookActions(QObject):
    def __init__(
        self,
        service: BookEditService,
        window: QMainWindow,
        library: LibraryView,
        on_saved: Callable[[int], None] | None = None,
        on_removed: Callable[[], None] | None = None,
        hardcover: HardcoverAccount | None = None,
    ) -> None:
        super().__init__(window)
        self.on_saved, self.on_removed = on_saved, on_removed
        self.inbox = window.findChild(InboxView)
        # The window's Hardcover account: a metadata fetch spends the rate budget sync spends.
        metadata = MetadataService(service.paths, account=hardcover)
        self.metadata = MetadataActions(metadata, window, library, self._after_edit)
        self.service, self.window, self.library = service, window, library
        self.bulk = BulkEditService(service.paths)  # several books: publisher, status, numbers…
        self.dialog: EditDialog | None = None
        self.remove_dialog: RemoveDialog | None = None
        self.edit_action = menu_action(
            window,
            "&Edit Metadata…",
            self.edit_selected,
            shortcut=QKeySequence(EDIT_SHORTCUT),
            tip=(
                "Correct the selected books' title, authors, series, publisher, release date, "
                "pages, identifiers, description or cover"
            ),
        )
        window.addAction(self.edit_action)  # the shortcut works wherever the focus is
        self.remove_action = QAction("&Remove from Library…", window)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        # Delete in the filter field edits the text; only the table and grid take it.
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.remove_action.setStatusTip("Remove the selected books from the library")
        self.remove_action.triggered.connect(self.remove_selected)
        view_menu = getattr(window, "view_menu", None)
        edit_menu = None
        if isinstance(view_menu, QMenu):  # the main window: an Edit menu after File
            edit_menu = QMenu("&Edit", window)
            edit_menu.addAction(self.edit_action)
            edit_menu.addAction(self.remove_action)
            window.menuBar().insertMenu(view_menu.menuAction(), edit_menu)
        # Edit ▸ Undo and Redo, first in that menu; an undo reloads the library as a removal.
        self.undo = UndoActions(UndoService(service.paths), window, edit_menu, on_removed)
        # The custom columns follow an Undo of theirs; a change of theirs renames Undo.
        self.undo.refreshed.connect(library.custom_columns.show_columns)
        library.custom_columns.on_changed = self.undo.refresh
        if edit_menu is not None:  # Edit ▸ Authors…: filing them reorders the library
            self.authors = AuthorsAction(AuthorsService(), window, edit_menu, self._after_filing)
        self.history: BookHistory | None = None  # the panel's History section
        panel = getattr(window, "book_panel", None)
        if isinstance(panel, BookPanel):  # its Edit… button edits the book it shows
            panel.edit_requested.connect(lambda book_id: self.edit_books([book_id]))
            self.metadata.add_to_panel(panel, lambda: panel.book_id)
            history = self.undo.service.history
            self.history = mount_history(panel, lambda book_id: history(SHOWN, book_id))
            self.undo.refreshed.connect(self.history.refresh)
            panel.saved.connect(lambda _book_id: self.undo.refresh())  # a reading change
        watch = window.findChild(ChangeWatch)
        if watch is not None:  # what another process wrote (`bookorbit-desktop undo`, say)
            watch.changed.connect(self.undo.refresh)
        if self.inbox is not None:  # held books: edited and fetched from the Inbox page
            self.inbox.edit_requested.connect(self.edit_books)
            self.inbox.fetch_requested.connect(self.metadata.fetch_books)
        # The library browser's renames, merges and deletes: undoable, and the library read
        # again after.
        library.browser.set_service(CategoryService(service.paths))
        library.browser.changed.connect(self.undo.refresh)
        if on_removed is not None:
            library.browser.changed.connect(on_removed)
        in_context_menus((library.table, library.grid), self.edit_action, self.remove_action)
        self.cells = CellEditing(CellEditService(service.paths), library.table, self._after_edit)
        # Open, Open With, Show in Folder, Copy Path: first in those menus; double-click, Enter.
        self.opening = OpenActions(BookFilesService(), window, library)

    def _selected(self, what: str) -> list[int]:
        book_ids = self.library.selected_book_ids()
        if not book_ids:
            self.window.statusBar().showMessage(f"Select the books to {what} first.", 6000)
        return book_ids

    def edit_selected(self) -> EditDialog | None:
        """Open the Edit dialog for the selected books (nothing when none is selected)."""
        return self.edit_books(self._selected("edit"))

    def edit_books(self, book_ids: list[int]) -> EditDialog | None:
        if not book_ids:
            return None
        form = self.service.form(book_ids)
        if not form.book_ids:
            return None
        calls = BulkCalls(self.bulk.preview_async, self._apply_many)
        self.dialog = EditDialog(form, self._save, self.window, calls)
        self.dialog.open()
        return self.dialog

    def _save(self, book_ids: tuple[int, ...], typed: Mapping[str, str], cover: str | None) -> None:
        """One book's edit (several books go through `_apply_many`)."""
        self.service.save(book_ids, typed, cover)
        self._after_edit(*book_ids)
        self.window.statusBar().showMessage("Saved the book.", 6000)

    async def _apply_many(self, book_ids: tuple[int, ...], typed: Mapping[str, str]) -> None:
        outcome = await self.bulk.apply_async(book_ids, typed)
        self._after_edit(*outcome.changed)
        saved, left = len(outcome.changed), len(outcome.refused)
        self.window.statusBar().showMessage(
            f"Saved {saved} book{'' if saved == 1 else 's'}."
            + (f" {left} left as they were (the dialog said why)." if left else ""),
            6000,
        )

    def _after_edit(self, *book_ids: int) -> None:
        """Refresh what shows the edited books (Undo's name, their rows, the Inbox) once."""
        self.undo.refresh()
        if self.on_saved is not None:
            for book_id in book_ids:
                self.on_saved(book_id)
        if self.inbox is not None:  # a held book's new title shows there
            self.inbox.refresh()

    def _after_filing(self) -> None:
        self.undo.refresh()
        if self.on_removed is not None:  # reloads the library, in the new order
            self.on_removed()

    def remove_selected(self) -> RemoveDialog | None:
        """Ask before removing the selected books (nothing when none is selected)."""
        book_ids = self._selected("remove")
        if not book_ids:
            return None
        try:
            plans = self.service.removal_plans(book_ids)
        except BookOrbitError as error:
            show_error(self.window, error)
            return None
        dialog = RemoveDialog(plans, self.window)
        dialog.accepted.connect(lambda: self._remove(book_ids, dialog.trash_files))
        self.remove_dialog = dialog
        dialog.open()
        return dialog

    def _remove(self, book_ids: list[int], trash_files: bool) -> None:
        try:
            result = self.service.remove(book_ids, trash_files=trash_files)
        except BookOrbitError as error:
            show_error(self.window, error)
            return
        self.library.clear_selection()
        self.undo.refresh()
        if self.on_removed is not None:
            self.on_removed()
        count = len(result.removed)
        self.window.statusBar().showMessage(
            "Removed the book." if count == 1 else f"Removed {count} books.", 6000
        )
        if result.not_trashed:
            lines = "\n".join(f"{file} ({why})" for file, why in result.not_trashed)
            box = QMessageBox(
                QMessageBox.Icon.Warning,
                "Files Not Moved to the Trash",
                "The books were removed from the library, but these files could not be moved "
                f"to the trash and are still where they were:\n{lines}",
                QMessageBox.StandardButton.Ok,
                self.window,
            )
            open_box(show_plain(box))
