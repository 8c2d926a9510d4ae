"""The library table's sort keys by progress and by last read, brought up to date with the
KOReader pushes stored since they last were (`pushed_keys_schema` says why a push does not write
them itself).

`fold_steps` brings the keys of the books changed or pushed after the mark `sort_key_fold`
holds up to date and moves the mark, a transaction a step: the app's checkpointer runs it once
the library has been quiet for a moment (`store.checkpoint`), and `bring_up_to_date` runs it
before the table is ordered by either key, so an order is read from keys that are current. A
key that already holds its value is not written again (a library's import changes every book,
and no book's progress). Until then, the last-read dates the table shows of the books pushed
meanwhile are read from their pushes (`last_read_pending`).
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from peewee import DatabaseError

from bookorbit_desktop.library.store.column_keys_schema import _LAST_READ
from bookorbit_desktop.library.store.models import database

log = logging.getLogger(__name__)

# Log entries (of each log) brought up to date by one step (one transaction): about 7 ms of
# holding the write lock in a library of 250,000 books, 15 at most.
FOLD_STEP = 1_000

# A book's progress key: its reading progress, 0 without a reading state.
PROGRESS = (
    "coalesce((SELECT r.progress FROM reading_state r WHERE r.book_id = book_sort_key.book_id),"
    " 0.0)"
)
_READ = _LAST_READ.partition(" = ")[2]  # the rule of `column_keys_schema`, the one place
_CHANGED = (
    "SELECT book_id FROM book_change WHERE seq > ?1 AND seq <= ?2 UNION"
    " SELECT book_id FROM progress_event WHERE id > ?3 AND id <= ?4 AND book_id IS NOT NULL"
)
_FOLD = (
    f"UPDATE book_sort_key SET progress = {PROGRESS}, last_read = {_READ}"
    f" WHERE book_id IN ({_CHANGED}) AND (progress IS NOT {PROGRESS} OR last_read IS NOT {_READ})"
)
_MARK = "SELECT change_seq, event_id FROM sort_key_fold"
_BEHIND = (
    "SELECT (SELECT IFNULL(MAX(seq), 0) FROM book_change) > change_seq"
    " OR (SELECT IFNULL(MAX(id), 0) FROM progress_event) > event_id FROM sort_key_fold"
)
# The number `step` entries after `after` in a log (the log's last, when it has fewer).
_BOUND = "SELECT max(n) FROM (SELECT {n} AS n FROM {log} WHERE {n} > ? ORDER BY {n} LIMIT ?)"
# The books pushed after the mark, with the time of each one's newest push.
_PENDING_READ = (
    "SELECT p.book_id, (SELECT e.timestamp FROM progress_event e WHERE e.book_id = p.book_id"
    " ORDER BY e.id DESC LIMIT 1) FROM (SELECT DISTINCT book_id FROM progress_event"
    " WHERE id > (SELECT event_id FROM sort_key_fold) AND book_id IS NOT NULL) AS p"
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
    while db.execute_sql(_BEHIND).fetchone()[0]:  # a read: no write lock when up to date
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


def bring_up_to_date(gate: AbstractContextManager[Any] | None = None) -> None:
    """Bring the keys up to date before an order by either is read. A library that cannot be
    written now (another program holds it, the disk is full) is ordered by the keys as they
    are: the order of the books pushed since is behind until the next time."""
    try:
        for _written in fold_steps(gate=gate):
            pass
    except (sqlite3.Error, DatabaseError) as error:
        log.info("Could not bring the sort by progress and last read up to date: %s", error)


def last_read_pending(wanted: Sequence[int] | None = None) -> dict[int, int]:
    """book id -> the time of its newest push, for the books pushed since the keys were last
    brought up to date (of the `wanted` ones; None: of every book)."""
    rows = database.execute_sql(_PENDING_READ).fetchall()
    if wanted is None:
        return dict(rows)
    among = set(wanted)
    return {book_id: read for book_id, read in rows if book_id in among}
