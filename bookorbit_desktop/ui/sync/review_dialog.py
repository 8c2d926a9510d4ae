"""The review before a big sync: every book a pass would add to or change on the profile.

Shown when a dry run finds more entries to send than `progress_text.REVIEW_THRESHOLD`, or read
dates from KOReader's reading history, so the first sync of a large library (or a burst after
an import) never reaches a public profile unseen. Each row says where the book goes (the
Hardcover book it is linked to and the edition in words: format and pages; the Hardcover ids
only in the tooltip) and exactly what will be sent (status, pages, dates, rating, privacy),
wrapped rather than cut; the pane below repeats the selected row in full, beside the Hardcover
book's cover when its address is stored (loaded in the background; a cover that arrives after
the user moved on to another row is not shown). Each read date found in the reading history
is a row of its own under its book, beside what Hardcover has, unticked: it goes out only when
the user ticks it (one box ticks them all). Unticking a book that would be sent excludes it
from Hardcover sync (it can be included again from the Hardcover page) and its dates with it;
a book listed only for its dates has no such box.
Send starts the real pass.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.ui.image_bytes import pixmap_from
from bookorbit_desktop.ui.sync import progress_text as words
from bookorbit_desktop.ui.sync.progress_dialog import book_details
from bookorbit_desktop.ui.table_model import Index
from bookorbit_desktop.ui.text import plain_tooltip, show_plain
from bookorbit_desktop.ui.widgets import wrapped_label

if TYPE_CHECKING:
    from bookorbit_desktop.services.hardcover.sync import BookResult, ProposedDate
    from bookorbit_desktop.services.library.records import MatchInfo

BOOK, TARGET, CHANGE = range(3)  # the tree's columns
COVER_URL = Qt.ItemDataRole.UserRole + 1  # a book row's Hardcover cover address
COVER_HEIGHT = 80  # the details pane's cover, in pixels
Cover = Callable[[str], Awaitable[bytes | None]]  # an image by its address (None: no image)
NO_TARGET = "No Hardcover book linked yet"
DATES_ONLY = "Nothing but the read dates below that you tick"
CHECKABLE = Qt.ItemFlag.ItemIsUserCheckable
TICKED, UNTICKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


def dates(count: int) -> str:
    """ "1 read date", "3 read dates"."""
    return f"{count:,} read {'date' if count == 1 else 'dates'}"


def date_line(date: ProposedDate) -> str:
    """ "Finished 2024-10-14 — from your reading history (Hardcover has: no date)"."""
    theirs = date.hardcover or "no date"
    name, value = date.proposal.name, date.proposal.value
    return f"{name.capitalize()} {value} — from your reading history (Hardcover has: {theirs})"


def intro_text(sending: int, proposed: int) -> str:
    """What the review asks: `sending` books would change, `proposed` history dates wait."""
    if sending:
        text = (
            f"This sync would add or change {words.books(sending)} on your Hardcover profile. "
            "Untick any book you do not want there: it is excluded from Hardcover sync (you "
            "can include it again on the Hardcover page)."
        )
    else:
        text = "This sync would change nothing on your Hardcover profile but the dates you tick."
    if proposed:
        where = "is listed under its book" if proposed == 1 else "are listed under their books"
        text += (
            f" {dates(proposed)} from your KOReader reading history {where}: tick the ones to "
            "send (they become the books' own dates); unticked, they are not sent."
        )
    return text


def send_text(books: int, approved: int) -> str:
    """The Send button: "Send 3 books and 2 dates", "Send 1 date", "Send Nothing"."""
    parts = [words.books(books)] if books else []
    if approved:
        parts.append(f"{approved:,} {'date' if approved == 1 else 'dates'}")
    return f"Send {' and '.join(parts)}" if parts else "Send Nothing"


def target_tooltip(info: MatchInfo | None) -> str:
    """The target column's tooltip: its words, then the Hardcover ids (only ever here), shown
    as text whatever Hardcover's title and authors look like."""
    text = (info or {}).get("summary") or NO_TARGET
    ids = [
        f"{name} {value}"
        for name, value in (
            ("Hardcover book", (info or {}).get("hc_book_id")),
            ("edition", (info or {}).get("hc_edition_id")),
        )
        if value is not None
    ]
    return plain_tooltip(f"{text}\n{', '.join(ids)}" if ids else text)


def _ticks(item: QTreeWidgetItem) -> bool:
    return bool(item.flags() & CHECKABLE)


class _Wrapped(QStyledItemDelegate):
    """Rows as tall as their wrapped text: a tree asks for a row's height without the
    column's width, so the text would be measured as one line and cut. A date's row spans
    the whole width, indented under its book."""

    def __init__(self, tree: QTreeWidget) -> None:
        super().__init__(tree)
        self._tree = tree

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        tree, parent = self._tree, index.parent()
        width = tree.columnWidth(index.column())
        if index.column() == BOOK and tree.isFirstColumnSpanned(index.row(), parent):
            width = tree.viewport().width()
        if index.column() == BOOK and parent.isValid():
            width -= tree.indentation()
        sized = QStyleOptionViewItem(option)
        sized.rect = QRect(0, 0, max(width, 1), 1)  # valid: wraps
        return super().sizeHint(sized, index)


class _Tree(QTreeWidget):
    """Space ticks or unticks the current row, whichever column the cursor is in."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        item = self.currentItem()
        space = event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Select)
        if space and item is not None and _ticks(item) and not item.isDisabled():
            item.setCheckState(BOOK, UNTICKED if item.checkState(BOOK) == TICKED else TICKED)
            return
        super().keyPressEvent(event)


class ReviewDialog(QDialog):
    def __init__(
        self,
        books: Sequence[BookResult],
        parent: QWidget | None,
        targets: Mapping[int, MatchInfo] | None = None,
        cover: Cover | None = None,
    ) -> None:
        """`targets`: each book's stored match (`HardcoverService.match_details`), shown as the
        Hardcover book and edition in words (`MatchInfo.summary`: title, format, pages);
        `cover(url)`: the Hardcover book's cover for the details pane (None: text only)."""
        super().__init__(parent)
        self.setObjectName("syncReviewDialog")
        self.setWindowTitle("Review Before Sending to Hardcover")
        self.setWindowFlags(
            self.windowFlags()
            | Qt.WindowType.WindowMaximizeButtonHint
            | Qt.WindowType.WindowMinimizeButtonHint
        )
        self.setSizeGripEnabled(True)
        self.setMinimumSize(560, 360)
        self.resize(1100, 600)
        self._books = [book for book in books if book.outcome == "would_send" or book.proposals]
        self._dates: list[tuple[QTreeWidgetItem, QTreeWidgetItem, ProposedDate]] = []
        self._updating = False  # the tick-all box and the rows follow each other, once
        self._cover = cover
        self._tasks: set[asyncio.Task[None]] = set()
        layout = QVBoxLayout(self)
        sending = sum(1 for book in self._books if book.outcome == "would_send")
        proposed = sum(len(book.proposals) for book in self._books)
        layout.addWidget(wrapped_label(intro_text(sending, proposed)))
        self.tree = self._make_tree(targets or {})
        layout.addWidget(self.tree, 1)
        self.cover = QLabel()
        self.cover.setObjectName("syncReviewCover")
        self.cover.setAccessibleName("Cover of the Hardcover book")
        self.cover.setFixedHeight(COVER_HEIGHT)
        self.cover.hide()
        self.details = show_plain(QLabel())
        self.details.setObjectName("syncReviewDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        pane = QHBoxLayout()
        pane.addWidget(self.cover, 0, Qt.AlignmentFlag.AlignTop)
        pane.addWidget(self.details, 1)
        layout.addLayout(pane)
        self.history_dates = QCheckBox(
            "Send the read date from your reading history"
            if proposed == 1
            else f"Send all {proposed:,} read dates from your reading history"
        )
        self.history_dates.setObjectName("syncReviewHistoryDates")
        self.history_dates.setAccessibleName("Tick or untick every read date from the history")
        self.history_dates.setVisible(proposed > 0)
        self.history_dates.checkStateChanged.connect(self._tick_all)
        layout.addWidget(self.history_dates)
        self.tree.currentItemChanged.connect(lambda item, _: self._show_details(item))
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        buttons = QDialogButtonBox()
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)  # Enter sends, as the button says
        self.send_button = QPushButton()
        self.send_button.setDefault(True)
        buttons.addButton(self.send_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._update_send()

    def _make_tree(self, targets: Mapping[int, MatchInfo]) -> QTreeWidget:
        tree = _Tree()
        tree.setObjectName("syncReview")
        tree.setAccessibleName("Books and read dates to send to Hardcover")
        tree.setHeaderLabels(["Book", "Hardcover book and edition", "What will be sent"])
        tree.setRootIsDecorated(False)
        tree.setItemsExpandable(False)  # a book's dates are always in sight
        tree.setAlternatingRowColors(True)
        tree.setWordWrap(True)  # rows grow to show the whole change, never "…"
        tree.setTextElideMode(Qt.TextElideMode.ElideNone)
        tree.setItemDelegate(_Wrapped(tree))
        header = tree.header()
        header.sectionResized.connect(lambda *_: tree.doItemsLayout())  # rows wrap anew
        header.setSectionResizeMode(BOOK, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        tree.setColumnWidth(BOOK, 260)
        tree.setColumnWidth(TARGET, 320)
        for book in sorted(self._books, key=lambda b: words.natural_key(b.title)):
            info = targets.get(book.book_id)
            target = (info or {}).get("summary") or NO_TARGET
            change = book_details(replace(book, proposals=())) or DATES_ONLY
            item = QTreeWidgetItem([book.title, target, change])
            item.setToolTip(TARGET, target_tooltip(info))
            item.setToolTip(CHANGE, plain_tooltip(change))
            if book.outcome == "would_send":  # only then is there something to exclude
                item.setCheckState(BOOK, TICKED)
            else:
                item.setFlags(item.flags() & ~CHECKABLE)
            item.setData(BOOK, Qt.ItemDataRole.UserRole, book.book_id)
            item.setData(BOOK, COVER_URL, (info or {}).get("cover_url"))
            tree.addTopLevelItem(item)
            for date in book.proposals:
                child = QTreeWidgetItem(item, [date_line(date)])
                child.setCheckState(BOOK, UNTICKED)
                child.setFirstColumnSpanned(True)  # the date's whole line, under its book
                self._dates.append((child, item, date))
        tree.expandAll()
        tree.itemChanged.connect(self._changed)
        return tree

    def _changed(self, item: QTreeWidgetItem, column: int) -> None:
        if self._updating or column != BOOK:
            return
        self._updating = True
        try:
            for child, book, _ in self._dates:  # an unticked book's dates stay home
                if book is item:
                    child.setDisabled(item.checkState(BOOK) != TICKED)
            states = {child.checkState(BOOK) for child, _, _ in self._dates}
            mixed = len(states) > 1
            self.history_dates.setTristate(mixed)  # a click from "some" ticks them all
            self.history_dates.setCheckState(
                Qt.CheckState.PartiallyChecked if mixed else (states.pop() if states else UNTICKED)
            )
        finally:
            self._updating = False
        self._update_send()

    def _tick_all(self, state: Qt.CheckState) -> None:
        if self._updating or state == Qt.CheckState.PartiallyChecked:
            return
        self._updating = True
        try:
            self.history_dates.setTristate(False)
            for child, _, _ in self._dates:
                child.setCheckState(BOOK, state)
        finally:
            self._updating = False
        self._update_send()

    def _show_details(self, item: QTreeWidgetItem | None) -> None:
        self._show_cover(item)
        if item is None:
            self.details.clear()
            return
        book = item.parent()
        if book is not None:
            self.details.setText(
                f"{book.text(BOOK)}: {item.text(BOOK)}\nTicked, it becomes the book's own "
                "date and is sent to Hardcover; unticked, it is not sent."
            )
            return
        self.details.setText(
            f"{item.text(BOOK)} → {item.text(TARGET)}\nWill send: {item.text(CHANGE)}"
        )

    def _show_cover(self, item: QTreeWidgetItem | None) -> None:
        """The selected book's Hardcover cover (a date's row: its book's), once loaded."""
        self.cover.clear()
        self.cover.hide()
        book = None if item is None else (item.parent() or item)
        url = None if book is None else book.data(BOOK, COVER_URL)
        if self._cover is not None and isinstance(url, str) and url:
            task = asyncio.ensure_future(self._load_cover(item, url))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _load_cover(self, item: QTreeWidgetItem | None, url: str) -> None:
        assert self._cover is not None
        data = await self._cover(url)
        image = pixmap_from(data) if data is not None else QPixmap()
        if image.isNull() or self.tree.currentItem() is not item:
            return  # no cover, or the user moved on to another row meanwhile
        scaled = image.scaledToHeight(COVER_HEIGHT, Qt.TransformationMode.SmoothTransformation)
        self.cover.setPixmap(scaled)
        self.cover.setFixedWidth(scaled.width())
        self.cover.show()

    def done(self, result: int) -> None:
        for task in list(self._tasks):  # a cover still on its way is not wanted any more
            task.cancel()
        super().done(result)

    def _books_in(self, state: Qt.CheckState) -> list[int]:
        items = (self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount()))
        return [
            item.data(BOOK, Qt.ItemDataRole.UserRole)
            for item in items
            if item is not None and _ticks(item) and item.checkState(BOOK) == state
        ]

    def unticked(self) -> list[int]:
        """The books the user does not want on Hardcover (never one listed for dates only)."""
        return self._books_in(UNTICKED)

    def ticked(self) -> list[int]:
        """The books that would be sent and stay ticked."""
        return self._books_in(TICKED)

    def approved_dates(self) -> list[ProposedDate]:
        """The history's dates the user said yes to: each ticked, its book not unticked."""
        return [
            date
            for child, book, date in self._dates
            if child.checkState(BOOK) == TICKED
            and (not _ticks(book) or book.checkState(BOOK) == TICKED)
        ]

    def _update_send(self) -> None:
        self.send_button.setText(send_text(len(self.ticked()), len(self.approved_dates())))
