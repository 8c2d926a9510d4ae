"""The search index and the sort keys of a bulk write, kept once per transaction: `open_batch`
after the transaction begins, `close_batch` just before it commits (see `index_batch_schema`).

Inside an open batch the triggers only note which books the writes touched; `close_batch`
refreshes those books' rows with the statements the triggers run for one book (the one rule of
what a book's rows hold, `search_index` and `sort_keys_schema`), a statement per table for the
whole batch, and closes the batch. Call both on the transaction's connection, inside it: a
batch left open past a commit would leave the next writes unindexed, and one rolled back is gone
with the rows it noted.
"""

from __future__ import annotations

from bookorbit_desktop.library.search.fold import interrupts_put_off
from bookorbit_desktop.library.store import search_index, sort_keys_schema
from bookorbit_desktop.library.store.models import database

_NOTED = "SELECT book_id FROM index_batch"
_REFRESH = (
    search_index._DELETE.format(books=_NOTED),
    search_index._INSERT.format(books=_NOTED),
    sort_keys_schema._DELETE.format(books=_NOTED),
    sort_keys_schema._INSERT.format(books=_NOTED),
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
