"""The subtitle, publisher, release date and page count through the one edit path: what may
be typed, what is stored and marked, several books given one publisher, and an import of a
changed file that keeps the user's values."""

from __future__ import annotations

import pytest
from ebooklib import epub

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.editing.apply import edit_books
from bookorbit_desktop.library.editing.values import (
    BookChanges,
    changes_from_text,
    check_shared,
    parse_pages,
    parse_published,
)
from bookorbit_desktop.library.importer.run import import_paths
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from tests.factories import add_book


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("2019", "2019"), ("2019-05", "2019-05"), (" 2019-05-02 ", "2019-05-02"),
     ("2020-02-29", "2020-02-29"), ("", None), ("  ", None)],
)  # fmt: skip
def test_release_dates_whole_or_partial(typed, stored):
    assert parse_published(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["19", "2019-5", "2019-13", "2019-05-32", "2019-02-29", "May 2019", "2019/05/02",
     "2019-05-02T10:00", "０１２３"],
)  # fmt: skip
def test_a_release_date_that_is_not_iso_is_refused_with_examples(typed):
    with pytest.raises(InvalidValueError, match="2019, 2019-05 or 2019-05-02"):
        parse_published(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("320", 320), (" 1 ", 1), ("100000", 100_000), ("1,024", 1024), ("", None)],
)
def test_page_counts(typed, stored):
    assert parse_pages(typed) == stored


@pytest.mark.parametrize("typed", ["0", "-3", "100001", "2.5", "many", "٣٢٠", "1e3"])
def test_a_page_count_out_of_range_or_not_whole_is_refused(typed):
    with pytest.raises(InvalidValueError, match="whole number from 1 to 100,000"):
        parse_pages(typed)


def test_the_four_fields_are_checked_from_text_and_only_the_publisher_is_shared():
    changes = changes_from_text(
        {"subtitle": "  A  Novel ", "publisher": " Ace ", "published": "1965", "pages": "412"}
    )
    assert changes.changed() == ("subtitle", "publisher", "published", "pages")
    assert (changes.subtitle, changes.publisher, changes.published, changes.pages) == (
        "A Novel",
        "Ace",
        "1965",
        412,
    )
    check_shared(BookChanges(publisher="Ace"), 3)
    for single in (BookChanges(subtitle="S"), BookChanges(published="1965"),
                   BookChanges(pages=3)):  # fmt: skip
        with pytest.raises(InvalidValueError, match="one book at a time"):
            check_shared(single, 2)


def test_an_edit_stores_and_marks_the_four_fields_and_clears_them(library):
    book = add_book("Dune")
    changes = BookChanges(subtitle="A Novel", publisher="Ace", published="1965-08", pages=412)
    edit_books([book.id], changes, library)
    stored = Book.get_by_id(book.id)
    assert (stored.subtitle, stored.publisher, stored.published, stored.pages) == (
        "A Novel",
        "Ace",
        "1965-08",
        412,
    )
    assert edited_fields(book.id) == {"subtitle", "publisher", "published", "pages"}
    edit_books([book.id], BookChanges(subtitle=None, pages=None), library)
    stored = Book.get_by_id(book.id)
    assert (stored.subtitle, stored.pages, stored.publisher) == (None, None, "Ace")


def test_several_books_take_one_publisher(library):
    ids = [add_book(f"Book {n}").id for n in range(3)]
    edit_books(ids, BookChanges(publisher="Tor"), library)
    assert [Book.get_by_id(i).publisher for i in ids] == ["Tor"] * 3
    assert all(edited_fields(i) == {"publisher"} for i in ids)


def _epub_with_imprint(path, publisher: str, date: str, title: str = "Dune"):
    book = epub.EpubBook()
    book.set_identifier(f"urn:uuid:{abs(hash((title, publisher, date)))}")
    book.set_title(title)
    book.set_language("en")
    book.add_author("Frank Herbert")
    book.add_metadata("DC", "publisher", publisher)
    book.add_metadata("DC", "date", date)
    chapter = epub.EpubHtml(title="One", file_name="one.xhtml", lang="en")
    chapter.content = f"<html><body><h1>{title}</h1><p>{publisher}</p></body></html>"
    book.add_item(chapter)
    book.toc = (epub.Link("one.xhtml", "One", "one"),)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", chapter]
    epub.write_epub(str(path), book)
    return path


def test_an_import_of_the_changed_file_keeps_the_users_publisher_and_date(library, tmp_path):
    path = _epub_with_imprint(tmp_path / "dune.epub", "Chilton", "1965-08-01")
    import_paths([path], library)
    book = Book.get()
    assert (book.publisher, book.published) == ("Chilton", "1965-08-01")  # the file's
    edit_books(
        [book.id],
        BookChanges(publisher="Ace", published="1990", subtitle="Book One", pages=604),
        library,
    )
    _epub_with_imprint(path, "Hodder", "2005-01-01", title="Dune (Revised)")
    assert import_paths([path], library).updated == 1
    stored = Book.get_by_id(book.id)
    assert stored.title == "Dune (Revised)"  # not edited: the file's
    assert (stored.publisher, stored.published) == ("Ace", "1990")
    assert (stored.subtitle, stored.pages) == ("Book One", 604)
