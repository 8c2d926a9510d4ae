"""A read added, edited or deleted in the library reaches the loopback Hardcover as that read:
the sync keeps the book's latest read in one Hardcover read, by its id, and the library's read
is named with it; a re-read is a new read on Hardcover, the earlier one left as it was; a read
deleted here (or a re-read undone) is deleted there by its id, unless it changed there."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.journal import run
from bookorbit_desktop.library.reads.edits import (
    add_read,
    delete_hardcover_read,
    edit_read,
    remove_read,
)
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


async def test_a_reread_undone_here_is_deleted_on_hardcover_by_its_id(world, library):
    book = world.add("a")
    add_read(book, started="2026-01-02", finished="2026-01-20")
    await world.sync()
    add_read(book, started="2026-02-01", state="open")
    await world.sync()
    [(first, *_), (reread, *_)] = dates(world, "a")
    assert run.undo(library).label == "Add a read of “Book a”"
    await world.sync()
    # Not the earlier read's dates written onto the re-read: the re-read is gone.
    assert dates(world, "a") == [(first, "2026-01-02", "2026-01-20")]
    assert world.entry("a")["status_id"] == 3
    assert reread != first and [r.hardcover_read_id for r in book_reads(book)] == [first]
    await world.sync()
    assert dates(world, "a") == [(first, "2026-01-02", "2026-01-20")]  # nothing more


async def test_an_earlier_read_deleted_here_is_deleted_there_unless_changed_there(world):
    book = world.add("b")
    old = add_read(book, started="2025-01-02", finished="2025-01-20")
    await world.sync()
    add_read(book, started="2026-03-01", finished="2026-03-09")  # a finished re-read
    await world.sync()
    [(_, *was), (second, *_)] = dates(world, "b")
    assert was == ["2025-01-02", "2025-01-20"]  # a new read, not the earlier one rewritten
    remove_read(old.id)
    await world.sync()
    assert dates(world, "b") == [(second, "2026-03-01", "2026-03-09")]

    other = world.add("c")
    kept = add_read(other, started="2025-05-01", finished="2025-05-20")
    await world.sync()
    add_read(other, started="2026-04-01", finished="2026-04-05")
    await world.sync()
    [(edited, *_), latest] = dates(world, "c")
    world.catalog.tables["user_book_reads"][edited]["finished_at"] = "2025-05-25"  # on the site
    remove_read(kept.id)
    result = await world.sync()
    assert dates(world, "c") == [(edited, "2025-05-01", "2025-05-25"), latest]  # no silent loss
    assert any(f"read {edited} kept" in note for b in result.books for note in b.notes)
    await world.sync()
    assert len(dates(world, "c")) == 2  # and never deleted later either


async def test_an_earlier_read_edited_here_is_updated_there_by_its_id(world):
    book = world.add("d")
    old = add_read(book, started="2025-01-02", finished="2025-01-20")
    await world.sync()
    add_read(book, started="2026-03-01", finished="2026-03-09")
    await world.sync()
    [(first, *_), latest] = dates(world, "d")
    edit_read(old.id, finished="2025-01-22")
    await world.sync()
    assert dates(world, "d") == [(first, "2025-01-02", "2025-01-22"), latest]
    await world.sync()
    assert world.mutations() == 4  # the entry, the re-read, the earlier read: nothing more

    reads_there = world.catalog.tables["user_book_reads"]
    reads_there[first]["started_at"] = "2025-01-03"  # edited on hardcover.app
    await world.sync()
    assert dates(world, "d")[0] == (first, "2025-01-03", "2025-01-22")  # only there: kept
    edit_read(old.id, finished="2025-01-23")  # and then here too
    result = await world.sync()
    assert dates(world, "d")[0] == (first, "2025-01-03", "2025-01-22")  # no silent overwrite
    assert any(f"read {first} kept" in note for b in result.books for note in b.notes)


async def test_a_read_only_on_hardcover_deleted_here_is_deleted_there_and_undo_keeps_it(
    world, library
):
    book = world.add("e")
    add_read(book, started="2026-01-02", finished="2026-01-20")
    await world.sync()
    [(first, *_)] = dates(world, "e")
    there = world.catalog.add_read(
        world.entry("e")["id"], started_at="2024-06-01", finished_at="2024-06-20"
    )  # a read added on hardcover.app
    await world.sync()
    assert [(line.read_id, line.hardcover_read_id) for line in read_lines(book)] == [
        (None, there),
        (book_reads(book)[0].id, first),
    ]

    delete_hardcover_read(book, there)  # gone from the list at once, and sent by the next sync
    assert [line.hardcover_read_id for line in read_lines(book)] == [first]
    review = await world.sync(dry_run=True)
    assert [c for b in review.books for a in b.actions for c in a["changes"]] == [
        f"delete read {there} (2024-06-01 to 2024-06-20)"
    ]
    assert [r[0] for r in dates(world, "e")] == [first, there]  # a review sends nothing
    await world.sync()
    assert [r[0] for r in dates(world, "e")] == [first]

    assert run.undo(library).label == "Delete a read of “Book e”"  # kept here, as it was
    assert [(line.started, line.finished) for line in read_lines(book)] == [
        ("2024-06-01", "2024-06-20"),
        ("2026-01-02", "2026-01-20"),
    ]
    await world.sync()
    assert [r[0] for r in dates(world, "e")] == [first]  # not sent back under its old id
    with pytest.raises(NotFoundError):
        delete_hardcover_read(book, 999_999)


async def test_an_earlier_read_added_here_becomes_a_read_of_its_own_there(world, library):
    book = world.add("f")
    add_read(book, started="2026-01-02", state="open")
    await world.sync()
    [(current, *_)] = dates(world, "f")
    past = add_read(book, started="2023-02-01", finished="2023-02-20")  # read long ago
    review = await world.sync(dry_run=True)
    notes = [n for b in review.books for n in b.notes]
    assert "read 2023-02-01 to 2023-02-20 waits until the book's current read is finished" in notes
    await world.sync()
    assert [r[0] for r in dates(world, "f")] == [current]  # not while the book is being read

    edit_read(book_reads(book)[-1].id, state="done", finished="2026-01-30")
    review = await world.sync(dry_run=True)
    changes = [c for b in review.books for a in b.actions for c in a["changes"]]
    assert changes[0] == "add read (2023-02-01 to 2023-02-20)"
    await world.sync()
    [(first, *kept), (added, *sent)] = dates(world, "f")
    assert (first, kept) == (current, ["2026-01-02", "2026-01-30"])
    assert sent == ["2023-02-01", "2023-02-20"] and added > current
    assert [r.hardcover_read_id for r in book_reads(book)] == [added, current]
    await world.sync()  # the pull leaves the current read's dates; nothing more goes out
    assert [(r.started, r.finished) for r in book_reads(book)] == [
        ("2023-02-01", "2023-02-20"),
        ("2026-01-02", "2026-01-30"),
    ]
    assert len(dates(world, "f")) == 2

    remove_read(past.id)  # deleted here: deleted there by its id
    await world.sync()
    assert [r[0] for r in dates(world, "f")] == [current]
