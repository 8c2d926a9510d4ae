"""Schema: a tag-like custom column's values one by one, each folded as the search compares it
(`custom_item`, kept by triggers from `custom_value` in the same transaction as every write of
a value, whatever writes it; frozen like every shipped migration).

A book's list is JSON in `custom_value`: counting each value's books read every list of the
column (seconds at 250,000 books). Here a value of a book is a row, once however many cases
the book spells it in (the first spelling kept), so the library browser counts a value's
books from the index of (column, key, book), as the tags' are counted.
"""

from __future__ import annotations

from bookorbit_desktop.library.store.sort_keys_schema import _folded

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def _items(value: str) -> str:
    """The rows of the lists `value` of custom_value `v` (a tag-like column's), a book's value
    once however many cases it is spelled in, as first spelled. (Not `OR IGNORE`: a trigger's
    statement takes the conflict rule of the statement that fired it.)"""
    return (
        "INSERT INTO custom_item (column_id, key, book_id, value) SELECT v.column_id,"
        f" {_folded('j.value')} AS folded, v.book_id, j.value FROM {value} CROSS JOIN"
        " custom_column c ON c.id = v.column_id CROSS JOIN json_each(v.value) j"
        " WHERE c.multiple AND json_type(v.value) = 'array' AND j.value != ''"
        " GROUP BY v.column_id, v.book_id, folded HAVING min(j.key) IS NOT NULL"
    )


def custom_items(db: SqliteDatabase) -> None:
    """Schema: `custom_item`, filled from the values there are, and its triggers."""
    db.execute_sql(
        "CREATE TABLE custom_item (column_id INTEGER NOT NULL, key TEXT NOT NULL,"
        " book_id INTEGER NOT NULL, value TEXT NOT NULL, PRIMARY KEY (column_id, key, book_id),"
        " FOREIGN KEY (column_id, book_id) REFERENCES custom_value (column_id, book_id)"
        " ON DELETE CASCADE ON UPDATE CASCADE) WITHOUT ROWID"
    )
    # The cascade from a value deleted (its column's, its book's) or moved to another book (a
    # merge, and its undo) finds its rows by it.
    db.execute_sql("CREATE INDEX custom_item_book ON custom_item (column_id, book_id)")
    db.execute_sql(_items("custom_value v"))
    new = _items(
        "(SELECT NEW.column_id AS column_id, NEW.book_id AS book_id, NEW.value AS value) v"
    )
    db.execute_sql(
        f"CREATE TRIGGER custom_item_insert AFTER INSERT ON custom_value BEGIN {new}; END"
    )
    db.execute_sql(
        "CREATE TRIGGER custom_item_update AFTER UPDATE OF value ON custom_value BEGIN"
        " DELETE FROM custom_item WHERE column_id = OLD.column_id AND book_id = OLD.book_id;"
        f" {new}; END"
    )
