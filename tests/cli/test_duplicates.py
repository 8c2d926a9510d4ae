"""`books duplicates` and `books merge` through the real command line on a real library with
two imported copies of one book: the groups, the side-by-side question, --yes, the refusal of
two different Hardcover books, and `undo` splitting the books back."""

from __future__ import annotations

import io

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book, HardcoverMatch
from bookorbit_desktop.library.tags.store import book_tags, set_book_tags
from tests.library.merge.copies import two_copies, whole
from tests.logging_support import restore_root_logger  # noqa: F401


def run(library, *args: str) -> int:
    return main(["--data-dir", str(library.data_dir), *args])


@pytest.fixture
def copies(library, tmp_path):
    epub, pdf = two_copies(library, tmp_path)
    before = (whole(epub, library), whole(pdf, library))
    close_database()
    yield epub, pdf, before
    open_database(library.db_file)


def _reopened(library):
    open_database(library.db_file)


def test_duplicates_lists_the_two_copies(library, copies, capsys):
    epub, pdf, _ = copies
    assert run(library, "books", "duplicates") == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "Group 1:",
        f"  {epub:>5}  Dune — Frank Herbert [epub]",
        f"  {pdf:>5}  Dune: Deluxe Edition — Frank Herbert [pdf]",
        "1 group of duplicates.",
    ]


def test_merge_asks_and_a_no_changes_nothing(library, copies, capsys, monkeypatch):
    epub, pdf, before = copies
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert run(library, "books", "merge", str(epub), str(pdf)) == 1
    out = capsys.readouterr().out
    assert "Merge “Dune: Deluxe Edition” into “Dune”? [y/N] Nothing was merged." in out
    [series] = [line for line in out.splitlines() if line.split()[:2] == ["series", "(none)"]]
    assert series.split() == ["series", "(none)", "*Dune"]  # taken from the other copy
    _reopened(library)
    assert (whole(epub, library), whole(pdf, library)) == before
    close_database()


def test_merge_shows_each_copys_tags_and_keeps_them_all(library, tmp_path, capsys):
    epub, pdf = two_copies(library, tmp_path)
    set_book_tags(epub, ["classic", "sf"], now=1.0)
    set_book_tags(pdf, ["sf", "deluxe"], now=1.0)
    close_database()
    assert run(library, "books", "merge", str(epub), str(pdf), "--yes") == 0
    out = capsys.readouterr().out.splitlines()
    tags = [line.split(None, 1)[1] for line in out if line.startswith("tags ")]
    assert tags == ["classic, sf", "deluxe, sf"]  # each copy's, in name order
    _reopened(library)
    assert sorted(book_tags([epub])[epub]) == ["classic", "deluxe", "sf"]


def test_merge_with_yes_then_undo_splits_them_back(library, copies, capsys):
    epub, pdf, before = copies
    assert run(library, "books", "merge", str(epub), str(pdf), "--yes") == 0
    assert f"Merged book {pdf} into book {epub}." in capsys.readouterr().out
    _reopened(library)
    assert Book.get_or_none(Book.id == pdf) is None
    assert len(whole(epub, library)["files"]) == 2
    close_database()
    assert run(library, "undo") == 0
    assert "Undid Merge “Dune: Deluxe Edition” into “Dune”." in capsys.readouterr().out
    _reopened(library)
    assert (whole(epub, library), whole(pdf, library)) == before
    close_database()


def test_two_different_hardcover_books_are_refused(library, copies, capsys):
    epub, pdf, _ = copies
    _reopened(library)
    HardcoverMatch.update(state="linked", hc_book_id=91).where(
        HardcoverMatch.book == epub
    ).execute()
    close_database()
    assert run(library, "books", "merge", str(epub), str(pdf), "--yes") == 2
    assert "two different Hardcover books" in capsys.readouterr().err
    _reopened(library)
    assert Book.get_or_none(Book.id == pdf) is not None
    close_database()


def test_long_values_fit_their_columns_and_undo_is_named_once(library, tmp_path, capsys):
    from tests.services.test_merge_side_by_side import MINE, THEIRS, describe_both

    epub, pdf = describe_both(library, tmp_path)
    close_database()
    assert run(library, "books", "merge", str(epub), str(pdf), "--yes") == 0
    lines = capsys.readouterr().out.splitlines()
    [description] = [line for line in lines if line.startswith("description")]
    assert description == f"description     {MINE[:29]}… *{THEIRS[:51]}…"
    assert lines[-2:] == [
        f"Merged book {pdf} into book {epub}.",
        f"Take it back with `bookorbit-desktop --data-dir {library.data_dir} undo`.",
    ]
    _reopened(library)
