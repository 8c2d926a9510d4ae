"""Catching a transaction that reads before it writes without taking the write lock first.

In WAL mode a transaction begun with a plain (deferred) BEGIN reads from the snapshot of its
first read; when another connection commits before its first write, SQLite refuses that write
at once with "database is locked", whatever the busy timeout (it cannot move the snapshot on).
The library is written by the window, the sync server, commands and other programs, so every
transaction that reads, then writes, begins IMMEDIATE and waits its turn instead.

- `another_commit_before_the_first_write`: another connection tries to commit just as this
  connection's first write of the transaction begins; a transaction that holds the write lock
  makes it wait ("waited"), one that does not lets it through ("committed") and then fails.
- `ReadThenWrite`: watches a connection and notes every deferred transaction whose first
  statement that writes comes after one that reads; `watching_reads_then_writes` puts one on
  every connection to the library while a test runs (the guard of `tests/conftest.py`).
"""

from __future__ import annotations

import re
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bookorbit_desktop.library.store.models import database

OUTSIDE = "(outside the project)"  # where a transaction a test began itself was begun

# Statements that write (a WITH may lead to any; a trigger's statements are reported as
# comments and belong to the statement that fired them).
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE|CREATE|DROP|ALTER)\b", re.IGNORECASE)
_WITH_WRITES = re.compile(
    r"\b(INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\S+\s+SET|DELETE\s+FROM)\b", re.IGNORECASE
)
_READS = re.compile(r"\s*(SELECT|WITH|VALUES)\b", re.IGNORECASE)


def writes(sql: str) -> bool:
    if _WRITES.match(sql):
        return True
    return sql.lstrip()[:4].upper() == "WITH" and _WITH_WRITES.search(sql) is not None


def reads(sql: str) -> bool:
    return _READS.match(sql) is not None and not writes(sql)


@contextmanager
def another_commit_before_the_first_write(db_file: Path) -> Iterator[list[str]]:
    """While the block runs: just as this thread's connection starts its first write, another
    connection tries to commit; what became of that commit is in the list yielded
    ("committed", or "waited" when the write lock was already taken)."""
    outcome: list[str] = []
    connection = database.connection()

    def on_statement(sql: str) -> None:
        if outcome or not writes(sql):
            return
        other = sqlite3.connect(db_file, timeout=0)
        try:
            other.execute("INSERT INTO setting (key, value) VALUES ('x-elsewhere', '1')")
            other.commit()
            outcome.append("committed")
        except sqlite3.OperationalError as error:
            outcome.append("waited" if "locked" in str(error) else str(error))
        finally:
            other.close()

    connection.set_trace_callback(on_statement)
    try:
        yield outcome
    finally:
        connection.set_trace_callback(None)


class ReadThenWrite:
    """Notes, on one connection, each deferred transaction (BEGIN, or a SAVEPOINT outside any
    transaction) the project began whose first write follows a read: where it began, the read
    and the write. A transaction a test begins itself is its own affair."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.found: list[str] = []
        self._deferred = False  # the open transaction began without the write lock
        self._begun = ""  # the project's function that began it
        self._read: str | None = None  # its first read, before any write
        self._wrote = False

    def __call__(self, sql: str) -> None:
        head = sql.lstrip()[:16].upper()
        if head.startswith("--"):  # a trigger's statement
            return
        if not self.connection.in_transaction or head.startswith("BEGIN"):
            # Nothing open, or this statement opens a transaction: a new one starts here.
            self._deferred = head.startswith(("BEGIN", "SAVEPOINT")) and not head.startswith(
                ("BEGIN IMMEDIATE", "BEGIN EXCLUSIVE")
            )
            self._read, self._wrote = None, False
            self._begun = _caller() if self._deferred else ""
            self._deferred = self._deferred and self._begun != OUTSIDE
            return
        if not self._deferred or self._wrote:
            return
        if writes(sql):
            self._wrote = True
            if self._read is not None:
                self.found.append(
                    f"{self._begun} began a deferred transaction that read, then wrote"
                    f"\n    read:  {self._read}\n    wrote: {sql[:100]}  (in {_caller()})"
                )
        elif self._read is None and reads(sql):
            self._read = sql[:100]


def _caller() -> str:
    """The innermost of the project's functions running now (file:line function)."""
    frame = sys._getframe(1)
    while frame is not None:
        name = frame.f_code.co_filename
        if "/bookorbit_desktop/" in name:
            where = name.rsplit("/bookorbit_desktop/", 1)[-1]
            return f"{where}:{frame.f_lineno} {frame.f_code.co_name}"
        frame = frame.f_back
    return OUTSIDE


@contextmanager
def watching_reads_then_writes() -> Iterator[list[str]]:
    """While the block runs, every connection to the open library (this thread's, and those
    that threads open meanwhile) is watched by a `ReadThenWrite`; what they found is in the
    list yielded."""
    db: Any = database.obj
    watchers: list[ReadThenWrite] = []
    found: list[str] = []

    def watch(connection: sqlite3.Connection) -> None:
        watcher = ReadThenWrite(connection)
        watchers.append(watcher)
        connection.set_trace_callback(watcher)

    initialize = db._initialize_connection
    watch(db.connection())

    def initialize_watched(connection: sqlite3.Connection) -> None:
        initialize(connection)
        watch(connection)

    db._initialize_connection = initialize_watched
    try:
        yield found
    finally:
        del db._initialize_connection  # the class's own again
        for watcher in watchers:
            found.extend(watcher.found)
