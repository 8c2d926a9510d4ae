"""The Statistics page and a book's sessions, drawn offscreen from a real imported history."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from PySide6.QtCore import QObject, Qt, Signal

from bookorbit_desktop.library.history.importer import import_statistics
from bookorbit_desktop.library.history.rules import Session
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.reading.pushes import link_document
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.services.statistics import service
from bookorbit_desktop.ui.library.book_panel import BookPanel
from bookorbit_desktop.ui.statistics import book_sessions
from bookorbit_desktop.ui.statistics.page import StatisticsPage
from tests.factories import add_book
from tests.library.history.koreader_file import KoBook, write_statistics
from tests.ui.shown import tooltip_text

TODAY = dt.date(2025, 3, 20)
NOON = int(dt.datetime(2025, 3, 20, 12).timestamp())  # local time, as the page shows days
DAY = 86_400


@pytest.fixture
def history(library, tmp_path):
    """Dune read on the last three days (an hour a day), Emma once, long ago (not linked)."""
    dune_rows = [
        (day * 30 + p + 1, NOON - day * DAY + p * 120, 120, 300)
        for day in range(3)
        for p in range(30)
    ]
    path = write_statistics(
        tmp_path / "statistics.sqlite3",
        [
            KoBook("Dune", "Frank Herbert", "d" * 32, 300, dune_rows),
            KoBook("Emma", "Jane Austen", "e" * 32, 100, [(1, NOON - 200 * DAY, 600, 100)]),
        ],
    )
    import_statistics(path)
    book = add_book("Dune", ("Frank Herbert",))
    link_document("d" * 32, book.id, now=1.0)
    return book


@pytest.fixture
def page(qtbot):
    widget = StatisticsPage()
    widget.resize(1100, 900)
    qtbot.addWidget(widget)
    return widget


def test_the_page_shows_totals_charts_and_books(page, history):
    data = service.load_statistics(TODAY)
    page.show_statistics(data)
    assert page.showing_data
    summary = page.summary.text()
    assert "3 h 10 min" in summary and "Current streak" in summary and "3 days" in summary
    rows = page.book_rows()
    assert rows[0][:5] == ["Dune", "3 h 00 min", "90 / 300", "3", "30 pages/h"]
    assert rows[0][6] == "27 Mar 2025"  # 210 pages left at 30 an hour, an hour a day
    assert rows[1][0] == "Emma (not linked)" and rows[1][6] == ""
    assert [seconds for _, _, seconds in page.chart._bars][-3:] == [3600, 3600, 3600]
    assert len(page.chart._bars) == 30
    page.show_period("month")
    assert len(page.chart._bars) == 24 and page.chart._bars[-1][2] == 3 * 3600
    assert page.heatmap.day_at(*_centre(page.heatmap, TODAY)) == TODAY
    page.grab()  # paints every chart once


def _centre(heatmap, day):
    cell = heatmap._cell(day)
    return cell.center().x(), cell.center().y()


def test_figures_sort_by_number_not_by_text(page, history):
    page.show_statistics(service.load_statistics(TODAY))
    page.books.sortByColumn(1, Qt.SortOrder.AscendingOrder)
    assert page.book_rows()[0][0] == "Emma (not linked)"  # 10 min < 3 h ("1" < "3" too)
    page.books.sortByColumn(4, Qt.SortOrder.AscendingOrder)  # "6 pages/h" > "30 pages/h" as text
    assert [row[4] for row in page.book_rows()] == ["6 pages/h", "30 pages/h"]
    tip = page.books.model().index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert tooltip_text(tip) == "Jane Austen"


def test_without_history_the_page_says_how_to_send_it(page, library):
    page.show_statistics(service.load_statistics(TODAY))
    assert not page.showing_data
    assert "Cloud sync" in page.empty.text() and "/dav/" in page.empty.text()


def test_the_book_panel_lists_the_book_sessions(qtbot, qloop, history, library):
    library_service = LibraryService(library)
    panel = BookPanel(library_service.book_details, library_service.save_reading)
    qtbot.addWidget(panel)

    class LibraryView(QObject):
        book_selected = Signal(object)

    view = LibraryView()
    sessions = book_sessions.mount(panel, service.book_sessions_off_loop, view.book_selected)
    panel.show_book(history.id)
    view.book_selected.emit(history.id)

    async def shown():
        while sessions.book_id != history.id or sessions.list.topLevelItemCount() == 0:
            await asyncio.sleep(0.02)

    qloop.run_until_complete(asyncio.wait_for(shown(), 5))
    assert not sessions.isHidden()
    assert sessions.total.text() == "3 reading sessions, 3 h 00 min in all"
    sessions.show_sessions([Session(1_742_450_000, 1_742_453_600, 3600, 30)])
    assert sessions.total.text() == "1 reading session, 1 h 00 min in all"
    newest = sessions.list.topLevelItem(0)
    assert (newest.text(0), newest.text(2), newest.text(3)) == ("20 Mar 2025", "1 h 00 min", "30")
    sessions.show_book(None)
    assert sessions.isHidden()


@pytest.mark.parametrize("edit", [{"progress": 1.0}, {"status": "read"}])
def test_a_finished_book_has_no_estimated_finish(page, history, edit):
    # KOReader counted 90 of 300 pages turned; the library knows the book is finished.
    update_reading_state(history.id, **edit, today=TODAY)
    page.resize(1366, 740)
    page.show_statistics(service.load_statistics(TODAY))
    dune = page.book_rows()[0]
    assert dune[0] == "Dune" and dune[6] == ""
