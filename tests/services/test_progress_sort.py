"""The library table's order by progress, read from its stored key (`book_sort_key.progress`):
the same order as the rule says (progress, a book without a reading state at 0 %, the library's
order between equal progress either way), the Inbox's books left out and the filters applied,
and a KOReader push stored since the key was last brought up to date already in its place."""

from __future__ import annotations

import random
import sqlite3
import time

import pytest

from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.models import (
    ALIAS_CONTENT,
    DocumentAlias,
    ReadingState,
    database,
)
from bookorbit_desktop.services.library.table_window import ordered_ids
from tests.factories import add_book
from tests.library.store.test_sort_keys import up_to_date

STATUSES = ("unread", "reading", "read")


def rule(descending: bool, status: str | None = None) -> list[int]:
    """The order as the table's rule gives it, worked out in Python: the library's order
    (sort title, then id), then a stable sort by progress (0 % without a reading state)."""
    rows = database.execute_sql(
        "SELECT b.id, b.sort_title, coalesce(r.progress, 0.0), coalesce(r.status, 'unread')"
        " FROM book b LEFT JOIN reading_state r ON r.book_id = b.id"
        " WHERE b.id NOT IN (SELECT book_id FROM book_inbox)"
    ).fetchall()
    rows = [row for row in rows if status is None or row[3] == status]
    library = sorted(rows, key=lambda row: (row[1], row[0]))
    return [row[0] for row in sorted(library, key=lambda row: row[2], reverse=descending)]


@pytest.fixture
def books(library) -> list[int]:
    """Forty books, titles given out of order: most at one of a few progress values (ties at
    0 %, 50 % and 100 %), some with a progress of their own, one below 0 %, two without a
    reading state, two waiting in the Inbox."""
    rng = random.Random(3)
    titles = [f"Title {rng.randrange(1000):03}" for _ in range(40)]
    titles[7] = titles[8]  # two equal sort titles: the id decides
    ids = []
    for n, title in enumerate(titles):
        book = add_book(title, status=STATUSES[n % 3])
        progress = rng.choice((0.0, 0.0, 0.5, 1.0, 1.0, rng.random()))
        ReadingState.update(progress=-0.25 if n == 5 else progress).where(
            ReadingState.book == book.id
        ).execute()
        ids.append(book.id)
    ReadingState.delete().where(ReadingState.book.in_(ids[10:12])).execute()
    inbox.hold(ids[20:22])
    return ids


@pytest.mark.parametrize("descending", [False, True])
def test_the_order_by_progress_is_the_rules_with_ties_in_the_librarys_order(books, descending):
    assert list(ordered_ids("progress", descending)) == rule(descending)


@pytest.mark.parametrize("descending", [False, True])
def test_the_status_filter_applies_to_every_part_of_the_order(books, descending):
    for status in STATUSES:
        shown = list(ordered_ids("progress", descending, status=status))
        assert shown == rule(descending, status) and shown


def test_a_library_where_every_book_has_progress_needs_no_books_at_zero(library):
    ids = [add_book(f"Book {n}").id for n in range(5)]
    for n, book_id in enumerate(ids):
        ReadingState.update(progress=(5 - n) / 10).where(ReadingState.book == book_id).execute()
    assert list(ordered_ids("progress", False)) == ids[::-1]
    assert list(ordered_ids("progress", True)) == ids


def test_the_order_of_a_few_books_is_the_same_rule(books):
    among = books[::3]
    expected = [book_id for book_id in rule(True) if book_id in among]
    assert list(ordered_ids("progress", True, among=among)) == expected


def test_the_sort_walks_the_progress_key_index(books):
    plan = database.execute_sql(
        "EXPLAIN QUERY PLAN SELECT k.book_id FROM book_sort_key k"
        " ORDER BY k.progress, k.sort_title, k.book_id"
    ).fetchall()
    assert any("book_sort_key_progress" in str(row) for row in plan)
    assert not any("TEMP B-TREE" in str(row) for row in plan)


def _push(document: str, percentage: float, when: int) -> None:
    with database.atomic():
        record_pushes([(Push(document, "/body/p[1]", percentage, "Kobo"), when)])


@pytest.mark.parametrize("descending", [False, True])
def test_books_pushed_since_the_keys_were_brought_up_to_date_sort_in_place(books, descending):
    up_to_date()
    for n, book_id in enumerate(books[30:36]):
        DocumentAlias.create(document=f"doc{n}", kind=ALIAS_CONTENT, book=book_id, created_at=1.0)
        _push(f"doc{n}", (n * 37 % 100) / 100, 1_800_000_000 + n)
    stored = database.execute_sql(
        "SELECT count(*) FROM book_sort_key k JOIN reading_state r ON r.book_id = k.book_id"
        " WHERE k.progress IS NOT r.progress"
    ).fetchone()[0]
    assert stored > 0, "a push leaves the key to be brought up to date"
    assert list(ordered_ids("progress", descending)) == rule(descending)
    among = books[28:38]
    expected = [book_id for book_id in rule(descending) if book_id in among]
    assert list(ordered_ids("progress", descending, among=among)) == expected


def test_the_order_is_read_without_waiting_for_another_programs_write(books, library):
    """Reading the order never writes: a program holding the library's write lock does not
    hold the table up, and the books pushed meanwhile are in their places."""
    up_to_date()
    DocumentAlias.create(document="late", kind=ALIAS_CONTENT, book=books[3], created_at=1.0)
    _push("late", 0.999, 1_900_000_000)
    other = sqlite3.connect(library.db_file, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        start = time.monotonic()
        assert list(ordered_ids("progress", True)) == rule(True)
        assert ordered_ids("last_read", True)[0] == books[3]
        assert time.monotonic() - start < 1.0
    finally:
        other.execute("ROLLBACK")
        other.close()


def last_read_rule(descending: bool) -> list[int]:
    """The order by last read as the rule gives it: the time of the book's newest push (0
    without one), the library's order between equal times."""
    rows = database.execute_sql(
        "SELECT b.id, b.sort_title, coalesce((SELECT e.timestamp FROM progress_event e"
        " WHERE e.book_id = b.id ORDER BY e.id DESC LIMIT 1), 0) FROM book b"
        " WHERE b.id NOT IN (SELECT book_id FROM book_inbox)"
    ).fetchall()
    library = sorted(rows, key=lambda row: (row[1], row[0]))
    return [row[0] for row in sorted(library, key=lambda row: row[2], reverse=descending)]


@pytest.mark.parametrize("descending", [False, True])
def test_the_order_by_last_read_has_the_books_pushed_since_in_their_place(books, descending):
    for n, book_id in enumerate(books[25:33]):
        DocumentAlias.create(document=f"doc{n}", kind=ALIAS_CONTENT, book=book_id, created_at=1.0)
        _push(f"doc{n}", 0.5, 1_800_000_000 + n % 3)  # equal times: the library's order
        if n == 4:
            up_to_date()  # some up to date, the others behind
    assert list(ordered_ids("last_read", descending)) == last_read_rule(descending)
    among = books[20:30]
    expected = [book_id for book_id in last_read_rule(descending) if book_id in among]
    assert list(ordered_ids("last_read", descending, among=among)) == expected
