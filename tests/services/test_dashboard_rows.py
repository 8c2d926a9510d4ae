"""The Hardcover page's states and counts worked out by SQLite say what the rule for one book
(`state_of`) says of each book, for every mix of match state, sync
state and waiting change."""

from __future__ import annotations

import itertools
import sqlite3
from collections import Counter

from bookorbit_desktop.library.store import dashboard_rows
from bookorbit_desktop.library.store.models import (
    Book,
    HardcoverMatch,
    HardcoverSync,
    SyncOutbox,
)
from bookorbit_desktop.services.hardcover.dashboard.unchanged import Unchanged
from tests.factories import add_book

MATCHES = (None, "linked", "needs_review", "no_match", "unmatched", "error", "excluded", "removed")
SYNCS = (None, "synced", "failed", "blocked", "ahead", "kept")


def make_books():
    """A book for every mix; the expected state of each shown one."""
    expected: dict[int, str] = {}
    combos = itertools.product(MATCHES, SYNCS, (False, True), ("unread", "reading"))
    for number, (match, synced, queued, status) in enumerate(combos):
        book = add_book(f"Book {number:03}", status=status)
        if match is not None:
            HardcoverMatch.create(book=book.id, state=match, candidates=[], updated_at=1.0)
        if synced is not None:
            HardcoverSync.create(book=book.id, state=synced, snapshot={}, updated_at=1.0)
        if queued:
            SyncOutbox.create(book=book.id, kinds={"status": 1.0}, queued_at=1.0)
        if match is not None or status != "unread":  # the page shows it
            expected[book.id] = dashboard_rows.state_of(match, synced, queued)
    return expected


def test_each_books_state_and_the_counts_are_the_dashboards(library):
    expected = make_books()
    everyone = [book.id for book in Book.select(Book.id)]  # the unread unmatched ones too
    assert len(everyone) > len(expected)
    assert dashboard_rows.states_of(everyone) == expected
    assert dashboard_rows.state_counts() == dict(Counter(expected.values()))
    for state in set(expected.values()):
        assert dashboard_rows.count(state, ()) == list(expected.values()).count(state)


def test_whole_library_counts_are_read_again_once_something_is_written(library):
    reads: list[int] = []

    def read() -> int:
        reads.append(1)
        return len(reads)

    kept = Unchanged(read)
    assert kept() == 1 and kept() == 1  # nothing written since: not read again
    add_book("Dune", status="reading")  # written on this connection
    assert kept() == 2 and kept() == 2
    other = sqlite3.connect(library.db_file)  # another process, say
    with other:
        other.execute("UPDATE reading_state SET progress = 0.5")
    other.close()
    assert kept() == 3
