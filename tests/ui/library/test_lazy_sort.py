"""Sorting a large table leaves the window free: a click on a column's header shows its sort
arrow at once and the rows as they were, until the new order, read in a worker thread, is
shown. Its first page, read beside it, is shown as soon as it comes (when no selected book is
elsewhere). The last sort clicked is the one shown, and the selected book stays selected and
in view."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QPoint, Qt

from bookorbit_desktop.services.library import table_window
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book

TITLES = [f"Book {n:03}" for n in range(300)]


@pytest.fixture
def view(qtbot, library) -> LibraryView:
    for n, title in enumerate(TITLES):  # authors the other way round: Z… for the first title
        add_book(title, [f"{chr(ord('Z') - n // 12)} Author {n:03}"])
    view = LibraryView()
    qtbot.addWidget(view)
    view.resize(900, 500)
    view.model.set_reader(LibraryService(library).table_books)
    view.model.refresh()
    view.show()
    qtbot.waitExposed(view)
    return view


def click_header(qtbot, view: LibraryView, column: str) -> None:
    header = view.table.horizontalHeader()
    index = COLUMN_KEYS.index(column)
    middle = header.sectionViewportPosition(index) + header.sectionSize(index) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, 5))


def titles(view: LibraryView) -> list[str]:
    model = view.model
    return [model.book_at(row).title for row in range(model.rowCount())]


def held_reads(monkeypatch, column: str, *, first_page: bool = True) -> threading.Event:
    """The reads of the order by `column` (and of its first page, unless `first_page` is
    False) wait, in their worker thread, until it is set."""
    gate = threading.Event()
    ordered_ids = table_window.ordered_ids

    def held(by: str, *args, **kwargs):
        if by == column and (first_page or kwargs.get("limit") is None):
            assert gate.wait(10)
        return ordered_ids(by, *args, **kwargs)

    monkeypatch.setattr(table_window, "ordered_ids", held)
    return gate


def test_a_second_sort_clicked_before_the_first_order_arrives_wins(qtbot, qloop, view, monkeypatch):
    view.table.sortByColumn(COLUMN_KEYS.index("title"), Qt.SortOrder.DescendingOrder)
    assert titles(view) == TITLES[::-1]  # no loop running: sorted at once
    gate = held_reads(monkeypatch, "authors")
    header = view.table.horizontalHeader()

    async def sort_twice() -> None:
        click_header(qtbot, view, "authors")
        first = view.model.ordering
        assert header.sortIndicatorSection() == COLUMN_KEYS.index("authors")  # at once
        assert titles(view) == TITLES[::-1]  # the rows as they were, until the order arrives
        click_header(qtbot, view, "title")  # by title again, ascending this time
        assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
        second = view.model.ordering
        assert first is not None and second is not None and second is not first
        await second
        assert titles(view) == TITLES
        gate.set()
        await first  # the older order arrives last: it is dropped
        assert titles(view) == TITLES

    qloop.run_until_complete(sort_twice())
    assert header.sortIndicatorSection() == COLUMN_KEYS.index("title")


def test_the_first_page_of_a_sort_is_shown_before_its_whole_order(qtbot, qloop, view, monkeypatch):
    gate = held_reads(monkeypatch, "title", first_page=False)
    model = view.model
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(model.rowCount()))

    async def sort() -> None:
        view.table.sortByColumn(COLUMN_KEYS.index("title"), Qt.SortOrder.DescendingOrder)
        assert model.first_page is not None and model.ordering is not None
        await model.first_page  # the whole order is still being read
        assert not model.ordering.done()
        shown = titles(view)
        assert shown[:200] == TITLES[::-1][:200]  # the first page, in the new order
        assert sorted(shown[200:]) == shown[200:] == TITLES[:100]  # the others as they were
        gate.set()
        await model.ordering

    qloop.run_until_complete(sort())
    assert titles(view) == TITLES[::-1]
    assert resets == [300, 300]  # the first page, then the whole order: no book lost


def test_the_selected_book_stays_selected_and_in_view_after_a_sort(qtbot, qloop, view, monkeypatch):
    gate = held_reads(monkeypatch, "authors", first_page=False)
    model, table = view.model, view.table
    chosen = model.book_id_at(5)
    assert view.select_book(chosen)
    selected = []
    view.book_selected.connect(selected.append)

    async def sort() -> None:
        click_header(qtbot, view, "authors")
        assert model.book_id_at(5) == chosen  # not moved yet
        assert view.selected_book_id == chosen
        assert model.first_page is not None
        await model.first_page  # the selected book is not on it: not shown, nothing moves
        assert model.book_id_at(5) == chosen and view.selected_book_id == chosen
        gate.set()
        assert model.ordering is not None
        await model.ordering

    qloop.run_until_complete(sort())
    row = model.row_of(chosen)
    assert row is not None and row > 250  # "X Author": near the end now
    assert [index.row() for index in table.selectionModel().selectedRows()] == [row]
    assert table.currentIndex().row() == row and view.selected_book_id == chosen
    assert selected == []  # the book panel was never told of another book
    assert table.viewport().rect().intersects(table.visualRect(model.index(row, 0)))


def test_the_rows_a_sort_or_a_filter_shows_first_are_read_in_the_worker_thread(qtbot, qloop, view):
    model = view.model
    on_the_window = []
    reader = model._read
    assert reader is not None

    def watched(ids):
        if threading.current_thread() is threading.main_thread():
            on_the_window.append(len(ids))
        return reader(ids)

    model.set_reader(watched)

    async def sort_then_filter() -> None:
        view.table.sortByColumn(COLUMN_KEYS.index("authors"), Qt.SortOrder.AscendingOrder)
        assert model.ordering is not None
        await model.ordering
        view.filter_edit.setText("Book 1")
        assert model.ordering is not None
        await model.ordering

    qloop.run_until_complete(sort_then_filter())
    qtbot.wait(50)  # painted
    shown = [model.book_at(row) for row in range(20)]
    assert all(book is not None and "1" in book.title for book in shown)
    assert [book.authors for book in shown] == sorted(book.authors for book in shown)
    assert on_the_window == []  # nothing read on the window's thread to show the first rows
