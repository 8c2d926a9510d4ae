"""The desired-state builder, row by row of its table: each date with its source, history dates
as proposals only, started ≤ finished."""

from __future__ import annotations

import pytest

from bookorbit_desktop.hardcover.sync.desired import (
    HARDCOVER,
    KOSYNC,
    USER,
    Proposal,
    desired_entry,
    needs_history,
)
from bookorbit_desktop.hardcover.sync.model import Local
from bookorbit_desktop.library.history.splitting import DatedRead
from bookorbit_desktop.library.reading.sources import HARDCOVER as FROM_HARDCOVER
from bookorbit_desktop.library.reading.sources import HISTORY as FROM_HISTORY
from bookorbit_desktop.library.reading.sources import SYNC


def local(status: str = "read", started: str | None = None, finished: str | None = None):
    return Local(
        book_id=7,
        status=status,
        progress=1.0,
        started=started,
        finished=finished,
        rating=None,
        date_added="2024-01-01",
        hc_book_id=70,
        edition_id=700,
        edition_pages=300,
    )


OCT = DatedRead("2024-10-04", "2024-10-14")
MARCH = DatedRead("2024-03-02", "2024-03-07")
OPEN = DatedRead("2024-11-01", None)


@pytest.mark.parametrize(
    ("book", "history", "stored", "dates", "sources", "proposals"),
    [
        # a user's dates go out; history is not even proposed for them
        (local(started="2024-10-01", finished="2024-10-12"), [OCT], {},
         ("2024-10-01", "2024-10-12"), (USER, USER), []),
        # no dates: nothing new is sent, history's are proposals
        (local(), [OCT], {}, (None, None), (HARDCOVER, HARDCOVER),
         [("started", "2024-10-04"), ("finished", "2024-10-14")]),
        # read twice: the latest finished read, never one spanning both
        (local(), [MARCH, OCT], {}, (None, None), (HARDCOVER, HARDCOVER),
         [("started", "2024-10-04"), ("finished", "2024-10-14")]),
        # a finished status after a reread that stopped halfway: the last finished read
        (local(), [OCT, OPEN], {}, (None, None), (HARDCOVER, HARDCOVER),
         [("started", "2024-10-04"), ("finished", "2024-10-14")]),
        # the day a kosync push arrived: sent, history's own date proposed in its place
        (local(finished="2024-10-17"), [OCT], {"finished": SYNC}, (None, "2024-10-17"),
         (HARDCOVER, KOSYNC), [("started", "2024-10-04"), ("finished", "2024-10-14")]),
        # a kosync date that history confirms is not proposed again
        (local(finished="2024-10-14"), [OCT], {"finished": SYNC}, (None, "2024-10-14"),
         (HARDCOVER, KOSYNC), [("started", "2024-10-04")]),
        # reading: only the open read's start, never a finish
        (local("reading"), [OCT, OPEN], {}, (None, None), (HARDCOVER, HARDCOVER),
         [("started", "2024-11-01")]),
        # reading, but the history's last read is finished: nothing to propose
        (local("reading"), [OCT], {}, (None, None), (HARDCOVER, HARDCOVER), []),
        # want to read: no read at all
        (local("want_to_read"), [OCT], {}, (None, None), (HARDCOVER, HARDCOVER), []),
        # a start proposal after the user's finish is not offered
        (local(finished="2024-10-02"), [OCT], {}, (None, "2024-10-02"), (HARDCOVER, USER), []),
        # a date the library took from the history is itself only a proposal
        (local(finished="2024-10-13"), [OCT], {"finished": FROM_HISTORY}, (None, None),
         (HARDCOVER, HARDCOVER), [("started", "2024-10-04"), ("finished", "2024-10-13")]),
        # a date the library took from Hardcover is Hardcover's
        (local(finished="2024-10-13"), [OCT], {"finished": FROM_HARDCOVER}, (None, "2024-10-13"),
         (HARDCOVER, HARDCOVER), [("started", "2024-10-04")]),
        # started after finished, both the user's: the start is withheld
        (local(started="2024-10-20", finished="2024-10-12"), [], {}, (None, "2024-10-12"),
         (HARDCOVER, USER), []),
        # started after finished, the finish only a sync date: the finish is withheld
        (local(started="2024-10-20", finished="2024-10-12"), [], {"finished": SYNC},
         ("2024-10-20", None), (USER, HARDCOVER), []),
    ],
)  # fmt: skip
def test_the_builder_by_its_table(book, history, stored, dates, sources, proposals):
    built = desired_entry(book, history, stored)
    assert (built.local.started, built.local.finished) == dates
    assert (built.sources["started"], built.sources["finished"]) == sources
    assert [(p.name, p.value) for p in built.proposals] == proposals
    assert all(p == Proposal(7, p.name, p.value) for p in built.proposals)


def test_a_withheld_date_keeps_hardcovers_and_says_why():
    built = desired_entry(local(started="2024-10-20", finished="2024-10-12"))
    assert built.local.kept_dates == frozenset({"started"})
    assert any("after the finish date" in note for note in built.notes)


@pytest.mark.parametrize(
    ("book", "stored", "expected"),
    [
        (local(started="2024-10-01", finished="2024-10-12"), {}, False),  # the user's dates
        (local(started="2024-10-01"), {}, True),  # no finish date
        (local(started="2024-10-01", finished="2024-10-12"), {"finished": SYNC}, True),
        (local("reading", started="2024-10-01"), {}, False),
        (local("reading"), {}, True),
        (local("want_to_read"), {}, False),
        (local(started="2024-10-01", finished="2024-10-12"), {"started": FROM_HISTORY}, True),
    ],
)
def test_the_history_is_read_only_when_it_could_propose_a_date(book, stored, expected):
    assert needs_history(book, stored) is expected
