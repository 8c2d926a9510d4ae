"""Schema: a series column's sort keys (schema 52; frozen like every shipped migration).

A custom column of calibre's series kind keeps "Dune [2]": its key was the folded text, so the
table put "dune [10]" before "dune [2]" and a search for the series by name found no book of
it. Its key is now the series' folded name with the book's number written to sort
(`custom.series.key_sql`): a series' books follow their numbers, and a search compares the
name the key begins with. The triggers of `custom_keys_schema` are made again with that key for
a series column (every other kind's as before), and the keys of the values there are worked
out again.
"""

from __future__ import annotations

from bookorbit_desktop.library.custom.series import key_sql
from bookorbit_desktop.library.search.fold import register_fold
from bookorbit_desktop.library.store.custom_keys_schema import _key

TYPE_CHECKING = False  # typing's constant, without loading typing on a short command
if TYPE_CHECKING:
    from peewee import SqliteDatabase


def _update(value: str, where: str) -> str:
    text = f"json_extract({value}, '$')"
    key = f"CASE WHEN c.kind = 'series' THEN {key_sql(text)} ELSE {_key(value)} END"
    return (
        f"UPDATE custom_value SET key = (SELECT {key} FROM custom_column c"
        f" WHERE c.id = custom_value.column_id) WHERE {where}"
    )


def series_keys(db: SqliteDatabase) -> None:
    """Schema: the custom values' key triggers with a series' key, and the series' keys."""
    register_fold(db)
    for name, event in (("insert", "INSERT"), ("update", "UPDATE OF value")):
        where = "column_id = NEW.column_id AND book_id = NEW.book_id"
        db.execute_sql(f"DROP TRIGGER custom_value_key_{name}")
        db.execute_sql(
            f"CREATE TRIGGER custom_value_key_{name} AFTER {event} ON custom_value"
            f" BEGIN {_update('NEW.value', where)}; END"
        )
    series = "column_id IN (SELECT id FROM custom_column WHERE kind = 'series')"
    db.execute_sql(_update("custom_value.value", series))
