"""The manual-sync dialog: progress while the pass runs, then its report with actions.

While running it shows done/total, the book being sent with its cover, the counts per outcome
and the time left (or the wait Hardcover's limit imposes). Cancel asks the pass to stop between
books; Hide (or closing the window) leaves it running with the tray showing its progress. The
report lists every book with what was sent or why it was not, and offers Pick, Re-match and
Retry for the selected book. The dialog displays; `ManualSync` decides.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.services.hardcover.sync import (
    CANCELLED,
    cancelled_line,
    outcome_counts,
    outcome_label,
)
from bookorbit_desktop.ui.image_bytes import pixmap_file
from bookorbit_desktop.ui.sync import progress_text as words
from bookorbit_desktop.ui.text import plain_tooltip, show_plain
from bookorbit_desktop.ui.widgets import wrapped_label

if TYPE_CHECKING:
    from bookorbit_desktop.services.hardcover.sync import BookResult

COVER_SIZE = (60, 90)
PROGRESS_WIDTH = 520  # the progress: a few lines and a cover, as tall as they need
REPORT_SIZE = (760, 460)  # the report's list of books gets room, within 1280x720
COVER_EVERY = 0.3  # seconds between two cover changes
# What each action of the report can do for a book with this outcome.
_PICKABLE = {"needs_review", "not_matched"}
_RETRYABLE = {"failed", "skipped"}
SETTLED = "settled"  # a row the user acted on from the report


def book_details(book: BookResult, candidates: Sequence[Mapping[str, Any]] = ()) -> str:
    """What a report row says beside the outcome: what was sent, or why not (`candidates`:
    the Hardcover books kept for a book that waits for the user's choice)."""
    if book.error:
        return book.error
    sent = [" · ".join(action.get("changes", ())) for action in book.actions]
    details = [text for text in sent if text]
    details.extend(book.notes)
    details.extend(f"proposed: {date.text}" for date in book.proposals)  # waits for a yes
    if not details and book.outcome == "needs_review":
        return words.review_line(candidates)
    if not details and book.outcome == "not_matched":
        return "Not found on Hardcover: Pick it yourself or Re-match after editing the book."
    return "; ".join(details)


class SyncDialog(QDialog):
    cancel_requested = Signal()
    pick_requested = Signal(int)
    rematch_requested = Signal(int)
    retry_requested = Signal(int)
    exclude_requested = Signal(int)

    def __init__(self, cover_for: Callable[[int], str | None], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("syncDialog")
        self.setWindowTitle("Hardcover Sync")
        self.setModal(False)
        self._cover_for = cover_for
        self._cover_book: int | None = None
        self._cover_due = 0.0  # monotonic time from which the cover may change again
        self.running = True
        self.pages = QStackedWidget()
        self.pages.addWidget(self._progress_page())
        self.pages.addWidget(self._report_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.buttons = QDialogButtonBox()
        self.cancel_button = self.buttons.addButton(
            "Cancel Sync", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setToolTip("Stop after the book being sent now; the rest stay pending")
        self.cancel_button.clicked.connect(self._cancel)
        self.hide_button = self.buttons.addButton("Hide", QDialogButtonBox.ButtonRole.AcceptRole)
        self.hide_button.setToolTip("Keep syncing in the background; the tray shows progress")
        self.hide_button.clicked.connect(self.hide)
        layout.addWidget(self.buttons)
        self.resize(PROGRESS_WIDTH, self.minimumSizeHint().height())  # no empty space below

    # -- progress ---------------------------------------------------------------------------

    def _progress_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.step_label = QLabel("Starting…")
        self.step_label.setObjectName("syncStep")
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        row = QHBoxLayout()
        self.cover = QLabel()
        self.cover.setFixedSize(*COVER_SIZE)
        self.cover.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.cover.setFrameShape(QFrame.Shape.StyledPanel)
        self.book_label = show_plain(wrapped_label())
        row.addWidget(self.cover)
        row.addWidget(self.book_label, 1)
        self.counts_label = QLabel()
        self.counts_label.setObjectName("syncCounts")
        self.time_label = QLabel()
        self.time_label.setObjectName("syncTimeLeft")
        for widget in (self.step_label, self.bar):
            layout.addWidget(widget)
        layout.addLayout(row)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.time_label)
        layout.addStretch(1)
        return page

    def show_step(
        self,
        phase: str,
        done: int,
        total: int,
        title: str | None,
        book_id: int | None,
        counts: dict[str, int] | None = None,
        eta_seconds: float | None = None,
        waiting_seconds: float = 0.0,
    ) -> None:
        """One step of the pass (`phase` "match" or "send")."""
        # While a book is being sent the step names it: "Sending 3 of 21" with 2 done.
        current = done + 1 if phase == "send" and title and done < total else done
        self.step_label.setText(words.step_line(phase, current, total))
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(min(done, total))
        self.book_label.setText(title or "")
        if phase == "send":
            self._show_cover(book_id)
        if counts is not None:
            self.counts_label.setText(words.counts_line(counts))
        time_left = words.time_left_line(eta_seconds, waiting_seconds)
        self.time_label.setText(time_left)
        self.time_label.setVisible(bool(time_left))  # not known yet: not shown

    def _show_cover(self, book_id: int | None) -> None:
        # A cover may have to be made from the book's file (10-20 ms): only for the dialog on
        # screen, and at most every COVER_EVERY seconds, so a fast pass never stalls the window.
        now = time.monotonic()
        if book_id == self._cover_book or not self.isVisible() or now < self._cover_due:
            return
        self._cover_book, self._cover_due = book_id, now + COVER_EVERY
        path = self._cover_for(book_id) if book_id is not None else None
        pixmap = pixmap_file(path) if path else QPixmap()
        if pixmap.isNull():
            self.cover.setPixmap(QPixmap())
            self.cover.setText("No cover" if book_id is not None else "")
            return
        self.cover.setPixmap(
            pixmap.scaled(
                *COVER_SIZE,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.step_label.setText("Stopping after this book…")
        self.cancel_requested.emit()

    # -- report -----------------------------------------------------------------------------

    def _report_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.report_title = QLabel()
        self.report_title.setObjectName("syncReportTitle")
        font = self.report_title.font()
        font.setBold(True)
        self.report_title.setFont(font)
        self.report_summary = show_plain(wrapped_label())
        self.report = QTreeWidget()
        self.report.setObjectName("syncReport")
        self.report.setHeaderLabels(["Book", "Result", "Details"])
        self.report.setRootIsDecorated(False)
        self.report.setAlternatingRowColors(True)
        header = self.report.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.report.setColumnWidth(0, 220)
        self.report.currentItemChanged.connect(lambda *_: self._update_actions())
        actions = QHBoxLayout()
        self.pick_button = QPushButton("Pick…")
        self.pick_button.setToolTip("Search Hardcover and choose this book yourself")
        self.rematch_button = QPushButton("Re-match")
        self.rematch_button.setToolTip("Forget this book's match and look it up again")
        self.retry_button = QPushButton("Retry")
        self.retry_button.setToolTip("Send this book to Hardcover again now")
        self.exclude_button = QPushButton("Not on Hardcover (Exclude)")
        self.exclude_button.setToolTip(
            "Hardcover does not have this book: stop looking it up and never sync it "
            "(include it again on the Hardcover page)"
        )
        for button, signal in (
            (self.pick_button, self.pick_requested),
            (self.rematch_button, self.rematch_requested),
            (self.exclude_button, self.exclude_requested),
            (self.retry_button, self.retry_requested),
        ):
            button.clicked.connect(lambda _=False, s=signal: self._act(s))
            actions.addWidget(button)
        actions.addStretch(1)
        layout.addWidget(self.report_title)
        layout.addWidget(self.report_summary)
        layout.addWidget(self.report, 1)
        layout.addLayout(actions)
        return page

    def show_report(
        self,
        books: list[BookResult],
        stopped: str | None,
        cancelled: bool = False,
        candidates: Mapping[int, Sequence[Mapping[str, Any]]] | None = None,
    ) -> None:
        """The pass's report (`candidates`: the kept candidates of books needing review)."""
        self.running = False
        counts = outcome_counts(books)
        self.report_title.setText(words.report_title(counts, stopped, cancelled))
        summary = words.counts_line(counts) or "Nothing needed sending."
        if cancelled or stopped == CANCELLED:
            summary = cancelled_line(counts)
        elif stopped:
            summary += f"\nStopped: {stopped}"
        self.report_summary.setText(summary)
        self.report.clear()
        # What needs the user first, then what happened.
        order = {"failed": 0, "needs_review": 1, "not_matched": 2, "skipped": 3, "sent": 4}
        for book in sorted(
            books, key=lambda b: (order.get(b.outcome, 5), words.natural_key(b.title))
        ):
            item = QTreeWidgetItem([book.title, outcome_label(book.outcome)])
            details = book_details(book, (candidates or {}).get(book.book_id, ()))
            item.setText(2, details)
            item.setToolTip(2, plain_tooltip(details))
            item.setData(0, Qt.ItemDataRole.UserRole, (book.book_id, book.outcome))
            self.report.addTopLevelItem(item)
        first = self.report.topLevelItem(0)
        if first is not None:
            self.report.setCurrentItem(first)
        self.pages.setCurrentIndex(1)
        self.resize(max(self.width(), REPORT_SIZE[0]), max(self.height(), REPORT_SIZE[1]))
        self.buttons.removeButton(self.cancel_button)
        self.cancel_button.deleteLater()
        self.hide_button.setText("Close")
        self._update_actions()

    def selected(self) -> tuple[int, str] | None:
        item = self.report.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def settle(self, book_id: int, result: str, details: str) -> None:
        """The user settled a book from the report (Pick, Exclude): its row says what now."""
        for index in range(self.report.topLevelItemCount()):
            item = self.report.topLevelItem(index)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole)[0] == book_id:
                item.setText(1, result)
                item.setText(2, details)
                item.setToolTip(2, plain_tooltip(details))
                item.setData(0, Qt.ItemDataRole.UserRole, (book_id, SETTLED))
        self._update_actions()

    def _update_actions(self) -> None:
        chosen = self.selected()
        outcome = chosen[1] if chosen else None
        self.pick_button.setEnabled(outcome in _PICKABLE)
        self.rematch_button.setEnabled(outcome in _PICKABLE)
        self.exclude_button.setEnabled(outcome in _PICKABLE)
        self.retry_button.setEnabled(outcome in _RETRYABLE)

    def _act(self, signal: Signal) -> None:
        chosen = self.selected()
        if chosen is not None:
            signal.emit(chosen[0])  # type: ignore[attr-defined]

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closing only hides: a running sync goes on, the tray shows it.
        event.ignore()
        self.hide()
