"""Schema: the custom columns' sort keys, kept in `custom_value.key` (kept in a module of its own
so `migrations` stays within the module size; frozen like every shipped migration).

A value's key is what the table sorts by and what a search compares: a number or a rating as a
number, a date as its ISO text, a yes/no as 1 or 0, any text (a tag-like column's values joined
with ", ") folded as the table folds its own (`bookorbit_fold`, an empty one as an empty BLOB,
after every text). The index of (column_id, key, book_id) makes a sort of any size of library
by one column a walk of it. Triggers keep the key in the same transaction as every write of a
value, whatever writes it (an edit, the calibre import, an undo).
"""

from __future__ import annotations

from bookorbit_desktop.library.store.sort_keys_schema import _folded, _last_if_empty

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase

NUMBER_KINDS = ("int", "float", "rating")


def _key(value: str) -> str:
    """The key of the JSON `value` of a column `c`."""
    text = (
        f"(CASE WHEN json_type({value}) = 'array' THEN (SELECT group_concat(j.value, ', ')"
        f" FROM json_each({value}) j) ELSE CAST(json_extract({value}, '$') AS TEXT) END)"
    )
    kinds = ", ".join(f"'{kind}'" for kind in NUMBER_KINDS)
    return (
        f"(CASE WHEN c.kind IN ({kinds}) THEN CAST(json_extract({value}, '$') AS REAL)"
        f" WHEN c.kind IN ('bool', 'datetime') THEN json_extract({value}, '$')"
        f" ELSE {_last_if_empty(_folded(text))} END)"
    )


def _update(value: str, where: str) -> str:
    return (
        f"UPDATE custom_value SET key = (SELECT {_key(value)} FROM custom_column c"
        f" WHERE c.id = custom_value.column_id) WHERE {where}"
    )


def custom_keys(db: SqliteDatabase) -> None:
    """Schema: `custom_value.key`, its index and triggers."""
    db.execute_sql("ALTER TABLE custom_value ADD COLUMN key")
    db.execute_sql(_update("custom_value.value", "1"))
    db.execute_sql("CREATE INDEX custom_value_key ON custom_value (column_id, key, book_id)")
    for name, event in (("insert", "INSERT"), ("update", "UPDATE OF value")):
        where = "column_id = NEW.column_id AND book_id = NEW.book_id"
        db.execute_sql(
            f"CREATE TRIGGER custom_value_key_{name} AFTER {event} ON custom_value"
            f" BEGIN {_update('NEW.value', where)}; END"
        )
