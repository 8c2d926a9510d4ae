"""A book's position history: every position a device pushed for it (each kept with its time,
device and copy), the library's own resets and restores among them, and the jump backs the
guard kept out of the reading state (`jump_back`) that are still what a pull serves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bookorbit_desktop.library.reading.device_positions import RESTORE_ID, is_reset
from bookorbit_desktop.library.reading.rows import served_id
from bookorbit_desktop.library.store.models import database

PUSH, RESET, RESTORE = "push", "reset", "restore"
_PART = re.compile(r"^/body/DocFragment\[(\d+)\]")
_PAGE = re.compile(r"^\s*(\d+)\s*$")


@dataclass(frozen=True)
class HistoryEvent:
    event_id: int
    document: str
    device: str
    device_id: str | None
    percentage: float  # 0..1
    progress: str  # an XPointer or a page number, as KOReader sent it
    timestamp: int  # server clock, Unix seconds
    kind: str  # PUSH, RESET or RESTORE
    jumped_from: float | None  # set when the guard judged this push a jump back from there


@dataclass(frozen=True)
class JumpNotice:
    """A copy whose served position is a jump back, and the position to restore instead."""

    event_id: int
    device: str
    document: str
    to_percentage: float
    from_event_id: int
    from_percentage: float


def kind_of(device_id: str | None) -> str:
    if is_reset(device_id):
        return RESET
    return RESTORE if device_id == RESTORE_ID else PUSH  # a device's position served again too


def where(progress: str) -> str | None:
    """Where in the book a position is, as far as KOReader's text says: the page of a paged
    book, the part (the book's file, usually a chapter) of a reflowable one; None otherwise."""
    page = _PAGE.match(progress)
    if page is not None:
        return f"page {page.group(1)}"
    part = _PART.match(progress)
    return f"part {part.group(1)}" if part is not None else None


def history(book_id: int, limit: int = 500) -> list[HistoryEvent]:
    """The book's positions, the newest first, at most `limit`."""
    found = database.execute_sql(
        """SELECT e.id, e.document, e.device, e.device_id, e.percentage, e.progress, e.timestamp,
                  j.from_percentage
           FROM progress_event AS e LEFT JOIN jumped_back AS j ON j.event_id = e.id
           WHERE e.book_id = ? ORDER BY e.id DESC LIMIT ?""",
        (book_id, limit),
    ).fetchall()
    return [
        HistoryEvent(
            int(event_id), document, device, served_id(device_id), float(percentage), progress,
            int(timestamp), kind_of(device_id), jumped,
        )
        for event_id, document, device, device_id, percentage, progress, timestamp, jumped in found
    ]  # fmt: skip


def jump_notices(book_id: int) -> list[JumpNotice]:
    """The book's copies whose newest position (what a pull serves) is a jump back."""
    found = database.execute_sql(
        """SELECT e.id, e.device, e.document, e.percentage, j.from_event_id, j.from_percentage
           FROM progress_event AS e JOIN jumped_back AS j ON j.event_id = e.id
           WHERE e.id IN (SELECT (SELECT MAX(id) FROM progress_event AS n
                                  WHERE n.document = d.document)
                          FROM (SELECT DISTINCT document FROM progress_event
                                WHERE book_id = ?) AS d)
           ORDER BY e.id DESC""",
        (book_id,),
    ).fetchall()
    return [
        JumpNotice(int(i), device, document, float(to), int(source), float(back))
        for i, device, document, to, source, back in found
    ]
