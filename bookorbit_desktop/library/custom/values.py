"""Setting books' custom values: one book's or many at once, checked first, one step of the
change journal (recorded with the books' other values, so undo takes them back)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.custom import series, store
from bookorbit_desktop.library.custom.kinds import column_of, parse
from bookorbit_desktop.library.journal.record import recording
from bookorbit_desktop.library.journal.rules import books_label
from bookorbit_desktop.library.search.compiler import ALIASES, FIELDS
from bookorbit_desktop.library.search.fold import fold
from bookorbit_desktop.library.store.found import check_found
from bookorbit_desktop.library.store.models import Book, database


def assignments(texts: Sequence[str]) -> dict[str, str]:
    """`#label=value` (or `name=value`; an empty value clears) as the columns' fields
    (`custom:<id>`) -> the text typed; InvalidValueError or NotFoundError for a wrong one."""
    found: dict[str, str] = {}
    for text in texts:
        name, equals, value = text.partition("=")
        name = name.strip()
        if not equals or not name:
            raise InvalidValueError(f"“{text}” is not #name=value.")
        if not name.startswith("#") and name.casefold() in (*FIELDS, *ALIASES):
            raise InvalidValueError(
                f"“{name}” is one of the library's own fields, not a custom column: a custom "
                f"column is named with #, as in #{name}={value}."
            )
        found[store.named(name).key] = value
    return found


def custom_values(typed: Mapping[str, str]) -> dict[int, Any]:
    """The custom columns' texts typed by field (`custom:<id>`), checked: column id -> value
    (InvalidValueError naming the column; NotFoundError for one deleted meanwhile)."""
    found: dict[int, Any] = {}
    for name, text in typed.items():
        column_id = column_of(name)
        column = None if column_id is None else store.column(column_id)
        if column is None:
            raise NotFoundError("A custom column was deleted meanwhile. Open the dialog again.")
        found[column.id] = parse(column, text)
    return found


# Another book's value of the series whose folded name is ?1 (its key that name, or that name
# and a number: `series.key_sql`), read from the index of the column's keys.
_SERIES = (
    "SELECT json_extract(value, '$') FROM custom_value WHERE column_id = ?2"
    " AND (key = ?1 OR (key > ?1 || char(1) AND key < ?1 || char(2)))"
    " AND book_id NOT IN (SELECT value FROM json_each(?3)) LIMIT 1"
)


def _spelled(column_id: int, value: Any, ids: Sequence[int]) -> Any:
    """`value` as written to the books `ids`: a series' name as the library's other books
    spell it (case and accents aside), so that a series has one spelling, as in calibre."""
    column = store.column(column_id)
    if column is None or column.kind != "series" or not isinstance(value, str):
        return value
    name, number = series.parts(value)
    row = database.execute_sql(_SERIES, (fold(name), column_id, json.dumps(list(ids)))).fetchone()
    return value if row is None else series.value(series.parts(str(row[0]))[0], number)


def set_values(
    book_ids: Sequence[int],
    values: Mapping[int, Any],
    paths: Paths | None = None,
    *,
    clock: Callable[[], float] = time.time,
    step: int | None = None,
) -> list[int]:
    """Give every book of `book_ids` the `values` (column id -> checked value, None clears),
    as one step ("Edit “Emma”", "Edit 3 Books"), or as part of `step`; return the ids.
    NotFoundError when a book is missing; nothing is written then."""
    ids = list(dict.fromkeys(book_ids))
    if not ids or not values:
        raise InvalidValueError("Nothing to change. Give at least one book and one value.")
    with database.atomic("IMMEDIATE"):
        found = {book.id: book for book in Book.select().where(Book.id.in_(ids))}
        check_found(ids, found)
        label = books_label("Edit", [found[book_id].title for book_id in ids])
        now = clock()
        values = {column_id: _spelled(column_id, value, ids) for column_id, value in values.items()}
        with recording(label, ids, paths=paths, covers=False, step=step, clock=clock):
            for book_id in ids:
                for column_id, value in values.items():
                    store.write(book_id, column_id, value)
            Book.update(updated_at=now).where(Book.id.in_(ids)).execute()
    return ids
