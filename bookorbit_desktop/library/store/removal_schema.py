"""Schema: the `removed_file` table, the files of books the user removed from the library (kept
in a module of its own so `migrations` stays within the module size, and free of the ORM so the
schema version is read without loading it; frozen like every shipped migration).
`removed_files` reads and writes it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def removed_files_table(db: SqliteDatabase) -> None:
    """Schema: the `removed_file` table."""
    db.execute_sql(
        """CREATE TABLE removed_file (
            path TEXT NOT NULL PRIMARY KEY,
            size INTEGER NOT NULL,
            mtime REAL NOT NULL,
            partial_md5 VARCHAR(255) NOT NULL,
            removed_at REAL NOT NULL)"""
    )
