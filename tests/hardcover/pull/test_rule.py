"""The pull's rule, table by table: three ways against a base, two ways where there is none."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.pull.rule import (
    AGREED,
    CONFLICT,
    FOLLOW,
    compared_read,
    decide,
    local_values,
    remote_values,
    tracked_ended,
)
from bookorbit_desktop.hardcover.sync.model import Read, Remote, Snapshot

WTR, READING, READ, PAUSED, DNF, IGNORED = 1, 2, 3, 4, 5, 6


def base(**values) -> Snapshot:
    """A base where both sides agreed on `values` (status, rating, dates, privacy)."""
    return Snapshot(1, 10, False, 100, False, dict(values), dict(values))


def outcomes(local: dict, remote: dict, snapshot: Snapshot | None, **kwargs) -> dict:
    return {d.field: d.outcome for d in decide(local, remote, snapshot, **kwargs)}


AGREED_BASE = {"status_id": READING, "rating": 3.0, "started": "2026-03-01", "finished": None}

# (case, the library now, Hardcover now, outcome per field)
THREE_WAY = [
    ("nothing changed", {}, {}, {}),
    ("only the library changed: the push's", {"rating": 4.0}, {}, {}),
    ("only Hardcover changed: followed", {}, {"rating": 5.0}, {"rating": FOLLOW}),
    ("both to the same value", {"rating": 5.0}, {"rating": 5.0}, {"rating": AGREED}),
    ("both, differently", {"rating": 1.5}, {"rating": 5.0}, {"rating": CONFLICT}),
    ("status on Hardcover only", {}, {"status_id": READ}, {"status_id": FOLLOW}),
    (
        "status in conflict: the dates wait for it",
        {"status_id": PAUSED},
        {"status_id": READ, "finished": "2026-03-20"},
        {"status_id": CONFLICT},
    ),
    (
        "a date changed on Hardcover only",
        {},
        {"started": "2026-02-27"},
        {"started": FOLLOW},
    ),
]


@pytest.mark.parametrize(("case", "ours", "theirs", "expected"), THREE_WAY, ids=lambda c: c)
def test_three_ways_against_the_base(case, ours, theirs, expected):
    local = {**AGREED_BASE, **ours}
    remote = {**AGREED_BASE, **theirs}
    assert outcomes(local, remote, base(**AGREED_BASE)) == expected


NOTHING = {"status_id": None, "rating": None, "started": None, "finished": None}

# (case, the library now, Hardcover now, outcome per field): no base for any field.
TWO_WAY = [
    (
        "unread here, Want to Read with stars there",
        {},
        {"status_id": WTR, "rating": 4.0},
        {"status_id": FOLLOW, "rating": FOLLOW},
    ),
    (
        "unread here, Read there: its dates come too",
        {},
        {"status_id": READ, "started": "2026-01-02", "finished": "2026-01-09"},
        {"status_id": FOLLOW, "started": FOLLOW, "finished": FOLLOW},
    ),
    ("a rating only here: the push's", {"rating": 3.0}, {}, {}),
    ("the same rating", {"rating": 3.0}, {"rating": 3.0}, {"rating": AGREED}),
    ("different ratings", {"rating": 3.0}, {"rating": 5.0}, {"rating": CONFLICT}),
    (
        "Reading here from evidence, Read there: a conflict, the stars come, dates wait",
        {"status_id": READING, "started": "2026-08-01"},
        {"status_id": READ, "rating": 5.0, "started": "2025-11-02", "finished": "2025-11-20"},
        {"status_id": CONFLICT, "rating": FOLLOW},
    ),
    (
        "Reading here, Want to Read there: reading moves it on",
        {"status_id": READING},
        {"status_id": WTR},
        {},
    ),
    (
        "Read here, Reading there: the finish moves it on",
        {"status_id": READ},
        {"status_id": READING},
        {},
    ),
    ("Did Not Finish here, Paused there", {"status_id": DNF}, {"status_id": PAUSED}, {}),
    (
        "Want to Read here, Reading there",
        {"status_id": WTR},
        {"status_id": READING},
        {"status_id": CONFLICT},
    ),
    (
        "Paused here, Reading there",
        {"status_id": PAUSED},
        {"status_id": READING},
        {"status_id": CONFLICT},
    ),
    (
        "Read here, Did Not Finish there",
        {"status_id": READ},
        {"status_id": DNF},
        {"status_id": CONFLICT},
    ),
    (
        "Did Not Finish here, Read there",
        {"status_id": DNF},
        {"status_id": READ},
        {"status_id": CONFLICT},
    ),
    ("Ignored there: no word for it here", {}, {"status_id": IGNORED}, {}),
    (
        "the same status, different start dates",
        {"status_id": READING, "started": "2026-03-01"},
        {"status_id": READING, "started": "2025-12-01"},
        {"status_id": AGREED, "started": CONFLICT},
    ),
    ("privacy without a base: the push's settings", {}, {"privacy_id": 3}, {}),
]


@pytest.mark.parametrize(("case", "ours", "theirs", "expected"), TWO_WAY, ids=lambda c: c)
def test_two_ways_without_a_base(case, ours, theirs, expected):
    assert outcomes({**NOTHING, **ours}, theirs, None) == expected


def test_a_reread_here_moves_a_read_entry_on():
    local, remote = {**NOTHING, "status_id": READING}, {"status_id": READ}
    assert outcomes(local, remote, None, rereading=True) == {}
    assert outcomes(local, remote, None) == {"status_id": CONFLICT}


def test_a_status_conflict_still_open_keeps_the_dates_waiting():
    local = {**NOTHING, "status_id": READ, "finished": "2025-11-02"}
    remote = {"status_id": READ, "finished": "2025-11-20"}
    taken = base(status_id=READ, finished="2025-11-02")
    assert outcomes(local, remote, taken) == {"finished": FOLLOW}
    assert outcomes(local, remote, taken, disputed={"status_id"}) == {}


def test_a_date_the_library_status_does_not_carry_is_not_weighed_while_it_stays():
    """A read logged on hardcover.app gives no start to a book the user now wants to read, and
    no finish to one being read; once the library takes Hardcover's status, the dates come."""
    finished_read = {"status_id": READ, "started": "2025-02-07", "finished": "2025-05-20"}
    was_read = base(status_id=READ, started="2025-01-04", finished="2025-05-20")
    wanted = {**NOTHING, "status_id": WTR}
    assert outcomes(wanted, finished_read, was_read) == {}
    reading = {**NOTHING, "status_id": READING, "started": "2025-01-04"}
    moved_finish = {**finished_read, "started": "2025-01-04", "finished": "2025-06-01"}
    assert outcomes(reading, moved_finish, was_read) == {}
    assert outcomes(reading, finished_read, was_read) == {"started": FOLLOW}
    was_wanted = base(status_id=WTR)
    assert outcomes(wanted, finished_read, was_wanted) == {
        "status_id": FOLLOW,
        "started": FOLLOW,
        "finished": FOLLOW,
    }


def test_values_taken_before_are_the_base_of_the_fields_they_cover():
    """Without a push, the values taken from Hardcover are the base: a later change there is
    followed, the library's own edit meanwhile makes it a conflict; other fields go two ways."""
    taken = base(status_id=WTR, rating=4.0)
    local = {**NOTHING, "status_id": WTR, "rating": 4.0}
    assert outcomes(local, {"status_id": READING, "rating": 4.5}, taken) == {
        "status_id": FOLLOW,
        "rating": FOLLOW,
    }
    assert outcomes({**local, "rating": 2.0}, {"rating": 4.5}, taken) == {"rating": CONFLICT}


def _remote(status_id: int, *reads: Read) -> Remote:
    return Remote(user_book_id=10, book_id=1, status_id=status_id, rating=4.0, reads=reads)


OLD = Read(1, started="2025-01-02", finished="2025-01-20")
OPEN = Read(2, started="2026-03-01")


@pytest.mark.parametrize(
    ("status_id", "reads", "read_id", "expected"),
    [
        (READING, (OLD, OPEN), None, OPEN),  # the open read the push would adopt
        (READ, (OLD, OPEN), None, OPEN),  # on a Read entry: the newest read
        (READING, (OLD,), None, None),  # finished only: a reread starts a new one
        (WTR, (OPEN,), None, None),  # Want to Read carries no read
        (READ, (OLD, OPEN), 1, OLD),  # the tracked read
        (READING, (OLD, OPEN), 1, OPEN),  # the reread started on hardcover.app after it
        (READING, (OPEN, Read(3, "2026-04-01")), 2, OPEN),  # the tracked read, still open
        (READING, (), 1, None),  # tracked and gone, no read left
        (READING, (OPEN,), 1, OPEN),  # tracked and deleted: the one the push would adopt
        (READ, (OLD, Read(3, "2026-10-01", "2026-11-20")), 1, Read(3, "2026-10-01", "2026-11-20")),
    ],
)
def test_the_read_compared(status_id, reads, read_id, expected):
    assert compared_read(_remote(status_id, *reads), read_id) == expected


def test_a_read_ended_by_a_read_on_the_website_gives_way_to_a_reread_there():
    """A Read on hardcover.app can leave the tracked read without a finish; once the last sync
    saw it so (`tracked_ended`), a later open read under Currently Reading is the reread."""
    reread = Read(3, "2026-04-01")
    remote = _remote(READING, OPEN, reread)
    assert compared_read(remote, 2) == OPEN  # never seen finished: still the tracked read
    assert tracked_ended(base(status_id=READ)) and not tracked_ended(base(status_id=READING))
    assert compared_read(remote, 2, ended=tracked_ended(base(status_id=READ))) == reread


def test_hardcovers_side_has_the_dates_its_status_carries():
    reading = remote_values(_remote(READING, OLD, OPEN), None)
    assert reading == {
        "status_id": READING,
        "rating": 4.0,
        "privacy_id": 1,
        "started": "2026-03-01",
    }
    done = remote_values(_remote(READ, OLD), None)
    assert (done["started"], done["finished"]) == ("2025-01-02", "2025-01-20")
    assert "started" not in remote_values(_remote(READING), 1)  # tracked, gone


def test_the_librarys_side_has_only_the_dates_its_status_carries():
    assert local_values("unread", None, "2026-01-01", "2026-01-02") == NOTHING
    reading = local_values("reading", 3.0, "2026-01-01", "2026-01-02")
    assert reading == {
        "status_id": READING,
        "rating": 3.0,
        "started": "2026-01-01",
        "finished": None,
    }
