"""A bulk write's index rows, written once at its end (`store.index_batch`), against rows worked
out afresh: after any mix of added books, edits, credits, renamed or removed authors, files
added, changed or removed and removed books inside one batch, every book's search row and sort
keys hold what a fresh fold of its rows gives, no row is left for a removed book, and the batch
is closed. Outside a batch the triggers keep every row at once, as before."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.index_batch import close_batch, open_batch
from bookorbit_desktop.library.store.index_batch_schema import outside_batch
from bookorbit_desktop.library.store.models import Book, database
from tests.factories import add_book
from tests.library.search.test_query import indexed_books, scratch_search
from tests.library.store.test_sort_keys import _OPERATIONS, _apply, computed_keys, stored_keys


def assert_rows_exact() -> None:
    books = {row[0] for row in database.execute_sql("SELECT id FROM book")}
    assert {row[0] for row in database.execute_sql("SELECT rowid FROM book_search")} == books
    assert stored_keys() == computed_keys()
    words = {
        word
        for (text,) in database.execute_sql(
            "SELECT title FROM book UNION SELECT coalesce(series, '') FROM book"
            " UNION SELECT name FROM author"
        )
        for word in fold(text).split()
    }
    for word in words:
        assert indexed_books([word]) == set(scratch_search([word], available_only=False)), word


@settings(
    max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(batches=st.lists(st.lists(_OPERATIONS, min_size=1, max_size=3), min_size=1, max_size=6))
def test_a_batch_leaves_the_rows_a_fresh_fold_gives(library, batches):
    for batch in batches:  # small batches: a write the triggers missed is rarely covered up
        with database.atomic():
            open_batch()
            for operation in batch:
                _apply(library, operation)
            close_batch()
        assert database.execute_sql("SELECT count(*) FROM index_batch").fetchone()[0] == 0
        assert_rows_exact()


def test_inside_a_batch_the_rows_wait_and_outside_they_follow_each_write(library):
    book = add_book("Harbour Lights", ["Ann Author"])
    with database.atomic():
        open_batch()
        Book.update(title="Winter Signal").where(Book.id == book.id).execute()
        assert indexed_books(["winter"]) == set()  # not yet: the batch writes it at its end
        close_batch()
        assert indexed_books(["winter"]) == {book.id}
        Book.update(title="Paper Garden").where(Book.id == book.id).execute()
        assert indexed_books(["garden"]) == {book.id}  # the batch is closed: at once
    assert_rows_exact()


def test_a_trigger_keeps_its_own_condition_and_stands_aside_in_a_batch():
    plain = "CREATE TRIGGER t AFTER INSERT ON book BEGIN SELECT 1; END"
    conditional = "CREATE TRIGGER t AFTER UPDATE ON book WHEN OLD.id IS NOT NEW.id BEGIN X; END"
    assert outside_batch(plain) == (
        "CREATE TRIGGER t AFTER INSERT ON book WHEN NOT EXISTS (SELECT 1 FROM index_batch)"
        " BEGIN SELECT 1; END"
    )
    assert outside_batch(plain.replace(" BEGIN ", "\nbegin\n  ")) == (
        "CREATE TRIGGER t AFTER INSERT ON book WHEN NOT EXISTS (SELECT 1 FROM index_batch)"
        " BEGIN SELECT 1; END"
    )
    assert outside_batch(conditional) == (
        "CREATE TRIGGER t AFTER UPDATE ON book WHEN NOT EXISTS (SELECT 1 FROM index_batch)"
        " AND (OLD.id IS NOT NEW.id) BEGIN X; END"
    )
