"""The user's word on a conflict: keep the library's value or Hardcover's.

Keeping Hardcover's writes it into the library (as a pull would) and makes it the base;
keeping Hardcover's status takes the dates of its read along (the ones that status carries, as
last pulled): while the status was in conflict they waited for it (`rule`). Keeping the
library's makes Hardcover's value the base's "confirmed" side, so the push sees an edit made
only in the library and sends it, and queues the book for that push.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import Any

from bookorbit_desktop.errors import InvalidValueError
from bookorbit_desktop.hardcover.pull import store
from bookorbit_desktop.hardcover.pull.apply import pulled_values, save_snapshot, write_value
from bookorbit_desktop.hardcover.pull.rule import (
    FIELDS,
    carried_dates,
    local_values,
    rebased,
    tracked_ended,
)
from bookorbit_desktop.hardcover.sync import store as sync_store
from bookorbit_desktop.hardcover.sync.model import Snapshot
from bookorbit_desktop.hardcover.sync.words import LABELS
from bookorbit_desktop.library.store import outbox
from bookorbit_desktop.library.store.models import Book, HardcoverMatch, ReadingState, database

LOCAL, HARDCOVER = "local", "hardcover"
FIELD_NAMES = {
    "status_id": "status",
    "rating": "rating",
    "started": "started",
    "finished": "finished",
    "privacy_id": "privacy",
}
_BY_NAME = {name: field for field, name in FIELD_NAMES.items()}


def field_of(name: str) -> str:
    """The snapshot's word for a field the user names ("status", "rating", "started", ...)."""
    found = _BY_NAME.get(name.strip().lower()) or (name if name in FIELDS else None)
    if found is None:
        raise InvalidValueError(
            f"{name!r} is not a field that can conflict. Use one of: {', '.join(_BY_NAME)}."
        )
    return found


def listing() -> list[dict[str, Any]]:
    """Every open conflict with the book's title and both values as they stand now."""
    rows = []
    for conflict in store.conflicts():
        book = Book.get_or_none(Book.id == conflict.book_id)
        reading = ReadingState.get_or_none(ReadingState.book == conflict.book_id)
        now = (
            local_values(reading.status, reading.rating, reading.started, reading.finished)
            if reading is not None
            else {}
        )
        rows.append(
            {
                "book_id": conflict.book_id,
                "title": book.title if book is not None else None,
                "field": FIELD_NAMES.get(conflict.field, conflict.field),
                "label": LABELS.get(conflict.field, conflict.field),
                "local": now.get(conflict.field, conflict.local),
                "hardcover": conflict.remote,
                "noticed_at": conflict.noticed_at,
            }
        )
    return rows


def resolve(book_id: int, name: str, keep: str, *, now: float | None = None) -> dict[str, Any]:
    """Settle one conflict; what was kept. Raises InvalidValueError for no such conflict."""
    field = field_of(name)
    if keep not in (LOCAL, HARDCOVER):
        raise InvalidValueError(f"Keep either 'local' or 'hardcover', not {keep!r}.")
    found = [c for c in store.conflicts([book_id]) if c.field == field]
    if not found:
        raise InvalidValueError(
            f"Book {book_id} has no conflict on {FIELD_NAMES[field]}. "
            "`hardcover conflicts` lists the open ones."
        )
    conflict = found[0]
    now = time.time() if now is None else now
    candidates = sync_store.candidates([book_id])
    copies = list(candidates[0].book_ids) if candidates else [book_id]
    snapshot = candidates[0].snapshot if candidates else None
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        if keep == HARDCOVER:
            taken = {field: conflict.remote}
            if field == "status_id":
                taken.update(status_dates(book_id, conflict.remote, snapshot))
            for name, value in taken.items():
                write_value(copies, name, value, now=now)
                if snapshot is not None:
                    snapshot = rebased(snapshot, name, value)
            if snapshot is not None:
                save_snapshot(copies, snapshot)
        else:
            store.forget_followed(copies, field)
            if snapshot is not None:
                confirmed = {**snapshot.confirmed, field: conflict.remote}
                save_snapshot(copies, replace(snapshot, confirmed=confirmed))
            outbox.note_changes(copies, [outbox.STATUS], now=now)
        store.drop_conflict(book_id, field)
    return {"book_id": book_id, "field": FIELD_NAMES[field], "kept": keep}


def status_dates(book_id: int, status_id: Any, snapshot: Snapshot | None) -> dict[str, Any]:
    """The dates Hardcover's status carries, from its read as last pulled (`rule`'s compared
    read); none it does not have."""
    match = HardcoverMatch.get_or_none(HardcoverMatch.book == book_id)
    linked = match.hc_book_id if match is not None else None
    found = store.pulled([linked]) if linked is not None else []
    carried = carried_dates(int(status_id or 0))
    if not found or not carried:
        return {}
    entry = found[0]
    row = store.PulledRow(entry["user_book_id"], entry["hc_book_id"], entry, entry["updated_at"])
    tracked = snapshot is not None and snapshot.user_book_id == row.user_book_id
    read_id = snapshot.read_id if tracked and snapshot else None
    values = pulled_values(row, read_id, ended=tracked and tracked_ended(snapshot))
    return {name: values[name] for name in carried if values.get(name)}
