"""Schema: the `book_inbox` table, the imported books that wait for the user's approval (kept
in a module of its own so `migrations` stays within the module size, and free of the ORM so the
schema version is read without loading it; frozen like every shipped migration).
`store.inbox` reads and writes it; `store.sql.OUTSIDE_INBOX` is the condition every listing uses.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def inbox_table(db: SqliteDatabase) -> None:
    """Schema: the `book_inbox` table (a book in it is not yet approved)."""
    db.execute_sql(
        """CREATE TABLE book_inbox (
            book_id INTEGER NOT NULL PRIMARY KEY REFERENCES book (id) ON DELETE CASCADE,
            held_at REAL NOT NULL)"""
    )
