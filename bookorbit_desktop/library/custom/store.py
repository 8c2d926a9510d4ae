"""The custom columns and their values in the library database (`store.calibre_schema`; each
value's sort key kept by `store.custom_keys_schema`'s triggers)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.custom import series
from bookorbit_desktop.library.custom.kinds import Column
from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.models import database

_COLUMNS = "SELECT id, label, name, kind, multiple, choices FROM custom_column"


def _column(row: tuple[Any, ...]) -> Column:
    column_id, label, name, kind, multiple, choices = row
    return Column(int(column_id), label, name, kind, bool(multiple), tuple(json.loads(choices)))


def columns() -> list[Column]:
    """Every custom column, by name."""
    rows = database.execute_sql(f"{_COLUMNS} ORDER BY name COLLATE NOCASE, id").fetchall()
    return [_column(row) for row in rows]


def column(column_id: int) -> Column | None:
    row = database.execute_sql(f"{_COLUMNS} WHERE id = ?", (column_id,)).fetchone()
    return None if row is None else _column(row)


def by_label(label: str) -> Column | None:
    """The column searched as `#label` (case aside)."""
    row = database.execute_sql(
        f"{_COLUMNS} WHERE lower(label) = ?", (label.lower().lstrip("#"),)
    ).fetchone()
    return None if row is None else _column(row)


def named(name: str) -> Column:
    """The column a user names, by its label (with or without `#`) or its heading."""
    found = by_label(name)
    if found is None:
        found = next((c for c in columns() if c.name.lower() == name.strip().lower()), None)
    if found is None:
        raise NotFoundError(
            f"There is no custom column '{name}'. List them with `bookorbit-desktop books columns`."
        )
    return found


def label_for(name: str) -> str:
    """The label a new column named `name` is searched by: its letters and digits, lower case,
    words joined by "_" (calibre's rule: it begins with a letter)."""
    label = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")
    if not label or not label[0].isalpha():
        raise InvalidValueError(
            f"“{name}” cannot name a column: its name must begin with a letter (a to z)."
        )
    return label


def insert(column: Column | None, **values: Any) -> int:
    """Add a column (under `column`'s id when given, else a new one); return its id."""
    fields = {**asdict(column), **values} if column is not None else values
    if "choices" in fields:
        fields["choices"] = json.dumps(list(fields["choices"]), ensure_ascii=False)
    if "multiple" in fields:
        fields["multiple"] = int(fields["multiple"])
    names = list(fields)
    database.execute_sql(
        f"INSERT INTO custom_column ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
        [fields[name] for name in names],
    )
    return int(database.execute_sql("SELECT last_insert_rowid()").fetchone()[0])


def as_dict(column: Column) -> dict[str, Any]:
    """The column as a JSON object (the journal keeps it so; `--json` shows it)."""
    row = asdict(column)
    row["choices"] = list(column.choices)
    return row


def from_dict(row: dict[str, Any]) -> Column:
    return Column(
        int(row["id"]),
        row["label"],
        row["name"],
        row["kind"],
        bool(row["multiple"]),
        tuple(row["choices"]),
    )


def label_taken(label: str, besides: int | None = None) -> bool:
    row = database.execute_sql(
        "SELECT 1 FROM custom_column WHERE lower(label) = ? AND id IS NOT ?",
        (label.lower(), besides),
    ).fetchone()
    return row is not None


def rename(column_id: int, label: str, name: str) -> None:
    database.execute_sql(
        "UPDATE custom_column SET label = ?, name = ? WHERE id = ?", (label, name, column_id)
    )


def delete(column_id: int) -> None:
    database.execute_sql("DELETE FROM custom_column WHERE id = ?", (column_id,))


def column_values(column_id: int) -> dict[int, Any]:
    """Every book's value in the column."""
    rows = database.execute_sql(
        "SELECT book_id, value FROM custom_value WHERE column_id = ?", (column_id,)
    )
    return {int(book_id): json.loads(value) for book_id, value in rows}


def series_names(column_id: int) -> list[str]:
    """The series a series column holds, each once (case and accents aside), by name: one
    value of each, read in the order of the column's keys (`series.key_sql`)."""
    rows = database.execute_sql(
        "SELECT json_extract(value, '$') FROM custom_value WHERE column_id = ?"
        f" GROUP BY {series.name_of_key('key')}",
        (column_id,),
    )
    return [series.parts(str(text))[0] for (text,) in rows]


def count_values(column_id: int) -> int:
    sql = "SELECT count(*) FROM custom_value WHERE column_id = ?"
    return int(database.execute_sql(sql, (column_id,)).fetchone()[0])


def book_values(book_ids: Iterable[int]) -> dict[int, dict[int, Any]]:
    """Each book's values, by column id (a book without one has none here)."""
    ids = list(book_ids)
    found: dict[int, dict[int, Any]] = {book_id: {} for book_id in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = database.execute_sql(
            "SELECT book_id, column_id, value FROM custom_value"
            f" WHERE book_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for book_id, column_id, value in rows:
            found[int(book_id)][int(column_id)] = json.loads(value)
    return found


def write(book_id: int, column_id: int, value: Any) -> None:
    """The book's value in the column (None: none); a column or book deleted meanwhile takes
    none."""
    if value is None or value == []:
        database.execute_sql(
            "DELETE FROM custom_value WHERE column_id = ? AND book_id = ?", (column_id, book_id)
        )
        return
    database.execute_sql(
        "INSERT INTO custom_value (column_id, book_id, value)"
        " SELECT c.id, ?, ? FROM custom_column c WHERE c.id = ?"
        " AND EXISTS (SELECT 1 FROM book b WHERE b.id = ?)"
        " ON CONFLICT (column_id, book_id) DO UPDATE SET value = excluded.value",
        (book_id, json.dumps(value, ensure_ascii=False), column_id, book_id),
    )
