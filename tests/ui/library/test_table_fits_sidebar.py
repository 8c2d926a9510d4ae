"""The library table at 1366x768 with the sidebar (the library browser, saved searches) open:
the book panel folds away while no book is selected, Title and Authors show at least 25
characters, and every column shown by default is in sight (nothing to scroll sideways). The
panel comes back at the width the user gave it, also in the next start's window."""

from __future__ import annotations

import asyncio

import pytest

from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.library.more_columns import OPTIONAL
from bookorbit_desktop.ui.widgets import CELL_PADDING
from tests.factories import add_book
from tests.ui.assembled import bare_window, local_desktop

TITLE = "Jonathan Strange & Mr Norrell"
AUTHORS = ("Frank Herbert", "Brian Herbert")


@pytest.fixture
def desktop(library, qtbot, qloop):
    books = [
        add_book(TITLE, ["Susanna Clarke"]).id,
        add_book("The Left Hand of Darkness", ["Ursula K. Le Guin"]).id,
        add_book("Dune Messiah", AUTHORS).id,
    ]
    desktop = local_desktop(library, shown=True)
    change_tags(books[:2], desktop.paths, add=["Science Fiction"])
    desktop.controller.refresh()
    desktop.window.sidebar_action.setChecked(True)
    desktop.window.resize(1366, 768)
    settle(qloop)
    desktop.books = books
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def settle(qloop) -> None:
    qloop.run_until_complete(asyncio.sleep(0.3))  # the layout settles


def widths(table) -> dict[str, int]:
    header = table.horizontalHeader()
    return {
        key: header.sectionSize(n)
        for n, key in enumerate(COLUMN_KEYS)
        if not header.isSectionHidden(n)
    }


def test_with_the_sidebar_open_title_and_authors_show_25_characters_and_all_columns(desktop):
    window = desktop.window
    view = window.library_view
    assert window.sidebar.isVisible() and view.browser.isVisible()
    assert not window.book_panel.isVisible()  # nothing selected: folded away
    table = view.table
    shown = widths(table)
    assert set(shown) == set(COLUMN_KEYS) - set(OPTIONAL)  # the default columns
    metrics = table.fontMetrics()
    assert shown["title"] >= metrics.horizontalAdvance(TITLE[:25]) + CELL_PADDING
    assert shown["authors"] >= metrics.horizontalAdvance(", ".join(AUTHORS)[:25]) + CELL_PADDING
    header = table.horizontalHeader()
    assert header.length() <= table.viewport().width()  # the last column's right edge shows
    assert table.horizontalScrollBar().maximum() == 0


def test_the_panel_shows_for_a_book_and_folds_away_without_one(desktop, qloop):
    window, view = desktop.window, desktop.window.library_view
    assert view.select_book(desktop.books[0])
    settle(qloop)
    assert window.book_panel.isVisible()
    assert window.book_panel.width() >= window.book_panel.minimumWidth()
    view.clear_selection()
    settle(qloop)
    assert not window.book_panel.isVisible()
    assert view.table.horizontalScrollBar().maximum() == 0


def test_the_panel_keeps_the_width_the_user_gives_it(library, qtbot, qloop, tmp_path):
    add_book(TITLE, ["Susanna Clarke"])
    window = bare_window(qtbot, library, tmp_path)
    window.resize(1366, 768)
    window.show()
    view = window.library_view
    view.model.set_reader(LibraryService(library).table_books)
    view.model.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    assert not window.book_panel.isVisible()
    view.select_book(view.model.book_id_at(0))
    qtbot.waitUntil(window.book_panel.isVisible)
    total = sum(window.splitter.sizes())
    window.splitter.moveSplitter(total - 450, 1)  # the user drags the handle
    assert window.splitter.sizes()[1] == 450
    view.clear_selection()
    qtbot.waitUntil(lambda: not window.book_panel.isVisible())
    window.save_state()  # folded: its width is kept all the same
    view.select_book(view.model.book_id_at(0))
    qtbot.waitUntil(window.book_panel.isVisible)
    assert window.splitter.sizes()[1] == 450

    again = bare_window(qtbot, library, tmp_path)  # the next start
    again.show()
    again.resize(1366, 768)
    again.library_view.model.set_reader(LibraryService(library).table_books)
    again.library_view.model.refresh()
    qtbot.waitUntil(lambda: again.library_view.model.rowCount() == 1)
    assert not again.book_panel.isVisible()
    again.library_view.select_book(again.library_view.model.book_id_at(0))
    qtbot.waitUntil(again.book_panel.isVisible)
    assert again.splitter.sizes()[1] == 450
