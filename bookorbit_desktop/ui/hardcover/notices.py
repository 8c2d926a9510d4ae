"""The Hardcover page's red message after a pass with failures, kept only while it is true.

A pass that leaves books failed says so in red on the page and in the tray. Those books may
reach Hardcover later (the background sync, Retry) or be settled by the user (Pick, Exclude):
once none of them is in the dashboard's "failed" state, the message goes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bookorbit_desktop.services.hardcover.sync import SyncReport
from bookorbit_desktop.ui.hardcover.page import HardcoverView
from bookorbit_desktop.ui.status import StatusHub

SOME_FAILED = "Some books did not reach Hardcover"


class FailedBooksNotice:
    def __init__(self, view: HardcoverView, hub: StatusHub) -> None:
        self._view = view
        self._hub = hub
        self.books: set[int] = set()  # the books the red message is about

    def show(self, report: SyncReport) -> None:
        """Say how a pass went; in red, for its failed books, when some failed."""
        if report.failed:
            self._hub.update(sync_problem=SOME_FAILED)
        self.books = {book.book_id for book in report.books if book.outcome == "failed"}
        self._view.show_message(report.text, error=report.failed)

    def follow(self, states: Callable[[Sequence[int]], Mapping[int, str]]) -> None:
        """Clear the message once none of its books still fails (`states`: the page's state
        of some books)."""
        if not self.books or "failed" in states(sorted(self.books)).values():
            return
        self.books = set()
        self._view.show_message("")
