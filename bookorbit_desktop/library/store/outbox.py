"""The sync outbox: books whose reading state changed and must reach Hardcover.

Every writer of reading state (a KOReader push, an edit in the window, the `book` command in
another process, a document linked later) calls `note_change` inside its own transaction, so
a change and its place in the outbox are committed together or not at all. One row per book:
a second change before the push only adds its kind, which is how bursts coalesce. Every change
bumps the row's version and a confirmed push takes only the version it started from, so a change
that lands while its book is being pushed is never lost. A new change also lifts a permanent
error ("blocked"), since the book is worth another try once it changed; a user's Cancel
("held") stays until the user sends or discards what it held, whatever changes the book.

The library knows nothing of Hardcover: this table only says "this book changed"; the sync
engine decides what, if anything, that means for the profile.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

from bookorbit_desktop.fields import from_attributes
from bookorbit_desktop.library.store.models import SyncOutbox, database

STATUS, PROGRESS, RATING, LINK, SETTINGS = "status", "progress", "rating", "link", "settings"
KINDS = (STATUS, PROGRESS, RATING, LINK, SETTINGS)


@dataclass(frozen=True)
class QueuedBook:
    book_id: int
    kinds: dict[str, float]  # kind -> when it was first queued
    queued_at: float
    attempts: int
    retry_at: float | None
    last_error: str | None
    blocked: str | None
    version: int = 1
    held: str | None = None


# One statement: a book not queued yet is added; a queued one keeps the time of each kind it
# already had (its stored object is patched onto the new one), gains the new kinds, moves to a
# new version, and its retry state and any block are lifted (a hold is the user's to lift).
_QUEUE_SQL = (
    "INSERT INTO sync_outbox (book_id, kinds, queued_at, attempts, version)"
    " VALUES (?, ?, ?, 0, 1)"
    " ON CONFLICT (book_id) DO UPDATE SET kinds = CASE WHEN json_valid(sync_outbox.kinds)"
    " THEN CASE WHEN json_type(sync_outbox.kinds) = 'object'"
    " THEN json_patch(excluded.kinds, sync_outbox.kinds) ELSE excluded.kinds END"
    " ELSE excluded.kinds END,"
    " attempts = 0, retry_at = NULL, blocked = NULL, last_error = NULL,"
    " version = sync_outbox.version + 1"
)


# The kinds as SQLite writes the merged object (compact). One encoder for every change:
# `json.dumps` with options builds a new one per call, and every KOReader push makes one.
_encode_kinds = json.JSONEncoder(separators=(",", ":")).encode


def note_change(book_id: int, kinds: Iterable[str], *, now: float | None = None) -> None:
    """Queue `book_id` for Hardcover because of `kinds` of change (call inside the change's
    transaction)."""
    wanted = [k for k in kinds if k in KINDS]
    if not wanted:
        return
    now = time.time() if now is None else now
    # Plain SQL: every KOReader push runs this, and the ORM's query building cost more than
    # SQLite itself.
    database.execute_sql(_QUEUE_SQL, (book_id, _encode_kinds(dict.fromkeys(wanted, now)), now))


def note_changes_at(changes: dict[int, dict[str, float]]) -> None:
    """`note_change` for many books at once: book -> {kind: when it changed first}."""
    values = [
        (book_id, _encode_kinds(kinds), min(kinds.values()))
        for book_id, kinds in changes.items()
        if kinds
    ]
    if values:
        database.connection().executemany(_QUEUE_SQL, values)


def note_changes(book_ids: Iterable[int], kinds: Iterable[str], *, now: float | None = None) -> int:
    """`note_change` for many books in one transaction; returns how many were queued."""
    wanted = list(kinds)
    count = 0
    with database.atomic():
        for book_id in book_ids:
            note_change(book_id, wanted, now=now)
            count += 1
    return count


def _queued(row: SyncOutbox) -> QueuedBook:
    return from_attributes(
        QueuedBook, row, kinds={str(k): float(v) for k, v in (row.kinds or {}).items()}
    )


def queued(book_ids: Iterable[int] | None = None) -> list[QueuedBook]:
    """The outbox, oldest first (optionally only some books)."""
    query = SyncOutbox.select().order_by(SyncOutbox.queued_at, SyncOutbox.book)
    if book_ids is not None:
        query = query.where(SyncOutbox.book.in_(list(book_ids)))
    return [_queued(row) for row in query]


def take(book_id: int, version: int | None) -> None:
    """The push that read the book at outbox `version` is confirmed: the row goes if nothing
    changed since; a change that arrived meanwhile (a newer version, or a row that appeared
    while a book not queued was pushed: `version` None) keeps the book queued, due at once."""
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        row = SyncOutbox.get_or_none(SyncOutbox.book == book_id)
        if row is None:
            return
        if version is not None and row.version == version:
            SyncOutbox.delete().where(SyncOutbox.book == book_id).execute()
        else:
            SyncOutbox.update(attempts=0, retry_at=None, last_error=None, blocked=None).where(
                SyncOutbox.book == book_id
            ).execute()


def hold(book_ids: Iterable[int], reason: str, *, now: float | None = None) -> None:
    """The user cancelled a review or a pass that showed these books: they wait until the user
    sends them or discards their changes (a book not queued yet is queued, held, so that the
    wait is remembered)."""
    ids = list(book_ids)
    if not ids:
        return
    now = time.time() if now is None else now
    with database.atomic("IMMEDIATE"):  # it reads, then writes
        present = {
            row.book_id
            for row in SyncOutbox.select(SyncOutbox.book).where(SyncOutbox.book.in_(ids))
        }
        for book_id in ids:
            if book_id not in present:
                SyncOutbox.insert(book=book_id, kinds={}, queued_at=now, attempts=0).execute()
        SyncOutbox.update(held=reason).where(SyncOutbox.book.in_(ids)).execute()


def held_books() -> list[int]:
    """The books a Cancel holds back."""
    query = SyncOutbox.select(SyncOutbox.book).where(SyncOutbox.held.is_null(False))
    return sorted(row.book_id for row in query)


def release_held(book_ids: Iterable[int] | None = None) -> int:
    """The user sends them (all books, or `book_ids`): what a Cancel held back may go."""
    query = SyncOutbox.update(held=None).where(SyncOutbox.held.is_null(False))
    if book_ids is not None:
        query = query.where(SyncOutbox.book.in_(list(book_ids)))
    return int(query.execute())


def postpone(book_id: int, error: str, retry_at: float) -> None:
    """A push failed for a passing reason: try again at `retry_at`."""
    SyncOutbox.update(attempts=SyncOutbox.attempts + 1, retry_at=retry_at, last_error=error).where(
        SyncOutbox.book == book_id
    ).execute()


def block(book_id: int, reason: str) -> None:
    """A push failed for good: keep the book queued but stop retrying until it changes."""
    SyncOutbox.update(blocked=reason, last_error=reason, retry_at=None).where(
        SyncOutbox.book == book_id
    ).execute()


def discard(book_ids: Iterable[int]) -> None:
    """Forget books that can no longer be synced (unlinked, excluded, back to unread)."""
    ids = list(book_ids)
    if ids:  # an empty IN () is not valid SQL
        SyncOutbox.delete().where(SyncOutbox.book.in_(ids)).execute()
