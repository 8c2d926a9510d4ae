"""`bookorbit-desktop inbox ...` and `files ...` through the real command line entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.config import resolve_paths
from bookorbit_desktop.library.store import inbox
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.models import Book, BookFile
from tests.factories import add_book, make_epub
from tests.logging_support import restore_root_logger  # noqa: F401


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    open_database(resolve_paths(folder).db_file)
    yield folder
    close_database()


def run(data_dir, *args: str) -> int:
    close_database()
    try:
        return main(["--data-dir", str(data_dir), *args])
    finally:
        open_database(resolve_paths(data_dir).db_file)


def test_inbox_on_import_list_approve(data_dir, tmp_path, capsys):
    assert run(data_dir, "inbox", "on") == 0
    assert "Inbox on" in capsys.readouterr().out
    shelf = tmp_path / "shelf"
    make_epub(shelf / "dune.epub", "Dune", ["Frank Herbert"])
    make_epub(shelf / "emma.epub", "Emma", ["Jane Austen"])
    assert run(data_dir, "import", str(shelf)) == 0
    capsys.readouterr()
    assert run(data_dir, "inbox") == 0
    out = capsys.readouterr().out
    assert "Dune — Frank Herbert" in out and "2 books in the Inbox (it is on)" in out
    dune = Book.get(Book.title == "Dune").id
    assert run(data_dir, "inbox", "list", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {row["title"] for row in rows} == {"Dune", "Emma"}
    assert run(data_dir, "inbox", "approve", str(dune)) == 0
    assert "Approved 1 book; 1 still waiting." in capsys.readouterr().out
    assert run(data_dir, "inbox", "approve", "--all") == 0
    assert inbox.count() == 0


def test_inbox_refuses_unknown_books_and_removes_held_ones(data_dir, tmp_path, capsys):
    book = add_book("Dune", file=make_epub(tmp_path / "dune.epub", "Dune"))
    assert run(data_dir, "inbox", "approve", str(book.id)) == 2
    assert "not in the Inbox" in capsys.readouterr().err
    inbox.hold([book.id])
    assert run(data_dir, "inbox", "approve", "nine") == 2
    assert run(data_dir, "inbox", "remove", str(book.id)) == 0
    assert Book.get_or_none(Book.id == book.id) is None
    assert (tmp_path / "dune.epub").is_file()


def test_files_tidy_dry_run_then_tidy_then_undo(data_dir, tmp_path, capsys):
    book = add_book(
        "Dune",
        ["Frank Herbert"],
        file=make_epub(tmp_path / "in" / "x.epub", "Dune"),
        series="Dune",
        series_index=1,
    )
    old = str(tmp_path / "in" / "x.epub")
    assert run(data_dir, "files", "tidy", "--dry-run") == 2
    assert "No library folder" in capsys.readouterr().err
    (tmp_path / "Library").mkdir()
    assert run(data_dir, "files", "folder", str(tmp_path / "Library")) == 0
    assert run(data_dir, "files", "pattern", "{nope}") == 2
    assert "Unknown placeholder {nope}" in capsys.readouterr().err
    assert run(data_dir, "files", "pattern", "{author}/{title}") == 0
    capsys.readouterr()
    assert run(data_dir, "files", "tidy", "--dry-run") == 0
    new = str(tmp_path / "Library" / "Frank Herbert" / "Dune.epub")
    assert f"{old} -> {new}" in capsys.readouterr().out
    assert BookFile.get(BookFile.book == book.id).path == old
    assert run(data_dir, "files", "tidy") == 0
    assert "Moved 1 file." in capsys.readouterr().out
    assert BookFile.get(BookFile.book == book.id).path == new and Path(new).is_file()
    assert run(data_dir, "files", "tidy", "--undo") == 0
    assert BookFile.get(BookFile.book == book.id).path == old and Path(old).is_file()
    assert run(data_dir, "files", "tidy", "--undo") == 2
    assert "Nothing to undo" in capsys.readouterr().err


def test_files_tidy_copy_keeps_the_original(data_dir, tmp_path, capsys):
    old = make_epub(tmp_path / "in" / "x.epub", "Emma")
    book = add_book("Emma", ["Jane Austen"], file=old)
    assert run(data_dir, "files", "folder", str(tmp_path / "in")) == 0
    assert run(data_dir, "files", "tidy", "--copy") == 0
    assert "Copied 1 file." in capsys.readouterr().out
    new = tmp_path / "in" / "Jane Austen" / "Emma.epub"
    assert BookFile.get(BookFile.book == book.id).path == str(new)
    assert new.is_file() and old.is_file()
