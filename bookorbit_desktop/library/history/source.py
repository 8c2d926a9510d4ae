"""Reading a KOReader `statistics.sqlite3`, always from a private copy, as untrusted input.

The stored upload is kept byte for byte (other devices merge against it), and Kobo uploads
arrive in WAL mode, which SQLite cannot open read-only without writing beside the file: so
the file is copied into a temporary folder first and only the copy is opened.

The file may come from anyone on the Wi-Fi, so it is read as hostile, and never by the
library's own connection: a connection of this module's, with no extensions and no trusted
schema functions, attaches the copy read-only and immutable; only the tables `book` and
`page_stat_data` are read, and only when they are plain tables (a view of that name could run
a recursive query for ever), with plain SELECTs of named columns. A value longer than
`MAX_VALUE_BYTES` stops the read, so does more than `Limits.rows` records or `Limits.books`
books, and so does spending more than `Limits.seconds` inside SQLite in total (a progress
handler counts it). A file refused for any of these raises `StatisticsFileError` with one line
saying why; nothing is imported from it (what the line quotes of the file is escaped,
`log_text.for_log`). The rows to import are copied, checked and in order, into a staging
file of this module's own (on disk, never all in memory), which the library then reads: so
the library's transactions never wait on the uploaded file. `cancel` (a threading.Event)
stops a read within milliseconds: the server sets it when it stops.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bookorbit_desktop.errors import BookOrbitError
from bookorbit_desktop.library.history.plausible import MAX_DURATION, start_range
from bookorbit_desktop.log_text import for_log

_TABLES = {"book": {"id", "title", "authors", "md5", "pages"}}
_TABLES["page_stat_data"] = {"id_book", "page", "start_time", "duration", "total_pages"}
MAX_VALUE_BYTES = 64 * 1024  # a title or an md5; KOReader writes nothing longer
CHUNK_ROWS = 2_000  # rows the library takes in one transaction
_PROGRESS_STEPS = 10_000  # SQLite instructions between two looks at the clock
_MAX_PAGE = 10_000_000


class StatisticsFileError(BookOrbitError):
    title = "Not a KOReader statistics file"


class ImportCancelled(BookOrbitError):
    title = "Import stopped"


@dataclass(frozen=True)
class Limits:
    """What one file may cost. A lifetime of reading on one device stays far below these."""

    seconds: float = 60.0  # inside SQLite, over the whole read
    rows: int = 5_000_000
    books: int = 100_000


@dataclass(frozen=True, slots=True)
class SourceBook:
    id: int  # the id inside this file only
    title: str
    authors: str
    md5: str  # "" when the file has none (very old KOReader)
    pages: int  # 0 when unknown
    fingerprint: str  # a summary of this book's rows in the file: equal means nothing new
    dropped: int = 0  # records with impossible times or durations, left out


class _Budget:
    """Time spent inside SQLite, checked by its progress handler."""

    def __init__(self, seconds: float, cancel: threading.Event, clock: Callable[[], float]):
        self.left = seconds
        self.seconds = seconds
        self._cancel = cancel
        self._clock = clock
        self._deadline = float("inf")

    def stop_now(self) -> int:
        return int(self._cancel.is_set() or self._clock() > self._deadline)

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        began = self._clock()
        self._deadline = began + self.left
        try:
            yield
        except sqlite3.OperationalError as error:
            if self._cancel.is_set():
                raise ImportCancelled("The import was stopped.") from error
            if self._clock() > self._deadline:
                raise StatisticsFileError(
                    f"Reading this file took longer than {self.seconds:g} s: it is not a "
                    "statistics file KOReader writes. Nothing was imported."
                ) from error
            raise
        finally:
            self.left -= self._clock() - began
            self._deadline = float("inf")


class Source:
    """An opened statistics file: its books, then the rows of those to import, staged."""

    def __init__(
        self, db: sqlite3.Connection, budget: _Budget, limits: Limits, name: str, staged: Path
    ):
        self.staged_path = staged
        self._db = db
        self._budget = budget
        self._limits = limits
        self._name = name

    def books(self, now: float) -> list[SourceBook]:
        """Every book of the file with its rows' fingerprint and count of implausible rows."""
        earliest, latest = start_range(now)
        with self._budget.running():
            summaries = {}
            total = 0
            for id_book, count, seconds, newest, checksum, dropped in self._db.execute(
                f"""SELECT id_book, COUNT(*), TOTAL(duration), MAX(start_time),
                          TOTAL((start_time % 1000003) * (page + 7) + duration * 31
                                + total_pages),
                          TOTAL(NOT ({_PLAUSIBLE}))
                   FROM src.page_stat_data GROUP BY id_book LIMIT ?""",
                (earliest, latest, self._limits.books + 1),
            ):
                total += count
                summaries[id_book] = (f"{count}:{seconds}:{newest}:{checksum}", int(dropped))
            books = self._db.execute(
                "SELECT id, title, authors, md5, pages FROM src.book ORDER BY id LIMIT ?",
                (self._limits.books + 1,),
            ).fetchall()
        if len(summaries) > self._limits.books or len(books) > self._limits.books:
            raise self._refused(f"more than {self._limits.books:,} books")
        if total > self._limits.rows:
            raise self._refused(f"more than {self._limits.rows:,} page records")
        found = []
        for book_id, title, authors, md5, pages in books:
            fingerprint, dropped = summaries.get(book_id, ("0", 0))
            found.append(
                SourceBook(
                    id=_int(book_id),
                    title=str(title or ""),
                    authors=str(authors or ""),
                    md5=str(md5 or "").lower(),
                    pages=_int(pages),
                    fingerprint=fingerprint,
                    dropped=dropped,
                )
            )
        return found

    def stage(self, books: list[SourceBook], now: float) -> dict[int, tuple[int, int]]:
        """Copy the plausible rows of `books` into the staging table `staged` of the file at
        `staged_path` (this module's own, so the library may read it), each book's rows
        together in the order of the library's key; return, per source book id, the first
        and last `staged.id` of its rows (a book without any is left out)."""
        earliest, latest = start_range(now)
        found = {}
        with self._budget.running():
            self._db.execute(
                """CREATE TABLE staged (id INTEGER PRIMARY KEY, page INTEGER, start_time INTEGER,
                                        duration INTEGER, total_pages INTEGER)"""
            )
            for book in books:
                before = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM staged").fetchone()
                cursor = self._db.execute(
                    f"""INSERT INTO staged (page, start_time, duration, total_pages)
                        SELECT CAST(page AS INTEGER), CAST(start_time AS INTEGER),
                               CAST(duration AS INTEGER), CAST(COALESCE(total_pages, 0) AS INTEGER)
                        FROM src.page_stat_data WHERE id_book = ? AND {_PLAUSIBLE}
                        ORDER BY page, start_time""",
                    (book.id, earliest, latest),
                )
                if cursor.rowcount > 0:
                    found[book.id] = (before[0] + 1, before[0] + cursor.rowcount)
            self._db.commit()
        _flush(self.staged_path)
        return found

    def _refused(self, what: str) -> StatisticsFileError:
        return StatisticsFileError(
            f"{self._name} holds {what}, more than any reader records: it is not a KOReader "
            "statistics file. Nothing was imported."
        )


# A record that can be real: numbers in range (text and blobs compare above any number).
_PLAUSIBLE = f"""(page BETWEEN 0 AND {_MAX_PAGE} AND start_time BETWEEN ? AND ?
    AND duration BETWEEN 0 AND {MAX_DURATION}
    AND (total_pages IS NULL OR total_pages BETWEEN 0 AND {_MAX_PAGE}))"""


@contextlib.contextmanager
def opened_copy(
    path: Path,
    limits: Limits | None = None,
    cancel: threading.Event | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Source]:
    """The statistics in a private copy of `path`, checked to have KOReader's tables."""
    limits = limits or Limits()
    budget = _Budget(limits.seconds, cancel or threading.Event(), clock)
    with tempfile.TemporaryDirectory(prefix="bookorbit-statistics-") as folder:
        copy = Path(folder) / "statistics.sqlite3"
        try:
            shutil.copyfile(path, copy)
            _flush(copy)
        except OSError as error:
            raise StatisticsFileError(
                f"Could not read {path}: {error.strerror or error}."
            ) from error
        staged = Path(folder) / "staged.sqlite3"
        db = _connect(staged, budget)
        try:
            try:
                with budget.running():
                    _attach(db, copy)
                    _check_tables(db, path)
                yield Source(db, budget, limits, str(path), staged)
            except sqlite3.DatabaseError as error:
                raise StatisticsFileError(  # SQLite's message may quote the file: escaped
                    f"{path} is not an SQLite database ({for_log(error)}). Copy KOReader's "
                    "statistics.sqlite3 from the reader's koreader/settings folder."
                ) from error
        finally:
            db.close()


def _flush(path: Path) -> None:
    """Write what this import put in `path` to the disk now, while it holds no lock of the
    library: left to the system, a large file's writing is forced on whichever write comes
    next, which could be a commit the server's pushes wait for."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _connect(staged: Path, budget: _Budget) -> sqlite3.Connection:
    """A connection to a new staging file of ours, where the copy is attached as `src`."""
    db = sqlite3.connect(staged.as_uri(), uri=True, isolation_level="DEFERRED")
    db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    db.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 1)
    db.set_progress_handler(budget.stop_now, _PROGRESS_STEPS)
    # A scratch file: nothing in it needs to survive a crash.
    pragmas = (
        "trusted_schema = OFF",
        "cache_size = -4096",
        "journal_mode = OFF",
        "synchronous = OFF",
    )
    for pragma in pragmas:
        db.execute(f"PRAGMA {pragma}")
    return db


def _attach(db: sqlite3.Connection, copy: Path) -> None:
    db.execute("ATTACH DATABASE ? AS src", (f"{copy.as_uri()}?mode=ro&immutable=1",))
    db.execute("PRAGMA src.cache_size = -4096")


def _check_tables(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a file whose `book` or `page_stat_data` is missing, lacks KOReader's columns,
    or is anything but a plain table (a view, a virtual table)."""
    kinds = {
        name: (kind, str(sql or ""))
        for name, kind, sql in db.execute(
            """SELECT name, type, sql FROM src.sqlite_master
               WHERE name IN ('book', 'page_stat_data')"""
        )
    }
    for table, columns in _TABLES.items():
        kind, sql = kinds.get(table, ("", ""))
        if kind != "table" or not sql.upper().startswith("CREATE TABLE"):
            raise StatisticsFileError(
                f"{path} has no KOReader reading statistics (tables book and page_stat_data"
                f"{'; ' + table + ' is a ' + kind + ', not a table' if kind else ''}). Copy "
                "statistics.sqlite3 from the reader's koreader/settings folder."
            )
        found = {row[1] for row in db.execute(f"PRAGMA src.table_info({table})")}
        if not found >= columns:
            raise StatisticsFileError(
                f"{path} has no KOReader reading statistics (tables book and page_stat_data "
                f"lack {', '.join(sorted(columns - found))}). Copy statistics.sqlite3 from "
                "the reader's koreader/settings folder."
            )


def _int(value: object) -> int:
    try:
        return max(int(value), 0)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return 0
