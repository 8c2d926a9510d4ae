"""Which books changed since the library table was last read, or any book when that is not
known (`table_window.changes_since`)."""

from __future__ import annotations

import sqlite3

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.library import table_window
from bookorbit_desktop.services.library.table_window import changes_since
from tests.factories import add_book
from tests.sql_functions import as_the_app


def test_first_read_is_of_any_book_then_only_the_changed_books(library):
    alpha = add_book("Alpha")
    beta = add_book("Beta")
    first = changes_since(None)
    assert first.changed is None
    nothing = changes_since(first.seq)
    assert (nothing.seq, nothing.changed) == (first.seq, frozenset())
    with sqlite3.connect(library.db_file) as other:
        as_the_app(other)  # as the app's own
        other.execute("UPDATE reading_state SET progress = 0.5 WHERE book_id = ?", (beta.id,))
        other.execute("DELETE FROM book WHERE id = ?", (alpha.id,))
    later = changes_since(first.seq)
    assert later.changed == {alpha.id, beta.id}  # one went, one changed
    assert later.seq > first.seq


def test_a_log_that_went_back_or_very_many_changes_mean_any_book(library, monkeypatch):
    books = [add_book(f"Book {n}").id for n in range(3)]
    seq = changes_since(None).seq
    went_back = changes_since(seq + 10)  # another library file in place
    assert went_back.changed is None
    monkeypatch.setattr(table_window, "MAX_CHANGED", 2)
    database.execute_sql("UPDATE reading_state SET progress = 0.1")
    many = changes_since(seq)
    assert many.changed is None
    database.execute_sql("UPDATE reading_state SET progress = 0.2 WHERE book_id = ?", (books[0],))
    few = changes_since(many.seq)
    assert few.changed == {books[0]}
