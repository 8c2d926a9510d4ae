"""Restore: an earlier position of a book made its current one again, as one undoable step.

The library writes the earlier position anew as the newest of its document (device
`RESET_DEVICE`, device id `RESTORE_ID`), timed now: KOReader's next pull on any device reading
that copy gets it, and since it is newer than the device's last page turn, KOReader offers it
with its own question ("Sync to latest location 63% from device 'BookOrbit Desktop'?", or
jumps without asking, as its "Sync to a newer state" setting says). The book's progress
becomes the restored one by the rule of a progress the user types (`edits`), so Hardcover
follows it through the outbox.

The step (kind `restore_position`) keeps the book's reading values before and after, as an
edit's, and the document's newest position before and after (`position`). Undo writes the
position that was newest before as the newest again, with its own time, device name and
device id (marked as served again, `rows.served_again`; a pull answers the device's own id),
so each device decides as it did before and a jump back is offered for restore again, and
puts the reading values back; redo writes the restored one again.
Either leaves the position as it is when a device synced the copy since, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.journal import edits as journal_edits
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.kinds import Outcome, StepKind, register
from bookorbit_desktop.library.journal.record import recording, start_step
from bookorbit_desktop.library.reading import rows
from bookorbit_desktop.library.reading.device_positions import RESET_DEVICE, RESTORE_ID, is_reset
from bookorbit_desktop.library.reading.edits import update_reading_state
from bookorbit_desktop.library.reading.jump_back import JumpBack
from bookorbit_desktop.library.reading.jump_marks import insert_jumped
from bookorbit_desktop.library.reading.rows import served_again, served_id
from bookorbit_desktop.library.reading.values import percent
from bookorbit_desktop.library.store.models import Book, database

RESTORE = "restore_position"
POSITION = "position"  # the document's newest position (`_position`)


@dataclass(frozen=True)
class Restored:
    book_id: int
    document: str
    percentage: float
    step_id: int


def _position(document: str) -> list[Any] | None:
    """The document's newest position as a step keeps it: [document, percentage, progress,
    timestamp, device name, the jump back it was judged, as [from event, from percentage], or
    None, the device id a pull answers]."""
    found = database.execute_sql(
        "SELECT e.percentage, e.progress, e.timestamp, e.device, j.from_event_id,"
        " j.from_percentage, e.device_id"
        " FROM progress_event AS e LEFT JOIN jumped_back AS j ON j.event_id = e.id"
        " WHERE e.document = ? ORDER BY e.id DESC LIMIT 1",
        (document,),
    ).fetchone()
    if found is None:
        return None
    percentage, progress, timestamp, device, source, back, device_id = found
    jumped = None if source is None else [source, back]
    return [document, percentage, progress, int(timestamp), device, jumped, served_id(device_id)]


def _write(book_id: int, position: list[Any]) -> None:
    """Serve `position` as its document's newest: the restore itself under the library's id, a
    device's own position again under its own name and id, marked (a jump back stays one: the
    window offers its restore again)."""
    document, percentage, progress, timestamp, device, jumped, device_id = position
    own = device_id == RESTORE_ID or is_reset(device_id)
    values: rows.EventValues = (
        document, book_id, device, device_id if own else served_again(device_id),
        percentage, progress, int(timestamp),
        None, None, None,
    )  # fmt: skip
    if jumped is None:
        rows.insert_events([values])
    else:
        insert_jumped(values, JumpBack(jumped[0], jumped[1], percentage))


def restore_position(
    book_id: int, event_id: int, *, now: float, paths: Paths | None = None
) -> Restored:
    """Make the book's position `event_id` (as its history lists it) the current one."""
    book = Book.get_or_none(Book.id == book_id)
    if book is None:
        raise NotFoundError(
            f"There is no book with id {book_id}. List the library's books with "
            "`bookorbit-desktop books` and use the id shown there."
        )
    with database.atomic("IMMEDIATE"):
        found = database.execute_sql(
            "SELECT document, percentage, progress FROM progress_event WHERE id = ?"
            " AND book_id = ?",
            (event_id, book_id),
        ).fetchone()
        if found is None:
            raise NotFoundError(
                f"Book {book_id} has no position {event_id}. List its positions with "
                f"`bookorbit-desktop progress history {book_id}`."
            )
        document, percentage, progress = found
        before = _position(document)
        if before is not None and before[1:3] == [percentage, progress]:
            raise InvalidValueError(
                f"{percent(percentage)} is already the position KOReader is offered for "
                "this copy of the book: there is nothing to restore."
            )
        label = f"Restore {percentage * 100:.0f} % of “{book.title or 'untitled book'}”"
        step_id = start_step(RESTORE, label, now, paths)
        with recording(label, [book_id], step=step_id):
            update_reading_state(book_id, progress=percentage, now=now)
        after = [document, percentage, progress, int(now), RESET_DEVICE, None, RESTORE_ID]
        _write(book_id, after)
        steps.add_entries(step_id, [steps.Entry(book_id, {POSITION: before}, {POSITION: after})])
    return Restored(book_id, document, float(percentage), step_id)


def _move(step: steps.Step, paths: Paths, now: float, *, back: bool) -> Outcome:
    entry = step.entries[0]
    source, target = (entry.after, entry.before) if back else (entry.before, entry.after)
    outcome = Outcome()
    wanted = target[POSITION]
    current = _position(wanted[0])
    if current == source[POSITION]:
        _write(entry.book_id, wanted)
        outcome.books = 1
    elif current != wanted:
        outcome.skipped.append(
            f"Book {entry.book_id}: the position KOReader is offered (a device synced since)"
        )
    values = steps.Entry(
        entry.book_id,
        {k: v for k, v in entry.before.items() if k != POSITION},
        {k: v for k, v in entry.after.items() if k != POSITION},
    )
    if values.after:
        own = steps.Step(step.id, RESTORE, step.label, step.created_at, None, (values,))
        done = (journal_edits.undo if back else journal_edits.redo)(own, paths, now)
        outcome.skipped += done.skipped
        outcome.books = max(outcome.books, done.books)
    return outcome


def undo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, paths, now, back=True)


def redo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, paths, now, back=False)


def describe(entry: steps.Entry) -> str:
    old, new = entry.before.get(POSITION), entry.after.get(POSITION)
    moved = f"position offered to KOReader: {_percent(old)} → {_percent(new)}"
    rest = journal_edits.describe(
        steps.Entry(
            entry.book_id,
            {k: v for k, v in entry.before.items() if k != POSITION},
            {k: v for k, v in entry.after.items() if k != POSITION},
        )
    )
    return moved if rest == "marked as the user's" else f"{moved}; {rest}"


def _percent(position: list[Any] | None) -> str:
    return "(none)" if position is None else percent(position[1])


register(RESTORE, StepKind(undo, redo, describe))
