"""The Year page and its share picture, drawn offscreen for a generated year (`generated`) and
checked against the year's rules, the picture's size and what it says."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtGui import QImage

from bookorbit_desktop.library.year.gather import year_review
from bookorbit_desktop.services.year.service import share_covers, year_highlights
from bookorbit_desktop.ui.year.page import NO_KOREADER, YearPage
from bookorbit_desktop.ui.year.share import share_picture
from tests.library.year.generated import (
    PRIVATE_FILE,
    PRIVATE_QUOTE,
    UTC,
    YEAR,
    generate_year,
)

TODAY = dt.date(YEAR, 11, 28)


@pytest.fixture
def plan(library, tmp_path):
    return generate_year(tmp_path)


@pytest.fixture
def page(qtbot):
    widget = YearPage(YEAR)
    widget.resize(1200, 1000)
    qtbot.addWidget(widget)
    return widget


def bars(chart) -> list[int]:
    return [value for _, _, value in chart._bars]


def test_the_page_shows_the_years_figures(page, plan):
    figures = year_review(YEAR, UTC)
    page.show_year(figures, TODAY)
    summary = page.summary.text()
    assert "<b>181</b></span><br>Books finished" in summary
    assert "<b>31</b></span><br>Re-reads" in summary
    assert "Time read (KOReader)" in summary and "Longest streak (KOReader)" in summary
    assert bars(page.books_chart) == plan.per_month
    assert sum(bars(page.pages_chart)) == figures.pages
    assert not page.koreader_box.isHidden() and not page.month_chart.isHidden()
    assert sum(bars(page.month_chart)) == sum(plan.koreader_days.values())
    assert bars(page.hour_chart)[12] == sum(plan.koreader_days.values())
    assert "5 days" in page.koreader_summary.text()  # the longest streak
    details = page.details.text()
    assert "<b>30</b> abandoned" in details
    assert "Highlights made (from KOReader): <b>12</b>" in details
    assert page.finished.count() == 181 and page.no_date.count() == len(plan.no_date)
    lines = [page.finished.item(row).text() for row in range(page.finished.count())]
    assert sum("(re-read, " in line for line in lines) == 31  # the latest first
    assert lines[0].startswith("27 Nov 2026  Book 295 — Author 1 (re-read, 395 pages")
    assert page.share_button.isEnabled()
    page.grab()  # paints every chart once


def test_a_year_without_koreader_statistics_shows_the_reads(page, plan):
    page.show_year(year_review(YEAR - 1, UTC), TODAY)
    assert page.koreader_summary.text() == NO_KOREADER
    assert page.month_chart.isHidden() and page.heatmap.isHidden()
    assert sum(bars(page.books_chart)) == 30 and page.finished.count() == 30


@pytest.mark.parametrize(("size", "width", "height"), [("story", 1080, 1920), ("wide", 1920, 1080)])
async def test_the_share_picture_shows_covers_and_figures_and_nothing_private(
    plan, library, tmp_path, size, width, height
):
    figures = year_review(YEAR, UTC)
    covers = await share_covers(library, figures.finished)
    assert len(covers) == 181  # each book finished (of the two copies, the one counted)
    picture = share_picture(figures, covers, size)
    assert (picture.image.width(), picture.image.height()) == (width, height)
    assert picture.texts[0] == f"My {YEAR} in books" and "181" in picture.texts
    said = "\n".join(picture.texts)
    assert PRIVATE_FILE not in said and ".epub" not in said and PRIVATE_QUOTE not in said
    assert "and 121 more" in said  # 181 covers, 60 shown
    out = tmp_path / f"year-{size}.png"
    picture.save(out)
    assert QImage(str(out)).size() == picture.image.size()
    assert PRIVATE_FILE.encode() not in out.read_bytes() and b"epub" not in out.read_bytes()
    ticked = share_picture(figures, covers, size, year_highlights(YEAR))
    assert f"“{PRIVATE_QUOTE}”" in ticked.texts  # only when the user ticks it
