"""The Pages column (the book's own printed pages, which `pages:` searches), through the real
table and a real library: hidden until shown from View ▸ Columns, its texts, and its sort read
from SQLite by the table's keyset order (the books without a count last in ascending order,
first in descending, as the other optional columns), with any filter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.model import COLUMN_KEYS, LibraryModel
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book
from tests.ui.library.test_lazy_model import arrived, lazy, shown

PAGES = COLUMN_KEYS.index("pages")
SHELF = [("Dune", 412), ("Emma", 474), ("Piranesi", 272), ("Zoë", None), ("Anathem", 937)]
SHELF += [("Solaris", 272), ("Ubik", None), ("The Stand", 1_152)]


@pytest.fixture
def service(library) -> LibraryService:
    for title, pages in SHELF:
        book = add_book(title, ["Ann Author"])
        Book.update(pages=pages).where(Book.id == book.id).execute()
    return LibraryService(library)


def test_the_books_sort_by_pages_either_way(qloop, service):
    model = lazy(service)
    arrived(qloop, model, lambda: model.sort(PAGES))
    titles = [model.book_at(row).title for row in range(model.rowCount())]
    # Equal counts in the library's order (by sort title).
    assert titles == ["Piranesi", "Solaris", "Dune", "Emma", "Anathem", "The Stand", "Ubik", "Zoë"]
    texts = [model.index(row, PAGES).data() for row in range(model.rowCount())]
    assert texts == ["272", "272", "412", "474", "937", "1,152", "", ""]
    arrived(qloop, model, lambda: model.sort(PAGES, Qt.SortOrder.DescendingOrder))
    texts = [model.index(row, PAGES).data() for row in range(model.rowCount())]
    assert texts == ["", "", "1,152", "937", "474", "412", "272", "272"]  # as Rating sorts


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_the_sort_is_the_full_models_with_any_filter(qtbot, qloop, service, order):
    full = LibraryModel()
    full.set_books(service.table_books())
    model = lazy(service)
    full.sort(PAGES, order)
    arrived(qloop, model, lambda: model.sort(PAGES, order))
    assert shown(model) == [full.book_at(row).id for row in range(full.rowCount())]
    for text, count in (("pages:>400", 4), ("pages:<300 sol", 1), ("e", None)):
        arrived(qloop, model, lambda text=text: model.set_filter(text))
        values = [model.book_at(row).book_pages for row in range(model.rowCount())]
        if count is not None:
            assert len(values) == count, text
        counted = [value for value in values if value is not None]
        if order == Qt.SortOrder.AscendingOrder:
            assert counted == sorted(counted) and values[: len(counted)] == counted, text
        else:
            assert counted == sorted(counted, reverse=True), text
            assert values[len(values) - len(counted) :] == counted, text


def test_shown_from_the_menu_and_sorted_by_a_click(qtbot, qloop, service):
    view = LibraryView()
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.model.set_reader(service.table_books)
    view.model.refresh()
    view.show()
    qtbot.waitExposed(view)
    assert view.table.isColumnHidden(PAGES)
    action = next(a for a in view.columns_menu.actions() if a.data() == PAGES)
    assert action.text() == "Pa&ges"
    action.trigger()
    assert not view.table.isColumnHidden(PAGES)
    header = view.table.horizontalHeader()
    metrics = view.table.fontMetrics()
    assert header.sectionSize(PAGES) > metrics.horizontalAdvance("1,152")
    middle = header.sectionViewportPosition(PAGES) + header.sectionSize(PAGES) // 2

    async def click() -> None:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, 5))
        if view.model.ordering is not None:
            await view.model.ordering

    qloop.run_until_complete(click())
    assert header.sortIndicatorSection() == PAGES
    assert view.model.index(0, PAGES).data() == "272"
