"""Schema: the `book_edit` table of "edited by the user" marks (kept in a module of its own so
`migrations` stays within the module size, and free of the ORM so the schema version is read
without loading it; frozen like every shipped migration). `user_edits` reads and writes it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def edit_marks(db: SqliteDatabase) -> None:
    """Schema: the `book_edit` table."""
    db.execute_sql(
        """CREATE TABLE book_edit (
            id INTEGER PRIMARY KEY,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            field TEXT NOT NULL,
            edited_at REAL NOT NULL)"""
    )
    db.execute_sql("CREATE UNIQUE INDEX book_edit_book_id_field ON book_edit (book_id, field)")
