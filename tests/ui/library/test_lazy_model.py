"""The library table read a page at a time from SQLite: the same rows, in the same order, as
the model that sorts and filters every book in Python; changes repaint only their rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView

from bookorbit_desktop.library.store.models import BookFile, HardcoverMatch, database
from bookorbit_desktop.services.hardcover import HardcoverService
from bookorbit_desktop.services.library import LibraryService
from bookorbit_desktop.ui.library import lazy_model
from bookorbit_desktop.ui.library.lazy_model import LazyLibraryModel
from bookorbit_desktop.ui.library.model import COLUMN_KEYS, LibraryModel
from tests.factories import add_book

BOOKS = [
    # title, authors, series, index, status, progress, rating, formats, hardcover
    ("Émile", ["Jean-Jacques Rousseau"], None, None, "read", 1.0, 4.0, ["epub"], "linked"),
    ("emma", ["Jane Austen"], "Novels", 2.0, "reading", 0.4, None, ["pdf", "epub"], None),
    ("Dune", ["Frank Herbert"], "Dune", 1.0, "reading", 0.4, 5.0, [], "needs_review"),
    ("Dune Messiah", ["Frank Herbert"], "Dune", 2.0, "unread", 0.0, None, ["epub"], None),
    ("Piranesi", ["Susanna Clarke"], None, None, "on_hold", 0.7, 3.5, ["mobi"], "no_match"),
    ("Anathem", [], "Novels", None, "want_to_read", 0.0, None, ["epub"], "excluded"),
    ("Zoë", ["Ann Ängström", "Bo Berg"], "Ähnlich", 1.5, "read", 1.0, 4.0, [], None),
    ("The Dispossessed", ["Ursula K. Le Guin"], None, None, "abandoned", 0.2, 2.0, [], None),
    ("dune", ["Frank Herbert"], None, None, "read", 1.0, 5.0, ["azw3"], "error"),
]
FILTERS = ["", "dune", "herbert novels", "emi", "angstrom", "no such book"]


@pytest.fixture
def books(library):
    for title, authors, series, index, status, progress, rating, kinds, state in BOOKS:
        book = add_book(title, authors, series=series, series_index=index, status=status)
        database.execute_sql(
            "UPDATE reading_state SET progress = ?, rating = ? WHERE book_id = ?",
            (progress, rating, book.id),
        )
        for n, kind in enumerate(kinds):
            BookFile.create(
                book=book,
                path=f"/b/{book.id}-{n}.{kind}",
                format=kind,
                size=1,
                mtime=0,
                partial_md5=f"{book.id}-{n}",
                added_at=0,
            )
        if state is not None:
            HardcoverMatch.create(book=book, state=state, updated_at=0)
    return LibraryService(library, match_states=HardcoverService().match_states)


def lazy(service: LibraryService) -> LazyLibraryModel:
    model = LazyLibraryModel()
    model.set_reader(service.table_books)
    model.refresh()
    return model


def shown(model: LazyLibraryModel | LibraryModel) -> list[int]:
    return [model.book_at(row).id for row in range(model.rowCount())]


@pytest.mark.parametrize("column", COLUMN_KEYS)
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_every_sort_and_filter_shows_what_the_full_model_shows(qtbot, books, column, order):
    full = LibraryModel()
    full.set_books(books.table_books())
    model = lazy(books)
    for model_ in (full, model):
        model_.sort(COLUMN_KEYS.index(column), order)
    for text in FILTERS:
        for status in (None, "read"):
            for model_ in (full, model):
                model_.set_filter(text)
                model_.set_status_filter(status)
            assert shown(model) == shown(full), (text, status)
            assert [
                model.data(model.index(r, c)) for r in range(model.rowCount()) for c in (0, 3)
            ] == [full.data(full.index(r, c)) for r in range(full.rowCount()) for c in (0, 3)]
    assert dict(model.status_counts) == {k: v for k, v in full.status_counts.items() if v}


def test_scrolling_to_the_last_row_shows_the_last_book(qtbot, books, monkeypatch):
    monkeypatch.setattr(lazy_model, "PAGE_ROWS", 2)
    monkeypatch.setattr(lazy_model, "KEPT_PAGES", 2)
    model = lazy(books)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    view.scrollToBottom()
    last = model.rowCount() - 1
    assert model.rowCount() == len(BOOKS)
    assert model.index(last, 0).data() == "Zoë"  # sorted by title: the last one
    assert len(model._pages) <= 2  # only a few pages are kept


def test_a_change_to_one_book_repaints_that_row_only(qtbot, books):
    model = lazy(books)
    model.sort(COLUMN_KEYS.index("title"))
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Piranesi")
    model.index(row, 4).data()  # on screen: its page is read
    changed, resets = [], []
    model.dataChanged.connect(lambda first, last: changed.append((first.row(), last.row())))
    model.modelReset.connect(lambda: resets.append("reset"))
    model.layoutChanged.connect(lambda: resets.append("layout"))
    book_id = model.book_id_at(row)
    database.execute_sql("UPDATE reading_state SET progress = 0.9 WHERE book_id = ?", (book_id,))
    model.follow({book_id})
    assert changed == [(row, row)] and resets == []
    assert model.index(row, 4).data().startswith("90 %")


def test_the_selection_stays_on_its_book_when_a_change_moves_it(qtbot, books):
    model = lazy(books)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    row = next(r for r in range(model.rowCount()) if model.index(r, 0).data() == "Piranesi")
    book_id = model.book_id_at(row)
    view.selectionModel().setCurrentIndex(
        model.index(row, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    database.execute_sql(
        "UPDATE book SET title = 'Aaa', sort_title = 'aaa' WHERE id = ?", (book_id,)
    )
    model.follow({book_id})
    assert model.row_of(book_id) == 0
    assert view.currentIndex().row() == 0
    assert [index.row() for index in view.selectionModel().selectedRows()] == [0]
