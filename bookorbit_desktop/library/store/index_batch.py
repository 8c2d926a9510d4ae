"""The search index and the sort keys of a bulk write, kept once per transaction: `open_batch`
after the transaction begins, `close_batch` just before it commits (see `index_batch_schema`).

Inside an open batch the triggers only note which books the writes touched; `close_batch`
refreshes those books' rows, a statement each for the whole batch, and closes the batch. The
search rows are written by the statements the triggers run to write one book's row whole
(`title_length_schema`). The sort keys are written whole in one insert (`_SORT_KEY_ROWS`) made
of the values the triggers write one after the other (the one rule of what a key holds:
`sort_keys_schema`, the authors' sort texts of `author_sort_schema`, the optional columns of
`column_keys_schema`, the progress of `pushed_keys_schema`): the triggers' way wrote each row three
times, and each time every one of the table's indexes. With its books' keys whole, a batch
moves the mark of the keys a push leaves when no other book is behind it (`pushed_keys`).
Call both on the transaction's connection, inside it: a batch left open past a commit would
leave the next writes unindexed, and one rolled back is gone with the rows it noted. A later
schema that writes a book's rows another way (a new key, a new rule) is the one `_REFRESH`
takes its statements from.
"""

from __future__ import annotations

import sqlite3

from bookorbit_desktop.library.search.fold import interrupts_put_off
from bookorbit_desktop.library.store import (
    author_sort_schema,
    column_keys_schema,
    pushed_keys,
    title_length_schema,
)
from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.pushed_keys_schema import PROGRESS
from bookorbit_desktop.library.store.sort_keys_schema import (
    _FORMATS,
    _TITLE,
    _folded,
    _last_if_empty,
)


def statements(script: str) -> tuple[str, ...]:
    """A trigger body's statements one by one (the driver runs one statement a call)."""
    found: list[str] = []
    current = ""
    for part in script.split(";"):
        current += part + ";"
        if current.strip(" ;") and sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return tuple(found)


def _value(assignment: str) -> str:
    """The value a trigger's `column = value` writes into a book's key row, as a value of the
    book `b` (the same subquery, on the book's id)."""
    return assignment.partition(" = ")[2].replace("book_sort_key.book_id", "b.id")


_NOTED = "SELECT book_id FROM index_batch"
_SORT_KEY_ROWS = (
    "INSERT INTO book_sort_key (book_id, sort_title, title, authors, series, series_index,"
    " formats, added, publisher, language, size, last_read, progress) SELECT b.id, b.sort_title,"
    f" {_last_if_empty(_TITLE)}, {_last_if_empty(author_sort_schema._AUTHORS)},"
    f" {_last_if_empty(_folded('b.series'))}, coalesce(b.series_index, 0.0),"
    f" {_last_if_empty(_FORMATS)}, b.added_at, {column_keys_schema._PUBLISHER},"
    f" {column_keys_schema._LANGUAGE}, {_value(column_keys_schema._SIZE)},"
    f" {_value(column_keys_schema._LAST_READ)}, {_value(f'progress = {PROGRESS}')}"
    f" FROM book b WHERE b.id IN ({_NOTED})"
)
_REFRESH = (
    *statements(title_length_schema.refresh(_NOTED)),
    f"DELETE FROM book_sort_key WHERE book_id IN ({_NOTED})",
    _SORT_KEY_ROWS,
    pushed_keys.CAUGHT_UP_WITH.format(books=_NOTED),
    "DELETE FROM index_batch",
)


def open_batch() -> None:
    """From now until `close_batch`, the indexes' triggers note the books written."""
    database.execute_sql("INSERT OR IGNORE INTO index_batch (book_id) VALUES (0)")


def close_batch() -> None:
    """Refresh the search row and sort keys of every book written since `open_batch`, and let
    the triggers keep them row by row again."""
    with interrupts_put_off():  # the refresh calls the fold: Ctrl-C waits until it is done
        for statement in _REFRESH:
            database.execute_sql(statement)
