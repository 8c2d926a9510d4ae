"""What a calibre library brought in, kept (`store.calibre_schema`): each calibre book's
`last_modified` when it was brought, and the values of calibre's custom columns."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from bookorbit_desktop.library.importer.calibre.reader import CustomColumn
from bookorbit_desktop.library.store.models import database


def brought(library: str) -> dict[int, tuple[int, str]]:
    """calibre's book id -> (the book it became, its `last_modified` when brought)."""
    rows = database.execute_sql(
        "SELECT calibre_id, book_id, last_modified FROM calibre_link WHERE library = ?",
        (library,),
    )
    return {calibre_id: (book_id, modified) for calibre_id, book_id, modified in rows}


def keep(library: str, calibre_id: int, book_id: int, last_modified: str) -> None:
    database.execute_sql(
        "INSERT OR REPLACE INTO calibre_link (library, calibre_id, book_id, last_modified)"
        " VALUES (?, ?, ?, ?)",
        (library, calibre_id, book_id, last_modified),
    )


def keep_custom(
    book_id: int, columns: Sequence[CustomColumn], values: Mapping[str, object]
) -> None:
    """The book's values in calibre's custom columns (a column new here is added)."""
    for column in columns:
        database.execute_sql(
            "INSERT INTO custom_column (label, name, kind, multiple, choices)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (label) DO NOTHING",
            (
                column.label,
                column.name,
                column.kind,
                int(column.multiple),
                json.dumps(list(column.choices)),
            ),
        )
        (column_id,) = database.execute_sql(
            "SELECT id FROM custom_column WHERE label = ?", (column.label,)
        ).fetchone()
        value = values.get(column.label)
        if value is None:
            database.execute_sql(
                "DELETE FROM custom_value WHERE column_id = ? AND book_id = ?",
                (column_id, book_id),
            )
        else:
            database.execute_sql(
                "INSERT OR REPLACE INTO custom_value (column_id, book_id, value) VALUES (?, ?, ?)",
                (column_id, book_id, json.dumps(value)),
            )


def custom_values(book_id: int) -> dict[str, object]:
    """The book's custom columns' values, by label."""
    rows = database.execute_sql(
        "SELECT c.label, v.value FROM custom_value v JOIN custom_column c ON c.id = v.column_id"
        " WHERE v.book_id = ?",
        (book_id,),
    )
    return {label: json.loads(value) for label, value in rows}
