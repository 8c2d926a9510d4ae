"""`undo`, `redo` and `history` through the real command line on a real library."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.cli.words import undo_hint
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def titles(tmp_path, capsys) -> dict[int, dict]:
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    return {book["id"]: book for book in json.loads(capsys.readouterr().out)}


def test_an_edit_is_undone_redone_and_listed(tmp_path, capsys):
    make_epub(tmp_path / "books" / "emma.epub", "Emma", ("Jane Austin",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    [book_id] = titles(tmp_path, capsys)
    assert run(tmp_path, "books", "edit", str(book_id), "--authors", "Jane Austen") == 0
    assert run(tmp_path, "book", str(book_id), "--rating", "4") == 0
    capsys.readouterr()

    assert run(tmp_path, "history") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("Rate “Emma”")
    assert out[1] == f"    book {book_id}: rating: (none) → 4"
    assert out[2].endswith("Edit “Emma”")
    assert out[3] == f"    book {book_id}: authors: Jane Austin → Jane Austen"

    assert run(tmp_path, "undo") == 0
    assert capsys.readouterr().out == "Undid Rate “Emma”.\n"
    assert run(tmp_path, "undo") == 0
    assert capsys.readouterr().out == "Undid Edit “Emma”.\n"
    assert run(tmp_path, "undo") == 0
    assert capsys.readouterr().out == "Nothing to undo.\n"
    book = titles(tmp_path, capsys)[book_id]
    assert (book["authors"], book["reading"]["rating"]) == (["Jane Austin"], None)

    assert run(tmp_path, "redo") == 0
    assert capsys.readouterr().out == "Redid Edit “Emma”.\n"
    assert titles(tmp_path, capsys)[book_id]["authors"] == ["Jane Austen"]
    assert run(tmp_path, "history", "--book", str(book_id)) == 0
    assert "Rate “Emma”  (undone)" in capsys.readouterr().out


def test_an_empty_journal(tmp_path, capsys):
    assert run(tmp_path, "redo") == 0
    assert run(tmp_path, "history") == 0
    assert capsys.readouterr().out == "Nothing to redo.\nNo changes kept.\n"


def test_a_change_of_several_books_is_one_undo_step(tmp_path, capsys):
    for name in ("a", "b", "c"):
        make_epub(tmp_path / "books" / f"{name}.epub", f"Book {name}", ("Ann Author",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    ids = sorted(titles(tmp_path, capsys))
    capsys.readouterr()
    assert run(tmp_path, "book", *map(str, ids), "--rating", "4") == 0
    out = capsys.readouterr().out
    assert out.endswith(
        "3 of 3 books saved.\nTake it back with "
        f"`bookorbit-desktop --data-dir {tmp_path / 'data'} undo` "
        "(Change Reading of 3 Books).\n"
    )
    assert run(tmp_path, "undo") == 0
    assert capsys.readouterr().out == "Undid Change Reading of 3 Books.\n"
    assert {book["reading"]["rating"] for book in titles(tmp_path, capsys).values()} == {None}


@pytest.mark.parametrize(
    ("data_dir", "step", "hint"),
    [
        (None, None, "Take it back with `bookorbit-desktop undo`."),
        ("/srv/books", "Edit 2 Books",
         "Take it back with `bookorbit-desktop --data-dir /srv/books undo` (Edit 2 Books)."),
        ("/home/me/My Books", None,
         "Take it back with `bookorbit-desktop --data-dir '/home/me/My Books' undo`."),
    ],
)  # fmt: skip
def test_the_undo_hint_names_the_library_the_command_was_given(data_dir, step, hint):
    assert undo_hint(data_dir, step) == hint
