"""The status counts beside the library table after a refresh: a change the rows read cannot
count makes the model read every book's status in a worker thread (never a count of the whole
library on the window's thread), and each change after that is counted from those statuses;
a change shown while they were read makes it read them again."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.library import table_window
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.asyncqt import signal_future
from bookorbit_desktop.ui.library.lazy_model import LazyLibraryModel
from tests.factories import add_book

SET_STATUS = "UPDATE reading_state SET status = ? WHERE book_id = ?"


@pytest.fixture
def books(library) -> tuple[int, int]:
    """The ids of A, being read, and B, unread."""
    return add_book("A", status="reading").id, add_book("B").id


@pytest.fixture
def model(library, books) -> LazyLibraryModel:
    model = LazyLibraryModel()
    model.set_reader(LibraryService(library).table_books)
    model.refresh()  # counted by SQLite; no row read yet, so no book's status is known
    assert dict(model.status_counts) == {"reading": 1, "unread": 1}
    return model


def change_status(qloop, model: LazyLibraryModel, book_id: int) -> None:
    """Book `book_id` is read now: shown on the window's running loop, until its counts are."""

    async def change() -> None:
        counts = signal_future(model.counts_changed)
        database.execute_sql(SET_STATUS, ("read", book_id))
        model.follow({book_id})
        assert dict(model.status_counts) == {"reading": 1, "unread": 1}  # the last, until…
        await counts

    qloop.run_until_complete(change())


def test_a_change_after_a_refresh_is_counted_off_the_windows_thread(
    qtbot, qloop, books, model, monkeypatch
):
    a, b = books
    made: list[int] = []
    real = table_window.status_counts
    monkeypatch.setattr(table_window, "status_counts", lambda: made.append(1) or real())
    change_status(qloop, model, b)
    assert dict(model.status_counts) == {"reading": 1, "read": 1}
    database.execute_sql(SET_STATUS, ("read", a))
    model.follow({a})  # counted from the statuses read, at once
    assert dict(model.status_counts) == {"read": 2}
    assert made == []  # the whole library was never counted on the window's thread


def test_a_change_shown_while_the_statuses_are_read_reads_them_again(
    qtbot, qloop, books, model, monkeypatch
):
    a, b = books
    real = table_window.read_later
    reads: list[int] = []

    async def read_then_change(read):
        found = await real(read)
        reads.append(1)
        if len(reads) == 1:  # A changes after this read: the statuses read lack it
            database.execute_sql(SET_STATUS, ("read", a))
            model.follow({a})
        return found

    monkeypatch.setattr(table_window, "read_later", read_then_change)
    change_status(qloop, model, b)
    assert len(reads) == 2
    assert dict(model.status_counts) == {"read": 2}
