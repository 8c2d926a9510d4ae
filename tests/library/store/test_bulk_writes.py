"""A bulk write's connection: the journals of its savepoints stay in memory, its page cache is
larger and its log is copied back late, and all of it is set back when the write ends."""

from __future__ import annotations

import os
import sys

import pytest

from bookorbit_desktop.library.store import bulk_writes
from bookorbit_desktop.library.store.models import database


def _setting(name: str) -> int:
    return database.execute_sql(f"PRAGMA {name}").fetchone()[0]


def _sqlite_temporary_files() -> set[str]:
    """The files this process holds open that SQLite made for itself and removed at once
    (its temporary files: a savepoint's journal spilled to the disk, say)."""
    found = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if "etilqs_" in target:  # the name SQLite gives its temporary files
            found.add(target)
    return found


def _rewrite_in_a_savepoint(pages: int) -> set[str]:
    """Change about `pages` pages inside a savepoint of a transaction, as an import writes a
    file; SQLite's temporary files open at the savepoint's end."""
    database.execute_sql("CREATE TABLE IF NOT EXISTS bulk_test (data)")
    with database.atomic():
        database.execute_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO bulk_test SELECT randomblob(3500) FROM n",
            (pages,),
        )
    with database.atomic(), database.atomic():  # a transaction, and a savepoint in it
        database.execute_sql("UPDATE bulk_test SET data = randomblob(3500)")
        return _sqlite_temporary_files()


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd")
def test_a_savepoint_of_a_bulk_write_keeps_its_journal_in_memory(library):
    """Beyond 64 KiB SQLite moves a savepoint's journal to a temporary file: every page the
    savepoint changed was written there too (an import of 25,000 files into 225,000 books
    wrote 7.6 GiB in all that way, 3.1 GiB with the journals in memory)."""
    assert _rewrite_in_a_savepoint(100) != set()  # 400 KiB: on the disk, as a rule
    with bulk_writes.bulk_writes():
        assert _rewrite_in_a_savepoint(100) == set()


def test_a_bulk_write_sets_its_connection_back_when_it_ends(library):
    assert (_setting("cache_size"), _setting("temp_store")) == (-16_000, 0)
    with bulk_writes.bulk_writes():
        assert _setting("cache_size") == -bulk_writes.BULK_CACHE_KIB
        assert _setting("temp_store") == bulk_writes.MEMORY
        assert _setting("wal_autocheckpoint") > 1000  # the log copied back late
    assert (_setting("cache_size"), _setting("temp_store")) == (-16_000, 0)
    assert _setting("wal_autocheckpoint") == 1000


def test_a_bulk_write_keeps_a_larger_cache_and_the_journals_already_in_memory(library):
    database.execute_sql("PRAGMA cache_size = 50000")  # pages: 195 MiB of 4 KiB pages
    database.execute_sql(f"PRAGMA temp_store = {bulk_writes.MEMORY}")
    with bulk_writes.bulk_writes():
        assert (_setting("cache_size"), _setting("temp_store")) == (50_000, bulk_writes.MEMORY)
    assert (_setting("cache_size"), _setting("temp_store")) == (50_000, bulk_writes.MEMORY)


def test_a_bulk_write_that_fails_sets_its_connection_back_too(library):
    with pytest.raises(RuntimeError), bulk_writes.bulk_writes():
        raise RuntimeError("a file's write failed")
    assert (_setting("cache_size"), _setting("temp_store")) == (-16_000, 0)
