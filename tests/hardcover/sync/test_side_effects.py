"""Today stamped by our own Read on a read of the user's the sync never rewrites: the story of a
book read on Hardcover (an undated read), wanted here, then marked read here again. The push
sets Read, Hardcover stamps today on that read, and the next write puts back the library's
finish, none unless it has one; a read dated before the push keeps its date. And another open
read that our edition change moved, page number and all, goes back to its distance in."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bookorbit_desktop.hardcover.sync.kept import snapshot_after
from bookorbit_desktop.hardcover.sync.model import (
    PUBLIC,
    Local,
    Options,
    Read,
    Remote,
    wanted_for,
)
from bookorbit_desktop.hardcover.sync.preview import preview
from bookorbit_desktop.hardcover.sync.reconcile import (
    UPDATE_ENTRY,
    UPDATE_READ,
    plan,
)
from bookorbit_desktop.hardcover.sync.side_effects import moved_read, stamp_found, stamp_undone
from bookorbit_desktop.hardcover.sync.steps import Tracking, tracking_at_start

TODAY = "2026-11-22"
OPTIONS = Options(privacy_id=PUBLIC)
BOOK = Local(
    book_id=1, status="read", progress=1.0, started=None, finished=None, rating=None,
    date_added="2026-01-10", hc_book_id=100, edition_id=500, edition_pages=300,
)  # fmt: skip


def read_on_hardcover(read: Read) -> Remote:
    return Remote(
        user_book_id=77, book_id=100, status_id=3, rating=None, privacy_id=PUBLIC,
        edition_id=500, date_added="2025-12-01", reads=(read,),
    )  # fmt: skip


def wanted_here_then(remote: Remote, finished: str | None, started: str | None = None):
    """Adopt the entry as it is, push Want to Read, then push Read with `finished`: the last
    push's preview."""
    snapshot = snapshot_after(BOOK, OPTIONS, remote, preview(BOOK, None, remote, OPTIONS,
                              today=TODAY).tracking)  # fmt: skip
    assert not snapshot.read_owned  # the user's finished read: never rewritten otherwise
    want = replace(BOOK, status="want_to_read", progress=0.0)
    done = preview(want, snapshot, remote, OPTIONS, today=TODAY)
    assert done.remote.status_id == 1
    snapshot = snapshot_after(want, OPTIONS, done.remote, done.tracking)
    again = replace(BOOK, finished=finished, started=started)
    return preview(again, snapshot, done.remote, OPTIONS, today=TODAY)


@pytest.mark.parametrize(
    ("finished", "started", "expected"),
    [
        (None, None, None),  # nobody said a date: the stamp goes
        ("2026-05-01", None, "2026-05-01"),  # the user's date replaces the stamp
        ("2026-05-01", "2026-06-01", None),  # never a read that ends before it starts
    ],
)
def test_today_stamped_by_our_read_on_an_undated_read_goes_back(finished, started, expected):
    remote = read_on_hardcover(Read(9, started, None, 0, 500))
    result = wanted_here_then(remote, finished, started)
    assert [a.kind for a in result.actions] == [UPDATE_ENTRY, UPDATE_READ]
    assert result.actions[0].fields == {"status_id": 3}
    (read,) = result.remote.reads
    assert (read.id, read.started, read.finished) == (9, started, expected)
    assert result.remote.status_id == 3


def test_a_read_dated_before_the_push_keeps_its_date():
    remote = read_on_hardcover(Read(9, None, "2025-12-20", 300, 500))
    result = wanted_here_then(remote, None)
    assert UPDATE_READ not in [a.kind for a in result.actions]
    assert [(r.id, r.finished) for r in result.remote.reads if r.id == 9] == [(9, "2025-12-20")]


@pytest.mark.parametrize(
    ("page_now", "expected"),
    [
        (100, 150),  # still the page our edition change carried along: half-way in again
        (120, None),  # a page the user set since, in the new edition: theirs, left alone
        (150, None),  # already where it belongs
    ],
)
def test_another_open_read_our_edition_change_moved_keeps_its_distance_in(page_now, expected):
    reading = replace(BOOK, status="reading", progress=0.5, finished=None)
    remote = replace(
        read_on_hardcover(Read(9, "2026-01-02", None, 10, 500)),
        status_id=2,
        reads=(Read(9, "2026-01-02", None, 10, 500), Read(11, "2025-06-01", None, page_now, 500)),
    )
    tracking = Tracking(read_id=9, shares=((11, 400, 0.5, 100),))  # 100 of 200 before
    action = moved_read(remote, reading, wanted_for(reading, OPTIONS), tracking)
    if expected is None:
        assert action is None
    else:
        assert action is not None
        assert (action.target, action.fields["progress_pages"]) == (11, expected)


SENT_ON = "2026-11-22"


@pytest.mark.parametrize(
    ("undated", "finished", "stamp"),
    [
        ((9,), "2026-11-22", (9, "2026-11-22")),  # Hardcover's today, our day
        ((9,), "2026-11-23", (9, "2026-11-23")),  # its today in a time zone ahead of ours
        ((9,), "2026-11-21", (9, "2026-11-21")),  # ...or behind
        ((9,), "2026-11-19", None),  # a date the user gave the read meanwhile
        ((), "2026-11-22", None),  # the read had a finish when the Read left
        ((9,), None, None),  # the Read never landed
    ],
)
def test_the_stamp_is_todays_date_on_a_read_undated_when_our_read_left(undated, finished, stamp):
    tracking = Tracking(undated=undated, read_sent_on=SENT_ON)
    found = stamp_found(tracking, read_on_hardcover(Read(9, None, finished, 0, 500)))
    assert (found.stamp, found.undated, found.read_sent_on) == (stamp, (), None)


def test_the_stamp_is_looked_for_only_while_a_read_is_out():
    tracking = Tracking(stamp=(9, "2026-11-22"))
    remote = read_on_hardcover(Read(9, None, "2026-11-22", 0, 500))
    assert stamp_found(tracking, remote) == tracking


def test_an_undo_to_the_stamped_date_itself_sends_nothing():
    read = Read(9, None, "2026-11-22", 300, 500)
    tracking = Tracking(read_id=9, stamp=(9, "2026-11-22"))
    reading = replace(BOOK, finished="2026-11-22")
    assert stamp_undone(wanted_for(reading, OPTIONS), read, tracking) is None
    other_day = replace(BOOK, finished="2026-11-20")
    undone = stamp_undone(wanted_for(other_day, OPTIONS), read, tracking)
    assert undone is not None and undone.fields["finished_at"] == "2026-11-20"


def test_an_entry_removed_and_added_again_is_not_read_with_the_old_entrys_reads():
    reading = replace(BOOK, status="reading", progress=0.5, finished=None)
    # What an unfinished push knew of entry 77; on Hardcover the user re-added the book (88).
    tracking = Tracking(user_book_id=77, seen_reads=frozenset({9}))
    remote = replace(
        read_on_hardcover(Read(20, "2026-03-05", None, 150, 500)), user_book_id=88, status_id=2
    )
    step = plan(reading, None, remote, tracking, OPTIONS)
    assert step.action is None  # the user's start date stays; p. 150 is the library's too


def test_an_entry_found_after_our_insert_went_out_is_ours_where_the_record_knows_none():
    # Our insert's answer was lost; Hardcover gave the entry a read finished today.
    ours = replace(read_on_hardcover(Read(20, None, TODAY, 300, 500)), user_book_id=88, status_id=3)
    tracking = tracking_at_start(None, None, ours, creating=True)
    assert (tracking.user_book_id, tracking.created_by_us) == (88, True)
    action = plan(BOOK, None, ours, tracking, OPTIONS).action
    assert action is not None and action.fields["finished_at"] is None  # its invented date
    # A record that names another entry: this one may be the user's own, never claimed.
    step = {"user_book_id": 77, "seen_reads": [9]}
    kept = tracking_at_start(None, step, ours, creating=True)
    assert (kept.user_book_id, kept.created_by_us) == (77, False)
