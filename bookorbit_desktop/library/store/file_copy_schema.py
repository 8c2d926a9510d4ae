"""Schema: `file_copy`, the journal of every copy the library makes of a user's file (kept in a
module of its own and free of the ORM; frozen like every shipped migration).
`library.files.safe` reads and writes it.

A copy is written as `writing`, with the short temporary name it is written under, before its
first byte; it becomes `placed`, with the size and SHA-256 of what was copied, in the same
moment it takes its final name. The next start removes the temporary file of every `writing`
row (a process killed mid-copy), and a caller deletes a copy's source only once the copy still
has the recorded size and checksum. A backup's row stays as long as the backup, so a restore
checks the backup against what was recorded when it was made (`keep`: the row stays once the
copy is placed), and that the book file is still the one written in its place
(`written_sha256`).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def file_copy_table(db: SqliteDatabase) -> None:
    """Schema: the `file_copy` table, and `trash_intent`: each file a removal is to move to the
    trash, written in the removal's own transaction (with the step and book its undo names),
    its place in the trash once reserved, kept until the move is done and noted."""
    db.execute_sql(
        """CREATE TABLE file_copy (
            id INTEGER NOT NULL PRIMARY KEY,
            move_id INTEGER,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            temp TEXT NOT NULL,
            size INTEGER,
            sha256 TEXT,
            state TEXT NOT NULL,
            keep INTEGER NOT NULL DEFAULT 0,
            written_sha256 TEXT,
            created_at REAL NOT NULL)"""
    )
    db.execute_sql("CREATE INDEX file_copy_move_id ON file_copy (move_id)")
    db.execute_sql("CREATE INDEX file_copy_target ON file_copy (target)")
    db.execute_sql(
        """CREATE TABLE trash_intent (
            id INTEGER NOT NULL PRIMARY KEY,
            path TEXT NOT NULL,
            trash TEXT,
            step_id INTEGER NOT NULL,
            book_id INTEGER NOT NULL,
            target TEXT,
            done INTEGER NOT NULL DEFAULT 0)"""
    )
