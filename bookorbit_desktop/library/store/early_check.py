"""SQLite's quick check of the library, begun while the program is still loading.

`db.open_database` refuses a damaged library file, which takes a quick check that reads the
whole file: a tenth of a second or more for a large library. An import that finds new files
also spends time loading the ebook readers before it opens the library. `begin` runs the check
in a thread of its own right away (SQLite works without holding Python's lock), so the two
overlap; `open_database` then takes the answer (`take`) instead of checking again. (The
desktop app checks after its window shows the library instead: `app_library`.)

The check's connection stays open until its answer is taken, after the library's own
connection opened: closing the only connection to a library would copy its journal back into
the file, a write before the file was found sound.

The check is of the whole file, each time, and its answer is not kept for a later command. A
check of only the tables an import writes would leave out what a write spreads damage
through: SQLite checks the free pages, and that no page belongs to two tables, only when it
checks them all (`PRAGMA quick_check(TABLE)` does not); and one new book writes to tables and
indexes holding most of a library's pages anyway (99% of a generated 250,000-book one's:
files, books, sort keys, search index, change log). An answer kept until the file
changes cannot tell a page gone bad on the disk since (that changes neither the file's size,
its times, its inode nor SQLite's header), nor, keyed by the header alone, a copy taken in
the middle of a write from the file checked; and every write of this app changes the file,
so a kept answer would hold only from one check to the next write.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_pending: dict[Path, Future[tuple[tuple[str, ...] | None, sqlite3.Connection]]] = {}
_lock = threading.Lock()


def begin(path: Path) -> None:
    """Start checking the library file at `path`, if there is one. Nothing here can fail:
    whatever stops the early check leaves the check to `open_database`."""
    try:
        if path.stat().st_size == 0:
            return  # `open_database` explains an empty file
        key = path.resolve()
    except OSError:
        return  # none yet, or unreadable: `open_database` says so
    future: Future[tuple[tuple[str, ...] | None, sqlite3.Connection]] = Future()
    with _lock:
        if key in _pending:
            return
        _pending[key] = future
    try:
        threading.Thread(
            target=_check, args=(key, future), name="bookorbit-check", daemon=True
        ).start()
    except RuntimeError as error:  # no thread to be had
        log.debug("No early check of %s: %s", path, error)
        with _lock:
            _pending.pop(key, None)


@dataclass(frozen=True)
class Answer:
    row: tuple[str, ...] | None  # the first row of the quick check ("ok" when sound)


def take(path: Path) -> Answer | None:
    """The answer of the quick check begun for `path`, waiting for it if needed; None when
    none was begun or it could not run (its own connection failed: a network share SQLite
    takes no URI for, say), so the caller checks itself."""
    with _lock:
        future = _pending.pop(path.resolve(), None)
    if future is None:
        return None
    try:
        row, connection = future.result()
    except sqlite3.Error as error:
        log.debug("The early check of %s did not run: %s", path, error)
        return None
    connection.close()
    return Answer(row)


def _check(path: Path, future: Future[tuple[tuple[str, ...] | None, sqlite3.Connection]]) -> None:
    try:
        # mode=rw: a file removed meanwhile is an error here, never a new empty library.
        connection = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, check_same_thread=False)
        try:
            row = connection.execute("PRAGMA quick_check").fetchone()
        except BaseException:
            connection.close()
            raise
    except BaseException as error:
        future.set_exception(error)
        return
    future.set_result((row, connection))
