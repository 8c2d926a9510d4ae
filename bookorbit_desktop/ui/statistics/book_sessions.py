"""A book's reading sessions (from KOReader's statistics) under its details in the book panel.

Mounted from outside the panel (`mount`): it follows the panel's book through the library
view's selection and the panel's `book_id`, and reads the sessions off the window's thread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable

from PySide6.QtCore import QTimer, SignalInstance
from PySide6.QtWidgets import QGroupBox, QLabel, QTreeWidgetItem, QVBoxLayout

from bookorbit_desktop.services.statistics.service import Session
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.statistics.text import day_text, duration_text
from bookorbit_desktop.ui.text import counted
from bookorbit_desktop.ui.widgets import flat_list

LoadSessions = Callable[[int], Awaitable[list[Session]]]
SHOWN = 12  # the newest sessions listed; the total counts them all


class BookSessions(QGroupBox):
    def __init__(self, load: LoadSessions) -> None:
        super().__init__("Reading sessions")
        self._load = load
        self.book_id: int | None = None
        self.total = QLabel()
        self.list = flat_list(("Day", "From", "Time", "Pages"))
        self.list.setAccessibleName("Reading sessions")
        self.list.setMinimumHeight(120)
        layout = QVBoxLayout(self)
        layout.addWidget(self.total)
        layout.addWidget(self.list)
        self.setVisible(False)

    def show_book(self, book_id: int | None) -> None:
        self.book_id = book_id
        if book_id is None:
            self.setVisible(False)
            return
        spawn(self._fill(book_id), self)

    async def _fill(self, book_id: int) -> None:
        sessions = await self._load(book_id)
        if book_id != self.book_id:
            return  # another book was chosen meanwhile
        self.show_sessions(sessions)

    def show_sessions(self, sessions: list[Session]) -> None:
        self.setVisible(bool(sessions))
        seconds = sum(session.seconds for session in sessions)
        self.total.setText(
            counted("%n reading session(s), %1 in all", len(sessions), duration_text(seconds))
        )
        self.list.clear()
        for session in reversed(sessions[-SHOWN:]):
            start = dt.datetime.fromtimestamp(session.start)
            self.list.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        day_text(start.date()),
                        start.strftime("%H:%M"),
                        duration_text(session.seconds),
                        str(session.pages),
                    ]
                )
            )


def mount(panel: BookPanel, load: LoadSessions, book_selected: SignalInstance) -> BookSessions:
    """Put the sessions below the panel's reading box; follow the book the panel shows."""
    sessions = BookSessions(load)
    panel.add_section(sessions, after=panel.reading_box)

    def follow() -> None:
        if panel.book_id != sessions.book_id:
            sessions.show_book(panel.book_id)

    # The panel may first ask about unsaved edits: look at its book once the event is handled.
    book_selected.connect(lambda _book_id: QTimer.singleShot(0, follow))
    return sessions
