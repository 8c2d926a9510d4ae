"""What a calibre library brought in, kept (`store.calibre_schema`): each calibre book's
`last_modified` when it was brought, and the values of calibre's custom columns."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence

from bookorbit_desktop.library.importer.calibre.reader import CustomColumn
from bookorbit_desktop.library.store.models import database


def brought(library: str) -> dict[int, tuple[int, str]]:
    """calibre's book id -> (the book it became, its `last_modified` when brought)."""
    rows = database.execute_sql(
        "SELECT calibre_id, book_id, last_modified FROM calibre_link WHERE library = ?",
        (library,),
    )
    return {calibre_id: (book_id, modified) for calibre_id, book_id, modified in rows}


def keep(library: str, books: Iterable[tuple[int, int, str]]) -> None:
    """(calibre's book id, the book it became, its `last_modified`) of each book brought."""
    database.cursor().executemany(
        "INSERT OR REPLACE INTO calibre_link (library, calibre_id, book_id, last_modified)"
        " VALUES (?, ?, ?, ?)",
        [(library, calibre_id, book_id, modified) for calibre_id, book_id, modified in books],
    )


def keep_custom(
    columns: Sequence[CustomColumn], books: Iterable[tuple[int, Mapping[str, object]]]
) -> None:
    """Each book's values in calibre's custom columns, (book, label -> value) (a column new
    here is added)."""
    cursor = database.cursor()
    cursor.executemany(
        "INSERT INTO custom_column (label, name, kind, multiple, choices)"
        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (label) DO NOTHING",
        [(c.label, c.name, c.kind, int(c.multiple), json.dumps(list(c.choices))) for c in columns],
    )
    ids = dict(database.execute_sql("SELECT label, id FROM custom_column").fetchall())
    gone: list[tuple[int, int]] = []
    kept: list[tuple[int, int, str]] = []
    for book_id, values in books:
        for column in columns:
            value = values.get(column.label)
            if value is None:
                gone.append((ids[column.label], book_id))
            else:
                kept.append((ids[column.label], book_id, json.dumps(value)))
    cursor.executemany("DELETE FROM custom_value WHERE column_id = ? AND book_id = ?", gone)
    cursor.executemany(
        "INSERT OR REPLACE INTO custom_value (column_id, book_id, value) VALUES (?, ?, ?)", kept
    )


def custom_values(book_id: int) -> dict[str, object]:
    """The book's custom columns' values, by label."""
    rows = database.execute_sql(
        "SELECT c.label, v.value FROM custom_value v JOIN custom_column c ON c.id = v.column_id"
        " WHERE v.book_id = ?",
        (book_id,),
    )
    return {label: json.loads(value) for label, value in rows}
