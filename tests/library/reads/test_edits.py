"""A book's reads added, edited and deleted by hand (`library.reads.edits`): each one step of
the change journal, undone and redone, the reading state following the latest read."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.journal import run
from bookorbit_desktop.library.reads.edits import add_read, edit_read, remove_read
from bookorbit_desktop.library.reads.store import book_reads, get_read
from bookorbit_desktop.library.store.models import ReadingState, SyncOutbox
from tests.factories import add_book


def reads(book_id: int) -> list[tuple]:
    return [(r.started, r.finished, r.state) for r in book_reads(book_id)]


def state(book_id: int) -> tuple:
    s = ReadingState.get(ReadingState.book == book_id)
    return (s.status, s.started, s.finished)


def test_add_edit_delete_each_one_step_undone_and_redone(library):
    book = add_book("Dune").id
    first = add_read(book, started="2024-01-02", finished="2024-02-01")
    assert reads(book) == [("2024-01-02", "2024-02-01", "done")]
    assert state(book) == ("read", "2024-01-02", "2024-02-01")
    assert SyncOutbox.get_or_none(SyncOutbox.book == book) is not None  # the sync hears of it

    reread = add_read(book, started="2026-03-01", state="open")
    assert state(book) == ("rereading", "2026-03-01", None)
    edit_read(reread.id, state="done", finished="2026-04-01")
    assert reads(book)[-1] == ("2026-03-01", "2026-04-01", "done")
    assert state(book) == ("read", "2026-03-01", "2026-04-01")
    remove_read(first.id)
    assert reads(book) == [("2026-03-01", "2026-04-01", "done")]

    assert run.undo(library).label == "Delete a read of “Dune”"
    assert reads(book) == [
        ("2024-01-02", "2024-02-01", "done"),
        ("2026-03-01", "2026-04-01", "done"),
    ]
    assert run.undo(library).label == "Edit a read of “Dune”"
    assert state(book) == ("rereading", "2026-03-01", None)
    assert run.undo(library).label == "Add a read of “Dune”"
    assert reads(book) == [("2024-01-02", "2024-02-01", "done")]
    assert state(book) == ("read", "2024-01-02", "2024-02-01")
    assert run.undo(library).label == "Add a read of “Dune”"
    assert reads(book) == [] and state(book) == ("unread", None, None)

    for _ in range(4):
        run.redo(library)
    assert reads(book) == [("2026-03-01", "2026-04-01", "done")]
    assert state(book) == ("read", "2026-03-01", "2026-04-01")


def test_an_older_read_added_later_leaves_the_state_the_latest_reads(library):
    book = add_book("Emma").id
    add_read(book, started="2026-01-02", finished="2026-01-20")
    add_read(book, started="2019-05-01", finished=None)  # done, no date
    assert reads(book) == [("2019-05-01", None, "done"), ("2026-01-02", "2026-01-20", "done")]
    assert state(book) == ("read", "2026-01-02", "2026-01-20")


def test_only_the_newest_read_can_be_open_and_only_one(library):
    """Reopening a read the book was read again after would make the book Rereading at 100 %
    on the older read's dates: it is refused, saying what to do, and nothing changes."""
    book = add_book("Persuasion").id
    older = add_read(book, started="2024-01-02", finished="2024-02-01")
    add_read(book, started="2025-01-02", finished="2025-02-01")
    with pytest.raises(InvalidValueError, match=r"read again later \(2025-01-02 – 2025-02-01\)"):
        edit_read(older.id, state="open")
    with pytest.raises(InvalidValueError, match="Only the newest read can be open"):
        add_read(book, started="2023-06-01", state="open")
    assert state(book) == ("read", "2025-01-02", "2025-02-01")
    assert [r[2] for r in reads(book)] == ["done", "done"]

    reread = add_read(book, state="open")  # begun again, no date known: the newest
    assert state(book) == ("rereading", None, None)
    with pytest.raises(InvalidValueError, match=r"being read already \(no start – open\)"):
        add_read(book, started="2026-01-02", state="open")
    edit_read(reread.id, started="2026-01-02")  # the open read itself stays editable
    assert state(book) == ("rereading", "2026-01-02", None)


def test_a_kosync_push_moves_the_open_read_and_undo_leaves_a_read_changed_since(library):
    book = add_book("Ulysses").id
    read = add_read(book, started="2026-01-02", state="open")
    ReadingState.update(status="read", finished="2026-02-02", progress=1.0).where(
        ReadingState.book == book
    ).execute()  # as a device's push past the threshold writes it
    assert reads(book) == [("2026-01-02", "2026-02-02", "done")]
    done = run.undo(library)
    assert done.skipped == (f"read {read.id}: changed since",)
    assert reads(book) == [("2026-01-02", "2026-02-02", "done")]


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"started": "2026-02-01", "finished": "2026-01-01"}, "before the start"),
        ({"started": "yesterday-ish"}, "is not a date"),
        ({"started": "2026-01-01", "finished": "2026-02-01", "state": "open"}, "no finish"),
        ({"state": "paused"}, "not “paused”"),
    ],
)
def test_a_read_with_wrong_values_is_refused_whole(library, values, words):
    book = add_book("Refused").id
    with pytest.raises(InvalidValueError, match=words):
        add_read(book, **values)
    assert reads(book) == [] and run.undo(library) is None


def test_a_removed_book_comes_back_with_every_read(library):
    from bookorbit_desktop.library.editing.removal import remove_books

    book = add_book("Middlemarch").id
    add_read(book, started="2020-01-02", finished="2020-03-01")
    add_read(book, started="2026-01-02", state="open")
    before = book_reads(book)
    remove_books([book], library)
    assert book_reads(book) == []
    run.undo(library)
    assert book_reads(book) == before
    assert state(book) == ("rereading", "2026-01-02", None)


def test_a_deleted_hardcover_read_waits_for_the_sync_until_undone(library):
    from bookorbit_desktop.library.reads.store import gone_reads, link_hardcover_read

    book = add_book("Kim").id
    read = add_read(book, started="2026-01-02", finished="2026-01-09")
    link_hardcover_read(book, 77, "2026-01-02", "2026-01-09")
    remove_read(read.id)
    assert gone_reads([book]) == [(77, "2026-01-02", "2026-01-09")]
    run.undo(library)
    assert gone_reads([book]) == [] and book_reads(book)[0].hardcover_read_id == 77
    run.redo(library)
    assert gone_reads([book]) == [(77, "2026-01-02", "2026-01-09")]


def test_the_device_a_kosync_push_names_is_the_reads_and_a_restore_is_not(library):
    """A read records the device KOReader read it on (the last, read on two); a position the
    library served again (a Restore, an undone one) names no device of the read."""
    from bookorbit_desktop.library.reading.rows import RESTORE_ID, insert_events, served_again

    book = add_book("Middlemarch").id
    read = add_read(book, started="2026-01-02", state="open")

    def push(device: str, device_id: str | None) -> None:
        insert_events([("doc", book, device, device_id, 0.5, "/p", 1, None, None, None)])

    push("Kobo Clara", "KOBO-1")
    assert book_reads(book)[-1].device == "Kobo Clara"
    push("BookOrbit Desktop", RESTORE_ID)
    push("Kobo Clara", served_again("KOBO-1"))
    push("PocketBook", "PB-2")
    assert [r.device for r in book_reads(book)] == ["PocketBook"]
    edit_read(read.id, state="abandoned", finished="2026-02-01")
    push("Kobo Clara", "KOBO-1")  # an abandoned read keeps the device it was given up on
    assert [r.device for r in book_reads(book)] == ["PocketBook"]


def test_a_finished_read_reopened_is_not_read_through(library):
    book = add_book("Dune").id
    read = add_read(book, started="2026-01-02", finished="2026-01-20")
    assert get_read(read.id).progress == 1.0
    edit_read(read.id, state="open")
    assert get_read(read.id).progress == 0.0
    state = ReadingState.get(ReadingState.book == book)
    assert (state.status, state.progress) == ("reading", 0.0)
