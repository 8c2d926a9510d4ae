"""The reading shelves list every book on them once, in their order, paged forward and back:
Read by latest finish (books without a finish date last), the others by latest change, ties
by the newest book; books changed or finished at the same moment included."""

from __future__ import annotations

import itertools

import pytest

from bookorbit_desktop.library.store.keyset import FIRST
from bookorbit_desktop.library.store.models import ReadingState
from bookorbit_desktop.server.opds import queries
from tests.factories import add_book
from tests.server.opds.support import write_book_file

FINISHED = [None, "2024-03-01", "2024-03-01", "2025-01-09", None, "2023-12-31"]
UPDATED = [100.0, 100.0, 300.0, 200.0, 300.0]
STATUSES = ["read", "reading", "rereading", "want_to_read", "unread"]


def _expected(rows: list[tuple[int, str, str | None, float]], shelf: tuple[str, ...]) -> list[int]:
    on_shelf = [row for row in rows if row[1] in shelf]
    if shelf == queries.READ:
        ordered = sorted(on_shelf, key=lambda row: (row[2] or "", row[3], row[0]), reverse=True)
    else:
        ordered = sorted(on_shelf, key=lambda row: (row[3], row[0]), reverse=True)
    return [row[0] for row in ordered]


@pytest.mark.parametrize("shelf", [queries.CURRENTLY_READING, queries.WANT_TO_READ, queries.READ])
@pytest.mark.parametrize("size", [1, 2, 3])
def test_a_shelf_pages_through_every_book_once_in_order(library, tmp_path, shelf, size):
    rows = []
    combinations = itertools.product(STATUSES, FINISHED, UPDATED)
    for n, (status, finished, updated) in enumerate(itertools.islice(combinations, 0, None, 7)):
        file = write_book_file(tmp_path, f"{n}.epub", f"book {n}".encode())
        book = add_book(f"Book {n}", file=file, status=status)
        ReadingState.update(finished=finished, updated_at=updated).where(
            ReadingState.book == book.id
        ).execute()
        rows.append((book.id, status, finished, updated))
    expected = _expected(rows, shelf)
    assert len(expected) >= 4

    forward, pages, cursor = [], [], FIRST
    while cursor is not None:
        page = queries.books_with_status(shelf, cursor, size)
        pages.append(page)
        forward += [book.id for book in page.items]
        cursor = page.next
    assert forward == expected
    assert pages[0].previous is None

    backward, cursor = [], pages[-1].previous
    while cursor is not None:
        page = queries.books_with_status(shelf, cursor, size)
        backward = [book.id for book in page.items] + backward
        cursor = page.previous
    assert backward + [book.id for book in pages[-1].items] == expected
