"""Schema 35 (`outbox_counts_schema`): an outbox entry moves a count only for a book
with a match, so the KOReader pushes of a book never matched write the counts once, when it
starts being read, and no more; the counts stay a count from scratch (the property test of
`test_hardcover_tally` covers every write)."""

from __future__ import annotations

from bookorbit_desktop.library.reading.batched_pushes import record_pushes
from bookorbit_desktop.library.reading.pushes import Push
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.outbox_counts_schema import outbox_counts
from tests.factories import add_book
from tests.hardcover.sync.work_counts import Work as Waiting
from tests.hardcover.sync.work_counts import waiting_work
from tests.library.previous_schema import previous_schema_library
from tests.library.store.test_hardcover_tally import (
    HC_BOOKS,
    apply,
    facts_as_kept_and_as_now,
    from_scratch,
    kept,
)


def _counts_rows() -> tuple[list[tuple], list[tuple]]:
    return (
        database.execute_sql("SELECT * FROM hardcover_facts ORDER BY book_id").fetchall(),
        database.execute_sql("SELECT * FROM hardcover_tally ORDER BY 1, 2, 3").fetchall(),
    )


def _push(document: str, percentage: float, timestamp: int) -> None:
    with database.atomic():
        record_pushes([(Push(document, f"/body/{timestamp}", percentage, "Kobo"), timestamp)])


def test_queueing_a_book_never_matched_writes_no_row_of_the_counts(library):
    book_id = add_book("Dune", status="reading").id
    before = _counts_rows()
    changes = database.connection().total_changes
    outbox.note_change(book_id, [outbox.PROGRESS])
    assert database.connection().total_changes - changes == 1  # the outbox's own row
    assert _counts_rows() == before and kept() == from_scratch()


def test_the_first_push_of_a_book_never_matched_moves_it_into_its_count_once(library):
    """Read and queued by the same push: the book enters one combination, and none it would
    have passed through on the way is left in the tally."""
    book = add_book("Dune")  # unread: in no count
    database.execute_sql(
        "INSERT INTO document_alias (document, kind, book_id, created_at)"
        " VALUES ('d0c', 'content', ?, 0)",
        (book.id,),
    )
    _push("d0c", 0.2, 1_000)
    (facts,) = database.execute_sql("SELECT match_state, sync_state, flags FROM hardcover_facts")
    assert database.execute_sql("SELECT * FROM hardcover_tally").fetchall() == [(*facts, 1)]
    assert kept() == from_scratch()
    facts_kept, facts_now = facts_as_kept_and_as_now()
    assert facts_kept == facts_now


def test_a_matched_book_queued_again_still_waits_to_be_sent(library, tmp_path):
    """The rule leaves a book with a match as it was: its next change after a sync is counted
    as work for the next one."""
    book_id = add_book("Dune", status="reading").id
    apply(("pick", 0, HC_BOOKS[0]), [book_id], library, [0.0])
    apply(("synced", 0, None, True), [book_id], library, [10.0])
    assert waiting_work() == Waiting()
    outbox.note_change(book_id, [outbox.PROGRESS])
    assert waiting_work() == Waiting(to_push=1) and kept() == from_scratch()


def test_a_library_from_before_drops_the_outbox_facts_of_its_books_never_matched(tmp_path):
    path = tmp_path / "library.sqlite3"
    old = previous_schema_library(path, outbox_counts)
    old.execute_sql(
        "INSERT INTO reading_state (book_id, status, progress, updated_at)"
        " VALUES (1, 'unread', 0, 0), (2, 'reading', 0.3, 0)"
    )
    old.execute_sql(
        "INSERT INTO sync_outbox (book_id, kinds, queued_at, attempts, blocked)"
        " VALUES (1, '{}', 0, 0, NULL), (2, '{}', 0, 0, 'refused')"
    )
    assert old.execute_sql("SELECT count(*) FROM hardcover_facts").fetchone() == (2,)
    old.close()
    open_database(path)
    try:
        assert kept() == from_scratch()
        facts_kept, facts_now = facts_as_kept_and_as_now()
        assert facts_kept == facts_now
        # Only the book being read is in a count now, with no outbox fact.
        assert [book for book, *_ in facts_kept] == [2]
        assert database.execute_sql("SELECT sum(books) FROM hardcover_tally").fetchone() == (1,)
    finally:
        close_database()
