"""Reading only the books changed since the last read, or every book when that is not safe."""

from __future__ import annotations

import sqlite3

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services import library_changes
from bookorbit_desktop.services.library import LibraryService
from bookorbit_desktop.services.library_changes import read_changes
from tests.factories import add_book


def test_first_read_is_full_then_only_the_changed_books(library):
    service = LibraryService(library)
    alpha = add_book("Alpha")
    beta = add_book("Beta")
    first = read_changes(service.table_books, None)
    assert first.changed is None and [b.id for b in first.books] == [alpha.id, beta.id]
    nothing = read_changes(service.table_books, first.seq)
    assert (nothing.seq, nothing.books, nothing.changed) == (first.seq, [], frozenset())
    with sqlite3.connect(library.db_file) as other:
        other.execute("UPDATE reading_state SET progress = 0.5 WHERE book_id = ?", (beta.id,))
        other.execute("DELETE FROM book WHERE id = ?", (alpha.id,))
    later = read_changes(service.table_books, first.seq)
    assert later.changed == {alpha.id, beta.id}  # one went, one changed
    assert [(b.id, b.progress) for b in later.books] == [(beta.id, 0.5)]
    assert later.seq > first.seq


def test_a_log_that_went_back_or_very_many_changes_read_every_book(library, monkeypatch):
    service = LibraryService(library)
    books = [add_book(f"Book {n}").id for n in range(3)]
    seq = read_changes(service.table_books, None).seq
    went_back = read_changes(service.table_books, seq + 10)  # another library file in place
    assert went_back.changed is None and len(went_back.books) == 3
    monkeypatch.setattr(library_changes, "MAX_CHANGED", 2)
    database.execute_sql("UPDATE reading_state SET progress = 0.1")
    many = read_changes(service.table_books, seq)
    assert many.changed is None and [b.id for b in many.books] == books
    database.execute_sql("UPDATE reading_state SET progress = 0.2 WHERE book_id = ?", (books[0],))
    few = read_changes(service.table_books, many.seq)
    assert few.changed == {books[0]}
