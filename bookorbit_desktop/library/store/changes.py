"""Which books changed since a reader last looked: the `book_change` log.

Triggers (migrations `_v8_change_log` and `_v9_change_log_appends`) append a numbered entry
for every change to a book's row, its authors, files, reading state or Hardcover match, whoever
makes it: this app, its server's threads, the command line or another tool. A reader remembers
the highest number it saw and later asks only for the books changed after it, instead of
reading and comparing the whole library.

Appending is what keeps a KOReader push cheap; `compact` keeps the log short. It removes only
entries that a later entry of the same book supersedes, so every book keeps its latest number
and `changed_since` answers the same before and after, for any number a reader holds.
"""

from __future__ import annotations

from typing import Any

from bookorbit_desktop.library.store.models import database

# The log is compacted once it holds this many entries more than the books it names (the
# books removed keep their last entry, so a reader learns they went).
SLACK_ENTRIES = 20_000


def last_change(db: Any = database) -> int:
    """The number of the latest change (0 before any)."""
    return int(db.execute_sql("SELECT IFNULL(MAX(seq), 0) FROM book_change").fetchone()[0])


def changed_since(seq: int, db: Any = database) -> set[int]:
    """The ids of the books changed (added, edited or removed) after change number `seq`."""
    rows = db.execute_sql("SELECT book_id FROM book_change WHERE seq > ?", (seq,))
    return {book_id for (book_id,) in rows}


def compact(db: Any = database, *, slack: int | None = None) -> int:
    """When the log holds more than `slack` (`SLACK_ENTRIES`) entries beyond one per book it
    names, keep only each book's latest entry; return how many entries went."""
    slack = SLACK_ENTRIES if slack is None else slack
    entries, books = db.execute_sql(
        "SELECT COUNT(*), COUNT(DISTINCT book_id) FROM book_change"
    ).fetchone()
    if entries <= books + slack:
        return 0
    with db.atomic():
        cursor = db.execute_sql(
            "DELETE FROM book_change WHERE seq NOT IN"
            " (SELECT MAX(seq) FROM book_change GROUP BY book_id)"
        )
    return int(cursor.rowcount)
