"""The library table's sort keys by progress and by last read, which a KOReader push leaves
behind (`pushed_keys_schema` says why it does not write them), and how they are read exactly
all the same.

The books whose keys may be behind are those changed or pushed after the mark `sort_key_fold`
holds (`BEHIND_BOOKS`). A reader of an order by either key reads those books' keys afresh
(`FRESH`) and the others' from their index, in one statement (`table_window`), so the order is
exact whenever it is read, and reading never writes: a window ordering its table never waits
for another program that holds the library's write lock. The last-read dates the table shows
of the books pushed since are read from their pushes (`last_read_now`).

`fold_steps` brings the keys behind up to date and moves the mark, a transaction a step, so
the books read afresh stay few: the app's checkpointer runs it once the library has been quiet
for a moment, and at least once a minute while pushes never pause (`store.checkpoint`). A key
that already holds its value is not written again. A bulk write that writes its books' keys
whole moves the mark itself when no other book is behind (`CAUGHT_UP_WITH`), so an import
leaves nothing to catch up.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.pushed_keys_schema import PROGRESS
from bookorbit_desktop.library.store.pushed_keys_schema import READ as _READ
from bookorbit_desktop.library.store.sql import in_list

# Log entries (of each log) brought up to date by one step (one transaction), so a push
# waiting for the write lock waits a few milliseconds at most.
FOLD_STEP = 250

# Each key's value worked out afresh, on the book `book_sort_key.book_id`.
FRESH = {"progress": PROGRESS, "last_read": _READ}
# The books whose keys may be behind: those changed or pushed after the mark.
BEHIND_BOOKS = (
    "SELECT book_id FROM book_change WHERE seq > (SELECT change_seq FROM sort_key_fold) UNION"
    " SELECT book_id FROM progress_event WHERE id > (SELECT event_id FROM sort_key_fold)"
    " AND book_id IS NOT NULL"
)
_CHANGED = (
    "SELECT book_id FROM book_change WHERE seq > ?1 AND seq <= ?2 UNION"
    " SELECT book_id FROM progress_event WHERE id > ?3 AND id <= ?4 AND book_id IS NOT NULL"
)
_FOLD = (
    f"UPDATE book_sort_key SET progress = {PROGRESS}, last_read = {_READ}"
    f" WHERE book_id IN ({_CHANGED}) AND (progress IS NOT {PROGRESS} OR last_read IS NOT {_READ})"
)
_MARK = "SELECT change_seq, event_id FROM sort_key_fold"
# Whether any book's keys may be behind (two lookups, whatever the number of books behind).
IS_BEHIND = (
    "SELECT (SELECT IFNULL(MAX(seq), 0) FROM book_change) > change_seq"
    " OR (SELECT IFNULL(MAX(id), 0) FROM progress_event) > event_id FROM sort_key_fold"
)
# The newest entry of each log: another writer's change or push moves it, a catch-up does not.
NEWEST = (
    "SELECT (SELECT IFNULL(MAX(seq), 0) FROM book_change),"
    " (SELECT IFNULL(MAX(id), 0) FROM progress_event)"
)
# The number `step` entries after `after` in a log (the log's last, when it has fewer).
_BOUND = "SELECT max(n) FROM (SELECT {n} AS n FROM {log} WHERE {n} > ? ORDER BY {n} LIMIT ?)"
# Moves the mark to the newest entries when every book changed or pushed after it is one of
# `{books}` (a SELECT of book ids) whose keys the same transaction has just written whole: a
# bulk write (`index_batch`) leaves no book behind, and the books it wrote are not read afresh
# nor gone through again by the next catch-up. It looks at the entries after the mark only,
# and stops at the first of another book.
CAUGHT_UP_WITH = (
    "UPDATE sort_key_fold SET change_seq = (SELECT IFNULL(MAX(seq), 0) FROM book_change),"
    " event_id = (SELECT IFNULL(MAX(id), 0) FROM progress_event) WHERE NOT EXISTS"
    " (SELECT 1 FROM book_change WHERE seq > sort_key_fold.change_seq"
    " AND book_id NOT IN ({books})) AND NOT EXISTS (SELECT 1 FROM progress_event"
    " WHERE id > sort_key_fold.event_id AND book_id NOT IN ({books}))"
)
# The books pushed after the mark, with the time of each one's newest push (`FRESH`'s rule).
_PENDING_READ = (
    f"SELECT book_sort_key.book_id, {_READ} FROM book_sort_key WHERE book_id IN"
    " (SELECT book_id FROM progress_event WHERE id > (SELECT event_id FROM sort_key_fold))"
)


def _bound(db: Any, log_name: str, number: str, after: int, step: int) -> int:
    found = db.execute_sql(_BOUND.format(n=number, log=log_name), (after, step)).fetchone()[0]
    return after if found is None else int(found)


def fold_steps(
    db: Any = database,
    *,
    step: int = FOLD_STEP,
    gate: AbstractContextManager[Any] | None = None,
) -> Iterator[int]:
    """Bring the keys up to date, `step` entries of each log per transaction (each inside
    `gate`, when given), oldest first; yield how many books' keys each step wrote. A caller
    that stops between steps leaves the rest for the next time."""
    while db.execute_sql(IS_BEHIND).fetchone()[0]:  # a read: no write lock when up to date
        with gate or nullcontext(), db.atomic("IMMEDIATE"):
            change_seq, event_id = db.execute_sql(_MARK).fetchone()
            change_to = _bound(db, "book_change", "seq", change_seq, step)
            event_to = _bound(db, "progress_event", "id", event_id, step)
            if (change_to, event_to) == (change_seq, event_id):
                return
            written = db.execute_sql(_FOLD, (change_seq, change_to, event_id, event_to)).rowcount
            db.execute_sql(
                "UPDATE sort_key_fold SET change_seq = ?, event_id = ?", (change_to, event_to)
            )
        yield written


def last_read_now(wanted: Sequence[int] | None = None) -> dict[int, int]:
    """book id -> the time of its newest push, as the pushes give it now: of the `wanted`
    books (each looked up: a page of the table), or, with None, of the books pushed since the
    keys were last brought up to date (every other book's stored key is current)."""
    if wanted is None:
        return dict(database.execute_sql(_PENDING_READ).fetchall())
    return dict(
        database.execute_sql(
            f"SELECT book_sort_key.book_id, {_READ} FROM book_sort_key"
            f" WHERE {in_list('book_id', wanted)}",
            tuple(wanted),
        ).fetchall()
    )
