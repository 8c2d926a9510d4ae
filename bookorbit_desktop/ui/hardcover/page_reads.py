"""What the Hardcover page reads on the window's thread, and what it leaves to a worker.

The page's rows are read a window at a time, so they are read at once: the page is filled
without waiting. The account's state and the counts over the whole library (the sync's waiting
work, the books per state) take longer the larger the library: they are read off the window's
thread and shown when they arrive, the counts only once something was written. `Counted` says
whether the counts on screen still hold: nothing was written since the read that brought them
began.
"""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.services.hardcover.dashboard.rows import PageListing, read_listing
from bookorbit_desktop.services.hardcover.dashboard.unchanged import State, state
from bookorbit_desktop.ui.hardcover.page import HardcoverView


def page_wanted(view: HardcoverView) -> dict[str, Any]:
    """What a read of the page asks for: the rows the filters show, as many as are shown
    now, and the books held, read again (only the rows that changed are redrawn)."""
    model = view.model
    return {"query": view.current_query(), "known": model.held(), "rows": model.tops()}


def rows_now(view: HardcoverView) -> PageListing:
    """The page's rows as stored now, with the counts it shows (read again elsewhere)."""
    return read_listing(**page_wanted(view), counts=dict(view.counts))


class Counted:
    """Whether the account's state and the counts shown are still the library's."""

    def __init__(self) -> None:
        self.kept: State | None = None  # the library when the read shown began

    @staticmethod
    def now() -> State | None:
        """The library as the window's thread knows it (before a read begins)."""
        return state()

    def shown(self, at: State | None) -> None:
        """The read that began at `at` is on screen."""
        self.kept = at

    def current(self) -> bool:
        """Nothing was written since the read shown began."""
        return self.kept is not None and self.kept == state()
