"""`books edit` for the fields beyond title, authors and series, through the real command line on
a real library: subtitle, release date (whole or partial), pages and identifiers (the ISBN among
them) are checked, saved, and taken back and given again by `undo` and `redo`."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book
from bookorbit_desktop.library.store.user_edits import edited_fields
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401

FIELDS = ("subtitle", "published", "pages", "identifiers", "isbn13", "isbn10")


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def stored(tmp_path, book_id: int) -> dict:
    open_database(tmp_path / "data" / "library.sqlite3")
    try:
        book = Book.get_by_id(book_id)
        values = {name: getattr(book, name) for name in FIELDS}
        values["marks"] = edited_fields(book_id)
    finally:
        close_database()
    return values


@pytest.fixture
def book_id(tmp_path, capsys) -> int:
    make_epub(tmp_path / "books" / "a.epub", "Dune", ("Frank Herbert",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    return int(json.loads(capsys.readouterr().out)[0]["id"])


def test_the_fields_are_saved_undone_and_redone(tmp_path, book_id, capsys):
    before = stored(tmp_path, book_id)
    code = run(
        tmp_path, "books", "edit", str(book_id), "--subtitle", "A  Novel", "--published",
        "1965-08", "--pages", "412", "--identifiers",
        "isbn:0-441-01359-7, goodreads:234225, amazon:B00B7NPRY8",
    )  # fmt: skip
    assert code == 0
    assert capsys.readouterr().out.startswith(
        f"Saved the subtitle, ISBN, release date, page count and identifiers of book {book_id}."
    )
    edited = stored(tmp_path, book_id)
    assert edited == {
        "subtitle": "A Novel",
        "published": "1965-08",
        "pages": 412,
        "identifiers": {"isbn": "9780441013593", "goodreads": "234225", "asin": "B00B7NPRY8"},
        "isbn13": "9780441013593",
        "isbn10": "0441013597",
        "marks": {"subtitle", "published", "pages", "identifiers", "isbn"},
    }
    assert run(tmp_path, "undo") == 0
    assert stored(tmp_path, book_id) == before
    assert run(tmp_path, "redo") == 0
    assert stored(tmp_path, book_id) == edited


def test_the_subtitle_and_pages_saved_are_shown_wherever_the_book_is(tmp_path, book_id, capsys):
    """`book ID` (text and JSON), the book panel's facts and the catalog's Atom entry."""
    from bookorbit_desktop.config import resolve_paths
    from bookorbit_desktop.server.opds.feeds import book_content
    from bookorbit_desktop.server.opds.queries import load_books
    from bookorbit_desktop.services.library.service import LibraryService
    from bookorbit_desktop.ui.library.facts_table import facts_html

    edit = ["books", "edit", str(book_id), "--subtitle", "A <b>Novel</b>", "--pages", "1412"]
    assert run(tmp_path, *edit) == 0
    capsys.readouterr()
    assert run(tmp_path, "book", str(book_id)) == 0
    shown = capsys.readouterr().out
    assert "  Subtitle:  A <b>Novel</b>\n" in shown and "  Pages:     1,412\n" in shown
    assert run(tmp_path, "book", str(book_id), "--json") == 0
    book = json.loads(capsys.readouterr().out)
    assert (book["subtitle"], book["pages"]) == ("A <b>Novel</b>", 1412)

    open_database(tmp_path / "data" / "library.sqlite3")
    try:
        service = LibraryService(resolve_paths(tmp_path / "data"))
        facts = facts_html(service.book_details(book_id))
        (entry,) = load_books([book_id])
    finally:
        close_database()
    assert "<td>A &lt;b&gt;Novel&lt;/b&gt;</td>" in facts and "<td>1412</td>" in facts
    assert book_content(entry, "").splitlines()[:2] == ["A <b>Novel</b>", "By Frank Herbert"]
    assert "1,412 pages" in book_content(entry, "")


def test_an_isbn_given_alone_becomes_the_identifiers_isbn(tmp_path, book_id):
    assert run(tmp_path, "books", "edit", str(book_id), "--identifiers", "goodreads:1") == 0
    assert run(tmp_path, "books", "edit", str(book_id), "--isbn", "9780441013593") == 0
    assert stored(tmp_path, book_id)["identifiers"] == {
        "isbn": "9780441013593",
        "goodreads": "1",
    }
    assert run(tmp_path, "books", "edit", str(book_id), "--isbn", "") == 0
    assert stored(tmp_path, book_id)["identifiers"] == {"goodreads": "1"}


@pytest.mark.parametrize(
    ("option", "text", "said"),
    [
        ("--published", "1965-13", "is not a release date"),
        ("--published", "August 1965", "is not a release date"),
        ("--pages", "0", "is not a page count"),
        ("--pages", "many", "is not a page count"),
        ("--identifiers", "goodreads", "is not an identifier"),
        ("--identifiers", "isbn:123", "is not a valid ISBN"),
        ("--identifiers", "goodreads:1, goodreads:2", "name goodreads twice"),
    ],
)
def test_a_wrong_value_is_refused_and_nothing_saved(tmp_path, book_id, capsys, option, text, said):
    before = stored(tmp_path, book_id)
    capsys.readouterr()
    assert run(tmp_path, "books", "edit", str(book_id), option, text) == 2
    assert said in capsys.readouterr().err
    assert stored(tmp_path, book_id) == before
