"""The device records' transactions that read before they write take the write lock first: a
commit another connection makes between their read and their write (the window, the sync
server, a command) never makes them fail with "database is locked" (SQLite refuses to turn a
read transaction into a write one once its snapshot is stale, without waiting)."""

from __future__ import annotations

import sqlite3

import pytest

from bookorbit_desktop.library.store import devices
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book

WRITES = ("INSERT", "UPDATE", "DELETE")


def another_commit_before_the_first_write(db_file) -> list[str]:
    """Have another connection try to commit just as this connection's first write begins;
    what became of that commit ("committed", or "waited" when the write lock was already
    taken)."""
    outcome: list[str] = []

    def on_statement(sql: str) -> None:
        if outcome or not sql.lstrip().upper().startswith(WRITES):
            return
        other = sqlite3.connect(db_file, timeout=0)
        try:
            other.execute("INSERT INTO setting (key, value) VALUES ('x-elsewhere', '1')")
            other.commit()
            outcome.append("committed")
        except sqlite3.OperationalError as error:
            outcome.append("waited" if "locked" in str(error) else str(error))
        finally:
            other.close()

    database.connection().set_trace_callback(on_statement)
    return outcome


@pytest.mark.parametrize(
    "write",
    [
        lambda ids, device: devices.queue_books(ids, 1.0),
        lambda ids, device: devices.record_connection("uuid-2", "Kobo", None, None, 2.0),
        lambda ids, device: devices.replace_listing(
            device, [devices.ListedBook("a.epub", None, None, "A")]
        ),
    ],
    ids=["queue_books", "record_connection", "replace_listing"],
)
def test_a_read_then_write_holds_the_write_lock_from_its_start(library, write):
    book = add_book("Dune")
    device = devices.record_connection("uuid-1", "Kobo", None, None, 0.0)
    devices.replace_listing(device, [devices.ListedBook("old.epub", None, None, "Old")])
    outcome = another_commit_before_the_first_write(library.db_file)
    try:
        write([book.id], device)
    finally:
        database.connection().set_trace_callback(None)
    assert outcome == ["waited"]
