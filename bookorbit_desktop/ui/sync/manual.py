"""One "Sync Now" from the window or the tray, from the first request to the report.

The pass first matches and works out what it would send (a dry run, which sends nothing).
When that is more than `REVIEW_THRESHOLD` entries, or holds dates from the reading history, or
more new books than the background worker publishes by itself (the "new books wait for your
review" the page and the tray show: `hardcover.sync.plan.awaiting_review`), the review dialog
comes first and nothing goes out until the user presses Send; so does a pass that would send books
a Cancel held. Cancel holds every book the review showed: nothing sends them by itself until the
user sends or discards them (`services.hardcover`). The real pass then runs with the
progress dialog, which appears only after `delay` seconds: a sync that ends sooner says its
result in a notification.
Progress also goes to the status hub (tray tooltip) and the Hardcover page's line.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QWidget

from bookorbit_desktop.services.hardcover.sync import approve_dates
from bookorbit_desktop.services.library.table_window import read_later
from bookorbit_desktop.ui.asyncqt import run_dialog
from bookorbit_desktop.ui.status import StatusHub
from bookorbit_desktop.ui.sync import progress_text as words
from bookorbit_desktop.ui.sync.progress_dialog import SyncDialog
from bookorbit_desktop.ui.sync.review_dialog import Cover, ReviewDialog

if TYPE_CHECKING:
    from bookorbit_desktop.services.hardcover.service import HardcoverService
    from bookorbit_desktop.services.hardcover.sync import MatchProgress, SyncProgress, SyncReport

DIALOG_DELAY_SECONDS = 0.8


class ManualSync:
    def __init__(
        self,
        service: HardcoverService,
        hub: StatusHub,
        window: QWidget,
        *,
        cover_for: Callable[[int], str | None],
        show_line: Callable[[str], None],
        notify: Callable[[str, str], None],
        on_dialog: Callable[[QDialog], None] = lambda dialog: None,
        delay: float = DIALOG_DELAY_SECONDS,
        remote_cover: Cover | None = None,
    ) -> None:
        """`remote_cover(url)`: a Hardcover book's cover for the review (None: no covers)."""
        self.service = service
        self.hub = hub
        self.cancel = asyncio.Event()
        self.dialog = SyncDialog(cover_for, window)
        self.dialog.cancel_requested.connect(self.cancel.set)
        self._window = window
        self._show_line = show_line
        self._notify = notify
        self._on_dialog = on_dialog
        self._delay = delay
        self._remote_cover = remote_cover
        self._timer: asyncio.TimerHandle | None = None
        self.reviewed: ReviewDialog | None = None
        self.declined = words.declined_line(0)  # what a Cancel at the review did, in words

    def bring_to_front(self) -> None:
        """Sync Now pressed again while this one runs: show its dialog."""
        self._show_dialog()

    async def run(self, book_ids: list[int] | None = None) -> SyncReport | None:
        """The whole pass; None when the user cancelled at the review (nothing was sent)."""
        self._timer = asyncio.get_running_loop().call_later(self._delay, self._show_dialog)
        try:
            if book_ids is None:
                preview = await self.service.preview_all(matched=self._matched)
                big = preview.stopped is None and (
                    words.needs_review(preview.counts)
                    or preview.dates_from_history > 0
                    or preview.awaiting_review > 0
                    or bool(set(self.service.held_books()) & set(preview.shown))
                )
                if big and not await self._review(preview):
                    return None
            report = await self.service.sync_all(
                matched=self._matched,
                pushed=self._pushed,
                cancel=self.cancel,
                book_ids=book_ids,
                waiting=self._show_line,
            )
        finally:
            if self._timer is not None:
                self._timer.cancel()
        self._finish(report)
        return report

    # -- steps ------------------------------------------------------------------------------

    def _show_dialog(self) -> None:
        self._timer = None
        if not self.dialog.isVisible():
            self.dialog.show()
            self.dialog.raise_()
            self._on_dialog(self.dialog)

    def _matched(self, item: MatchProgress) -> None:
        self.dialog.show_step("match", item.done, item.total, item.title, item.book_id)
        self._step(words.step_line("match", item.done, item.total), item.done, item.total)

    def _pushed(self, item: SyncProgress) -> None:
        self.dialog.show_step(
            "send",
            item.done,
            item.total,
            item.title,
            item.book_id,
            item.counts,
            item.eta_seconds,
            item.waiting_seconds,
        )
        if item.total and item.title:
            line = f"{words.step_line('send', item.done + 1, item.total)}: {item.title}"
            self._step(line, item.done, item.total)

    def _step(self, line: str, done: int, total: int) -> None:
        self.hub.update(sync_done=done, sync_total=total)  # the tray's tooltip
        self._show_line(line)  # after the hub: the page's line says more than the tooltip

    async def _review(self, preview: SyncReport) -> bool:
        """Ask about a big pass; exclude what the user unticked. False: send nothing."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.dialog.hide()
        self.hub.update(sync_done=0, sync_total=0)
        self._show_line("Waiting for you to review what will be sent…")
        # The matches of the books reviewed only, read off the window's thread: a library of
        # any size keeps turning while they are read.
        reviewed = [book.book_id for book in preview.books]
        targets = await read_later(functools.partial(self.service.match_details, reviewed))
        review = ReviewDialog(preview.books, self._window, targets, self._remote_cover)
        self.reviewed = review
        try:
            accepted = await run_dialog(review, lambda: self._on_dialog(review))
            unticked = review.unticked()
            approved = review.approved_dates()
        finally:
            review.deleteLater()
        if not accepted:
            # The user's No: what the review showed is held until they send or discard it.
            held = self.service.decline(preview.shown)
            self.declined = words.declined_line(held)
            self._show_line(self.declined)
            return False
        approve_dates(approved)  # the user's yes: the dates become the books' own
        for book_id in unticked:
            await self.service.exclude(book_id)
        self._timer = asyncio.get_running_loop().call_later(self._delay, self._show_dialog)
        return True

    def _finish(self, report: SyncReport) -> None:
        cancelled = self.cancel.is_set()
        waiting = [book.book_id for book in report.books if book.outcome == "needs_review"]
        candidates = {book: self.service.stored_candidates(book) for book in waiting}
        self.dialog.show_report(report.books, report.stopped, cancelled, candidates)
        if not self.dialog.isVisible():
            self._notify(words.report_title(report.counts, report.stopped, cancelled), report.text)
