"""The library table sorted by Authors files each book under its authors' sort texts
("Camus, Albert"), through the real table at 1366x768 and a real library."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from bookorbit_desktop.library.metadata.author_sort import author_sort
from bookorbit_desktop.library.store.models import Author
from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.model import COLUMN_KEYS
from bookorbit_desktop.ui.library.view import LibraryView
from tests.factories import add_book

SHELF = [  # in the order sorted by author
    ("The Stranger", "Albert Camus"),
    ("The Little Prince", "Antoine de Saint-Exupéry"),
    ("The Three Musketeers", "Alexandre Dumas"),
    ("The Odyssey", "Homer"),
    ("I Have a Dream", "Martin Luther King Jr."),
    ("A Wizard of Earthsea", "Ursula K. Le Guin"),
    ("The Martian", "Andy Weir"),
    ("Norwegian Wood", "村上春樹"),
]


@pytest.fixture
def view(qtbot, library) -> LibraryView:
    for title, name in reversed(SHELF):
        add_book(title, [name])
    for author in Author.select():
        Author.update(sort_name=author_sort(author.name)).where(Author.id == author.id).execute()
    view = LibraryView()
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.model.set_reader(LibraryService(library).table_books)
    view.model.refresh()
    view.show()
    qtbot.waitExposed(view)
    return view


def titles(view: LibraryView) -> list[str]:
    return [view.model.book_at(row).title for row in range(view.model.rowCount())]


def test_sorting_by_authors_goes_by_surname(view):
    view.table.sortByColumn(COLUMN_KEYS.index("authors"), Qt.SortOrder.AscendingOrder)
    assert titles(view) == [title for title, _name in SHELF]
    view.table.sortByColumn(COLUMN_KEYS.index("authors"), Qt.SortOrder.DescendingOrder)
    assert titles(view) == [title for title, _name in reversed(SHELF)]
