"""The batch dialog's "Fetching" box: a progress bar (books every source has answered), one
line per book with each source's status as it answers, the failed answers with their reasons,
Stop and Retry Failed. A source the user has not set up is said once, in one short line
("Hardcover: not connected (Settings ▸ Hardcover)"), not on each book's line nor as a failure.

Every answer costs the same whatever the number of books (`note`): the book's line and at most
one line of the failed list change, found through dictionaries, never by rebuilding or
searching a list. A source that asked to wait (a rate limit) says so on the line of each book
it had under way and above the lists: "waiting for Open Library (rate limit) — 40 s".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.metadata.values import (
    NOT_CONNECTED,
    PENDING,
    SOURCE_LABELS,
    SourceResult,
)
from bookorbit_desktop.ui.metadata.texts import (
    STATUS_MEANING,
    source_label,
    status_line,
    status_word,
    waiting,
)
from bookorbit_desktop.ui.text import plain_tooltip, show_plain
from bookorbit_desktop.ui.widgets import wrapped_label


class FetchStatus(QGroupBox):
    """`activated(book_id)` when a book's line is activated (Enter or a double-click)."""

    activated = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Fetching", parent)
        self.titles: dict[int, str] = {}
        self.items: dict[int, QListWidgetItem] = {}
        self.statuses: dict[int, dict[str, SourceResult]] = {}  # book -> source -> answer
        self.failures: dict[int, dict[str, SourceResult]] = {}  # the failed ones, per book
        self.failed_items: dict[tuple[int, str], QListWidgetItem] = {}
        self.asking = False  # a fetch is under way: PENDING reads "asking…"
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Books fetched")
        self.progress.setRange(0, 0)
        self.label = show_plain(wrapped_label())
        self.unconnected: dict[str, str] = {}  # source -> its one line, once it said so
        self.unconnected_label = wrapped_label()
        self.unconnected_label.setAccessibleName("Sources not connected")
        self.unconnected_label.setVisible(False)
        self.book_list = QListWidget()
        self.book_list.setAccessibleName("Each book's answers")
        self.book_list.setUniformItemSizes(True)
        self.book_list.itemActivated.connect(
            lambda item: self.activated.emit(int(item.data(Qt.ItemDataRole.UserRole)))
        )
        self.failed_list = QListWidget()
        self.failed_list.setAccessibleName("Failed answers")
        self.failed_list.setUniformItemSizes(True)
        self.retry_button = QPushButton("&Retry Failed")
        self.retry_button.setToolTip("Ask again only the sources that failed, for those books")
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setToolTip("Stop after the books under way; what was fetched is kept")
        lists = QHBoxLayout()
        lists.addWidget(self.book_list, 3)
        failed = QVBoxLayout()
        failed.addWidget(wrapped_label("Failed:"))
        failed.addWidget(self.failed_list, 1)
        failed.addWidget(self.retry_button)
        lists.addLayout(failed, 2)
        top = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.stop_button, 0, Qt.AlignmentFlag.AlignRight)  # also without the bar
        top.addLayout(bar)
        top.addWidget(self.label)
        top.addWidget(self.unconnected_label)
        top.addLayout(lists, 1)

    def set_books(self, book_ids: Sequence[int], titles: Mapping[int, str]) -> None:
        """One line per book, in the order given (each source "asking…" once `asking_for`)."""
        self.titles = {b: titles[b] for b in book_ids}
        self.progress.setRange(0, len(book_ids))
        self.progress.setValue(0)
        for book_id in book_ids:
            item = QListWidgetItem(f"{self.titles[book_id]} — waiting")
            item.setData(Qt.ItemDataRole.UserRole, book_id)
            self.items[book_id] = item
            self.statuses[book_id] = {}
            self.book_list.addItem(item)

    def asking_for(self, plan: Iterable[tuple[int, Iterable[str]]]) -> None:
        """The books and sources a fetch is about to ask: "asking…" until each answers; the
        progress bar counts the other books as done."""
        asked = 0
        for book_id, sources in plan:
            if book_id not in self.items:
                continue
            asked += 1
            for source in sources:
                self.statuses[book_id][source] = SourceResult(source, PENDING)
            self.items[book_id].setText(self.line(book_id))
        self.progress.setValue(self.progress.maximum() - asked)

    def line(self, book_id: int) -> str:
        statuses = self.statuses[book_id]
        parts = []
        for source in SOURCE_LABELS:
            result = statuses.get(source)
            if result is not None and result.status == NOT_CONNECTED:
                continue  # said once, above the lists
            if result is not None and waiting(result) and self.asking:
                parts.append(f"{source_label(source)}: {result.message}")
            elif result is not None:
                status = status_word(result.status, asking=self.asking)
                parts.append(f"{source_label(source)}: {status}")
        return f"{self.titles[book_id]} — " + (" · ".join(parts) or "waiting")

    def note(self, book_id: int, result: SourceResult) -> bool:
        """One source's answer for one book; False for a book not in this batch."""
        item = self.items.get(book_id)
        if item is None:
            return False
        self.statuses[book_id][result.source] = result
        item.setText(self.line(book_id))
        if waiting(result):  # not an answer yet: the source's answer follows
            self.label.setText(result.message[:1].upper() + result.message[1:] + "…")
            return True
        if result.status == NOT_CONNECTED and result.source not in self.unconnected:
            self.unconnected[result.source] = status_line(
                result.source, result.status, result.message
            )
            self.unconnected_label.setText(" · ".join(self.unconnected.values()))
            self.unconnected_label.setVisible(True)
        key = (book_id, result.source)
        listed = self.failed_items.get(key)
        if result.failed:
            self.failures.setdefault(book_id, {})[result.source] = result
            why = result.message or STATUS_MEANING.get(result.status, "")
            status = status_word(result.status)
            text = f"{self.titles[book_id]} — {source_label(result.source)}: {status}: {why}"
            if listed is None:
                listed = self.failed_items[key] = QListWidgetItem(text)
                listed.setData(Qt.ItemDataRole.UserRole, book_id)
                self.failed_list.addItem(listed)
            else:
                listed.setText(text)
            listed.setToolTip(
                plain_tooltip(text)
            )  # the whole reason, where the list is too narrow for it
        else:
            failed = self.failures.get(book_id)
            if failed is not None:
                failed.pop(result.source, None)
                if not failed:
                    del self.failures[book_id]
            if listed is not None:
                del self.failed_items[key]
                self.failed_list.takeItem(self.failed_list.row(listed))
        return True

    def book_done(self) -> None:
        self.progress.setValue(min(self.progress.value() + 1, self.progress.maximum()))

    def failed_plan(self) -> list[tuple[int, list[str]]]:
        """(book, the sources that failed it), in the order the books are listed."""
        return [(b, list(self.failures[b])) for b in self.items if b in self.failures]

    def refresh_lines(self) -> None:
        """Every book's line again (once, when a fetch starts or ends: "asking…" changes)."""
        for book_id, item in self.items.items():
            item.setText(self.line(book_id))
