"""The book chooser names the chosen book by its title, never by its database id."""

from __future__ import annotations

from bookorbit_desktop.services.library.service import LibraryService
from bookorbit_desktop.ui.library.book_chooser import UNTITLED, BookChooser
from tests.factories import add_book


def test_the_chosen_book_is_named_by_its_title(library, qtbot):
    dune = add_book("Dune", ["Frank Herbert"])
    nameless = add_book("Notes from a scanned copy", ["Anon"])
    books = [
        {**book, "title": ""} if book["id"] == nameless.id else book
        for book in LibraryService(library).list_books()
    ]
    chooser = BookChooser(books, title="Link to Book", prompt="Which book?")
    qtbot.addWidget(chooser)
    assert chooser.title_of(dune.id) == "Dune"
    assert chooser.title_of(nameless.id) == UNTITLED == "untitled book"
    assert chooser.title_of(dune.id + nameless.id + 100) == UNTITLED  # not listed
