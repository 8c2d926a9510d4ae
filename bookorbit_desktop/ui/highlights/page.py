"""The Highlights page: what waits for the user (`waiting_box`), then a search over every
highlight of every book, book by book.

Typing searches after a short pause (text, note, chapter and book title must hold every word);
an empty field lists them all. What arrives from KOReader while the page is open shows after
the next search or Refresh.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services import highlights as service
from bookorbit_desktop.services.highlights import HighlightView
from bookorbit_desktop.services.library import BookRow
from bookorbit_desktop.ui.highlights.receiver_box import ReceiverAccess, ReceiverBox
from bookorbit_desktop.ui.highlights.render import highlights_html
from bookorbit_desktop.ui.highlights.waiting_box import WaitingActions, WaitingBox
from bookorbit_desktop.ui.widgets import interval_timer

SEARCH_DELAY_MS = 250
RESULT_LIMIT = 200


class HighlightsPage(QWidget):
    def __init__(
        self,
        books: Callable[[], Sequence[BookRow]],
        receiver: ReceiverAccess | None = None,
        search: Callable[[str, int], list[HighlightView]] = service.search,
        waiting: WaitingActions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self.waiting = WaitingBox(books, waiting)
        self.waiting.changed.connect(self.refresh)
        self.receiver = ReceiverBox(receiver) if receiver is not None else None
        self.query = QLineEdit()
        self.query.setPlaceholderText("Search highlights, notes, chapters and titles")
        self.query.setClearButtonEnabled(True)
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.count_label = QLabel()
        self.results = QTextBrowser()
        self._timer = interval_timer(self, SEARCH_DELAY_MS, self.refresh, once=True)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self.query.returnPressed.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(self.query, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.waiting)
        if self.receiver is not None:
            layout.addWidget(self.receiver)
        layout.addLayout(top)
        layout.addWidget(self.count_label)
        layout.addWidget(self.results, 1)
        self.views: list[HighlightView] = []

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # what arrived since it was last shown

    def refresh(self) -> None:
        self._timer.stop()
        self.waiting.refresh()
        if self.receiver is not None:
            self.receiver.refresh()
        words = self.query.text()
        self.views = self._search(words, RESULT_LIMIT + 1)
        shown = self.views[:RESULT_LIMIT]
        if not shown:
            self.count_label.setText(
                f"No highlight holds “{words.strip()}”."
                if words.strip()
                else "No highlights yet. In KOReader: Export highlights > XMNote, with the "
                "receiver switched on (`bookorbit-desktop highlights receiver on`)."
            )
        elif len(self.views) > RESULT_LIMIT:
            self.count_label.setText(f"The first {RESULT_LIMIT} highlights; type to narrow.")
        else:
            self.count_label.setText(f"{len(shown)} highlight{'s' if len(shown) != 1 else ''}")
        self.results.setHtml(highlights_html(shown, with_title=True))
