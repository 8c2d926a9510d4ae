"""The history rules, table by table: rescaling, sessions, days, streaks, pace, read dates."""

from __future__ import annotations

import datetime as dt

import pytest

from bookorbit_desktop.library.history.rules import (
    DayTotal,
    LocalDays,
    PageRow,
    Session,
    being_read,
    book_totals,
    estimated_finish,
    pace,
    period_totals,
    rescaled_pages,
    streaks,
)

UTC = LocalDays(lambda _ts: 0)
D = dt.date


@pytest.mark.parametrize(
    ("page", "total", "pages", "expected"),
    [
        (5, 100, 100, [5]),  # same count: unchanged
        (5, 0, 100, [5]),  # unknown total: unchanged
        (5, 100, 0, [5]),  # unknown current count: unchanged
        (1, 100, 200, [1, 2]),  # bigger font before: one old page is two now
        (2, 100, 200, [3, 4]),
        (100, 100, 200, [199, 200]),
        (1, 200, 100, [1]),  # smaller font before: two old pages share one now
        (2, 200, 100, [1]),
        (3, 200, 100, [2]),
        (200, 200, 100, [100]),
        (7, 10, 15, [10]),  # (6*15)//10+1 = 10 .. max(10, 105//10=10)
        (8, 10, 15, [11, 12]),
    ],
)
def test_rescaled_pages(page, total, pages, expected):
    assert list(rescaled_pages(page, total, pages)) == expected


def rows(*spec: tuple[int, int, int]) -> list[PageRow]:
    return [PageRow(page, start, duration, 100) for page, start, duration in spec]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ([], []),
        ([(1, 1000, 60)], [Session(1000, 1060, 60, 1)]),
        # 300 s after the end is still the same session; 301 s starts a new one
        ([(1, 1000, 60), (2, 1360, 30)], [Session(1000, 1390, 90, 2)]),
        ([(1, 1000, 60), (2, 1361, 30)], [Session(1000, 1060, 60, 1), Session(1361, 1391, 30, 1)]),
        # the end of *every* earlier row counts, not just the previous one's
        ([(1, 1000, 900), (2, 1100, 10), (3, 2000, 10)], [Session(1000, 2010, 920, 3)]),
        # order of the input does not matter; a page read twice counts once
        (
            [(2, 5000, 20), (1, 1000, 60), (1, 1100, 20)],
            [Session(1000, 1120, 80, 1), Session(5000, 5020, 20, 1)],
        ),
    ],
)
def test_sessions(spec, expected):
    assert list(book_totals(rows(*spec), 100, UTC).sessions) == expected


def test_days_are_local_dates_of_the_start_with_distinct_rescaled_pages():
    # the book is 200 pages now: old page 1 of 100 is pages 1 and 2
    rows_ = [
        PageRow(1, 86_400 - 30, 60, 100),
        PageRow(1, 86_400 + 10, 60, 100),
        PageRow(2, 86_400 + 100, 60, 200),
    ]
    assert list(book_totals(rows_, 200, UTC).days) == [
        DayTotal(D(1970, 1, 1), 60, 2),
        DayTotal(D(1970, 1, 2), 120, 2),  # {1, 2} and {2}
    ]
    plus_two = LocalDays(lambda _ts: 7200)  # UTC+2: the first row is already on day 2
    assert list(book_totals(rows_, 200, plus_two).days) == [DayTotal(D(1970, 1, 2), 180, 2)]


def test_book_totals():
    totals = book_totals(rows((1, 1000, 60), (1, 5000, 30), (2, 5030, 40)), 100, UTC)
    assert (totals.read_seconds, totals.pages_read, len(totals.sessions)) == (130, 2, 2)
    assert (totals.first_read, totals.last_read) == (1000, 5070)
    empty = book_totals([], 100, UTC)
    assert (empty.read_seconds, empty.first_read, empty.sessions) == (0, None, ())


def test_local_days_follow_the_offset_of_each_moment():
    summer = LocalDays(lambda ts: 7200 if ts >= 1000 * 86_400 else 3600)
    assert summer(1000 * 86_400 - 3601) == D(1970, 1, 1) + dt.timedelta(days=999)
    assert summer(1000 * 86_400 - 3600) == D(1970, 1, 1) + dt.timedelta(days=1000)


@pytest.mark.parametrize(
    ("days", "today", "expected"),
    [
        ([], D(2025, 1, 10), (0, 0)),
        ([D(2025, 1, 10)], D(2025, 1, 10), (1, 1)),
        ([D(2025, 1, 8), D(2025, 1, 9)], D(2025, 1, 10), (2, 2)),  # yesterday still counts
        ([D(2025, 1, 7), D(2025, 1, 8)], D(2025, 1, 10), (0, 2)),  # broken yesterday
        (
            [D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 3), D(2025, 1, 9), D(2025, 1, 10)],
            D(2025, 1, 10),
            (2, 3),
        ),
        ([D(2025, 1, 2), D(2025, 1, 2)], D(2025, 1, 3), (1, 1)),  # duplicates
    ],
)
def test_streaks(days, today, expected):
    assert streaks(days, today) == expected


@pytest.mark.parametrize(
    ("pages", "seconds", "expected"),
    [(30, 3600, 30.0), (10, 1800, 20.0), (10, 59, None), (0, 3600, None)],
)
def test_pace(pages, seconds, expected):
    assert pace(pages, seconds) == expected


@pytest.mark.parametrize(
    ("pages", "read", "seconds", "days", "expected"),
    [
        # 60 pages an hour, an hour a day, 120 pages left: two days
        (180, 60, 3600, 1, D(2025, 1, 12)),
        (100, 100, 3600, 2, D(2025, 1, 10)),  # nothing left: today
        (0, 10, 3600, 1, None),  # unknown length
        (100, 10, 30, 1, None),  # no pace yet
    ],
)
def test_estimated_finish(pages, read, seconds, days, expected):
    assert estimated_finish(pages, read, seconds, days, D(2025, 1, 10)) == expected


@pytest.mark.parametrize(
    ("read", "pages", "last", "expected"),
    [
        (10, 100, D(2025, 1, 1), True),
        (10, 100, D(2024, 12, 11), True),  # 30 days ago
        (10, 100, D(2024, 12, 10), False),  # 31 days ago: put aside
        (100, 100, D(2025, 1, 1), False),  # every page read
        (10, 0, D(2025, 1, 1), False),  # unknown length
        (10, 100, None, False),
    ],
)
def test_being_read(read, pages, last, expected):
    assert being_read(read, pages, last, D(2025, 1, 10)) is expected


READ = [(D(2024, 12, 30), 60), (D(2025, 1, 1), 30), (D(2025, 1, 6), 10), (D(2025, 1, 10), 5)]


@pytest.mark.parametrize(
    ("period", "count", "expected"),
    [
        ("day", 3, [(D(2025, 1, 8), 0), (D(2025, 1, 9), 0), (D(2025, 1, 10), 5)]),
        # weeks start on Monday: 30 Dec and 1 Jan share one
        ("week", 3, [(D(2024, 12, 23), 0), (D(2024, 12, 30), 90), (D(2025, 1, 6), 15)]),
        ("month", 2, [(D(2024, 12, 1), 60), (D(2025, 1, 1), 45)]),
        ("month", 14, None),  # across a year boundary: checked below
    ],
)
def test_period_totals(period, count, expected):
    found = period_totals(READ, period, D(2025, 1, 10), count)
    assert len(found) == count
    if expected is not None:
        assert found == expected
    else:
        assert found[0][0] == D(2023, 12, 1) and found[-1][0] == D(2025, 1, 1)


def test_period_totals_refuses_an_unknown_period():
    with pytest.raises(ValueError, match="period must be one of"):
        period_totals(READ, "year", D(2025, 1, 10), 3)
