"""The quick check begun while the program loads: the same verdict as the check at open, and
no write to the file before that verdict."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from bookorbit_desktop.library.store import early_check
from bookorbit_desktop.library.store.db import LibraryOpenError, close_database, open_database
from bookorbit_desktop.library.store.models import database
from tests.factories import add_book


def _library_with_an_index(path) -> None:
    open_database(path)
    database.execute_sql("CREATE TABLE filler (x TEXT)")
    database.connection().executemany(
        "INSERT INTO filler VALUES (?)", [(f"{n:05d}" + "x" * 500,) for n in range(2000)]
    )
    database.execute_sql("CREATE INDEX filler_x ON filler (x)")
    close_database()


def test_a_damaged_library_found_by_the_early_check_is_refused_and_left_alone(tmp_path):
    path = tmp_path / "library.sqlite3"
    _library_with_an_index(path)
    damaged = bytearray(path.read_bytes())
    for offset in range(len(damaged) - 20 * 4096, len(damaged) - 2 * 4096, 7):
        damaged[offset] = 0xA5  # scribble over index pages near the end
    path.write_bytes(bytes(damaged))

    early_check.begin(path)
    with pytest.raises(LibraryOpenError) as caught:
        open_database(path)

    assert "damaged" in caught.value.message and str(path) in caught.value.message
    assert "\n" not in caught.value.message  # the first problem, not SQLite's hundreds of lines
    assert path.read_bytes() == bytes(damaged)
    assert early_check.take(path) is None  # its answer was taken, its connection closed


def test_a_sound_library_opens_on_the_early_answer_without_copying_its_journal_first(tmp_path):
    path = tmp_path / "library.sqlite3"
    open_database(path)
    add_book("Alpha")
    close_database()
    # A process that committed and died: its change is only in the journal (-wal).
    writer = (
        "import os, sqlite3, sys\n"
        "from bookorbit_desktop.library.search.fold import SQL_FOLD, fold_value\n"
        "c = sqlite3.connect(sys.argv[1])\n"
        "c.create_function(SQL_FOLD, 1, fold_value, deterministic=True)\n"
        "c.execute('PRAGMA wal_autocheckpoint = 0')\n"
        "c.execute(\"UPDATE book SET title = 'Beta'\")\n"
        "c.commit()\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", writer, str(path)], check=True)
    journal = path.with_name(path.name + "-wal")
    before = path.read_bytes()
    assert journal.stat().st_size > 0

    early_check.begin(path)
    early_check._pending[path.resolve()].result(timeout=10)  # done before the app opens it
    open_database(path)
    try:
        # Had the check's connection closed first, as the only one, SQLite would have copied
        # the journal into the file before the file was found sound.
        assert path.read_bytes() == before
        title = database.execute_sql("SELECT title FROM book").fetchone()[0]
        assert title == "Beta"
    finally:
        close_database()


def test_no_file_no_check(tmp_path):
    path = tmp_path / "library.sqlite3"
    early_check.begin(path)
    assert early_check.take(path) is None
    empty = tmp_path / "empty.sqlite3"
    empty.write_bytes(b"")
    early_check.begin(empty)
    assert early_check.take(empty) is None
    with pytest.raises(LibraryOpenError, match="is empty"):
        open_database(empty)


def test_an_early_check_that_could_not_run_leaves_the_check_to_the_open(tmp_path, monkeypatch):
    path = tmp_path / "library.sqlite3"
    open_database(path)
    add_book("Alpha")
    close_database()

    def refused(_path, future):  # as SQLite answers a network share's URI on Windows
        future.set_exception(sqlite3.OperationalError("invalid uri authority: server"))

    monkeypatch.setattr(early_check, "_check", refused)
    early_check.begin(path)
    open_database(path)
    try:
        assert database.execute_sql("SELECT title FROM book").fetchone()[0] == "Alpha"
    finally:
        close_database()
