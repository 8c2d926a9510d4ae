"""`marking.mark_read_dates`, table by table: where Mark Read's dates come from."""

from __future__ import annotations

import pytest

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.reading.marking import (
    DateNeededError,
    Evidence,
    history_finish,
    implied_start,
    mark_read_dates,
)

HISTORY = Evidence(first_session="2026-10-04", last_session="2026-10-12", first_push="2026-10-03")
PUSHES = Evidence(first_push="2026-10-15")

# (given finish, given start, current start and its source, evidence) -> the four values
CASES = {
    "the history's last and first session": (
        (None, None, None, None, HISTORY),
        ("2026-10-04", "history", "2026-10-12", "history"),
    ),
    "the user's finish wins over the history": (
        ("2026-10-20", None, None, None, HISTORY),
        ("2026-10-04", "history", "2026-10-20", "user"),
    ),
    "a start the book has stays, with its source": (
        (None, None, "2026-09-30", "sync", HISTORY),
        ("2026-09-30", "sync", "2026-10-12", "history"),
    ),
    "without history the first push gives the start": (
        ("2026-11-01", None, None, None, PUSHES),
        ("2026-10-15", "sync", "2026-11-01", "user"),
    ),
    "a first push after the finish is another read: unknown": (
        ("2026-10-01", None, None, None, PUSHES),
        (None, None, "2026-10-01", "user"),
    ),
    "nothing but the user's date: no start": (
        ("2026-11-25", None, None, None, Evidence()),
        (None, None, "2026-11-25", "user"),
    ),
    "the user's start": (
        ("2026-11-25", "2026-11-01", "2026-10-30", "sync", HISTORY),
        ("2026-11-01", "user", "2026-11-25", "user"),
    ),
}


# The user's "no date" (`--finished none`, the dialog's No date): the given finish is None.
NO_DATE_CASES = {
    "no evidence: read with no finish date, the user's word": (
        (None, None, None, None, Evidence()),
        (None, None, None, "user"),
    ),
    "the history still dates the read": (
        (None, None, None, None, HISTORY),
        ("2026-10-04", "history", "2026-10-12", "history"),
    ),
    "a first push is no finish: no date, the push starts it": (
        (None, None, None, None, PUSHES),
        ("2026-10-15", "sync", None, "user"),
    ),
    "a history read that ended before this one began: no date": (
        (None, "2026-11-01", None, None, HISTORY),
        ("2026-11-01", "user", None, "user"),
    ),
}


@pytest.mark.parametrize(
    "given, expected, no_date",
    [(*case, False) for case in CASES.values()]
    + [(*case, True) for case in NO_DATE_CASES.values()],
    ids=[*CASES, *NO_DATE_CASES],
)
def test_mark_read_dates(given, expected, no_date):
    finished, started, current, source, evidence = given
    marked = mark_read_dates(
        finished=finished,
        started=started,
        current_started=current,
        current_started_source=source,
        evidence=evidence,
        no_date=no_date,
    )
    assert (marked.started, marked.started_source, marked.finished, marked.finished_source) == (
        expected
    )


def test_no_evidence_and_no_date_asks():
    with pytest.raises(DateNeededError):
        mark_read_dates(
            finished=None,
            started=None,
            current_started=None,
            current_started_source=None,
            evidence=PUSHES,
        )


@pytest.mark.parametrize("source", [None, "user"])
def test_the_users_start_after_the_finish_is_an_error(source):
    with pytest.raises(InvalidValueError, match="before the start date"):
        mark_read_dates(
            finished="2026-10-01",
            started=None,
            current_started="2026-10-05",
            current_started_source=source,
            evidence=Evidence(),
        )


# (evidence, after, before) -> the start an undated edit gets, and its source
IMPLIED = {
    "the latest read's first session": ((HISTORY, None, None), ("2026-10-04", "history")),
    "else the first push": ((PUSHES, None, None), ("2026-10-15", "sync")),
    "no evidence: unknown, never the click's day": ((Evidence(), None, None), (None, None)),
    "a reread begins after the last finish": ((HISTORY, "2026-10-12", None), (None, None)),
    "a session after the last finish is the reread's": ((HISTORY, "2026-10-01", None),
                                                        ("2026-10-04", "history")),
    "a session after the finish is another read's": ((PUSHES, None, "2026-10-14"), (None, None)),
}  # fmt: skip


@pytest.mark.parametrize("given, expected", IMPLIED.values(), ids=IMPLIED)
def test_implied_start(given, expected):
    evidence, after, before = given
    assert implied_start(evidence, after=after, before=before) == expected


# (the history's latest read, the start of the read being finished) -> the finish it gives
FINISHES = {
    "the last session of this read": ((HISTORY, "2026-10-04"), "2026-10-12"),
    "no start known: the last session": ((HISTORY, None), "2026-10-12"),
    "a read that ended before this one began: nothing": ((HISTORY, "2026-11-01"), None),
    "no history: nothing": ((Evidence(), None), None),
}


@pytest.mark.parametrize("given, expected", FINISHES.values(), ids=FINISHES)
def test_history_finish(given, expected):
    assert history_finish(*given) == expected
