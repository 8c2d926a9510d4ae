"""Earlier texts of highlights in a real library: kept on every replacement, restorable."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.highlights import store, versions
from bookorbit_desktop.library.highlights.rules import Entry
from bookorbit_desktop.library.highlights.store import Target
from tests.factories import add_book

T = 1_700_000_000


def _record(target, entries, origin, now):
    return store.record(target, entries, source=store.SOURCE_XMNOTE, origin=origin, now=now)


def test_every_replaced_text_is_kept_and_one_can_be_restored(library):
    book = add_book("Dune", ["Frank Herbert"])
    target = Target(book.id)
    _record(target, [Entry(T, "Fear.", "mine")], "192.168.1.23", 1.0)
    _record(target, [Entry(T, "Fear.", "mine")], "192.168.1.99", 2.0)  # the same: nothing kept
    _record(target, [Entry(T, "Fear.", "theirs")], "192.168.1.99", 3.0)
    _record(target, [Entry(T, "Fear!", "theirs again")], "192.168.1.98", 4.0)
    (row,) = store.for_book(book.id)
    assert versions.counts([row.id]) == {row.id: 2}
    assert [
        (v.text, v.note, v.origin, v.changed_at, v.replaced_at, v.replaced_by)
        for v in versions.for_highlight(row.id)
    ] == [
        ("Fear.", "theirs", "192.168.1.99", 3.0, 4.0, "192.168.1.98"),
        ("Fear.", "mine", "192.168.1.23", 1.0, 3.0, "192.168.1.99"),
    ]
    mine = versions.for_highlight(row.id)[1]
    versions.restore(mine.id, now=5.0)
    (after,) = store.for_book(book.id)
    assert (after.entry.text, after.entry.note, after.origin) == ("Fear.", "mine", "this computer")
    newest = versions.for_highlight(row.id)[0]
    assert (newest.note, newest.replaced_by) == ("theirs again", versions.THIS_COMPUTER)
    with pytest.raises(NotFoundError):
        versions.restore(9999, now=6.0)


def test_a_stranger_re_posting_edited_notes_keeps_the_history_bounded_and_the_users_text(library):
    book = add_book("Dune", ["Frank Herbert"])
    target = Target(book.id)
    _record(target, [Entry(T, "Fear.", "mine")], "192.168.1.23", 1.0)
    for n in range(60):
        _record(target, [Entry(T, "Fear.", f"theirs {n}")], "192.168.1.99", 2.0 + n)
    (row,) = store.for_book(book.id)
    kept = versions.for_highlight(row.id)
    assert len(kept) == versions.MAX_VERSIONS + 1
    assert kept[-1].note == "mine"  # the user's own text is never pushed out
    assert kept[0].note == "theirs 58"  # the newest replaced text
