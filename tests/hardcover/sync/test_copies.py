"""`copies.combine`, table by table: which copy gives the status, the progress, the edition
(pinned: a new copy never switches it) and the dates of the one Hardcover entry."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from bookorbit_desktop.hardcover.sync.copies import Copy, combine, conflict
from bookorbit_desktop.hardcover.sync.model import Local

E480, E279, E600 = 480, 279, 600  # edition ids, named by their page counts


def copy(book_id: int, status: str = "reading", progress: float = 0.5, *, edition: int = E480,
         at: float = 0.0, lead: bool = False, **reading) -> Copy:  # fmt: skip
    local = Local(
        book_id=book_id,
        status=status,
        progress=progress,
        started=reading.get("started"),
        finished=reading.get("finished"),
        rating=reading.get("rating"),
        date_added=reading.get("added", "2026-01-10"),
        hc_book_id=100,
        edition_id=edition,
        edition_pages=edition,
        edition_pinned=True,
    )
    return Copy(local, at, lead)


# (copies, the edition the entry was pushed with, expected: leader, edition, progress)
EDITION_CASES = {
    "first push: the copy being read gives it": (
        [copy(1, progress=0.2, at=1), copy(2, progress=0.3, edition=E279, at=2)],
        None,
        (2, E279, 0.3),
    ),
    "a new copy of another edition never switches it": (
        [copy(1, progress=0.8, at=1), copy(2, progress=0.318, edition=E279, at=2)],
        E480,
        (2, E480, 0.318),
    ),
    "the copy being read gives progress as a fraction of the pinned edition": (
        [copy(1, progress=0.5, at=1), copy(2, progress=0.9, edition=E279, at=2)],
        E480,
        (2, E480, 0.9),
    ),
    "the pinned edition stays while any copy has it, even an older one": (
        [copy(1, "want_to_read", edition=E480), copy(2, progress=0.4, edition=E279, at=5)],
        E480,
        (2, E480, 0.4),
    ),
    "the user picked another edition for the copy that had it": (
        [copy(1, progress=0.6, edition=E600, at=3)],
        E480,
        (1, E600, 0.6),
    ),
    "the copy the user chose (lead) gives its edition": (
        [copy(1, progress=0.8, at=3), copy(2, progress=0.1, edition=E279, at=1, lead=True)],
        E480,
        (2, E279, 0.1),
    ),
    "progress past the end is clamped to the last page": (
        [copy(1, progress=1.38, at=1)],
        E480,
        (1, E480, 1.0),
    ),
    "progress below zero or not a number is nothing read": (
        [copy(1, progress=-0.2, at=2), copy(2, progress=math.nan, at=1)],
        E480,
        (1, E480, 0.0),
    ),
}


@pytest.mark.parametrize("copies, pushed, expected", EDITION_CASES.values(), ids=EDITION_CASES)
def test_edition_and_progress(copies, pushed, expected):
    combined = combine(copies, pushed)
    local = combined.local
    assert (local.book_id, local.edition_id, local.progress) == expected
    assert local.edition_pages == local.edition_id  # the pages of the edition it carries


STATUS_CASES = {
    "the furthest status wins": (
        [copy(1, "read", finished="2026-02-01"), copy(2, "want_to_read", at=9)],
        (1, "read", "2 copies linked: Read and Want to Read"),
    ),
    "the lead wins over a further status": (
        [copy(1, "read", finished="2026-02-01"), copy(2, "reading", lead=True)],
        (2, "reading", "2 copies linked: Read and Currently Reading"),
    ),
    "same status: the one read most recently": (
        [copy(1, at=5), copy(2, at=9)],
        (2, "reading", None),
    ),
}


@pytest.mark.parametrize("copies, expected", STATUS_CASES.values(), ids=STATUS_CASES)
def test_status(copies, expected):
    combined = combine(copies)
    assert (combined.local.book_id, combined.local.status, combined.conflict) == expected


DATE_CASES = {
    "earliest start and latest finish of the current read": (
        [
            copy(1, "read", started="2026-01-05", finished="2026-02-01", at=1),
            copy(2, "read", started="2026-01-02", finished="2026-03-01", at=2),
        ],
        ("2026-01-02", "2026-03-01"),
    ),
    "an open read carries no finish": (
        [copy(1, started="2026-01-05", finished="2025-12-01")],
        ("2026-01-05", None),
    ),
}


@pytest.mark.parametrize("copies, expected", DATE_CASES.values(), ids=DATE_CASES)
def test_dates(copies, expected):
    combined = combine(copies)
    local = combined.local
    if local.status != "read":
        local = replace(local, finished=None)
    assert (local.started, local.finished) == expected


def test_date_added_is_the_earliest():
    combined = combine([copy(1, added="2026-01-02"), copy(2, added="2026-02-02")])
    assert combined.local.date_added == "2026-01-02"


# (the copies' ratings, which copy leads (None: none), the entry's last sent rating) ->
# (the rating sent, whether the copies are said to disagree)
RATING_CASES = {
    "one copy rated": ((4.5,), None, None, (4.5, False)),
    "one rated, one not": ((5.0, None), None, None, (5.0, False)),
    "rated alike": ((4.0, 4.0), None, 3.0, (4.0, False)),
    "rated differently: the last sent stays": ((5.0, 4.0), None, 5.0, (5.0, True)),
    "rated differently, never sent: none": ((5.0, 4.0), None, None, (None, True)),
    "the lead's rating settles it": ((5.0, 4.0), 2, 5.0, (4.0, False)),
    "a lead without one: copies decide": ((5.0, None), 2, None, (5.0, False)),
    "nobody rated": ((None, None), None, 4.0, (None, False)),
}


@pytest.mark.parametrize(("ratings", "lead", "sent", "expected"), RATING_CASES.values(),
                         ids=RATING_CASES)  # fmt: skip
def test_one_entry_has_one_rating(ratings, lead, sent, expected):
    copies = [
        copy(n, rating=rating, at=10 - n, lead=n == lead)
        for n, rating in enumerate(ratings, start=1)
    ]
    combined = combine(copies, entry_rating=sent)
    said = "rated" in (combined.conflict or "")
    assert (combined.local.rating, said) == expected


def test_statuses_that_agree_are_no_conflict():
    assert conflict(["reading", "rereading"]) is None


def test_an_entry_needs_a_copy():
    with pytest.raises(ValueError):
        combine([])
