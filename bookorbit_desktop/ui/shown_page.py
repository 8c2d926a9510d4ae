"""A page of the main window that reads what it shows only while it is on screen.

`ShownPage` adds the page as a tab. The first time the tab is shown, and after every change of
the library (`follow_changes`), the page is read again: at once when it is the tab on screen,
else the next time the user turns to it. A controller says how it reads and shows its page
(`_refresh`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.main_window import MainWindow


class ShownPage(QObject):
    def __init__(self, window: MainWindow, page: QWidget, label: str) -> None:
        super().__init__(window)
        self.window = window
        self._shown_page = page
        self.index = window.add_page(page, label)
        self._stale = True
        window.tabs.currentChanged.connect(self._page_shown)

    def _page_shown(self, index: int) -> None:
        if index == self.index and self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        spawn(self._refresh(), self._shown_page)

    async def _refresh(self) -> None:
        """Read what the page shows, and show it."""
        raise NotImplementedError

    def follow_changes(self) -> None:
        """The library changed (here or through another connection)."""
        if self.window.tabs.currentIndex() == self.index:
            self.refresh()
        else:
            self._stale = True
