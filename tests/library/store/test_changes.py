"""The change log: every writer's change to a book's line shows up, whoever wrote it."""

from __future__ import annotations

import sqlite3

import pytest

from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store.changes import changed_since, last_change
from tests.factories import add_book

# Raw SQL on another connection: the server's threads, the command line in another process or
# another tool. `{a}` and `{b}` are the two books' ids; each write should mark `marks`.
WRITES = [
    ("rename", "UPDATE book SET title = 'X', sort_title = 'x' WHERE id = {a}", "a"),
    ("description", "UPDATE book SET description = 'New' WHERE id = {a}", "a"),
    # A reading-state write that keeps the old updated_at (as some writers do) still counts.
    ("progress, old stamp", "UPDATE reading_state SET progress = 0.5 WHERE book_id = {a}", "a"),
    ("status", "UPDATE reading_state SET status = 'read' WHERE book_id = {b}", "b"),
    ("remove a book", "DELETE FROM book WHERE id = {a}", "a"),
    (
        "a file",
        "INSERT INTO book_file (book_id, path, format, size, mtime, partial_md5, missing,"
        " added_at) VALUES ({b}, '/x.pdf', 'pdf', 1, 0, 'd', 0, 0)",
        "b",
    ),
    ("author renamed", "UPDATE author SET name = 'Ann Other' WHERE name = 'Ann Author'", "ab"),
    ("author removed", "DELETE FROM author WHERE name = 'Bo Writer'", "b"),
    (
        "credit moved",
        "UPDATE book_author SET book_id = {b}, position = 5 WHERE book_id = {a}",
        "ab",
    ),
    (
        "matched",
        "INSERT INTO hardcover_match (book_id, state, pinned, created_by_us, candidates,"
        " updated_at) VALUES ({b}, 'linked', 0, 0, '[]', 0)",
        "b",
    ),
    (
        "a new book",
        "INSERT INTO book (id, title, sort_title, identifiers, added_at, updated_at)"
        " VALUES (99, 'New', 'new', '{{}}', 0, 0)",
        "n",
    ),
]


@pytest.mark.parametrize(("sql", "marks"), [w[1:] for w in WRITES], ids=[w[0] for w in WRITES])
def test_every_write_to_a_books_line_is_logged(library, sql, marks):
    a = add_book("Alpha", ["Ann Author"]).id
    b = add_book("Beta", ["Ann Author", "Bo Writer"]).id
    seen = last_change()
    with sqlite3.connect(library.db_file) as other:
        other.execute("PRAGMA foreign_keys = ON")
        other.execute(sql.format(a=a, b=b))
    assert last_change() > seen
    assert changed_since(seen) == {{"a": a, "b": b, "n": 99}[mark] for mark in marks}


def test_numbers_only_grow_and_each_book_keeps_its_latest(library):
    assert last_change() == 0
    a = add_book("Alpha").id
    b = add_book("Beta").id
    after_adding = last_change()
    update_reading_state(a, progress=0.3)  # the window's own edit
    assert changed_since(after_adding) == {a}
    middle = last_change()
    update_reading_state(b, progress=0.4)
    assert changed_since(middle) == {b}
    assert changed_since(0) == {a, b}
    assert changed_since(last_change()) == set()
