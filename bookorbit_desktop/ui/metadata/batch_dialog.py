"""Fetch Metadata for N Books…: every source is asked about every book in the background (a
progress bar and one status line per book, each source's status as it answers; Stop keeps
what was fetched), then the books are reviewed one by one in the same comparison as for one
book, or all at once with "Fill Empty Fields", which only gives a book values for the fields
it has none of (or only "Unknown"), never from a record of another edition, after a review
the user confirms (`fill_review`: per field, how many books get a value from which source,
and the records left out). Failed answers are listed with their reason, and Retry
asks again only the sources that failed, for this batch's books. `show_failed()` opens the
same dialog on the failed fetches stored by earlier runs (the window's or the command
line's), to review them and retry.

The review starts as soon as the first book has an answer and a book joins it when its first
source with values answers; the window never waits: the fetch is a task on the event loop,
the database is read and written in worker threads, and each answer costs the window the same
whatever the number of books (`fetch_status`).
Keys: Alt+N / Page Down next book, Alt+P / Page Up previous, Enter applies and goes on.
"""

from __future__ import annotations

import asyncio
import bisect
import time
from collections.abc import Awaitable, Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.services.library import titles as book_titles
from bookorbit_desktop.services.metadata.apply import FillOutcome, finish_fill, start_fill
from bookorbit_desktop.services.metadata.service import FetchAnswer, FetchProgress, MetadataService
from bookorbit_desktop.ui.asyncqt import error_text, run_dialog, spawn
from bookorbit_desktop.ui.metadata.diff_pane import DiffPane
from bookorbit_desktop.ui.metadata.fetch_status import FetchStatus
from bookorbit_desktop.ui.metadata.fill_review import FillReview, fill_message
from bookorbit_desktop.ui.metadata.screen_fit import fit_on_screen
from bookorbit_desktop.ui.text import counted, show_plain
from bookorbit_desktop.ui.widgets import push_button, wide_row, wrapped_label

SHOWN_AT_ONCE = 200  # stored answers listed in one turn of the loop


class BatchDialog(QDialog):
    """`finished_fetch()` when the fetch (or a retry) ends; `saved(book_id, text)` after each
    apply; `shown(book_id)` when the review shows a book."""

    finished_fetch = Signal()
    saved = Signal(int, str)
    shown = Signal(int)

    def __init__(
        self,
        service: MetadataService,
        book_ids: Sequence[int] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.book_ids = list(dict.fromkeys(book_ids))
        self.titles: dict[int, str] = {}
        self.order: dict[int, int] = {}  # book -> its place in `book_ids`
        self.review: list[int] = []  # books with at least one candidate, in the given order
        self.in_review: set[int] = set()
        self.position = -1
        self.task: asyncio.Task[Any] | None = None  # the fetch, retry or reading under way
        self.fetching = False
        self.question: FillReview | None = None  # the fill's review while it is open
        self.cancel = asyncio.Event()
        self.setWindowTitle(f"Fetch Metadata for {counted('%n book(s)', len(self.book_ids))}")

        self.status = FetchStatus(self)
        self.status.activated.connect(self._show_book)
        self.status.retry_button.clicked.connect(self.retry)
        self.status.stop_button.clicked.connect(self.stop)
        # The names the tests and the window's other parts use for the status box's parts.
        self.progress, self.progress_label = self.status.progress, self.status.label
        self.book_list, self.failed_list = self.status.book_list, self.status.failed_list
        self.retry_button, self.stop_button = self.status.retry_button, self.status.stop_button
        self.items, self.failures = self.status.items, self.status.failures

        self.pane = DiffPane(service, self)
        self.pane.applied.connect(self.saved.emit)
        self.position_label = wrapped_label("Waiting for the first answers…")
        self.position_label.setAccessibleName("Book under review")
        self.previous_button = push_button("&Previous", self.previous_book)
        self.next_button = push_button("&Next", self.next_book)
        self.apply_button = QPushButton("&Apply and Next")
        self.apply_button.setDefault(True)
        self.apply_button.setAutoDefault(True)
        self.apply_button.setToolTip("Save the ticked values as your own edit (Enter)")
        self.apply_button.clicked.connect(self.apply_and_next)
        self.fill_button = QPushButton("Fill &Empty Fields in All Books")
        self.fill_button.setToolTip(
            "For every book reviewed here, take the best value of each field the book has no "
            "value for (or only “Unknown”); nothing else the book has is changed"
        )
        self.fill_button.clicked.connect(self.fill_empty)
        self.message = show_plain(wrapped_label())
        self.message.setAccessibleName("Result")
        reviewing = QGroupBox("Review")
        nav = wide_row(self.position_label, self.previous_button, self.next_button)
        below = QVBoxLayout(reviewing)
        below.addLayout(nav)
        below.addWidget(self.pane, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.status)
        splitter.addWidget(reviewing)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
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
        fit_on_screen(self, QSize(1000, 820))
        self.stop_button.setEnabled(False)
        self._update_buttons()

    # -- fetching ---------------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        """Fetch every book from every source."""
        self.task = spawn(self._run(), self)
        return self.task

    async def _books(self, book_ids: Sequence[int]) -> None:
        """Read the books' titles and list them (books no longer in the library left out)."""
        self.titles = await book_titles.titles(list(book_ids))
        self.book_ids = [b for b in book_ids if b in self.titles]
        self.order = {b: n for n, b in enumerate(self.book_ids)}
        self.status.set_books(self.book_ids, self.titles)

    async def _run(self) -> None:
        await self._books(self.book_ids)
        await asyncio.sleep(0)  # the list is drawn before its lines change (thousands of books)
        self.status.asking_for((b, self.service.sources) for b in self.book_ids)
        work = self.service.fetch(
            self.book_ids, progress=self._progress, answered=self._answered, cancel=self.cancel
        )
        await self._fetching(work)

    def show_failed(self) -> asyncio.Task[int]:
        """List the failed fetches stored by earlier runs (with their reasons, each book's
        other answers ready to review) without asking anything; the task gives how many books
        have one. Retry Failed asks those sources again."""
        self.setWindowTitle("Failed Metadata Fetches")
        task = spawn(self._show_failed(), self)
        self.task = task
        return task

    async def _show_failed(self) -> int:
        self.progress_label.setText("Reading the failed fetches…")
        answers = await self.service.failed_answers()
        await self._books(list(dict.fromkeys(a.book_id for a in answers)))
        for start in range(0, len(answers), SHOWN_AT_ONCE):
            await asyncio.sleep(0)  # the window redraws between slices of a long list
            for answer in answers[start : start + SHOWN_AT_ONCE]:
                self._answered(answer)
        failed = len(self.failures)
        self.progress.setValue(len(self.book_ids) - failed)  # books with every answer
        self.progress.setVisible(False)  # nothing is fetched here: Retry Failed shows it
        self.progress_label.setText(
            f"{counted('%n book(s)', failed)} with a failed fetch. Retry Failed asks those "
            f"sources again{'; the other answers can be reviewed below' if self.review else ''}."
            if failed
            else "No metadata fetch has failed."
        )
        self.setWindowTitle(f"Failed Metadata Fetches: {counted('%n book(s)', failed)}")
        self._update_buttons()
        self._say_if_nothing_to_review()
        return failed

    async def _fetching(self, work: Awaitable[object]) -> None:
        self.cancel.clear()
        self.fetching = self.status.asking = self.pane.asking = True
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
            self.fetching = self.status.asking = self.pane.asking = False
            if self.progress.value() < self.progress.maximum():  # stopped: "not answered"
                self.status.refresh_lines()
            self.stop_button.setEnabled(False)
            self._update_buttons()
            self._say_if_nothing_to_review()
            self.finished_fetch.emit()

    def _say_if_nothing_to_review(self) -> None:
        if self.review:
            return  # it shows its first book
        if self.failures:
            said = (
                "Nothing to review yet: no source answered with values. Retry Failed asks the "
                "failed sources again."
            )
        elif self.book_ids:
            said = "Nothing to review: no source had values for these books."
        else:  # no book listed (no failed fetch to show): the line above says it all
            said = ""
        self.position_label.setText(said)

    def _answered(self, answer: FetchAnswer) -> None:
        """One source's answer for one book, as it came: the book's line, the failed list and
        the review (the book joins it with its first values; shown, it shows the new ones)."""
        book_id = answer.book_id
        if not self.status.note(book_id, answer.result):
            return
        if answer.result.candidates and book_id not in self.in_review:
            self._add_to_review(book_id)
        elif book_id == self.pane.book_id and self.position >= 0:
            spawn(self.pane.load(book_id, keep_picks=True), self)
        self._update_buttons()

    def _progress(self, step: FetchProgress) -> None:
        if step.book_id in self.order:
            self.status.book_done()

    def _add_to_review(self, book_id: int) -> None:
        place = self.order[book_id]
        index = bisect.bisect(self.review, place, key=self.order.__getitem__)
        self.review.insert(index, book_id)
        self.in_review.add(book_id)
        if self.position < 0:
            self.go_to(0)
            return
        if index <= self.position:
            self.position += 1
        self._show_position()

    def stop(self) -> None:
        self.cancel.set()
        self.progress_label.setText("Stopping after the books under way…")

    def retry(self) -> asyncio.Task[None] | None:
        """Ask again the sources that failed, for this batch's books only."""
        if not self.failures or self.fetching:
            return None
        plan = self.status.failed_plan()
        self.progress.setVisible(True)
        self.status.asking = True
        self.status.asking_for(plan)
        work = self.service.retry(
            [b for b, _ in plan], progress=self._progress, answered=self._answered,
            cancel=self.cancel,
        )  # fmt: skip
        self.task = spawn(self._fetching(work), self)
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

    def _show_book(self, book_id: int) -> None:
        """Review `book_id` (its line was activated) when it has values to review."""
        if book_id in self.in_review:
            place = self.order[book_id]
            self.go_to(bisect.bisect_left(self.review, place, key=self.order.__getitem__))

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
        """Every reviewed book takes the best value of each field it has none of, as one step
        of Edit ▸ Undo, once the user has confirmed the review of what it gives (`FillReview`,
        from the service's plan: what it shows is what is saved)."""
        self.fill_button.setEnabled(False)
        try:
            plan = await self.service.fill_plan(self.review)
            review = FillReview(plan, len(self.review), self)
            self.question = review
            if await run_dialog(review) != QDialog.DialogCode.Accepted:
                self.message.setText("Nothing was filled.")
                return 0
            outcome = FillOutcome(plan.counts)
            step = start_fill(time.time())
            try:
                for book_id, picks in plan.picks.items():
                    try:
                        result = await self.service.fill(plan, book_id, step=step)
                    except BookOrbitError as error:  # the book removed meanwhile
                        outcome.failed(picks, f"{self.titles[book_id]}: {error.message}")
                        continue
                    outcome.add(result, picks)
                    if result.applied:
                        self.saved.emit(book_id, "")
            finally:
                finish_fill(step)
        finally:
            self.question = None
            self._update_buttons()
        self.message.setText(fill_message(outcome))
        if self.pane.book_id is not None:
            await self.pane.load(self.pane.book_id)
        return outcome.books

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
