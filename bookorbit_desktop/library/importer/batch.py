"""Committing an import in batches: many files per transaction, each file its own savepoint.

One commit per file made SQLite's bookkeeping a large part of an import. Files are now written
inside a batch transaction that is committed every `BATCH_FILES` files or `BATCH_SECONDS`
(whichever comes first, so the sync server is never kept waiting for the write lock long;
the run also commits before waiting longer than `BATCH_SECONDS` for a slow file to be read);
each file still runs in its own savepoint (`file_savepoint`), so a
file that fails is rolled back alone. When the run stops on an error or Ctrl-C, the files
finished so far are committed and the interrupted one was already rolled back: nothing is ever
half-written. If even that commit fails, the importer forgets what it cached of the lost books.

The search index and the sort keys of a batch's books are written once, just before its commit
(`store.index_batch`), not by the triggers row by row: a statement per table for the batch.

A batch grows with the library (`batch_limits`). A new book lands at a random place in a dozen
indexes (titles, authors, the sort keys, document ids); in a large library two books of a batch
of 200 hardly ever share an index page, so its commit writes a dozen pages a book (an import's
CPU a file went from 1.3 ms in an empty library to 2.2 ms at 250,000 books, its commits from a
twentieth of that to a tenth). The books of a larger batch share more pages, so its commit
writes fewer a book. It holds the write lock longer, but never past `MAX_BATCH_SECONDS`: a
kosync push or an edit in the window waits that long for it at most, once per batch. An import
killed mid-batch still loses only that batch's files, which the next import writes again, and
the pages a batch dirties beyond the page cache go to the write-ahead log before its commit,
so its memory stays that of the cache.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bookorbit_desktop.errors import BookOrbitError, drive_full
from bookorbit_desktop.library.search.fold import interrupts_put_off
from bookorbit_desktop.library.store.index_batch import close_batch, open_batch
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)

BATCH_FILES = 200
BATCH_SECONDS = 0.25
SCALE_BOOKS = 50_000  # a library larger than this takes larger batches, in proportion,
MAX_SCALE = 4.0  # up to this many times the usual
MAX_BATCH_SECONDS = 0.5  # the longest a push or an edit waits for the write lock


def batch_limits(books: int) -> tuple[int, float]:
    """(files, seconds) a batch of an import into a library of `books` books may hold."""
    scale = min(max(books / SCALE_BOOKS, 1.0), MAX_SCALE)
    return round(BATCH_FILES * scale), min(BATCH_SECONDS * scale, MAX_BATCH_SECONDS)


def library_size() -> int:
    """The library's size as `batch_limits` takes it: its largest book id (a gauge read from
    the end of the table's index, not a count of its rows)."""
    row = database.connection().execute("SELECT max(id) FROM book").fetchone()
    return int(row[0] or 0)


class Batches:
    """The open batch transaction of one import run."""

    def __init__(
        self,
        on_rollback: Callable[[], None],
        *,
        files: int | None = None,
        seconds: float | None = None,
        on_commit: Callable[[], None] | None = None,
    ) -> None:
        """`files` and `seconds` fix a batch's limits; by default each batch takes them from
        the library's size when it opens (`batch_limits`)."""
        self._on_rollback = on_rollback  # forget what the lost batch put in the caches
        self._on_commit = on_commit  # the batch's files are in the library now: report them
        self._files_given = files
        self._seconds_given = seconds
        self._limit_files, self._limit_seconds = BATCH_FILES, BATCH_SECONDS
        self._transaction: Any = None
        self._files = 0
        self._opened = 0.0

    def begin(self) -> None:
        """Open a batch if none is open (call before each file)."""
        if self._transaction is None:
            with interrupts_put_off():  # never a transaction begun and not yet kept here
                self._open()

    def _open(self) -> None:
        transaction = database.atomic()
        transaction.__enter__()
        try:
            open_batch()
        except BaseException as error:
            transaction.__exit__(type(error), error, error.__traceback__)  # rolls back
            raise
        self._transaction = transaction
        self._files = 0
        self._opened = time.monotonic()
        files, seconds = batch_limits(library_size())
        self._limit_files = files if self._files_given is None else self._files_given
        self._limit_seconds = seconds if self._seconds_given is None else self._seconds_given

    def file_done(self) -> None:
        """Count a finished file; commit when the batch is full or old enough."""
        self._files += 1
        if self._files >= self._limit_files or (
            time.monotonic() - self._opened >= self._limit_seconds
        ):
            self.commit()

    @property
    def open(self) -> bool:
        """A batch is open: files written in it are not committed yet."""
        return self._transaction is not None

    def commit(self) -> None:
        # Ctrl-C waits until the batch is whole, committed and reported (or rolled back): one
        # landing inside the commit's bookkeeping left the transaction open for the database's
        # close, which then failed with a traceback instead of saying what was imported.
        with interrupts_put_off():
            transaction, self._transaction = self._transaction, None
            if transaction is None:
                return
            self._end(transaction)
            if self._on_commit is not None:
                self._on_commit()

    def _end(self, transaction: Any) -> None:
        try:
            try:
                close_batch()
            except BaseException as error:
                transaction.__exit__(type(error), error, error.__traceback__)  # rolls back
                raise
            transaction.__exit__(None, None, None)  # commits (rolls back and raises if it fails)
        except BaseException as error:
            log.error("The import's last %d files could not be committed", self._files)
            self._on_rollback()
            full = disk_full(error)
            if full is not None:
                raise full from error
            raise

    def close_after_error(self) -> None:
        """Keep the files finished before an error or interrupt (the run re-raises it)."""
        try:
            self.commit()
        except Exception as error:  # the original error is the one to report
            log.error("Commit after an interrupted import failed: %s", error)


@contextmanager
def file_savepoint() -> Iterator[None]:
    """One file's writes, all or nothing: a savepoint inside the open batch (a transaction of
    its own when none is open), as `database.atomic()` nested makes one, without the ORM's
    bookkeeping and random savepoint name, which cost the importer more than the statements
    (run straight on the SQLite connection, like the importer's writes)."""
    connection = database.connection()
    connection.execute("SAVEPOINT import_file")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK TO SAVEPOINT import_file")
        connection.execute("RELEASE SAVEPOINT import_file")
        raise
    try:
        connection.execute("RELEASE SAVEPOINT import_file")
    except BaseException:
        connection.execute("ROLLBACK TO SAVEPOINT import_file")
        connection.execute("RELEASE SAVEPOINT import_file")
        raise


class LibraryDiskFullError(BookOrbitError):
    title = "Disk full"


def disk_full(error: BaseException) -> LibraryDiskFullError | None:
    """The disk-full error behind `error`, said plainly, else None. SQLite rolls a transaction
    back itself when the disk is full, so the error raised is often the failed rollback after
    it ("no transaction is active"), with the full disk only in its context."""
    if drive_full(error) is None:
        return None
    folder = Path(str(database.database)).parent
    return LibraryDiskFullError(
        f"The disk holding the library ({folder}) is full: the files of the last batch "
        "were not imported (nothing was half-written; the files reported imported are "
        "in the library). Free some space there and run the import again."
    )
