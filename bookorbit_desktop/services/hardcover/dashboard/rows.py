"""The Hardcover page's rows as the window reads them: the order and grouping of the books
shown and the counts per state (`library.store.dashboard_rows`, worked out by SQLite), and the
few books on screen with their match, read a window at a time.

`PageQuery` is what the page shows (a state, search terms, the order); `read_listing` reads
its first rows and the counts, and, for a refresh, the books the page holds now as they are
now, so only rows that changed are redrawn. Plain data, safe to read in a worker thread
(`read_listing_later`) on that thread's own connection.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store import dashboard_rows
from bookorbit_desktop.library.store.off_loop import off_loop
from bookorbit_desktop.services.hardcover.dashboard.order import PageStream
from bookorbit_desktop.services.hardcover.dashboard.unchanged import Unchanged
from bookorbit_desktop.services.hardcover.matches import match_details
from bookorbit_desktop.services.library.records import BookRow, MatchInfo
from bookorbit_desktop.services.library.rows import read_table

UNMATCHED = MatchInfo(state="unmatched", reason=None, summary=None)
FIRST_ROWS = 100  # top-level rows read before the page is shown: more than a screen


@dataclass(frozen=True)
class PageRow:
    """A book as the page shows it: the book, its match and its dashboard state."""

    book: BookRow
    match: MatchInfo
    state: str


@dataclass(frozen=True)
class PageQuery:
    """What the page shows: the books in `state` (None: all) whose title, authors or series
    hold every term of `search`, in the library's order or (`descending`) reversed."""

    state: str | None = None
    search: str = ""
    descending: bool = False

    def terms(self) -> tuple[str, ...]:
        return tuple(fold(self.search).split())

    def stream(self, rows: int = FIRST_ROWS) -> PageStream:
        """The page's rows for this query, read up to `rows` top-level rows."""
        stream = PageStream(self.state, self.terms(), descending=self.descending)
        stream.until(rows)
        return stream

    def count(self, counts: Mapping[str, int], stream: PageStream) -> int:
        """How many books `stream` (of this query) shows, with `counts` the books per state."""
        if stream.total is not None:  # a search: its books are read at once
            return stream.total
        return counts.get(self.state, 0) if self.state else sum(counts.values())


@dataclass(frozen=True)
class PageListing:
    stream: PageStream  # the rows, read up to the ones on screen
    counts: dict[str, int]  # shown books per state (every state, whatever the query)
    shown: int  # the books the query shows
    fresh: dict[int, PageRow] = field(default_factory=dict)  # the books asked for, as now


_state_counts = Unchanged(dashboard_rows.state_counts)  # read again once something was written


def read_rows(book_ids: Sequence[int]) -> dict[int, PageRow]:
    """These books with their match and state (books the page does not show are left out)."""
    if not book_ids:
        return {}
    states = dashboard_rows.states_of(book_ids)
    wanted = sorted(states)
    details = match_details(wanted)
    return {
        book.id: PageRow(book.as_book(), details.get(book.id, UNMATCHED), states[book.id])
        for book in read_table(wanted, dashboard_rows.match_states)
    }


def read_listing(
    query: PageQuery,
    known: Sequence[int] = (),
    rows: int = 0,
    counts: dict[str, int] | None = None,
) -> PageListing:
    """The rows of `query` (at least `rows` top-level rows), the counts (read afresh unless
    given), and the `known` books as they are now."""
    stream = query.stream(max(rows, FIRST_ROWS))
    counts = _state_counts() if counts is None else counts
    return PageListing(stream, counts, query.count(counts, stream), read_rows(known))


async def read_listing_later(
    query: PageQuery, known: Sequence[int] = (), rows: int = 0
) -> PageListing:
    """`read_listing` in a worker thread on its own connection."""
    return await off_loop(read_listing, query, known, rows)


def other_copies(book_id: int) -> list[int]:
    return dashboard_rows.other_copies(book_id)


def states_of(book_ids: Sequence[int]) -> dict[int, str]:
    return dashboard_rows.states_of(book_ids)
