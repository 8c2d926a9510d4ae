"""The change log: every writer's change to a book's line shows up, whoever wrote it."""

from __future__ import annotations

import sqlite3
import time

import pytest
from peewee import SqliteDatabase

from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.store import changes, checkpoint
from bookorbit_desktop.library.store.changes import changed_since, compact_steps, last_change
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.migrations import MIGRATIONS
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book
from tests.sql_functions import as_the_app

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
        as_the_app(other)  # the search index's
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


def _every_answer(db=None) -> dict[int, set[int]]:
    top = last_change(db or database)
    return {seq: changed_since(seq, db or database) for seq in range(top + 1)}


def test_compacting_keeps_every_answer_and_only_the_latest_entry_per_book(library):
    books = [add_book(f"Book {n}").id for n in range(3)]
    for round_ in range(4):
        for book in books:
            update_reading_state(book, progress=(round_ + 1) / 10)
    database.execute_sql("DELETE FROM book WHERE id = ?", (books[0],))  # a book that went
    before = _every_answer()
    entries = database.execute_sql("SELECT COUNT(*) FROM book_change").fetchone()[0]

    assert sum(compact_steps(slack=entries)) == 0  # short enough: left alone
    removed = sum(compact_steps(slack=0))

    assert removed > 0
    assert _every_answer() == before
    assert sum(compact_steps(slack=0)) == 0  # a removed book's last entry is no reason to run
    kept = database.execute_sql("SELECT book_id, COUNT(*) FROM book_change GROUP BY book_id")
    assert dict(kept.fetchall()) == dict.fromkeys(books, 1)
    update_reading_state(books[1], progress=0.9)  # numbering goes on after the last one
    assert changed_since(max(before)) == {books[1]}


class _CountingGate:
    def __init__(self) -> None:
        self.entered = 0

    def __enter__(self) -> None:
        self.entered += 1

    def __exit__(self, *_exc: object) -> None:
        return None


def test_compacting_goes_in_short_steps_another_writer_commits_between(library):
    """Each step is a transaction of its own inside the gate: between two steps another
    connection gets the write lock at once (no busy wait), and what it writes meanwhile is
    kept."""
    books = [add_book(f"Book {n}").id for n in range(3)]
    for round_ in range(3):
        for book in books:
            update_reading_state(book, progress=(round_ + 1) / 10)
    before = _every_answer()
    gate = _CountingGate()
    steps = compact_steps(slack=0, step=2, gate=gate)

    removed = [next(steps)]
    with sqlite3.connect(library.db_file, isolation_level=None) as other:
        other.execute("PRAGMA busy_timeout = 0")  # the lock is free, or this fails at once
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE reading_state SET progress = 0.9 WHERE book_id = ?", (books[0],))
        other.execute("COMMIT")
    removed += list(steps)

    assert removed[:-1] == [2] * (len(removed) - 1) and 1 <= removed[-1] <= 2
    assert gate.entered == len(removed) > 2
    top = max(before)
    assert {seq: changed_since(seq) for seq in before} == {
        seq: books_ | {books[0]} for seq, books_ in before.items()
    }
    assert changed_since(top) == {books[0]}
    kept = database.execute_sql("SELECT book_id, COUNT(*) FROM book_change GROUP BY book_id")
    assert dict(kept.fetchall()) == {books[0]: 2, books[1]: 1, books[2]: 1}


def test_a_library_logged_by_version_8_keeps_its_entries_in_order(paths):
    old = SqliteDatabase(str(paths.db_file))
    old.connect()
    for migration in MIGRATIONS[:8]:
        migration(old)
    old.execute_sql("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    old.execute_sql("INSERT INTO schema_version (version) VALUES (8)")
    old.execute_sql("INSERT INTO author (id, name, sort_name) VALUES (1, 'Ann', 'Ann')")
    for book in (1, 2, 3):
        old.execute_sql(
            "INSERT INTO book (id, title, sort_title, identifiers, added_at, updated_at)"
            f" VALUES ({book}, 'T', 't', '{{}}', 0, 0)"
        )
    for book in (1, 2):
        old.execute_sql(
            f"INSERT INTO book_author (book_id, author_id, position, role) VALUES ({book}, 1, 0,"
            " 'aut')"
        )
    # Version 8 numbered every book of a renamed author alike: one number, two books.
    old.execute_sql("UPDATE author SET name = 'Ann B' WHERE id = 1")
    old.execute_sql("UPDATE book SET title = 'U' WHERE id = 3")
    logged = old.execute_sql("SELECT seq, book_id FROM book_change ORDER BY seq, book_id")
    before = logged.fetchall()
    old.close()
    assert len({seq for seq, _ in before}) < len(before)

    open_database(paths.db_file)
    try:
        after = database.execute_sql("SELECT seq, book_id FROM book_change ORDER BY seq")
        after = after.fetchall()
        assert [book for _, book in after] == [book for _, book in before]
        assert min(seq for seq, _ in after) > max(seq for seq, _ in before)
        assert changed_since(max(seq for seq, _ in before)) == {1, 2, 3}  # read again, no loss
        seen = last_change()
        update_reading_state(2, progress=0.5)
        assert changed_since(seen) == {2}
    finally:
        close_database()


def test_the_checkpointer_thread_compacts_the_log(library, monkeypatch):
    book = add_book("Alpha").id
    for step in range(5):
        update_reading_state(book, progress=step / 10)
    monkeypatch.setattr(checkpoint, "CHECKPOINT_SECONDS", 0.01)
    monkeypatch.setattr(checkpoint, "FIRST_COMPACT_SECONDS", 0.0)
    monkeypatch.setattr(changes, "SLACK_ENTRIES", 0)
    latest = last_change()
    checkpointer = checkpoint.Checkpointer(library.db_file)
    checkpointer.start()
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            count = database.execute_sql("SELECT COUNT(*) FROM book_change").fetchone()[0]
            if count == 1:
                break
            time.sleep(0.01)
    finally:
        checkpointer.stop()
    assert count == 1
    assert last_change() == latest and changed_since(latest - 1) == {book}
