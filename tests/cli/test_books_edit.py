"""`books edit` through the real command line on a real library: saved values, several books,
clear errors for wrong values, and a re-import that keeps what the user set."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from tests.factories import make_epub
from tests.library.books import jpeg
from tests.logging_support import restore_root_logger  # noqa: F401


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def listed(tmp_path, capsys) -> dict[str, dict]:
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    return {book["title"]: book for book in json.loads(capsys.readouterr().out)}


@pytest.fixture
def imported(tmp_path, capsys):
    make_epub(tmp_path / "books" / "a.epub", "Dnue", ("Frank Hebert",))
    make_epub(tmp_path / "books" / "b.epub", "Emma", ("Jane Austen",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    return {title: book["id"] for title, book in listed(tmp_path, capsys).items()}


def test_books_edit_saves_the_values(tmp_path, imported, capsys):
    cover = tmp_path / "cover.jpg"
    cover.write_bytes(jpeg(300, 450))
    book = str(imported["Dnue"])
    code = run(
        tmp_path, "books", "edit", book, "--title", "Dune", "--authors", "Frank Herbert",
        "--series", "Dune", "--series-index", "1", "--language", "English",
        "--isbn", "978-0-441-01359-3", "--description", "Spice.", "--cover", str(cover),
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert out.strip() == (
        "Saved the title, authors, series, series number, languages, ISBN, description and cover "
        f"of book {book}.\nTake it back with "
        f"`bookorbit-desktop --data-dir {tmp_path / 'data'} undo`."
    )
    dune = listed(tmp_path, capsys)["Dune"]
    assert dune["authors"] == ["Frank Herbert"]
    assert (dune["series"], dune["series_index"], dune["language"]) == ("Dune", 1.0, "en")
    assert (dune["isbn13"], dune["description"]) == ("9780441013593", "Spice.")
    assert dune["cover_path"]


def test_several_books_take_authors_series_and_language(tmp_path, imported, capsys):
    ids = [str(book_id) for book_id in imported.values()]
    assert run(tmp_path, "books", "edit", *ids, "--authors", "A & B", "--series", "S") == 0
    for book in listed(tmp_path, capsys).values():
        assert (book["authors"], book["series"]) == (["A", "B"], "S")
    assert run(tmp_path, "books", "edit", *ids, "--title", "Same") == 2
    assert "can be changed for one book at a time" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value", "message"),
    [
        ("--title", " ", "The title cannot be empty"),
        ("--isbn", "9780441013594", "is not a valid ISBN"),
        ("--language", "klingonese", "is not a language"),
        ("--series-index", "-2", "is not a series number"),
    ],
)
def test_a_wrong_value_is_one_clear_line_and_nothing_is_saved(
    tmp_path, imported, capsys, option, value, message
):
    book = str(imported["Emma"])
    assert run(tmp_path, "books", "edit", book, "--authors", "Changed", option, value) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert listed(tmp_path, capsys)["Emma"]["authors"] == ["Jane Austen"]


def test_an_unknown_book_is_named(tmp_path, imported, capsys):
    assert run(tmp_path, "books", "edit", "999", "--title", "X") == 2
    assert "There is no book with id 999" in capsys.readouterr().err


def test_a_reimport_keeps_the_edit(tmp_path, imported, capsys):
    book = str(imported["Dnue"])
    assert run(tmp_path, "books", "edit", book, "--title", "Dune") == 0
    make_epub(tmp_path / "books" / "a.epub", "Dnue 2nd ed.", ("Frank Hebert",), body="New text.")
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    books = listed(tmp_path, capsys)
    assert "Dune" in books and "Dnue 2nd ed." not in books


def test_books_without_an_action_still_lists(tmp_path, imported, capsys):
    capsys.readouterr()
    assert run(tmp_path, "books") == 0
    assert "2 books." in capsys.readouterr().out


def without_times(books: dict[str, dict]) -> dict[str, dict]:
    """The books as listed, but when they were last written (an undo writes them too)."""
    return {
        title: {
            **{k: v for k, v in book.items() if k != "updated_at"},
            "reading": {k: v for k, v in book["reading"].items() if k != "updated_at"},
        }
        for title, book in books.items()
    }


def test_several_books_take_status_rating_publisher_and_numbers_in_one_undo(
    tmp_path, imported, capsys
):
    make_epub(tmp_path / "books" / "c.epub", "Kim", ("Rudyard Kipling",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    ids = {title: book["id"] for title, book in listed(tmp_path, capsys).items()}
    order = [str(ids["Kim"]), str(ids["Emma"]), str(ids["Dnue"])]
    before = listed(tmp_path, capsys)
    code = run(
        tmp_path, "books", "edit", *order, "--status", "reading", "--rating", "4",
        "--publisher", "Tor", "--series", "Saga", "--number-from", "5",
    )  # fmt: skip
    assert code == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Saved the series, publisher, series numbers (from 5), status and rating of 3 books: "
        f"{', '.join(order)}.",
        f"Take it back with `bookorbit-desktop --data-dir {tmp_path / 'data'} undo`"
        " (Edit 3 Books).",
    ]
    books = listed(tmp_path, capsys)
    for number, title in enumerate(("Kim", "Emma", "Dnue"), start=5):
        book = books[title]
        assert (book["series"], book["series_index"], book["publisher"]) == ("Saga", number, "Tor")
        assert (book["reading"]["status"], book["reading"]["rating"]) == ("reading", 4.0)
    assert run(tmp_path, "undo") == 0
    assert without_times(listed(tmp_path, capsys)) == without_times(before)


def test_books_edit_where_names_the_books_a_rule_leaves(tmp_path, imported, capsys):
    assert run(tmp_path, "books", "edit", "--where", "status=unread", "--status", "read") == 1
    captured = capsys.readouterr()
    for book_id in imported.values():
        assert f"book {book_id}: not changed: “" in captured.err
    assert "the reading history does not say when you finished it" in captured.err
    hint = captured.err.splitlines()[-1]
    assert hint == (
        "Give the date you finished them (or none if you do not know it): "
        f"bookorbit-desktop books edit {' '.join(map(str, sorted(imported.values())))} "
        "--status read --finished YYYY-MM-DD"
    )
    assert {b["reading"]["status"] for b in listed(tmp_path, capsys).values()} == {"unread"}
    undated = hint.split(": ", 1)[1].split()[1:]  # the command the hint gives, as typed
    assert run(tmp_path, *undated[:-1], "none") == 0
    finished = {
        (b["reading"]["status"], b["reading"]["finished"])
        for b in listed(tmp_path, capsys).values()
    }
    assert finished == {("read", None)}
    assert run(tmp_path, "undo") == 0
    capsys.readouterr()
    code = run(tmp_path, "books", "edit", "--all", "--status", "read", "--finished", "2026-01-02")
    assert code == 0
    finished = {
        (b["reading"]["status"], b["reading"]["finished"])
        for b in listed(tmp_path, capsys).values()
    }
    assert finished == {("read", "2026-01-02")}
    assert run(tmp_path, "undo") == 0
    assert run(tmp_path, "books", "edit", "--all", "--status", "reading", "--finished", "none") == 2
    assert "A finish date goes with the status read or skimmed" in capsys.readouterr().err
    capsys.readouterr()
    assert run(tmp_path, "books", "edit", "--all", "--status", "reading") == 0
    assert {b["reading"]["status"] for b in listed(tmp_path, capsys).values()} == {"reading"}
    assert run(tmp_path, "books", "edit", "--rating", "4") == 2
    assert "Name the books" in capsys.readouterr().err
    assert run(tmp_path, "books", "edit", "--all", "--series-index", "2") == 2
    assert "The series number can be changed for one book at a time" in capsys.readouterr().err
    # The window's spin box stops at 99,999: the command line takes the same limit.
    assert run(tmp_path, "books", "edit", "--all", "--series", "S", "--number-from", "1e9") == 2
    assert "Series numbers can start from 0 up to 99,999; 1e9 is more than that." in (
        capsys.readouterr().err
    )


def test_a_wrong_id_among_several_is_named_as_one(tmp_path, imported, capsys):
    known = str(imported["Emma"])
    assert run(tmp_path, "books", "edit", known, "999", "--rating", "4") == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        "book 999: not changed: “Book 999”: the library has no book with this id (a wrong id, "
        "or removed meanwhile)"
    ]
    assert f"Saved the rating of 1 book: {known}." in captured.out


def test_a_large_edit_names_the_first_books_and_counts_the_rest(tmp_path, capsys):
    for number in range(25):
        make_epub(tmp_path / "many" / f"{number}.epub", f"Book {number}", ("Ann Author",))
    assert run(tmp_path, "import", str(tmp_path / "many")) == 0
    ids = sorted(book["id"] for book in listed(tmp_path, capsys).values())
    assert run(tmp_path, "books", "edit", "--all", "--publisher", "Tor") == 0
    first = ", ".join(str(book_id) for book_id in ids[:20])
    assert capsys.readouterr().out.splitlines()[0] == (
        f"Saved the publisher of 25 books: {first} and 5 more."
    )


def test_books_edit_takes_a_list_of_languages(tmp_path, imported, capsys):
    """`--language` (or `--languages`) takes the book's languages, the main one first; one
    language is the list of one."""
    book = str(imported["Emma"])
    assert run(tmp_path, "books", "edit", book, "--languages", "fra, English") == 0
    emma = listed(tmp_path, capsys)["Emma"]
    assert (emma["language"], emma["languages"]) == ("fr", ["fr", "en"])
    assert run(tmp_path, "book", book) == 0
    assert "  Languages: fr, en" in capsys.readouterr().out.splitlines()
    assert run(tmp_path, "books", "edit", book, "--language", "de") == 0
    assert listed(tmp_path, capsys)["Emma"]["languages"] == ["de"]
    ids = [str(book_id) for book_id in imported.values()]
    assert run(tmp_path, "books", "edit", *ids, "--language", "en,fr") == 0
    assert [b["languages"] for b in listed(tmp_path, capsys).values()] == [["en", "fr"]] * 2
    capsys.readouterr()
    assert run(tmp_path, "books", "--search", "language:=fr", "--json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_an_edit_that_changes_nothing_says_so_and_offers_no_undo(tmp_path, imported, capsys):
    """The same values again: no step is recorded, so no undo is offered (an undo then would
    take back the change before)."""
    emma = str(imported["Emma"])
    language = listed(tmp_path, capsys)["Emma"]["language"]
    assert run(tmp_path, "books", "edit", emma, "--language", language) == 0
    assert "Take it back" in capsys.readouterr().out  # its language marked as the user's
    assert run(tmp_path, "books", "edit", emma, "--language", language) == 0
    out = capsys.readouterr().out
    assert out == f"Nothing to save: book {emma} had these values already.\n"
    assert run(tmp_path, "history") == 0
    assert capsys.readouterr().out.count("Edit “Emma”") == 1
