"""The rows a push or a pull touches, read and written with plain SQL.

Every push and pull runs these statements (in the server's database threads, off the event
loop: pushes on the writer thread, batched by its group commit), so they are kept to fixed SQL
text with parameters: building the same queries through the ORM for every request costs
several times more than SQLite itself. The tables are the models' (`store/models.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.library.store.models import database
from bookorbit_desktop.library.store.sql import in_list

# A position the library wrote to make an earlier one current again (`position_restore`);
# `RESTORE_ID:<id>` when it serves a device's own position again (an undone restore): a pull
# answers that one with the device's own id, so the device sees its own place, not another's.
RESTORE_ID = "bookorbit-restore"


@dataclass(frozen=True)
class Position:
    """One stored push of a document (the newest one is what a pull answers)."""

    document: str
    percentage: float
    progress: str
    device: str
    device_id: str | None
    timestamp: int


@dataclass(frozen=True)
class ReadingRow:
    status: str
    progress: float
    koreader_progress: str | None
    started: str | None
    finished: str | None
    started_source: str | None = None  # where each date came from (`sources`)
    finished_source: str | None = None


def _one(sql: str, params: tuple[Any, ...]) -> Any:
    """The first row of a statement's result, or None."""
    return database.execute_sql(sql, params).fetchone()


def aliases(document: str) -> list[tuple[int, str]]:
    """(book_id, kind) of every alias of `document`."""
    return database.execute_sql(
        "SELECT book_id, kind FROM document_alias WHERE document = ?", (document,)
    ).fetchall()


def newest_event_book(document: str) -> tuple[int | None] | None:
    """(book_id,) of the document's newest event, or None when it was never pushed."""
    return _one(
        "SELECT book_id FROM progress_event WHERE document = ? ORDER BY id DESC LIMIT 1",
        (document,),
    )


def served_again(device_id: str | None) -> str:
    """The id under which the library serves a position again: the device's own, marked."""
    return RESTORE_ID if device_id is None else f"{RESTORE_ID}:{device_id}"


def served_id(device_id: str | None) -> str | None:
    """The device id a pull answers: a position served again answers with the device's own."""
    if device_id is not None and device_id.startswith(RESTORE_ID + ":"):
        return device_id[len(RESTORE_ID) + 1 :]
    return device_id


def newest_event(document: str) -> Position | None:
    row = _one(
        "SELECT percentage, progress, device, device_id, timestamp FROM progress_event"
        " WHERE document = ? ORDER BY id DESC LIMIT 1",
        (document,),
    )
    if row is None:
        return None
    percentage, progress, device, device_id, timestamp = row
    return Position(document, percentage, progress, device, served_id(device_id), int(timestamp))


# (document, book_id, device, device_id, percentage, progress, timestamp, meta_title,
# meta_authors, meta_filename): one pushed event as `insert_events` stores it.
EventValues = tuple[
    str, int | None, str, str | None, float, str, int, str | None, str | None, str | None
]


INSERT_EVENT = (
    "INSERT INTO progress_event (document, book_id, device, device_id, percentage, progress,"
    " timestamp, meta_title, meta_authors, meta_filename) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def insert_events(values: Sequence[EventValues]) -> None:
    """Append pushed events, in order, in one statement."""
    database.connection().executemany(INSERT_EVENT, values)


def latest_metadata(document: str) -> tuple[str | None, str | None, str | None]:
    """The newest metadata any push sent for `document` (a push without it clears nothing)."""
    row = _one(
        "SELECT meta_title, meta_authors, meta_filename FROM progress_event WHERE document = ?"
        " AND (meta_title IS NOT NULL OR meta_authors IS NOT NULL OR meta_filename IS NOT NULL)"
        " ORDER BY id DESC LIMIT 1",
        (document,),
    )
    return (row[0], row[1], row[2]) if row is not None else (None, None, None)


def reading_row(book_id: int) -> ReadingRow | None:
    row = _one(
        f"SELECT {_COLUMNS} FROM reading_state WHERE book_id = ?",
        (book_id,),
    )
    return None if row is None else _row(row)


def reading_rows(book_ids: Sequence[int]) -> dict[int, ReadingRow | None]:
    """`reading_row` of several books in one query (None for a book without one)."""
    found: dict[int, ReadingRow | None] = dict.fromkeys(book_ids)
    for book_id, *row in database.execute_sql(
        f"SELECT book_id, {_COLUMNS} FROM reading_state WHERE {in_list('book_id', found)}",
        tuple(found),
    ):
        found[book_id] = _row(row)
    return found


def _row(row: Sequence[Any]) -> ReadingRow:
    return ReadingRow(row[0], row[1] or 0.0, row[2], row[3], row[4], row[5], row[6])


_COLUMNS = "status, progress, koreader_progress, started, finished, started_source, finished_source"
_UPDATE_READING = (
    "UPDATE reading_state SET status = ?, progress = ?, koreader_progress = ?, started = ?,"
    " finished = ?, started_source = ?, finished_source = ?,"
    " updated_at = COALESCE(?, updated_at) WHERE book_id = ?"
)
_INSERT_READING = (
    f"INSERT INTO reading_state (book_id, {_COLUMNS}, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def _values(row: ReadingRow) -> tuple[object, ...]:
    return (
        row.status,
        row.progress,
        row.koreader_progress,
        row.started,
        row.finished,
        row.started_source,
        row.finished_source,
    )


def write_reading_rows(writes: dict[int, tuple[ReadingRow, float | None, bool]]) -> None:
    """Write several books' rows: book -> (row, updated_at or None to keep it, whether the
    book has a row already)."""
    connection = database.connection()
    updates = [
        (*_values(row), updated_at, book_id)
        for book_id, (row, updated_at, exists) in writes.items()
        if exists
    ]
    inserts = [
        (book_id, *_values(row), updated_at or 0.0)
        for book_id, (row, updated_at, exists) in writes.items()
        if not exists
    ]
    if updates:
        connection.executemany(_UPDATE_READING, updates)
    if inserts:
        connection.executemany(_INSERT_READING, inserts)


def write_reading_row(book_id: int, row: ReadingRow, updated_at: float | None) -> None:
    """Insert or update the book's reading state; `updated_at` None keeps the stored one."""
    cursor = database.execute_sql(_UPDATE_READING, (*_values(row), updated_at, book_id))
    if cursor.rowcount == 0:
        database.execute_sql(_INSERT_READING, (book_id, *_values(row), updated_at or 0.0))
