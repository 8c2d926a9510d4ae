"""The status counts beside the library table, counted from the index of the books not unread,
against every book's status read one by one: the same for any mix of statuses, books without a
reading state, books held in the Inbox and removed books."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bookorbit_desktop.library.reading.values import READING_STATUSES
from bookorbit_desktop.library.store.models import Book, ReadingState, database
from bookorbit_desktop.services.library.table_window import BookStatuses, status_counts
from tests.factories import add_book, fresh_library

# Each book: its status (None: no reading state at all), whether the Inbox holds it, whether
# it is removed again.
_BOOKS = st.lists(
    st.tuples(st.none() | st.sampled_from(READING_STATUSES), st.booleans(), st.booleans()),
    max_size=25,
)


@settings(
    max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None
)
@given(books=_BOOKS)
def test_the_counts_are_those_of_every_books_status(tmp_path_factory, books):
    with fresh_library(tmp_path_factory):
        for number, (status, held, removed) in enumerate(books):
            book = add_book(f"Book {number}", status=status or "unread")
            if status is None:
                ReadingState.delete().where(ReadingState.book == book.id).execute()
            if held:
                database.execute_sql(
                    "INSERT INTO book_inbox (book_id, held_at) VALUES (?, 0)", (book.id,)
                )
            if removed:
                Book.delete().where(Book.id == book.id).execute()
        expected = {
            status or "unread": 0 for status, held, removed in books if not held and not removed
        }
        for status, held, removed in books:
            if not held and not removed:
                expected[status or "unread"] += 1
        assert status_counts() == BookStatuses.read().counts() == expected
