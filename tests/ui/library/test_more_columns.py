"""The optional columns Date Added, Publisher, Language, Size and Last Read, through the real
table at 1366x768 and a real library: hidden until shown from View ▸ Columns (also after a
restart with a column state saved before they existed), their texts, and every sort read from
SQLite in the order the full model sorts in, either way, with any filter."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QByteArray, QPoint, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView

from bookorbit_desktop.library.store.models import Book, BookFile, ProgressEvent
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.model import COLUMN_KEYS, LibraryModel
from bookorbit_desktop.ui.library.more_columns import MORE_COLUMNS, saved_sections
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book
from tests.ui.library.test_lazy_model import arrived, lazy, shown

DAY = 86_400
# title, added (days), publisher, language, file sizes, progress pushes (days)
SHELF = [
    ("Dune", 30, "Chilton", "en", [2_400_000], [40, 41]),
    ("Emma", 10, "John Murray", "en", [900_000, 1_100_000], []),
    ("Piranesi", 20, "Bloomsbury", "en-GB", [], [25]),
    ("Zoë", 20, None, "fr", [500], []),
    ("Anathem", 5, "", None, [3_000_000], [50]),
    ("Émile", 40, "émile Éditions", "FR", [700], [12]),
]
NEW = [key for key, _title in MORE_COLUMNS]


@pytest.fixture
def service(library) -> LibraryService:
    for title, added, publisher, language, sizes, pushes in SHELF:
        book = add_book(title, ["Ann Author"], language=language, added_at=added * DAY)
        Book.update(publisher=publisher).where(Book.id == book.id).execute()
        for n, size in enumerate(sizes):
            BookFile.create(
                book=book, path=f"/b/{book.id}-{n}.epub", format="epub", size=size, mtime=0,
                partial_md5=f"{book.id}-{n}", added_at=0,
            )  # fmt: skip
        for day in pushes:
            ProgressEvent.create(
                document=f"d{book.id}", book=book, device="Kobo", percentage=0.5,
                progress="/body/p[1]", timestamp=day * DAY,
            )  # fmt: skip
    return LibraryService(library)


@pytest.mark.parametrize("column", NEW)
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_each_new_sort_is_the_full_models(qtbot, qloop, service, column, order):
    full = LibraryModel()
    full.set_books(service.table_books())
    model = lazy(service)
    full.sort(COLUMN_KEYS.index(column), order)
    arrived(qloop, model, lambda: model.sort(COLUMN_KEYS.index(column), order))
    for text in ("", "e", "dune"):
        full.set_filter(text)
        arrived(qloop, model, lambda text=text: model.set_filter(text))
        assert shown(model) == [full.book_at(row).id for row in range(full.rowCount())], text


@pytest.mark.parametrize(
    ("column", "titles"),
    [
        ("added", ["Anathem", "Emma", "Piranesi", "Zoë", "Dune", "Émile"]),  # ties by title
        ("publisher", ["Bloomsbury", "Chilton", "Émile", "Emma", "Anathem", "Zoë"]),
        ("language", ["Dune", "Emma", "Piranesi", "Zoë", "Émile", "Anathem"]),  # fr = FR
        ("size", ["Piranesi", "Zoë", "Émile", "Emma", "Dune", "Anathem"]),
        ("last_read", ["Emma", "Zoë", "Émile", "Piranesi", "Dune", "Anathem"]),
    ],
)
def test_each_new_column_sorts_the_books(qloop, service, column, titles):
    model = lazy(service)
    arrived(qloop, model, lambda: model.sort(COLUMN_KEYS.index(column)))
    found = [model.book_at(row).title for row in range(model.rowCount())]
    if column == "publisher":  # the books by their publishers, missing ones last
        found = [model.book_at(row).publisher or model.book_at(row).title for row in range(6)]
        titles = ["Bloomsbury", "Chilton", "émile Éditions", "John Murray", "Anathem", "Zoë"]
    assert found == titles


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


def _menu_action(view: LibraryView, key: str):
    return next(a for a in view.columns_menu.actions() if a.data() == COLUMN_KEYS.index(key))


def test_the_new_columns_are_hidden_until_shown_and_then_sort_by_a_click(view, qtbot, qloop):
    assert all(view.table.isColumnHidden(COLUMN_KEYS.index(key)) for key in NEW)
    for key in NEW:
        _menu_action(view, key).trigger()
    assert not any(view.table.isColumnHidden(COLUMN_KEYS.index(key)) for key in NEW)
    header = view.table.horizontalHeader()
    assert (
        header.sectionViewportPosition(COLUMN_KEYS.index("last_read"))
        + header.sectionSize(COLUMN_KEYS.index("last_read"))
        <= view.table.viewport().width()
    )  # all of them fit at 1366x768
    index = COLUMN_KEYS.index("size")
    middle = header.sectionViewportPosition(index) + header.sectionSize(index) // 2

    async def click() -> None:
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(middle, 5))
        if view.model.ordering is not None:
            await view.model.ordering

    qloop.run_until_complete(click())
    model = view.model
    rows = [[model.index(r, COLUMN_KEYS.index(k)).data() for k in NEW] for r in range(6)]
    day = lambda days: datetime.fromtimestamp(days * DAY).strftime("%Y-%m-%d")  # noqa: E731
    assert rows[0] == [day(20), "Bloomsbury", "en-GB", "", day(25)]  # no file: first
    assert rows[-1] == [day(5), "", "", "3 MB", day(50)]
    assert rows[3] == [day(10), "John Murray", "en", "2 MB", ""]


def test_a_column_state_saved_before_the_new_columns_keeps_them_hidden(qtbot, view):
    older = QTableView()  # the table as the version with eight columns saved it
    qtbot.addWidget(older)
    older.setModel(QStandardItemModel(0, COLUMN_KEYS.index("added")))
    older.setColumnHidden(COLUMN_KEYS.index("series"), True)
    state = older.horizontalHeader().saveState()
    assert saved_sections(state) == 8
    view.restore_columns(state)
    hidden = [key for key in COLUMN_KEYS if view.table.isColumnHidden(COLUMN_KEYS.index(key))]
    assert hidden == ["series", *NEW, "hc_rating", "pages"]


def test_a_new_column_shown_stays_shown_after_a_restart(qtbot, view):
    _menu_action(view, "size").trigger()
    state = view.save_columns()
    assert saved_sections(state) == len(COLUMN_KEYS)
    again = LibraryView()
    qtbot.addWidget(again)
    again.restore_columns(state)
    hidden = [key for key in COLUMN_KEYS if again.table.isColumnHidden(COLUMN_KEYS.index(key))]
    assert hidden == [key for key in (*NEW, "hc_rating", "pages") if key != "size"]


@pytest.mark.parametrize("state", [b"", b"\x00\x00\x00\xff", b"not a header state"])
def test_a_state_in_another_format_has_no_count(state):
    assert saved_sections(QByteArray(state)) is None
