"""The library table's columns. Title has the room the others leave as soon as the table is
shown. View ▸ Columns (and the header's right-click menu) chooses which columns are shown: a
hidden column gives its width to Title, comes back as wide as it was, and stays hidden at the
next start."""

from __future__ import annotations

from bookorbit_desktop.ui.library.model import COLUMN_KEYS, COLUMNS
from bookorbit_desktop.ui.library.view import LibraryView
from tests.ui.library.shelf import library_view, show_library
from tests.ui.library.test_view import books


def shown_view(qtbot, library) -> LibraryView:
    view = library_view(qtbot, library, books())
    view.resize(1600, 400)  # wide enough for every column as wanted
    view.show()
    qtbot.waitExposed(view)
    least = view.fitting.min_title_width
    qtbot.waitUntil(lambda: view.table.columnWidth(0) > least)  # Title has the rest
    return view


def choose(view: LibraryView, title: str, shown: bool) -> None:
    view.columns_menu.aboutToShow.emit()  # as opening it does: the marks follow the table
    (action,) = [a for a in view.columns_menu.actions() if a.text().replace("&", "") == title]
    if action.isChecked() != shown:
        action.trigger()


def test_title_has_the_room_the_others_leave_once_the_table_is_shown(qtbot, library):
    view = library_view(qtbot, library, books())
    view.resize(1600, 400)
    view.show()
    qtbot.waitExposed(view)
    table = view.table
    qtbot.waitUntil(lambda: table.horizontalHeader().length() == table.viewport().width())
    authors = table.columnWidth(COLUMN_KEYS.index("authors"))
    assert authors > 60  # as wanted, not as narrow as before the table had its room


def test_every_column_but_title_can_be_hidden_and_shown_again(qtbot, library):
    view = shown_view(qtbot, library)
    titles = [a.text().replace("&", "") for a in view.columns_menu.actions() if a.isVisible()]
    # Title is always shown; after the columns, the custom columns' dialog (no custom column:
    # no heading for them).
    assert titles == [*(title for _key, title in COLUMNS[1:]), "", "Custom Columns…"]
    table = view.table
    title_width = table.columnWidth(0)
    format_width = table.columnWidth(COLUMN_KEYS.index("format"))
    choose(view, "Format", False)
    assert table.isColumnHidden(COLUMN_KEYS.index("format"))
    assert table.columnWidth(0) == title_width + format_width  # Title takes the room
    choose(view, "Format", True)
    assert table.columnWidth(COLUMN_KEYS.index("format")) == format_width
    assert table.columnWidth(0) == title_width


def test_a_hidden_elastic_column_comes_back_as_wide_as_it_was(qtbot, library):
    view = shown_view(qtbot, library)
    authors = COLUMN_KEYS.index("authors")
    view.table.setColumnWidth(authors, 180)
    choose(view, "Authors", False)
    choose(view, "Series", False)  # no elastic column left: Title takes everything
    assert view.table.columnWidth(0) > 400
    choose(view, "Authors", True)
    assert view.table.columnWidth(authors) == 180


def test_hidden_columns_stay_hidden_at_the_next_start(qtbot, library):
    first = shown_view(qtbot, library)
    choose(first, "Rating", False)
    state = first.save_columns()
    second = LibraryView()
    qtbot.addWidget(second)
    show_library(second, library)
    second.restore_columns(state)
    assert second.table.isColumnHidden(COLUMN_KEYS.index("rating"))
    second.columns_menu.aboutToShow.emit()
    marks = {a.text().replace("&", ""): a.isChecked() for a in second.columns_menu.actions()}
    assert marks["Rating"] is False and marks["Format"] is True
