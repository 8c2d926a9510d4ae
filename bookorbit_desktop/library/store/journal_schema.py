"""Schema: the change journal, `change_step` and `change_entry` (kept in a module of its own so
`migrations` stays within the module size, and free of the ORM; frozen like every shipped
migration). `library.journal.steps` reads and writes it.

A step is one undoable action of the user (an edit, a metadata apply, a bulk fill, a reading
change, a removal); its entries hold, per book, the values before and after as JSON. A step
whose `undone_at` is set waits for a redo. No foreign key names the book: a removed book's entry
outlives it, so that undo can bring it back.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def change_journal(db: SqliteDatabase) -> None:
    """Schema: the `change_step` and `change_entry` tables."""
    db.execute_sql(
        """CREATE TABLE change_step (
            id INTEGER NOT NULL PRIMARY KEY,
            kind TEXT NOT NULL,
            label TEXT NOT NULL,
            created_at REAL NOT NULL,
            undone_at REAL)"""
    )
    db.execute_sql(
        """CREATE TABLE change_entry (
            id INTEGER NOT NULL PRIMARY KEY,
            step_id INTEGER NOT NULL REFERENCES change_step (id) ON DELETE CASCADE,
            book_id INTEGER NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL)"""
    )
    db.execute_sql("CREATE UNIQUE INDEX change_entry_step_book ON change_entry (step_id, book_id)")
    db.execute_sql("CREATE INDEX change_entry_book ON change_entry (book_id, step_id)")
