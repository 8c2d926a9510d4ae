"""The Highlights page: what waits for the user (`waiting_box`), the switch and pairing secret
of the receiver for KOReader's Wi-Fi export (`receiver_box`), then a search over every
highlight of every book, book by book.

Typing searches after a short pause (text, note, chapter and book title must hold every word);
an empty field lists them all. The search is read off the window's thread. While the page is
open it follows what other connections write (an export the receiver took, the command line in
another process): `follow_changes` searches again, keeping the words, the scroll position and
the selection.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.highlights import off_loop as highlights_off_loop
from bookorbit_desktop.services.highlights.service import HighlightView
from bookorbit_desktop.services.library.records import BookRow
from bookorbit_desktop.ui.asyncqt import spawn
from bookorbit_desktop.ui.highlights.keep_place import set_html_keeping_place
from bookorbit_desktop.ui.highlights.receiver_box import ReceiverAccess, ReceiverBox
from bookorbit_desktop.ui.highlights.render import highlights_html
from bookorbit_desktop.ui.highlights.waiting_box import WaitingActions, WaitingBox
from bookorbit_desktop.ui.text_browser import OfflineBrowser
from bookorbit_desktop.ui.widgets import interval_timer, push_button

SEARCH_DELAY_MS = 250
RESULT_LIMIT = 200
Search = Callable[[str, int], Awaitable[list[HighlightView]]]


def empty_text(receiving: bool) -> str:
    """What the page says while no book has a highlight."""
    if receiving:
        return (
            "No highlights yet. In KOReader: Export highlights ▸ XMNote, as the receiver "
            "above says."
        )
    return (
        "No highlights yet. Tick “Receive KOReader's highlight exports” above and Save, then "
        "in KOReader: Export highlights ▸ XMNote."
    )


def count_text(words: str, found: int, receiving: bool) -> str:
    """`found`: the highlights the search returned, at most RESULT_LIMIT + 1."""
    if not found:
        return f"No highlight holds “{words.strip()}”." if words.strip() else empty_text(receiving)
    if found > RESULT_LIMIT:
        return f"The first {RESULT_LIMIT} highlights; type to narrow."
    return f"{found} highlight{'s' if found != 1 else ''}"


class HighlightsPage(QWidget):
    def __init__(
        self,
        books: Callable[[], Sequence[BookRow]],
        receiver: ReceiverAccess | None = None,
        search: Search = highlights_off_loop.search,
        waiting: WaitingActions | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._search = search
        self._searches = 0  # the latest search started; an older one's answer is dropped
        self._shown_words: str | None = None
        self.task: asyncio.Task[None] | None = None
        self.waiting = WaitingBox(books, waiting)
        self.waiting.changed.connect(self.refresh)
        self.receiver = ReceiverBox(receiver) if receiver is not None else None
        self.query = QLineEdit()
        self.query.setPlaceholderText("Search highlights, notes, chapters and titles")
        self.query.setAccessibleName("Search highlights")
        self.query.setClearButtonEnabled(True)
        search_label = QLabel("Search &in highlights:")
        search_label.setBuddy(self.query)
        self.refresh_button = push_button("&Refresh", self.refresh, name="Refresh highlights")
        self.count_label = QLabel()
        self.results = OfflineBrowser()  # the text is a device's: it loads nothing
        self.results.setAccessibleName("Highlights found")
        self._timer = interval_timer(self, SEARCH_DELAY_MS, self.refresh, once=True)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self.query.returnPressed.connect(self.refresh)
        top = QHBoxLayout()
        top.addWidget(search_label)
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

    def refresh(self) -> asyncio.Task[None]:
        """Read again what waits, what the receiver runs, and the search."""
        self._timer.stop()
        self.waiting.refresh()
        if self.receiver is not None:
            self.receiver.refresh()
        self._searches += 1
        self.task = spawn(self._search_and_show(self._searches, self.query.text()), self)
        return self.task

    def follow_changes(self) -> None:
        """Another connection wrote to the library. A hidden page reads again when shown."""
        if self.isVisible():
            self.refresh()

    async def _search_and_show(self, number: int, words: str) -> None:
        views = await self._search(words, RESULT_LIMIT + 1)
        if number != self._searches:
            return  # the words changed meanwhile: the later search shows its own
        self.views = views
        receiving = self.receiver is not None and self.receiver.receiving
        self.count_label.setText(count_text(words, len(views), receiving))
        html = highlights_html(views[:RESULT_LIMIT], with_title=True)
        if words == self._shown_words:
            set_html_keeping_place(self.results, html)
        else:
            self.results.setHtml(html)
            self._shown_words = words
