"""Adding, editing and deleting a book's reads by hand: each is one step of the change journal
(kind `read`), undone and redone read by read.

A read's dates are checked as every reading date is (`reading.values`: a date on or before
today, a finish not before the start); a done read may have no finish date ("no date"), an open
one never has one. A read on hardcover.app may be added as one of the library's, keeping its
Hardcover id (so the sync never adds it there again). After each change the reading state
follows the book's latest read (`store.follow_latest`).

Only the newest read may be open, and only one (`_open_is_newest`): reopening a read the book was
read again after is refused, with what to do instead.

Undo and redo put the read back as the step found or left it; a read changed since (its dates
or state, by another edit) is left as it is, and named.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import replace
from typing import Any

from bookorbit_desktop.config import Paths
from bookorbit_desktop.errors import InvalidValueError, NotFoundError
from bookorbit_desktop.library.journal import steps
from bookorbit_desktop.library.journal.kinds import Outcome, StepKind, register
from bookorbit_desktop.library.journal.record import start_step
from bookorbit_desktop.library.reading.values import check_dates, parse_date
from bookorbit_desktop.library.reads.gather import hardcover_only
from bookorbit_desktop.library.reads.store import (
    ABANDONED,
    DONE,
    OPEN,
    STATES,
    BookRead,
    book_reads,
    delete_read,
    follow_latest,
    get_read,
    mark_edited,
    put_read,
    set_synced,
)
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import Book, database

READ_STEP = "read"
_COMPARED = ("book_id", "started", "finished", "state")  # what "changed since" looks at


def checked(read: BookRead, today: dt.date | None = None) -> BookRead:
    """The read with its values checked and in the form stored; InvalidValueError otherwise."""
    today = today or dt.date.today()
    if read.state not in STATES:
        raise InvalidValueError(f"A read is {', '.join(STATES)}, not “{read.state}”.")
    started = parse_date(read.started, field="start", today=today)
    finished = parse_date(read.finished, field="finish", today=today)
    if read.state == OPEN and finished is not None:
        raise InvalidValueError("An open read has no finish date: mark it finished, or abandoned.")
    check_dates(started, finished)
    return replace(read, started=started, finished=finished)


def add_read(
    book_id: int,
    *,
    started: Any = None,
    finished: Any = None,
    state: str = DONE,
    hardcover_read_id: int | None = None,
) -> BookRead:
    """A new read of the book, one step; with `hardcover_read_id`, that read on hardcover.app
    taken into the library (source `hardcover`), which no other read here may be already."""
    with database.atomic("IMMEDIATE"):
        title = _title(book_id)
        source = "library" if hardcover_read_id is None else "hardcover"
        read = BookRead(None, book_id, started, finished, state, source=source)
        read = replace(read, to_send=hardcover_read_id is None)  # the user's: Hardcover's too
        read = checked(replace(read, hardcover_read_id=hardcover_read_id))
        _open_is_newest(read)
        if hardcover_read_id is not None:
            _take_from_hardcover(book_id, hardcover_read_id)
        return _step(f"Add a read of “{title}”", None, read)


def _take_from_hardcover(book_id: int, hardcover_read_id: int) -> None:
    """A read on hardcover.app becomes one here: none is that read yet, and its dates there
    are in step with it now."""
    if database.execute_sql(
        "SELECT 1 FROM book_read WHERE hardcover_read_id = ?", (hardcover_read_id,)
    ).fetchone():
        raise InvalidValueError(f"Hardcover read {hardcover_read_id} is a read here already.")
    for pulled in hardcover_only(book_id):
        if pulled.hardcover_read_id == hardcover_read_id:
            set_synced(hardcover_read_id, _iso(pulled.started), _iso(pulled.finished))


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def edit_read(read_id: int, **changes: Any) -> BookRead:
    """The read with `changes` (started, finished, state), one step; a read made open without
    a finish given loses its finish date."""
    if changes.get("state") == OPEN:
        changes.setdefault("finished", None)
    with database.atomic("IMMEDIATE"):
        old = _existing(read_id)
        if changes.get("state") == OPEN and old.state == DONE and old.progress == 1.0:
            changes.setdefault("progress", None)  # a finished read reopened is not read through
        new = checked(replace(old, **changes))
        _open_is_newest(new)
        return _step(f"Edit a read of “{_title(old.book_id)}”", old, new)


def remove_read(read_id: int) -> BookRead:
    """Delete the read, one step; returns it as it was."""
    with database.atomic("IMMEDIATE"):
        old = _existing(read_id)
        _step(f"Delete a read of “{_title(old.book_id)}”", old, None)
        return old


def delete_hardcover_read(book_id: int, hardcover_read_id: int) -> BookRead:
    """Delete a read that is only on hardcover.app (`gather.hardcover_only`), one step: it is
    taken in as the library's and deleted, so the sync deletes it there by its id (the review
    shows it first), and undo takes it in as the library's read it was there."""
    with database.atomic("IMMEDIATE"):
        title = _title(book_id)
        there = next(
            (r for r in hardcover_only(book_id) if r.hardcover_read_id == hardcover_read_id), None
        )
        if there is None:
            raise NotFoundError(
                f"Hardcover read {hardcover_read_id} is no read of “{title}” only on hardcover.app."
            )
        now = time.time()
        started, finished = _iso(there.started), _iso(there.finished)
        state = DONE if there.done else OPEN
        read = BookRead(None, book_id, started, finished, state, source="hardcover")
        taken = put_read(replace(read, hardcover_read_id=hardcover_read_id), now)
        set_synced(hardcover_read_id, started, finished)
        delete_read(taken.id or 0, now)
        _settle(book_id, now)
        entry = steps.Entry(book_id, _kept(taken), _kept(None))
        steps.add_entries(start_step(READ_STEP, f"Delete a read of “{title}”", now), [entry])
        return taken


def _open_is_newest(read: BookRead) -> None:
    """An open read is the book's only one and its newest (none began after it): the book is
    being read in it, and the reading state follows it. InvalidValueError otherwise."""
    if read.state != OPEN:
        return
    own = read.started or read.finished
    for other in book_reads(read.book_id):
        if other.id == read.id:
            continue
        if other.state == OPEN:
            raise InvalidValueError(
                f"The book is being read already ({line(other)}): finish or abandon that read "
                "first."
            )
        later = other.started or other.finished
        if own is not None and later is not None and later > own:
            raise InvalidValueError(
                f"Only the newest read can be open, and the book was read again later "
                f"({line(other)}). Mark this one finished (a finish date is not needed) or "
                "abandoned."
            )


def _title(book_id: int) -> str:
    book = Book.get_or_none(Book.id == book_id)
    if book is None:
        raise NotFoundError(f"No book with id {book_id}.")
    return str(book.title)


def _existing(read_id: int) -> BookRead:
    read = get_read(read_id)
    if read is None:
        raise NotFoundError(f"No read with id {read_id}.")
    return read


def _step(label: str, old: BookRead | None, new: BookRead | None) -> Any:
    now = time.time()
    stored = put_read(new, now) if new is not None else None
    if new is None and old is not None and old.id is not None:
        delete_read(old.id, now)
    if stored is not None:
        mark_edited(stored.hardcover_read_id)
    book_id = (stored or old).book_id  # type: ignore[union-attr]
    _settle(book_id, now)
    entry = steps.Entry(book_id, _kept(old), _kept(stored))
    steps.add_entries(start_step(READ_STEP, label, now), [entry])
    return stored


def _settle(book_id: int, now: float) -> None:
    """The reading state follows the latest read, and the sync hears of the change (a read
    other than the latest goes to Hardcover by its id too)."""
    follow_latest(book_id, now)
    outbox.note_change(book_id, [outbox.STATUS], now=now)


def _kept(read: BookRead | None) -> dict[str, Any]:
    return {"read": None if read is None else read.values()}


def _move(step: steps.Step, paths: Paths, now: float, *, back: bool) -> Outcome:
    outcome = Outcome()
    for entry in step.entries:
        source, target = (entry.after, entry.before) if back else (entry.before, entry.after)
        was, wanted = source["read"], target["read"]
        read_id = (was or wanted)["id"]
        current = get_read(read_id)
        if _compared(current) != _compared(was):
            outcome.skipped.append(f"read {read_id}: changed since")
            continue
        if wanted is None:
            delete_read(read_id, now)
        else:
            mark_edited(put_read(BookRead(**wanted), now).hardcover_read_id)
        _settle(entry.book_id, now)
        outcome.books += 1
    return outcome


def _compared(read: BookRead | dict[str, Any] | None) -> tuple[Any, ...] | None:
    if read is None:
        return None
    values = read.values() if isinstance(read, BookRead) else read
    return tuple(values[name] for name in _COMPARED)


def undo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, paths, now, back=True)


def redo(step: steps.Step, paths: Paths, now: float) -> Outcome:
    return _move(step, paths, now, back=False)


def describe(entry: steps.Entry) -> str:
    before, after = entry.before["read"], entry.after["read"]
    if before is None:
        return f"read added: {line(BookRead(**after))}"
    if after is None:
        return f"read deleted: {line(BookRead(**before))}"
    return f"read: {line(BookRead(**before))} → {line(BookRead(**after))}"


def line(read: BookRead) -> str:
    """A read in a few words: "2026-01-02 – 2026-02-01", "2026-01-02 – no date", "… – open"."""
    end = {OPEN: "open", ABANDONED: f"abandoned {read.finished or ''}".strip()}.get(
        read.state, read.finished or "no date"
    )
    return f"{read.started or 'no start'} – {end}"


register(READ_STEP, StepKind(undo, redo, describe))
