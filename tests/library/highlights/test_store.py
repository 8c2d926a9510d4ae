"""Recording highlights in a real library: re-sends, edits, deletions, waiting exports."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.highlights import proposals, store
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.highlights.store import Recorded, Target
from bookorbit_desktop.library.reading.marking import DateNeededError
from bookorbit_desktop.library.store.channel_tables import Highlight
from bookorbit_desktop.library.store.models import ReadingState, SyncOutbox
from tests.factories import add_book

T = 1_700_000_000


def _record(target, entries, now=1.0):
    return store.record(target, entries, source=store.SOURCE_XMNOTE, origin="192.168.1.23", now=now)


def test_a_resend_never_duplicates_and_an_edit_updates(library):
    book = add_book("Dune", ["Frank Herbert"])
    entries = [Entry(T, "Fear is the mind-killer."), Entry(T + 60, "The spice must flow.", "!")]
    assert _record(Target(book.id), entries) == Recorded(2, 0, 0, 0)
    assert _record(Target(book.id), entries) == Recorded(0, 0, 2, 0)
    edited = [Entry(T + 60, "The spice must flow.", "edited")]
    assert _record(Target(book.id), edited, now=2.0) == Recorded(0, 1, 0, 0)
    rows = store.for_book(book.id)
    assert [(r.entry.text, r.entry.note) for r in rows] == [
        ("Fear is the mind-killer.", ""),
        ("The spice must flow.", "edited"),
    ]
    assert Highlight.select().count() == 2


def test_what_an_export_leaves_out_stays_and_a_user_deletion_sticks(library):
    book = add_book("Dune", ["Frank Herbert"])
    _record(Target(book.id), [Entry(T, "one"), Entry(T + 1, "two")])
    _record(Target(book.id), [Entry(T + 1, "two")])
    assert len(store.for_book(book.id)) == 2
    first = store.for_book(book.id)[0]
    store.delete(first.id, now=5.0)
    assert _record(Target(book.id), [Entry(T, "one", "revived?")]) == Recorded(0, 0, 0, 1)
    assert [r.entry.text for r in store.for_book(book.id)] == ["two"]
    with pytest.raises(NotFoundError):
        store.delete(999, now=5.0)


def test_a_waiting_export_merges_into_the_book_the_user_picks(library):
    book = add_book("Dune", ["Frank Herbert"])
    _record(Target(book.id), [Entry(T, "one", "note")])
    waiting = Target(None, "Dune (abridged)", "F. Herbert")
    _record(waiting, [Entry(T, "one", "note"), Entry(T + 5, "new")], now=3.0)
    assert [(w.title, w.highlights) for w in store.waiting()] == [("Dune (abridged)", 2)]
    assert store.for_book(book.id)[0].entry.text == "one"
    result = store.link_waiting("Dune (abridged)", "F. Herbert", book.id, now=4.0)
    assert result == Recorded(1, 0, 1, 0)
    assert store.waiting() == []
    assert [r.entry.text for r in store.for_book(book.id)] == ["one", "new"]
    with pytest.raises(NotFoundError):
        store.link_waiting("Dune (abridged)", "F. Herbert", book.id, now=4.0)
    with pytest.raises(NotFoundError):
        store.link_waiting("x", "y", 999, now=4.0)


def test_search_finds_every_word_in_text_note_chapter_or_title(library):
    dune = add_book("Dune", ["Frank Herbert"])
    emma = add_book("Emma", ["Jane Austen"])
    _record(Target(dune.id), [Entry(T, "Fear is the mind-killer.", "Litany", "Chapter 1")])
    _record(Target(emma.id), [Entry(T, "Badly done, Emma!", "a rebuke 100%")])
    _record(Target(None, "Unknown", "X"), [Entry(T, "fear in a waiting export")])
    assert [r.book_title for r in store.search("fear")] == ["Dune"]
    assert [r.book_title for r in store.search("LITANY chapter")] == ["Dune"]
    assert [r.book_title for r in store.search("emma rebuke")] == ["Emma"]
    assert [r.book_title for r in store.search("100%")] == ["Emma"]
    assert store.search("fear emma") == []
    assert [r.book_title for r in store.all_linked()] == ["Dune", "Emma"]


def test_proposals_wait_for_the_user_and_never_ask_twice(library):
    book = add_book("Dune", ["Frank Herbert"], status="reading")
    made = proposals.propose(
        book.id, store.SOURCE_SIDECAR, status="read", rating=4, note="Great", now=1.0
    )
    assert made is not None
    again = proposals.propose(
        book.id, store.SOURCE_SIDECAR, status="read", rating=4, note="Great", now=2.0
    )
    assert again is None
    assert ReadingState.get_by_id(book.id).status == "reading"  # not applied silently
    (row,) = proposals.waiting()
    assert (row.status, row.rating, row.note, row.book_title) == ("read", 4, "Great", "Dune")
    with pytest.raises(DateNeededError):  # nothing says when it was finished: the user says
        proposals.apply(row.id)
    assert ReadingState.get_by_id(book.id).status == "reading"
    reading = proposals.apply(row.id, finished="2026-11-20")
    assert (reading["status"], reading["rating"]) == ("read", 4.0)
    assert reading["finished"] == "2026-11-20"
    assert SyncOutbox.select().where(SyncOutbox.book == book.id).exists()
    assert proposals.waiting() == []
    with pytest.raises(InvalidValueError):
        proposals.apply(row.id)
    with pytest.raises(NotFoundError):
        proposals.dismiss(12345)


def test_a_dismissed_proposal_is_not_asked_again(library):
    book = add_book("Dune", ["Frank Herbert"], status="reading")
    proposals.propose(book.id, "xmnote", status="on_hold", rating=None, note=None, now=1.0)
    (row,) = proposals.waiting()
    proposals.dismiss(row.id)
    assert (
        proposals.propose(book.id, "xmnote", status="on_hold", rating=None, note=None, now=2.0)
        is None
    )
    assert ReadingState.get_by_id(book.id).status == "reading"
