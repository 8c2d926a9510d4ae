"""The goal rules (`library.goals.rules`), table-driven over plain reads."""

from __future__ import annotations

import datetime as dt

import pytest

from bookorbit_desktop.library.goals.rules import (
    AHEAD,
    BEHIND,
    BOOKS,
    MET,
    MISSED,
    ON_TRACK,
    PAGES,
    UPCOMING,
    Goal,
    goal_progress,
    pace_text,
)
from bookorbit_desktop.library.reads.counting import Read

D = dt.date
YEAR_24 = Goal(24, BOOKS, D(2026, 1, 1), D(2026, 12, 31))


def read(book, finished, *, done=True, pages=None, source="library", hc_read=None):
    return Read(book, None, finished, done, source, None, hc_read, pages, None)


def finished(count, month=1):
    return [read(n, D(2026, month, 1 + n % 28)) for n in range(count)]


# (case, goal, reads, today, done, due, state, catch up)
CASES = [
    ("the first day asks for nothing yet", YEAR_24, [], D(2026, 1, 1), 0, 0, ON_TRACK, 0),
    ("half way with 12 is on track", YEAR_24, finished(12), D(2026, 7, 2), 12, 12, ON_TRACK, 0),
    ("30 June with 8: 3 behind, 3 more in June", YEAR_24, finished(8), D(2026, 6, 30), 8, 11,
     BEHIND, 3),
    ("1 June with 8: 1 behind, June's end asks for 11", YEAR_24, finished(8), D(2026, 6, 1), 8,
     9, BEHIND, 3),
    ("ahead", YEAR_24, finished(5), D(2026, 2, 1), 5, 2, AHEAD, 0),
    ("met early", YEAR_24, finished(24), D(2026, 9, 1), 24, 16, MET, 0),
    ("not begun", YEAR_24, [], D(2025, 12, 1), 0, 0, UPCOMING, 0),
    ("ended short", YEAR_24, finished(20), D(2027, 1, 5), 20, 24, MISSED, 0),
    ("a re-read counts again; outside the dates and no-date reads do not", YEAR_24,
     [read(1, D(2026, 3, 1)), read(1, D(2026, 9, 1)), read(2, D(2025, 12, 31)), read(3, None),
      read(4, D(2026, 4, 1), done=False)], D(2026, 12, 31), 2, 24, BEHIND, 22),
    ("the same read from the library and Hardcover counts once", YEAR_24,
     [read(1, D(2026, 3, 1), hc_read=7), read(1, D(2026, 3, 1), source="hardcover", hc_read=7)],
     D(2026, 3, 1), 1, 3, BEHIND, 4),
    ("pages: known pages only", Goal(1000, PAGES, D(2026, 1, 1), D(2026, 1, 10)),
     [read(1, D(2026, 1, 2), pages=300), read(2, D(2026, 1, 3))], D(2026, 1, 5), 300, 500,
     BEHIND, 700),
]  # fmt: skip


@pytest.mark.parametrize(
    ("case", "goal", "reads", "today", "done", "due", "state", "catch_up"),
    CASES,
    ids=[c[0] for c in CASES],
)
def test_how_far_along_a_goal_is(case, goal, reads, today, done, due, state, catch_up):
    progress = goal_progress(goal, reads, today)
    assert (progress.done, progress.due, progress.state, progress.catch_up) == (
        done,
        due,
        state,
        catch_up,
    )


def test_the_books_that_count_and_the_ones_listed_apart():
    reads = [read(1, D(2026, 3, 1)), read(2, None), read(3, D(2026, 2, 1), pages=200)]
    progress = goal_progress(Goal(500, PAGES, D(2026, 1, 1), D(2026, 12, 31)), reads, D(2026, 3, 5))
    assert [r.book_id for r in progress.counted] == [3, 1]  # oldest first
    assert [r.book_id for r in progress.no_date] == [2]
    assert progress.unpaged == 1  # book 1 has no page count: named, not taken as 0 read


@pytest.mark.parametrize(
    ("goal", "reads", "today", "text"),
    [
        (YEAR_24, finished(8), D(2026, 6, 30),
         "3 books behind today: 3 more this month get you back on track. To reach it: a book every "
         "12 days."),
        (YEAR_24, finished(10), D(2026, 6, 30),
         "1 book behind today: 1 more this month gets you back on track. To reach it: a book every "
         "13 days."),
        (YEAR_24, [], D(2026, 12, 1),
         "22 books behind today: 24 more this month get you back on track. To reach it: 5.4 books "
         "a week."),
        (YEAR_24, finished(5), D(2026, 2, 1), "3 books ahead. To reach it: a book every 18 days."),
        (Goal(4, BOOKS, D(2026, 1, 1), D(2026, 12, 31)), finished(1), D(2026, 4, 2),
         "On track. To reach it: a book every 91 days."),
        (YEAR_24, finished(24), D(2026, 9, 1), "Met: 24 of 24 books."),
        (YEAR_24, finished(20), D(2027, 1, 5), "Ended on 2026-12-31 at 20 of 24 books."),
        (YEAR_24, [], D(2025, 12, 1), "Starts on 2026-01-01."),
        (Goal(10000, PAGES, D(2026, 1, 1), D(2026, 12, 31)),
         [read(1, D(2026, 1, 5), pages=6000)], D(2026, 3, 1),
         "4,357 pages ahead. To reach it: 92 pages a week."),
    ],
)  # fmt: skip
def test_what_the_state_means_in_one_sentence(goal, reads, today, text):
    assert pace_text(goal_progress(goal, reads, today)) == text
