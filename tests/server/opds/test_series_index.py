"""A page of the Series list costs what a page holds, however deep: the key's bound on the
series name (an expression, `lower(series)`) is what SQLite seeks by. Without it, checking for
a page before the first one read every book with a series, and a deep page read every series
before it."""

from __future__ import annotations

from bookorbit_desktop.library.store.keyset import FIRST, Cursor
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.server.opds import queries
from tests.factories import add_book
from tests.server.opds.support import write_book_file

SERIES = 200


def _steps(cursor: Cursor, size: int) -> int:
    """SQLite's virtual-machine steps to answer one page (and its neighbours' checks)."""
    steps = [0]

    def count() -> int:
        steps[0] += 1
        return 0

    connection = database.connection()
    connection.set_progress_handler(count, 100)
    try:
        queries.series(cursor, size)
    finally:
        connection.set_progress_handler(None, 0)
    return steps[0]


def test_a_page_of_series_reads_its_own_series_not_the_list(library, tmp_path):
    for n in range(SERIES):
        file = write_book_file(tmp_path, f"{n}.epub", f"book {n}".encode())
        add_book(f"Book {n}", file=file, series=f"Series {n:03d}", series_index=1)
    whole = _steps(FIRST, SERIES)  # every series on one page
    cursor, pages = FIRST, []
    while cursor is not None:
        pages.append(cursor)
        cursor = queries.series(cursor, 10).next
    assert len(pages) == SERIES // 10
    for cursor in (pages[0], pages[1], pages[len(pages) * 3 // 4], pages[-1]):
        assert _steps(cursor, 10) < whole / 5, cursor
    last = queries.series(pages[-1], 10)
    assert [entry.name for entry in last.items] == [f"Series {n:03d}" for n in range(190, 200)]
    assert last.next is None and last.previous is not None
    assert _steps(last.previous, 10) < whole / 5
