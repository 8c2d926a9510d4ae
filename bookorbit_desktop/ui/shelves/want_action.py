"""Add to Want to Read: a library book goes on Want to Read here and, with the next sync, on
Hardcover.

The action sits in the context menu of the library's table and cover grid (Ctrl+Shift+W). When
the book already has another status (on Hardcover or in the library), the window says which and
changes it only when the user answers Yes; nothing is written before that. Several books are
one bulk edit (`services.library.bulk_edits`): one question names the count, the statuses it
replaces and the books left as they are, and one Undo takes it back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library.bulk_edits import WANT, BulkEditService
from bookorbit_desktop.services.shelves import service
from bookorbit_desktop.ui.actions import in_context_menus, menu_action
from bookorbit_desktop.ui.asyncqt import run_dialog, show_error, spawn
from bookorbit_desktop.ui.library.view import LibraryView
from bookorbit_desktop.ui.text import show_plain

STATUS_MS = 8000


class WantAction(QObject):
    def __init__(
        self,
        window: QMainWindow,
        library: LibraryView,
        *,
        on_done: Callable[[], None] | None = None,
        question: Callable[[int], Awaitable[str | None]] = service.want_question_async,
        want: Callable[..., Awaitable[str]] = service.want_async,
        bulk: BulkEditService | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.library = window, library
        self._bulk = bulk  # several books at once
        self._on_done, self._question, self._want = on_done, question, want
        self.action = menu_action(
            window,
            "Add to &Want to Read",
            self.trigger,
            shortcut=QKeySequence("Ctrl+Shift+W"),
            tip="Put the selected book on Want to Read, here and on Hardcover",
        )
        in_context_menus((library.table, library.grid), self.action)
        self.box: QMessageBox | None = None  # the open question, if any

    def trigger(self) -> asyncio.Task[None] | None:
        ids = self.library.selected_book_ids()
        if len(ids) > 1 and self._bulk is not None:
            return spawn(self._add_many(ids, self._bulk), self.window)
        if len(ids) != 1:
            self.window.statusBar().showMessage(
                "Select the books to add to Want to Read first.", STATUS_MS
            )
            return None
        return spawn(self._add(ids[0]), self.window)

    def make_box(self, question: str, parent: QWidget) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            service.WantQuestion.title,
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            parent,
        )
        box.setDefaultButton(QMessageBox.StandardButton.No)
        return show_plain(box)

    async def _asked(self, question: str, title: str = service.WantQuestion.title) -> bool:
        """Whether the user answers Yes (saying "nothing changed" when not)."""
        self.box = self.make_box(question, self.window)
        box = self.box
        box.setWindowTitle(title)
        try:
            await run_dialog(box)
            answer = box.standardButton(box.clickedButton())
        finally:
            self.box = None
            box.deleteLater()
        if answer != QMessageBox.StandardButton.Yes:
            self.window.statusBar().showMessage("Want to Read: nothing changed.", STATUS_MS)
        return answer == QMessageBox.StandardButton.Yes

    async def _add_many(self, book_ids: list[int], bulk: BulkEditService) -> None:
        typed = {"status": WANT}
        try:
            outcome = await bulk.preview_async(book_ids, typed)
            count = len(outcome.changed)
            if not count:
                self.window.statusBar().showMessage(
                    "Want to Read: nothing changed. " + outcome.summary().partition("\n")[2],
                    STATUS_MS,
                )
                return
            books = "1 Book" if count == 1 else f"{count} Books"
            if not await self._asked(outcome.summary(), f"Add {books} to Want to Read?"):
                return
            done = await bulk.apply_async(book_ids, typed)
        except BookOrbitError as error:
            show_error(self.window, error)
            return
        saved = len(done.changed)
        self.window.statusBar().showMessage(
            f"{saved} book{'' if saved == 1 else 's'} on Want to Read; they go to Hardcover "
            "with the next sync.",
            STATUS_MS,
        )
        if self._on_done is not None:
            self._on_done()

    async def _add(self, book_id: int) -> None:
        question = await self._question(book_id)
        confirmed = False
        if question is not None:
            if not await self._asked(question):
                return
            confirmed = True
        said = await self._want(book_id, confirmed=confirmed)
        self.window.statusBar().showMessage(said, STATUS_MS)
        if self._on_done is not None:
            self._on_done()
