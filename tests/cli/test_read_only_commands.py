"""Commands registered as only reading the library open it without SQLite's whole-file quick
check: every one of them is named here and shown to leave the library's file and its
write-ahead log as they were; every other command is checked first. A damaged page such a
command reads gives the damaged-library message and exit status the check gives."""

from __future__ import annotations

import argparse
import sqlite3

import pytest

from bookorbit_desktop.cli import build_parser, main
from bookorbit_desktop.cli.commands import only_reads
from bookorbit_desktop.library.store.db import LibraryOpenError, close_database, open_database
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book
from tests.library.store.damaged import scribbled
from tests.logging_support import restore_root_logger  # noqa: F401
from tests.sql_functions import as_the_app

# Each command that only reads, and a run of it against the library `held` builds.
READERS = {
    ("books",): ["books", "--search", "alpha"],
    ("books", "duplicates"): ["books", "duplicates"],
    ("books", "columns"): ["books", "columns", "--json"],
    ("book",): ["book", "1"],
    ("book-reads",): ["book", "reads", "1"],
    ("tags",): ["tags"],
    ("history",): ["history"],
    ("stats",): ["stats"],
    ("stats", "year"): ["stats", "year", "2026"],
    ("device", "list"): ["device", "list"],
    ("devices", "list"): ["devices", "list"],
    ("progress", "show"): ["progress", "show", "1"],
    ("progress", "history"): ["progress", "history", "1"],
    ("kosync", "status"): ["kosync", "status"],
    ("kosync", "unlinked"): ["kosync", "unlinked"],
    ("hardcover", "log"): ["hardcover", "log"],
    ("hardcover", "held"): ["hardcover", "held"],
    ("metadata", "contact"): ["metadata", "contact"],
    ("hardcover", "conflicts"): ["hardcover", "conflicts"],
}


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = (), defaults: dict | None = None
):
    """Every command of `parser` that runs a handler: its words and its values as parsing
    its words alone would leave them (a sub-action keeps those of the command above it)."""
    options = {a.dest: a.default for a in parser._actions if a.dest != argparse.SUPPRESS}
    merged = {**(defaults or {}), **options, **parser._defaults}
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if "handler" in merged:
        yield path, merged
    for action in subs:
        for name, sub in action.choices.items():
            yield from commands(sub, (*path, name), merged)


def test_the_commands_that_skip_the_check_are_exactly_the_ones_shown_not_to_write():
    found = {
        path
        for path, defaults in commands(build_parser())
        if defaults.get("open_library") and only_reads(argparse.Namespace(**defaults))
    }
    assert found == set(READERS)
    parser = build_parser()
    assert only_reads(parser.parse_args(["book", "1"]))
    assert not only_reads(parser.parse_args(["book", "1", "--status", "read"]))
    assert not only_reads(parser.parse_args(["books", "edit", "1", "--title", "T"]))
    assert not only_reads(parser.parse_args(["tags", "delete", "x"]))
    assert not only_reads(parser.parse_args(["books", "columns", "add", "x", "--kind", "text"]))
    assert not only_reads(parser.parse_args(["stats", "import", "f"]))
    assert not only_reads(parser.parse_args(["hardcover", "held", "--discard"]))


@pytest.fixture
def held(tmp_path):
    """A library with a book, a kept change, and a second connection holding a
    commit in its write-ahead log (as the open window does): a command that wrote would add
    to that log, and could not copy it back into the file."""
    data = tmp_path / "data"
    assert main(["--data-dir", str(data), "tags"]) == 0  # makes the data folder and library
    open_database(data / "library.sqlite3")
    add_book("Alpha")
    close_database()
    assert main(["--data-dir", str(data), "book", "1", "--status", "reading"]) == 0
    holder = as_the_app(sqlite3.connect(data / "library.sqlite3"))
    holder.execute("PRAGMA wal_autocheckpoint = 0")
    holder.execute("INSERT INTO tag (name) VALUES ('Held')")
    holder.commit()
    yield data
    holder.close()


@pytest.mark.parametrize("words", sorted(READERS))
def test_a_command_that_only_reads_leaves_the_library_and_its_log_unchanged(held, words):
    file, log = held / "library.sqlite3", held / "library.sqlite3-wal"
    before = file.read_bytes(), log.read_bytes()
    assert main(["--data-dir", str(held), *READERS[words]]) == 0
    assert (file.read_bytes(), log.read_bytes()) == before


def damage_of(path) -> str:
    """What the check at open says of the library at `path`, before SQLite's own words."""
    with pytest.raises(LibraryOpenError) as refused:
        open_database(path)
    advice, said, _ = refused.value.message.partition(" SQLite reported: ")
    assert said
    return advice


def test_a_damaged_page_a_reading_command_meets_is_reported_as_the_check_reports_it(
    tmp_path, capsys
):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "library.sqlite3"
    open_database(path)
    add_book("Alpha")
    page_size = database.execute_sql("PRAGMA page_size").fetchone()[0]
    root = database.execute_sql("SELECT rootpage FROM sqlite_master WHERE name = 'book'")
    page = root.fetchone()[0]
    close_database()
    damaged = bytearray(path.read_bytes())
    start = (page - 1) * page_size
    damaged[start : start + page_size] = b"\xa5" * page_size  # the book table's only page
    path.write_bytes(bytes(damaged))
    advice = damage_of(path)
    capsys.readouterr()

    assert main(["--data-dir", str(data), "books"]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"bookorbit-desktop: Cannot open the library: {advice} SQLite ")
    assert f"The library file {path} is damaged, so BookOrbit will not use it" in advice
    assert error.endswith(".\n") and "Traceback" not in error
    assert path.read_bytes() == bytes(damaged)


def test_damage_a_reading_command_does_not_read_leaves_it_answering_and_a_writer_refused(
    tmp_path, capsys
):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "library.sqlite3"
    damaged = scribbled(path)  # an index no listing reads
    capsys.readouterr()

    assert main(["--data-dir", str(data), "books"]) == 0
    assert "Alpha" in capsys.readouterr().out
    assert main(["--data-dir", str(data), "book", "1", "--status", "reading"]) == 2
    assert f"The library file {path} is damaged, so" in capsys.readouterr().err
    assert path.read_bytes() == damaged
