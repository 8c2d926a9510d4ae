"""The catalog's reading shelves are read from the shelves' index, which leaves the unread books
out (`store.pushed_keys_schema`): each shelf's query says the index's condition, or SQLite
would read every book's reading state for every page. The shelves ordered by the latest change
(Currently reading, which holds two statuses, and Want to read) come from it in order, and the
Read shelf from the read books' index by finish date: no page sorts the shelf."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.store.keyset import FIRST
from bookorbit_desktop.library.store.models import ReadingState, database
from bookorbit_desktop.library.store.shelves import record_catalog_listing
from bookorbit_desktop.server.opds import queries, shelves
from tests.factories import add_book
from tests.server.opds.support import write_book_file
from tests.server.opds.test_shelf_feeds import _shelves


@pytest.mark.parametrize("shelf", [queries.CURRENTLY_READING, queries.WANT_TO_READ, queries.READ])
def test_a_shelf_walks_the_shelves_index(library, tmp_path, shelf):
    for n, status in enumerate(("unread", "reading", "want_to_read", "read", "rereading") * 3):
        file = write_book_file(tmp_path, f"{n}.epub", f"book {n}".encode())
        book = add_book(f"Book {n}", file=file, status=status)
        ReadingState.update(updated_at=1000.0 + n).where(ReadingState.book == book.id).execute()
    connection = database.connection()
    seen: list[str] = []
    connection.set_trace_callback(seen.append)
    try:
        page = queries.books_with_status(shelf, FIRST, 2)
    finally:
        connection.set_trace_callback(None)
    assert len(page.items) == 2
    queries_made = [sql for sql in seen if "r.status = " in sql]  # the page, the one before
    assert len(queries_made) == 2
    index = "reading_state_finished" if shelf == queries.READ else "reading_state_status_updated_at"
    for query in queries_made:
        plan = database.execute_sql(f"EXPLAIN QUERY PLAN {query}").fetchall()
        assert any(index in str(row) for row in plan), plan
        assert not any("TEMP B-TREE" in str(row) for row in plan), plan
    indexed = database.execute_sql(
        "SELECT count(*) FROM reading_state INDEXED BY reading_state_status_updated_at"
        " WHERE status != 'unread'"
    ).fetchone()[0]
    assert indexed == 12  # the unread books' states are not in it


def test_a_hardcover_shelf_walks_its_index_in_order(library):
    """A Hardcover shelf's books come from its index in order (the newest join first, then the
    newest book), the books joined at the same moment included: no page sorts them."""
    _shelves(library)
    with database.atomic("IMMEDIATE"):
        record_catalog_listing("want-to-read", 1000.0)  # as the shelf's first request does
    connection = database.connection()
    seen: list[str] = []
    connection.set_trace_callback(seen.append)
    try:
        first = shelves.shelf_books("want-to-read", FIRST, 1)
        assert first.next is not None
        second = shelves.shelf_books("want-to-read", first.next, 1)
    finally:
        connection.set_trace_callback(None)
    assert [book.title for book in (*first.items, *second.items)] == ["Blindsight", "Anathem"]
    queries_made = [sql for sql in seen if "shelf_joined j" in sql]
    assert len(queries_made) == 4  # each page, and whether a page comes before it
    for query in queries_made:
        plan = database.execute_sql(f"EXPLAIN QUERY PLAN {query}").fetchall()
        assert any("shelf_joined_order" in str(row) for row in plan), plan
        assert not any("TEMP B-TREE" in str(row) for row in plan), plan
