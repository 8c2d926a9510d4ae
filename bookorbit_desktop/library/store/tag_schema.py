"""Schema: the user's tags, `tag` and `book_tag` (kept in a module of its own so `migrations`
stays within the module size, and free of the ORM; frozen like every shipped migration).
`library.store.tag_tables` holds their models; `library.tags` reads and writes them.

A tag's name is unique without regard to case ("Sci-Fi" and "sci-fi" are one tag); a book
carries a tag at most once. Removing a book or a tag removes its links. The catalog counts a
tag's listed books from the links by tag alone: `book_file_present` answers whether a book has
a file present without reading the file's row (a tenth of the time with 250,000 books).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def tag_tables(db: SqliteDatabase) -> None:
    """Schema: the `tag` and `book_tag` tables."""
    for statement in (
        """CREATE TABLE tag (
            id INTEGER NOT NULL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE)""",
        """CREATE TABLE book_tag (
            book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,
            tag_id INTEGER NOT NULL REFERENCES tag (id) ON DELETE CASCADE,
            PRIMARY KEY (book_id, tag_id))""",
        "CREATE INDEX book_tag_tag ON book_tag (tag_id, book_id)",
        "CREATE INDEX book_file_present ON book_file (book_id, missing)",
    ):
        db.execute_sql(statement)
