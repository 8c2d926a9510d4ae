"""Where each device is in a book, and resetting a book's position to its start.

Every push is kept as a progress event with the device's name and id, so the last position of
each device is the newest event it pushed for any of the book's documents. A device is known by
its `device_id` (or, when it sends none, by its name).

A reset stores, for each document it resets, a position at the start (0 %) written by the
library itself (device `RESET_DEVICE`, device id `RESET_ID`, or `RESET_ID:<device>` when one
device was named). It becomes the newest position of the document, so the kosync pull answers
it and every device is offered the start on its next pull. A reset touches neither the book's
reading state nor the Hardcover queue: it is not a read, only a new place to start from. The
reading rules never see a reset position (`pushes` leaves it out of the history it replays).

What a reset covers (`reset_scope`): every document of the book, or, for one device, the
document of that device's last position. A pull names no device (KOReader sends only the
account), so every device whose last position is in a reset document is offered the start
too; the scope names them, and a device is shown at the start when a reset of its document
came after its last push.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bookorbit_desktop.errors import NotFoundError
from bookorbit_desktop.library.reading import rows
from bookorbit_desktop.library.reading.rows import RESTORE_ID
from bookorbit_desktop.library.store.models import Book, database

RESET_DEVICE = "BookOrbit Desktop"
RESET_ID = "bookorbit-reset"
# The SQL test for "this event is a reset": a device id that is RESET_ID or starts with it.
RESET_SQL = "(device_id = 'bookorbit-reset' OR device_id LIKE 'bookorbit-reset:%')"
# The SQL test for "a device pushed this event": neither a reset nor a restore, which are the
# library's own positions (never a read, never a device's place).
NOT_RESET_SQL = (
    f"(device_id IS NULL OR (NOT {RESET_SQL} AND device_id <> '{RESTORE_ID}'"
    f" AND device_id NOT LIKE '{RESTORE_ID}:%'))"
)

_PAGE = re.compile(r"\s*\d+\s*")
_STEP = re.compile(r"([^/\[]+)(?:\[\d+\])?")
FIRST_PART = "/body/DocFragment[1]"


@dataclass(frozen=True)
class DevicePosition:
    """The last position one device pushed for a book (or where a reset put it)."""

    device_key: str  # the device id, or its name when it sends none
    device: str  # the name it sends (KOReader's model or the name the user gave it)
    device_id: str | None
    document: str
    percentage: float  # 0..1
    progress: str  # an XPointer (EPUB, FB2...) or a page number (PDF, CBZ...)
    timestamp: int  # server clock, Unix seconds
    reset_at: int | None = None  # set when a reset after this push put the device at the start


@dataclass(frozen=True)
class ResetResult:
    book_id: int
    documents: tuple[str, ...]  # the documents whose pull answer is now the start
    devices: tuple[str, ...]  # the devices (keys) now shown at the start, newest first


def reset_scope(
    positions: Sequence[DevicePosition], device: str | None, documents: Sequence[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(documents, devices) a reset of `device` (None: every device) sends to the start, from
    each device's last position (`positions`, newest first) and every document pushed for the
    book (`documents`): for None, all of them; for one device, the document of its last
    position, and with it every device whose last position is in that document (a pull
    cannot tell devices apart)."""
    if device is not None:
        documents = [p.document for p in positions if p.device_key == device]
    reset = set(documents)
    devices = tuple(p.device_key for p in positions if p.document in reset)
    return tuple(sorted(reset)), devices


def is_reset(device_id: str | None) -> bool:
    return device_id is not None and (device_id == RESET_ID or device_id.startswith(RESET_ID + ":"))


def start_of(progress: str) -> str:
    """The start of the document whose last position is `progress`, in the same form: page 1
    for a paged document, else the first part of the book (the first two steps of the XPointer,
    each at its first element: /body/DocFragment[1] for an EPUB, /FictionBook/body for FB2)."""
    if _PAGE.fullmatch(progress):
        return "1"
    steps = [step for step in progress.split("/") if step][:2]
    names = [match.group(1) for step in steps if (match := _STEP.match(step))]
    if len(names) < 2 or not all(names):
        return FIRST_PART
    indexed = [
        name + ("[1]" if "[" in step else "") for name, step in zip(names, steps, strict=True)
    ]
    return "/" + "/".join(indexed)


def device_positions(book_id: int) -> list[DevicePosition]:
    """Each device's last position in the book, the most recent first."""
    found = database.execute_sql(
        f"""SELECT e.document, e.device, e.device_id, e.percentage, e.progress, e.timestamp, e.id
           FROM progress_event AS e
           JOIN (SELECT COALESCE(device_id, device) AS k, MAX(id) AS id FROM progress_event
                 WHERE book_id = ? AND {NOT_RESET_SQL} GROUP BY k) AS last ON last.id = e.id
           ORDER BY e.id DESC""",
        (book_id,),
    ).fetchall()
    resets = _resets(book_id)
    result = []
    for document, device, device_id, percentage, progress, timestamp, event_id in found:
        key = device_id if device_id is not None else device
        later = [at for rid, reset, at in resets if rid > event_id and reset == document]
        result.append(
            DevicePosition(
                device_key=key,
                device=device,
                device_id=device_id,
                document=document,
                percentage=0.0 if later else float(percentage),
                progress=progress,
                timestamp=int(timestamp),
                reset_at=max(later) if later else None,
            )
        )
    return result


def _resets(book_id: int) -> list[tuple[int, str, int]]:
    """(event id, the document reset, when) of the book's resets."""
    found = database.execute_sql(
        f"SELECT id, document, timestamp FROM progress_event WHERE book_id = ? AND {RESET_SQL}",
        (book_id,),
    ).fetchall()
    return [(event_id, document, int(at)) for event_id, document, at in found]


def reset_progress(book_id: int, *, device: str | None = None, now: int) -> ResetResult:
    """Put the book back at its start: for every device, or for `device` (a device key as
    `device_positions` lists it) and the devices reading the same document (`reset_scope`).
    It never touches the reading state."""
    if Book.get_or_none(Book.id == book_id) is None:
        raise NotFoundError(
            f"There is no book with id {book_id}. List the library's books with "
            "`bookorbit-desktop books` and use the id shown there."
        )
    with database.atomic("IMMEDIATE"):
        positions = device_positions(book_id)
        if device is not None and device not in {p.device_key for p in positions}:
            raise NotFoundError(
                f"No device synced book {book_id} as “{device}”. List its devices with "
                f"`bookorbit-desktop progress show {book_id}`."
            )
        newest = database.execute_sql(
            """SELECT e.document, e.progress, e.device_id FROM progress_event AS e
               JOIN (SELECT document, MAX(id) AS id FROM progress_event
                     WHERE document IN (SELECT DISTINCT document FROM progress_event
                                        WHERE book_id = ?)
                     GROUP BY document) AS last ON last.id = e.id
               ORDER BY e.document""",
            (book_id,),
        ).fetchall()
        documents, devices = reset_scope(positions, device, [row[0] for row in newest])
        device_id = RESET_ID if device is None else f"{RESET_ID}:{device}"
        values: list[rows.EventValues] = []
        for document, progress, writer_id in newest:
            if document in documents:
                start = _start_for(progress, writer_id)
                values.append(
                    (document, book_id, RESET_DEVICE, device_id, 0.0, start, now, None, None, None)
                )
        rows.insert_events(values)
    return ResetResult(book_id, documents, devices)


def _start_for(progress: str, writer_id: str | None) -> str:
    """The start of a document, from its newest position (a reset's own position is already
    a start)."""
    if is_reset(writer_id):
        return progress
    return start_of(progress)


def resets_since(event_id: int) -> tuple[int, list[str]]:
    """(the newest event id, the documents reset or restored by events after `event_id`): what
    the server checks to forget the pull answers it remembers for them."""
    newest = database.execute_sql("SELECT COALESCE(MAX(id), 0) FROM progress_event").fetchone()[0]
    # A range of the table's own keys: only the pushes since the last check are read.
    found = database.execute_sql(
        f"SELECT document FROM progress_event WHERE id > ? AND NOT {NOT_RESET_SQL} ORDER BY id",
        (event_id,),
    ).fetchall()
    return int(newest), list(dict.fromkeys(document for (document,) in found))
