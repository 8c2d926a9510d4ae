"""Schema: what a calibre library brought in (`library.importer.calibre`): each calibre book
with the book it became and calibre's `last_modified` then (a second run brings only what
changed since), and calibre's custom columns with their values per book (kept in a module of
its own so `migrations` stays within the module size; frozen like every shipped migration).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def calibre_tables(db: SqliteDatabase) -> None:
    """Schema: the calibre books brought in, the custom columns and their values."""
    for statement in (
        "CREATE TABLE calibre_link (library TEXT NOT NULL, calibre_id INTEGER NOT NULL,"
        " book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,"
        " last_modified TEXT NOT NULL, PRIMARY KEY (library, calibre_id))",
        "CREATE INDEX calibre_link_book ON calibre_link (book_id)",
        # kind: calibre's datatype (text, comments, int, float, rating, datetime, bool,
        # enumeration, series); choices: a fixed list's values, as JSON.
        "CREATE TABLE custom_column (id INTEGER PRIMARY KEY, label TEXT NOT NULL UNIQUE,"
        " name TEXT NOT NULL, kind TEXT NOT NULL, multiple INTEGER NOT NULL DEFAULT 0,"
        " choices TEXT NOT NULL DEFAULT '[]')",
        # value: JSON (a list for a multiple column; ratings in stars, dates ISO).
        "CREATE TABLE custom_value (column_id INTEGER NOT NULL"
        " REFERENCES custom_column (id) ON DELETE CASCADE,"
        " book_id INTEGER NOT NULL REFERENCES book (id) ON DELETE CASCADE,"
        " value TEXT NOT NULL, PRIMARY KEY (column_id, book_id))",
        "CREATE INDEX custom_value_book ON custom_value (book_id)",
    ):
        db.execute_sql(statement)
