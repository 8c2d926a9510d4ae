"""The library table read a page at a time from SQLite: the same rows, in the same order, as
the model that sorts and filters every book in Python; changes repaint only their rows."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QTableView

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.services.hardcover.service import HardcoverService
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library import lazy_model
from bookorbit_desktop.ui.library.lazy_model import LazyLibraryModel
from bookorbit_desktop.ui.library.model import COLUMN_KEYS, LibraryModel
from tests.factories import add_book
from tests.ui.library.shelf import shelve

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
    shelve(
        [
            {
                "id": number,
                "title": title,
                "authors": authors,
                "series": series,
                "series_index": index,
                "status": status,
                "progress": progress,
                "rating": rating,
                "formats": kinds,
                "hardcover": state or "unmatched",
            }
            for number, (
                title,
                authors,
                series,
                index,
                status,
                progress,
                rating,
                kinds,
                state,
            ) in enumerate(BOOKS, start=1)
        ]
    )
    return LibraryService(library, match_states=HardcoverService().match_states)


def lazy(service: LibraryService) -> LazyLibraryModel:
    model = LazyLibraryModel()
    model.set_reader(service.table_books)
    model.refresh()
    return model


def arrived(qloop, model: LazyLibraryModel, act: Callable[[], object]) -> None:
    """`act()` (a sort or a filter, as a click or a keystroke does it) on the window's running
    loop, which it leaves free, then the loop run until the order it reads is shown."""

    async def acting() -> None:
        act()
        if model.ordering is not None:
            await model.ordering

    qloop.run_until_complete(acting())


def shown(model: LazyLibraryModel | LibraryModel) -> list[int]:
    return [model.book_at(row).id for row in range(model.rowCount())]


@pytest.mark.parametrize("column", COLUMN_KEYS)
@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_every_sort_and_filter_shows_what_the_full_model_shows(qtbot, qloop, books, column, order):
    full = LibraryModel()
    full.set_books(books.table_books())
    model = lazy(books)
    full.sort(COLUMN_KEYS.index(column), order)
    arrived(qloop, model, lambda: model.sort(COLUMN_KEYS.index(column), order))
    for text in FILTERS:
        for status in (None, "read"):
            full.set_filter(text)
            arrived(qloop, model, lambda text=text: model.set_filter(text))
            arrived(qloop, model, lambda status=status: model.set_status_filter(status))
            # The status filter keeps the books of that status, in the same order.
            rows = [r for r in range(full.rowCount()) if status in (None, full.book_at(r).status)]
            assert shown(model) == [full.book_at(r).id for r in rows], (text, status)
            assert [
                model.data(model.index(r, c)) for r in range(model.rowCount()) for c in (0, 3)
            ] == [full.data(full.index(r, c)) for r in rows for c in (0, 3)]
            assert model.filter_active == bool(text or status)
    statuses = Counter(book.status for book in books.table_books())
    assert dict(model.status_counts) == dict(statuses)
    assert model.total_count == len(BOOKS)


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


def test_status_counts_follow_every_change(qtbot, library):
    service = LibraryService(library)
    add_book("A", status="reading")
    b, c = add_book("B"), add_book("C")
    model = lazy(service)
    assert dict(model.status_counts) == {"reading": 1, "unread": 2}
    for row in range(model.rowCount()):
        model.index(row, 0).data()  # on screen: read
    set_status = "UPDATE reading_state SET status = ? WHERE book_id = ?"
    database.execute_sql(set_status, ("read", b.id))
    model.follow({b.id})  # in place: same sort key
    assert (model.status_counts["read"], model.status_counts["unread"]) == (1, 1)
    database.execute_sql(set_status, ("reading", c.id))
    database.execute_sql("UPDATE book SET sort_title = '0' WHERE id = ?", (c.id,))
    model.follow({c.id})  # moves in the sort: the order is read again
    assert model.row_of(c.id) == 0
    assert (model.status_counts["reading"], model.status_counts["unread"]) == (2, 0)
    d = add_book("D")
    model.follow({d.id})  # a book came
    assert model.status_counts["unread"] == 1 and model.row_of(d.id) == 3
    model.set_filter("zzz")  # filters do not change them
    assert sum(model.status_counts.values()) == 4
    assert model.rowCount() == 0


def test_books_waiting_in_the_inbox_are_not_counted(qtbot, library):
    from bookorbit_desktop.library.store import inbox

    add_book("A", status="reading")
    held = add_book("Held")
    inbox.hold([held.id])
    model = lazy(LibraryService(library))
    assert dict(model.status_counts) == {"reading": 1}
    model.follow(None)  # any book changed: the whole order and every status read again
    assert dict(model.status_counts) == {"reading": 1}
    assert model.rowCount() == 1


def test_a_book_imported_into_the_inbox_while_shown_is_not_counted(qtbot, library):
    from bookorbit_desktop.library.store import inbox

    add_book("A", status="reading")
    model = lazy(LibraryService(library))
    model.follow(None)  # every status read: each change is counted from them
    held = add_book("Held")  # an import by another process, held for approval
    inbox.hold([held.id])
    model.follow({held.id})
    assert dict(model.status_counts) == {"reading": 1}
    assert model.rowCount() == 1


def test_a_book_not_shown_that_leaves_the_table_is_no_longer_counted(qtbot, library):
    from bookorbit_desktop.library.store import inbox

    add_book("A", status="reading")
    other = add_book("B")
    model = lazy(LibraryService(library))
    model.set_status_filter("reading")
    model.follow(None)
    assert dict(model.status_counts) == {"reading": 1, "unread": 1}
    inbox.hold([other.id])  # B, not shown, goes back to the Inbox
    model.follow({other.id})
    assert dict(model.status_counts) == {"reading": 1}


def test_a_read_the_table_changed_under_is_not_shown(qtbot, books):
    model = lazy(books)
    book_id = model.book_id_at(0)
    database.execute_sql("UPDATE reading_state SET rating = 1.0 WHERE book_id = ?", (book_id,))
    stale = model.find({book_id})()  # read, in a worker thread...
    database.execute_sql("UPDATE reading_state SET rating = 2.0 WHERE book_id = ?", (book_id,))
    model.follow({book_id})  # ...while the window showed a newer change (the user's save)
    assert not model.show(stale)
    assert model.book_at(0).rating == 2.0
    every = model.find(None)
    model.set_filter("dune")
    assert not model.show(every())  # a filter typed meanwhile: the order read is stale too
    assert model.show(model.find(None)())


SET_STATUS = "UPDATE reading_state SET status = 'reading' WHERE book_id = 2"
RETITLE = "UPDATE book SET title = 'Aardvark', sort_title = 'aardvark' WHERE id = 2"


@pytest.mark.parametrize(
    ("titles", "write", "status_filter", "changed", "redraw"),
    [
        (["One", "Two"], None, None, set(), None),  # nothing changed: the table is left alone
        (["One", "Two"], RETITLE, None, None, "layout"),  # any book may have changed
        (["One", "Two"], SET_STATUS, None, {2}, "repaint"),  # stays put
        (["One", "Two"], RETITLE, None, {2}, "layout"),  # moves in the sort
        (["One", "Two"], SET_STATUS, "unread", {2}, "layout"),  # leaves the filter
        (["One", "Two"], "INSERT", None, {3}, "layout"),  # a book came
        (["One", "Two", "Three"], "DELETE FROM book WHERE id = 2", None, {2}, "layout"),  # went
        ([], "INSERT", None, {1}, "layout"),
    ],
)
def test_a_change_redraws_only_what_it_changed(
    qtbot, library, titles, write, status_filter, changed, redraw
):
    for title in titles:
        add_book(title)
    service = LibraryService(library)
    model = lazy(service)
    model.set_status_filter(status_filter)
    for row in range(model.rowCount()):
        model.index(row, 3).data()  # on screen: read
    if write == "INSERT":
        add_book("Three")
    elif write is not None:
        database.execute_sql(write)
    redraws, repainted = [], []
    model.modelReset.connect(lambda: redraws.append("reset"))
    model.layoutChanged.connect(lambda: redraws.append("layout"))
    model.dataChanged.connect(lambda first, _last: repainted.append(model.book_id_at(first.row())))
    model.follow(changed)
    assert redraws == (["layout"] if redraw == "layout" else [])
    assert repainted == (sorted(changed) if redraw == "repaint" else [])
    fresh = lazy(service)  # what a full read shows
    fresh.set_status_filter(status_filter)
    assert shown(model) == shown(fresh)
    for row in range(model.rowCount()):  # every row shows the book as it is now
        assert model.book_at(row) == fresh.book_at(row)
