"""The search index and the sort keys of a bulk write, kept once per transaction: `open_batch`
after the transaction begins, `close_batch` just before it commits (see `index_batch_schema`).

Inside an open batch the triggers only note which books the writes touched; `close_batch`
refreshes those books' rows with the statements the triggers run to write one book's rows
whole (the one rule of what a book's rows hold: `search_index`, and `column_keys_schema` for
every sort key, the authors' sort texts and the optional columns' keys included), a statement
each for the whole batch, and closes the batch. Call both on the transaction's connection,
inside it: a batch left open past a commit would leave the next writes unindexed, and one
rolled back is gone with the rows it noted. A later schema that writes a book's rows another
way (a new key, a new rule) is the one `_REFRESH` takes its statements from.
"""

from __future__ import annotations

import sqlite3

from bookorbit_desktop.library.search.fold import interrupts_put_off
from bookorbit_desktop.library.store import column_keys_schema, search_index
from bookorbit_desktop.library.store.models import database


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


_NOTED = "SELECT book_id FROM index_batch"
_REFRESH = (
    *statements(search_index._refresh(_NOTED)),
    *statements(column_keys_schema._book_row(_NOTED)),
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
