"""The filter box over the library's search index: the table shows exactly the books a filter
written from scratch in Python lets through (every term in the book's folded title, authors
as the table shows them, or series), in the table's order; short terms the trigram index
cannot look up, folding, commas, and changes made while a filter is typed."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.model import BOOK_ID_ROLE, COLUMN_KEYS
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book
from tests.sql_functions import as_the_app
from tests.ui.library.test_lazy_model import arrived

BOOKS = [
    ("Émile", ["Jean-Jacques Rousseau"], None),
    ("emma", ["Jane Austen"], "Novels"),
    ("Dune", ["Frank Herbert", "Brian Herbert"], "Dune"),
    ("Dune Messiah", ["Frank Herbert"], "Dune"),
    ("Søren's Æsop", ["Ørjan Straße"], "Ærø"),
    ("ZOË", ["Ann Ängström", "Bo Berg"], "Ähnlich"),
    ("The River Saga", ["Łukasz Ðorđe"], "River, Saga"),
    ("Anathem", [], None),
    ("50% of _all_", ["A. B."], None),
]
FILTERS = [
    "",
    "e",  # one letter: nearly every book
    "em",
    "emi",
    "EMILE",
    "É",
    "dune mess",
    "mess dune",
    "herbert",
    "herbert,",  # authors as the table shows them: "Frank Herbert, Brian Herbert"
    "herbert, brian",
    ",",
    "soren",
    "aesop ss",  # Æ and ß fold to two letters
    "ørjan",
    "orjan strasse",
    "angstrom bo",
    "zoe",
    "ahn",
    "ae",
    "lukasz dorde",
    "river, saga",
    "r s",
    "%",  # not a wildcard
    "_",
    "a.",
    "zz",
    "no such book",
    "  dune   ",
]


@pytest.fixture
def service(library):
    for title, authors, series in BOOKS:
        add_book(title, authors, series=series)
    return LibraryService(library)


def scratch(service: LibraryService, text: str, order: list[int]) -> list[int]:
    """The oracle: each book's text as the table shows it, folded afresh, matched in Python."""
    terms = fold(text).split()
    texts = {
        book.id: " ".join(
            (fold(book.title), fold(", ".join(book.authors)), fold(book.series or ""))
        )
        for book in service.table_books()
    }
    return [book_id for book_id in order if all(term in texts[book_id] for term in terms)]


def shown(view: LibraryView) -> list[int]:
    model = view.table.model()
    return [model.index(row, 0).data(BOOK_ID_ROLE) for row in range(model.rowCount())]


def loaded_view(qtbot, service: LibraryService) -> LibraryView:
    view = LibraryView()
    qtbot.addWidget(view)
    view.model.set_reader(service.table_books)
    view.model.refresh()
    view.show()
    return view


@pytest.mark.parametrize("column", ["title", "authors", "series"])
def test_typing_shows_what_a_filter_from_scratch_shows(qtbot, qloop, service, column):
    view = loaded_view(qtbot, service)
    model, index = view.model, COLUMN_KEYS.index(column)
    arrived(qloop, model, lambda: view.table.sortByColumn(index, Qt.SortOrder.DescendingOrder))
    order = shown(view)
    assert sorted(order) == sorted(book.id for book in service.table_books())
    for text in FILTERS:
        view.filter_edit.clear()
        # Each keystroke reads its own order; the last one typed is the one shown.
        arrived(qloop, model, lambda text=text: qtbot.keyClicks(view.filter_edit, text))
        assert shown(view) == scratch(service, text, order), text
        assert view.model.filter_active == bool(text.strip())
    # Narrowing one letter at a time, and widening again, as a user types and deletes.
    for end in [*range(1, 11), *range(9, -1, -1)]:
        arrived(qloop, model, lambda end=end: view.filter_edit.setText("dune messiah"[:end]))
        assert shown(view) == scratch(service, "dune messiah"[:end], order), end


def test_a_change_made_while_filtering_reaches_the_filter_and_the_whole_table(
    qtbot, service, library
):
    view = loaded_view(qtbot, service)
    model = view.model
    view.filter_edit.setText("dune")
    piranesi = add_book("Piranesi", ["Susanna Clarke"])  # written here: not yet shown
    with sqlite3.connect(library.db_file) as other:  # another process renames a book
        as_the_app(other)
        other.execute("UPDATE book SET title = 'Aaron', sort_title = 'aaron' WHERE id = 2")
    model.follow({2})  # not shown: it moves only in the order the filter narrows
    assert shown(view) == [3, 4]
    with sqlite3.connect(library.db_file) as other:
        as_the_app(other)
        other.execute("UPDATE book SET title = 'Dune Piranesi' WHERE id = ?", (piranesi.id,))
    model.follow({piranesi.id})
    order = shown(loaded_view(qtbot, service))  # the whole table, read afresh
    assert order[:2] == [9, 2] and piranesi.id in order  # "50 %…", then "Aaron"
    assert shown(view) == scratch(service, "dune", order) == [3, 4, piranesi.id]
    for text in ("du", "", "aa", "e", "ra"):  # the next keystrokes narrow the order read now
        view.filter_edit.setText(text)
        assert shown(view) == scratch(service, text, order), text


@pytest.mark.parametrize("first_read", ["worker", "refresh"])
def test_a_status_changed_on_a_book_the_filter_hides_reaches_the_counts(
    qtbot, service, library, first_read
):
    view = LibraryView()
    qtbot.addWidget(view)
    model = view.model
    model.set_reader(service.table_books)
    if first_read == "worker":  # as the window's first read, in a worker thread
        assert model.show(model.find(None)())
    else:  # F5
        model.refresh()
    view.filter_edit.setText("dune")
    assert view.status_combo.itemText(0) == f"All books ({len(BOOKS)})"
    assert model.status_counts == {"unread": len(BOOKS)}
    with sqlite3.connect(library.db_file) as other:  # a device marks Emma (hidden) read
        other.execute("UPDATE reading_state SET status = 'read' WHERE book_id = 2")
    model.follow({2})
    assert shown(view) == [3, 4]
    assert model.status_counts == {"unread": len(BOOKS) - 1, "read": 1}
    qtbot.waitUntil(
        lambda: view.status_combo.itemText(view.status_combo.findData("read")).endswith("(1)")
    )
