"""Schema: the indexes that only repeat the first columns of another index on the same table
are dropped (kept in a module of its own so `migrations` stays within the module size; frozen
like every shipped migration).

Each of them was written on every insert of its table (an import writes all three tables for
every book) and answered no query the longer one does not: SQLite looks a value up by the
first column of an index whatever columns follow, and every query that found a row by one of
them finds it by the other.

- `book_author_author_id` (author_id): `book_author_author_id_book_id` (author_id, book_id);
- `book_file_book_id` (book_id): `book_file_present` (book_id, missing);
- `document_alias_document` (document): the unique `document_alias_document_book_id_kind`
  (document, book_id, kind).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

DROPPED = ("book_author_author_id", "book_file_book_id", "document_alias_document")


def lean_indexes(db: SqliteDatabase) -> None:
    """Schema: the indexes another index's first columns repeat, dropped."""
    for index in DROPPED:
        db.execute_sql(f"DROP INDEX {index}")
