"""A read added or edited in the library reaches the loopback Hardcover as that read: the sync
keeps the book's latest read in one Hardcover read, by its id, and the library's read is named
with it; a re-read is a new read on Hardcover, the earlier one left as it was."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.reads.edits import add_read, edit_read
from bookorbit_desktop.library.reads.store import book_reads
from bookorbit_desktop.services.library.reads import read_lines

pytestmark = pytest.mark.asyncio


def dates(world, key: str) -> list[tuple]:
    return [(r["id"], r["started_at"], r["finished_at"]) for r in world.reads(key)]


async def test_a_read_added_edited_and_reread_reaches_hardcover_as_the_same_read(world):
    book = world.add("a")
    first = add_read(book, started="2026-01-02", finished="2026-01-20")
    await world.sync()
    [(read_id, *sent)] = dates(world, "a")
    assert sent == ["2026-01-02", "2026-01-20"] and world.entry("a")["status_id"] == 3
    assert [r.hardcover_read_id for r in book_reads(book)] == [read_id]

    edit_read(first.id, finished="2026-01-25")
    await world.sync()
    assert dates(world, "a") == [(read_id, "2026-01-02", "2026-01-25")]  # the same read

    add_read(book, started="2026-02-01", state="open")  # a re-read
    await world.sync()
    [earlier, reread] = dates(world, "a")
    assert earlier == (read_id, "2026-01-02", "2026-01-25")
    assert reread[1:] == ("2026-02-01", None) and world.entry("a")["status_id"] == 2
    assert [r.hardcover_read_id for r in book_reads(book)] == [read_id, reread[0]]
    # Each Hardcover read is one line of the book's reads, the library's.
    assert [(line.read_id is not None, line.hardcover_read_id) for line in read_lines(book)] == [
        (True, read_id),
        (True, reread[0]),
    ]
