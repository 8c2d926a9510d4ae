"""The library table at 1366x768 with the sidebar open and a book selected (the book panel
open), through the real window and a library long enough to scroll: every column shown by
default ends inside the table's viewport (nothing to scroll sideways), Title and Authors show
at least 25 characters, and the panel shows its cover, title and buttons whole. The same in a
maximised window on a 1366x768 screen with a taskbar and in a normal window on that screen.
A column the user drags keeps its width, also at the next start."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from bookorbit_desktop.library.tags.changes import change_tags
from bookorbit_desktop.services.library.service import STATUS_LABELS, LibraryService
from bookorbit_desktop.ui.library.book_panel import PANEL_WIDTH
from bookorbit_desktop.ui.library.columns import column_widths, legible_widths
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.library.more_columns import OPTIONAL
from bookorbit_desktop.ui.widgets import CELL_PADDING
from tests.factories import add_book
from tests.ui.assembled import bare_window, local_desktop
from tests.ui.library.test_table_fits_sidebar import settle

DEFAULT_COLUMNS = [key for key in COLUMN_KEYS if key not in OPTIONAL]
# The room the window has on a 1366x768 screen: the whole screen; maximised above a 40 px
# taskbar; a normal window there (8 px borders, a 31 px title bar).
WINDOWS = [(1366, 768), (1366, 728), (1350, 689)]
TITLES = [
    "The Curious Incident of the Dog in the Night-Time",
    "Jonathan Strange & Mr Norrell",
    "The Hitchhiker's Guide to the Galaxy",
    "Do Androids Dream of Electric Sheep?",
]
AUTHORS = [
    ("Mark Haddon",),
    ("Susanna Clarke",),
    ("Douglas Adams", "Eoin Colfer"),
    ("Philip K. Dick",),
]


def bookshelf() -> list[int]:
    """Forty books with long titles and authors: the table scrolls up and down."""
    books = [
        add_book(f"{TITLES[n % 4]} ({n + 1})", AUTHORS[n % 4], series="Discworld", series_index=n)
        for n in range(40)
    ]
    return [book.id for book in books]


@pytest.fixture
def desktop(library, qtbot, qloop):
    books = bookshelf()
    desktop = local_desktop(library, shown=True)
    change_tags(books[:10], desktop.paths, add=["Science Fiction", "Classics"])
    desktop.controller.refresh()
    desktop.window.sidebar_action.setChecked(True)
    desktop.books = books
    yield desktop
    qloop.run_until_complete(desktop.shutdown())


def open_panel(window, book_id: int, size: tuple[int, int], qloop) -> None:
    window.resize(*size)
    settle(qloop)
    assert window.library_view.select_book(book_id)
    settle(qloop)
    assert window.book_panel.isVisible() and window.sidebar.isVisible()


def right_edges(table) -> dict[str, int]:
    header = table.horizontalHeader()
    return {
        key: header.sectionViewportPosition(n) + header.sectionSize(n)
        for n, key in enumerate(COLUMN_KEYS)
        if not header.isSectionHidden(n)
    }


@pytest.mark.parametrize("size", WINDOWS)
def test_with_a_book_selected_every_default_column_is_in_sight(desktop, qloop, size):
    window = desktop.window
    open_panel(window, desktop.books[2], size, qloop)
    table = window.library_view.table
    assert table.verticalScrollBar().isVisible()  # a real library: the rows scroll
    edges = right_edges(table)
    assert list(edges) == DEFAULT_COLUMNS
    for key, edge in edges.items():
        assert edge <= table.viewport().width(), (key, edge, table.viewport().width())
    assert table.horizontalScrollBar().maximum() == 0
    header, metrics = table.horizontalHeader(), table.fontMetrics()
    legible = legible_widths(metrics)
    for key in ("title", "authors"):
        width = header.sectionSize(COLUMN_KEYS.index(key))
        assert width >= legible[key], key
        assert width >= 25 * metrics.averageCharWidth() + CELL_PADDING, key
    # A status is never cut to look like another: "Reading" is not "Read…".
    reading = metrics.horizontalAdvance(STATUS_LABELS["reading"]) + CELL_PADDING
    assert header.sectionSize(COLUMN_KEYS.index("status")) >= reading


@pytest.mark.parametrize("size", WINDOWS)
def test_the_narrower_panel_shows_its_cover_title_and_buttons_whole(desktop, qloop, size):
    window = desktop.window
    open_panel(window, desktop.books[0], size, qloop)
    panel = window.book_panel
    details = panel.details
    assert details.horizontalScrollBar().maximum() == 0  # nothing cut at the right
    room = details.viewport().width()
    for widget in (panel.cover, panel.title_label, panel.edit_button, panel.save_button):
        right = widget.mapTo(details.viewport(), widget.rect().topRight()).x()
        assert widget.isVisible() and right < room, widget
    # The title wraps between words, none of them wider than the label.
    font = panel.title_label.fontMetrics()
    widest = max(font.horizontalAdvance(word) for word in TITLES[0].split())
    assert widest <= panel.title_label.contentsRect().width()


def test_a_column_dragged_by_hand_keeps_its_width_also_at_the_next_start(
    library, qtbot, qloop, tmp_path
):
    bookshelf()
    table_books = LibraryService(library).table_books

    def shown_window():
        window = bare_window(qtbot, library, tmp_path)
        window.show()
        window.resize(1366, 768)
        view = window.library_view
        view.model.set_reader(table_books)
        view.model.refresh()
        qtbot.waitUntil(lambda: view.model.rowCount() == 40)
        window.sidebar_action.setChecked(True)
        view.select_book(view.model.book_id_at(0))
        qtbot.waitUntil(window.book_panel.isVisible)
        settle(qloop)
        return window

    window = shown_window()
    header = window.library_view.table.horizontalHeader()
    series, progress = COLUMN_KEYS.index("series"), COLUMN_KEYS.index("progress")
    assert header.sectionSize(series) < 150  # narrowed for the panel
    header.resizeSection(series, 150)  # the user drags its edge
    settle(qloop)
    assert header.sectionSize(series) == 150
    wanted = column_widths(window.library_view.table.fontMetrics())["progress"]
    assert header.sectionSize(progress) < wanted  # the others make room as they can
    window.save_state()

    again = shown_window()  # the next start
    header = again.library_view.table.horizontalHeader()
    assert header.sectionSize(series) == 150
    legible = legible_widths(again.library_view.table.fontMetrics())
    assert header.sectionSize(0) >= legible["title"]


@pytest.mark.parametrize(("saved", "shown"), [(None, PANEL_WIDTH), (360, PANEL_WIDTH), (450, 450)])
def test_the_panel_opens_narrow_unless_the_user_gave_it_a_width(
    library, qtbot, tmp_path, saved, shown
):
    add_book(TITLES[0], AUTHORS[0])
    if saved is not None:  # 360: what earlier versions saved, dragged or not
        state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
        state.setValue("window/panel", saved)
        state.sync()
    window = bare_window(qtbot, library, tmp_path)
    window.show()
    window.resize(1366, 768)
    view = window.library_view
    view.model.set_reader(LibraryService(library).table_books)
    view.model.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.select_book(view.model.book_id_at(0))
    qtbot.waitUntil(window.book_panel.isVisible)
    assert window.splitter.sizes()[1] == shown
    window.save_state()  # an undragged panel leaves no width behind for the next start
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    kept = state.value("window/panel")
    assert (None if kept is None else int(kept)) == (None if shown == PANEL_WIDTH else shown)
