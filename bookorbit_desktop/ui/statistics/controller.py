"""Puts the Statistics page and the book's sessions in the window and keeps them current.

The page is read when it is opened and, while it is open, whenever another connection wrote
to the library (an upload merged by the server, `stats import` in another process); a hidden
page is only marked stale.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QObject

from bookorbit_desktop.services.statistics import StatisticsData
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.main_window import MainWindow
from bookorbit_desktop.ui.statistics import book_sessions
from bookorbit_desktop.ui.statistics.book_sessions import LoadSessions
from bookorbit_desktop.ui.statistics.page import StatisticsPage


class StatisticsController(QObject):
    def __init__(
        self,
        window: MainWindow,
        load: Callable[[], Awaitable[StatisticsData]],
        load_sessions: LoadSessions,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._load = load
        self.page = StatisticsPage()
        self.index = window.add_page(self.page, "S&tatistics")
        self.sessions = book_sessions.mount(
            window.book_panel, load_sessions, window.library_view.book_selected
        )
        self._stale = True
        window.tabs.currentChanged.connect(self._page_shown)

    def _page_shown(self, index: int) -> None:
        if index == self.index and self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        spawn(self._refresh(), self.page)

    async def _refresh(self) -> None:
        self.page.show_statistics(await self._load())

    def follow_changes(self) -> None:
        """Another connection wrote to the library."""
        if self.window.tabs.currentIndex() == self.index:
            self.refresh()
        else:
            self._stale = True
        if self.sessions.book_id is not None:
            self.sessions.show_book(self.sessions.book_id)
