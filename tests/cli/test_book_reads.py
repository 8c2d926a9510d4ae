"""`book reads` through the real command line on a real library: list, add, edit, delete,
each undone and redone."""

from __future__ import annotations

import json

import pytest

from bookorbit_desktop.cli import main
from bookorbit_desktop.library.store.db import close_database, open_database
from tests.factories import make_epub
from tests.library.reads.test_gather import link, pulled
from tests.logging_support import restore_root_logger  # noqa: F401


def run(tmp_path, *args: str) -> int:
    return main(["--data-dir", str(tmp_path / "data"), *args])


def listed(tmp_path, capsys, book_id: int) -> list[tuple]:
    capsys.readouterr()
    assert run(tmp_path, "book", "reads", str(book_id), "--json") == 0
    return [
        (r["read_id"], r["started"], r["finished"], r["state"], r["source"])
        for r in json.loads(capsys.readouterr().out)
    ]


def status(tmp_path, capsys, book_id: int) -> tuple:
    capsys.readouterr()
    assert run(tmp_path, "book", str(book_id), "--json") == 0
    reading = json.loads(capsys.readouterr().out)["reading"]
    return reading["status"], reading["started"], reading["finished"]


def test_reads_listed_added_edited_deleted_and_each_undone_and_redone(tmp_path, capsys):
    make_epub(tmp_path / "books" / "dune.epub", "Dune", ("Frank Herbert",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    capsys.readouterr()
    assert run(tmp_path, "book", "reads", "1") == 0
    assert capsys.readouterr().out == "No reads yet.\n"

    assert run(tmp_path, "book", "reads", "add", "1", "--started", "2024-01-02",
               "--finished", "2024-02-01") == 0  # fmt: skip
    assert capsys.readouterr().out.startswith("Added read 1 of book 1. Take it back")
    assert run(tmp_path, "book", "reads", "add", "1", "--started", "2026-03-01",
               "--state", "open") == 0  # fmt: skip
    assert status(tmp_path, capsys, 1) == ("rereading", "2026-03-01", None)
    assert run(tmp_path, "book", "reads", "edit", "2", "--state", "done", "--finished", "none") == 0
    assert listed(tmp_path, capsys, 1) == [
        (1, "2024-01-02", "2024-02-01", "done", "this library"),
        (2, "2026-03-01", None, "done", "this library"),
    ]
    assert run(tmp_path, "book", "reads", "1") == 0
    assert capsys.readouterr().out.splitlines() == [
        " READ  STARTED     FINISHED    PROGRESS   SOURCE",
        "    1  2024-01-02  2024-02-01  100 %      this library",
        "    2  2026-03-01  no date     100 %      this library",
    ]
    assert status(tmp_path, capsys, 1) == ("read", "2026-03-01", None)
    assert run(tmp_path, "book", "reads", "delete", "1") == 0
    assert listed(tmp_path, capsys, 1) == [(2, "2026-03-01", None, "done", "this library")]

    assert run(tmp_path, "undo") == 0
    assert capsys.readouterr().out == "Undid Delete a read of “Dune”.\n"
    assert [r[0] for r in listed(tmp_path, capsys, 1)] == [1, 2]
    assert run(tmp_path, "undo") == 0
    assert capsys.readouterr().out == "Undid Edit a read of “Dune”.\n"
    assert status(tmp_path, capsys, 1) == ("rereading", "2026-03-01", None)
    assert run(tmp_path, "undo") == 0
    assert listed(tmp_path, capsys, 1) == [(1, "2024-01-02", "2024-02-01", "done", "this library")]
    for _ in range(3):
        assert run(tmp_path, "redo") == 0
    assert listed(tmp_path, capsys, 1) == [(2, "2026-03-01", None, "done", "this library")]
    assert run(tmp_path, "history") == 0
    assert "book 1: read deleted: 2024-01-02 – 2024-02-01" in capsys.readouterr().out


def test_wrong_words_and_values_exit_2_and_write_nothing(tmp_path, capsys):
    make_epub(tmp_path / "books" / "emma.epub", "Emma", ("Jane Austen",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    for words in (
        ["book", "reads", "add", "1", "--started", "2026-02-01", "--finished", "2026-01-01"],
        ["book", "reads", "add", "1", "--finished", "2026-01-01", "--state", "open"],
        ["book", "reads", "edit", "1"],
        ["book", "reads", "delete", "9"],
        ["book", "reads", "one"],
        ["book", "reads", "1", "2"],
    ):
        capsys.readouterr()
        assert run(tmp_path, *words) == 2, words
        assert capsys.readouterr().err
    assert listed(tmp_path, capsys, 1) == []


def test_a_read_only_on_hardcover_is_deleted_from_the_command_line(tmp_path, capsys):
    make_epub(tmp_path / "books" / "emma.epub", "Emma", ("Jane Austen",))
    assert run(tmp_path, "import", str(tmp_path / "books")) == 0
    open_database(tmp_path / "data" / "library.sqlite3")
    try:  # linked, with a read on hardcover.app the pull brought
        link(1, 77, user_book=500)
        pulled(500, 77, 3, [{"id": 41, "started": "2023-04-01", "finished": "2023-04-11"}])
    finally:
        close_database()
    assert listed(tmp_path, capsys, 1) == [
        (None, "2023-04-01", "2023-04-11", "done", "hardcover.app")
    ]
    assert run(tmp_path, "book", "reads", "delete", "1", "--hardcover-read", "40") == 2
    assert (
        "Hardcover read 40 is no read of “Emma” only on hardcover.app." in capsys.readouterr().err
    )
    assert run(tmp_path, "book", "reads", "add", "1", "--hardcover-read", "41") == 2
    assert run(tmp_path, "book", "reads", "delete", "1", "--hardcover-read", "41") == 0
    assert capsys.readouterr().out.startswith(
        "Deleted Hardcover read 41 of book 1; the next Hardcover sync deletes it there."
    )
    assert listed(tmp_path, capsys, 1) == []
    assert run(tmp_path, "undo") == 0
    assert listed(tmp_path, capsys, 1) == [(1, "2023-04-01", "2023-04-11", "done", "hardcover.app")]


def test_the_list_of_commands_names_it_as_it_is_typed(capsys):
    from bookorbit_desktop.cli import main

    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out
    assert "    book reads " in listed and "book-reads" not in listed
