"""`books --search` through the command line's entry point, on a real library: the books the
search finds in title order (as lines or JSON), and a search that cannot be read as one line
with its place and exit status 2."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401


@pytest.fixture
def data(tmp_path, capsys):
    books = tmp_path / "books"
    make_epub(books / "dune.epub", "Dune", ("Frank Herbert",))
    make_epub(books / "messiah.epub", "Dune Messiah", ("Frank Herbert",))
    make_epub(books / "emma.epub", "Emma", ("Jane Austen",))
    make_epub(books / "persuasion.epub", "Persuasion", ("Jane Austen",))
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "import", str(books)]) == 0
    capsys.readouterr()
    ids = {}
    assert main(["--data-dir", str(data), "books", "--json"]) == 0
    for book in json.loads(capsys.readouterr().out):
        ids[book["title"]] = book["id"]
    for title, options in {
        "Dune": ["--status", "read", "--finished", "today", "--rating", "5"],
        "Dune Messiah": ["--status", "reading", "--rating", "3.5"],
        "Emma": ["--status", "read", "--finished", "none", "--rating", "4"],
    }.items():
        assert main(["--data-dir", str(data), "book", str(ids[title]), *options]) == 0
    dune, emma = str(ids["Dune"]), str(ids["Emma"])
    assert main(["--data-dir", str(data), "books", "edit", dune, emma, "--add-tag", "Owned"]) == 0
    capsys.readouterr()
    return data


def titles_found(data, capsys, search: str) -> list[str]:
    assert main(["--data-dir", str(data), "books", "--json", "--search", search]) == 0
    return [book["title"] for book in json.loads(capsys.readouterr().out)]


@pytest.mark.parametrize(
    ("search", "found"),
    [
        ("dune", ["Dune", "Dune Messiah"]),
        ("rating:>=4", ["Dune", "Emma"]),
        ("status:read and not author:austen", ["Dune"]),
        ("author:austen or rating:<4", ["Dune Messiah", "Emma", "Persuasion"]),
        ('title:="dune"', ["Dune"]),
        ("title:~^(d|p)", ["Dune", "Dune Messiah", "Persuasion"]),
        ("added:today format:epub", ["Dune", "Dune Messiah", "Emma", "Persuasion"]),
        ("added:<today", []),
        ("hardcover:unmatched rating:false", ["Persuasion"]),
        ("tags:owned", ["Dune", "Emma"]),
        ("tags:owned and not author:herbert", ["Emma"]),
    ],
)
def test_a_search_lists_the_books_it_finds(data, capsys, search, found):
    assert titles_found(data, capsys, search) == found


def test_the_lines_of_a_search(data, capsys):
    assert main(["--data-dir", str(data), "books", "--search", "author:herbert"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("  ")[-1] for line in lines[1:-1]] == [
        "Dune — Frank Herbert [epub]",
        "Dune Messiah — Frank Herbert [epub]",
    ]
    assert lines[-1] == "2 books."
    assert main(["--data-dir", str(data), "books", "--search", "author:nobody"]) == 0
    assert capsys.readouterr().out == "No book matches the search.\n"


@pytest.mark.parametrize(
    ("search", "message"),
    [
        ("ratng:>=4", "Unknown field 'ratng' — did you mean rating? (at character 1"),
        ('dune title:"the', "Unclosed quote (at character 12"),
        ("(dune", "Unclosed parenthesis (at character 1"),
        ("rating:>lots", "'rating' takes a number, not 'lots' (at character 1"),
    ],
)
def test_a_search_that_cannot_be_read_exits_2_with_why(data, capsys, search, message):
    assert main(["--data-dir", str(data), "books", "--search", search]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith(f"bookorbit-desktop: Search not understood: {message} of the search).")
