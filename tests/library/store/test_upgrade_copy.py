"""Two programs upgrading one library at once, and copies cut short found at any open: each
program's copy is its own, a copy of the already upgraded library is not kept as a copy from
before the upgrade, and no finished copy is ever replaced."""

from __future__ import annotations

import os
import shutil
import sqlite3
import time

from peewee import SqliteDatabase

from bookorbit_desktop.library.store import upgrade_copy
from bookorbit_desktop.library.store.db import close_database, open_database
from bookorbit_desktop.library.store.migrations import SCHEMA_VERSION
from bookorbit_desktop.library.store.upgrade_copy import (
    ABANDONED_AFTER_SECONDS,
    copy_before_upgrade,
)
from tests.library.previous_schema import previous_schema_library

BEFORE = SCHEMA_VERSION - 1


def _version(copy) -> int:
    with sqlite3.connect(copy) as connection:
        return int(connection.execute("SELECT version FROM schema_version").fetchone()[0])


def test_two_programs_copying_in_the_same_second_write_two_copies(tmp_path, monkeypatch):
    path = tmp_path / "library.sqlite3"
    previous_schema_library(path).close()
    monkeypatch.setattr(upgrade_copy.time, "strftime", lambda _format: "20261127-101010")
    db = SqliteDatabase(str(path))
    copies = []
    for pid in (4242, 4343):  # the same second, two processes
        monkeypatch.setattr(upgrade_copy.os, "getpid", lambda pid=pid: pid)
        copies.append(copy_before_upgrade(db, path, BEFORE))
    db.close()
    assert copies[0] != copies[1]
    assert sorted(tmp_path.glob("*.bak")) == sorted(copies)
    assert [_version(copy) for copy in copies] == [BEFORE, BEFORE]


def test_a_library_upgraded_meanwhile_is_not_kept_as_a_copy_from_before(tmp_path):
    """A program read the library's version, then another upgraded it, copy first: the copy
    the first now makes holds the upgraded library. It is not kept under the old version's
    name, and the other program's copy from before the upgrade stays as it was."""
    path = tmp_path / "library.sqlite3"
    previous_schema_library(path).close()
    slow = SqliteDatabase(str(path))  # has read `BEFORE`, as `migrate` does
    open_database(path)  # the other program: its copy, then the upgrade
    close_database()
    [kept] = tmp_path.glob("*.bak")
    before = (kept.stat().st_ino, kept.read_bytes())
    assert copy_before_upgrade(slow, path, BEFORE) is None
    slow.close()
    assert list(tmp_path.glob("*.bak")) == [kept]
    assert (kept.stat().st_ino, kept.read_bytes()) == before
    assert _version(kept) == BEFORE
    assert not list(tmp_path.glob("*.partial*"))


def test_a_copy_cut_short_is_removed_at_the_next_open_even_with_no_upgrade(tmp_path):
    path = tmp_path / "library.sqlite3"
    open_database(path)
    close_database()
    partial = tmp_path / f"library.sqlite3.v{BEFORE}-20261127-101010-77.bak.partial"
    shutil.copy(path, partial)
    recent = tmp_path / f"library.sqlite3.v{BEFORE}-20261127-101011-78.bak.partial"
    shutil.copy(path, recent)
    long_ago = time.time() - ABANDONED_AFTER_SECONDS - 5
    os.utime(partial, (long_ago, long_ago))
    open_database(path)  # at the current schema: nothing to upgrade
    close_database()
    assert not partial.exists() and recent.exists()
