"""The Hardcover Rating column through the real table at 1366x768 and a real library: hidden
until shown from View ▸ Columns (also after a restart with a column state saved before it
existed), the linked Hardcover book's average rating ("4.3"; nothing for a book not linked or
not rated), and its sort read from SQLite in the order the full model sorts in, either way."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView

from bookorbit_desktop.library.store.models import HardcoverMatch
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.model import COLUMN_KEYS, LibraryModel
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book
from tests.ui.library.test_lazy_model import arrived, lazy, shown

COLUMN = COLUMN_KEYS.index("hc_rating")
# title, match state, the Hardcover book's average rating
SHELF = [
    ("Dune", "linked", 4.27),
    ("Emma", "linked", None),  # nobody rated it on Hardcover
    ("Piranesi", "linked", 3.91),
    ("Anathem", None, None),  # never matched
    ("Zoë", "needs_review", None),
    ("Beloved", "linked", 4.27),
    ("Carrie", "excluded", 3.5),  # kept out of every sync: shown as not linked
]


@pytest.fixture
def service(library) -> LibraryService:
    for title, state, rating in SHELF:
        book = add_book(title, ["Ann Author"])
        if state is not None:
            HardcoverMatch.create(
                book=book, state=state, hc_book_id=book.id + 100, hc_rating=rating, updated_at=0
            )
    return LibraryService(library)


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_the_sort_read_from_sqlite_is_the_full_models(qtbot, qloop, service, order):
    full = LibraryModel()
    full.set_books(service.table_books())
    model = lazy(service)
    full.sort(COLUMN, order)
    arrived(qloop, model, lambda: model.sort(COLUMN, order))
    for text in ("", "e", "dune"):
        full.set_filter(text)
        arrived(qloop, model, lambda text=text: model.set_filter(text))
        assert shown(model) == [full.book_at(row).id for row in range(full.rowCount())], text


def test_the_books_sort_by_rating_those_without_one_last(qloop, service):
    model = lazy(service)
    arrived(qloop, model, lambda: model.sort(COLUMN))
    titles = [model.book_at(row).title for row in range(model.rowCount())]
    assert titles == ["Piranesi", "Beloved", "Dune", "Anathem", "Carrie", "Emma", "Zoë"]


@pytest.fixture
def view(qtbot, service) -> LibraryView:
    view = LibraryView()
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.model.set_reader(service.table_books)
    view.model.refresh()
    view.show()
    qtbot.waitExposed(view)
    return view


def test_hidden_until_shown_then_shows_and_sorts_by_a_click(view, qtbot, qloop):
    assert view.table.isColumnHidden(COLUMN)
    action = next(a for a in view.columns_menu.actions() if a.data() == COLUMN)
    assert action.text() == "Hard&cover Rating"
    action.trigger()
    assert not view.table.isColumnHidden(COLUMN)
    header = view.table.horizontalHeader()
    view.table.scrollTo(view.model.index(0, COLUMN))
    left = header.sectionViewportPosition(COLUMN)
    assert left >= 0 and left + header.sectionSize(COLUMN) <= view.table.viewport().width()
    assert view.model.headerData(COLUMN, Qt.Orientation.Horizontal) == "Hardcover Rating"

    async def click() -> None:
        middle = left + header.sectionSize(COLUMN) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, 5))
        if view.model.ordering is not None:
            await view.model.ordering

    qloop.run_until_complete(click())
    model = view.model
    rows = [
        (model.index(r, 0).data(), model.index(r, COLUMN).data()) for r in range(model.rowCount())
    ]
    assert rows == [
        ("Piranesi", "3.9"),
        ("Beloved", "4.3"),
        ("Dune", "4.3"),
        ("Anathem", ""),
        ("Carrie", ""),
        ("Emma", ""),
        ("Zoë", ""),
    ]


def test_a_column_state_saved_before_it_existed_keeps_it_hidden(qtbot, view):
    older = QTableView()  # the table as the version whose last column was Tags saved it
    qtbot.addWidget(older)
    older.setModel(QStandardItemModel(0, COLUMN_KEYS.index("tags") + 1))
    state = older.horizontalHeader().saveState()
    view.restore_columns(state)
    assert view.table.isColumnHidden(COLUMN)
    assert not view.table.isColumnHidden(COLUMN_KEYS.index("tags"))
