"""Editing a book's metadata on a real SQLite library: the book row, the marks, several books
at once, and an import that re-reads the changed file keeping what the user set."""

from __future__ import annotations

import pytest
from PIL import Image

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.hardcover.matching.local import fingerprint, local_book
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import BookChanges, parse_cover, parse_isbn_text
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.metadata.covers import cover_file
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from bookorbit_desktop.server.opds.queries import load_books
from tests.factories import add_book, make_epub


def test_an_edit_changes_the_book_row_and_marks_the_fields(library):
    book = add_book("Dnue", ("Frank Hebert",), isbn13="9780306406157")
    edit_books(
        [book.id],
        BookChanges(
            title="Dune",
            authors=["Frank Herbert"],
            series="Dune Chronicles",
            series_index=1.0,
            language="en",
            isbn=parse_isbn_text("978-0-441-01359-3"),
            description="Spice.",
        ),
        library,
        clock=lambda: 1000.0,
    )
    stored = Book.get_by_id(book.id)
    assert (stored.title, stored.sort_title, stored.series, stored.series_index) == (
        "Dune",
        "dune",
        "Dune Chronicles",
        1.0,
    )
    assert (stored.isbn13, stored.isbn10, stored.description) == (
        "9780441013593",
        "0441013597",
        "Spice.",
    )
    assert stored.author_names() == ["Frank Herbert"]
    assert stored.updated_at == 1000.0
    assert edited_fields(book.id) == {
        "title",
        "authors",
        "series",
        "series_index",
        "language",
        "isbn",
        "description",
    }
    # What OPDS and Hardcover matching read is the edited book.
    (entry,) = load_books([book.id])
    assert (entry.title, entry.authors, entry.isbn13) == (
        "Dune",
        ("Frank Herbert",),
        "9780441013593",
    )
    local = local_book(stored)
    assert (local.title, local.authors, local.isbn13) == (
        "Dune",
        ("Frank Herbert",),
        "9780441013593",
    )


def test_an_edit_changes_what_matching_fingerprints(library):
    book = add_book("Dnue", ("Frank Herbert",))
    before = fingerprint(local_book(Book.get_by_id(book.id)))
    edit_books([book.id], BookChanges(title="Dune"), library)
    assert fingerprint(local_book(Book.get_by_id(book.id))) != before


def test_several_books_take_authors_series_and_language_in_one_edit(library):
    first = add_book("One", ("X",), series="Old", series_index=1.0)
    second = add_book("Two", ("Y",), series="Old", series_index=2.0)
    edit_books(
        [first.id, second.id],
        BookChanges(authors=["Ann Leckie"], series="Imperial Radch", language=("fr",)),
        library,
    )
    for book_id, index in ((first.id, 1.0), (second.id, 2.0)):
        stored = Book.get_by_id(book_id)
        assert stored.author_names() == ["Ann Leckie"]
        assert (stored.series, stored.series_index, stored.language) == (
            "Imperial Radch",
            index,
            "fr",
        )
        assert edited_fields(book_id) == {"authors", "series", "language"}


def test_clearing_the_series_clears_its_number(library):
    book = add_book("One", series="Old", series_index=3.0)
    edit_books([book.id], BookChanges(series=None), library)
    stored = Book.get_by_id(book.id)
    assert (stored.series, stored.series_index) == (None, None)


def test_nothing_is_written_for_a_missing_book_or_a_single_field_given_to_many(library):
    book = add_book("Kept")
    with pytest.raises(NotFoundError, match="no book with id 999"):
        edit_books([book.id, 999], BookChanges(authors=["Z"]), library)
    with pytest.raises(InvalidValueError, match="one book at a time"):
        edit_books([book.id, 999], BookChanges(title="T"), library)
    with pytest.raises(InvalidValueError, match="Nothing to change"):
        edit_books([book.id], BookChanges(), library)
    assert Book.get_by_id(book.id).author_names() == ["Ann Author"]
    assert edited_fields(book.id) == frozenset()


def test_a_changed_file_keeps_the_users_fields_and_takes_the_others(library, tmp_path):
    path = make_epub(tmp_path / "book.epub", "Teh Title", ("Wrong Name",), isbn="9780306406157")
    import_paths([path], library)
    book = Book.get()
    original = path.read_bytes()
    image = tmp_path / "mine.png"
    Image.new("RGB", (300, 450), (10, 200, 10)).save(image)
    edit_books(
        [book.id],
        BookChanges(title="The Title", authors=["Right Name"], cover=parse_cover(image)),
        library,
    )
    mine = cover_file(library, Book.get_by_id(book.id).cover_path).read_bytes()
    assert path.read_bytes() == original  # the edit is the library's; the file stays as it was

    # The publisher fixed the file: a new title, author, ISBN and language, and a cover.
    make_epub(path, "Another Title", ("Other Name",), isbn="9780441013593", language="de")
    summary = import_paths([path], library)
    assert summary.updated == 1
    stored = Book.get_by_id(book.id)
    assert stored.title == "The Title"
    assert stored.author_names() == ["Right Name"]
    assert cover_file(library, stored.cover_path).read_bytes() == mine
    assert (stored.isbn13, stored.language) == ("9780441013593", "de")  # not edited: the file's
