"""A bulk write's index rows, written once at its end (`store.index_batch`), against rows worked
out afresh: after any mix of added books, edits (titles, sort titles, series, publishers,
languages, dates added), credits, renamed, filed anew or removed authors, files added, changed,
resized or removed, reading progress pushed, moved or removed and removed books inside one
batch, every book's search row and sort keys (the optional columns' and the authors' sort texts
included) hold what a fresh fold of its rows gives, every author's sort key its folded sort
text, no row is left for a removed book, and the batch is closed. Outside a batch the triggers
keep every row at once, as before; every trigger that writes either index stands aside in a
batch, and the batch notes the writes of its table."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.index_batch import close_batch, open_batch, statements
from bookorbit_desktop.library.store.index_batch_schema import BATCH_OPEN, outside_batch
from bookorbit_desktop.library.store.models import Book, BookFile, ProgressEvent, database
from tests.factories import add_book
from tests.library.search.test_query import indexed_books, scratch_search
from tests.library.store.test_sort_keys import (
    _OPERATIONS,
    _apply,
    computed_keys,
    exact_unless_behind,
    kept_at_once,
    stored_keys,
    up_to_date,
)


def assert_rows_exact() -> None:
    books = {row[0] for row in database.execute_sql("SELECT id FROM book")}
    assert {row[0] for row in database.execute_sql("SELECT rowid FROM book_search")} == books
    assert kept_at_once(stored_keys()) == kept_at_once(computed_keys())
    exact_unless_behind()  # the mark a batch moves leaves no book's keys stale
    up_to_date()  # and the keys a push leaves, once brought up to date
    assert stored_keys() == computed_keys()
    authors = database.execute_sql("SELECT sort_name, sort_key FROM author").fetchall()
    assert [key for _, key in authors] == [fold(sort_name) for sort_name, _ in authors]
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


def test_a_book_removed_in_a_batch_takes_its_files_and_pushes_with_it(library):
    """The foreign keys' actions (its files removed, its pushes set to no book: an update that
    imposes its own conflict rule on the triggers it runs) note a book the batch noted already
    without failing."""
    book = add_book("Harbour Lights", ["Ann Author"])
    for number in (1, 2):
        BookFile.create(
            book=book.id,
            path=f"/books/{number}.epub",
            format="epub",
            size=number,
            mtime=0.0,
            partial_md5="0",
            added_at=0.0,
        )
        ProgressEvent.create(
            document="d", book=book.id, device="Kobo", percentage=0.5, progress="p", timestamp=9
        )
    with database.atomic():
        open_batch()
        Book.update(publisher="Tor").where(Book.id == book.id).execute()
        Book.delete().where(Book.id == book.id).execute()
        close_batch()
    assert ProgressEvent.select().where(ProgressEvent.book.is_null()).count() == 2
    assert_rows_exact()


def _triggers() -> list[tuple[str, str, str]]:
    return database.execute_sql(
        "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
    ).fetchall()


def _event(sql: str) -> str:
    """A trigger's event: INSERT, UPDATE or DELETE."""
    found = re.search(r"\b(?:AFTER|BEFORE)\s+(INSERT|UPDATE|DELETE)\b", sql, re.IGNORECASE)
    assert found, sql
    return found.group(1).upper()


def test_every_trigger_writing_an_index_stands_aside_and_its_writes_are_noted(library):
    noted = {
        (table, _event(sql)) for name, table, sql in _triggers() if name.startswith("index_batch_")
    }
    writing = [
        (name, table, sql)
        for name, table, sql in _triggers()
        if any(
            f"{verb} {index}" in sql
            for verb in ("FROM", "INTO", "UPDATE")
            for index in ("book_search", "book_sort_key")
        )
    ]
    assert {name for name, _, _ in writing} >= {
        "book_sort_key_size_insert",
        "book_search_book_insert",
    }
    for name, table, sql in writing:
        assert f"WHEN NOT {BATCH_OPEN}" in sql, name
        assert (table, _event(sql)) in noted, name


def test_a_script_is_split_into_its_statements():
    assert statements("DELETE FROM t WHERE a IN (1); UPDATE t SET b = 'x; y';") == (
        "DELETE FROM t WHERE a IN (1);",
        "UPDATE t SET b = 'x; y';",
    )
