"""A book's own reads in the library database (`store.book_read_schema`), and the reading state
following its latest read.

The reading state is the latest read (`LATEST_FIRST`): a KOReader push or an edit of the state
moves the read by the schema's triggers, and a read written here moves the state back
(`follow_latest`), so both say the same whichever was written:

| the latest read | the reading state's status                       | dates, progress        |
|-----------------|--------------------------------------------------|------------------------|
| none            | unread (want to read stays)                      | none, 0                |
| done            | read (skimmed stays)                             | the read's, 1          |
| open            | reading, or rereading after a done read (on hold | the read's start; its  |
|                 | stays)                                           | progress when known    |
| abandoned       | abandoned                                        | the read's             |

A date the state takes from a read the user wrote is the user's (`sources.USER`); the change is
noted in the sync outbox like any edit of the state.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

from bookorbit_desktop.library.reading import rules
from bookorbit_desktop.library.reading.sources import USER
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.book_read_schema import LATEST_FIRST
from bookorbit_desktop.library.store.models import database

DONE, OPEN, ABANDONED = "done", "open", "abandoned"
STATES = (DONE, OPEN, ABANDONED)
_COLUMNS = (
    "id, book_id, started, finished, state, pages, progress, device, source, hardcover_read_id,"
    " to_send"
)


@dataclass(frozen=True)
class BookRead:
    """One of the library's reads of a book, as stored."""

    id: int | None  # None: not stored yet
    book_id: int
    started: str | None  # ISO date
    finished: str | None  # ISO date; None for an open read, or a done one with no date
    state: str  # DONE, OPEN or ABANDONED
    pages: int | None = None  # pages read, when known
    progress: float | None = None  # fraction read, when known
    device: str | None = None  # the device KOReader named
    source: str = "library"  # library, koreader or hardcover
    hardcover_read_id: int | None = None
    # Added here by the user: while no Hardcover read is it, the sync sends it as one of its
    # own once it is not the book's latest (the latest goes out as the entry's read).
    to_send: bool = False

    def values(self) -> dict[str, Any]:
        return asdict(self)


def _read(row: tuple[Any, ...]) -> BookRead:
    read_id, book_id, started, finished, state, pages, progress, device, source, hc, send = row
    return BookRead(
        read_id, book_id, started, finished, state, pages, progress, device, source, hc, bool(send)
    )


def book_reads(book_id: int) -> list[BookRead]:
    """The book's own reads, oldest first (the latest, by `LATEST_FIRST`, last)."""
    rows = database.execute_sql(
        f"SELECT {_COLUMNS} FROM book_read WHERE book_id = ? ORDER BY {LATEST_FIRST}", (book_id,)
    ).fetchall()
    return [_read(row) for row in reversed(rows)]


def get_read(read_id: int) -> BookRead | None:
    row = database.execute_sql(
        f"SELECT {_COLUMNS} FROM book_read WHERE id = ?", (read_id,)
    ).fetchone()
    return None if row is None else _read(row)


def put_read(read: BookRead, now: float | None = None) -> BookRead:
    """Write the read (a new one when its id is not stored) and return it as stored."""
    values = read.values()
    names = [n for n in values if n != "id" or values["id"] is not None]
    marks = ", ".join("?" for _ in names)
    cursor = database.execute_sql(
        f"INSERT OR REPLACE INTO book_read ({', '.join(names)}, created_at) VALUES ({marks}, ?)",
        (*(values[n] for n in names), now if now is not None else time.time()),
    )
    stored = get_read(read.id if read.id is not None else int(cursor.lastrowid))
    assert stored is not None
    if stored.hardcover_read_id is not None:  # back (an undo): nothing to delete on Hardcover
        database.execute_sql(
            "DELETE FROM book_read_gone WHERE hardcover_read_id = ?", (stored.hardcover_read_id,)
        )
    return stored


def delete_read(read_id: int, now: float | None = None) -> None:
    """Delete the read; one that was a Hardcover read is kept as gone, for the sync to delete
    it there too (`gone_reads`)."""
    database.execute_sql(
        "INSERT OR REPLACE INTO book_read_gone (hardcover_read_id, book_id, started, finished,"
        " gone_at) SELECT hardcover_read_id, book_id, started, finished, ? FROM book_read"
        " WHERE id = ? AND hardcover_read_id IS NOT NULL",
        (now if now is not None else time.time(), read_id),
    )
    database.execute_sql("DELETE FROM book_read WHERE id = ?", (read_id,))


def gone_reads(book_ids: Iterable[int]) -> list[tuple[int, str | None, str | None]]:
    """The Hardcover reads deleted here of these books: (Hardcover read id, start, finish)."""
    ids = list(book_ids)
    return [
        (int(read_id), started, finished)
        for read_id, started, finished in database.execute_sql(
            "SELECT hardcover_read_id, started, finished FROM book_read_gone"
            f" WHERE book_id IN ({', '.join('?' for _ in ids)}) ORDER BY hardcover_read_id",
            ids,
        ).fetchall()
    ]


def forget_gone(hardcover_read_id: int) -> None:
    """The read is deleted on Hardcover as well, or was kept there: nothing more to do."""
    database.execute_sql(
        "DELETE FROM book_read_gone WHERE hardcover_read_id = ?", (hardcover_read_id,)
    )


def hardcover_reads_named(book_id: int) -> tuple[int | None, frozenset[int]]:
    """The Hardcover read the book's latest read is (None: not known), and those its earlier
    reads are."""
    rows = database.execute_sql(
        f"SELECT hardcover_read_id FROM book_read WHERE book_id = ? ORDER BY {LATEST_FIRST}",
        (book_id,),
    ).fetchall()
    if not rows:
        return None, frozenset()
    return rows[0][0], frozenset(int(r[0]) for r in rows[1:] if r[0] is not None)


def link_hardcover_read(
    book_id: int, hardcover_read_id: int | None, started: str | None, finished: str | None
) -> None:
    """The book's latest read is Hardcover's read `hardcover_read_id` (the one the sync keeps
    the reading state in), which has `started` and `finished` now: named so on it, unless it
    names another already or another read of the library is that one."""
    if hardcover_read_id is None:
        return
    database.execute_sql(
        f"""UPDATE book_read SET hardcover_read_id = ?
            WHERE id = (SELECT id FROM book_read WHERE book_id = ? ORDER BY {LATEST_FIRST}
                        LIMIT 1)
              AND hardcover_read_id IS NULL
              AND NOT EXISTS (SELECT 1 FROM book_read WHERE hardcover_read_id = ?)""",
        (hardcover_read_id, book_id, hardcover_read_id),
    )
    set_synced(hardcover_read_id, started, finished)


def set_synced(hardcover_read_id: int, started: str | None, finished: str | None) -> None:
    """The Hardcover read's dates, in step with the library's read now (no edit waits)."""
    database.execute_sql(
        "INSERT OR REPLACE INTO book_read_synced (hardcover_read_id, started, finished)"
        " VALUES (?, ?, ?)",
        (hardcover_read_id, started, finished),
    )


def mark_edited(hardcover_read_id: int | None) -> None:
    """The user edited the read that is this Hardcover read: its dates are theirs to send."""
    database.execute_sql(
        "UPDATE book_read_synced SET edited = 1 WHERE hardcover_read_id = ?", (hardcover_read_id,)
    )


def earlier_reads(book_ids: Iterable[int]) -> list[tuple[BookRead, tuple[str | None, str | None]]]:
    """The books' reads but each book's latest that are Hardcover reads the user edited since
    they were last in step, each with the dates its Hardcover read had then."""
    found = []
    for book_id in book_ids:
        for read in book_reads(book_id)[:-1]:
            row = database.execute_sql(
                "SELECT started, finished FROM book_read_synced"
                " WHERE hardcover_read_id = ? AND edited",
                (read.hardcover_read_id,),
            ).fetchone()
            if row is not None:
                found.append((read, (row[0], row[1])))
    return found


def reads_to_send(book_ids: Iterable[int]) -> list[tuple[BookRead, bool]]:
    """The books' finished reads but each book's latest that the user added here and no
    Hardcover read is yet (`BookRead.to_send`), oldest first, each with whether its book is
    being read (its latest read is open)."""
    found = []
    for book_id in book_ids:
        reads = book_reads(book_id)
        open_now = bool(reads) and reads[-1].state == OPEN
        found += [
            (read, open_now)
            for read in reads[:-1]
            if read.to_send and read.hardcover_read_id is None and read.state == DONE
        ]
    return found


def name_sent(
    read_id: int, hardcover_read_id: int | None, started: str | None, finished: str | None
) -> None:
    """The library's read `read_id` went to Hardcover as read `hardcover_read_id`, which has
    these dates now (None: not found in the entry read back; it is sent no more all the same,
    as sending it again could make it twice)."""
    database.execute_sql(
        "UPDATE book_read SET hardcover_read_id = coalesce(?, hardcover_read_id), to_send = 0"
        " WHERE id = ?",
        (hardcover_read_id, read_id),
    )
    if hardcover_read_id is not None:
        set_synced(hardcover_read_id, started, finished)


def follow_latest(book_id: int, now: float) -> None:
    """The book's reading state made its latest read's (the table above), noted for the sync
    when it changed."""
    reads = book_reads(book_id)
    row = database.execute_sql(
        "SELECT status, started, finished, progress FROM reading_state WHERE book_id = ?",
        (book_id,),
    ).fetchone()
    status, started, finished, progress = row or (rules.UNREAD, None, None, 0.0)
    wanted = _state_of(reads, status, progress)
    old = {"status": status, "started": started, "finished": finished, "progress": progress}
    if wanted == old:
        return
    values = dict(wanted, updated_at=now)
    for name in ("started", "finished"):
        if wanted[name] != old[name]:
            values[f"{name}_source"] = USER if wanted[name] is not None else None
    columns = ", ".join(f"{name} = ?" for name in values)
    if row is None:
        database.execute_sql(
            "INSERT INTO reading_state (book_id, status, progress, updated_at) VALUES (?, ?, ?, ?)",
            (book_id, rules.UNREAD, 0.0, now),
        )
    database.execute_sql(
        f"UPDATE reading_state SET {columns} WHERE book_id = ?", (*values.values(), book_id)
    )
    kinds = [outbox.STATUS] if wanted["status"] != status or wanted["started"] != started else []
    if wanted["finished"] != finished and outbox.STATUS not in kinds:
        kinds.append(outbox.STATUS)
    if wanted["progress"] != progress:
        kinds.append(outbox.PROGRESS)
    outbox.note_change(book_id, kinds, now=now)


def _state_of(reads: list[BookRead], status: str, progress: float) -> dict[str, Any]:
    if not reads:
        kept = status if status == rules.WANT_TO_READ else rules.UNREAD
        return {"status": kept, "started": None, "finished": None, "progress": 0.0}
    latest = reads[-1]
    if latest.state == DONE:
        kept = status if status in rules.FINISHED else rules.READ
        return {
            "status": kept,
            "started": latest.started,
            "finished": latest.finished,
            "progress": 1.0,
        }
    if latest.state == ABANDONED:
        return {
            "status": rules.ABANDONED,
            "started": latest.started,
            "finished": latest.finished,
            "progress": latest.progress if latest.progress is not None else progress,
        }
    if status in (*rules.IN_PROGRESS, rules.ON_HOLD):
        kept = status
    else:
        kept = rules.REREADING if any(r.state == DONE for r in reads) else rules.READING
    was_open = status in (*rules.IN_PROGRESS, rules.ON_HOLD)
    fraction = latest.progress if latest.progress is not None else (progress if was_open else 0.0)
    return {"status": kept, "started": latest.started, "finished": None, "progress": fraction}
