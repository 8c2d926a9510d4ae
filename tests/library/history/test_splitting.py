"""Read splitting, table by table: a long gap, a restart from the beginning, a finish."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.history.rules import LocalDays
from bookorbit_desktop.library.history.splitting import (
    READ_GAP_DAYS,
    HistoryRead,
    Stretch,
    split_reads,
    stretches,
)

UTC = LocalDays(lambda _ts: 0)
DAY = 86_400
MARCH = 1_709_294_400  # 2024-03-01 12:00 UTC
OCTOBER = MARCH + 214 * DAY  # 2024-10-01


def s(day: float, first: float, furthest: float, *, at: int = MARCH) -> Stretch:
    """A one-hour session `day` days after `at`, from position `first` to `furthest`."""
    start = at + int(day * DAY)
    return Stretch(start, start + 3600, first, furthest)


def dated(reads: list[HistoryRead]) -> list[tuple[str, str | None]]:
    return [(d.started, d.finished) for d in (read.dates(UTC) for read in reads)]


@pytest.mark.parametrize(
    ("sessions", "expected"),
    [
        ([], []),
        # one read, finished
        ([s(0, 0, 0.4), s(3, 0.4, 1.0)], [("2024-03-01", "2024-03-04")]),
        # unfinished: a start only
        ([s(0, 0, 0.4), s(3, 0.4, 0.7)], [("2024-03-01", None)]),
        # March and October, months apart, both finished: two reads
        (
            [s(0, 0, 0.5), s(5, 0.5, 1.0), s(0, 0, 0.5, at=OCTOBER), s(9, 0.5, 1.0, at=OCTOBER)],
            [("2024-03-01", "2024-03-06"), ("2024-10-01", "2024-10-10")],
        ),
        # a long gap inside an unfinished read also starts a new one
        (
            [s(0, 0, 0.3), s(READ_GAP_DAYS + 1, 0.3, 1.0)],
            [("2024-03-01", None), ("2024-05-31", "2024-05-31")],
        ),
        # a gap just under the limit continues the read
        ([s(0, 0, 0.3), s(READ_GAP_DAYS - 1, 0.3, 1.0)], [("2024-03-01", "2024-05-29")]),
        # finished, then a reread from the beginning a week later: never merged across a finish
        (
            [s(0, 0, 1.0), s(7, 0.01, 0.3), s(9, 0.3, 1.0)],
            [("2024-03-01", "2024-03-01"), ("2024-03-08", "2024-03-10")],
        ),
        # finished, then looking back at a passage: no new read, the finish date stays
        ([s(0, 0, 1.0), s(2, 0.6, 0.62)], [("2024-03-01", "2024-03-01")]),
        # started over while unfinished: the first read stays unfinished
        (
            [s(0, 0, 0.4), s(5, 0.0, 0.1), s(8, 0.1, 1.0)],
            [("2024-03-01", None), ("2024-03-06", "2024-03-09")],
        ),
        # a glance at the contents that goes back to the reader's page: the same read
        ([s(0, 0, 0.4), s(1, 0.02, 0.45), s(2, 0.45, 1.0)], [("2024-03-01", "2024-03-03")]),
        # a look at the contents in the middle of a read, never past the front matter: the
        # same read, dated from its first session
        (
            [s(0, 0, 0.3), s(1, 0.3, 0.5), s(2, 0.0, 0.01), s(3, 0.5, 1.0)],
            [("2024-03-01", "2024-03-04")],
        ),
        # a read that has barely begun and begins again stays one read
        ([s(0, 0, 0.03), s(1, 0.0, 1.0)], [("2024-03-01", "2024-03-02")]),
    ],
)
def test_reads_are_split_by_the_table(sessions, expected):
    assert dated(split_reads(sessions)) == expected


def test_started_is_never_after_finished():
    for read in split_reads([s(0, 0, 1.0), s(7, 0, 1.0), s(200, 0.5, 1.0)]):
        dates = read.dates(UTC)
        assert dates.finished is None or dates.started <= dates.finished


@pytest.mark.parametrize(
    ("rows", "pages", "expected"),
    [
        ([], 100, []),
        # (page, start, duration, total_pages): one session from page 1 to the last page
        ([(1, 0, 60, 100), (50, 60, 60, 100), (100, 120, 60, 100)], 100, [(0, 180, 0.01, 1.0)]),
        # rows more than five minutes apart are two sessions
        (
            [(1, 0, 60, 100), (2, 1000, 60, 100)],
            100,
            [(0, 60, 0.01, 0.01), (1000, 1060, 0.02, 0.02)],
        ),
        # the finish threshold counts as the end; an unknown total uses the book's pages
        ([(199, 0, 60, 0)], 200, [(0, 60, 1.0, 1.0)]),
        ([(0, 0, 60, 0)], 0, [(0, 60, 0.0, 0.0)]),
    ],
)
def test_page_rows_become_sessions_with_their_positions(rows, pages, expected):
    assert [(x.start, x.end, x.first, x.furthest) for x in stretches(rows, pages)] == expected
