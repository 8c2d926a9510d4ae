"""A cap on what exports for books the library does not know may keep.

Anyone on the Wi-Fi may post an export for a title the library has never heard of, and such
highlights wait for the user to pick their book; without a cap a stranger could fill the disk.
So the waiting highlights together keep at most `MAX_HIGHLIGHTS` highlights and `MAX_BYTES`
bytes of text; past either, the oldest received are dropped (`trim`, after every export that
waits). A library book's highlights are never dropped. The Highlights page shows the cap and
what the waiting exports use of it (`usage`).
"""

from __future__ import annotations

from dataclasses import dataclass

from bookorbit_desktop.library.store.models import database

MAX_HIGHLIGHTS = 10_000  # a few long books' worth of highlights waiting to be picked
MAX_BYTES = 8 * 1024 * 1024  # of text, notes and names (what a huge note would fill)

# Each waiting highlight's size, and the running totals of everything received after it.
_SIZES = """
    SELECT id,
        SUM(size) OVER newest AS bytes_from_newest,
        ROW_NUMBER() OVER newest AS count_from_newest
    FROM (
        SELECT id, received_at,
            LENGTH(CAST(text AS BLOB)) + LENGTH(CAST(note AS BLOB))
            + IFNULL(LENGTH(CAST(chapter AS BLOB)), 0) + IFNULL(LENGTH(CAST(page AS BLOB)), 0)
            + IFNULL(LENGTH(CAST(pending_title AS BLOB)), 0)
            + IFNULL(LENGTH(CAST(pending_authors AS BLOB)), 0) AS size
        FROM highlight WHERE book_id IS NULL)
    WINDOW newest AS (ORDER BY received_at DESC, id DESC)
"""


@dataclass(frozen=True)
class Usage:
    highlights: int
    bytes: int
    max_highlights: int = MAX_HIGHLIGHTS
    max_bytes: int = MAX_BYTES


def usage() -> Usage:
    """What the waiting exports keep now, against the cap."""
    cursor = database.execute_sql(
        f"SELECT COUNT(*), IFNULL(MAX(bytes_from_newest), 0) FROM ({_SIZES})"
    )
    count, size = cursor.fetchone()
    return Usage(int(count), int(size), MAX_HIGHLIGHTS, MAX_BYTES)


def trim() -> int:
    """Drop the oldest waiting highlights past the cap; returns how many went."""
    cursor = database.execute_sql(
        f"SELECT id FROM ({_SIZES}) WHERE count_from_newest > ? OR bytes_from_newest > ?",
        (MAX_HIGHLIGHTS, MAX_BYTES),
    )
    dropped = [row[0] for row in cursor.fetchall()]
    for start in range(0, len(dropped), 500):
        part = dropped[start : start + 500]
        marks = ", ".join("?" * len(part))
        database.execute_sql(f"DELETE FROM highlight WHERE id IN ({marks})", part)
    return len(dropped)
