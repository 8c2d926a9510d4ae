"""Schema: `shelf_joined`, when each library book the catalog lists on a Hardcover shelf joined
that shelf's feed (kept in a module of its own so `migrations` stays within the module size; free
of the ORM and frozen like every shipped migration). `library.store.shelves` keeps it.

One row per (shelf key, book): `joined_at` is the time the catalog first listed the book on that
shelf. A book that leaves the shelf (or the catalog) loses its row, so coming back is joining
anew. The index is the shelf feed's order, newest first, so a page is a walk of it.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def shelf_joined_table(db: SqliteDatabase) -> None:
    """Schema: the shelf feeds' join times."""
    for statement in (
        """CREATE TABLE shelf_joined (
            shelf TEXT NOT NULL,
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            joined_at REAL NOT NULL,
            PRIMARY KEY (shelf, book_id))""",
        "CREATE INDEX shelf_joined_order ON shelf_joined (shelf, joined_at, book_id)",
        "CREATE INDEX shelf_joined_book ON shelf_joined (book_id)",
    ):
        db.execute_sql(statement)
