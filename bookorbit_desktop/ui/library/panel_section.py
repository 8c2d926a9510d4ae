"""A section of the book panel that shows rows of the book the panel shows (each device's
position, the position history, the reads), read off the window's thread.

`show_book(id)` reads and shows that book's rows (None hides the section); `follow_changes()`
reads the shown book's rows again unless a read is under way; a read that comes back for a
book no longer shown is dropped (the newest book shown wins). `loaded(book_id)` fires once the
rows are shown. A section gives how it reads its rows (`fetch`: off the window's thread, then
the call that shows them).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QWidget

from bookorbit_desktop.ui.asyncqt import spawn

Fetch = Callable[[int], Awaitable[Callable[[], None]]]


class PanelSection(QGroupBox):
    loaded = Signal(int)

    def __init__(self, title: str, fetch: Fetch, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self._fetch = fetch
        self.book_id: int | None = None
        self._loading: asyncio.Task[None] | None = None

    def show_book(self, book_id: int | None) -> asyncio.Task[None] | None:
        """Read and show the rows of `book_id` (None hides the section)."""
        self.book_id = book_id
        self.setVisible(book_id is not None)
        if book_id is None:
            return None
        self._loading = spawn(self._load(book_id), self)
        return self._loading

    def follow_changes(self) -> asyncio.Task[None] | None:
        """Read the shown book's rows again (another connection wrote, e.g. a push), unless a
        read is under way."""
        if self.book_id is None or (self._loading is not None and not self._loading.done()):
            return None
        self._loading = spawn(self._load(self.book_id), self)
        return self._loading

    async def _load(self, book_id: int) -> None:
        show = await self._fetch(book_id)
        if book_id != self.book_id:
            return  # another book is shown by now
        show()
        self.loaded.emit(book_id)
