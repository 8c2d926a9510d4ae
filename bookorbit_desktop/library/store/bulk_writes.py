"""A connection set up for one bulk write (an import), and set back when it ends.

In a large library every book an import adds lands at a random place in a dozen indexes, so a
batch of files changes thousands of pages all over the file. Three settings of the importing
connection decide how many times each of those pages is written and read again:

- the log is copied back into the library file only once it is large
  (`checkpoint.bulk_checkpoints`);
- the journals of savepoints and statements are kept in memory (`PRAGMA temp_store =
  MEMORY`). Each file is written inside a savepoint of its own, so that a bad file is undone
  alone; SQLite keeps a copy of every page the savepoint changes, as it was, to undo it with.
  It keeps that copy in memory up to 64 KiB, then in a temporary file on the disk. In a large
  library a file's savepoint changes more than that, so every page was written once more, to
  that file, and the system then wrote it out to the disk. An import of 25,000 files into
  225,000 books wrote 7.6 GiB in all; with the journals in memory, 3.1 GiB. What they hold is
  one file's pages (or one statement's, at a batch's end), let go at the savepoint's end. (The
  server's writer keeps them so for its group commits of pushes: `server.workers`);
- a page cache of `BULK_CACHE_KIB` instead of the usual 16 MiB: a batch's pages are read
  back from the log and the file fewer times (the same import read 4.1 GiB instead of 6.4).

With both, the importing process spent 19.7–21.4 s of CPU on those 25,000 files instead of
24.7–25.3 s, and the import took 26–29 s instead of 31 (three pairs on two cores), for 70 MiB
more memory at most (`docs/internals.md`).

Changing `temp_store` drops the connection's temporary tables: the block is for a connection
that holds none (the import's keeps its batch's notes in a table of the library).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from peewee import DatabaseError

from bookorbit_desktop.library.store.checkpoint import bulk_checkpoints
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)

BULK_CACHE_KIB = 65_536  # the page cache of a bulk write, in KiB (SQLite's negative form)
MEMORY = 2  # `PRAGMA temp_store`: temporary data and journals in memory
DEFAULT = 0  # `PRAGMA temp_store`: SQLite's own choice (a file past 64 KiB)


def journals_in_memory(wanted: bool = True) -> int:
    """Keep this thread's connection's savepoint and statement journals in memory, or (False)
    let them go to a temporary file past 64 KiB, SQLite's default; return the setting it had.
    A change drops the connection's temporary tables and cannot happen inside a transaction.
    For a connection that writes many pages inside savepoints: an import, the server's group
    commits of pushes. Not for a transaction of many nested savepoints, each of which copies
    the same pages again (`server.workers`)."""
    temp_store: int = database.execute_sql("PRAGMA temp_store").fetchone()[0]
    target = MEMORY if wanted else DEFAULT
    if temp_store != target:
        database.execute_sql(f"PRAGMA temp_store = {target}")
    return temp_store


@contextmanager
def bulk_writes() -> Iterator[None]:
    """This thread's connection set up for a bulk write until the block ends (module
    docstring)."""
    cache = database.execute_sql("PRAGMA cache_size").fetchone()[0]
    page_size = database.execute_sql("PRAGMA page_size").fetchone()[0]
    if (-cache if cache < 0 else cache * page_size // 1024) < BULK_CACHE_KIB:  # KiB, or pages
        database.execute_sql(f"PRAGMA cache_size = -{BULK_CACHE_KIB}")
    temp_store = journals_in_memory()
    try:
        with bulk_checkpoints():
            yield
    finally:
        database.execute_sql(f"PRAGMA cache_size = {cache}")
        if temp_store != MEMORY:
            try:
                database.execute_sql(f"PRAGMA temp_store = {temp_store}")
            except DatabaseError as error:  # a transaction left open by the error that ends
                log.debug("The connection keeps its journals in memory: %s", error)
