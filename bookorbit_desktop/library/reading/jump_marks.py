"""The jump-back guard's reads and writes: a push's furthest reference position, and the mark
kept beside a push the guard judged a jump back (`jump_back` holds the rule).

A push is judged in full only when it may be a jump back (`jump_back.may_jump`, from the
book's progress the push path has read already), so the usual push reads nothing more.
"""

from __future__ import annotations

from bookorbit_desktop.library.reading import rows
from bookorbit_desktop.library.reading.device_positions import RESET_SQL
from bookorbit_desktop.library.reading.jump_back import (
    Furthest,
    JumpBack,
    judge,
    may_jump,
    recent_since,
)
from bookorbit_desktop.library.store.models import database

# The furthest position of a document since its last reset, pushed at or after a time: the
# (document, id) index gives the document's events after the reset.
_FURTHEST = (
    "SELECT id, percentage, timestamp FROM progress_event WHERE document = ?1 AND id >"
    f" (SELECT IFNULL(MAX(id), 0) FROM progress_event WHERE document = ?1 AND {RESET_SQL})"
    " AND timestamp >= ?2 ORDER BY percentage DESC, id DESC LIMIT 1"
)


_MARK = "INSERT INTO jumped_back (event_id, from_event_id, from_percentage) VALUES (?, ?, ?)"


def furthest(document: str, since: int) -> Furthest | None:
    row = database.connection().execute(_FURTHEST, (document, since)).fetchone()
    return None if row is None else Furthest(int(row[0]), float(row[1]), int(row[2]))


def jump_of(
    document: str, pushed: float, stored: rows.ReadingRow | None, timestamp: int
) -> JumpBack | None:
    """The jump back a push of `document` at `pushed` is, for a book whose reading row is
    `stored` (None: it is none)."""
    status, held = (stored.status, stored.progress) if stored is not None else ("unread", 0.0)
    if not may_jump(pushed, status, held):
        return None
    found = furthest(document, recent_since(timestamp))
    return judge(pushed, status, held, found, timestamp)


def insert_jumped(values: rows.EventValues, jump: JumpBack) -> None:
    """Append a pushed event the guard judged a jump back, with its mark."""
    connection = database.connection()
    event_id = connection.execute(rows.INSERT_EVENT, values).lastrowid
    connection.execute(_MARK, (event_id, jump.from_event_id, jump.from_percentage))
