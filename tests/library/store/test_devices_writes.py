"""The device records' transactions that read before they write take the write lock first: a
commit another connection makes between their read and their write (the window, the sync
server, a command) never makes them fail with "database is locked" (SQLite refuses to turn a
read transaction into a write one once its snapshot is stale, without waiting)."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.store import devices
from tests.factories import add_book
from tests.write_lock import another_commit_before_the_first_write


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
    with another_commit_before_the_first_write(library.db_file) as outcome:
        write([book.id], device)
    assert outcome == ["waited"]
