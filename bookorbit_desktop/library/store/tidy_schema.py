"""Schema: the journal of file-name tidying, `tidy_batch` and `tidy_move` (kept in a module of
its own so `migrations` stays within the module size, and free of the ORM; frozen like every
shipped migration). `library.files.journal` reads and writes it.

A move is written as `planned` before its file moves and becomes `done` (`copied` until the
original is deleted, across file systems) in the same transaction that points the library's
records at the new path, so a process killed between the two is finished by the next run from
what is on disk. An undo is a batch of its own that `undoes` the batch it reverses.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def tidy_tables(db: SqliteDatabase) -> None:
    """Schema: the `tidy_batch` and `tidy_move` tables."""
    db.execute_sql(
        """CREATE TABLE tidy_batch (
            id INTEGER NOT NULL PRIMARY KEY,
            created_at REAL NOT NULL,
            undoes INTEGER REFERENCES tidy_batch (id) ON DELETE SET NULL,
            undone_at REAL)"""
    )
    db.execute_sql(
        """CREATE TABLE tidy_move (
            id INTEGER NOT NULL PRIMARY KEY,
            batch_id INTEGER NOT NULL REFERENCES tidy_batch (id) ON DELETE CASCADE,
            book_file_id INTEGER NOT NULL,
            old_path TEXT NOT NULL,
            new_path TEXT NOT NULL,
            copy INTEGER NOT NULL,
            state TEXT NOT NULL)"""
    )
    db.execute_sql("CREATE INDEX tidy_move_batch_id ON tidy_move (batch_id, id)")
