"""The year in review read from a real library holding a generated year (`generated`): every
figure against what the rules make of the plan."""

from __future__ import annotations

import pytest

from bookorbit_desktop.library.year.gather import year_review
from tests.library.year.generated import (
    ROW_SECONDS,
    ROWS,
    STREAK,
    UTC,
    YEAR,
    generate_year,
)


@pytest.fixture
def plan(library, tmp_path):
    return generate_year(tmp_path)


def test_a_generated_year_gives_the_rules_figures(plan):
    figures = year_review(YEAR, UTC)
    got = [(r.book_id, r.finished, r.reread) for r in figures.finished]
    assert got == plan.counted
    assert len(got) == 181  # 180 of the 300 books, and two copies of one Hardcover book once
    assert figures.rereads == 31  # 30 re-read this year, and the copy read on hardcover.app in 2023
    assert sorted(r.book_id for r in figures.no_date) == sorted(plan.no_date)
    assert list(figures.books_per_month) == plan.per_month
    assert figures.abandoned == plan.abandoned == 30
    assert figures.highlights == plan.highlights
    assert dict(figures.top_languages) == dict(plan.languages)
    assert figures.longest and figures.longest.title == "Book 295"  # 100 + 295 pages
    assert figures.shortest and figures.shortest.title == "Book 000"
    assert figures.fastest and figures.fastest.days == 1  # started and finished the same day
    koreader = figures.koreader
    assert koreader is not None
    assert dict(koreader.days) == plan.koreader_days
    assert koreader.seconds == 40 * ROWS * ROW_SECONDS  # book 0 on both devices counts once
    assert koreader.longest_streak == STREAK
    assert koreader.hours[12] == koreader.seconds  # every session starts at noon UTC
    assert sum(koreader.months) == koreader.seconds


def test_a_year_without_koreader_statistics_still_has_its_reads(plan):
    figures = year_review(YEAR - 1, UTC)
    assert figures.koreader is None
    assert len(figures.finished) == 30  # the books finished the year before
    assert figures.rereads == 0
