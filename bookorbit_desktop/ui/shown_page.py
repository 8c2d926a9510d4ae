"""A page of the main window that reads what it shows only while it is on screen.

`ShownPage` adds the page as a tab. The first time the tab is shown, and after every change of
the library (`follow_changes`), the page is read again: at once when it is the tab on screen,
else the next time the user turns to it. A controller gives how it reads and shows its page
(`refresh_page`).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.main_window import MainWindow


class ShownPage(QObject):
    def __init__(
        self,
        window: MainWindow,
        page: QWidget,
        label: str,
        refresh_page: Callable[[], Coroutine[object, object, None]],
    ) -> None:
        super().__init__(window)
        self.window = window
        self._shown_page = page
        self._refresh_page = refresh_page
        self.index = window.add_page(page, label)
        self._stale = True
        window.tabs.currentChanged.connect(self._page_shown)

    def _page_shown(self, index: int) -> None:
        if index == self.index and self._stale:
            self.refresh()

    def refresh(self) -> None:
        self._stale = False
        spawn(self._refresh_page(), self._shown_page)

    def follow_changes(self) -> None:
        """The library changed (here or through another connection)."""
        if self.window.tabs.currentIndex() == self.index:
            self.refresh()
        else:
            self._stale = True
