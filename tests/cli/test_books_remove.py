"""`books remove` through the real command line on a real library: the question, --yes, the
file to the trash only with --delete-file, and a re-import that leaves the file out."""

from __future__ import annotations

import io
import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.editing.trash import trash_supported
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def titles(tmp_path, capsys) -> set[str]:
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    return {book["title"] for book in json.loads(capsys.readouterr().out)}


@pytest.fixture
def dune(tmp_path, capsys) -> str:
    make_epub(tmp_path / "books" / "dune.epub", "Dune", ("Frank Herbert",))
    make_epub(tmp_path / "books" / "emma.epub", "Emma", ("Jane Austen",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    books = json.loads(capsys.readouterr().out)
    return str(next(book["id"] for book in books if book["title"] == "Dune"))


def test_remove_asks_and_a_no_keeps_the_book(tmp_path, dune, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert run(tmp_path, "books", "remove", dune) == 1
    out = capsys.readouterr().out
    assert f"Book {dune}: Dune" in out
    assert f"File stays on disk: {tmp_path / 'books' / 'dune.epub'}" in out
    assert "Remove this book from the library? [y/N] Nothing was removed." in out
    assert "Dune" in titles(tmp_path, capsys)


def test_remove_with_yes_keeps_the_file_and_a_reimport_leaves_it_out(tmp_path, dune, capsys):
    assert run(tmp_path, "books", "remove", dune, "--yes") == 0
    assert (
        "Removed 1 book from the library.\nTake it back with "
        f"`bookorbit-desktop --data-dir {tmp_path / 'data'} undo`." in capsys.readouterr().out
    )
    assert (tmp_path / "books" / "dune.epub").is_file()
    assert titles(tmp_path, capsys) == {"Emma"}
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    out = capsys.readouterr().out
    assert "1 left out (removed from the library; a changed file comes back)" in out
    assert titles(tmp_path, capsys) == {"Emma"}


@pytest.mark.skipif(not trash_supported(), reason="the freedesktop trash is for Linux")
def test_delete_file_moves_it_to_the_trash(tmp_path, dune, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    assert run(tmp_path, "books", "remove", dune, "--delete-file") == 0
    out = capsys.readouterr().out
    plan, done = out.split("Removed 1 book")
    assert "File goes to the trash:" in plan and "moved to the trash" not in plan.casefold()
    assert "Moved to the trash:" in done
    assert not (tmp_path / "books" / "dune.epub").exists()
    assert (tmp_path / "share" / "Trash" / "files" / "dune.epub").is_file()
    assert (tmp_path / "share" / "Trash" / "info" / "dune.epub.trashinfo").is_file()


@pytest.mark.skipif(not trash_supported(), reason="the freedesktop trash is for Linux")
def test_a_declined_removal_says_nothing_was_moved(tmp_path, dune, capsys, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert run(tmp_path, "books", "remove", dune, "--delete-file") == 1
    out = capsys.readouterr().out
    assert "File goes to the trash:" in out and "Nothing was removed." in out
    assert "moved to the trash" not in out.casefold()
    assert (tmp_path / "books" / "dune.epub").is_file()
    assert not (tmp_path / "share" / "Trash").exists()


def test_an_unknown_book_is_named_and_nothing_is_asked(tmp_path, dune, capsys):
    assert run(tmp_path, "books", "remove", "999", "--yes") == 2
    assert "There is no book with id 999" in capsys.readouterr().err
