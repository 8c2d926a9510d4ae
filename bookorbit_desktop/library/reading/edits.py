"""Editing a book's reading state by hand: what the window's book panel and `book` save.

A user's edit is validated whole before anything is written (`values`), moved through the
same rules as a device push (`rules`: a new status brings its dates, a new progress may start
or finish the book) and noted in the sync outbox for Hardcover. A date the user gives is
recorded as theirs (`sources.USER`). Mark Read (`mark_read`) takes its dates from the evidence
by `marking`: the history's last session, the first session or push; never the click's day.
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from bookorbit_desktop.library.history.reads import latest_read_days
from bookorbit_desktop.library.journal.record import recording
from bookorbit_desktop.library.journal.rules import reading_label
from bookorbit_desktop.library.reading import rules as reading
from bookorbit_desktop.library.reading.marking import (
    FINISH_NEEDED,
    DateNeededError,
    Evidence,
    history_finish,
    implied_start,
    mark_read_dates,
)
from bookorbit_desktop.library.reading.sources import HISTORY, USER
from bookorbit_desktop.library.reading.values import (
    check_dates,
    parse_date,
    parse_progress,
    parse_rating,
    parse_status,
)
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import Book, ProgressEvent, ReadingState, database
from bookorbit_desktop.library.store.queries import get_book, reading_dict
from bookorbit_desktop.library.store.settings import get_setting


class _Unset:
    def __repr__(self) -> str:
        return "UNSET"


UNSET: Any = _Unset()  # "leave this field as it is" in update_reading_state


def _changed_kinds(state: ReadingState | None, values: dict[str, Any]) -> list[str]:
    """Which kinds of change (for the sync outbox) an edit makes."""
    old = {
        "status": state.status if state else "unread",
        "progress": state.progress if state else 0.0,
        "started": state.started if state else None,
        "finished": state.finished if state else None,
        "rating": state.rating if state else None,
    }
    kinds = []
    if any(values[key] != old[key] for key in ("status", "started", "finished")):
        kinds.append(outbox.STATUS)
    if values["progress"] != old["progress"]:
        kinds.append(outbox.PROGRESS)
    if values["rating"] != old["rating"]:
        kinds.append(outbox.RATING)
    return kinds


def update_reading_state(
    book_id: int,
    *,
    status: Any = UNSET,
    progress: Any = UNSET,
    started: Any = UNSET,
    finished: Any = UNSET,
    rating: Any = UNSET,
    now: float | None = None,
    today: datetime.date | None = None,
    finish_threshold: float | None = None,
) -> dict[str, Any]:
    """Change some of a book's reading state and return the new `reading` dict.

    Pass only the fields the user changed (text as typed, or typed values); `None` clears an
    optional field. Every value is validated before anything is written. A new status brings
    the dates the reading rules imply (for example "read" sets today's finish date) unless the
    same call gives those dates explicitly. A new progress without a new status moves the
    status as a device push would (`reading.set_progress`: an unread book becomes "reading",
    reaching `finish_threshold`, by default the setting, makes it "read"); when the same call
    also sets the status, the status given wins.
    """
    today = today or datetime.date.today()
    new_status = parse_status(status) if status is not UNSET else UNSET
    new_progress = parse_progress(progress) if progress is not UNSET else UNSET
    new_started = parse_date(started, field="start", today=today) if started is not UNSET else UNSET
    new_finished = (
        parse_date(finished, field="finish", today=today) if finished is not UNSET else UNSET
    )
    new_rating = parse_rating(rating) if rating is not UNSET else UNSET
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        if not Book.select().where(Book.id == book_id).exists():
            get_book(book_id)  # raises NotFoundError with the usual message
        state = ReadingState.get_or_none(ReadingState.book == book_id)
        before = reading.snapshot_of(state)
        current = before
        if new_status is not UNSET:
            current = reading.set_status(before, new_status, today).state
        elif new_progress is not UNSET:
            if finish_threshold is None:
                finish_threshold = reading.usable_threshold(get_setting("reading.finish_threshold"))
            current = reading.set_progress(before, new_progress, today, finish_threshold).state
        given = {
            "progress": new_progress,
            "started": new_started,
            "finished": new_finished,
            "rating": new_rating,
        }
        values = _edited_values(state, before, current, given)
        _implied_dates(book_id, before, values, given)
        for name, value in (("started", new_started), ("finished", new_finished)):
            if value is not UNSET:  # typed or chosen by the user
                values[f"{name}_source"] = USER if value is not None else None
        check_dates(values["started"], values["finished"])
        values["updated_at"] = now if now is not None else time.time()
        if state is None:
            ReadingState.insert(book=book_id, **values).execute()
        else:
            ReadingState.update(**values).where(ReadingState.book == book_id).execute()
        outbox.note_change(book_id, _changed_kinds(state, values), now=values["updated_at"])
        return reading_dict(ReadingState.get(ReadingState.book == book_id))


def save_edit(book_id: int, *, step: int | None = None, **edits: Any) -> dict[str, Any]:
    """A user's edit from any front door (the book panel, `book`): marking the book read (or
    skimmed) goes through `mark_read` (its dates from the evidence; `DateNeededError` when the
    user must say when it ended), every other edit through `update_reading_state`. The edit is
    one step of the change journal (`library.journal`), or part of `step` when given."""
    book = Book.get_or_none(Book.id == book_id)
    given = [name for name, value in edits.items() if value is not UNSET]
    label = reading_label(book.title if book is not None else str(book_id), given)
    with recording(label, [book_id], step=step):
        return _save_edit(book_id, **edits)


def _save_edit(book_id: int, **edits: Any) -> dict[str, Any]:
    status = parse_status(edits["status"]) if edits.get("status", UNSET) is not UNSET else None
    current = ReadingState.get_or_none(ReadingState.book == book_id)
    if status not in reading.FINISHED or (current is not None and current.status == status):
        return update_reading_state(book_id, **edits)
    with database.atomic():
        result = mark_read(
            book_id,
            finished=edits.get("finished", UNSET),
            started=edits.get("started", UNSET),
            status=status,
        )
        rest = {k: edits[k] for k in ("progress", "rating") if edits.get(k, UNSET) is not UNSET}
        return update_reading_state(book_id, **rest) if rest else result


def mark_read(
    book_id: int,
    *,
    finished: Any = UNSET,
    started: Any = UNSET,
    status: str = "read",
    now: float | None = None,
    today: datetime.date | None = None,
) -> dict[str, Any]:
    """Mark the book read (or `status`, another finished one) with the dates the evidence
    gives (`marking`); raises `marking.DateNeededError` when neither the user (`finished`,
    "today" and "none" included) nor the history says when it ended. Returns the new `reading`
    dict."""
    today = today or datetime.date.today()
    given_finish = (
        parse_date(finished, field="finish", today=today) if finished is not UNSET else None
    )
    no_date = finished is not UNSET and given_finish is None  # "none": the user does not know
    given_start = parse_date(started, field="start", today=today) if started is not UNSET else None
    with database.atomic():
        state = ReadingState.get_or_none(ReadingState.book == book_id)
        evidence = _evidence(book_id)
        rereading = state is not None and state.status in reading.FINISHED
        marked = mark_read_dates(
            finished=given_finish,
            started=given_start,
            current_started=None if state is None or rereading else state.started,
            current_started_source=None if state is None else state.started_source,
            evidence=evidence,
            no_date=no_date,
        )
        result = update_reading_state(
            book_id,
            status=status,
            started=marked.started,
            finished=marked.finished,
            now=now,
            today=today,
        )
        ReadingState.update(
            started_source=marked.started_source, finished_source=marked.finished_source
        ).where(ReadingState.book == book_id).execute()
        return result


def _evidence(book_id: int) -> Evidence:
    """What the library holds about when the book was read: its history and first push."""
    sessions = latest_read_days(book_id)
    first_push = (
        ProgressEvent.select(ProgressEvent.timestamp)
        .where(ProgressEvent.book == book_id)
        .order_by(ProgressEvent.timestamp)
        .first()
    )
    return Evidence(
        first_session=sessions[0] if sessions else None,
        last_session=sessions[1] if sessions else None,
        first_push=(
            datetime.date.fromtimestamp(first_push.timestamp).isoformat()
            if first_push is not None
            else None
        ),
    )


def _implied_dates(
    book_id: int, before: reading.ReadingSnapshot, values: dict[str, Any], given: dict[str, Any]
) -> None:
    """Replace in `values` the dates the rules implied from the edit's day (a click is not
    evidence) by what the evidence says, with their sources (`marking`)."""
    implied = [
        name
        for name in ("started", "finished")
        if given[name] is UNSET
        and values[name] is not None
        and values[name] != _iso(getattr(before, name))
    ]
    if not implied:
        return
    evidence = _evidence(book_id)
    if "finished" in implied:
        last = history_finish(evidence, values["started"])
        if last is None or (before.status == reading.REREADING and not values["started"]):
            raise DateNeededError(FINISH_NEEDED)  # nothing says when this read ended
        values["finished"], values["finished_source"] = last, HISTORY
    if "started" in implied:
        after = _iso(before.finished) if before.status in reading.FINISHED else None
        values["started"], values["started_source"] = implied_start(
            evidence, after=after, before=values["finished"]
        )


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def _edited_values(
    state: ReadingState | None,
    before: reading.ReadingSnapshot,
    current: reading.ReadingSnapshot,
    given: dict[str, Any],
) -> dict[str, Any]:
    """The reading row after an edit: what the rules made of the status or progress, then the
    fields the user gave (`UNSET`: not given)."""
    values: dict[str, Any] = {
        "status": current.status,
        "progress": current.progress,
        "started": current.started.isoformat() if current.started else None,
        "finished": current.finished.isoformat() if current.finished else None,
        "rating": state.rating if state is not None else None,
    }
    values.update((key, value) for key, value in given.items() if value is not UNSET)
    for name in ("started", "finished"):
        if values[name] is None:
            values[f"{name}_source"] = None
    return values
