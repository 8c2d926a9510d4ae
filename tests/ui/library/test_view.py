"""The library table's view: status counts in the filter, column widths that fit their texts,
the progress cell's painting, and the columns kept across starts."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.library.service import HARDCOVER_LABELS
from bookorbit_desktop.ui.library.columns import column_widths, legible_widths
from bookorbit_desktop.ui.library.model import COLUMN_KEYS, row_runs
from bookorbit_desktop.ui.library.view import (
    MIN_FILTER_WIDTH,
    LibraryView,
    ProgressDelegate,
    bar_colour,
)
from tests.ui.library.shelf import library_view, show_library
from tests.ui.library.test_model import book


def books():
    return [
        book(1, "Dune", status="reading", progress=0.35, pages=1152),
        book(2, "Emma", status="reading"),
        book(3, "Piranesi", status="read", progress=1.0),
        book(4, "Ulysses"),
    ]


def combo_texts(view: LibraryView) -> list[str]:
    return [view.status_combo.itemText(i) for i in range(view.status_combo.count())]


def test_the_status_filter_counts_the_books_of_each_status(qtbot, library):
    view = library_view(qtbot, library, books())
    texts = combo_texts(view)
    assert texts[0] == "All books (4)"
    assert "Reading (2)" in texts and "Read (1)" in texts and "Unread (1)" in texts
    assert "Abandoned (0)" in texts
    # A change to one book (a push) moves the counts with it.
    database.execute_sql(
        "UPDATE reading_state SET status = 'read', progress = 1.0 WHERE book_id = 2"
    )
    view.model.follow({2})
    qtbot.waitUntil(lambda: "Read (2)" in combo_texts(view))
    assert "Reading (1)" in combo_texts(view)
    view.status_combo.setCurrentIndex(view.status_combo.findData("read"))
    assert view.model.rowCount() == 2


def test_every_column_fits_its_longest_text(qtbot):
    view = LibraryView()
    qtbot.addWidget(view)
    metrics = view.table.fontMetrics()
    wanted = column_widths(metrics)  # the widths given where the table has room for them
    for label in HARDCOVER_LABELS.values():
        assert metrics.horizontalAdvance(label) + 8 < wanted["hardcover"], label
    assert metrics.horizontalAdvance("35 % · p. 403 of 1152") + 8 < wanted["progress"]


def paint_cell(view: LibraryView, row: int, selected: bool) -> tuple[QImage, QStyleOptionViewItem]:
    index = view.model.index(row, COLUMN_KEYS.index("progress"))
    option = QStyleOptionViewItem()
    option.initFrom(view.table)
    option.rect = view.table.visualRect(index).translated(-view.table.visualRect(index).topLeft())
    option.widget = view.table
    if selected:
        option.state |= QStyle.StateFlag.State_Selected
    image = QImage(option.rect.size() or QSize(200, 26), QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    ProgressDelegate(view).paint(painter, option, index)
    painter.end()
    return image, option


def test_the_progress_bar_stays_visible_on_a_selected_row(qtbot, library):
    view = library_view(qtbot, library, books())
    view.resize(1200, 400)
    view.show()
    row = view.model.row_of(1)
    for selected in (False, True):
        image, option = paint_cell(view, row, selected)
        colour = bar_colour(option)
        # The filled part of the bar, one pixel above the cell's bottom edge of the track.
        y = option.rect.bottom() - 2
        x = option.rect.left() + 10
        assert QColor(image.pixel(x, y)).rgb() == colour.rgb(), selected
        if selected:
            assert colour == option.palette.highlightedText().color()
            background = option.palette.highlight().color()
            assert abs(colour.lightness() - background.lightness()) > 100


def test_sort_order_and_column_widths_are_restored(qtbot, library):
    first = library_view(qtbot, library, books())
    first.table.sortByColumn(COLUMN_KEYS.index("progress"), Qt.SortOrder.DescendingOrder)
    first.table.setColumnWidth(COLUMN_KEYS.index("authors"), 222)
    state = first.save_columns()

    second = LibraryView()
    qtbot.addWidget(second)
    show_library(second, library)
    second.resize(1600, 400)  # wide enough for every column as wanted
    second.show()
    qtbot.waitExposed(second)
    second.restore_columns(state)
    header = second.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMN_KEYS.index("progress")
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert second.model.book_id_at(0) == 3  # 100 % first
    assert second.table.columnWidth(COLUMN_KEYS.index("authors")) == 222


def test_a_narrow_window_shrinks_series_and_tags_before_cutting_hardcover(qtbot, library):
    view = library_view(qtbot, library, books())
    # About the table of a 1366x768 window with the sidebar open and the book panel folded
    # away: Series and Tags narrower than they want, Title and Authors at 25 characters.
    view.resize(1000, 400)
    view.show()
    qtbot.waitExposed(view)
    header = view.table.horizontalHeader()
    last = COLUMN_KEYS.index("hardcover")
    right = header.sectionPosition(last) + header.sectionSize(last)
    assert right <= view.table.viewport().width()  # nothing to scroll to
    assert view.table.horizontalScrollBar().maximum() == 0
    metrics = view.table.fontMetrics()
    for label in HARDCOVER_LABELS.values():
        assert metrics.horizontalAdvance(label) + 8 < header.sectionSize(last), label
    legible = legible_widths(metrics)
    for key in ("title", "authors"):
        assert header.sectionSize(COLUMN_KEYS.index(key)) >= legible[key], key
    # Wide again: Series and Tags get back the width they had.
    narrow = [view.table.columnWidth(COLUMN_KEYS.index(key)) for key in ("series", "tags")]
    view.resize(1600, 400)
    qtbot.waitUntil(
        lambda: all(
            view.table.columnWidth(COLUMN_KEYS.index(key)) > width
            for key, width in zip(("series", "tags"), narrow, strict=True)
        )
    )


@pytest.mark.parametrize(
    ("rows", "runs"),
    [
        ([], []),
        ([4], [(4, 4)]),
        ([1, 2, 3, 7], [(1, 3), (7, 7)]),
        ([0, 2, 4], [(0, 0), (2, 2), (4, 4)]),
        ([5, 6, 9, 10, 11], [(5, 6), (9, 11)]),
    ],
)
def test_row_runs(rows, runs):
    assert row_runs(rows) == runs


def click_row(qtbot, view: LibraryView, row: int, modifier=Qt.KeyboardModifier.NoModifier):
    rect = view.table.visualRect(view.model.index(row, 0))
    qtbot.mouseClick(view.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def selected_ids(view: LibraryView) -> set[int]:
    return {view.model.book_id_at(i.row()) for i in view.table.selectionModel().selectedRows()}


def test_ctrl_and_shift_select_several_books_and_the_panel_follows_the_current_one(qtbot, library):
    view = library_view(qtbot, library, books())
    view.resize(1200, 400)
    view.show()
    shown: list[int | None] = []
    view.book_selected.connect(shown.append)
    click_row(qtbot, view, view.model.row_of(1))
    click_row(qtbot, view, view.model.row_of(3), Qt.KeyboardModifier.ControlModifier)
    assert selected_ids(view) == {1, 3}
    assert view.selected_book_id == 3 and shown == [1, 3]
    click_row(qtbot, view, view.model.row_of(4), Qt.KeyboardModifier.ShiftModifier)
    assert selected_ids(view) == {1, 3, 4}  # Shift extends from the last click: Piranesi..Ulysses
    # Sorting (a reset of the model) keeps every selected book selected, and the current one.
    view.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    assert selected_ids(view) == {1, 3, 4} and view.selected_book_id == 4
    view.status_combo.setCurrentIndex(view.status_combo.findData("read"))  # Piranesi only
    assert selected_ids(view) == {3}
    view.status_combo.setCurrentIndex(0)
    # Selecting one book from the code selects that book alone.
    assert view.select_book(2)
    assert selected_ids(view) == {2} and view.selected_book_id == 2


@pytest.mark.parametrize("window", [1000, 420])  # 420: the toolbar has no room to spare
def test_the_filter_box_keeps_its_width_while_the_counts_beside_it_change(qtbot, library, window):
    view = library_view(qtbot, library, books())
    view.resize(window, 500)
    view.show()
    qtbot.waitUntil(lambda: view.count_label.text() == "4 books")
    qtbot.wait(20)
    width = view.filter_edit.width()
    assert width >= MIN_FILTER_WIDTH  # room to see what is typed
    view.filter_edit.setText("Dune")
    qtbot.waitUntil(lambda: view.count_label.text() == "1 of 4 books")
    qtbot.wait(20)  # the layout follows
    assert view.filter_edit.width() == width
    view.filter_edit.clear()
    database.execute_sql("UPDATE reading_state SET status = 'abandoned' WHERE book_id = 4")
    view.model.follow({4})
    qtbot.waitUntil(lambda: "Abandoned (1)" in combo_texts(view))
    qtbot.wait(20)
    assert view.filter_edit.width() == width
    metrics = view.status_combo.fontMetrics()  # and no choice is cut
    widest = max(metrics.horizontalAdvance(text) for text in combo_texts(view))
    assert view.status_combo.width() > widest
