"""Schema: the book's `subtitle` and page count (`pages`), which the user may edit and a
metadata source may fill; `publisher` and `published` were there from the first schema (kept
in a module of its own so `migrations` stays within its size, and free of the ORM so the
schema version is read without loading it; frozen once shipped).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def book_details(db: SqliteDatabase) -> None:
    """Schema: `book.subtitle` and `book.pages` (both empty until the user sets them)."""
    db.execute_sql("ALTER TABLE book ADD COLUMN subtitle TEXT")
    db.execute_sql("ALTER TABLE book ADD COLUMN pages INTEGER")
