"""Tags through the real command line on a real library: `books edit --add-tag/--remove-tag`,
the `tags` listing, rename, merge and delete, each taken back by `undo`."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from tests.factories import make_epub
from tests.logging_support import restore_root_logger  # noqa: F401


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def tags_of(tmp_path, capsys) -> dict[str, list[str]]:
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    return {book["title"]: book["tags"] for book in json.loads(capsys.readouterr().out)}


def listing(tmp_path, capsys) -> str:
    capsys.readouterr()
    assert run(tmp_path, "tags") == 0
    return capsys.readouterr().out


@pytest.fixture
def imported(tmp_path, capsys):
    make_epub(tmp_path / "books" / "a.epub", "Dune", ("Frank Herbert",))
    make_epub(tmp_path / "books" / "b.epub", "Emma", ("Jane Austen",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    capsys.readouterr()
    assert run(tmp_path, "books", "--json") == 0
    return {book["title"]: str(book["id"]) for book in json.loads(capsys.readouterr().out)}


def test_books_edit_adds_and_removes_tags_and_undo_takes_it_back(tmp_path, imported, capsys):
    dune, emma = imported["Dune"], imported["Emma"]
    assert run(tmp_path, "books", "edit", dune, emma, "--add-tag", "to read, Owned") == 0
    assert capsys.readouterr().out == (  # several books: the bulk edit, tags among its fields
        f"Saved the tags of 2 books: {dune}, {emma}.\n"
        f"Take it back with `bookorbit-desktop --data-dir {tmp_path / 'data'} undo`"
        " (Edit 2 Books).\n"
    )
    code = run(
        tmp_path, "books", "edit", dune, "--title", "Dune!", "--add-tag", "SF",
        "--remove-tag", "owned",
    )  # fmt: skip
    assert code == 0
    assert tags_of(tmp_path, capsys) == {"Dune!": ["SF", "to read"], "Emma": ["Owned", "to read"]}
    assert listing(tmp_path, capsys) == "1  Owned\n1  SF\n2  to read\n3 tags.\n"

    assert run(tmp_path, "undo") == 0  # the title and the tags were one step
    assert tags_of(tmp_path, capsys) == {
        "Dune": ["Owned", "to read"], "Emma": ["Owned", "to read"]}  # fmt: skip


def test_a_wrong_tag_saves_nothing(tmp_path, imported, capsys):
    code = run(tmp_path, "books", "edit", imported["Dune"], "--title", "X", "--add-tag", "a\x07")
    assert code == 2
    assert "cannot hold control characters" in capsys.readouterr().err
    assert tags_of(tmp_path, capsys) == {"Dune": [], "Emma": []}


def test_tags_rename_merge_and_delete(tmp_path, imported, capsys):
    dune, emma = imported["Dune"], imported["Emma"]
    assert run(tmp_path, "books", "edit", dune, "--add-tag", "scifi") == 0
    assert run(tmp_path, "books", "edit", emma, "--add-tag", "Classic") == 0
    capsys.readouterr()

    assert run(tmp_path, "tags", "rename", "SCIFI", "Science Fiction") == 0
    assert capsys.readouterr().out.startswith("Renamed “scifi” on 1 book.\n")
    assert run(tmp_path, "tags", "rename", "classic", "science fiction") == 0
    assert capsys.readouterr().out.startswith(
        "Merged “Classic” into “Science Fiction” on 1 book.\n"
    )
    assert listing(tmp_path, capsys) == "2  Science Fiction\n1 tag.\n"

    assert run(tmp_path, "tags", "delete", "Science fiction", "--yes") == 0
    assert capsys.readouterr().out.startswith("Deleted the tag “Science Fiction” from 2 books.")
    assert tags_of(tmp_path, capsys) == {"Dune": [], "Emma": []}

    for _ in range(3):
        assert run(tmp_path, "undo") == 0
    assert tags_of(tmp_path, capsys) == {"Dune": ["scifi"], "Emma": ["Classic"]}


def test_an_unknown_tag_is_named(tmp_path, imported, capsys):
    assert run(tmp_path, "tags", "delete", "Nope", "--yes") == 2
    assert "There is no tag “Nope”" in capsys.readouterr().err
    assert run(tmp_path, "tags", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []
