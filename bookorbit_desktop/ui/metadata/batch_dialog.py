"""Fetch Metadata for N Books…: every source is asked about every book in the background (a
progress bar and one status line per book; Stop keeps what was fetched), then the books are
reviewed one by one in the same comparison as for one book, or all at once with "Fill Empty
Fields", which only gives a book values for the fields it has none of. Failed answers are
listed with their reason, and Retry asks again only the sources that failed.

The review starts as soon as the first book has an answer; the window never waits: the fetch
is a task on the event loop and the database is read and written in worker threads.
Keys: Alt+N / Page Down next book, Alt+P / Page Up previous, Enter applies and goes on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.metadata_sources.records import SourceResult
from bookorbit_desktop.services import book_titles
from bookorbit_desktop.services.metadata import FetchProgress, MetadataService
from bookorbit_desktop.ui.asyncqt import error_text, spawn
from bookorbit_desktop.ui.metadata.diff_pane import DiffPane
from bookorbit_desktop.ui.metadata.texts import STATUS_MEANING, source_label
from bookorbit_desktop.ui.text import counted
from bookorbit_desktop.ui.widgets import wrapped_label


def short_status(results: Sequence[SourceResult]) -> str:
    return " · ".join(f"{source_label(r.source)}: {r.status}" for r in results)


class BatchDialog(QDialog):
    """`finished_fetch()` when the fetch (or a retry) ends; `saved(book_id, text)` after each
    apply; `shown(book_id)` when the review shows a book."""

    finished_fetch = Signal()
    saved = Signal(int, str)
    shown = Signal(int)

    def __init__(
        self, service: MetadataService, book_ids: Sequence[int], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.book_ids = list(dict.fromkeys(book_ids))
        self.titles: dict[int, str] = {}
        self.items: dict[int, QListWidgetItem] = {}
        self.failures: dict[int, dict[str, SourceResult]] = {}
        self.review: list[int] = []  # books with at least one candidate, in the given order
        self.position = -1
        self.task: asyncio.Task[None] | None = None
        self.fetching = False
        self.cancel = asyncio.Event()
        self.setWindowTitle(f"Fetch Metadata for {counted('%n book(s)', len(self.book_ids))}")

        self.progress = QProgressBar()
        self.progress.setRange(0, len(self.book_ids))
        self.progress.setAccessibleName("Books fetched")
        self.progress_label = wrapped_label()
        self.book_list = QListWidget()
        self.book_list.setAccessibleName("Each book's answers")
        self.book_list.itemActivated.connect(self._show_item)
        self.failed_list = QListWidget()
        self.failed_list.setAccessibleName("Failed answers")
        self.retry_button = QPushButton("&Retry Failed")
        self.retry_button.setToolTip("Ask again only the sources that failed, for those books")
        self.retry_button.clicked.connect(self.retry)
        self.stop_button = QPushButton("&Stop")
        self.stop_button.setToolTip("Stop after the books under way; what was fetched is kept")
        self.stop_button.clicked.connect(self.stop)
        fetching = QGroupBox("Fetching")
        lists = QHBoxLayout()
        lists.addWidget(self.book_list, 3)
        failed = QVBoxLayout()
        failed.addWidget(wrapped_label("Failed:"))
        failed.addWidget(self.failed_list, 1)
        failed.addWidget(self.retry_button)
        lists.addLayout(failed, 2)
        top = QVBoxLayout(fetching)
        bar = QHBoxLayout()
        bar.addWidget(self.progress, 1)
        bar.addWidget(self.stop_button)
        top.addLayout(bar)
        top.addWidget(self.progress_label)
        top.addLayout(lists, 1)

        self.pane = DiffPane(service, self)
        self.pane.applied.connect(self.saved.emit)
        self.position_label = wrapped_label("Waiting for the first answers…")
        self.position_label.setAccessibleName("Book under review")
        self.previous_button = QPushButton("&Previous")
        self.previous_button.clicked.connect(self.previous_book)
        self.next_button = QPushButton("&Next")
        self.next_button.clicked.connect(self.next_book)
        self.apply_button = QPushButton("&Apply and Next")
        self.apply_button.setDefault(True)
        self.apply_button.setAutoDefault(True)
        self.apply_button.setToolTip("Save the ticked values as your own edit (Enter)")
        self.apply_button.clicked.connect(self.apply_and_next)
        self.fill_button = QPushButton("Fill &Empty Fields in All Books")
        self.fill_button.setToolTip(
            "For every book reviewed here, take the best value of each field the book has no "
            "value for; nothing the book already has is changed"
        )
        self.fill_button.clicked.connect(self.fill_empty)
        self.message = wrapped_label()
        self.message.setAccessibleName("Result")
        reviewing = QGroupBox("Review")
        nav = QHBoxLayout()
        nav.addWidget(self.position_label, 1)
        nav.addWidget(self.previous_button)
        nav.addWidget(self.next_button)
        below = QVBoxLayout(reviewing)
        below.addLayout(nav)
        below.addWidget(self.pane, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(fetching)
        splitter.addWidget(reviewing)
        splitter.setStretchFactor(1, 3)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.fill_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        for key, move in ((Qt.Key.Key_PageDown, self.next_book),
                          (Qt.Key.Key_PageUp, self.previous_book)):  # fmt: skip
            QShortcut(QKeySequence(key), self).activated.connect(move)
        for other in self.findChildren(QPushButton):
            if other is not self.apply_button:
                other.setAutoDefault(False)  # Enter applies, whichever button had the focus
        self.resize(1000, 820)
        self._update_buttons()

    # -- fetching ---------------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        self.task = spawn(self._run(), self)
        return self.task

    async def _run(self) -> None:
        self.titles = await book_titles.titles(self.book_ids)
        self.book_ids = [b for b in self.book_ids if b in self.titles]
        self.progress.setRange(0, len(self.book_ids))
        self.progress.setValue(0)
        for book_id in self.book_ids:
            item = QListWidgetItem(f"{self.titles[book_id]} — waiting")
            item.setData(Qt.ItemDataRole.UserRole, book_id)
            self.items[book_id] = item
            self.book_list.addItem(item)
        await self._fetching(self.service.fetch(self.book_ids, progress=self._progress,
                                                cancel=self.cancel))  # fmt: skip

    async def _fetching(self, work: Awaitable[object]) -> None:
        self.cancel.clear()
        self.fetching = True
        self.stop_button.setEnabled(True)
        self.retry_button.setEnabled(False)
        self.progress_label.setText("Asking Hardcover, Open Library and Google Books…")
        try:
            await work
        except BookOrbitError as error:
            title, text = error_text(error)
            self.progress_label.setText(f"{title}. {text}")
        else:
            done = self.progress.value()
            stopped = " (stopped)" if done < len(self.book_ids) else ""
            self.progress_label.setText(
                f"Fetched {done:,} of {counted('%n book(s)', len(self.book_ids))}{stopped}; "
                f"{len(self.review):,} with values to review, {len(self.failures):,} with "
                "failed answers."
            )
        finally:
            self.fetching = False
            self.stop_button.setEnabled(False)
            self._update_buttons()
            self.finished_fetch.emit()

    def _progress(self, step: FetchProgress) -> None:
        item = self.items.get(step.book_id)
        if item is None:  # a retry also asks again about books from other fetches
            return
        self.progress.setValue(min(max(self.progress.value(), 0) + 1, self.progress.maximum()))
        failed = self.failures.setdefault(step.book_id, {})
        for result in step.results:
            if result.failed:
                failed[result.source] = result
            else:
                failed.pop(result.source, None)
        if not failed:
            del self.failures[step.book_id]
        item.setText(f"{self.titles[step.book_id]} — {short_status(step.results)}")
        self._show_failures()
        if any(r.candidates for r in step.results) and step.book_id not in self.review:
            self.review.append(step.book_id)
            self.review.sort(key=self.book_ids.index)
            if self.position < 0:
                self.go_to(0)
            else:
                self.position = self.review.index(self.pane.book_id or step.book_id)
                self._show_position()

    def _show_failures(self) -> None:
        self.failed_list.clear()
        for book_id in self.book_ids:
            for result in self.failures.get(book_id, {}).values():
                why = result.message or STATUS_MEANING.get(result.status, "")
                self.failed_list.addItem(
                    f"{self.titles[book_id]} — {source_label(result.source)}: "
                    f"{result.status}: {why}"
                )

    def stop(self) -> None:
        self.cancel.set()
        self.progress_label.setText("Stopping after the books under way…")

    def retry(self) -> asyncio.Task[None] | None:
        if not self.failures or self.fetching:
            return None
        self.progress.setValue(self.progress.maximum() - len(self.failures))
        self.task = spawn(self._fetching(self.service.retry(progress=self._progress,
                                                            cancel=self.cancel)), self)  # fmt: skip
        return self.task

    # -- reviewing --------------------------------------------------------------------------

    def go_to(self, position: int) -> asyncio.Task[object] | None:
        if not 0 <= position < len(self.review):
            return None
        self.position = position
        self._show_position()
        book_id = self.review[position]
        self.book_list.setCurrentItem(self.items[book_id])
        return spawn(self._load(book_id), self)

    async def _load(self, book_id: int) -> object:
        shown = await self.pane.load(book_id)
        self.shown.emit(book_id)
        return shown

    def _show_position(self) -> None:
        book_id = self.review[self.position]
        self.position_label.setText(
            f"Book {self.position + 1:,} of {len(self.review):,}: {self.titles[book_id]}"
        )
        self._update_buttons()

    def next_book(self) -> asyncio.Task[object] | None:
        return self.go_to(self.position + 1)

    def previous_book(self) -> asyncio.Task[object] | None:
        return self.go_to(self.position - 1)

    def _show_item(self, item: QListWidgetItem) -> None:
        book_id = int(item.data(Qt.ItemDataRole.UserRole))
        if book_id in self.review:
            self.go_to(self.review.index(book_id))

    def apply_and_next(self) -> asyncio.Task[None]:
        return spawn(self._apply_and_next(), self)

    async def _apply_and_next(self) -> None:
        text = await self.pane.apply()
        if text is None and self.pane.error_label.isVisible():
            return  # the reason is shown; stay on this book
        self.message.setText(text or "Nothing ticked: the book was left as it is.")
        if self.position + 1 < len(self.review):
            task = self.next_book()
            if task is not None:
                await task

    def fill_empty(self) -> asyncio.Task[int]:
        return spawn(self._fill_empty(), self)

    async def _fill_empty(self) -> int:
        """Every reviewed book takes the best value of each field it has none of."""
        self.fill_button.setEnabled(False)
        changed = 0
        problems: list[str] = []
        try:
            for book_id in list(self.review):
                try:
                    result = await self.service.apply_best(book_id, only_empty=True)
                except BookOrbitError as error:
                    problems.append(f"{self.titles[book_id]}: {error.message}")
                    continue
                if result.applied:
                    changed += 1
                    self.saved.emit(book_id, "")
        finally:
            self._update_buttons()
        text = f"Filled empty fields in {counted('%n book(s)', changed)}."
        if problems:
            text += " Not filled: " + "; ".join(problems)
        self.message.setText(text)
        if self.pane.book_id is not None:
            await self.pane.load(self.pane.book_id)
        return changed

    def _update_buttons(self) -> None:
        self.previous_button.setEnabled(self.position > 0)
        self.next_button.setEnabled(0 <= self.position < len(self.review) - 1)
        self.apply_button.setEnabled(self.position >= 0)
        self.fill_button.setEnabled(bool(self.review))
        self.retry_button.setEnabled(not self.fetching and bool(self.failures))

    def reject(self) -> None:
        self.cancel.set()
        if self.task is not None and not self.task.done():
            self.task.cancel()
        super().reject()
