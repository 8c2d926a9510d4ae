"""The sync outbox: a change queues its book once, later kinds join it, a change lifts a block."""

from __future__ import annotations

from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book


def test_a_first_change_queues_the_book_with_the_time_of_each_kind(library):
    book = add_book(title="Dune")
    outbox.note_change(book.id, [outbox.STATUS, outbox.PROGRESS], now=100.0)
    [queued] = outbox.queued()
    assert queued.book_id == book.id
    assert queued.kinds == {"status": 100.0, "progress": 100.0}
    assert queued.queued_at == 100.0 and queued.attempts == 0


def test_a_later_change_keeps_the_first_time_of_a_kind_and_adds_new_kinds(library):
    book = add_book(title="Dune")
    outbox.note_change(book.id, [outbox.PROGRESS], now=100.0)
    outbox.note_change(book.id, [outbox.PROGRESS, outbox.RATING], now=250.5)
    [queued] = outbox.queued()
    assert queued.kinds == {"progress": 100.0, "rating": 250.5}
    assert queued.queued_at == 100.0


def test_a_new_change_lifts_a_block_and_the_retry_state(library):
    book = add_book(title="Dune")
    outbox.note_change(book.id, [outbox.STATUS], now=100.0)
    outbox.postpone(book.id, "Hardcover did not answer", retry_at=900.0)
    outbox.block(book.id, "The book was deleted on Hardcover")
    outbox.note_change(book.id, [outbox.PROGRESS], now=200.0)
    [queued] = outbox.queued()
    assert queued.blocked is None and queued.last_error is None
    assert queued.retry_at is None and queued.attempts == 0
    assert queued.kinds == {"status": 100.0, "progress": 200.0}


def test_unknown_kinds_queue_nothing(library):
    book = add_book(title="Dune")
    outbox.note_change(book.id, ["colour"], now=100.0)
    assert outbox.queued() == []


def test_a_damaged_kinds_value_is_replaced_not_an_error(library):
    book = add_book(title="Dune")
    outbox.note_change(book.id, [outbox.STATUS], now=100.0)
    for damaged in ("not json", "[1, 2]", ""):
        database.execute_sql("UPDATE sync_outbox SET kinds = ?", (damaged,))
        outbox.note_change(book.id, [outbox.PROGRESS], now=300.0)
        [queued] = outbox.queued()
        assert queued.kinds == {"progress": 300.0}
