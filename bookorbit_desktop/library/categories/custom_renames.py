"""Renaming a custom column's value for every book that has it, as one undoable step of the
change journal (a book's custom values are journaled with its other fields, so undo gives each
book back exactly what it had). A new name that another value already has (case and accents
aside, as the search folds them) merges the two into that one, spelled as the library spells
it; the same name in another case respells it. A fixed list's value is renamed only to
another of the list's values; a tag-like column's value is one of a book's values, the others
kept in their places (a book with both of a merge's values keeps one). The books are those the
browser counts: not the ones waiting in the Inbox.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.library.categories.renames import renaming
from bookorbit_desktop.library.custom import series, store
from bookorbit_desktop.library.custom.kinds import Column, parse
from bookorbit_desktop.library.journal.record import recording
from bookorbit_desktop.library.search.fold import SQL_FOLD, fold
from bookorbit_desktop.library.store.models import Book, database
from bookorbit_desktop.library.store.sql import outside_inbox

RENAMED = ("enumeration", "text", "series")  # the kinds whose values can be renamed
_ONE = f"FROM custom_value cv WHERE cv.column_id = ? AND cv.key = {SQL_FOLD}(?)"
_EACH = f"FROM custom_item cv WHERE cv.column_id = ? AND cv.key = {SQL_FOLD}(?)"
# A series' books whatever their numbers: the name their keys begin with (`custom.series`).
_NAMED = series.name_of_key("cv.key")
_SERIES = f"FROM custom_value cv WHERE cv.column_id = ? AND {_NAMED} = {SQL_FOLD}(?)"


def _query(column: Column, what: str) -> str:
    where = _EACH if column.multiple else _SERIES if column.kind == "series" else _ONE
    return f"SELECT {what} {where} AND {outside_inbox('cv.book_id')}"


def checked(column: Column, text: str) -> str:
    """The value `text` stands for (white space made single; a fixed list's own, as the list
    spells it); InvalidValueError saying why when it is none."""
    name = " ".join(text.split())
    if not name:
        raise InvalidValueError(f"A value of {column.name} needs a name. Type one.")
    if column.multiple and "," in name:
        raise InvalidValueError(
            f"“{name}” names several values of {column.name} (commas separate them)."
        )
    if column.kind == "series" and series.parts(name)[1] is not None:
        raise InvalidValueError(
            f"“{name}” holds a book's number: a series is renamed by its name alone, each of"
            " its books keeps its number."
        )
    return str(parse(column, name)) if column.kind == "enumeration" else name


def books_of(column: Column, name: str) -> list[int]:
    """The books whose value (one of their values) is `name`, case and accents aside."""
    query = _query(column, "cv.book_id") + " ORDER BY cv.book_id"
    return [book_id for (book_id,) in database.execute_sql(query, (column.id, name))]


def existing(column: Column, name: str) -> str | None:
    """The value `name` stands for as the library spells it (None: no book has it)."""
    what = "cv.value" if column.multiple else "json_extract(cv.value, '$')"
    row = database.execute_sql(_query(column, what) + " LIMIT 1", (column.id, name)).fetchone()
    if row is None:
        return None
    return series.parts(str(row[0]))[0] if column.kind == "series" else str(row[0])


def merges_into(column: Column, old: str, new: str) -> str | None:
    """The other value that renaming `old` to `new` merges it into (None: a plain rename);
    InvalidValueError when `new` is no value of the column."""
    found = existing(column, checked(column, new))
    return None if found is None or fold(found) == fold(old) else found


def _renamed(column: Column, value: Any, old: str, target: str) -> Any:
    """A book's value with `old` (case and accents aside) made `target` (a series' number
    kept)."""
    if column.kind == "series":
        return series.value(target, series.parts(str(value))[1])
    if not column.multiple:
        return target
    kept: dict[str, str] = {}
    for item in value:
        renamed = target if fold(str(item)) == fold(old) else item
        kept.setdefault(fold(str(renamed)), renamed)
    return list(kept.values())


def rename(
    column: Column, old: str, new: str, paths: Paths, *, clock: Callable[[], float] = time.time
) -> int:
    """Give every book of `old` the value `new` instead (the existing one it merges into, if
    any) as one step; the number of books changed. NotFoundError when no book has `old`."""
    with database.atomic("IMMEDIATE"):
        book_ids = books_of(column, old)
        plan = renaming(
            column.name,
            old,
            book_ids,
            lambda: merges_into(column, old, new),
            lambda: checked(column, new),
        )
        if plan is None:
            return 0
        target, label = plan
        now = clock()
        with recording(label, book_ids, paths=paths, covers=False, clock=clock):
            values = store.book_values(book_ids)
            for book_id in book_ids:
                value = values[book_id].get(column.id)
                store.write(book_id, column.id, _renamed(column, value, old, target))
            Book.update(updated_at=now).where(Book.id.in_(book_ids)).execute()
    return len(book_ids)
