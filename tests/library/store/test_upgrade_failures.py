"""The copy made before an upgrade and an upgrade that fails: a copy that does not fit, a drive
that fills during a migration, copies a killed upgrade left. The library is left at its schema
and whole each time, and the user is told what happened."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from peewee import SqliteDatabase

from bookorbit_desktop.library.store.db import (
    LibraryDamagedError,
    LibraryOpenError,
    close_database,
    open_database,
)
from bookorbit_desktop.library.store.migrations import MIGRATIONS, SCHEMA_VERSION
from tests.factories import add_book
from tests.library.previous_schema import previous_schema_library
from tests.library.store.test_backup_file import mounted_drive, small_drive  # noqa: F401


def test_an_upgrade_with_no_room_for_its_copy_leaves_no_copy_and_says_why(small_drive, tmp_path):  # noqa: F811
    """The copy made before an upgrade does not fit on the drive: no cut-short copy is left
    beside the library (nor offered as the one to restore), the drive gets its room back, the
    refusal says what happened and what the copy needs, and the library is left at its schema."""
    path = small_drive / "library.sqlite3"
    old = previous_schema_library(path)
    old.execute_sql("CREATE TABLE ballast (x BLOB)")  # the library: more than half the drive
    old.execute_sql("INSERT INTO ballast VALUES (zeroblob(?))", (600_000 - path.stat().st_size,))
    old.close()
    free = shutil.disk_usage(small_drive).free
    with pytest.raises(LibraryOpenError) as refused:
        open_database(path)
    assert not isinstance(refused.value, LibraryDamagedError)
    assert refused.value.message.startswith(
        f"Before upgrading the library {path}, BookOrbit copies it beside it, and the copy could"
    )
    assert "Nothing was changed. The copy needs about " in refused.value.message
    assert sorted(p.name for p in small_drive.iterdir()) == ["library.sqlite3"]
    assert shutil.disk_usage(small_drive).free >= free
    left = sqlite3.connect(path)  # still at its schema, whole (only its journal mode is WAL)
    assert left.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION - 1,)
    assert left.execute("PRAGMA quick_check").fetchone() == ("ok",)
    left.close()


def test_an_upgrade_that_fills_the_drive_says_so_and_changes_nothing(
    small_drive,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """The drive fills during a migration, after the copy made before it: SQLite rolls the
    migration back itself. The refusal says the drive is full (SQLite's "cannot rollback" once
    hid that, and the library was then said to be unreadable, with advice to copy an older copy
    over it), the library is at its schema, whole, and the copy, the same library, is removed."""
    import subprocess

    from bookorbit_desktop.library.store import db as store_db
    from bookorbit_desktop.library.store import migrations, upgrade_copy

    made = tmp_path / "library.sqlite3"
    open_database(made)
    add_book("Dune")
    close_database()
    # The library, its copy and more than SQLite needs to open it: once the migration gave up,
    # the drive has room again, and only SQLite's own error says it was full.
    room = 2 * made.stat().st_size + (2 << 20)
    subprocess.run(["mount", "-o", f"remount,size={room}", str(small_drive)], check=True)
    path = small_drive / made.name
    shutil.copy(made, path)

    def fill_the_drive(db: SqliteDatabase) -> None:
        db.execute_sql("CREATE TABLE filler (data BLOB)")
        db.execute_sql("INSERT INTO filler (data) VALUES (zeroblob(?))", (2 * room,))

    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, fill_the_drive))
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setattr(upgrade_copy, "SCHEMA_VERSION", SCHEMA_VERSION + 1)  # a copy is made
    copies = []
    monkeypatch.setattr(
        store_db,
        "copy_before_upgrade",
        lambda *args: copies.append(upgrade_copy.copy_before_upgrade(*args)) or copies[-1],
    )
    with pytest.raises(LibraryOpenError) as refused:
        open_database(path)
    assert not isinstance(refused.value, LibraryDamagedError)
    assert refused.value.message.startswith(
        f"The drive of {path} is full: SQLite could not upgrade the library for this version"
    )
    assert len(copies) == 1 and copies[0] is not None and copies[0].parent == small_drive
    assert "full" in str(refused.value.__cause__)
    assert _files_open_in(small_drive) == []  # the refused library is closed for real
    # The copy made before it is gone: the library is that copy still, and the next attempt
    # needs the room for its own.
    assert not list(small_drive.glob("*.bak*"))
    check = sqlite3.connect(path)
    try:
        assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert check.execute("SELECT version FROM schema_version").fetchone() == (SCHEMA_VERSION,)
        assert check.execute("SELECT title FROM book").fetchall() == [("Dune",)]
        tables = check.execute("SELECT count(*) FROM sqlite_master WHERE name = 'filler'")
        assert tables.fetchone() == (0,)
    finally:
        check.close()


def test_an_upgrade_that_fails_after_a_kept_migration_keeps_its_copy(tmp_path, monkeypatch):
    """A migration fails after an earlier one of the same upgrade was committed: the library
    has changed, so the copy made before the upgrade stays, the one way back to it."""
    from bookorbit_desktop.library.store import db as store_db
    from bookorbit_desktop.library.store import migrations, upgrade_copy

    path = tmp_path / "library.sqlite3"
    open_database(path)
    add_book("Dune")
    close_database()

    def kept(db: SqliteDatabase) -> None:
        db.execute_sql("CREATE TABLE kept_step (x)")

    def failing(db: SqliteDatabase) -> None:
        raise sqlite3.OperationalError("a migration that fails")

    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, kept, failing))
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    monkeypatch.setattr(upgrade_copy, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    with pytest.raises(LibraryOpenError):
        open_database(path)
    (copy,) = tmp_path.glob("*.bak")
    assert copy.name.startswith(f"library.sqlite3.v{SCHEMA_VERSION}-")
    check = sqlite3.connect(path)
    try:
        version = check.execute("SELECT version FROM schema_version").fetchone()
        assert version == (SCHEMA_VERSION + 1,)
    finally:
        check.close()


def test_an_upgrade_that_fills_the_drive_after_a_kept_migration_does_not_say_nothing_changed(
    small_drive,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """The drive fills during a migration after an earlier one of the same upgrade was
    committed (a library at 50 filled the drive in schema 52, left at 51): the library has
    changed, and the copy made before the upgrade is the way back to the release before. The
    refusal must not tell the user that nothing was changed."""
    from bookorbit_desktop.library.store import db as store_db
    from bookorbit_desktop.library.store import migrations, upgrade_copy

    made = tmp_path / "library.sqlite3"
    open_database(made)
    add_book("Dune")
    close_database()
    room = 2 * made.stat().st_size + (2 << 20)  # the library, its copy and a little more
    subprocess.run(["mount", "-o", f"remount,size={room}", str(small_drive)], check=True)
    path = small_drive / made.name
    shutil.copy(made, path)

    def kept(db: SqliteDatabase) -> None:
        db.execute_sql("CREATE TABLE kept_step (x)")

    def fill_the_drive(db: SqliteDatabase) -> None:
        db.execute_sql("CREATE TABLE filler (data BLOB)")
        db.execute_sql("INSERT INTO filler (data) VALUES (zeroblob(?))", (2 * room,))

    monkeypatch.setattr(migrations, "MIGRATIONS", (*MIGRATIONS, kept, fill_the_drive))
    monkeypatch.setattr(store_db, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    monkeypatch.setattr(upgrade_copy, "SCHEMA_VERSION", SCHEMA_VERSION + 2)
    with pytest.raises(LibraryOpenError) as refused:
        open_database(path)
    check = sqlite3.connect(path)
    try:
        version = check.execute("SELECT version FROM schema_version").fetchone()
        assert version == (SCHEMA_VERSION + 1,)  # changed: one migration of two was kept
    finally:
        check.close()
    (copy,) = small_drive.glob("*.bak")
    assert copy.name.startswith(f"library.sqlite3.v{SCHEMA_VERSION}-")
    assert refused.value.message.startswith(f"The drive of {path} is full")
    assert "Nothing was changed" not in refused.value.message
    assert (
        f"upgraded part of the way (to schema {SCHEMA_VERSION + 1} of {SCHEMA_VERSION + 2}),"
        " and the copy made before the upgrade is kept beside it" in refused.value.message
    )


def _files_open_in(folder: Path) -> list[str]:
    """The files in `folder` this process holds open (Linux)."""
    held = []
    for fd in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError):  # the listing's own descriptor is gone already
            held.append(os.readlink(f"/proc/self/fd/{fd}"))
    return [name for name in held if name.startswith(str(folder))]


def test_an_upgrade_removes_the_copies_a_killed_upgrade_left_but_not_one_being_written(tmp_path):
    """A process killed while copying the library before an upgrade leaves the copy cut short
    (`….bak.partial`, as large as the library, never offered as a backup). The next upgrade
    removes it, with its journal; a copy another program is writing now (locked, or written a
    moment ago) is left alone."""
    import time

    from bookorbit_desktop.library.store.upgrade_copy import ABANDONED_AFTER_SECONDS

    path = tmp_path / "library.sqlite3"
    previous_schema_library(path).close()
    made = {}
    for name in ("killed", "locked", "recent"):
        partial = tmp_path / f"library.sqlite3.v1-2026{name}.bak.partial"
        shutil.copy(path, partial)
        made[name] = partial
    journal = made["killed"].with_name(made["killed"].name + "-journal")
    journal.write_bytes(b"")
    # Journals left alone by a process killed after it removed their copies: one old, one new.
    alone = tmp_path / "library.sqlite3.v1-2026alone.bak.partial-journal"
    alone_recent = tmp_path / "library.sqlite3.v1-2026alonerecent.bak.partial-journal"
    alone.write_bytes(b"")
    alone_recent.write_bytes(b"")
    long_ago = time.time() - ABANDONED_AFTER_SECONDS - 5
    for stale in (made["killed"], made["locked"], alone):
        os.utime(stale, (long_ago, long_ago))
    writer = sqlite3.connect(made["locked"], isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")  # as the copy's writer holds it
    try:
        open_database(path)
        close_database()
    finally:
        writer.close()
    assert not made["killed"].exists() and not journal.exists() and not alone.exists()
    assert made["locked"].exists() and made["recent"].exists() and alone_recent.exists()


def test_a_failure_whose_causes_loop_is_let_go_of(tmp_path):
    from bookorbit_desktop.library.store.db import _release_statements

    first, second = ValueError("first"), ValueError("second")
    first.__context__, second.__context__ = second, first  # each the other's context
    _release_statements(first)  # returns, having cleared both


@pytest.fixture
def drive(tmp_path):
    """A 16 MB drive (tmpfs) mounted on a folder, that the test may mount again read-only."""
    yield from mounted_drive(tmp_path / "drive", "16m")


@pytest.mark.parametrize("schema", ["previous", "current"])
def test_a_library_on_a_read_only_drive_is_said_to_be_read_only_not_damaged(drive, schema):
    """A drive mounted read-only (or a folder without write permission): SQLite cannot write
    the library (an upgrade) or even open it (its journal files cannot be made beside it). The
    refusal says so; it is no damaged library, and no copy is offered to put back."""
    path = drive / "library.sqlite3"
    if schema == "previous":
        previous_schema_library(path).close()
    else:
        open_database(path)
        close_database()
    before = path.read_bytes()
    subprocess.run(["mount", "-o", "remount,ro", str(drive)], check=True)
    with pytest.raises(LibraryOpenError) as refused:
        open_database(path)
    assert not isinstance(refused.value, LibraryDamagedError)
    message = refused.value.message
    assert f"The library file {path} cannot be written" in message and "read-only" in message
    assert "Nothing was changed" in message and "backup" not in message
    assert path.read_bytes() == before
